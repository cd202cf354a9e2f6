/**
 * The benchmark subset — banan-2022-63/1, /3 and /2.2 — encoded by hand and in
 * four other rule engines. Every encoding reports, per measure, an outcome code
 * (0 ineligible, 1 eligible, 2 undetermined) and an amount range in 分
 * (hi = Infinity when unbounded), exactly as Engine.evaluateInto does.
 *
 * Validity (the 执行期限) is a constant per run date: the harness checks it in
 * JS before calling a competitor, so only region + eligibility + amount are
 * encoded in each engine. The hand-written closures check it themselves.
 */
import zen, { type ZenDecision } from "@gorules/zen-engine";
import { type EvalContext, type FactSlots, type Facts, FIRST_YEAR, type Range } from "@huiqi/engine";
import jsonLogic, { type AdditionalOperation, type RulesLogic } from "json-logic-js";
import rulesEngine, { type RuleProperties, type Engine as RulesEngine } from "json-rules-engine";
import Publicodes, { type Situation } from "publicodes";

export const SUBSET = ["banan-2022-63/1", "banan-2022-63/3", "banan-2022-63/2.2"] as const;
export const M1 = 0;
export const M3 = 1;
export const M22 = 2;

const INF = Number.POSITIVE_INFINITY;
const VALID_FROM = "2022-09-30";
const VALID_UNTIL = "2022-12-31";
const REGION = "500113";

type Rec = Record<string, unknown>;

/** Sink for one measure result of one enterprise. */
export interface Results {
  code: Int8Array;
  lo: Float64Array;
  hi: Float64Array;
}

export function newResults(enterprises: number): Results {
  const n = enterprises * SUBSET.length;
  return { code: new Int8Array(n).fill(-1), lo: new Float64Array(n), hi: new Float64Array(n) };
}

function put(r: Results, e: number, m: number, code: number, lo: number, hi: number): void {
  const k = e * SUBSET.length + m;
  r.code[k] = code;
  r.lo[k] = lo;
  r.hi[k] = hi;
}

/** Whether the subset measures are in force on asOf (all three share the same period). */
export function subsetValid(asOf: string): boolean {
  return asOf >= VALID_FROM && asOf <= VALID_UNTIL;
}

/** Are all facts this measure reads known for this enterprise? (Outside that, engines without "unknown" may differ.) */
export function relevantKnown(f: Facts, m: number): boolean {
  if (f.regionCode === undefined) return false;
  if (m === M1) return f.industrial !== undefined && f.aboveScaleFirstYear !== undefined;
  if (m === M3) {
    const rd = f.rdExpense as Rec | undefined;
    const meets = f.rdIntensityMeetsIndustryAverage as Rec | undefined;
    return rd?.[2021] !== undefined && rd[2020] !== undefined && meets?.[2021] !== undefined;
  }
  return f.projects !== undefined;
}

// ------------------------------------------------------------ (a) hand-written closures

/** The practical limit: the three measures written directly in JS, same three-valued semantics. */
export type HandFn = (f: Facts, c: EvalContext, out: Range) => number;

/** 分 from 元 (toFenValue) then floor(b × num / den) — the engine's rounding, exact in integers. */
function rateFen(yuanValue: number, num: number, den: number): number {
  const b = Math.max(0, Math.round(yuanValue * 100));
  const p = b * num;
  return (p - (p % den)) / den;
}

const hand1: HandFn = (f, c, o) => {
  if (c.asOf < VALID_FROM || c.asOf > VALID_UNTIL) return 0;
  let unknown = false;
  const rc = f.regionCode;
  if (rc === undefined) unknown = true;
  else if (typeof rc !== "string" || !rc.startsWith(REGION)) return 0;
  const ind = f.industrial;
  if (ind === undefined) unknown = true;
  else if (ind !== true) return 0;
  const y = f.aboveScaleFirstYear;
  if (y === undefined) unknown = true;
  else if (y !== 2021) return 0;
  o.lo = o.hi = 20_000_000;
  return unknown ? 2 : 1;
};

const hand3: HandFn = (f, c, o) => {
  if (c.asOf < VALID_FROM || c.asOf > VALID_UNTIL) return 0;
  let unknown = false;
  const rc = f.regionCode;
  if (rc === undefined) unknown = true;
  else if (typeof rc !== "string" || !rc.startsWith(REGION)) return 0;
  const rd = f.rdExpense as Rec | undefined;
  const rd21 = rd?.[2021];
  const rd20 = rd?.[2020];
  if (rd21 === undefined) unknown = true;
  else if (!(typeof rd21 === "number" && rd21 < 10_000_000)) return 0;
  const meets = (f.rdIntensityMeetsIndustryAverage as Rec | undefined)?.[2021];
  if (meets === undefined) unknown = true;
  else if (meets !== true) return 0;
  if (typeof rd21 === "number" && typeof rd20 === "number") {
    o.lo = o.hi = rateFen(Math.min(rd21, rd20), 3, 100) + rateFen(Math.max(rd21 - rd20, 0), 10, 100);
  } else {
    o.lo = 0;
    o.hi = INF;
  }
  return unknown ? 2 : 1;
};

const hand22: HandFn = (f, c, o) => {
  if (c.asOf < VALID_FROM || c.asOf > VALID_UNTIL) return 0;
  let unknown = false;
  const rc = f.regionCode;
  if (rc === undefined) unknown = true;
  else if (typeof rc !== "string" || !rc.startsWith(REGION)) return 0;
  const rows = f.projects as Rec[] | undefined;
  if (rows === undefined) {
    o.lo = 0;
    o.hi = INF;
    return 2;
  }
  let any = false;
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Rec;
    if (r.kind !== "greenRenovation") continue;
    const eq = r.equipmentInvestment;
    if (typeof eq === "number") {
      if (eq > 0) any = true;
      const v = rateFen(eq, 10, 100);
      sum += Math.min(v, 150_000_000);
    }
  }
  if (!any) return 0;
  o.lo = o.hi = sum;
  return unknown ? 2 : 1;
};

export const HAND: readonly HandFn[] = [hand1, hand3, hand22];

/**
 * The same three measures hand-written against the engine's fact-slot layout (the fastest data layout
 * we know), with the validity dates checked once per pass instead of per evaluation: the practical limit.
 */
export type HandSlotFn = (f: FactSlots, inForce: boolean, o: Range) => number;

export function handOnSlots(slots: ReadonlyMap<string, number>): readonly HandSlotFn[] {
  const at = (id: string): number => {
    const i = slots.get(id);
    if (i === undefined) throw new Error(`no slot for ${id}`);
    return i;
  };
  const REG = at("regionCode");
  const IND = at("industrial");
  const ASF = at("aboveScaleFirstYear");
  const RD = at("rdExpense");
  const MEETS = at("rdIntensityMeetsIndustryAverage");
  const PROJ = at("projects");
  const Y21 = 2021 - FIRST_YEAR;
  const Y20 = 2020 - FIRST_YEAR;
  const s1: HandSlotFn = (f, inForce, o) => {
    if (!inForce) return 0;
    let unknown = false;
    const rc = f[REG];
    if (rc === undefined) unknown = true;
    else if (rc !== REGION) return 0;
    const ind = f[IND];
    if (ind === undefined) unknown = true;
    else if (ind !== true) return 0;
    const y = f[ASF];
    if (y === undefined) unknown = true;
    else if (y !== 2021) return 0;
    o.lo = o.hi = 20_000_000;
    return unknown ? 2 : 1;
  };
  const s3: HandSlotFn = (f, inForce, o) => {
    if (!inForce) return 0;
    let unknown = false;
    const rc = f[REG];
    if (rc === undefined) unknown = true;
    else if (rc !== REGION) return 0;
    const rd = f[RD] as (number | undefined)[] | undefined;
    const rd21 = rd?.[Y21];
    const rd20 = rd?.[Y20];
    if (rd21 === undefined) unknown = true;
    else if (!(rd21 < 10_000_000)) return 0;
    const meets = (f[MEETS] as (boolean | undefined)[] | undefined)?.[Y21];
    if (meets === undefined) unknown = true;
    else if (meets !== true) return 0;
    if (rd21 !== undefined && rd20 !== undefined) {
      o.lo = o.hi = rateFen(Math.min(rd21, rd20), 3, 100) + rateFen(Math.max(rd21 - rd20, 0), 10, 100);
    } else {
      o.lo = 0;
      o.hi = INF;
    }
    return unknown ? 2 : 1;
  };
  const s22: HandSlotFn = (f, inForce, o) => {
    if (!inForce) return 0;
    let unknown = false;
    const rc = f[REG];
    if (rc === undefined) unknown = true;
    else if (rc !== REGION) return 0;
    const rows = f[PROJ] as Rec[] | undefined;
    if (rows === undefined) {
      o.lo = 0;
      o.hi = INF;
      return 2;
    }
    let any = false;
    let sum = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as Rec;
      if (r.kind !== "greenRenovation") continue;
      const eq = r.equipmentInvestment;
      if (typeof eq === "number") {
        if (eq > 0) any = true;
        sum += Math.min(rateFen(eq, 10, 100), 150_000_000);
      }
    }
    if (!any) return 0;
    o.lo = o.hi = sum;
    return unknown ? 2 : 1;
  };
  return [s1, s3, s22];
}

// ------------------------------------------------------------ (b) json-logic-js

jsonLogic.add_operation("floor", Math.floor);
jsonLogic.add_operation("round", Math.round);

type Logic = RulesLogic<AdditionalOperation>;
const v = (name: string): Logic => ({ var: name });
/** floor(round(x × 100) × num / den): 元 → 分 × rate, floored like the engine. */
const rateLogic = (x: Logic, num: number, den: number): Logic => ({
  floor: [{ "/": [{ "*": [{ round: [{ "*": [x, 100] }] }, num] }, den] }],
});
const regionLogic: Logic = { "==": [v("regionCode"), REGION] };

const JSON_LOGIC: readonly { eligible: Logic; amount: Logic }[] = [
  {
    eligible: {
      and: [regionLogic, { "==": [v("industrial"), true] }, { "==": [v("aboveScaleFirstYear"), 2021] }],
    },
    amount: 20_000_000,
  },
  {
    eligible: {
      and: [
        regionLogic,
        { "<": [v("rdExpense.2021"), 10_000_000] },
        { "==": [v("rdIntensityMeetsIndustryAverage.2021"), true] },
      ],
    },
    amount: {
      "+": [
        rateLogic({ min: [v("rdExpense.2021"), v("rdExpense.2020")] }, 3, 100),
        rateLogic({ max: [{ "-": [v("rdExpense.2021"), v("rdExpense.2020")] }, 0] }, 10, 100),
      ],
    },
  },
  {
    eligible: {
      and: [
        regionLogic,
        {
          some: [
            v("projects"),
            { and: [{ "==": [v("kind"), "greenRenovation"] }, { ">": [v("equipmentInvestment"), 0] }] },
          ],
        },
      ],
    },
    amount: {
      reduce: [
        { filter: [v("projects"), { "==": [v("kind"), "greenRenovation"] }] },
        {
          "+": [
            v("accumulator"),
            { min: [rateLogic({ var: ["current.equipmentInvestment", 0] }, 10, 100), 150_000_000] },
          ],
        },
        0,
      ],
    },
  },
];

export function runJsonLogic(pop: Facts[], from: number, to: number, asOf: string, out: Results): void {
  const valid = subsetValid(asOf);
  for (let e = from; e < to; e++) {
    const f = pop[e] as Facts;
    for (let m = 0; m < 3; m++) {
      const rule = JSON_LOGIC[m] as { eligible: Logic; amount: Logic };
      if (!valid || !jsonLogic.apply(rule.eligible, f)) {
        put(out, e, m, 0, 0, 0);
        continue;
      }
      const amount = Number(jsonLogic.apply(rule.amount, f));
      put(out, e, m, 1, amount, amount);
    }
  }
}

// ------------------------------------------------------------ (c) json-rules-engine

/** json-rules-engine decides eligibility; it has no arithmetic, so amounts are JS callbacks on the fired event. */
const JRE_AMOUNT: readonly ((f: Facts) => number)[] = [
  () => 20_000_000,
  (f) => {
    const rd = f.rdExpense as Record<string, number>;
    const a = rd["2021"] ?? 0;
    const b = rd["2020"] ?? 0;
    return rateFen(Math.min(a, b), 3, 100) + rateFen(Math.max(a - b, 0), 10, 100);
  },
  (f) => {
    let sum = 0;
    for (const r of (f.projects as Rec[] | undefined) ?? []) {
      if (r.kind !== "greenRenovation") continue;
      sum += Math.min(rateFen(Number(r.equipmentInvestment ?? 0), 10, 100), 150_000_000);
    }
    return sum;
  },
];

export function makeJsonRulesEngine(): RulesEngine {
  const regionCond = { fact: "regionCode", operator: "equal", value: REGION };
  const rules: RuleProperties[] = [
    {
      name: SUBSET[M1],
      conditions: {
        all: [
          regionCond,
          { fact: "industrial", operator: "equal", value: true },
          { fact: "aboveScaleFirstYear", operator: "equal", value: 2021 },
        ],
      },
      event: { type: "0" },
    },
    {
      name: SUBSET[M3],
      conditions: {
        all: [
          regionCond,
          { fact: "rdExpense", path: "$['2021']", operator: "lessThan", value: 10_000_000 },
          { fact: "rdIntensityMeetsIndustryAverage", path: "$['2021']", operator: "equal", value: true },
        ],
      },
      event: { type: "1" },
    },
    {
      name: SUBSET[M22],
      conditions: {
        all: [
          regionCond,
          {
            fact: "projects",
            path: "$[?(@.kind === 'greenRenovation' && @.equipmentInvestment > 0)]",
            operator: "nonEmpty",
            value: true,
          },
        ],
      },
      event: { type: "2" },
    },
  ];
  const engine = new rulesEngine.Engine(
    rules.map((r) => new rulesEngine.Rule(r)),
    { allowUndefinedFacts: true },
  );
  engine.addOperator(
    "nonEmpty",
    (factValue: unknown, want: unknown) =>
      Array.isArray(factValue) === want && (factValue as unknown[]).length > 0,
  );
  return engine;
}

export async function runJsonRulesEngine(
  engine: RulesEngine,
  pop: Facts[],
  from: number,
  to: number,
  asOf: string,
  out: Results,
): Promise<void> {
  const valid = subsetValid(asOf);
  for (let e = from; e < to; e++) {
    const f = pop[e] as Facts;
    for (let m = 0; m < 3; m++) put(out, e, m, 0, 0, 0);
    if (!valid) continue;
    const { events } = await engine.run(f);
    for (const ev of events) {
      const m = Number(ev.type);
      const amount = (JRE_AMOUNT[m] as (f: Facts) => number)(f);
      put(out, e, m, 1, amount, amount);
    }
  }
}

// ------------------------------------------------------------ (d) GoRules ZEN

/**
 * One ZEN expression computes all three measures. Three-valued logic is encoded
 * explicitly with `== null` checks: false = 0, unknown = 1, true = 2, so a
 * Kleene AND is min([...]). Amount -1 = unbounded ([0, ∞)).
 */
function zenExpression(p: string): string {
  const region = `(${p}regionCode == null ? 1 : (startsWith(${p}regionCode, '${REGION}') ? 2 : 0))`;
  const k1 = `min([${region}, (${p}industrial == null ? 1 : (${p}industrial == true ? 2 : 0)), (${p}aboveScaleFirstYear == null ? 1 : (${p}aboveScaleFirstYear == 2021 ? 2 : 0))])`;
  const rd21 = `${p}rdExpense['2021']`;
  const rd20 = `${p}rdExpense['2020']`;
  const meets = `${p}rdIntensityMeetsIndustryAverage['2021']`;
  const k3 = `min([${region}, ((${p}rdExpense == null or ${rd21} == null) ? 1 : (${rd21} < 10000000 ? 2 : 0)), ((${p}rdIntensityMeetsIndustryAverage == null or ${meets} == null) ? 1 : (${meets} == true ? 2 : 0))])`;
  const a3 = `((${p}rdExpense == null or ${rd21} == null or ${rd20} == null) ? -1 : floor(round(min([${rd21}, ${rd20}]) * 100) * 3 / 100) + floor(round(max([${rd21} - ${rd20}, 0]) * 100) * 10 / 100))`;
  const k22 = `min([${region}, (${p}projects == null ? 1 : (some(${p}projects, #.kind == 'greenRenovation' and #.equipmentInvestment != null and #.equipmentInvestment > 0) ? 2 : 0))])`;
  const a22 = `(${p}projects == null ? -1 : sum(map(filter(${p}projects, #.kind == 'greenRenovation'), min([floor(round((#.equipmentInvestment ?? 0) * 100) * 10 / 100), 150000000]))))`;
  return `[${k1}, 20000000, ${k3}, ${a3}, ${k22}, ${a22}]`;
}

export const ZEN_ONE = zenExpression("");
export const ZEN_BATCH = `map(es, ${zenExpression("#.")})`;

function putZen(out: Results, e: number, r: number[]): void {
  for (let m = 0; m < 3; m++) {
    const k = r[2 * m] as number;
    const a = r[2 * m + 1] as number;
    const code = k === 2 ? 1 : k === 1 ? 2 : 0;
    if (code === 0) put(out, e, m, 0, 0, 0);
    else if (a === -1) put(out, e, m, code, 0, INF);
    else put(out, e, m, code, a, a);
  }
}

function putNone(out: Results, e: number): void {
  for (let m = 0; m < 3; m++) put(out, e, m, 0, 0, 0);
}

/** evaluateExpressionSync, one call per enterprise. */
export function runZenSync(pop: Facts[], from: number, to: number, asOf: string, out: Results): void {
  const valid = subsetValid(asOf);
  for (let e = from; e < to; e++) {
    if (!valid) putNone(out, e);
    else putZen(out, e, zen.evaluateExpressionSync(ZEN_ONE, pop[e]) as number[]);
  }
}

/** evaluateExpressionSync over a batch: one call maps the expression over `batch` enterprises. */
export function runZenBatch(
  pop: Facts[],
  from: number,
  to: number,
  asOf: string,
  out: Results,
  batch = 256,
): void {
  const valid = subsetValid(asOf);
  for (let s = from; s < to; s += batch) {
    const end = Math.min(to, s + batch);
    if (!valid) {
      for (let e = s; e < end; e++) putNone(out, e);
      continue;
    }
    const rows = zen.evaluateExpressionSync(ZEN_BATCH, { es: pop.slice(s, end) }) as number[][];
    for (let e = s; e < end; e++) putZen(out, e, rows[e - s] as number[]);
  }
}

/** A decision graph (input → expression node → output), evaluated asynchronously over batches. */
export function makeZenDecision(): ZenDecision {
  const engine = new zen.ZenEngine();
  return engine.createDecision({
    nodes: [
      { id: "in", type: "inputNode", name: "Request", position: { x: 0, y: 0 } },
      {
        id: "expr",
        type: "expressionNode",
        name: "subset",
        position: { x: 200, y: 0 },
        content: { expressions: [{ id: "e1", key: "r", value: ZEN_BATCH }] },
      },
      { id: "out", type: "outputNode", name: "Response", position: { x: 400, y: 0 } },
    ],
    edges: [
      { id: "a", sourceId: "in", targetId: "expr", type: "edge" },
      { id: "b", sourceId: "expr", targetId: "out", type: "edge" },
    ],
  });
}

export async function runZenDecision(
  decision: ZenDecision,
  pop: Facts[],
  from: number,
  to: number,
  asOf: string,
  out: Results,
  batch = 256,
): Promise<void> {
  const valid = subsetValid(asOf);
  for (let s = from; s < to; s += batch) {
    const end = Math.min(to, s + batch);
    if (!valid) {
      for (let e = s; e < end; e++) putNone(out, e);
      continue;
    }
    const res = await decision.evaluate({ es: pop.slice(s, end) });
    const rows = (res.result as { r: number[][] }).r;
    for (let e = s; e < end; e++) putZen(out, e, rows[e - s] as number[]);
  }
}

// ------------------------------------------------------------ (e) publicodes

/**
 * Publicodes works on a flat situation, so per-year facts become `rd 2021` etc.
 * It has no lists: banan-2022-63/2.2 (forEach over projects) is NOT encoded and
 * is skipped for this engine. It has no floor either: floor(x) is written as
 * `arrondi` of x − 0.495, exact here because x has at most two decimals.
 * Missing situation values evaluate to `undefined` — publicodes is three-valued.
 */
const PUBLICODES_RULES = {
  region: { type: "texte" },
  industriel: { type: "booléen" },
  annee: { type: "nombre" },
  "rd 2021": { type: "nombre" },
  "rd 2020": { type: "nombre" },
  "intensite 2021": { type: "booléen" },
  m1: { "toutes ces conditions": [`region = '${REGION}'`, "industriel", "annee = 2021"] },
  "m1 montant": { valeur: 20_000_000 },
  m3: { "toutes ces conditions": [`region = '${REGION}'`, "rd 2021 < 10000000", "intensite 2021"] },
  stock: { "le minimum de": ["rd 2021", "rd 2020"] },
  increment: { "le maximum de": ["rd 2021 - rd 2020", 0] },
  "m3 montant": {
    somme: [
      { valeur: "stock * 3 - 0.495", arrondi: "oui" },
      { valeur: "increment * 10 - 0.495", arrondi: "oui" },
    ],
  },
};

export const PUBLICODES_MEASURES = [M1, M3] as const;

export function makePublicodes(): Publicodes {
  const quiet = { log() {}, warn() {}, error() {} };
  return new Publicodes(PUBLICODES_RULES, { logger: quiet, warn: false });
}

function publicodesOutcome(engine: Publicodes, rule: string, amountRule: string): [number, number, number] {
  const k = engine.evaluate(rule).nodeValue;
  if (k === false || k === null) return [0, 0, 0];
  const a = engine.evaluate(amountRule).nodeValue;
  const [lo, hi] = typeof a === "number" ? [a, a] : [0, INF];
  return [k === true ? 1 : 2, lo, hi];
}

export function runPublicodes(
  engine: Publicodes,
  pop: Facts[],
  from: number,
  to: number,
  asOf: string,
  out: Results,
) {
  const valid = subsetValid(asOf);
  for (let e = from; e < to; e++) {
    const f = pop[e] as Facts;
    put(out, e, M22, -1, 0, 0); // not encodable
    if (!valid) {
      put(out, e, M1, 0, 0, 0);
      put(out, e, M3, 0, 0, 0);
      continue;
    }
    const s: Situation<string> = {};
    if (typeof f.regionCode === "string") s.region = `'${f.regionCode}'`;
    if (typeof f.industrial === "boolean") s.industriel = f.industrial ? "oui" : "non";
    if (typeof f.aboveScaleFirstYear === "number") s.annee = f.aboveScaleFirstYear;
    const rd = f.rdExpense as Record<string, number> | undefined;
    if (rd?.["2021"] !== undefined) s["rd 2021"] = rd["2021"];
    if (rd?.["2020"] !== undefined) s["rd 2020"] = rd["2020"];
    const meets = (f.rdIntensityMeetsIndustryAverage as Record<string, boolean> | undefined)?.["2021"];
    if (meets !== undefined) s["intensite 2021"] = meets ? "oui" : "non";
    engine.setSituation(s);
    put(out, e, M1, ...publicodesOutcome(engine, "m1", "m1 montant"));
    put(out, e, M3, ...publicodesOutcome(engine, "m3", "m3 montant"));
  }
}

/**
 * Properties of every measure of the five documents, over profiles generated from the fact vocabulary:
 * (a) soundness — a profile with facts removed never decides differently from the full profile, and its
 *     amount range contains the full profile's amount; (b) caps — no amount exceeds the bound its amount
 *     node states; (c) stacking — netting never adds money. Fixed seed, bounded count: part of `npm test`.
 */
import {
  type AmountDef,
  compileRules,
  type FactDefinition,
  type Facts,
  type FieldDefinition,
  type MeasureResult,
  makeProfileValidator,
  yuanToFen,
} from "@huiqi/engine";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPolicyLibrary } from "./load.ts";

const lib = loadPolicyLibrary();
const engine = compileRules(lib.rules);
const validate = makeProfileValidator(lib.rules.vocabulary);
const SEED = 20261201;
const RUNS = Number(process.env.HUIQI_PROPERTY_RUNS ?? 300);

const DISTRICTS = ["500113", "500112", "500154", "500156", "500101"];
const INDUSTRY_CODES = ["C3670", "C3391", "C3490", "I6513", "F5171", "C2710", "D4411"];
const YEARS = [2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025];

const date = fc
  .record({
    y: fc.integer({ min: 2018, max: 2026 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);

/** Money near the thresholds the documents use (tens of thousands to billions of 元), in whole 元. */
const money = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.integer({ min: 0, max: 100_000_000 }),
  fc.integer({ min: 0, max: 10_000_000_000 }),
  fc.constantFrom(200_000_000, 500_000_000, 1_000_000_000, 10_000_000, 2_000_000, 500_000),
);

function scalar(def: FactDefinition | FieldDefinition): fc.Arbitrary<unknown> {
  switch (def.type) {
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({ min: 0, max: 3000 });
    case "money":
      return money;
    case "ratio":
      return fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
    case "year":
      return fc.constantFrom(...YEARS);
    case "date":
      return date;
    case "enum":
      if (def.id === "regionCode") return fc.constantFrom(...DISTRICTS);
      return fc.constantFrom(...(def.values ?? []).map((v) => v.value));
    case "string":
      if (def.id === "industryCode") return fc.constantFrom(...INDUSTRY_CODES);
      return fc.constantFrom("甲", "乙", "丙");
    case "stringList":
      return fc.subarray(["城市运行保障", "产业链供应链重点", "双百企业"]);
    default:
      return fc.constant(undefined);
  }
}

function factValue(def: FactDefinition): fc.Arbitrary<unknown> {
  let value: fc.Arbitrary<unknown>;
  if (def.type === "list") {
    const fields = def.fields ?? [];
    const item = fc.record(
      Object.fromEntries(
        fields.map((f) => [f.id, f.required ? scalar(f) : fc.option(scalar(f), { nil: undefined, freq: 3 })]),
      ),
      { requiredKeys: [] },
    );
    value = fc.array(item, { maxLength: 3 });
  } else value = scalar(def);
  if (!def.perYear) return value;
  return fc
    .subarray(YEARS, { minLength: 1 })
    .chain((years) =>
      fc
        .tuple(...years.map(() => value))
        .map((vs) => Object.fromEntries(years.map((y, i) => [String(y), vs[i]]))),
    );
}

const facts = lib.rules.vocabulary.facts.filter((f) => !f.identity);
/** A profile that states most facts (each one with probability ~0.8). */
const profile: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    Object.fromEntries(facts.map((f) => [f.id, fc.option(factValue(f), { nil: undefined, freq: 4 })])),
    {
      requiredKeys: [],
    },
  )
  .map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)));

const asOf = fc.constantFrom(
  "2021-12-01",
  "2022-06-30",
  "2022-11-01",
  "2023-06-01",
  "2023-09-01",
  "2024-06-01",
  "2025-03-01",
  "2026-12-01",
);

function validOrNull(p: Record<string, unknown>): Facts | null {
  try {
    // Items without their required fields are not valid profiles; drop such items rather than the profile.
    return validate(p);
  } catch {
    return null;
  }
}

/**
 * Removes facts: each top-level fact with probability ½, each optional list-item field (without a default)
 * with probability ½, each year of a per-year fact with probability ⅓. The full facts are a completion.
 */
function removeSome(full: Facts, coin: () => number): Facts {
  const out: Facts = {};
  for (const [k, v] of Object.entries(full)) {
    if (coin() < 0.5) continue;
    const def = lib.rules.vocabulary.facts.find((f) => f.id === k);
    if (def?.type === "list" && Array.isArray(v)) {
      out[k] = v.map((item) => {
        const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
        for (const field of def.fields ?? [])
          if (
            !field.required &&
            field.default === undefined &&
            field.id !== "id" &&
            field.id !== "name" &&
            coin() < 0.5
          )
            delete copy[field.id];
        return copy;
      });
    } else if (def?.perYear && v && typeof v === "object") {
      out[k] = Object.fromEntries(Object.entries(v).filter(() => coin() >= 1 / 3));
    } else out[k] = v;
  }
  return out;
}

function contains(outer: MeasureResult["amount"], inner: MeasureResult["amount"]): boolean {
  if (!outer || !inner) return true;
  const oHi = outer.max ?? Number.POSITIVE_INFINITY;
  const iHi = inner.max ?? Number.POSITIVE_INFINITY;
  return outer.min <= inner.min && iHi <= oHi;
}

describe("properties of every measure (fast-check, fixed seed)", () => {
  it("(a) soundness: fewer facts never flip an outcome, and the range contains the exact amount", () => {
    fc.assert(
      fc.property(profile, asOf, fc.integer({ min: 1, max: 2 ** 30 }), (p, day, seed) => {
        const full = validOrNull(p);
        fc.pre(full !== null);
        let s = seed;
        const coin = () => {
          s = (s * 1103515245 + 12345) % 2147483648;
          return s / 2147483648;
        };
        const partial = removeSome(full as Facts, coin);
        const whole = engine.evaluate(full as Facts, { asOf: day });
        const part = engine.evaluate(partial, { asOf: day });
        for (let i = 0; i < whole.results.length; i++) {
          const w = whole.results[i] as MeasureResult;
          const q = part.results[i] as MeasureResult;
          const where = `${w.measureId} @ ${day}`;
          if (q.outcome !== "undetermined")
            expect(w.outcome, `${where}: 去掉事实前后结论不一致`).toBe(q.outcome);
          if (
            w.outcome !== "ineligible" &&
            q.outcome !== "ineligible" &&
            !w.amountBeforeNetting &&
            !q.amountBeforeNetting
          )
            expect(
              contains(q.amount, w.amount),
              `${where}: 区间 ${JSON.stringify(q.amount)} 不含 ${JSON.stringify(w.amount)}`,
            ).toBe(true);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("(b) caps: no amount exceeds the bound its amount node states", () => {
    const bounds = new Map<string, number>();
    for (const m of lib.rules.measures) {
      const b = m.amount === undefined ? undefined : staticBound(m.amount);
      if (b !== undefined && Number.isFinite(b)) bounds.set(m.id, b);
    }
    expect(bounds.size).toBeGreaterThan(30);
    fc.assert(
      fc.property(profile, asOf, (p, day) => {
        const f = validOrNull(p);
        fc.pre(f !== null);
        for (const r of engine.evaluate(f as Facts, { asOf: day }).results) {
          const b = bounds.get(r.measureId);
          if (b === undefined || !r.amount) continue;
          expect(r.amount.max, `${r.measureId}: 最高额超过原文上限 ${b / 100} 元`).not.toBeNull();
          expect(r.amount.max as number).toBeLessThanOrEqual(b);
          expect(r.amount.min).toBeLessThanOrEqual(r.amount.max as number);
        }
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it("(c) stacking: the total after netting never exceeds the sum before it", () => {
    fc.assert(
      fc.property(profile, asOf, (p, day) => {
        const f = validOrNull(p);
        fc.pre(f !== null);
        const res = engine.evaluate(f as Facts, { asOf: day });
        let lo = 0;
        let hi = 0;
        for (const r of res.results) {
          if (r.outcome !== "eligible") continue;
          const before = r.amountBeforeNetting ?? r.amount;
          if (!before) continue;
          lo += before.min;
          hi += before.max ?? Number.POSITIVE_INFINITY;
          if (r.amountBeforeNetting && r.amount) {
            expect(r.amount.min).toBeLessThanOrEqual(r.amountBeforeNetting.min);
            expect(r.amount.max ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(
              r.amountBeforeNetting.max ?? Number.POSITIVE_INFINITY,
            );
          }
        }
        expect(res.totals.eligible.min).toBeLessThanOrEqual(lo);
        expect(res.totals.eligible.max ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(hi);
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });
});

/** The most an amount node can ever give by its own words (分), Infinity when the text sets no bound. */
function staticBound(a: AmountDef | number): number {
  if (typeof a === "number") return yuanToFen(a) ?? Number.POSITIVE_INFINITY;
  const fen = (y: number | null | undefined) =>
    y === null || y === undefined ? Number.POSITIVE_INFINITY : (yuanToFen(y) ?? Number.POSITIVE_INFINITY);
  if (a.fixed !== undefined) return fen(a.fixed);
  if (a.range) return fen(a.range[1]);
  if (a.upTo !== undefined) return fen(a.upTo);
  if (a.cap !== undefined)
    return Math.min(fen(a.cap), a.amount === undefined ? Number.POSITIVE_INFINITY : staticBound(a.amount));
  if (a.floor !== undefined)
    return Math.max(fen(a.floor), a.amount === undefined ? 0 : staticBound(a.amount));
  if (a.max) return Math.max(...a.max.map(staticBound));
  if (a.readings) return Math.max(...a.readings.map(staticBound));
  if (a.min) return Math.min(...a.min.map(staticBound));
  if (a.sum) return a.sum.map(staticBound).reduce((x, y) => x + y, 0);
  if (a.tiers) return Math.max(0, ...a.tiers.steps.map((s) => staticBound(s.amount)));
  if (a.cases)
    return Math.max(
      ...a.cases.map((k) => staticBound(k.amount)),
      a.otherwise === undefined ? 0 : staticBound(a.otherwise),
    );
  if (a.topUp !== undefined) return staticBound(a.topUp);
  return Number.POSITIVE_INFINITY;
}

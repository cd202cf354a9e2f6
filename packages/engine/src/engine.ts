/**
 * The compiled rule set: evaluate an enterprise as of a date, explain one
 * measure, decide stacking (从高不重复) and plan the next questions.
 */
import {
  type CompiledAmount,
  type CompiledCondition,
  compileAmount,
  compileCondition,
  type Range,
} from "./compile.ts";
import {
  type EvalContext,
  type FactSlots,
  type Facts,
  type FactUse,
  FIRST_YEAR,
  RuleCompileError,
  requiredOf,
} from "./expression.ts";
import type { AmountRange } from "./money.ts";
import type { Contact, FactDefinition, MeasureDef, PolicyDocument, RuleSet, StackingGroup } from "./types.ts";

export type Outcome = "eligible" | "ineligible" | "undetermined";

export interface CompiledMeasure {
  def: MeasureDef;
  doc: PolicyDocument;
  index: number;
  validFrom: string;
  validUntil: string | undefined;
  regionPrefix: string;
  /** District documents: the enterprise's region must equal the code; municipal: start with the prefix. */
  regionExact: boolean;
  eligibility: CompiledCondition | undefined;
  amount: CompiledAmount | undefined;
  groups: StackingGroup[];
}

export interface StackingNote {
  groupId: string;
  decision: "recommended" | "notAdded" | "pending";
  recommended?: string | undefined;
  reason: string;
}

export interface MeasureResult {
  measureId: string;
  documentId: string;
  docNumber: string;
  title: string;
  benefitType: MeasureDef["benefitType"];
  monetary: boolean;
  outcome: Outcome;
  /** 分; null when not monetary or ineligible. */
  amount: AmountRange | null;
  /** Fact keys (`id` or `id:year`) whose answers are still missing. */
  missing: string[];
  /** For ineligible measures: the first requirement that failed, in Chinese. */
  reason?: string | undefined;
  validFrom: string;
  validUntil?: string | undefined;
  leadDepartment: string;
  coDepartments: string[];
  contact?: Contact | undefined;
  stacking?: StackingNote[] | undefined;
  explanation?: MeasureExplanation | undefined;
}

export interface StackingDecision {
  groupId: string;
  title: string;
  document: string;
  quote: string;
  reading: string;
  recommended: string;
  notAdded: string[];
  pending: string[];
  reason: string;
}

export interface Question {
  fact: string;
  factId: string;
  year?: number | undefined;
  label: string;
  question: string;
  /** Money (分) on the measures this answer decides: sum of their range widths. null = unbounded. */
  moneyAtStake: number | null;
  measures: string[];
}

export interface MatchResult {
  asOf: string;
  rulesVersion: string;
  results: MeasureResult[];
  stacking: StackingDecision[];
  questions: Question[];
  totals: {
    /** Sum over eligible measures after stacking. */
    eligible: AmountRange;
    /** Upper bound if every undetermined measure turned out eligible (after stacking). */
    potentialMax: number | null;
  };
}

/** A fact as read during evaluation: its key (`id` or `id:year`), Chinese label, value ("未知" if unknown), unit. */
export interface FactValue {
  key: string;
  label: string;
  value: unknown;
  unit?: string | undefined;
}

export interface ExplanationNode {
  kind: string;
  label?: string | undefined;
  quote?: string | undefined;
  expr?: string | undefined;
  required?: string | undefined;
  result: boolean | "unknown";
  facts?: FactValue[] | undefined;
  children?: ExplanationNode[] | undefined;
}

export interface AmountExplanation {
  kind: string;
  label?: string | undefined;
  quote?: string | undefined;
  formula?: string | undefined;
  amount: AmountRange;
  facts?: FactValue[] | undefined;
  conditions?: ExplanationNode[] | undefined;
  children?: AmountExplanation[] | undefined;
}

export interface MeasureExplanation {
  measureId: string;
  title: string;
  outcome: Outcome;
  citation: { documentId: string; docNumber: string; issuer: string; item: string; clause: string };
  validity: {
    from: string;
    until?: string | undefined;
    asOf: string;
    ok: boolean;
    quote?: string | undefined;
  };
  region: { required: string; actual: unknown; result: boolean | "unknown" };
  eligibility: ExplanationNode | null;
  amount: AmountExplanation | null;
  notes: MeasureDef["notes"];
  interpretation: MeasureDef["interpretation"];
}

export interface EvaluateOptions {
  asOf: string;
  /** Include the explanation tree of each measure (off on the hot path). */
  explain?: boolean;
  measures?: string[];
}

const INF = Number.POSITIVE_INFINITY;
/** Amount nodes with children that also read facts of their own (the tier value, what was received, the list). */
const OWN_READS = new Set(["tiers", "topUp", "forEach"]);

function toRange(r: Range): AmountRange {
  return { min: r.lo, max: r.hi === INF ? null : r.hi };
}

function regionMatches(prefix: string, code: unknown): boolean | undefined {
  if (code === undefined) return undefined;
  return typeof code === "string" && code.startsWith(prefix);
}

export function yearOfDate(asOf: string): number {
  return Number(asOf.slice(0, 4));
}

export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export class Engine {
  readonly measures: CompiledMeasure[];
  readonly byId = new Map<string, CompiledMeasure>();
  readonly facts = new Map<string, FactDefinition>();
  readonly slots = new Map<string, number>();
  readonly version: string;
  readonly groups: StackingGroup[];
  private readonly slotFacts: FactDefinition[];
  private readonly regionSlot: number;

  constructor(readonly rules: RuleSet) {
    this.version = rules.version;
    for (const f of rules.vocabulary.facts) {
      if (this.facts.has(f.id)) throw new RuleCompileError(`事实「${f.id}」重复定义`, "vocabulary");
      this.facts.set(f.id, f);
      this.slots.set(f.id, this.slots.size);
    }
    this.slotFacts = rules.vocabulary.facts;
    const regionSlot = this.slots.get("regionCode");
    if (regionSlot === undefined) throw new RuleCompileError("词汇表缺少 regionCode", "vocabulary");
    this.regionSlot = regionSlot;
    const docs = new Map(rules.documents.map((d) => [d.id, d]));
    this.groups = rules.stackingGroups;
    this.measures = rules.measures.map((def, index) => {
      const docId = def.id.split("/")[0] ?? "";
      const doc = docs.get(docId);
      if (!doc) throw new RuleCompileError(`措施所属文件「${docId}」不存在`, def.id);
      if (this.byId.has(def.id)) throw new RuleCompileError("措施编号重复", def.id);
      const scope = { facts: this.facts, slots: this.slots, where: def.id };
      const cm: CompiledMeasure = {
        def,
        doc,
        index,
        validFrom: def.validFrom ?? doc.validFrom,
        validUntil: def.validUntil ?? doc.validUntil,
        regionPrefix: doc.regionCode.endsWith("0000") ? doc.regionCode.slice(0, 2) : doc.regionCode,
        regionExact: !doc.regionCode.endsWith("0000"),
        eligibility: def.eligibility
          ? compileCondition(def.eligibility, { ...scope, where: `${def.id}.eligibility` })
          : undefined,
        amount:
          def.amount !== undefined
            ? compileAmount(def.amount, { ...scope, where: `${def.id}.amount` })
            : undefined,
        groups: [],
      };
      if (def.monetary && !cm.amount) throw new RuleCompileError("标为资金类措施，但没有 amount", def.id);
      this.byId.set(def.id, cm);
      return cm;
    });
    for (const g of this.groups) {
      for (const m of g.members) {
        const cm = this.byId.get(m);
        if (!cm) throw new RuleCompileError(`从高不重复组引用了不存在的措施「${m}」`, `stacking.${g.id}`);
        cm.groups.push(g);
      }
    }
  }

  /**
   * Hot path: outcome code (0 ineligible, 1 eligible, 2 undetermined) and amount
   * range written into `out`. No allocation, no tracing.
   */
  evaluateInto(m: CompiledMeasure, f: FactSlots, c: EvalContext, out: Range): number {
    const inForce = c.inForce;
    if (inForce !== undefined ? inForce[m.index] === 0 : !this.isInForce(m, c.asOf)) return 0;
    const code = f[this.regionSlot];
    const region =
      code === undefined
        ? undefined
        : m.regionExact
          ? code === m.regionPrefix
          : regionMatches(m.regionPrefix, code);
    if (region === false) return 0;
    let ok: boolean | undefined = true;
    if (m.eligibility) {
      ok = m.eligibility.eval(f, c);
      if (ok === false) return 0;
    }
    if (m.amount) m.amount.eval(f, c, out);
    else out.lo = out.hi = 0;
    return ok === true && region === true ? 1 : 2;
  }

  /**
   * Facts → the slot layout the compiled rules read. Done once per enterprise; facts outside the
   * vocabulary are ignored, per-year values before FIRST_YEAR are not representable.
   */
  prepare(f: Facts): FactSlots {
    const defs = this.slotFacts;
    const out: FactSlots = new Array(defs.length).fill(undefined);
    for (let i = 0; i < defs.length; i++) {
      const def = defs[i] as FactDefinition;
      const v = f[def.id];
      if (v === undefined) continue;
      if (def.perYear && v !== null && typeof v === "object") {
        const series: unknown[] = [];
        const byYear = v as Record<string, unknown>;
        for (const k in byYear) {
          const idx = Number(k) - FIRST_YEAR;
          if (idx >= 0 && idx < 100) series[idx] = byYear[k];
        }
        out[i] = series;
      } else out[i] = v;
    }
    return out;
  }

  isInForce(m: CompiledMeasure, asOf: string): boolean {
    return !(asOf < m.validFrom || (m.validUntil !== undefined && asOf > m.validUntil));
  }

  /** The evaluation context of a date; which measures are in force is decided here once, not per enterprise. */
  context(asOf: string): EvalContext {
    if (!isIsoDate(asOf)) throw new RangeError(`asOf「${asOf}」不是有效日期（YYYY-MM-DD）`);
    const inForce = new Uint8Array(this.measures.length);
    for (const m of this.measures) inForce[m.index] = this.isInForce(m, asOf) ? 1 : 0;
    return { asOf, year: yearOfDate(asOf), inForce };
  }

  evaluateMeasure(m: CompiledMeasure, f: Facts, asOf: string, explain = false): MeasureResult {
    return this.resultFor(m, this.prepare(f), this.context(asOf), explain);
  }

  private resultFor(m: CompiledMeasure, f: FactSlots, c: EvalContext, explain: boolean): MeasureResult {
    const r: Range = { lo: 0, hi: 0 };
    const code = this.evaluateInto(m, f, c, r);
    const outcome: Outcome = code === 1 ? "eligible" : code === 0 ? "ineligible" : "undetermined";
    let missing: string[] = [];
    if (outcome !== "ineligible" && (code === 2 || r.lo !== r.hi)) {
      const mc: EvalContext = { ...c, missing: [] };
      if (f[this.regionSlot] === undefined) mc.missing?.push("regionCode");
      m.eligibility?.eval(f, mc);
      if (m.amount) m.amount.eval(f, mc, { lo: 0, hi: 0 });
      missing = [...new Set(mc.missing)];
    }
    const d = m.def;
    return {
      measureId: d.id,
      documentId: m.doc.id,
      docNumber: m.doc.docNumber,
      title: d.title,
      benefitType: d.benefitType,
      monetary: d.monetary,
      outcome,
      amount: d.monetary && outcome !== "ineligible" ? toRange(r) : null,
      missing,
      reason: outcome === "ineligible" ? this.failReason(m, f, c) : undefined,
      validFrom: m.validFrom,
      validUntil: m.validUntil,
      leadDepartment: d.leadDepartment,
      coDepartments: d.coDepartments ?? [],
      contact: d.contact,
      explanation: explain ? this.explainCompiled(m, f, c) : undefined,
    };
  }

  private failReason(m: CompiledMeasure, f: FactSlots, c: EvalContext): string {
    if (c.asOf < m.validFrom) return `尚未开始执行（自 ${m.validFrom} 起）`;
    if (m.validUntil !== undefined && c.asOf > m.validUntil) return `已过执行期限（至 ${m.validUntil}）`;
    if (regionMatches(m.regionPrefix, f[this.regionSlot]) === false)
      return `仅适用于${m.doc.issuer.replace(/人民政府.*$/, "")}辖区企业`;
    const leaf = m.eligibility ? firstFailing(m.eligibility, f, c) : undefined;
    return leaf?.label ?? leaf?.expr ?? "不满足申报条件";
  }

  evaluate(f: Facts, opts: EvaluateOptions): MatchResult {
    const wanted = opts.measures ? new Set(opts.measures) : undefined;
    const list = wanted ? this.measures.filter((m) => wanted.has(m.def.id)) : this.measures;
    const slots = this.prepare(f);
    const c = this.context(opts.asOf);
    const results = list.map((m) => this.resultFor(m, slots, c, Boolean(opts.explain)));
    const stacking = this.decideStacking(results);
    return {
      asOf: opts.asOf,
      rulesVersion: this.version,
      results,
      stacking,
      questions: this.planQuestions(results),
      totals: totals(results),
    };
  }

  /** 从高不重复: among eligible members of a group, recommend the highest; the others are not added. */
  decideStacking(results: MeasureResult[]): StackingDecision[] {
    const byId = new Map(results.map((r) => [r.measureId, r]));
    const decisions: StackingDecision[] = [];
    for (const g of this.groups) {
      const members = g.members.map((id) => byId.get(id)).filter((r): r is MeasureResult => r !== undefined);
      const eligible = members.filter((r) => r.outcome === "eligible" && r.amount);
      const pending = members.filter((r) => r.outcome === "undetermined");
      if (eligible.length + pending.length < 2 || eligible.length === 0) {
        if (eligible.length === 0 && pending.length >= 2) {
          for (const p of pending)
            addNote(p, {
              groupId: g.id,
              decision: "pending",
              reason: `与${pending
                .filter((x) => x !== p)
                .map((x) => x.measureId)
                .join("、")}${g.title}，若同时符合，按从高不重复只享受较高一项`,
            });
        }
        continue;
      }
      const best = [...eligible].sort(
        (a, b) =>
          (b.amount?.max ?? INF) - (a.amount?.max ?? INF) ||
          (b.amount?.min ?? 0) - (a.amount?.min ?? 0) ||
          a.measureId.localeCompare(b.measureId),
      )[0] as MeasureResult;
      const others = eligible.filter((r) => r !== best);
      const reason =
        others.length > 0
          ? `${best.measureId}（${best.title}）标准较高，推荐享受；${others.map((o) => o.measureId).join("、")} 与其${g.title}，依「${g.quote}」不再叠加`
          : `${best.measureId} 已符合；${pending.map((p) => p.measureId).join("、")} 尚待确认，若也符合，只享受较高一项`;
      addNote(best, { groupId: g.id, decision: "recommended", reason });
      for (const o of others)
        addNote(o, {
          groupId: g.id,
          decision: "notAdded",
          recommended: best.measureId,
          reason,
        });
      for (const p of pending)
        addNote(p, { groupId: g.id, decision: "pending", recommended: best.measureId, reason });
      decisions.push({
        groupId: g.id,
        title: g.title,
        document: g.document,
        quote: g.quote,
        reading: g.reading,
        recommended: best.measureId,
        notAdded: others.map((o) => o.measureId),
        pending: pending.map((p) => p.measureId),
        reason,
      });
    }
    return decisions;
  }

  /** Rank missing facts by the money they decide: the summed range width of the measures waiting on them. */
  planQuestions(results: MeasureResult[], limit = 8): Question[] {
    const acc = new Map<string, { stake: number; measures: string[] }>();
    for (const r of results) {
      if (r.outcome === "ineligible" || r.missing.length === 0) continue;
      if (r.stacking?.some((s) => s.decision === "notAdded")) continue;
      const width = r.amount
        ? r.amount.max === null
          ? INF
          : r.amount.max - (r.outcome === "eligible" ? r.amount.min : 0)
        : 0;
      for (const key of r.missing) {
        const id = key.split(":")[0] ?? key;
        if (this.facts.get(id)?.identity) continue;
        const a = acc.get(key) ?? { stake: 0, measures: [] };
        a.stake += width;
        a.measures.push(r.measureId);
        acc.set(key, a);
      }
    }
    return [...acc.entries()]
      .sort(
        (x, y) =>
          y[1].stake - x[1].stake || y[1].measures.length - x[1].measures.length || x[0].localeCompare(y[0]),
      )
      .slice(0, limit)
      .map(([key, a]) => {
        const [id, y] = key.split(":") as [string, string | undefined];
        const def = this.facts.get(id);
        const year = y ? Number(y) : undefined;
        return {
          fact: key,
          factId: id,
          year,
          label: `${year ? `${year}年` : ""}${def?.label ?? id}`,
          question: year ? `（${year}年度）${def?.question ?? id}` : (def?.question ?? id),
          moneyAtStake: a.stake === INF ? null : a.stake,
          measures: a.measures,
        };
      });
  }

  factLabel(key: string): string {
    const [id, y] = key.split(":") as [string, string | undefined];
    const def = this.facts.get(id);
    if (!def) return key;
    return `${y && /^\d+$/.test(y) ? `${y}年` : ""}${def.label}`;
  }

  explain(measureId: string, f: Facts, asOf: string): MeasureExplanation {
    const m = this.byId.get(measureId);
    if (!m) throw new RangeError(`没有编号为「${measureId}」的措施`);
    return this.explainCompiled(m, this.prepare(f), this.context(asOf));
  }

  private explainCompiled(m: CompiledMeasure, f: FactSlots, c: EvalContext): MeasureExplanation {
    const asOf = c.asOf;
    const r: Range = { lo: 0, hi: 0 };
    const code = this.evaluateInto(m, f, c, r);
    const validOk = this.isInForce(m, asOf);
    const region = regionMatches(m.regionPrefix, f[this.regionSlot]);
    const d = m.def;
    return {
      measureId: d.id,
      title: d.title,
      outcome: code === 1 ? "eligible" : code === 0 ? "ineligible" : "undetermined",
      citation: {
        documentId: m.doc.id,
        docNumber: m.doc.docNumber,
        issuer: m.doc.issuer,
        item: d.sub ? `第${d.ordinal}条（第${d.sub}项）` : `第${d.ordinal}条`,
        clause: d.clause,
      },
      validity: {
        from: m.validFrom,
        until: m.validUntil,
        asOf,
        ok: validOk,
        quote: d.validityQuote ?? m.doc.validityQuote,
      },
      region: {
        required: m.doc.regionCode,
        actual: f[this.regionSlot],
        result: region === undefined ? "unknown" : region,
      },
      eligibility: m.eligibility ? this.explainCondition(m.eligibility, f, c) : null,
      amount: m.amount && d.monetary ? this.explainAmount(m.amount, f, c) : null,
      notes: d.notes ?? [],
      interpretation: d.interpretation,
    };
  }

  private describeUses(used: FactUse[]) {
    const seen = new Set<string>();
    const out: FactValue[] = [];
    for (const u of used) {
      if (seen.has(u.key)) continue;
      seen.add(u.key);
      const unit = this.facts.get(u.key.split(":")[0] ?? "")?.unit;
      out.push({
        key: u.key,
        label: this.factLabel(u.key),
        value: u.value === undefined ? "未知" : u.value,
        unit,
      });
    }
    return out;
  }

  private explainCondition(node: CompiledCondition, f: FactSlots, c: EvalContext): ExplanationNode {
    const used: FactUse[] = [];
    const v = node.eval(f, { ...c, used });
    return {
      kind: node.kind,
      label: node.label,
      quote: node.quote,
      expr: node.expr,
      required: node.expr ? requiredOf(node.expr) : undefined,
      result: v === undefined ? "unknown" : v,
      facts: node.children.length === 0 ? this.describeUses(used) : undefined,
      children: node.children.length ? node.children.map((ch) => this.explainCondition(ch, f, c)) : undefined,
    };
  }

  private explainAmount(node: CompiledAmount, f: FactSlots, c: EvalContext): AmountExplanation {
    const used: FactUse[] = [];
    const r: Range = { lo: 0, hi: 0 };
    node.eval(f, { ...c, used }, r);
    return {
      kind: node.kind,
      label: node.label,
      quote: node.quote,
      formula: node.text,
      amount: toRange(r),
      // Composite nodes show only what they read themselves; their children show the rest.
      facts:
        used.length && (node.children.length === 0 || OWN_READS.has(node.kind))
          ? this.describeUses(used)
          : undefined,
      conditions: node.conditions.length
        ? node.conditions.map((k) => this.explainCondition(k, f, c))
        : undefined,
      children: node.children.length ? node.children.map((ch) => this.explainAmount(ch, f, c)) : undefined,
    };
  }
}

function addNote(r: MeasureResult, note: StackingNote): void {
  if (!r.stacking) r.stacking = [];
  r.stacking.push(note);
}

function firstFailing(node: CompiledCondition, f: FactSlots, c: EvalContext): CompiledCondition | undefined {
  if (node.eval(f, c) !== false) return undefined;
  if (node.kind === "all") {
    for (const ch of node.children) {
      const leaf = firstFailing(ch, f, c);
      if (leaf) return leaf;
    }
  }
  return node;
}

function totals(results: MeasureResult[]): MatchResult["totals"] {
  let lo = 0;
  let hi = 0;
  let potential = 0;
  for (const r of results) {
    if (!r.amount || r.stacking?.some((s) => s.decision === "notAdded")) continue;
    const max = r.amount.max ?? INF;
    if (r.outcome === "eligible") {
      lo += r.amount.min;
      hi += max;
    }
    potential += max;
  }
  return {
    eligible: { min: lo, max: hi === INF ? null : hi },
    potentialMax: potential === INF ? null : potential,
  };
}

export function compileRules(rules: RuleSet): Engine {
  return new Engine(rules);
}

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
  describeItem,
  type ExplainScope,
  explainExpressions,
  fenOf,
  itemContext,
  itemFieldsRead,
  pairDefs,
  sortedSteps,
  truthOf,
} from "./explain-support.ts";
import {
  type EvalContext,
  type FactSlots,
  type Facts,
  type FactUse,
  FIRST_YEAR,
  parseItemFieldKey,
  RuleCompileError,
  requiredOf,
} from "./expression.ts";
import { type AmountRange, formatFen, formatRange } from "./money.ts";
import { type Glossary, makeGlossary, renderCondition } from "./render-expression.ts";
import type {
  ConditionDef,
  Contact,
  FactDefinition,
  MeasureDef,
  PolicyDocument,
  RuleSet,
  StackingGroup,
} from "./types.ts";

export type Outcome = "eligible" | "ineligible" | "undetermined";

/** What a money measure whose text states no figure shows instead of an amount. */
export const AMOUNT_UNSTATED_TEXT = "金额以申报通知为准";

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
  /** reduced: some of the measure's subjects went to a higher measure; it keeps the rest. */
  decision: "recommended" | "notAdded" | "pending" | "reduced";
  recommended?: string | undefined;
  /** For groups that net per subject: the subject key (`projects[智能工厂二期]`). */
  subject?: string | undefined;
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
  /** 分; null when not monetary or ineligible. After netting per subject, what the measure still gives. */
  amount: AmountRange | null;
  /** The measure pays money but the text states no figure: amount is null, shown as 金额以申报通知为准. */
  amountUnstated?: true | undefined;
  /** Set when netting per subject reduced the amount: the amount before. */
  amountBeforeNetting?: AmountRange | undefined;
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
  /** For groups that net per subject: which subject this decision is about. */
  subject?: string | undefined;
  subjectLabel?: string | undefined;
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
  /** `exists`: the list fact and its filter (`item.kind == 'smartFactory'`). */
  list?: string | undefined;
  where?: string | undefined;
  /** `exists`: every record of the list with the filter's result for it. */
  items?: ItemCheck[] | undefined;
}

/** A record of a list fact (a project, a loan, a certification) as an explanation walks through it. */
export interface ExplainedItem {
  /** Position in the list, from 0. */
  index: number;
  /** Subject key (`projects[智能工厂二期]`): records with one key are one subject. */
  key: string;
  /** The fields that name the record and the fields the rule reads (key = field id), "未知" if not stated. */
  fields: FactValue[];
}

export interface ItemCheck extends ExplainedItem {
  /** The list filter's result for this record. */
  result: boolean | "unknown";
}

export interface ItemAmount extends ExplainedItem {
  /** Whether the record passes the filter (`where`). */
  matched: boolean | "unknown";
  /** What this record adds to the total (分): [0, 0] if it does not qualify, from 0 if it only might. */
  amount: AmountRange;
  /** The per-record amount rule evaluated with this record bound; absent when it does not qualify. */
  detail?: AmountExplanation | undefined;
}

/** The numbers behind one amount node, for wording its calculation. Money in 分 unless said otherwise. */
export interface AmountParams {
  /** rate: the rate as written ("30%") and the base (expression, and its value in 元; "未知" if unknown). */
  rate?: string | undefined;
  base?: string | undefined;
  baseValue?: unknown;
  /** cap, floor: the bound; forEach: the cap per subject. */
  bound?: number | undefined;
  /** perUnit: the amount per unit and the count (expression and value). */
  perUnit?: number | undefined;
  count?: string | undefined;
  countValue?: unknown;
  /** tiers: the value compared with the thresholds; expr: the formula (value in 元). */
  value?: string | undefined;
  valueResult?: unknown;
  /** topUp: what was already received (expression, and its value in 元). */
  received?: string | undefined;
  receivedValue?: unknown;
  /** fixed, range, upTo: as written, in 分 (max null = no upper bound). */
  range?: AmountRange | undefined;
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
  params?: AmountParams | undefined;
  /** A child of `tiers`: the threshold of this tier, in the unit of the tier value. */
  atLeast?: number | undefined;
  /** A child of `tiers` or `cases`: whether this alternative is the one that applies ("unknown": it may). */
  applied?: boolean | "unknown" | undefined;
  /** `forEach`: the list fact, its filter and every record with its own amount (they add up to `amount`). */
  list?: string | undefined;
  where?: string | undefined;
  items?: ItemAmount[] | undefined;
  /** `forEach` with a cap per subject: each subject's total after the cap (they add up to `amount`). */
  subjects?: { key: string; amount: AmountRange }[] | undefined;
}

export interface MeasureExplanation {
  measureId: string;
  title: string;
  outcome: Outcome;
  /** `item`: "第5条" or "第5条（第2项）", the whole citation of the article. */
  citation: { documentId: string; docNumber: string; issuer: string; item: string; clause: string };
  validity: {
    from: string;
    until?: string | undefined;
    asOf: string;
    ok: boolean;
    quote?: string | undefined;
  };
  region: { required: string; actual: unknown; result: boolean | "unknown" };
  leadDepartment?: string | undefined;
  coDepartments?: string[] | undefined;
  eligibility: ExplanationNode | null;
  amount: AmountExplanation | null;
  /** A monetary measure whose text states no figure: the words it uses ("给予资金支持"). */
  amountUnstated?: string | undefined;
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
  private glossary: Glossary | undefined;
  private missingScratch: EvalContext | undefined;
  private missingBase: EvalContext | undefined;
  private readonly missingRange: Range = { lo: 0, hi: 0 };

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
        eligibility: withOneTime(def)
          ? compileCondition(withOneTime(def) as ConditionDef, { ...scope, where: `${def.id}.eligibility` })
          : undefined,
        amount:
          def.amount !== undefined
            ? compileAmount(def.amount, { ...scope, where: `${def.id}.amount` })
            : undefined,
        groups: [],
      };
      if (def.monetary && !cm.amount && def.amountUnstated === undefined)
        throw new RuleCompileError(
          "标为资金类措施，但没有 amount（文件未写金额的，用 amountUnstated 引用原文）",
          def.id,
        );
      if (cm.amount && def.amountUnstated !== undefined)
        throw new RuleCompileError("amount 与 amountUnstated 不能同时出现", def.id);
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

  /**
   * Fact keys (`id` or `id:year`) still unknown that the measure's eligibility or amount reads, on prepared
   * slots. Callers of the hot path ask for it only where it matters (undetermined, or a ranged amount).
   */
  missingFacts(m: CompiledMeasure, f: FactSlots, c: EvalContext): string[] {
    // One tracking context per base context, reused: a batch asks this millions of times on one date.
    let mc = this.missingScratch;
    if (mc === undefined || this.missingBase !== c) {
      mc = { ...c, missing: [] };
      this.missingScratch = mc;
      this.missingBase = c;
    }
    const keys = mc.missing as string[];
    keys.length = 0;
    if (f[this.regionSlot] === undefined) keys.push("regionCode");
    m.eligibility?.eval(f, mc);
    if (m.amount) m.amount.eval(f, mc, this.missingRange);
    // Distinct keys in first-seen order (the lists are short: a scan beats a Set).
    const out: string[] = [];
    for (const k of keys) if (!out.includes(k)) out.push(k);
    keys.length = 0;
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
    const missing =
      outcome !== "ineligible" && (code === 2 || r.lo !== r.hi) ? this.missingFacts(m, f, c) : [];
    const d = m.def;
    return {
      measureId: d.id,
      documentId: m.doc.id,
      docNumber: m.doc.docNumber,
      title: d.title,
      benefitType: d.benefitType,
      monetary: d.monetary,
      outcome,
      amount: d.monetary && outcome !== "ineligible" && m.amount ? toRange(r) : null,
      amountUnstated: d.amountUnstated !== undefined && outcome !== "ineligible" ? true : undefined,
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
    if (leaf?.label) return leaf.label;
    // An unlabelled leaf is worded from its expression: never show the raw rule text.
    if (leaf?.kind === "expr" && leaf.expr) {
      this.glossary ??= makeGlossary(this.rules);
      return renderCondition(leaf.expr, { g: this.glossary, year: c.year, asOf: c.asOf });
    }
    return "不满足申报条件";
  }

  evaluate(f: Facts, opts: EvaluateOptions): MatchResult {
    const wanted = opts.measures ? new Set(opts.measures) : undefined;
    const list = wanted ? this.measures.filter((m) => wanted.has(m.def.id)) : this.measures;
    return this.evaluatePrepared(this.prepare(f), list, opts);
  }

  /**
   * `evaluate` on slots already laid out by `prepare` (a server caches them per enterprise until its facts
   * change) and a measure list already chosen (`opts.measures` is not read).
   */
  evaluatePrepared(slots: FactSlots, list: readonly CompiledMeasure[], opts: EvaluateOptions): MatchResult {
    const c = this.context(opts.asOf);
    const results = list.map((m) => this.resultFor(m, slots, c, Boolean(opts.explain)));
    const stacking = this.decideStacking(results, slots, c);
    return {
      asOf: opts.asOf,
      rulesVersion: this.version,
      results,
      stacking,
      questions: this.planQuestions(results),
      totals: totals(results),
    };
  }

  /**
   * 从高不重复 / 就高不重复. A group nets either whole measures for the same enterprise (`nets: enterprise`) or
   * the support each measure gives to the same subject — the same project, certificate, loan (`nets: subject`):
   * only alternatives for the same subject compete, and different subjects each keep their measure.
   * "从高" compares what the enterprise can count on first (the guaranteed minimum), then the ceiling; when the
   * alternative not taken has a higher ceiling, the reason says so, so the choice is visible.
   */
  decideStacking(results: MeasureResult[], f?: FactSlots, c?: EvalContext): StackingDecision[] {
    const byId = new Map(results.map((r) => [r.measureId, r]));
    const decisions: StackingDecision[] = [];
    for (const g of this.groups) {
      const members = g.members.map((id) => byId.get(id)).filter((r): r is MeasureResult => r !== undefined);
      if (g.nets === "subject" && f && c) this.netPerSubject(g, members, f, c, decisions);
      else this.netWholeMeasures(g, members, decisions);
    }
    return decisions;
  }

  private netWholeMeasures(g: StackingGroup, members: MeasureResult[], decisions: StackingDecision[]): void {
    const eligible = members.filter((r) => r.outcome === "eligible" && r.amount);
    const pending = members.filter((r) => r.outcome === "undetermined");
    if (eligible.length === 0) {
      if (pending.length >= 2)
        for (const p of pending)
          addNote(p, {
            groupId: g.id,
            decision: "pending",
            reason: `与${pending
              .filter((x) => x !== p)
              .map(nameOf)
              .join("、")}${g.title}；若都符合，按从高不重复只享受较高一项`,
          });
      return;
    }
    if (eligible.length + pending.length < 2) return;
    const [best, ...others] = rankFromHigh(eligible);
    if (!best) return;
    const reason = stackingReason(g, best, others, pending);
    addNote(best, { groupId: g.id, decision: "recommended", reason });
    for (const o of others)
      addNote(o, { groupId: g.id, decision: "notAdded", recommended: best.measureId, reason });
    for (const p of pending)
      addNote(p, { groupId: g.id, decision: "pending", recommended: best.measureId, reason });
    decisions.push(decisionOf(g, best, others, pending, reason));
  }

  private netPerSubject(
    g: StackingGroup,
    members: MeasureResult[],
    f: FactSlots,
    c: EvalContext,
    decisions: StackingDecision[],
  ): void {
    // Each member's support per subject, measured with the very closures that computed its amount.
    const per = new Map<MeasureResult, Map<string, { lo: number; hi: number; certain: boolean }>>();
    for (const r of members) {
      const m = this.byId.get(r.measureId);
      if (!m?.amount || r.outcome === "ineligible" || !r.amount) continue;
      const perItem = new Map<string, { lo: number; hi: number; certain: boolean }>();
      m.amount.eval(f, { ...c, perItem }, { lo: 0, hi: 0 });
      per.set(r, perItem);
    }
    const subjects = new Set<string>();
    for (const items of per.values()) for (const [k, v] of items) if (v.hi > 0) subjects.add(k);
    // Per measure that lost subjects: subject → the measure it went to.
    const excluded = new Map<MeasureResult, Map<string, string>>();
    for (const subject of [...subjects].sort()) {
      const claim = (r: MeasureResult) => per.get(r)?.get(subject);
      const claimants = members.filter((r) => (claim(r)?.hi ?? 0) > 0);
      if (claimants.length < 2) continue;
      const subjectLabel = this.subjectLabel(subject);
      const eligible = claimants.filter((r) => r.outcome === "eligible");
      const pending = claimants.filter((r) => r.outcome !== "eligible");
      const ranked = rankFromHigh(eligible.map((r) => ({ ...r, amount: toAmount(claim(r)) }))).map(
        (x) => eligible.find((r) => r.measureId === x.measureId) as MeasureResult,
      );
      const [best, ...others] = ranked;
      if (!best) {
        for (const p of pending)
          addNote(p, {
            groupId: g.id,
            decision: "pending",
            subject,
            reason: `${subjectLabel}同时可按${pending
              .filter((x) => x !== p)
              .map(nameOf)
              .join("、")}申请；${g.title}，同一${subjectKind(subjectLabel)}若都符合只享受较高一项`,
          });
        continue;
      }
      const amountOf = (r: MeasureResult) => toAmount(claim(r));
      const reason = stackingReason(
        g,
        { ...best, amount: amountOf(best) },
        others.map((o) => ({ ...o, amount: amountOf(o) })),
        pending,
        subjectLabel,
      );
      addNote(best, { groupId: g.id, decision: "recommended", subject, reason });
      for (const o of others) {
        const lost = excluded.get(o) ?? new Map<string, string>();
        lost.set(subject, best.measureId);
        excluded.set(o, lost);
      }
      for (const p of pending)
        addNote(p, { groupId: g.id, decision: "pending", subject, recommended: best.measureId, reason });
      decisions.push({ ...decisionOf(g, best, others, pending, reason), subject, subjectLabel });
    }
    // A measure keeps what it gives to the subjects it was not outranked on, with its own caps re-applied.
    for (const [r, lost] of excluded) {
      const m = this.byId.get(r.measureId);
      if (!m?.amount || !r.amount) continue;
      const out: Range = { lo: 0, hi: 0 };
      m.amount.eval(f, { ...c, exclude: new Set(lost.keys()) }, out);
      const before = r.amount;
      r.amountBeforeNetting = before;
      r.amount = toRange(out);
      const gone = [...lost.keys()].map((k) => this.subjectLabel(k)).join("、");
      const reason =
        out.hi === 0
          ? `${gone}已按较高标准的措施计算，本项不再叠加`
          : `${gone}已按较高标准的措施计算，本项只计其余项目：由${formatRange(before)}调整为${formatRange(r.amount)}`;
      addNote(r, {
        groupId: g.id,
        decision: out.hi === 0 ? "notAdded" : "reduced",
        reason,
        recommended: lost.values().next().value,
      });
    }
  }

  /** `projects[智能工厂二期]` → "投资项目『智能工厂二期』". */
  subjectLabel(key: string): string {
    const m = /^([A-Za-z0-9_]+)\[([^\]]+)\]$/.exec(key);
    if (!m) return key;
    const list = this.facts.get(m[1] as string);
    const ref = m[2] as string;
    return `${list?.label ?? m[1]}${ref.startsWith("#") ? `第${ref.slice(1)}项` : `『${ref}』`}`;
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
        const item = parseItemFieldKey(key);
        if (item) {
          const label = this.factLabel(key);
          return {
            fact: key,
            factId: item.list,
            label,
            question: `请补充${label}。`,
            moneyAtStake: a.stake === INF ? null : a.stake,
            measures: a.measures,
          };
        }
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
    const item = parseItemFieldKey(key);
    if (item) {
      // "投资项目『智能工厂二期』的投资进度（0～1）", or "第2项" when the item has neither id nor name.
      const list = this.facts.get(item.list);
      const field = list?.fields?.find((x) => x.id === item.field);
      const which = item.ref.startsWith("#") ? `第${item.ref.slice(1)}项` : `『${item.ref}』`;
      return `${list?.label ?? item.list}${which}的${field?.label ?? item.field}`;
    }
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
    const x: ExplainScope = {
      pairs: pairDefs({ def: d.eligibility, node: m.eligibility }, { def: d.amount, node: m.amount }),
      exprs: explainExpressions(this.facts, this.slots),
    };
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
      leadDepartment: d.leadDepartment,
      coDepartments: d.coDepartments ?? [],
      eligibility: m.eligibility ? this.explainCondition(m.eligibility, f, c, x) : null,
      amount: m.amount && d.monetary ? this.explainAmount(m.amount, f, c, x) : null,
      amountUnstated: d.amountUnstated,
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
      const item = parseItemFieldKey(u.key);
      const unit = item
        ? this.facts.get(item.list)?.fields?.find((x) => x.id === item.field)?.unit
        : this.facts.get(u.key.split(":")[0] ?? "")?.unit;
      out.push({
        key: u.key,
        label: this.factLabel(u.key),
        value: u.value === undefined ? "未知" : u.value,
        unit,
      });
    }
    return out;
  }

  /** The records of a list fact, or undefined when the list is unknown. */
  private explainRows(list: string, f: FactSlots): Record<string, unknown>[] | undefined {
    const slot = this.slots.get(list);
    const rows = slot === undefined ? undefined : f[slot];
    return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : undefined;
  }

  private explainCondition(
    node: CompiledCondition,
    f: FactSlots,
    c: EvalContext,
    x: ExplainScope,
  ): ExplanationNode {
    const used: FactUse[] = [];
    const v = node.eval(f, { ...c, used });
    const out: ExplanationNode = {
      kind: node.kind,
      label: node.label,
      quote: node.quote,
      expr: node.expr,
      required: node.expr ? requiredOf(node.expr) : undefined,
      result: v === undefined ? "unknown" : v,
      facts: node.children.length === 0 ? this.describeUses(used) : undefined,
      children: node.children.length
        ? node.children.map((ch) => this.explainCondition(ch, f, c, x))
        : undefined,
    };
    const exists = x.pairs.conditions.get(node)?.exists;
    if (node.kind === "exists" && exists) {
      // Each record with the filter's own result: which certificate or project counts, and why the others do not.
      const { list, where } = exists;
      out.list = list;
      out.where = where;
      const listDef = this.facts.get(list);
      const rows = this.explainRows(list, f);
      if (listDef && rows) {
        const read = itemFieldsRead(where);
        out.items = rows.map((row, i) => {
          const ic = itemContext(c, list, row, i);
          return {
            index: i,
            key: ic.itemKey as string,
            fields: describeItem(listDef, row, read),
            result: where === undefined ? true : truthOf(x.exprs.value(where, f, ic, listDef)),
          };
        });
      }
    }
    return out;
  }

  private explainAmount(
    node: CompiledAmount,
    f: FactSlots,
    c: EvalContext,
    x: ExplainScope,
    itemOf?: FactDefinition,
  ): AmountExplanation {
    const used: FactUse[] = [];
    const r: Range = { lo: 0, hi: 0 };
    const perItem =
      node.kind === "forEach" ? new Map<string, { lo: number; hi: number; certain: boolean }>() : undefined;
    node.eval(f, { ...c, used, perItem }, r);
    const out: AmountExplanation = {
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
        ? node.conditions.map((k) => this.explainCondition(k, f, c, x))
        : undefined,
      // forEach: the per-record rule means nothing without a record bound; `items` explains it per record.
      children:
        node.children.length && node.kind !== "forEach"
          ? node.children.map((ch) => this.explainAmount(ch, f, c, x, itemOf))
          : undefined,
    };
    const def = x.pairs.amounts.get(node);
    if (def === undefined || typeof def === "number") return out;
    const value = (text: string) => {
      const v = x.exprs.value(text, f, c, itemOf);
      return v === undefined ? "未知" : v;
    };
    switch (node.kind) {
      case "rate":
        if (def.base !== undefined)
          out.params = { rate: String(def.rate).trim(), base: def.base, baseValue: value(def.base) };
        break;
      case "perUnit":
        if (def.count !== undefined)
          out.params = { perUnit: fenOf(def.perUnit), count: def.count, countValue: value(def.count) };
        break;
      case "expr":
        if (def.expr !== undefined) out.params = { value: def.expr, valueResult: value(def.expr) };
        break;
      case "cap":
      case "floor":
        out.params = { bound: fenOf(node.kind === "cap" ? def.cap : def.floor) };
        break;
      case "topUp":
        if (def.received !== undefined)
          out.params = { received: def.received, receivedValue: value(def.received) };
        break;
      case "tiers": {
        if (!def.tiers) break;
        const v = value(def.tiers.value);
        out.params = { value: def.tiers.value, valueResult: v };
        const steps = sortedSteps(def);
        let found = false;
        out.children?.forEach((ch, i) => {
          const atLeast = steps[i]?.atLeast;
          ch.atLeast = atLeast;
          if (typeof v !== "number") ch.applied = v === "未知" ? "unknown" : false;
          else {
            const hit = !found && atLeast !== undefined && v >= atLeast;
            if (hit) found = true;
            ch.applied = hit;
          }
        });
        break;
      }
      case "cases": {
        // The first case that holds applies; a case after an undecided one only may apply.
        let decided = false;
        let undecided = false;
        out.children?.forEach((ch, i) => {
          const when = out.conditions?.[i];
          if (decided) ch.applied = false;
          else if (!when || when.result === true) {
            ch.applied = undecided ? "unknown" : true;
            decided = true;
          } else if (when.result === false) ch.applied = false;
          else {
            ch.applied = "unknown";
            undecided = true;
          }
        });
        break;
      }
      case "forEach": {
        const fe = def.forEach;
        const inner = node.children[0];
        if (!fe || !inner) break;
        out.list = fe.list;
        out.where = fe.where;
        if (fe.subjectCap !== undefined) out.params = { bound: fenOf(fe.subjectCap) };
        const listDef = this.facts.get(fe.list);
        const rows = this.explainRows(fe.list, f);
        if (!listDef || !rows) break;
        const read = itemFieldsRead(fe.where, fe.amount);
        out.items = rows.map((row, i) => {
          const ic = itemContext(c, fe.list, row, i);
          const ok = fe.where === undefined ? true : truthOf(x.exprs.value(fe.where, f, ic, listDef));
          const item: ItemAmount = {
            index: i,
            key: ic.itemKey as string,
            fields: describeItem(listDef, row, read),
            matched: ok,
            amount: { min: 0, max: 0 },
          };
          if (ok === false) return item;
          const detail = this.explainAmount(inner, f, ic, x, listDef);
          item.detail = detail;
          item.amount = { min: ok === true ? detail.amount.min : 0, max: detail.amount.max };
          return item;
        });
        if (fe.subjectCap !== undefined && perItem)
          out.subjects = [...perItem].map(([key, v]) => ({ key, amount: toRange(v) }));
        break;
      }
    }
    return out;
  }
}

function decisionOf(
  g: StackingGroup,
  best: MeasureResult,
  others: MeasureResult[],
  pending: MeasureResult[],
  reason: string,
): StackingDecision {
  return {
    groupId: g.id,
    title: g.title,
    document: g.document,
    quote: g.quote,
    reading: g.reading,
    recommended: best.measureId,
    notAdded: others.map((o) => o.measureId),
    pending: pending.map((p) => p.measureId),
    reason,
  };
}

/** A one-time measure's eligibility gains "not granted before" (from the generic awardsReceived). */
function withOneTime(def: MeasureDef): ConditionDef | undefined {
  if (!def.oneTime) return def.eligibility;
  const once: ConditionDef = {
    expr: `!granted('${def.id}')`,
    label: "此前未享受过本项一次性奖励",
    quote: "一次性",
  };
  return def.eligibility ? { all: [def.eligibility, once] } : once;
}

/** "「数字化车间、智能工厂项目补助」" — the name a reader knows a measure by. */
function nameOf(r: MeasureResult): string {
  return `「${r.title}」`;
}

function toAmount(r: { lo: number; hi: number } | undefined): AmountRange {
  return r ? { min: r.lo, max: r.hi === INF ? null : r.hi } : { min: 0, max: 0 };
}

/** Highest first by what the enterprise can count on (minimum), then by ceiling, then by id. */
function rankFromHigh<T extends { measureId: string; amount: AmountRange | null }>(xs: T[]): T[] {
  return [...xs].sort(
    (a, b) =>
      (b.amount?.min ?? 0) - (a.amount?.min ?? 0) ||
      (b.amount?.max ?? INF) - (a.amount?.max ?? INF) ||
      a.measureId.localeCompare(b.measureId),
  );
}

function subjectKind(label: string): string {
  return label.startsWith("投资项目")
    ? "项目"
    : label.startsWith("资质")
      ? "证书"
      : label.startsWith("贷款")
        ? "贷款"
        : "事项";
}

function stackingReason(
  g: StackingGroup,
  best: MeasureResult,
  others: MeasureResult[],
  pending: MeasureResult[],
  subjectLabel?: string,
): string {
  const what = subjectLabel ? `${subjectLabel}：` : "";
  const parts = [`${what}${nameOf(best)}可得${formatRange(best.amount ?? { min: 0, max: 0 })}，推荐享受`];
  if (others.length > 0) {
    parts.push(`${others.map(nameOf).join("、")}与其${g.title}，依「${g.quote}」不再叠加`);
    // Never drop a higher ceiling silently: say what the other choice would give and why it ranks lower.
    for (const o of others) {
      const oMax = o.amount?.max ?? INF;
      const bMax = best.amount?.max ?? INF;
      if (oMax > bMax)
        parts.push(
          `也可改按${nameOf(o)}申请，最高可得${formatRange(o.amount ?? { min: 0, max: 0 })}，但确定可得的只有${formatFen(o.amount?.min ?? 0)}，不如推荐项确定`,
        );
    }
  }
  if (pending.length > 0) parts.push(`${pending.map(nameOf).join("、")}尚待确认，若也符合，只享受较高一项`);
  return parts.join("；");
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

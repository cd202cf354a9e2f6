/**
 * Impact simulation (问题 10): before a draft or in-review revision is published, run it against every
 * enterprise in the database and compare with the published version of the same document — who becomes
 * eligible, who drops out, whose amount moves, what it costs in total, by district, industry section and
 * size class, and against each measure's budget.
 *
 * Only the document's own measures are evaluated (those present in either version), with the document's
 * own 从高不重复 groups applied per enterprise (the engine's totals); groups spanning other documents are not
 * applied. Facts are read in batches (two queries per 2,000 enterprises), evaluated in a tight loop as of
 * today in Chongqing. Money is integer 分; a measure with no stated upper bound adds to "上限未定" instead
 * of the maximum total.
 */
import {
  type CompiledMeasure,
  compileRules,
  type Engine,
  type EvalContext,
  type FactSlots,
  type Facts,
  type MeasureResult,
  type Range,
} from "@huiqi/engine";
import { libraryFromSources, PolicyDataError } from "@huiqi/policies";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { allEnterpriseFacts } from "../enterprises/facts-store.ts";
import { deriveSizeClass, SIZE_LABELS, type SizeClass } from "../enterprises/size-class.ts";
import { AppError, notFound } from "../errors.ts";
import { regionLabels } from "../reports/regions.ts";
import { publishedSources } from "./policy-store.ts";

/** GB/T 4754-2017 国民经济行业分类：门类. */
export const INDUSTRY_SECTIONS: Record<string, string> = {
  A: "农、林、牧、渔业",
  B: "采矿业",
  C: "制造业",
  D: "电力、热力、燃气及水生产和供应业",
  E: "建筑业",
  F: "批发和零售业",
  G: "交通运输、仓储和邮政业",
  H: "住宿和餐饮业",
  I: "信息传输、软件和信息技术服务业",
  J: "金融业",
  K: "房地产业",
  L: "租赁和商务服务业",
  M: "科学研究和技术服务业",
  N: "水利、环境和公共设施管理业",
  O: "居民服务、修理和其他服务业",
  P: "教育",
  Q: "卫生和社会工作",
  R: "文化、体育和娱乐业",
  S: "公共管理、社会保障和社会组织",
  T: "国际组织",
};

const NO_INDUSTRY = "未填行业代码";
const NO_SIZE = "规模未定";
/** How many enterprise names each gainers/losers list carries. */
export const NAMES_PER_LIST = 20;

/** Chinese name of the GB/T 4754 section of an industry code (its first letter). */
export function industrySection(code: string | null | undefined): string {
  const letter = code?.trim().charAt(0).toUpperCase() ?? "";
  const name = INDUSTRY_SECTIONS[letter];
  return name ? `${letter} ${name}` : NO_INDUSTRY;
}

export interface Totals {
  /** Enterprises eligible (per measure: for this measure; in total and breakdowns: for at least one). */
  eligible: number;
  /** Not eligible (for any, in total) but undetermined for at least one: facts missing. */
  undetermined: number;
  /** 分: sum of the guaranteed (minimum) amounts of eligible enterprises. */
  guaranteedFen: number;
  /** 分: sum of the maximum amounts where one is stated. */
  maxFen: number;
  /** Eligible enterprises whose amount has no stated upper bound (上限未定), not in maxFen. */
  maxUnbounded: number;
}

export interface Compared {
  draft: Totals;
  published: Totals;
}

export interface MeasureImpact extends Compared {
  measureId: string;
  title: string;
  inDraft: boolean;
  inPublished: boolean;
  /** 分; null when no budget is set for the measure. */
  budgetFen: number | null;
}

export interface BreakdownRow extends Compared {
  key: string;
  label: string;
}

export interface EnterpriseChange {
  enterpriseId: string;
  name: string;
  district: string;
  published: { min: number; max: number | null } | null;
  draft: { min: number; max: number | null } | null;
}

export interface ChangeList {
  count: number;
  /** Up to NAMES_PER_LIST, largest change first. */
  examples: EnterpriseChange[];
}

export interface ImpactReport {
  documentId: string;
  revision: number;
  asOf: string;
  enterprises: number;
  elapsedMs: number;
  total: Compared;
  measures: MeasureImpact[];
  byDistrict: BreakdownRow[];
  byIndustry: BreakdownRow[];
  bySize: BreakdownRow[];
  changes: {
    newlyEligible: ChangeList;
    noLongerEligible: ChangeList;
    amountUp: ChangeList;
    amountDown: ChangeList;
  };
  /** 分: draft minus published (maximum: over stated maxima; see total.*.maxUnbounded). */
  costDifference: { guaranteedFen: number; maxFen: number };
}

const zero = (): Totals => ({ eligible: 0, undetermined: 0, guaranteedFen: 0, maxFen: 0, maxUnbounded: 0 });
const compared = (): Compared => ({ draft: zero(), published: zero() });

/** One enterprise under one version: eligible for any measure, undetermined otherwise, total after stacking. */
export interface Outcome {
  eligible: boolean;
  undetermined: boolean;
  min: number;
  max: number | null;
}

const INF = Number.POSITIVE_INFINITY;

/**
 * One version's measures of the document, evaluated on the engine's allocation-free hot path
 * (prepare + evaluateInto). Full MeasureResults are built only when the enterprise has two or more
 * candidate measures in a 从高不重复 group, so the engine's stacking decides the total exactly as it does for
 * the enterprise's own results page.
 */
export class Side {
  readonly codes: Uint8Array;
  readonly mins: Float64Array;
  readonly maxs: Float64Array;
  /** 1 when the measure yields an amount range (monetary, not ineligible, amount stated). */
  readonly has: Uint8Array;
  private readonly context: EvalContext;
  private readonly grouped: boolean[];
  private readonly out: Range = { lo: 0, hi: 0 };

  constructor(
    readonly engine: Engine,
    readonly measures: CompiledMeasure[],
    asOf: string,
  ) {
    const n = measures.length;
    this.codes = new Uint8Array(n);
    this.mins = new Float64Array(n);
    this.maxs = new Float64Array(n);
    this.has = new Uint8Array(n);
    this.context = engine.context(asOf);
    const ids = new Set(measures.map((m) => m.def.id));
    // A group matters only when at least two of its members are among the document's measures.
    this.grouped = measures.map((m) =>
      m.groups.some((g) => g.members.filter((id) => ids.has(id)).length >= 2),
    );
  }

  run(facts: Facts): Outcome {
    const slots = this.engine.prepare(facts);
    const out = this.out;
    let eligible = false;
    let undetermined = false;
    let groupedCandidates = 0;
    for (let i = 0; i < this.measures.length; i++) {
      const m = this.measures[i] as CompiledMeasure;
      out.lo = 0;
      out.hi = 0;
      const code = this.engine.evaluateInto(m, slots, this.context, out);
      this.codes[i] = code;
      if (code === 1) eligible = true;
      else if (code === 2) undetermined = true;
      const has = code !== 0 && m.def.monetary && m.amount !== undefined ? 1 : 0;
      this.has[i] = has;
      this.mins[i] = has ? out.lo : 0;
      this.maxs[i] = has ? out.hi : 0;
      if (code !== 0 && this.grouped[i]) groupedCandidates++;
    }
    if (!eligible) return { eligible, undetermined, min: 0, max: 0 };
    if (groupedCandidates >= 2) return this.stacked(slots);
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < this.measures.length; i++) {
      if (this.codes[i] !== 1 || !this.has[i]) continue;
      lo += this.mins[i] as number;
      hi += this.maxs[i] as number;
    }
    return { eligible, undetermined: false, min: lo, max: hi === INF ? null : hi };
  }

  /** Totals after the engine's stacking (从高不重复), like MatchResult.totals.eligible. */
  private stacked(slots: FactSlots): Outcome {
    const results: MeasureResult[] = [];
    for (let i = 0; i < this.measures.length; i++) {
      const code = this.codes[i];
      if (code === 0) continue;
      const m = this.measures[i] as CompiledMeasure;
      const hi = this.maxs[i] as number;
      results.push({
        measureId: m.def.id,
        documentId: m.doc.id,
        docNumber: m.doc.docNumber,
        title: m.def.title,
        benefitType: m.def.benefitType,
        monetary: m.def.monetary,
        outcome: code === 1 ? "eligible" : "undetermined",
        amount: this.has[i] ? { min: this.mins[i] as number, max: hi === INF ? null : hi } : null,
        missing: [],
        validFrom: m.validFrom,
        validUntil: m.validUntil,
        leadDepartment: m.def.leadDepartment,
        coDepartments: m.def.coDepartments ?? [],
      });
    }
    this.engine.decideStacking(results, slots, this.context);
    let lo = 0;
    let hi = 0;
    for (const r of results) {
      if (r.outcome !== "eligible" || !r.amount || r.stacking?.some((x) => x.decision === "notAdded"))
        continue;
      lo += r.amount.min;
      hi += r.amount.max ?? INF;
    }
    return { eligible: true, undetermined: false, min: lo, max: hi === INF ? null : hi };
  }
}

function addOutcome(t: Totals, o: Outcome): void {
  if (o.eligible) {
    t.eligible++;
    t.guaranteedFen += o.min;
    if (o.max === null) t.maxUnbounded++;
    else t.maxFen += o.max;
  } else if (o.undetermined) t.undetermined++;
}

/** The engine with this revision's files in place of the document's published revision. */
async function draftEngine(ctx: AppContext, documentId: string, files: Record<string, string>) {
  let library: ReturnType<typeof libraryFromSources>;
  try {
    const sources = new Map((await publishedSources(ctx.db)).map((s) => [s.id, s]));
    sources.set(documentId, { id: documentId, files, origin: documentId });
    library = libraryFromSources([...sources.values()]);
  } catch (e) {
    if (e instanceof PolicyDataError) throw new AppError("VALIDATION", `政策数据有误：${e.message}`);
    throw e;
  }
  try {
    return compileRules(library.rules);
  } catch (e) {
    throw new AppError("VALIDATION", `规则无法编译：${(e as Error).message}`);
  }
}

function documentMeasures(engine: Engine, documentId: string) {
  return engine.measures.filter((m) => m.doc.id === documentId);
}

/** Ranks a change by how much the guaranteed amount moves (largest first; ties by name). */
function delta(c: EnterpriseChange): number {
  return Math.abs((c.draft?.min ?? 0) - (c.published?.min ?? 0));
}

class Collector {
  count = 0;
  examples: EnterpriseChange[] = [];
  add(c: EnterpriseChange): void {
    this.count++;
    this.examples.push(c);
    // Keep memory bounded on large populations: trim to the largest changes now and then.
    if (this.examples.length > NAMES_PER_LIST * 50) this.trim();
  }
  trim(): void {
    this.examples.sort((a, b) => delta(b) - delta(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.examples.length = Math.min(this.examples.length, NAMES_PER_LIST);
  }
  done(): ChangeList {
    this.trim();
    return { count: this.count, examples: this.examples };
  }
}

/** 1 when the draft gives more, -1 less, 0 the same: guaranteed amount first, then the ceiling. */
function compareAmounts(d: Outcome, p: Outcome): number {
  if (d.min !== p.min) return d.min > p.min ? 1 : -1;
  if (d.max === p.max) return 0;
  if (d.max === null) return 1;
  if (p.max === null) return -1;
  return d.max > p.max ? 1 : -1;
}

export async function simulateImpact(
  ctx: AppContext,
  documentId: string,
  revision: number,
  /** Called with the enterprises done so far and the total, once before the first batch and after each. */
  onProgress?: (done: number, total: number) => void,
): Promise<ImpactReport> {
  const started = performance.now();
  const row = await ctx.db
    .selectFrom("policy_revisions")
    .select(["state", "files"])
    .where("document_id", "=", documentId)
    .where("revision", "=", revision)
    .executeTakeFirst();
  if (!row) throw notFound(`政策文件 ${documentId} 的第 ${revision} 版`);
  if (row.state !== "draft" && row.state !== "inReview")
    throw new AppError("INVALID_STATE", `只有草稿和待审核的版本可以测算影响，第 ${revision} 版不是`);
  const draft = await draftEngine(ctx, documentId, row.files);
  const published = ctx.engine;

  const draftMeasures = documentMeasures(draft, documentId);
  const publishedMeasures = documentMeasures(published, documentId);
  const draftIds = draftMeasures.map((m) => m.def.id);
  const publishedIds = publishedMeasures.map((m) => m.def.id);
  const ids = [...new Set([...draftIds, ...publishedIds])];
  const titles = new Map<string, string>();
  for (const m of publishedMeasures) titles.set(m.def.id, m.def.title);
  for (const m of draftMeasures) titles.set(m.def.id, m.def.title);

  const budgets = new Map<string, number>();
  if (ids.length > 0)
    for (const b of await ctx.db
      .selectFrom("measure_budgets")
      .select(["measure_id", "budget_fen"])
      .where("measure_id", "in", ids)
      .execute())
      budgets.set(b.measure_id, Number(b.budget_fen));

  const perMeasure = new Map(ids.map((id) => [id, compared()]));
  const total = compared();
  const districts = new Map<string, Compared>();
  const industries = new Map<string, Compared>();
  const sizes = new Map<string, Compared>();
  const bucket = (m: Map<string, Compared>, key: string) => {
    let c = m.get(key);
    if (!c) {
      c = compared();
      m.set(key, c);
    }
    return c;
  };
  const regions = regionLabels(ctx);
  const newly = new Collector();
  const dropped = new Collector();
  const up = new Collector();
  const down = new Collector();
  const asOf = localDate(ctx.now());
  const draftSide = new Side(draft, draftMeasures, asOf);
  const publishedSide = new Side(published, publishedMeasures, asOf);
  const draftTotals = draftIds.map((id) => (perMeasure.get(id) as Compared).draft);
  const publishedTotals = publishedIds.map((id) => (perMeasure.get(id) as Compared).published);
  const addMeasures = (side: Side, totals: Totals[]) => {
    for (let i = 0; i < totals.length; i++) {
      const code = side.codes[i];
      const t = totals[i] as Totals;
      if (code === 1) {
        t.eligible++;
        if (!side.has[i]) continue;
        t.guaranteedFen += side.mins[i] as number;
        const hi = side.maxs[i] as number;
        if (hi === INF) t.maxUnbounded++;
        else t.maxFen += hi;
      } else if (code === 2) t.undetermined++;
    }
  };
  let enterprises = 0;
  const population = onProgress
    ? Number(
        (
          await ctx.db
            .selectFrom("enterprises")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirst()
        )?.n ?? 0,
      )
    : 0;
  onProgress?.(0, population);

  for await (const batch of allEnterpriseFacts(ctx.db)) {
    // Enterprises registered during the run are counted too: the total never falls behind what is done.
    onProgress?.(enterprises, Math.max(population, enterprises + batch.length));
    for (const e of batch) {
      enterprises++;
      const od = draftSide.run(e.facts);
      addMeasures(draftSide, draftTotals);
      const op = publishedSide.run(e.facts);
      addMeasures(publishedSide, publishedTotals);
      const size = typeof e.facts.size === "string" ? e.facts.size : deriveSizeClass(e.facts).size;
      const keys: [Map<string, Compared>, string][] = [
        [districts, e.regionCode],
        [industries, industrySection(e.industryCode)],
        [sizes, size ?? NO_SIZE],
      ];
      for (const [m, key] of keys) {
        const c = bucket(m, key);
        addOutcome(c.draft, od);
        addOutcome(c.published, op);
      }
      addOutcome(total.draft, od);
      addOutcome(total.published, op);

      if (!od.eligible && !op.eligible) continue;
      const change = (): EnterpriseChange => ({
        enterpriseId: e.id,
        name: e.name,
        district: regions.get(e.regionCode) ?? e.regionCode,
        published: op.eligible ? { min: op.min, max: op.max } : null,
        draft: od.eligible ? { min: od.min, max: od.max } : null,
      });
      if (od.eligible && !op.eligible) newly.add(change());
      else if (!od.eligible && op.eligible) dropped.add(change());
      else {
        const cmp = compareAmounts(od, op);
        if (cmp > 0) up.add(change());
        else if (cmp < 0) down.add(change());
      }
    }
  }

  onProgress?.(enterprises, Math.max(population, enterprises));

  const rows = (m: Map<string, Compared>, label: (k: string) => string, order?: string[]): BreakdownRow[] =>
    [...m.entries()]
      .map(([key, c]) => ({ key, label: label(key), ...c }))
      .sort((a, b) =>
        order
          ? order.indexOf(a.key) - order.indexOf(b.key)
          : b.draft.guaranteedFen +
              b.published.guaranteedFen -
              (a.draft.guaranteedFen + a.published.guaranteedFen) ||
            b.draft.eligible + b.published.eligible - (a.draft.eligible + a.published.eligible) ||
            a.key.localeCompare(b.key),
      );
  const sizeOrder: string[] = [...(Object.keys(SIZE_LABELS) as SizeClass[]), NO_SIZE];
  return {
    documentId,
    revision,
    asOf,
    enterprises,
    elapsedMs: Math.round(performance.now() - started),
    total,
    measures: ids.map((id) => ({
      measureId: id,
      title: titles.get(id) ?? id,
      inDraft: draftIds.includes(id),
      inPublished: publishedIds.includes(id),
      budgetFen: budgets.get(id) ?? null,
      ...(perMeasure.get(id) as Compared),
    })),
    byDistrict: rows(districts, (k) => regions.get(k) ?? k),
    byIndustry: rows(industries, (k) => k),
    bySize: rows(sizes, (k) => SIZE_LABELS[k as SizeClass] ?? k, sizeOrder),
    changes: {
      newlyEligible: newly.done(),
      noLongerEligible: dropped.done(),
      amountUp: up.done(),
      amountDown: down.done(),
    },
    costDifference: {
      guaranteedFen: total.draft.guaranteedFen - total.published.guaranteedFen,
      maxFen: total.draft.maxFen - total.published.maxFen,
    },
  };
}

/**
 * “专精特新”梯度培育 (武隆 5: 储备一批、培育一批、成长一批、壮大一批; 动态培育库): each enterprise's tier from its
 * certifications and facts, the candidates for the next tier ranked by how close they are, and the targets a
 * district's document sets against the actual counts by year.
 *
 * Tiers, lowest first: 储备 → 创新型中小企业 → 市级专精特新 → 国家级“小巨人” → 上市培育. A tier is held from the
 * date of its certification (the `certifications` list the imports' 资质认定名单 writes: innovativeSme, srdi,
 * littleGiant / littleGiantKeyCultivation) or, for 上市培育, from a listing (`listings`) or the year the
 * enterprise joined a listing reserve (`listingReserveYear`). Certificates' expiry is not judged: no text at
 * hand states it.
 *
 * Candidates: 储备 → 创新型 and 创新型 → 市级专精特新 are judged by the engine on the encoded national criteria
 * (packages/policies/ladder/, 工信部企业〔2022〕63号): outcome, and the gaps in plain Chinese with a distance
 * (engine gaps.ts). No official text of the 小巨人 criteria or of listing cultivation was found to quote, so those
 * candidates are ordered by one indicator the Wulong plan names (研发投入, 任务4 and 14; 营业收入 for listing, task
 * 19 names none) with the note that the official criteria decide — never a guessed threshold.
 */
import { compileRules, type Engine, type Facts, type MeasureGaps, measureGaps } from "@huiqi/engine";
import { LADDER_MEASURES, loadLadderLibrary } from "@huiqi/policies";
import type { Kysely, Transaction } from "kysely";
import type { Actor, AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import type { Database } from "../db/schema.ts";
import { factsFromRows, groupFactRows, loadFacts } from "../enterprises/facts-store.ts";
import { forbidden, invalid } from "../errors.ts";
import { authorize } from "../permissions.ts";

type Db = Kysely<Database> | Transaction<Database>;

export const TIERS = ["reserve", "innovativeSme", "srdi", "littleGiant", "listing"] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_LABELS: Record<Tier, string> = {
  reserve: "储备",
  innovativeSme: "创新型中小企业",
  srdi: "市级专精特新",
  littleGiant: "国家级“小巨人”",
  listing: "上市培育",
};

/** Which target of a district document counts which tier (packages/policies/documents/<doc>/document.yaml). */
export const TARGET_TIERS: Record<string, Tier> = {
  innovativeSme: "innovativeSme",
  srdiMunicipal: "srdi",
  littleGiantKeyCultivation: "littleGiant",
  listingKeyCultivation: "listing",
};

export const CRITERIA_NOTE =
  "认定以主管部门按现行认定标准的审核结果为准；本页按《优质中小企业梯度培育管理暂行办法》（工信部企业〔2022〕63号）附件所列标准测算，仅供培育参考。";

export const UNCODED_NOTE: Record<"littleGiant" | "listing", string> = {
  littleGiant:
    "国家级“小巨人”认定标准以工业和信息化部公布的为准，平台未编码其条件；按武隆行动计划提出的“加大研发投入”（任务4、14），以上年度研发费用占营业收入比重排序。",
  listing: "上市培育由主管部门遴选（武隆行动计划任务19），文件未列条件；以上年度营业收入排序，仅供参考。",
};

let cached: { engine: Engine; basis: string } | undefined;

/** The ladder's compiled criteria (loaded once from the folder; the same compileRules as the library). */
export function ladderEngine(): { engine: Engine; basis: string } {
  if (!cached) {
    const lib = loadLadderLibrary();
    const doc = lib.rules.documents[0];
    cached = { engine: compileRules(lib.rules), basis: `${doc?.title ?? ""}（${doc?.docNumber ?? ""}）` };
  }
  return cached;
}

interface CertLike {
  kind?: unknown;
  level?: unknown;
  date?: unknown;
}

function dated(list: unknown, pick: (c: CertLike) => boolean, until: string): string[] {
  if (!Array.isArray(list)) return [];
  return (list as CertLike[])
    .filter((c) => c && typeof c.date === "string" && c.date <= until && pick(c))
    .map((c) => c.date as string)
    .sort();
}

/** The dates (earliest first) since which the enterprise holds each tier, as of a date; reserve has none. */
export function tierDates(facts: Facts, asOf: string): Partial<Record<Tier, string>> {
  const certs = facts.certifications;
  const out: Partial<Record<Tier, string>> = {};
  const first = (xs: string[]) => xs[0];
  const innovative = first(dated(certs, (c) => c.kind === "innovativeSme", asOf));
  if (innovative) out.innovativeSme = innovative;
  const srdi = first(dated(certs, (c) => c.kind === "srdi", asOf));
  if (srdi) out.srdi = srdi;
  const giant = first(
    dated(certs, (c) => c.kind === "littleGiant" || c.kind === "littleGiantKeyCultivation", asOf),
  );
  if (giant) out.littleGiant = giant;
  const listed = dated(facts.listings, () => true, asOf);
  const reserveYear = facts.listingReserveYear;
  const reserve =
    typeof reserveYear === "number" && `${reserveYear}-01-01` <= asOf ? `${reserveYear}-01-01` : undefined;
  const listing = [...listed, ...(reserve ? [reserve] : [])].sort()[0];
  if (listing) out.listing = listing;
  return out;
}

/** The highest tier held as of a date, and since when. */
export function tierOf(facts: Facts, asOf: string): { tier: Tier; since: string | null } {
  const d = tierDates(facts, asOf);
  for (let i = TIERS.length - 1; i > 0; i--) {
    const t = TIERS[i] as Tier;
    if (d[t]) return { tier: t, since: d[t] ?? null };
  }
  return { tier: "reserve", since: null };
}

function nextTier(t: Tier): Tier | null {
  const i = TIERS.indexOf(t);
  return i < TIERS.length - 1 ? (TIERS[i + 1] as Tier) : null;
}

/** The district's enterprises with their facts: two queries, however many enterprises. */
async function districtFacts(db: Db, regionCode: string) {
  const es = await db
    .selectFrom("enterprises")
    .select(["id", "uscc", "name", "region_code", "industry_code"])
    .where("region_code", "=", regionCode)
    .orderBy("name")
    .orderBy("id")
    .execute();
  if (es.length === 0) return [];
  const rows = await db
    .selectFrom("enterprise_facts as f")
    .innerJoin("enterprises as e", "e.id", "f.enterprise_id")
    .select(["f.enterprise_id", "f.fact_id", "f.period", "f.value"])
    .where("e.region_code", "=", regionCode)
    .execute();
  const byEnterprise = groupFactRows(rows);
  return es.map((e) => ({ id: e.id, name: e.name, facts: factsFromRows(e, byEnterprise.get(e.id) ?? []) }));
}

export interface GapView {
  kind: "short" | "unmet" | "unknown";
  text: string;
}

export interface CandidateView {
  enterpriseId: string;
  enterpriseName: string;
  tier: Tier;
  tierLabel: string;
  nextTier: Tier;
  nextTierLabel: string;
  /** eligible: meets the encoded criteria; undetermined: facts missing; ineligible: short; unranked: no criteria. */
  status: "eligible" | "undetermined" | "ineligible" | "unranked";
  statusLabel: string;
  distance: number | null;
  gaps: GapView[];
  /** Facts still to be answered, in Chinese ("2025年研发费用（申报额）"). */
  missing: string[];
  indicator: { label: string; value: string } | null;
  basis: string | null;
}

const STATUS_LABELS: Record<CandidateView["status"], string> = {
  eligible: "已符合认定条件，可申报",
  undetermined: "资料不全，待补充",
  ineligible: "尚未达标",
  unranked: "按指标排序（以官方认定标准为准）",
};

function missingLabels(engine: Engine, keys: string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const [id, year] = key.split(":");
    const def = id ? engine.facts.get(id.replace(/\[.*$/, "")) : undefined;
    if (!def) continue;
    out.push(year ? `${year}年${def.label}` : def.label);
  }
  return [...new Set(out)];
}

function yuanText(v: number): string {
  return v >= 100_000_000
    ? `${(v / 100_000_000).toLocaleString("zh-CN", { maximumFractionDigits: 2 })}亿元`
    : `${(v / 10_000).toLocaleString("zh-CN", { maximumFractionDigits: 2 })}万元`;
}

function perYear(facts: Facts, id: string, year: number): number | undefined {
  const v = (facts[id] as Record<string, unknown> | undefined)?.[String(year)];
  return typeof v === "number" ? v : undefined;
}

/** One enterprise as a candidate for its next tier (null at the top). */
export function candidateFor(
  e: { id: string; name: string; facts: Facts },
  asOf: string,
): (CandidateView & { sortKey: number }) | null {
  const { tier } = tierOf(e.facts, asOf);
  const next = nextTier(tier);
  if (!next) return null;
  const base = {
    enterpriseId: e.id,
    enterpriseName: e.name,
    tier,
    tierLabel: TIER_LABELS[tier],
    nextTier: next,
    nextTierLabel: TIER_LABELS[next],
  };
  const year = Number(asOf.slice(0, 4)) - 1;
  if (next === "innovativeSme" || next === "srdi") {
    const { engine, basis } = ladderEngine();
    const measureId = next === "innovativeSme" ? LADDER_MEASURES.innovativeSme : LADDER_MEASURES.srdi;
    const g: MeasureGaps = measureGaps(engine, measureId, e.facts, asOf);
    const m = engine.byId.get(measureId);
    const missing =
      g.outcome === "undetermined" && m
        ? missingLabels(engine, engine.evaluateMeasure(m, e.facts, asOf).missing)
        : [];
    const rd = perYear(e.facts, "rdExpense", year);
    const rev = perYear(e.facts, "revenue", year);
    return {
      ...base,
      status: g.outcome,
      statusLabel: STATUS_LABELS[g.outcome],
      distance: g.distance,
      gaps: g.gaps.map((x) => ({ kind: x.kind, text: x.text })),
      missing,
      indicator:
        rd !== undefined && rev
          ? { label: `${year}年研发费用占营业收入比重`, value: `${((rd / rev) * 100).toFixed(2)}%` }
          : null,
      basis,
      // eligible first, then undetermined (by how much is missing), then short (by distance)
      sortKey:
        g.outcome === "eligible" ? 0 : g.outcome === "undetermined" ? 1000 + g.distance : 2000 + g.distance,
    };
  }
  const rd = perYear(e.facts, "rdExpense", year);
  const rev = perYear(e.facts, "revenue", year);
  const indicator =
    next === "littleGiant"
      ? rd !== undefined && rev
        ? {
            label: `${year}年研发费用占营业收入比重`,
            value: `${((rd / rev) * 100).toFixed(2)}%`,
            n: rd / rev,
          }
        : null
      : rev !== undefined
        ? { label: `${year}年营业收入`, value: yuanText(rev), n: rev / 1e12 }
        : null;
  return {
    ...base,
    status: "unranked",
    statusLabel: STATUS_LABELS.unranked,
    distance: null,
    gaps: [{ kind: "unknown", text: UNCODED_NOTE[next as "littleGiant" | "listing"] }],
    missing: indicator
      ? []
      : [next === "littleGiant" ? `${year}年研发费用（申报额）、营业收入` : `${year}年营业收入`],
    indicator: indicator ? { label: indicator.label, value: indicator.value } : null,
    basis: null,
    sortKey: 3000 + (indicator ? 1 - Math.min(indicator.n, 1) : 1),
  };
}

/** The district a staff actor may look at (policy admins pick one). */
function districtOf(ctx: AppContext, actor: Actor, requested: string | undefined): string {
  if (actor.role === "policyAdmin") {
    const code = requested ?? "500156";
    if (!ctx.engine.facts.get("regionCode")?.values?.some((v) => v.value === code))
      throw invalid("district", "不是重庆市的区县代码");
    return code;
  }
  if (!actor.regionCode) throw forbidden("您的账户没有所属区县");
  if (requested && requested !== actor.regionCode) throw forbidden("只能查看本区县的梯度培育情况");
  return actor.regionCode;
}

function regionName(ctx: AppContext, code: string): string {
  return ctx.engine.facts.get("regionCode")?.values?.find((v) => v.value === code)?.label ?? code;
}

export interface LadderView {
  district: string;
  districtName: string;
  asOf: string;
  criteriaNote: string;
  tiers: { tier: Tier; label: string; count: number }[];
  enterprises: { enterpriseId: string; name: string; tier: Tier; tierLabel: string; since: string | null }[];
  candidates: CandidateView[];
}

/** The district page: every enterprise's tier, tier counts, and candidates ranked per next tier. */
export async function districtLadder(ctx: AppContext, actor: Actor, requested?: string): Promise<LadderView> {
  authorize(actor, "ladder.read");
  const district = districtOf(ctx, actor, requested);
  const asOf = localDate(ctx.now());
  const es = await districtFacts(ctx.db, district);
  const enterprises = es.map((e) => {
    const t = tierOf(e.facts, asOf);
    return { enterpriseId: e.id, name: e.name, tier: t.tier, tierLabel: TIER_LABELS[t.tier], since: t.since };
  });
  const candidates = es
    .map((e) => candidateFor(e, asOf))
    .filter((c): c is CandidateView & { sortKey: number } => c !== null)
    .sort(
      (a, b) =>
        TIERS.indexOf(a.nextTier) - TIERS.indexOf(b.nextTier) ||
        a.sortKey - b.sortKey ||
        a.enterpriseName.localeCompare(b.enterpriseName, "zh-CN"),
    )
    .map(({ sortKey: _s, ...c }) => c);
  return {
    district,
    districtName: regionName(ctx, district),
    asOf,
    criteriaNote: CRITERIA_NOTE,
    tiers: TIERS.map((tier) => ({
      tier,
      label: TIER_LABELS[tier],
      count: enterprises.filter((e) => e.tier === tier).length,
    })),
    enterprises,
    candidates,
  };
}

export interface TargetView {
  id: string;
  tier: Tier;
  label: string;
  quote: string;
  year: number;
  value: number;
  unit: string;
  actual: { year: number; count: number }[];
  /** The count at the end of the target year (or today, before it). */
  reached: number;
}

export interface TargetsView {
  district: string;
  districtName: string;
  documents: { documentId: string; docNumber: string; title: string; targets: TargetView[] }[];
}

/** Enterprises holding a tier's certification (not the highest tier: a 小巨人 still counts as 创新型 if certified) by a date. */
export function countHolding(all: Facts[], tier: Tier, asOf: string): number {
  return all.filter((f) => tierDates(f, asOf)[tier] !== undefined).length;
}

/** Ladder targets of the district's documents (武隆: 200 / 15 / 1 / 1 by 2025) against actual counts by year. */
export async function districtTargets(
  ctx: AppContext,
  actor: Actor,
  requested?: string,
): Promise<TargetsView> {
  authorize(actor, "ladder.read");
  const district = districtOf(ctx, actor, requested);
  return targetsFor(ctx, district);
}

export async function targetsFor(ctx: AppContext, district: string): Promise<TargetsView> {
  const today = localDate(ctx.now());
  const thisYear = Number(today.slice(0, 4));
  const docs = ctx.library.rules.documents.filter(
    (d) => d.regionCode === district && (d.targets ?? []).some((t) => t.id in TARGET_TIERS),
  );
  const facts = docs.length ? (await districtFacts(ctx.db, district)).map((e) => e.facts) : [];
  return {
    district,
    districtName: regionName(ctx, district),
    documents: docs.map((d) => {
      const from = Number(d.validFrom.slice(0, 4));
      return {
        documentId: d.id,
        docNumber: d.docNumber,
        title: d.title,
        targets: (d.targets ?? [])
          .filter((t) => t.id in TARGET_TIERS)
          .map((t) => {
            const tier = TARGET_TIERS[t.id] as Tier;
            const last = Math.max(t.year, Math.min(thisYear, t.year + 1));
            const actual: { year: number; count: number }[] = [];
            for (let y = from; y <= last; y++) {
              const at = y < thisYear ? `${y}-12-31` : today;
              if (y > thisYear) break;
              actual.push({ year: y, count: countHolding(facts, tier, at) });
            }
            const target = actual.find((a) => a.year === t.year) ?? actual[actual.length - 1];
            return {
              id: t.id,
              tier,
              label: t.label,
              quote: t.quote,
              year: t.year,
              value: t.value,
              unit: t.unit,
              actual,
              reached: target?.count ?? 0,
            };
          }),
      };
    }),
  };
}

export interface MyLadder {
  tier: Tier;
  tierLabel: string;
  since: string | null;
  candidate: CandidateView | null;
  criteriaNote: string;
}

/** The enterprise's own tier and what it lacks for the next. */
export async function myLadder(ctx: AppContext, actor: Actor): Promise<MyLadder> {
  authorize(actor, "ladder.mine");
  if (!actor.enterpriseId) throw forbidden();
  const e = await ctx.db
    .selectFrom("enterprises")
    .select(["id", "name"])
    .where("id", "=", actor.enterpriseId)
    .executeTakeFirst();
  const facts = e ? await loadFacts(ctx.db, e.id) : undefined;
  if (!e || !facts) throw forbidden();
  const asOf = localDate(ctx.now());
  const t = tierOf(facts, asOf);
  const c = candidateFor({ id: e.id, name: e.name, facts }, asOf);
  const { sortKey: _s, ...candidate } = c ?? { sortKey: 0 };
  return {
    tier: t.tier,
    tierLabel: TIER_LABELS[t.tier],
    since: t.since,
    candidate: c ? (candidate as CandidateView) : null,
    criteriaNote: CRITERIA_NOTE,
  };
}

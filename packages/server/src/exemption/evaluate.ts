/**
 * 免申即享: one enterprise against one flagged measure, judged the way a confirmation will be — the whole
 * published library evaluated in full as of today (so 从高不重复 netting applies), the measure's result taken
 * from it, and the facts the decision rests on listed with their provenance (部门数据 file/row/import date,
 * 企业填报, 已核实, 登记信息, 平台兑现记录, 推算).
 *
 * Reading taken for one-time awards (一次性奖励): "此前未享受过本项" is decided from the platform's own grant
 * records (applications approved or further) plus any 已兑现奖补 the district imported, when the enterprise
 * has not declared its awards itself. The lead department confirming the grant is the check of its own
 * records; without this, no one-time measure (新升规奖励 …) could ever be granted without an application.
 */
import type { CompiledMeasure, Facts, FactValue, MeasureExplanation, MeasureResult } from "@huiqi/engine";
import { formatRange, formatYuanExact } from "@huiqi/engine";
import type { Kysely, Transaction } from "kysely";
import { collectAmount, collectCondition } from "../applications/evaluate-for-application.ts";
import { GRANTED_STATUSES } from "../applications/model.ts";
import type { AppContext } from "../context.ts";
import type { Database } from "../db/schema.ts";
import { factsFromRows } from "../enterprises/facts-store.ts";

type Db = Kysely<Database> | Transaction<Database>;

export interface Evidence {
  /** Fact key (`id` or `id:year`). */
  key: string;
  label: string;
  value: unknown;
  unit: string | null;
  source: "import" | "self" | "verified" | "registry" | "platform" | "derived";
  /** 部门数据 / 企业填报 / 已核实 / 登记信息 / 平台兑现记录 / 由其他事实推算. */
  sourceLabel: string;
  importFile: string | null;
  importRow: number | null;
  /** ISO time of the import (部门数据) or of the verification / last change. */
  at: string | null;
}

export interface Judgement {
  /** The measure's result after 从高不重复 (undefined: not evaluated, e.g. out of force). */
  result: MeasureResult | undefined;
  /** Exact amount in 分 when confirmable. */
  amountFen: number | null;
  /** Why it cannot be confirmed (Chinese), or null. */
  refusal: string | null;
  evidence: Evidence[];
  explanation?: MeasureExplanation;
  asOf: string;
  rulesVersion: string;
}

const SOURCE_LABELS: Record<Evidence["source"], string> = {
  import: "部门数据",
  self: "企业填报",
  verified: "已核实",
  registry: "登记信息",
  platform: "平台兑现记录",
  derived: "由其他事实推算",
};

const IDENTITY: Record<string, string> = {
  uscc: "uscc",
  name: "name",
  regionCode: "region_code",
  industryCode: "industry_code",
};

interface StoredRow {
  fact_id: string;
  period: string;
  value: unknown;
  source: string;
  updated_at: Date | string;
  import_file: string | null;
  import_row: number | null;
  imported_at: Date | string | null;
}

export interface Loaded {
  enterprise: { id: string; uscc: string; name: string; region_code: string; industry_code: string | null };
  facts: Facts;
  stored: Map<string, StoredRow>;
  /** awardsReceived was filled from the platform's grant records. */
  awardsFromPlatform: boolean;
}

/** Loads enterprises with their stored facts (provenance included) in two queries, plus platform grants. */
export async function loadForExemption(
  db: Db,
  enterpriseIds: readonly string[],
): Promise<Map<string, Loaded>> {
  const out = new Map<string, Loaded>();
  if (enterpriseIds.length === 0) return out;
  const ids = [...enterpriseIds];
  const es = await db
    .selectFrom("enterprises")
    .select(["id", "uscc", "name", "region_code", "industry_code"])
    .where("id", "in", ids)
    .execute();
  const rows = await db
    .selectFrom("enterprise_facts as f")
    .leftJoin("fact_imports as i", "i.id", "f.import_id")
    .select([
      "f.enterprise_id",
      "f.fact_id",
      "f.period",
      "f.value",
      "f.source",
      "f.updated_at",
      "f.import_file",
      "f.import_row",
      "i.imported_at",
    ])
    .where("f.enterprise_id", "in", ids)
    .orderBy("f.enterprise_id")
    .orderBy("f.fact_id")
    .orderBy("f.period")
    .execute();
  const grants = await db
    .selectFrom("applications")
    .select(["enterprise_id", "measure_id", "granted_fen", "created_at"])
    .where("enterprise_id", "in", ids)
    .where("status", "in", GRANTED_STATUSES)
    .execute();
  for (const e of es) {
    const mine = rows.filter((r) => r.enterprise_id === e.id);
    const facts = factsFromRows(
      e,
      mine.map((r) => ({ factId: r.fact_id, period: r.period, value: r.value })),
    );
    let awardsFromPlatform = false;
    if (facts.awardsReceived === undefined) {
      awardsFromPlatform = true;
      facts.awardsReceived = grants
        .filter((g) => g.enterprise_id === e.id)
        .map((g) => ({
          measureId: g.measure_id,
          year: new Date(g.created_at).getUTCFullYear(),
          ...(g.granted_fen === null ? {} : { amount: Number(g.granted_fen) / 100 }),
        }));
    }
    out.set(e.id, {
      enterprise: e,
      facts,
      stored: new Map(mine.map((r) => [`${r.fact_id}:${r.period}`, r])),
      awardsFromPlatform,
    });
  }
  return out;
}

function iso(v: Date | string | null): string | null {
  return v === null ? null : (v instanceof Date ? v : new Date(v)).toISOString();
}

function evidenceOf(l: Loaded, used: FactValue[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const f of used) {
    if (seen.has(f.key)) continue;
    seen.add(f.key);
    const [base = f.key, period = ""] = f.key.split(":");
    const id = base.replace(/[[.].*$/, "");
    const row = l.stored.get(`${id}:${period}`) ?? l.stored.get(`${id}:`);
    let source: Evidence["source"];
    if (row) source = row.source === "import" ? "import" : row.source === "verified" ? "verified" : "self";
    else if (id in IDENTITY) source = "registry";
    else if (id === "awardsReceived" && l.awardsFromPlatform) source = "platform";
    else source = "derived";
    out.push({
      key: f.key,
      label: f.label,
      value: f.value,
      unit: f.unit ?? null,
      source,
      sourceLabel: SOURCE_LABELS[source],
      importFile: row?.import_file ?? null,
      importRow: row?.import_row ?? null,
      at: row ? iso(row.source === "import" ? (row.imported_at ?? row.updated_at) : row.updated_at) : null,
    });
  }
  return out;
}

/** Why this result cannot become a 免申即享 grant; null when it can (amount exact and positive). */
export function refusalOf(ctx: AppContext, r: MeasureResult | undefined): string | null {
  if (!r) return "该措施今天不在执行期限内或已撤下，不能免申即享";
  if (r.outcome === "ineligible") return `按当前数据已不符合条件：${r.reason ?? "条件不满足"}`;
  if (r.outcome === "undetermined") {
    const labels = r.missing.map((k) => {
      const [id = k, year] = k.split(":");
      const label = ctx.engine.facts.get(id.replace(/[[.].*$/, ""))?.label ?? "其他事实";
      return year ? `${year}年${label}` : label;
    });
    return `尚缺事实（${[...new Set(labels)].join("、")}），结果待定，不能免申即享`;
  }
  const lost = r.stacking?.find((s) => s.decision === "notAdded");
  if (lost) {
    const other = lost.recommended ? ctx.engine.byId.get(lost.recommended)?.def.title : undefined;
    return `按从高不重复，本企业应享受${other ? `「${other}」` : "另一项较高的措施"}，本项不再叠加`;
  }
  if (!r.amount || r.amountUnstated) return "政策未写明金额，不能免申即享";
  if (r.amount.max === null || r.amount.min !== r.amount.max)
    return `金额未能确定（${formatRange(r.amount)}），请由企业按申报办理`;
  if (r.amount.min <= 0) return "测算金额为 0，不能免申即享";
  return null;
}

/** The judgement for one loaded enterprise (explanation only when asked: it is large). */
export function judge(
  ctx: AppContext,
  m: CompiledMeasure,
  l: Loaded,
  asOf: string,
  measures: readonly string[],
  explain = false,
): Judgement {
  const all = ctx.engine.evaluate(l.facts, { asOf, measures: [...measures] });
  const result = all.results.find((x) => x.measureId === m.def.id);
  const refusal = refusalOf(ctx, result);
  const ex = ctx.engine.explain(m.def.id, l.facts, asOf);
  const used: FactValue[] = [];
  collectCondition(ex.eligibility, used);
  collectAmount(ex.amount, used);
  return {
    result,
    amountFen: refusal === null ? (result?.amount?.min ?? null) : null,
    refusal,
    evidence: evidenceOf(l, used),
    ...(explain ? { explanation: ex } : {}),
    asOf,
    rulesVersion: ctx.engine.version,
  };
}

/** "200,000.00元": exact, two decimals (history, notifications, refusals). */
export const yuanText = (fen: number): string => formatYuanExact(fen);

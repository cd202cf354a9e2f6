/**
 * The quarterly implementation report (季度报告) the district 发展改革委 sends up: per lead department and
 * measure, what happened in a calendar quarter of Asia/Shanghai (UTC+8).
 *
 * Definitions (application_history gives when each status was reached):
 * - received (受理): applications first submitted within the quarter;
 * - inReview (审核中): applications whose status at the quarter's end was `submitted` (under review);
 * - approved / rejected / returned: applications that reached that status within the quarter (each
 *   application counted once per status, however often it was returned);
 * - grantedFen: granted amount of the applications approved within the quarter;
 * - paidFen: disbursements paid (settled) within the quarter;
 * - enterprisesBenefited: distinct enterprises with a disbursement paid within the quarter.
 * The department is the measure's lead department (牵头单位); the region is the enterprise's district.
 * Indicators (兑现率, 处理时长 in working days, 满意度) and budget execution: see indicators.ts.
 */
import { departmentName } from "@huiqi/policies";
import { sql } from "kysely";
import { GRANTED_STATUSES } from "../applications/model.ts";
import type { AppContext } from "../context.ts";
import { type ExemptionReportSection, exemptionReportSection } from "../exemption/report.ts";
import { type LadderReportSection, ladderReportSection } from "../services/ladder-report.ts";
import { type ServiceReportSection, serviceReportSection } from "../services/report.ts";
import {
  type BudgetLine,
  type DurationFact,
  type GrantFact,
  type Indicators,
  indicators,
  type RatingFact,
  ratio,
} from "./indicators.ts";
import { regionName } from "./regions.ts";

export interface ReportQuery {
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** Enterprise district; undefined = all districts. */
  regionCode?: string | undefined;
  /** Lead department code; undefined = all. */
  department?: string | undefined;
}

export interface ReportCounts {
  received: number;
  inReview: number;
  approved: number;
  rejected: number;
  returned: number;
  /** 分 */
  grantedFen: number;
  /** 分 */
  paidFen: number;
  enterprisesBenefited: number;
}

export interface MeasureLine extends ReportCounts {
  measureId: string;
  title: string;
  docNumber: string;
}

export interface DepartmentReport extends ReportCounts {
  department: string;
  departmentName: string;
  measures: MeasureLine[];
  indicators: Indicators;
}

export interface QuarterlyReport {
  year: number;
  quarter: number;
  /** First and last calendar day of the quarter (Asia/Shanghai). */
  from: string;
  to: string;
  timeZone: "Asia/Shanghai";
  regionCode: string | null;
  /** Chinese name of the district ("全部区县" when all). */
  regionName: string;
  department: string | null;
  departments: DepartmentReport[];
  totals: ReportCounts;
  /** Indicators over every department of the report. */
  overall: Indicators;
  /** Budget execution of the measures with a budget (of the report's district and department). */
  budgets: BudgetLine[];
  /** 企业吹哨·部门报到 (services/report.ts): per responsible department. */
  serviceRequests: ServiceReportSection;
  /** 免申即享 grants (exemption/report.ts): per lead department, counted separately. */
  exemption: ExemptionReportSection;
  /** “专精特新”梯度培育 (services/ladder-report.ts): tier counts against the district document's targets. */
  ladder: LadderReportSection;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** [start, end) of a quarter as instants, by the Asia/Shanghai calendar. */
export function quarterBounds(year: number, quarter: number): { start: Date; end: Date } {
  const start = new Date(Date.UTC(year, (quarter - 1) * 3, 1) - SHANGHAI_OFFSET_MS);
  const end = new Date(Date.UTC(year, quarter * 3, 1) - SHANGHAI_OFFSET_MS);
  return { start, end };
}

function emptyCounts(): ReportCounts {
  return {
    received: 0,
    inReview: 0,
    approved: 0,
    rejected: 0,
    returned: 0,
    grantedFen: 0,
    paidFen: 0,
    enterprisesBenefited: 0,
  };
}

function fen(v: string | number | null): number {
  if (v === null) return 0;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`金额 ${String(v)} 分超出安全整数范围`);
  return n;
}

function deptName(code: string): string {
  try {
    return departmentName(code) || code;
  } catch {
    return code;
  }
}

type CountKey = "received" | "inReview" | "approved" | "rejected" | "returned";

export async function quarterlyReport(ctx: AppContext, q: ReportQuery): Promise<QuarterlyReport> {
  const { start, end } = quarterBounds(q.year, q.quarter);
  const region = q.regionCode;
  const db = ctx.db;

  // Status events within the quarter.
  let events = db
    .selectFrom("application_history as h")
    .innerJoin("applications as a", "a.id", "h.application_id")
    .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
    .select(["h.application_id", "h.to_status", "a.measure_id", "a.granted_fen"])
    .where("h.at", ">=", start)
    .where("h.at", "<", end)
    .where("h.to_status", "in", ["approved", "rejected", "returned"]);
  if (region) events = events.where("e.region_code", "=", region);

  // First submission of each application, when it falls in the quarter.
  let firstSubmitted = db
    .selectFrom("application_history as h")
    .innerJoin("applications as a", "a.id", "h.application_id")
    .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
    .select(["h.application_id", "a.measure_id"])
    .where("h.to_status", "=", "submitted")
    .groupBy(["h.application_id", "a.measure_id"])
    .having((eb) => eb.fn.min("h.at"), ">=", start)
    .having((eb) => eb.fn.min("h.at"), "<", end);
  if (region) firstSubmitted = firstSubmitted.where("e.region_code", "=", region);

  // Status as of the quarter's end: the latest history row before it.
  let lastStatus = db
    .selectFrom("application_history as h")
    .innerJoin("applications as a", "a.id", "h.application_id")
    .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
    .distinctOn("h.application_id")
    .select(["h.application_id", "h.to_status", "a.measure_id"])
    .where("h.at", "<", end)
    .orderBy("h.application_id")
    .orderBy("h.at", "desc")
    .orderBy("h.id", "desc");
  if (region) lastStatus = lastStatus.where("e.region_code", "=", region);
  const latest = db.selectFrom(lastStatus.as("l")).selectAll().where("l.to_status", "=", "submitted");

  let paid = db
    .selectFrom("disbursements as d")
    .innerJoin("applications as a", "a.id", "d.application_id")
    .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
    .select(["d.amount_fen", "a.enterprise_id", "a.measure_id"])
    .where("d.status", "=", "paid")
    .where("d.settled_at", ">=", start)
    .where("d.settled_at", "<", end);
  if (region) paid = paid.where("e.region_code", "=", region);

  // Grants held as of the quarter's end, with what of them was paid by then (兑现率).
  let grants = db
    .selectFrom("applications as a")
    .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
    .leftJoin("disbursements as d", (j) =>
      j.onRef("d.application_id", "=", "a.id").on("d.status", "=", "paid").on("d.settled_at", "<", end),
    )
    .select(["a.id", "a.measure_id", "a.granted_fen", "d.amount_fen"])
    .where("a.status", "in", GRANTED_STATUSES)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("application_history as g")
          .select("g.id")
          .whereRef("g.application_id", "=", "a.id")
          .where("g.to_status", "=", "approved")
          .where("g.at", "<", end),
      ),
    );
  if (region) grants = grants.where("e.region_code", "=", region);

  // Final decisions within the quarter, with the first submission (处理时长).
  let decisions = db
    .selectFrom("application_history as h")
    .innerJoin("applications as a", "a.id", "h.application_id")
    .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
    .select((eb) => [
      "h.application_id",
      "a.measure_id",
      "h.at",
      eb
        .selectFrom("application_history as s")
        .select((e2) => e2.fn.min("s.at").as("first"))
        .whereRef("s.application_id", "=", "h.application_id")
        .where("s.to_status", "=", "submitted")
        .as("submitted_at"),
    ])
    .where("h.to_status", "in", ["approved", "rejected"])
    .where("h.at", ">=", start)
    .where("h.at", "<", end)
    .orderBy("h.at")
    .orderBy("h.id");
  if (region) decisions = decisions.where("e.region_code", "=", region);

  // Payments within the quarter, with the approval (approval → payment).
  let payments = db
    .selectFrom("disbursements as d")
    .innerJoin("applications as a", "a.id", "d.application_id")
    .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
    .select((eb) => [
      "a.measure_id",
      "d.settled_at",
      eb
        .selectFrom("application_history as s")
        .select((e2) => e2.fn.min("s.at").as("first"))
        .whereRef("s.application_id", "=", "a.id")
        .where("s.to_status", "=", "approved")
        .as("approved_at"),
    ])
    .where("d.status", "=", "paid")
    .where("d.settled_at", ">=", start)
    .where("d.settled_at", "<", end);
  if (region) payments = payments.where("e.region_code", "=", region);

  // Ratings given within the quarter (满意度).
  let ratings = db
    .selectFrom("application_ratings as r")
    .innerJoin("applications as a", "a.id", "r.application_id")
    .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
    .select(["a.measure_id", "r.score"])
    .where("r.created_at", ">=", start)
    .where("r.created_at", "<", end);
  if (region) ratings = ratings.where("e.region_code", "=", region);

  const [eventRows, submittedRows, latestRows, paidRows, grantRows, decisionRows, paymentRows, ratingRows] =
    await Promise.all([
      events.execute(),
      firstSubmitted.execute(),
      latest.execute(),
      paid.execute(),
      grants.execute(),
      decisions.execute(),
      payments.execute(),
      ratings.execute(),
    ]);
  const budgetRows = await budgetsOf(ctx, end);

  // Measure → department, title. The current rules first; measures no longer in force from the table.
  const measureIds = new Set<string>([
    ...eventRows.map((r) => r.measure_id),
    ...submittedRows.map((r) => r.measure_id),
    ...latestRows.map((r) => r.measure_id),
    ...paidRows.map((r) => r.measure_id),
    ...grantRows.map((r) => r.measure_id),
    ...decisionRows.map((r) => r.measure_id),
    ...paymentRows.map((r) => r.measure_id),
    ...ratingRows.map((r) => r.measure_id),
    ...budgetRows.map((r) => r.measureId),
  ]);
  const info = new Map<string, { department: string; title: string; docNumber: string; region: string }>();
  const unknown: string[] = [];
  for (const id of measureIds) {
    const m = ctx.engine.byId.get(id);
    if (m)
      info.set(id, {
        department: m.def.leadDepartment,
        title: m.def.title,
        docNumber: m.doc.docNumber,
        region: m.doc.regionCode,
      });
    else unknown.push(id);
  }
  if (unknown.length > 0) {
    const rows = await db
      .selectFrom("measures")
      .select(["id", "lead_department", "title", "doc_number", "region_code"])
      .where("id", "in", unknown)
      .orderBy(sql`id`)
      .execute();
    for (const r of rows)
      info.set(r.id, {
        department: r.lead_department,
        title: r.title,
        docNumber: r.doc_number,
        region: r.region_code,
      });
  }
  const infoOf = (id: string) =>
    info.get(id) ?? { department: "unknown", title: id, docNumber: "", region: "" };

  const lines = new Map<string, MeasureLine>();
  const benefited = new Map<string, Set<string>>();
  const line = (measureId: string): MeasureLine => {
    let l = lines.get(measureId);
    if (!l) {
      const i = infoOf(measureId);
      l = { measureId, title: i.title, docNumber: i.docNumber, ...emptyCounts() };
      lines.set(measureId, l);
    }
    return l;
  };
  const seen = new Set<string>();
  const countOnce = (key: CountKey, applicationId: string, measureId: string) => {
    const k = `${key}:${applicationId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    line(measureId)[key]++;
    return true;
  };

  for (const r of submittedRows) countOnce("received", r.application_id, r.measure_id);
  for (const r of latestRows)
    if (r.to_status === "submitted") countOnce("inReview", r.application_id, r.measure_id);
  for (const r of eventRows) {
    const key = r.to_status as CountKey;
    if (countOnce(key, r.application_id, r.measure_id) && key === "approved")
      line(r.measure_id).grantedFen += fen(r.granted_fen);
  }
  for (const r of paidRows) {
    line(r.measure_id).paidFen += fen(r.amount_fen);
    const s = benefited.get(r.measure_id) ?? new Set<string>();
    s.add(r.enterprise_id);
    benefited.set(r.measure_id, s);
  }
  for (const [id, s] of benefited) line(id).enterprisesBenefited = s.size;

  const grantFacts: GrantFact[] = grantRows.map((r) => ({
    applicationId: r.id,
    measureId: r.measure_id,
    grantedFen: fen(r.granted_fen),
    paidFen: fen(r.amount_fen ?? null),
  }));
  const decided = new Set<string>();
  const decisionFacts: DurationFact[] = [];
  for (const r of decisionRows) {
    if (decided.has(r.application_id) || r.submitted_at === null) continue;
    decided.add(r.application_id);
    decisionFacts.push({ measureId: r.measure_id, from: new Date(r.submitted_at), to: new Date(r.at) });
  }
  const paymentFacts: DurationFact[] = [];
  for (const r of paymentRows)
    if (r.approved_at !== null && r.settled_at !== null)
      paymentFacts.push({
        measureId: r.measure_id,
        from: new Date(r.approved_at),
        to: new Date(r.settled_at),
      });
  const ratingFacts: RatingFact[] = ratingRows.map((r) => ({
    measureId: r.measure_id,
    score: Number(r.score),
  }));
  for (const f of [...grantFacts, ...decisionFacts, ...paymentFacts, ...ratingFacts]) line(f.measureId);
  const inDepartment = (dept: string) => (f: { measureId: string }) =>
    infoOf(f.measureId).department === dept;
  const inScope = (f: { measureId: string }) =>
    !q.department || infoOf(f.measureId).department === q.department;
  const indicatorsOf = (keep: (f: { measureId: string }) => boolean) =>
    indicators(
      grantFacts.filter(keep),
      decisionFacts.filter(keep),
      paymentFacts.filter(keep),
      ratingFacts.filter(keep),
    );

  const byDept = new Map<string, DepartmentReport>();
  const deptEnterprises = new Map<string, Set<string>>();
  for (const l of [...lines.values()].sort((a, b) => a.measureId.localeCompare(b.measureId))) {
    const department = infoOf(l.measureId).department;
    if (q.department && department !== q.department) continue;
    let d = byDept.get(department);
    if (!d) {
      d = {
        department,
        departmentName: deptName(department),
        ...emptyCounts(),
        measures: [],
        indicators: indicatorsOf(inDepartment(department)),
      };
      byDept.set(department, d);
      deptEnterprises.set(department, new Set());
    }
    d.measures.push(l);
    for (const k of [
      "received",
      "inReview",
      "approved",
      "rejected",
      "returned",
      "grantedFen",
      "paidFen",
    ] as const)
      d[k] += l[k];
    for (const e of benefited.get(l.measureId) ?? []) deptEnterprises.get(department)?.add(e);
  }
  const totals = emptyCounts();
  const allEnterprises = new Set<string>();
  for (const [code, d] of byDept) {
    d.enterprisesBenefited = deptEnterprises.get(code)?.size ?? 0;
    for (const e of deptEnterprises.get(code) ?? []) allEnterprises.add(e);
    for (const k of [
      "received",
      "inReview",
      "approved",
      "rejected",
      "returned",
      "grantedFen",
      "paidFen",
    ] as const)
      totals[k] += d[k];
  }
  totals.enterprisesBenefited = allEnterprises.size;

  const budgets: BudgetLine[] = budgetRows
    .filter((b) => {
      const i = infoOf(b.measureId);
      return (!region || i.region === region) && (!q.department || i.department === q.department);
    })
    .map((b) => {
      const i = infoOf(b.measureId);
      return {
        measureId: b.measureId,
        title: i.title,
        department: i.department,
        departmentName: deptName(i.department),
        budgetFen: b.budgetFen,
        approvedFen: b.approvedFen,
        paidFen: b.paidFen,
        approvedRate: ratio(b.approvedFen, b.budgetFen),
        paidRate: ratio(b.paidFen, b.budgetFen),
      };
    })
    .sort((a, b) => a.measureId.localeCompare(b.measureId));

  const lastDay = new Date(end.getTime() + SHANGHAI_OFFSET_MS - 86_400_000).toISOString().slice(0, 10);
  return {
    year: q.year,
    quarter: q.quarter,
    from: new Date(start.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10),
    to: lastDay,
    timeZone: "Asia/Shanghai",
    regionCode: region ?? null,
    regionName: region ? regionName(ctx, region) : "全部区县",
    department: q.department ?? null,
    departments: [...byDept.values()].sort((a, b) => a.department.localeCompare(b.department)),
    totals,
    overall: indicatorsOf(inScope),
    budgets,
    serviceRequests: await serviceReportSection(ctx, start, end, region, q.department),
    exemption: await exemptionReportSection(ctx, start, end, region, q.department),
    ladder: await ladderReportSection(ctx, end, region),
  };
}

/**
 * Every measure with a budget, and against it (all districts: the budget is the measure's whole budget)
 * the grants held and the payments settled as of `end`.
 */
async function budgetsOf(
  ctx: AppContext,
  end: Date,
): Promise<{ measureId: string; budgetFen: number; approvedFen: number; paidFen: number }[]> {
  const rows = await ctx.db
    .selectFrom("measure_budgets as b")
    .select((eb) => [
      "b.measure_id",
      "b.budget_fen",
      eb
        .selectFrom("applications as a")
        .select(sql<string>`coalesce(sum(a.granted_fen), 0)::text`.as("v"))
        .whereRef("a.measure_id", "=", "b.measure_id")
        .where("a.status", "in", GRANTED_STATUSES)
        .where((e2) =>
          e2.exists(
            e2
              .selectFrom("application_history as g")
              .select("g.id")
              .whereRef("g.application_id", "=", "a.id")
              .where("g.to_status", "=", "approved")
              .where("g.at", "<", end),
          ),
        )
        .as("approved"),
      eb
        .selectFrom("disbursements as d")
        .innerJoin("applications as a", "a.id", "d.application_id")
        .select(sql<string>`coalesce(sum(d.amount_fen), 0)::text`.as("v"))
        .whereRef("a.measure_id", "=", "b.measure_id")
        .where("d.status", "=", "paid")
        .where("d.settled_at", "<", end)
        .as("paid"),
    ])
    .orderBy("b.measure_id")
    .execute();
  return rows.map((r) => ({
    measureId: r.measure_id,
    budgetFen: fen(r.budget_fen),
    approvedFen: fen(r.approved),
    paidFen: fen(r.paid),
  }));
}

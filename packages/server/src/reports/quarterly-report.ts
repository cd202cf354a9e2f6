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
 */
import { departmentName } from "@huiqi/policies";
import { sql } from "kysely";
import type { AppContext } from "../context.ts";

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
}

export interface QuarterlyReport {
  year: number;
  quarter: number;
  /** First and last calendar day of the quarter (Asia/Shanghai). */
  from: string;
  to: string;
  timeZone: "Asia/Shanghai";
  regionCode: string | null;
  department: string | null;
  departments: DepartmentReport[];
  totals: ReportCounts;
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

  const [eventRows, submittedRows, latestRows, paidRows] = await Promise.all([
    events.execute(),
    firstSubmitted.execute(),
    latest.execute(),
    paid.execute(),
  ]);

  // Measure → department, title. The current rules first; measures no longer in force from the table.
  const measureIds = new Set<string>([
    ...eventRows.map((r) => r.measure_id),
    ...submittedRows.map((r) => r.measure_id),
    ...latestRows.map((r) => r.measure_id),
    ...paidRows.map((r) => r.measure_id),
  ]);
  const info = new Map<string, { department: string; title: string; docNumber: string }>();
  const unknown: string[] = [];
  for (const id of measureIds) {
    const m = ctx.engine.byId.get(id);
    if (m) info.set(id, { department: m.def.leadDepartment, title: m.def.title, docNumber: m.doc.docNumber });
    else unknown.push(id);
  }
  if (unknown.length > 0) {
    const rows = await db
      .selectFrom("measures")
      .select(["id", "lead_department", "title", "doc_number"])
      .where("id", "in", unknown)
      .orderBy(sql`id`)
      .execute();
    for (const r of rows)
      info.set(r.id, { department: r.lead_department, title: r.title, docNumber: r.doc_number });
  }
  const infoOf = (id: string) => info.get(id) ?? { department: "unknown", title: id, docNumber: "" };

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

  const byDept = new Map<string, DepartmentReport>();
  const deptEnterprises = new Map<string, Set<string>>();
  for (const l of [...lines.values()].sort((a, b) => a.measureId.localeCompare(b.measureId))) {
    const department = infoOf(l.measureId).department;
    if (q.department && department !== q.department) continue;
    let d = byDept.get(department);
    if (!d) {
      d = { department, departmentName: deptName(department), ...emptyCounts(), measures: [] };
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

  const lastDay = new Date(end.getTime() + SHANGHAI_OFFSET_MS - 86_400_000).toISOString().slice(0, 10);
  return {
    year: q.year,
    quarter: q.quarter,
    from: new Date(start.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10),
    to: lastDay,
    timeZone: "Asia/Shanghai",
    regionCode: region ?? null,
    department: q.department ?? null,
    departments: [...byDept.values()].sort((a, b) => a.department.localeCompare(b.department)),
    totals,
  };
}

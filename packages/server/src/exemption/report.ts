/**
 * 免申即享 in the quarterly report: per lead department, the grants confirmed within the quarter (number and
 * granted amount, 分) and what of all 免申即享 grants was paid within it. They are also counted among the
 * ordinary approvals (approved, grantedFen); this section shows them separately.
 */
import { departmentName } from "@huiqi/policies";
import type { AppContext } from "../context.ts";

export interface ExemptionDepartmentLine {
  department: string;
  departmentName: string;
  grants: number;
  grantedFen: number;
  paidFen: number;
}

export interface ExemptionReportSection {
  departments: ExemptionDepartmentLine[];
  totals: { grants: number; grantedFen: number; paidFen: number };
}

function deptName(code: string): string {
  try {
    return departmentName(code) || code;
  } catch {
    return code;
  }
}

export async function exemptionReportSection(
  ctx: AppContext,
  start: Date,
  end: Date,
  region: string | undefined,
  department: string | undefined,
): Promise<ExemptionReportSection> {
  let granted = ctx.db
    .selectFrom("applications as a")
    .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
    .select(["a.measure_id", "a.granted_fen"])
    .where("a.channel", "=", "exemption")
    .where("a.created_at", ">=", start)
    .where("a.created_at", "<", end);
  if (region) granted = granted.where("e.region_code", "=", region);
  let paid = ctx.db
    .selectFrom("disbursements as d")
    .innerJoin("applications as a", "a.id", "d.application_id")
    .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
    .select(["a.measure_id", "d.amount_fen"])
    .where("a.channel", "=", "exemption")
    .where("d.status", "=", "paid")
    .where("d.settled_at", ">=", start)
    .where("d.settled_at", "<", end);
  if (region) paid = paid.where("e.region_code", "=", region);
  const [grantRows, paidRows] = await Promise.all([granted.execute(), paid.execute()]);
  const lead = async (measureId: string): Promise<string> => {
    const m = ctx.engine.byId.get(measureId);
    if (m) return m.def.leadDepartment;
    const r = await ctx.db
      .selectFrom("measures")
      .select("lead_department")
      .where("id", "=", measureId)
      .limit(1)
      .executeTakeFirst();
    return r?.lead_department ?? "unknown";
  };
  const lines = new Map<string, ExemptionDepartmentLine>();
  const line = (code: string) => {
    let l = lines.get(code);
    if (!l) {
      l = { department: code, departmentName: deptName(code), grants: 0, grantedFen: 0, paidFen: 0 };
      lines.set(code, l);
    }
    return l;
  };
  for (const r of grantRows) {
    const code = await lead(r.measure_id);
    if (department && code !== department) continue;
    const l = line(code);
    l.grants++;
    l.grantedFen += Number(r.granted_fen ?? 0);
  }
  for (const r of paidRows) {
    const code = await lead(r.measure_id);
    if (department && code !== department) continue;
    line(code).paidFen += Number(r.amount_fen);
  }
  const departments = [...lines.values()].sort((a, b) => a.department.localeCompare(b.department));
  return {
    departments,
    totals: {
      grants: departments.reduce((s, d) => s + d.grants, 0),
      grantedFen: departments.reduce((s, d) => s + d.grantedFen, 0),
      paidFen: departments.reduce((s, d) => s + d.paidFen, 0),
    },
  };
}

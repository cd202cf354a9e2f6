/**
 * The quarterly report's 企业吹哨 section, per responsible department of the district (or all districts):
 * - received: requests raised within the quarter (Asia/Shanghai);
 * - acceptedInTime: of those, accepted on or before their 报到 due date (working days);
 * - closed: requests the enterprise confirmed closed within the quarter;
 * - escalated: requests raised within the quarter that were escalated (超时升级) for any stage;
 * - averageScore: mean 满意度 (1–5) of the ratings given within the quarter, null when none; ratings counted.
 * The department filter, when given, keeps that department's line only.
 */
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { departmentLabel } from "./service.ts";

export interface ServiceCounts {
  received: number;
  acceptedInTime: number;
  closed: number;
  escalated: number;
  ratings: number;
  averageScore: number | null;
}

export interface ServiceReportLine extends ServiceCounts {
  department: string;
  departmentName: string;
}

export interface ServiceReportSection {
  departments: ServiceReportLine[];
  totals: ServiceCounts;
}

const CountsSchema = {
  received: z.number().int().meta({ description: "本季度受理的诉求数" }),
  acceptedInTime: z.number().int().meta({ description: "其中在报到时限内受理的" }),
  closed: z.number().int().meta({ description: "本季度办结（企业确认）的" }),
  escalated: z.number().int().meta({ description: "本季度受理的诉求中超时升级的" }),
  ratings: z.number().int().meta({ description: "本季度的评价数" }),
  averageScore: z.number().nullable().meta({ description: "平均满意度（1～5），无评价时为空" }),
};

export const ServiceReportSchema = z
  .object({
    departments: z.array(z.object({ department: z.string(), departmentName: z.string(), ...CountsSchema })),
    totals: z.object(CountsSchema),
  })
  .meta({ description: "企业吹哨·部门报到：按负责部门统计诉求受理、按时报到、办结、超时升级和满意度" });

const empty = (): ServiceCounts & { scoreSum: number } => ({
  received: 0,
  acceptedInTime: 0,
  closed: 0,
  escalated: 0,
  ratings: 0,
  averageScore: null,
  scoreSum: 0,
});

export async function serviceReportSection(
  ctx: AppContext,
  start: Date,
  end: Date,
  regionCode: string | undefined,
  department: string | undefined,
): Promise<ServiceReportSection> {
  let q = ctx.db
    .selectFrom("service_requests")
    .select([
      "department",
      "created_at",
      "accepted_at",
      "accepted_late",
      "closed_at",
      "escalated_at",
      "rating_score",
      "rated_at",
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb("created_at", ">=", start), eb("created_at", "<", end)]),
        eb.and([eb("closed_at", ">=", start), eb("closed_at", "<", end)]),
        eb.and([eb("rated_at", ">=", start), eb("rated_at", "<", end)]),
      ]),
    );
  if (regionCode) q = q.where("region_code", "=", regionCode);
  if (department) q = q.where("department", "=", department);
  const within = (d: Date | null) => d !== null && new Date(d) >= start && new Date(d) < end;
  const by = new Map<string, ReturnType<typeof empty>>();
  const total = empty();
  for (const r of await q.execute()) {
    const line = by.get(r.department) ?? empty();
    by.set(r.department, line);
    for (const c of [line, total]) {
      if (within(r.created_at)) {
        c.received++;
        if (r.accepted_at !== null && r.accepted_late === false) c.acceptedInTime++;
        if (r.escalated_at !== null) c.escalated++;
      }
      if (within(r.closed_at)) c.closed++;
      if (r.rating_score !== null && within(r.rated_at)) {
        c.ratings++;
        c.scoreSum += Number(r.rating_score);
      }
    }
  }
  const done = ({ scoreSum, ...c }: ReturnType<typeof empty>): ServiceCounts => ({
    ...c,
    averageScore: c.ratings > 0 ? Math.round((scoreSum / c.ratings) * 100) / 100 : null,
  });
  return {
    departments: [...by.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, c]) => ({ department: code, departmentName: departmentLabel(code), ...done(c) })),
    totals: done(total),
  };
}

/** Quarterly report: coordinators see their district, policy admins any district or all. */
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { Actor, AppContext } from "../context.ts";
import { forbidden } from "../errors.ts";
import { errorResponses, Text } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { LadderReportSchema } from "../services/ladder-report.ts";
import { ServiceReportSchema } from "../services/report.ts";
import { quarterlyReport, type ReportQuery } from "./quarterly-report.ts";
import { reportWorkbook, XLSX_TYPE } from "./xlsx.ts";

const Query = z.object({
  year: z.coerce
    .number({ error: "应为年份，如 2026" })
    .int({ error: "应为整数年份" })
    .min(2000, { error: "年份不早于 2000" })
    .max(2100, { error: "年份不晚于 2100" }),
  quarter: z.coerce
    .number({ error: "应为季度 1～4" })
    .int({ error: "应为季度 1～4" })
    .min(1, { error: "应为季度 1～4" })
    .max(4, { error: "应为季度 1～4" }),
  department: Text(40, { tooLong: "应为部门代码，如 economy-it" })
    .regex(/^[a-z-]{2,40}$/, { error: "应为部门代码，如 economy-it" })
    .optional()
    .meta({ description: "牵头单位代码，缺省为全部" }),
  regionCode: Text(6, { tooLong: "应为 6 位行政区划代码" })
    .regex(/^\d{6}$/, { error: "应为 6 位行政区划代码" })
    .optional()
    .meta({ description: "仅政策管理员可用：区县代码，缺省为全部；区发展改革委固定为本区" }),
});

const Counts = {
  received: z.number().int().meta({ description: "本季度首次提交的申报（件）" }),
  inReview: z.number().int().meta({ description: "季度末仍在审核中（件）" }),
  approved: z.number().int(),
  rejected: z.number().int(),
  returned: z.number().int(),
  grantedFen: z.number().int().meta({ description: "核定金额（分）" }),
  paidFen: z.number().int().meta({ description: "兑付到账金额（分）" }),
  enterprisesBenefited: z.number().int().meta({ description: "兑付到账的企业（去重）" }),
};

const Durations = z.object({
  count: z.number().int().meta({ description: "计入的申报（件）" }),
  averageDays: z.number().nullable().meta({ description: "平均（工作日，一位小数）；无数据为 null" }),
  p90Days: z.number().int().nullable().meta({ description: "第 90 百分位（工作日，最近秩）" }),
});

const Indicators = z.object({
  fulfilment: z
    .object({
      approvedCount: z.number().int(),
      paidCount: z.number().int(),
      approvedFen: z.number().int().meta({ description: "截至季度末累计核定金额（分）" }),
      paidFen: z.number().int().meta({ description: "其中截至季度末已兑付到账（分）" }),
      amountRate: z.number().nullable().meta({ description: "按金额的兑现率（0～1）" }),
      countRate: z.number().nullable().meta({ description: "按件数的兑现率（0～1）" }),
    })
    .meta({ description: "兑现率：截至季度末累计，已兑付 ÷ 已核定" }),
  processing: Durations.meta({
    description: "处理时长：首次提交 → 审批通过或不予通过（本季度作出决定的申报）",
  }),
  payment: Durations.meta({ description: "兑付时长：审批通过 → 兑付到账（本季度到账的兑付）" }),
  satisfaction: z
    .object({
      count: z.number().int(),
      average: z.number().nullable().meta({ description: "平均分（1～5，两位小数）" }),
    })
    .meta({ description: "满意度：本季度收到的评价" }),
});

const BudgetLine = z.object({
  measureId: z.string(),
  title: z.string(),
  department: z.string(),
  departmentName: z.string(),
  budgetFen: z.number().int().meta({ description: "预算（分）" }),
  approvedFen: z.number().int().meta({ description: "截至季度末累计核定（分）" }),
  paidFen: z.number().int().meta({ description: "截至季度末累计兑付（分）" }),
  approvedRate: z.number().nullable(),
  paidRate: z.number().nullable(),
});

const Report = z.object({
  year: z.number().int(),
  quarter: z.number().int(),
  from: z.string(),
  to: z.string(),
  timeZone: z.literal("Asia/Shanghai"),
  regionCode: z.string().nullable(),
  regionName: z.string().meta({ description: "区县名称" }),
  department: z.string().nullable(),
  departments: z.array(
    z.object({
      department: z.string(),
      departmentName: z.string(),
      ...Counts,
      measures: z.array(
        z.object({ measureId: z.string(), title: z.string(), docNumber: z.string(), ...Counts }),
      ),
      indicators: Indicators,
    }),
  ),
  totals: z.object(Counts),
  overall: Indicators,
  budgets: z.array(BudgetLine).meta({ description: "预算执行：设有预算的措施" }),
  serviceRequests: ServiceReportSchema,
  ladder: LadderReportSchema,
  exemption: z
    .object({
      departments: z.array(
        z.object({
          department: z.string(),
          departmentName: z.string(),
          grants: z.number(),
          grantedFen: z.number(),
          paidFen: z.number(),
        }),
      ),
      totals: z.object({ grants: z.number(), grantedFen: z.number(), paidFen: z.number() }),
    })
    .meta({ description: "免申即享：按牵头单位的兑现件数、核定金额（分）与本季度兑付金额（分），另计" }),
});

function scope(actor: Actor, q: z.infer<typeof Query>): ReportQuery {
  authorize(actor, "report.read");
  let regionCode = q.regionCode;
  if (actor.role === "coordinator") {
    if (!actor.regionCode) throw forbidden("该账户未关联区县");
    if (regionCode && regionCode !== actor.regionCode) throw forbidden("只能查看本区县的报告");
    regionCode = actor.regionCode;
  }
  return {
    year: q.year,
    quarter: q.quarter as 1 | 2 | 3 | 4,
    regionCode,
    department: q.department,
  };
}

export async function registerReportRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/reports/quarterly",
    {
      config: { action: "report.read" },
      schema: {
        tags: ["季度报告"],
        summary:
          "季度落实情况报告：按牵头单位和措施统计受理、审核、通过、退回、核定与兑付金额、受益企业；兑现率、处理时长（工作日）、满意度、预算执行",
        querystring: Query,
        response: { 200: Report, ...errorResponses },
      },
    },
    async (req) => quarterlyReport(ctx, scope(requireActor(req), req.query)),
  );

  app.get(
    "/api/reports/quarterly.xlsx",
    {
      config: { action: "report.read" },
      schema: {
        tags: ["季度报告"],
        summary: "季度报告 Excel 下载（金额单位：元）",
        querystring: Query,
        produces: [XLSX_TYPE],
        response: {
          200: z.any().meta({ description: "xlsx 文件" }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const q = scope(requireActor(req), req.query);
      const report = await quarterlyReport(ctx, q);
      const buf = await reportWorkbook(report);
      const name = `季度报告-${q.year}Q${q.quarter}-${report.regionName}.xlsx`;
      return reply
        .header("content-type", XLSX_TYPE)
        .header(
          "content-disposition",
          `attachment; filename="report-${q.year}Q${q.quarter}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .send(buf);
    },
  );
}

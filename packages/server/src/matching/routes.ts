/** Matching: the engine run on the stored profile as of a date (政策计算器). */
import { type AmountRange, formatRange, isIsoDate } from "@huiqi/engine";
import { departmentName } from "@huiqi/policies";
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { auditRead, enterpriseInScope } from "../enterprises/access.ts";
import { loadFacts } from "../enterprises/facts-store.ts";
import { notFound } from "../errors.ts";
import { errorResponses, IdParam, Text } from "../http/schemas.ts";
import { publishedMeasureIds } from "../policies/publication.ts";
import type { TypedApp } from "../routes.ts";

const Amount = z
  .object({
    min: z.number().meta({ description: "分（整数）" }),
    max: z.number().nullable().meta({ description: "分（整数）；null 表示无上限或取决于未答事项" }),
    text: z.string().meta({ description: "中文金额，如“20万元”“最高50万元”" }),
  })
  .meta({ description: "金额区间，单位分" });

const MissingFact = z.object({
  fact: z.string().meta({ description: "事实键：id 或 id:年份，如 rdExpense:2020" }),
  label: z.string().meta({ description: "中文名称，如“2020年研发费用”" }),
});

const StackingNote = z.object({
  groupId: z.string(),
  decision: z
    .enum(["recommended", "notAdded", "pending", "reduced"])
    .meta({ description: "reduced：部分项目已按更高标准的措施计算，本项只计其余项目" }),
  recommended: z.string().optional(),
  subject: z.string().optional().meta({ description: "按同一项目（证书、贷款）比较时：项目键" }),
  reason: z.string(),
});

const MeasureMatch = z.object({
  measureId: z.string(),
  documentId: z.string(),
  docNumber: z.string(),
  title: z.string(),
  benefitType: z.string(),
  monetary: z.boolean(),
  outcome: z.enum(["eligible", "ineligible", "undetermined"]),
  amount: Amount.nullable(),
  amountUnstated: z
    .literal(true)
    .optional()
    .meta({ description: "文件写明给予资金支持但未写金额：金额以申报通知为准，不计入合计" }),
  amountBeforeNetting: Amount.optional().meta({ description: "同一项目不重复享受、扣减前的金额" }),
  missing: z.array(MissingFact),
  reason: z.string().optional().meta({ description: "不符合时第一条不满足的要求" }),
  validFrom: z.string(),
  validUntil: z.string().optional(),
  leadDepartment: z.string(),
  leadDepartmentName: z.string(),
  coDepartments: z.array(z.string()),
  contact: z.object({ name: z.string().optional(), hotline: z.string().optional() }).optional(),
  stacking: z.array(StackingNote).optional(),
  explanation: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: "explain=true 时：每个条件的实际值、要求值与原文，每个金额节点的算式" }),
});

const MatchBody = z.object({
  enterpriseId: z.string(),
  asOf: z.string(),
  rulesVersion: z.string().meta({ description: "政策数据版本（sha256 前 16 位）" }),
  results: z.array(MeasureMatch),
  stacking: z.array(
    z.object({
      groupId: z.string(),
      title: z.string(),
      document: z.string(),
      quote: z.string(),
      reading: z.string(),
      subject: z.string().optional(),
      subjectLabel: z.string().optional().meta({ description: "按同一项目比较时：项目的中文名" }),
      recommended: z.string(),
      notAdded: z.array(z.string()),
      pending: z.array(z.string()),
      reason: z.string(),
    }),
  ),
  questions: z.array(
    z.object({
      fact: z.string(),
      factId: z.string(),
      year: z.number().optional(),
      label: z.string(),
      question: z.string(),
      moneyAtStake: z.number().nullable().meta({ description: "分；null 表示无上限" }),
      moneyAtStakeText: z.string(),
      measures: z.array(z.string()),
    }),
  ),
  totals: z.object({
    eligible: Amount,
    potentialMax: z.number().nullable(),
    potentialMaxText: z.string(),
  }),
});

function amount(r: AmountRange) {
  return { min: r.min, max: r.max, text: formatRange(r) };
}

export async function registerMatchingRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/enterprises/:id/matches",
    {
      config: { action: "match.read" },
      schema: {
        tags: ["智能匹配"],
        summary: "智能匹配：按测算日对企业画像运行规则引擎（结果、金额、缺失事实、从高不重复、待答问题）",
        description:
          "金额以整数“分”给出并附中文金额。asOf 缺省为重庆当日（UTC+8）。部门人员的查询记入审计（enterprise.read）。",
        params: IdParam,
        querystring: z.object({
          asOf: Text(10, { tooLong: "测算日 asOf 应为真实存在的日期，格式 YYYY-MM-DD" })
            .refine(isIsoDate, { error: "测算日 asOf 应为真实存在的日期，格式 YYYY-MM-DD" })
            .optional()
            .meta({ description: "测算日 YYYY-MM-DD" }),
          explain: z
            .enum(["true", "false"], { error: "explain 应为 true 或 false" })
            .optional()
            .meta({ description: "true 时附带每项措施的解释树" }),
          outcome: z
            .enum(["eligible", "ineligible", "undetermined"], {
              error: "outcome 应为 eligible、ineligible 或 undetermined",
            })
            .optional()
            .meta({ description: "只返回该结论的措施（合计与问题仍按全部措施）" }),
          measure: Text(100, { tooLong: "measure 过长" })
            .min(3, { error: "measure 应为措施编号，如 banan-2022-63/3" })
            .max(100, { error: "measure 过长" })
            .optional()
            .meta({
              description:
                "只返回这一项措施（解释树也只算这一项；合计、从高不重复与问题仍按全部措施）。不存在的编号返回 404",
            }),
        }),
        response: { 200: MatchBody, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const e = await enterpriseInScope(ctx, actor, "match.read", req.params.id);
      const facts = await loadFacts(ctx.db, e.id);
      if (!facts) throw notFound("企业");
      const asOf = req.query.asOf ?? localDate(ctx.now());
      const explain = req.query.explain === "true";
      // Unpublished measures (policy admin) take no part: not in results, totals, stacking or questions.
      const measures = await publishedMeasureIds(ctx);
      const only = req.query.measure;
      if (only !== undefined && !ctx.engine.byId.has(only)) throw notFound("措施");
      const result = ctx.engine.evaluate(facts, { asOf, explain: explain && only === undefined, measures });
      if (explain && only !== undefined) {
        const r = result.results.find((x) => x.measureId === only);
        if (r) r.explanation = ctx.engine.explain(only, facts, asOf);
      }
      await auditRead(ctx, actor, e.id, { view: "matches", asOf, rulesVersion: result.rulesVersion });
      const results = result.results.filter(
        (r) =>
          (!req.query.outcome || r.outcome === req.query.outcome) &&
          (only === undefined || r.measureId === only),
      );
      return {
        enterpriseId: e.id,
        asOf: result.asOf,
        rulesVersion: result.rulesVersion,
        results: results.map((r) => ({
          ...r,
          amount: r.amount ? amount(r.amount) : null,
          amountBeforeNetting: r.amountBeforeNetting ? amount(r.amountBeforeNetting) : undefined,
          missing: r.missing.map((fact) => ({ fact, label: ctx.engine.factLabel(fact) })),
          leadDepartmentName: departmentName(r.leadDepartment),
          explanation: r.explanation as Record<string, unknown> | undefined,
        })),
        stacking: result.stacking,
        questions: result.questions.map((q) => ({
          ...q,
          moneyAtStakeText:
            q.moneyAtStake === null ? "上限未定" : formatRange({ min: q.moneyAtStake, max: q.moneyAtStake }),
        })),
        totals: {
          eligible: amount(result.totals.eligible),
          potentialMax: result.totals.potentialMax,
          potentialMaxText:
            result.totals.potentialMax === null
              ? "上限未定"
              : formatRange({ min: result.totals.potentialMax, max: result.totals.potentialMax }),
        },
      };
    },
  );
}

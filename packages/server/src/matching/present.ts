/** The match result as the API presents it: the response schema and the presenter (政策计算器, 匿名测算). */
import { type AmountRange, formatRange, type MatchResult } from "@huiqi/engine";
import { departmentName } from "@huiqi/policies";
import { z } from "zod";
import type { AppContext } from "../context.ts";

export const Amount = z
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

export const MatchBody = z.object({
  enterpriseId: z.string(),
  asOf: z.string(),
  rulesVersion: z.string().meta({ description: "政策数据版本（sha256 前 16 位）" }),
  results: z.array(MeasureMatch),
  ineligibleOmitted: z.number().optional().meta({
    description:
      "默认不返回不符合的措施，此处为略去的项数（include=ineligible 时返回全部）；合计、从高不重复与问题仍按全部措施",
  }),
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

/** The engine's match result as the API gives it (amounts in 分 with Chinese text, fact labels, totals). */
export function presentMatch(ctx: AppContext, result: MatchResult, results: MatchResult["results"]) {
  return {
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
}

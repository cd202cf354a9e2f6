/** Request and response schemas of the application routes, with their OpenAPI metadata. */
import { z } from "zod";
import { MAX_BASE64_CHARS } from "../http/limits.ts";
import { Text } from "../http/schemas.ts";
import { STATUSES } from "./model.ts";

export const Fen = z
  .number({ error: "应为整数金额（单位：分）" })
  .int({ error: "应为整数（单位：分）" })
  .min(1, { error: "应为正整数（单位：分）" })
  .max(Number.MAX_SAFE_INTEGER, { error: "金额过大" })
  .meta({ description: "金额，整数，单位：分" });

export const Version = z
  .number({ error: "应为整数：客户端读取到的申报版本号（乐观锁）" })
  .int({ error: "应为整数" })
  .min(1, { error: "应不小于 1" })
  .meta({ description: "客户端读到的申报版本号；与当前版本不符时返回 409 VERSION_MISMATCH" });

const Reason = Text(1000, { tooLong: "最多 1000 个字" })
  .trim()
  .min(2, { error: "至少 2 个字" })
  .max(1000, { error: "最多 1000 个字" });

const IsoDate = Text(10, { type: "应为日期 YYYY-MM-DD", tooLong: "应为日期 YYYY-MM-DD" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "应为日期 YYYY-MM-DD" })
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      error: "不是存在的日期",
    },
  );

export const CreateBody = z.object({
  enterpriseId: z.uuid({ error: "enterpriseId 应为企业 UUID" }),
  measureId: Text(100, { type: "measureId 应为措施编号", tooLong: "measureId 过长" })
    .min(3, { error: "measureId 应为措施编号，如 kaizhou-2023-27/8" })
    .max(100, { error: "measureId 过长" }),
});

export const ApplicantSchema = z
  .object({
    contactName: Text(50, { type: "联系人应为文字", tooLong: "联系人最多 50 个字" })
      .trim()
      .min(1, { error: "请填写联系人" })
      .max(50),
    contactPhone: Text(20, { type: "联系电话应为文字", tooLong: "联系电话应为 7～20 位数字" }).regex(
      /^[0-9+\- ]{7,20}$/,
      { error: "联系电话应为 7～20 位数字" },
    ),
    bankName: Text(100, { type: "开户银行应为文字", tooLong: "开户银行最多 100 个字" })
      .trim()
      .min(2, { error: "开户银行至少 2 个字，如“重庆农村商业银行开州支行”" })
      .max(100, { error: "开户银行最多 100 个字" })
      .optional()
      .meta({ description: "收款账户的开户银行；提交前必填" }),
    bankAccount: Text(30, { type: "银行账号应为文字", tooLong: "银行账号应为 8～30 位数字" })
      .regex(/^\d{8,30}$/, { error: "银行账号应为 8～30 位数字" })
      .optional()
      .meta({ description: "收款账户的银行账号；提交前必填" }),
  })
  .meta({ description: "申报联系人与收款账户" });

export const UpdateBody = z.object({
  version: Version,
  applicant: ApplicantSchema.optional(),
  statement: Text(5000, { type: "申报说明应为文字", tooLong: "申报说明最多 5000 字" }).optional(),
  refreshFacts: z
    .boolean({ error: "refreshFacts 应为 true 或 false" })
    .optional()
    .meta({ description: "按企业当前画像重新预填事实（退回补正后修改了画像时使用）" }),
});

/** Upload checks and schemas are shared with other uploads (files/upload.ts). */
export {
  FileParams as AttachmentParams,
  FileQuery as AttachmentQuery,
  UploadBody as AttachmentBody,
} from "../files/upload.ts";

export const SubmitBody = z.object({ version: Version });

export const ReviewBody = z
  .object({
    version: Version,
    decision: z.enum(["pass", "return", "reject"], {
      error: "decision 应为 pass（通过）、return（退回补正）或 reject（不予通过）",
    }),
    reason: Reason.optional(),
    grantedFen: Fen.optional().meta({ description: "核定金额（分）：最后一步通过时必填" }),
  })
  .superRefine((b, c) => {
    if (b.decision !== "pass" && !b.reason)
      c.addIssue({ code: "custom", path: ["reason"], message: "退回或不予通过时必须填写理由" });
  });

export const NoticeBody = z.object({ version: Version });

export const DisburseBody = z.object({
  version: Version,
  batchRef: Text(64, { type: "batchRef 应为兑付批次号", tooLong: "兑付批次号最多 64 字" })
    .trim()
    .min(1, { error: "请填写兑付批次号" })
    .max(64, { error: "兑付批次号最多 64 字" }),
});

export const ResultBody = z
  .object({
    version: Version,
    status: z.enum(["paid", "failed"], { error: "status 应为 paid（已到账）或 failed（失败）" }),
    date: IsoDate,
    reason: Reason.optional(),
  })
  .superRefine((b, c) => {
    if (b.status === "failed" && !b.reason)
      c.addIssue({ code: "custom", path: ["reason"], message: "兑付失败时必须填写原因" });
  });

export const ListQuery = z.object({
  status: z.enum(STATUSES, { error: `status 应为 ${STATUSES.join("、")} 之一` }).optional(),
  measureId: Text(100, { tooLong: "measureId 最多 100 个字符" }).optional(),
  q: Text(50, { type: "q 应为文字", tooLong: "搜索词 q 最多 50 个字" }).trim().optional().meta({
    description:
      "搜索：申报编号（如 500113-2026-000123，可只输部分）、企业名称或统一社会信用代码（包含即匹配）",
  }),
  mine: z.enum(["true", "false"], { error: "mine 应为 true 或 false" }).optional().meta({
    description:
      "true：只列出等待本账户处理的申报（当前审核步骤归本账户；经办人另含本部门牵头、待发起公示的审批通过申报）",
  }),
  limit: z.coerce.number({ error: "limit 应为整数" }).int().min(1).max(200).default(50),
  offset: z.coerce.number({ error: "offset 应为整数" }).int().min(0).default(0),
});

export const IdempotencyHeaders = z.object({
  "idempotency-key": Text(100, { tooLong: "Idempotency-Key 最多 100 个字符" })
    .min(8, { error: "Idempotency-Key 至少 8 个字符" })
    .max(100, { error: "Idempotency-Key 最多 100 个字符" })
    .optional()
    .meta({ description: "幂等键：同一键的重试不会重复执行，返回同一结果" }),
});

const StepSchema = z.object({
  name: z.string(),
  department: z.string(),
  role: z.string(),
  status: z.enum(["pending", "passed", "returned", "rejected", "waiting"]),
  reason: z.string().nullable().optional(),
  actorId: z.string().nullable().optional(),
  decidedAt: z.string().nullable().optional(),
});

export const SummarySchema = z.object({
  id: z.string(),
  number: z.string().meta({ description: "申报编号：区县码-年份-序号，如 500113-2026-000123" }),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  measureId: z.string(),
  measureTitle: z.string(),
  leadDepartment: z.string(),
  status: z.enum(STATUSES),
  statusLabel: z.string(),
  currentStep: z.number().int(),
  maxFen: z
    .number()
    .int()
    .nullable()
    .meta({ description: "引擎测算的最高可得（分），null 表示无上限或未定" }),
  grantedFen: z.number().int().nullable().meta({ description: "核定金额（分）" }),
  noticeUntil: z.string().nullable().meta({ description: "公示截止日（含）" }),
  submittedAt: z
    .string()
    .nullable()
    .meta({ description: "最近一次提交（或补正后重新提交）的时间；未提交为 null" }),
  reviewWorkingDays: z.number().int().nullable().meta({
    description:
      "审核中（已提交）的申报已用的办理工作日：自提交次日起，按法定节假日和调休计；其他状态为 null",
  }),
  batchRef: z.string().nullable().meta({ description: "兑付批次号（已发起兑付时）" }),
  disbursementStatus: z
    .enum(["issued", "paid", "failed"])
    .nullable()
    .meta({ description: "兑付状态：issued 已发出、paid 已到账、failed 失败；未兑付为 null" }),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  channel: z.enum(["application", "exemption"]).meta({
    description: "application 企业申报；exemption 免申即享（牵头单位依据部门数据确认，企业无需申请）",
  }),
  accountConfirmed: z
    .boolean()
    .meta({ description: "免申即享：企业是否已确认收款账户（确认前不能兑付）；企业申报的恒为 true" }),
});

export const DetailSchema = SummarySchema.extend({
  rulesVersion: z.string(),
  steps: z.array(StepSchema),
  form: z.record(z.string(), z.unknown()),
  history: z.array(
    z.object({
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      actorId: z.string().nullable(),
      reason: z.string().nullable(),
      at: z.string(),
    }),
  ),
  attachments: z.array(
    z.object({
      id: z.string(),
      fileName: z.string(),
      contentType: z.string(),
      size: z.number().int(),
      createdAt: z.string(),
    }),
  ),
  disbursement: z
    .object({
      id: z.string(),
      amountFen: z.number().int(),
      batchRef: z.string(),
      status: z.enum(["issued", "paid", "failed"]),
      issuedAt: z.string(),
      settledAt: z.string().nullable(),
      failureReason: z.string().nullable(),
    })
    .nullable(),
  replayed: z.boolean().meta({ description: "true：本请求是已执行请求的重试，未重复执行" }),
});

export const ListSchema = z.object({ items: z.array(SummarySchema), total: z.number().int() });

export type Detail = z.infer<typeof DetailSchema>;
export type Summary = z.infer<typeof SummarySchema>;

export const ExportQuery = ListQuery.omit({ limit: true, offset: true }).extend({
  age: z
    .enum(["ok", "warn", "over"], { error: "age 应为 ok（时限内）、warn（临近时限）或 over（已超时）" })
    .optional()
    .meta({
      description:
        "办理时限筛选（仅审核中的申报有已用工作日）：ok 少于 10 个工作日，warn 10～15 个，over 超过 15 个",
    }),
});

export const ReconcileBody = z.object({
  fileName: Text(200, { type: "fileName 应为文件名", tooLong: "文件名最多 200 字" })
    .trim()
    .min(1, { error: "请填写文件名" })
    .max(200, { error: "文件名最多 200 字" })
    .refine((v) => /\.(csv|xlsx)$/i.test(v), { error: "只接受 .csv 或 .xlsx 文件" }),
  contentBase64: Text(MAX_BASE64_CHARS, { type: "contentBase64 应为 Base64 编码的文件内容" })
    .min(4, { error: "文件内容为空" })
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: "不是有效的 Base64" }),
  dryRun: z
    .boolean({ error: "dryRun 应为 true 或 false" })
    .optional()
    .meta({ description: "true：只核对、不登记结果" }),
});

const ReconcileRow = z.object({
  row: z.number().int().meta({ description: "文件中的行号（含表头，从 1 起）" }),
  batchRef: z.string().nullable(),
  applicationId: z.string().nullable().meta({ description: "文件中的申报编号（区县码-年份-序号）或申报 id" }),
  amountFen: z.number().int().nullable().meta({ description: "文件中的金额（分）" }),
  status: z.enum(["paid", "failed"]).nullable(),
  date: z.string().nullable(),
});

export const ReconcileReport = z.object({
  fileName: z.string(),
  dryRun: z.boolean(),
  rows: z.number().int().meta({ description: "文件中的数据行数" }),
  matched: z.array(
    ReconcileRow.extend({
      applicationId: z.string(),
      applicationNumber: z.string().meta({ description: "申报编号：区县码-年份-序号" }),
      enterpriseName: z.string(),
      measureTitle: z.string(),
      recorded: z.boolean().meta({ description: "true：已登记（dryRun 时为 false）" }),
    }),
  ),
  unmatched: z.array(ReconcileRow.extend({ reason: z.string() })),
  mismatches: z.array(
    ReconcileRow.extend({
      applicationId: z.string(),
      applicationNumber: z.string().meta({ description: "申报编号：区县码-年份-序号" }),
      enterpriseName: z.string(),
      expectedFen: z.number().int().meta({ description: "兑付记录中的金额（分）" }),
      reason: z.string(),
    }),
  ),
  totals: z.object({
    paidFen: z.number().int().meta({ description: "本次登记为已到账的金额合计（分）" }),
    failedFen: z.number().int().meta({ description: "本次登记为失败的金额合计（分）" }),
  }),
});
export type ReconcileReportT = z.infer<typeof ReconcileReport>;

/**
 * Importing a policy notice: a file (.txt, .docx, .pdf) or pasted text → the cleaned text and a draft the
 * editor reviews field by field in the web (every field with its span in the cleaned text), a suggested
 * document id, and the department and district lists for the pickers. Nothing is stored here: the reviewed
 * draft is saved through POST /api/policy-documents/:documentId/revisions like any other draft.
 */
import type { IngestResult, Span } from "@huiqi/ingest";
import { ingestText } from "@huiqi/ingest";
import { IngestError, ingestFile } from "@huiqi/ingest/file";
import { departmentCodes, departmentName } from "@huiqi/policies";
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { errorResponses, Text } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import { regionLabels } from "../reports/regions.ts";
import type { TypedApp } from "../routes.ts";

/** A notice of up to ~15 MB, base64-encoded (4/3), plus the JSON around it. */
const INGEST_BODY_LIMIT = 21 * 1024 * 1024;
const BASE64_MAX = 20 * 1024 * 1024;
const PASTE_MAX = 1_000_000;

const SpanSchema = z
  .tuple([z.number().int(), z.number().int()])
  .meta({ description: "正文中的位置 [起, 止)" });
const Located = z.object({ value: z.string(), span: SpanSchema });
const Quoted = Located.extend({ quote: z.string() });
const Flag = z.object({ field: z.string(), reason: z.string(), span: SpanSchema.optional() });

const IngestMeasure = z.object({
  ordinal: z.number(),
  title: z.string(),
  group: z.string().optional(),
  monetary: z.boolean(),
  clause: z.string(),
  span: SpanSchema,
  titleSpan: SpanSchema.optional(),
  leadDepartment: z.string().optional().meta({ description: "牵头单位的部门代码（能对应到部门表时）" }),
  leadUnit: z.string().optional().meta({ description: "原文写的牵头单位" }),
  unitsSpan: SpanSchema.optional(),
  coDepartments: z.array(z.string()),
  contact: z.object({ name: z.string().optional(), hotline: z.string().optional() }).optional(),
  validFrom: z.string().optional(),
  validUntil: z.string().optional(),
  validityQuote: z.string().optional(),
  validitySpan: SpanSchema.optional(),
  amount: z.unknown().optional().meta({ description: "金额结构草稿（measures.yaml 的 amount，单位元）" }),
  amountSpan: SpanSchema.optional(),
  amountUnstated: z.string().optional(),
  review: z.array(Flag),
});

const IngestResponse = z.object({
  fileName: z.string(),
  text: z.string().meta({ description: "清洗后的正文；各位置均指向此文本" }),
  suggestedId: z.string().meta({ description: "建议的文件编号（小写字母、数字、连字符），可修改" }),
  document: z.object({
    docNumber: Located.optional(),
    title: Located.optional(),
    issuer: Located.optional(),
    issuedOn: Located.optional(),
    validFrom: Quoted.optional(),
    validUntil: Quoted.optional(),
    level: z.enum(["national", "municipal", "district"]).optional(),
    regionCode: z.string().optional(),
  }),
  measures: z.array(IngestMeasure),
  review: z.array(Flag),
  departments: z.array(z.object({ code: z.string(), name: z.string() })),
  regions: z.array(z.object({ code: z.string(), name: z.string() })),
});

type IngestReply = z.infer<typeof IngestResponse>;

const Body = z
  .object({
    fileName: Text(200).trim().min(1, { error: "请提供文件名" }),
    contentBase64: Text(BASE64_MAX)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: "应为 base64 编码的文件内容" })
      .optional(),
    text: Text(PASTE_MAX).optional(),
  })
  .refine((b) => (b.contentBase64 === undefined) !== (b.text === undefined), {
    error: "请上传文件或粘贴正文（二者选一）",
    path: ["contentBase64"],
  });

function findSpan(text: string, needle: string | undefined, within: Span): Span | undefined {
  if (!needle) return undefined;
  const at = text.indexOf(needle, within[0]);
  if (at < 0 || at + needle.length > within[1]) {
    const anywhere = text.indexOf(needle);
    return anywhere < 0 ? undefined : [anywhere, anywhere + needle.length];
  }
  return [at, at + needle.length];
}

/** `doc-2024-18` from 某府办发〔2024〕18号; `doc-2024` when no number is printed. */
export function suggestDocumentId(docNumber: string | undefined, issuedOn: string | undefined): string {
  const m = docNumber ? /[〔［[(（](\d{4})[〕］\])）]\s*(\d+)/.exec(docNumber) : null;
  if (m) return `doc-${m[1]}-${m[2]}`;
  const year = /^\d{4}/.exec(issuedOn ?? "")?.[0];
  return year ? `doc-${year}` : "doc-new";
}

function reply(
  result: IngestResult,
  fileName: string,
  regions: Map<string, string>,
  departments: Record<string, string>,
): Omit<IngestReply, "suggestedId"> {
  const text = result.cleaned.text;
  const { draft } = result;
  const md = draft.metadata;
  const issuer = md.issuers[0];
  let regionCode: string | undefined;
  for (const [code, name] of regions) {
    const short = name.replace(/（.*）$/, "");
    if (code !== "500000" && issuer?.value.includes(short)) regionCode = code;
  }
  const level: IngestReply["document"]["level"] = !issuer
    ? undefined
    : regionCode || /[区县]/.test(issuer.value.replace(/^重庆市/, ""))
      ? "district"
      : issuer.value.startsWith("重庆市")
        ? "municipal"
        : undefined;
  if (!regionCode && level === "municipal") regionCode = "500000";
  return {
    fileName,
    text,
    document: {
      ...(md.docNumber ? { docNumber: md.docNumber } : {}),
      ...(md.title ? { title: md.title } : {}),
      ...(issuer ? { issuer } : {}),
      ...(md.issuedOn ? { issuedOn: md.issuedOn } : {}),
      ...(md.validFrom ? { validFrom: md.validFrom } : {}),
      ...(md.validUntil ? { validUntil: md.validUntil } : {}),
      ...(level ? { level } : {}),
      ...(regionCode ? { regionCode } : {}),
    },
    measures: draft.measures.map((m) => {
      const quote =
        m.amount && typeof m.amount.quote === "string"
          ? m.amount.quote
          : (m.candidates.amounts.find((a) => a.role === "benefit")?.text ?? m.candidates.rates[0]?.text);
      return {
        ordinal: m.ordinal,
        title: m.title,
        ...(m.group ? { group: m.group } : {}),
        monetary: m.monetary,
        clause: m.clause.replace(/\n/g, ""),
        span: m.span,
        ...optional("titleSpan", findSpan(text, m.title, m.span)),
        ...optional(
          "leadDepartment",
          m.leadDepartment && departments[m.leadDepartment] ? m.leadDepartment : undefined,
        ),
        ...optional("leadUnit", m.leadUnit),
        ...optional("unitsSpan", m.candidates.units[0]?.span),
        coDepartments: (m.coDepartments ?? []).filter((c) => departments[c] !== undefined),
        ...optional("contact", m.contact),
        ...optional("validFrom", m.validFrom),
        ...optional("validUntil", m.validUntil),
        ...optional("validityQuote", m.validityQuote),
        ...optional("validitySpan", findSpan(text, m.validityQuote, m.span)),
        ...optional("amount", m.amount),
        ...optional("amountSpan", findSpan(text, quote, m.span)),
        ...optional("amountUnstated", m.amountUnstated),
        review: m.review,
      };
    }),
    review: draft.review,
    departments: Object.entries(departments).map(([code, name]) => ({ code, name })),
    regions: [...regions].map(([code, name]) => ({ code, name })),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export async function registerIngestRoutes(app: TypedApp, ctx: AppContext) {
  app.post(
    "/api/policy-documents/ingest",
    {
      config: { action: "policy.edit" },
      bodyLimit: INGEST_BODY_LIMIT,
      schema: {
        tags: ["政策编辑"],
        summary:
          "政策管理员：导入通知原文（上传 .txt、.docx、.pdf 或粘贴正文）→ 清洗后的正文与逐项标出原文位置的文件草稿（不保存）",
        body: Body,
        response: { 200: IngestResponse, ...errorResponses },
      },
    },
    async (req) => {
      authorize(requireActor(req), "policy.edit");
      const { fileName, contentBase64, text } = req.body;
      const departments = Object.fromEntries(departmentCodes().map((c) => [c, departmentName(c)]));
      const inputField = contentBase64 !== undefined ? "contentBase64" : "text";
      let result: IngestResult;
      try {
        if (contentBase64 !== undefined) {
          const bytes = new Uint8Array(Buffer.from(contentBase64, "base64"));
          result = await ingestFile(bytes, fileName, { departments });
        } else {
          if (!text?.trim()) throw new IngestError("粘贴的正文是空的");
          result = ingestText(text, { fileName, departments });
        }
      } catch (e) {
        if (e instanceof IngestError)
          throw new AppError("VALIDATION", e.message, [{ field: inputField, message: e.message }]);
        throw e;
      }
      if (result.draft.measures.length === 0 && !result.draft.metadata.docNumber) {
        const message = `没有从 ${fileName} 中识别出文号或措施条款，请确认这是一份政策文件的正文`;
        throw new AppError("VALIDATION", message, [{ field: inputField, message }]);
      }
      const body = reply(result, fileName, regionLabels(ctx), departments);
      let suggestedId = suggestDocumentId(body.document.docNumber?.value, body.document.issuedOn?.value);
      const taken = new Set(
        (await ctx.db.selectFrom("policy_revisions").select("document_id").distinct().execute()).map(
          (r) => r.document_id,
        ),
      );
      if (taken.has(suggestedId)) {
        let n = 2;
        while (taken.has(`${suggestedId}-${n}`)) n++;
        suggestedId = `${suggestedId}-${n}`;
      }
      return { ...body, suggestedId };
    },
  );
}

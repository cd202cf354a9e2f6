/** The policy editor's 预览 and 差异 (问题 10), and the enterprise picker the preview uses. */
import { isIsoDate } from "@huiqi/engine";
import { DOCUMENT_FILE_NAMES } from "@huiqi/policies";
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { errorResponses, Text } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import { regionLabels } from "../reports/regions.ts";
import type { TypedApp } from "../routes.ts";
import { diffWithPublished, previewDocument } from "./preview.ts";

const FILES_BODY_LIMIT = 4 * 1024 * 1024;
const FILE_MAX = 1_000_000;
/** How many enterprises the picker lists. */
export const PICKER_LIMIT = 20;

const DocumentId = Text(64).regex(/^[a-z0-9][a-z0-9-]*$/, { error: "只能包含小写字母、数字和连字符" });
const FileName = z.enum(DOCUMENT_FILE_NAMES, { error: `文件名只能是 ${DOCUMENT_FILE_NAMES.join("、")}` });
const Files = z
  .partialRecord(FileName, Text(FILE_MAX))
  .meta({ description: "文件名 → 文件全文", maxProperties: DOCUMENT_FILE_NAMES.length })
  .refine((f) => f["document.yaml"] !== undefined && f["measures.yaml"] !== undefined, {
    error: "须包含 document.yaml 和 measures.yaml",
  });
const AsOf = Text(10, { tooLong: "测算日应为真实存在的日期，格式 YYYY-MM-DD" })
  .refine(isIsoDate, { error: "测算日应为真实存在的日期，格式 YYYY-MM-DD" })
  .meta({ description: "测算日 YYYY-MM-DD，缺省为重庆当日" });

const Amount = z
  .object({
    min: z.number().int().meta({ description: "分" }),
    max: z.number().int().nullable().meta({ description: "分；null 表示上限未定" }),
    text: z.string().meta({ description: "中文金额" }),
  })
  .nullable();
const Side = z.object({
  outcome: z.enum(["eligible", "ineligible", "undetermined"]),
  outcomeText: z.string().meta({ description: "符合、不符合、待确认" }),
  amount: Amount,
  amountUnstated: z.boolean().meta({ description: "文件写明给予资金支持但未写金额" }),
});
const Line = z.record(z.string(), z.unknown()).meta({ description: "解释的一行（RenderedLine）" });
const PreviewSchema = z.object({
  enterprise: z.object({ id: z.string(), name: z.string(), district: z.string() }),
  asOf: z.string(),
  measures: z.array(
    z.object({
      measureId: z.string(),
      title: z.string(),
      draft: Side.extend({
        missing: z.array(z.object({ fact: z.string(), label: z.string() })),
        reason: z.string().nullable().meta({ description: "不符合时第一条不满足的要求" }),
        explanation: z
          .record(z.string(), z.unknown())
          .meta({ description: "解释树（与企业端 explain=true 相同）" }),
        rendered: z
          .object({
            outcomeText: z.string(),
            amountText: z.string().optional(),
            citation: z.string(),
            checks: z.array(Line),
            amount: z.object({ total: z.string(), lines: z.array(Line) }).optional(),
          })
          .meta({ description: "按修改后的政策库措辞的解释（与命令行、企业端相同的渲染）" }),
      })
        .nullable()
        .meta({ description: "按编辑中的文件测算；null 表示修改后已删除该措施" }),
      published: Side.nullable().meta({ description: "按现行版本测算；null 表示该措施尚未发布" }),
    }),
  ),
});

const FieldChange = z.object({ label: z.string(), before: z.string(), after: z.string() });
const DiffSchema = z.object({
  published: z.boolean().meta({ description: "是否已有现行版本（没有时全部为新增）" }),
  document: z.array(FieldChange),
  measures: z.array(
    z.object({
      measureId: z.string(),
      title: z.string(),
      change: z.enum(["added", "removed", "changed"]),
      fields: z.array(FieldChange),
    }),
  ),
  cases: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) }),
});

export async function registerEditorRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/policy-documents/enterprises",
    {
      config: { action: "policy.edit" },
      schema: {
        tags: ["政策编辑"],
        summary: `政策管理员：按名称或统一社会信用代码查找企业（用于预览，最多 ${PICKER_LIMIT} 家）`,
        querystring: z.object({
          q: Text(50, { tooLong: "查询词最多 50 个字" })
            .trim()
            .optional()
            .meta({ description: "企业名称的一部分或统一社会信用代码的开头" }),
        }),
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), name: z.string(), district: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      authorize(requireActor(req), "policy.edit");
      const q = req.query.q ?? "";
      let query = ctx.db.selectFrom("enterprises").select(["id", "name", "region_code"]);
      if (q) {
        const esc = q.replace(/[\\%_]/g, (c) => `\\${c}`);
        query = query.where((eb) =>
          eb.or([eb("name", "like", `%${esc}%`), eb("uscc", "like", `${esc.toUpperCase()}%`)]),
        );
      }
      const rows = await query.orderBy("name").orderBy("id").limit(PICKER_LIMIT).execute();
      const regions = regionLabels(ctx);
      return {
        items: rows.map((r) => ({ id: r.id, name: r.name, district: regions.get(r.region_code) ?? "" })),
      };
    },
  );

  app.post(
    "/api/policy-documents/:documentId/preview",
    {
      config: { action: "policy.edit" },
      bodyLimit: FILES_BODY_LIMIT,
      schema: {
        tags: ["政策编辑"],
        summary:
          "政策管理员：预览——按编辑中的文件对一家企业测算本文件各措施（结论、金额、缺少的信息、解释），并与现行版本对照",
        params: z.object({ documentId: DocumentId }),
        body: z.object({
          files: Files,
          enterpriseId: z.uuid({ error: "请选择一家企业" }),
          asOf: AsOf.optional(),
        }),
        response: { 200: PreviewSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "policy.edit");
      const { files, enterpriseId, asOf } = req.body;
      const r = await previewDocument(ctx, actor, req.params.documentId, files, enterpriseId, asOf);
      return {
        ...r,
        measures: r.measures.map((m) => ({
          ...m,
          draft: m.draft
            ? {
                ...m.draft,
                explanation: m.draft.explanation as unknown as Record<string, unknown>,
                rendered: {
                  outcomeText: m.draft.rendered.outcomeText,
                  amountText: m.draft.rendered.amountText,
                  citation: m.draft.rendered.citation,
                  checks: m.draft.rendered.checks as unknown as Record<string, unknown>[],
                  amount: m.draft.rendered.amount
                    ? {
                        total: m.draft.rendered.amount.total,
                        lines: m.draft.rendered.amount.lines as unknown as Record<string, unknown>[],
                      }
                    : undefined,
                },
              }
            : null,
        })),
      };
    },
  );

  app.post(
    "/api/policy-documents/:documentId/diff",
    {
      config: { action: "policy.edit" },
      bodyLimit: FILES_BODY_LIMIT,
      schema: {
        tags: ["政策编辑"],
        summary:
          "政策管理员：差异——编辑中的文件与现行版本逐项比较（文件信息、各措施新增／删除／修改的字段、用例）",
        params: z.object({ documentId: DocumentId }),
        body: z.object({ files: Files }),
        response: { 200: DiffSchema, ...errorResponses },
      },
    },
    async (req) => {
      authorize(requireActor(req), "policy.edit");
      return diffWithPublished(ctx, req.params.documentId, req.body.files);
    },
  );
}

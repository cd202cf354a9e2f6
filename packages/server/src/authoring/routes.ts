/** Policy documents in the platform: list, read a revision, draft, submit, return, approve, repeal. */
import { DOCUMENT_FILE_NAMES, documentTitle } from "@huiqi/policies";
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { errorResponses, Text } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { checkFiles } from "./check.ts";
import { simulateImpact } from "./impact.ts";
import {
  approveRevision,
  createDraft,
  repealDocument,
  returnRevision,
  STATE_LABEL,
  submitRevision,
} from "./workflow.ts";

/** A document's files may be large (the biggest measures.yaml is ~100 KB). */
const FILES_BODY_LIMIT = 4 * 1024 * 1024;
const FILE_MAX = 1_000_000;

const DocumentId = Text(64).regex(/^[a-z0-9][a-z0-9-]*$/, { error: "只能包含小写字母、数字和连字符" });
const Revision = z.coerce
  .number({ error: "应为版本号" })
  .int({ error: "应为整数" })
  .min(1, { error: "应为正整数" });
const Params = z.object({ documentId: DocumentId, revision: Revision });
const FileName = z.enum(DOCUMENT_FILE_NAMES, { error: `文件名只能是 ${DOCUMENT_FILE_NAMES.join("、")}` });
const Files = z
  .partialRecord(FileName, Text(FILE_MAX))
  .meta({ description: "文件名 → 文件全文", maxProperties: DOCUMENT_FILE_NAMES.length })
  .refine((f) => f["document.yaml"] !== undefined && f["measures.yaml"] !== undefined, {
    error: "须包含 document.yaml 和 measures.yaml",
  });

const RevisionSummary = z.object({
  revision: z.number(),
  state: z.enum(["draft", "inReview", "published", "superseded", "repealed"]),
  stateLabel: z.string(),
  origin: z.enum(["seed", "import", "editor"]),
  author: z.string().nullable(),
  mine: z.boolean().meta({ description: "是否由当前账户起草（本人不能审核）" }),
  reviewer: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});

const CheckSchema = z.object({
  passing: z.number().meta({ description: "通过的用例数" }),
  failing: z.array(z.object({ name: z.string(), problems: z.array(z.string()) })),
  short: z
    .array(z.object({ measureId: z.string(), title: z.string(), passing: z.number() }))
    .meta({ description: "通过用例不足 2 个的资金类措施" }),
});

const EditorCheckSchema = z.object({
  compiled: z.boolean().meta({ description: "是否能编译" }),
  errors: z.array(
    z.object({
      file: z.string(),
      line: z.number().nullable().meta({ description: "从 1 起的行号，无法定位时为 null" }),
      measureId: z.string().nullable(),
      fact: z.string().nullable().meta({ description: "错误涉及的未定义事实" }),
      message: z.string(),
    }),
  ),
  cases: z.array(
    z.object({
      name: z.string(),
      measure: z.string().nullable(),
      measureTitle: z.string().nullable(),
      passed: z.boolean(),
      problems: z.array(z.string()),
    }),
  ),
  passing: z.number().meta({ description: "通过的用例数" }),
  short: z
    .array(z.object({ measureId: z.string(), title: z.string(), passing: z.number() }))
    .meta({ description: "通过用例不足 2 个的资金类措施" }),
});

const Fen = z.number().int().meta({ description: "分" });
const ImpactTotals = z.object({
  eligible: z.number().meta({ description: "符合的企业数" }),
  undetermined: z.number().meta({ description: "缺少信息、尚不能判断的企业数" }),
  guaranteedFen: Fen.meta({ description: "保底合计（符合企业金额下限之和，分）" }),
  maxFen: Fen.meta({ description: "最高合计（有上限的金额上限之和，分）" }),
  maxUnbounded: z.number().meta({ description: "上限未定的企业数（不计入最高合计）" }),
});
const ImpactCompared = z.object({ draft: ImpactTotals, published: ImpactTotals });
const ImpactBreakdown = z.array(ImpactCompared.extend({ key: z.string(), label: z.string() }));
const ImpactAmount = z.object({ min: Fen, max: Fen.nullable() }).nullable();
const ImpactChanges = z.object({
  count: z.number(),
  examples: z.array(
    z.object({
      enterpriseId: z.string(),
      name: z.string(),
      district: z.string(),
      published: ImpactAmount,
      draft: ImpactAmount,
    }),
  ),
});
const ImpactSchema = z.object({
  documentId: z.string(),
  revision: z.number(),
  asOf: z.string().meta({ description: "测算日（重庆日期）" }),
  enterprises: z.number().meta({ description: "参与测算的企业数" }),
  elapsedMs: z.number(),
  total: ImpactCompared,
  measures: z.array(
    ImpactCompared.extend({
      measureId: z.string(),
      title: z.string(),
      inDraft: z.boolean(),
      inPublished: z.boolean(),
      budgetFen: Fen.nullable().meta({ description: "措施预算（分），未设置为 null" }),
    }),
  ),
  byDistrict: ImpactBreakdown,
  byIndustry: ImpactBreakdown,
  bySize: ImpactBreakdown,
  changes: z.object({
    newlyEligible: ImpactChanges,
    noLongerEligible: ImpactChanges,
    amountUp: ImpactChanges,
    amountDown: ImpactChanges,
  }),
  costDifference: z.object({ guaranteedFen: Fen, maxFen: Fen }),
});

/**
 * Progress of the impact runs in this process, per account × revision. A run lives in the process that serves its
 * request; with several processes a progress request may reach another one, which answers "not running" and the
 * page keeps its indeterminate spinner.
 */
const impactProgress = new Map<string, { done: number; total: number }>();
const progressKey = (actorId: string, documentId: string, revision: number) =>
  `${actorId}\u0000${documentId}\u0000${revision}`;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function registerAuthoringRoutes(app: TypedApp, ctx: AppContext) {
  const names = async () =>
    new Map(
      (await ctx.db.selectFrom("accounts").select(["id", "display_name"]).execute()).map((a) => [
        a.id,
        a.display_name,
      ]),
    );

  app.get(
    "/api/policy-documents",
    {
      config: { action: "policy.edit" },
      schema: {
        tags: ["政策编辑"],
        summary: "政策管理员：全部政策文件及其各版本（现行、草稿、待审核、已取代、已废止）",
        response: {
          200: z.object({
            items: z.array(
              z.object({
                documentId: z.string(),
                title: z.string(),
                revisions: z.array(RevisionSummary),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "policy.edit");
      const rows = await ctx.db
        .selectFrom("policy_revisions")
        .selectAll()
        .orderBy("document_id")
        .orderBy("revision", "desc")
        .execute();
      const who = await names();
      const byDoc = new Map<string, typeof rows>();
      for (const r of rows) byDoc.set(r.document_id, [...(byDoc.get(r.document_id) ?? []), r]);
      return {
        items: [...byDoc.entries()].map(([documentId, revs]) => ({
          documentId,
          title: documentTitle(revs[0]?.files["document.yaml"] ?? "") ?? documentId,
          revisions: revs.map((r) => ({
            revision: r.revision,
            state: r.state,
            stateLabel: STATE_LABEL[r.state],
            origin: r.origin,
            author: r.author_id ? (who.get(r.author_id) ?? null) : null,
            mine: r.author_id === actor.id,
            reviewer: r.reviewer_id ? (who.get(r.reviewer_id) ?? null) : null,
            note: r.note,
            createdAt: iso(r.created_at) ?? "",
            publishedAt: iso(r.published_at),
            endedAt: iso(r.ended_at),
          })),
        })),
      };
    },
  );

  app.get(
    "/api/policy-documents/:documentId/revisions/:revision",
    {
      config: { action: "policy.edit" },
      schema: {
        tags: ["政策编辑"],
        summary: "政策管理员：一版的全部文件原文",
        params: Params,
        response: {
          200: z.object({
            documentId: z.string(),
            revision: z.number(),
            files: z.record(z.string(), z.string()),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      authorize(requireActor(req), "policy.edit");
      const { documentId, revision } = req.params;
      const row = await ctx.db
        .selectFrom("policy_revisions")
        .select(["files"])
        .where("document_id", "=", documentId)
        .where("revision", "=", revision)
        .executeTakeFirst();
      if (!row) throw notFound(`政策文件 ${documentId} 的第 ${revision} 版`);
      return { documentId, revision, files: row.files };
    },
  );

  app.post(
    "/api/policy-documents/:documentId/revisions",
    {
      config: { action: "policy.edit" },
      bodyLimit: FILES_BODY_LIMIT,
      schema: {
        tags: ["政策编辑"],
        summary: "政策管理员：保存一版草稿（新文件或修改现行文件）；返回编译与用例检查结果",
        params: z.object({ documentId: DocumentId }),
        body: z.object({ files: Files, note: Text(500).trim().optional() }),
        response: { 201: z.object({ revision: z.number(), check: CheckSchema }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      authorize(actor, "policy.edit");
      const r = await createDraft(ctx, actor, req.params.documentId, req.body.files, req.body.note || null);
      return reply.status(201).send(r);
    },
  );

  app.post(
    "/api/policy-documents/:documentId/check",
    {
      config: { action: "policy.edit" },
      bodyLimit: FILES_BODY_LIMIT,
      schema: {
        tags: ["政策编辑"],
        summary:
          "政策管理员：检查编辑中的文件（不保存）——与政策库一起编译并运行用例；错误注明文件、行号和未定义的事实",
        params: z.object({ documentId: DocumentId }),
        body: z.object({ files: Files }),
        response: { 200: EditorCheckSchema, ...errorResponses },
      },
    },
    async (req) => {
      authorize(requireActor(req), "policy.edit");
      return checkFiles(ctx, req.params.documentId, req.body.files);
    },
  );

  app.post(
    "/api/policy-documents/:documentId/revisions/:revision/impact",
    {
      config: { action: "policy.edit" },
      schema: {
        tags: ["政策编辑"],
        summary:
          "政策管理员：影响测算——对全部企业试算草稿或待审核版本，与现行版本比较（合计、各措施、区县、行业门类、企业规模、预算、增减名单）",
        params: Params,
        body: z.object({}),
        response: { 200: ImpactSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "policy.edit");
      const key = progressKey(actor.id, req.params.documentId, req.params.revision);
      impactProgress.set(key, { done: 0, total: 0 });
      try {
        return await simulateImpact(ctx, req.params.documentId, req.params.revision, (done, total) =>
          impactProgress.set(key, { done, total }),
        );
      } finally {
        impactProgress.delete(key);
      }
    },
  );

  app.get(
    "/api/policy-documents/:documentId/revisions/:revision/impact/progress",
    {
      config: { action: "policy.edit" },
      schema: {
        tags: ["政策编辑"],
        summary:
          "政策管理员：本人正在进行的影响测算的进度（已测算企业数／企业总数）；没有进行中的测算时 running 为 false",
        params: Params,
        response: {
          200: z.object({ running: z.boolean(), done: z.number(), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "policy.edit");
      const p = impactProgress.get(progressKey(actor.id, req.params.documentId, req.params.revision));
      return p ? { running: true, ...p } : { running: false, done: 0, total: 0 };
    },
  );

  const step = (
    path: string,
    summary: string,
    run: (
      actor: ReturnType<typeof requireActor>,
      p: z.infer<typeof Params>,
      body: { reason?: string },
    ) => Promise<unknown>,
    body: z.ZodType<{ reason?: string }> = z.object({}),
  ) =>
    app.post(
      `/api/policy-documents/:documentId/revisions/:revision/${path}`,
      {
        config: { action: path === "submit" ? "policy.edit" : "policy.review" },
        schema: {
          tags: ["政策编辑"],
          summary,
          params: Params,
          body,
          response: {
            200: z.object({
              ok: z.boolean(),
              version: z.string().optional(),
              changed: z.array(z.string()).optional(),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const actor = requireActor(req);
        authorize(actor, path === "submit" ? "policy.edit" : "policy.review");
        const r = (await run(actor, req.params, req.body as { reason?: string })) as
          | { version: string; changed: string[] }
          | undefined;
        return { ok: true, ...(r ? { version: r.version, changed: r.changed } : {}) };
      },
    );

  step("submit", "起草人：提交审核（须能编译，且每项资金类措施至少 2 个通过的用例）", (a, p) =>
    submitRevision(ctx, a, p.documentId, p.revision),
  );
  step(
    "approve",
    "另一位政策管理员：审核通过并发布（生成新规则版本，向新符合或金额变化的企业推送）",
    (a, p) => approveRevision(ctx, a, p.documentId, p.revision),
  );
  step(
    "return",
    "另一位政策管理员：退回起草人（须写明原因）",
    (a, p, b) => returnRevision(ctx, a, p.documentId, p.revision, b.reason ?? ""),
    z.object({ reason: Text(500).trim().min(1, { error: "请写明退回原因" }) }),
  );

  app.post(
    "/api/policy-documents/:documentId/repeal",
    {
      config: { action: "policy.review" },
      schema: {
        tags: ["政策编辑"],
        summary: "政策管理员：废止现行文件（退出政策库与匹配；历史与已有申报保留）",
        params: z.object({ documentId: DocumentId }),
        body: z.object({ reason: Text(500).trim().min(1, { error: "请写明废止原因" }) }),
        response: { 200: z.object({ version: z.string(), changed: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "policy.review");
      const r = await repealDocument(ctx, actor, req.params.documentId, req.body.reason);
      return { version: r.version, changed: r.changed };
    },
  );
}

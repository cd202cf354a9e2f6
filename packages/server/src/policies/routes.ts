/**
 * Policy library: documents, measures (current rules version, filters, full data with version history),
 * Chinese full-text search, reload (policy admin) and measure budgets.
 *
 * Measure ids contain one slash ("banan-2022-63/2.1" = document/item), so measure routes take two path
 * parameters: GET /api/measures/{documentId}/{item}. The URL-encoded form /api/measures/banan-2022-63%2F2.1
 * is accepted too.
 */
import { chongqingDate, compileRules, type Engine, formatFen, isIsoDate } from "@huiqi/engine";
import { BENEFIT_TYPES, departmentName, LEVELS, type PolicyLibrary } from "@huiqi/policies";
import type { FastifyRequest } from "fastify";
import type { Selectable } from "kysely";
import { z } from "zod";
import { requireActor } from "../app.ts";
import { appendAudit } from "../audit/audit-log.ts";
import { type PreparedLibrary, prepareLibrary } from "../authoring/policy-store.ts";
import { createRun } from "../batch/runs.ts";
import type { Actor, AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import type { MeasureTable } from "../db/schema.ts";
import { AppError, forbidden, notFound } from "../errors.ts";
import { ANONYMOUS_RATE_LIMITS } from "../http/limits.ts";
import { errorResponses, Text } from "../http/schemas.ts";
import { enqueue } from "../notifications/outbox.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { seesUnpublished, setPublication, unpublishedMeasureIds } from "./publication.ts";
import { HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, queryTokens, searchMeasures } from "./search.ts";
import { syncPolicyLibrary } from "./sync-library.ts";
import { runPolicyCases } from "./test-cases.ts";

const isoDate = (field: string) =>
  Text(10, { type: `${field} 应为日期 YYYY-MM-DD`, tooLong: `${field} 应为日期 YYYY-MM-DD` }).refine(
    isIsoDate,
    { error: `${field} 应为真实存在的日期，格式 YYYY-MM-DD` },
  );

const page = z.coerce
  .number({ error: "page 应为页码数字" })
  .int({ error: "page 应为整数" })
  .min(1, { error: "page 应从 1 开始" })
  .default(1);
const pageSize = (max: number, dflt: number) =>
  z.coerce
    .number({ error: "pageSize 应为数字" })
    .int({ error: "pageSize 应为整数" })
    .min(1, { error: "pageSize 至少为 1" })
    .max(max, { error: `pageSize 最多 ${max}` })
    .default(dflt);

const DocumentSummary = z.object({
  id: z.string(),
  docNumber: z.string(),
  title: z.string(),
  issuer: z.string(),
  issuedOn: z.string(),
  level: z.string(),
  regionCode: z.string(),
  validFrom: z.string(),
  validUntil: z.string().optional(),
  measureCount: z.number(),
  monetaryCount: z.number(),
});

const MeasureSummary = z.object({
  id: z.string(),
  documentId: z.string(),
  docNumber: z.string(),
  title: z.string(),
  benefitType: z.string(),
  monetary: z.boolean(),
  level: z.string(),
  regionCode: z.string(),
  leadDepartment: z.string(),
  leadDepartmentName: z.string(),
  coDepartments: z.array(z.string()),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  rulesVersion: z.string(),
  published: z
    .boolean()
    .meta({ description: "是否发布；未发布的措施只有政策管理员在政策库中看得到，也不参与企业匹配" }),
});

const MeasureDetail = MeasureSummary.extend({
  data: z
    .record(z.string(), z.unknown())
    .meta({ description: "措施的完整数据：原文、解读（interpretation）、口径说明（notes）、条件与金额规则" }),
  budgetFen: z.number().nullable().meta({ description: "预算（分）；未设置为 null" }),
  versions: z
    .array(
      z.object({
        rulesVersion: z.string(),
        loadedAt: z.string(),
        contentHash: z.string(),
        current: z.boolean(),
      }),
    )
    .meta({ description: "该措施内容发生变化的规则版本（按载入时间），current 为现行版本所在的一段" }),
});

const MeasureParams = z.object({
  documentId: Text(60).regex(/^[a-z0-9-]{1,60}$/, { error: "documentId 应为文件编号，如 banan-2022-63" }),
  item: Text(20).regex(/^[0-9A-Za-z.-]{1,20}$/, { error: "item 应为原文序号，如 2.1" }),
});

const EncodedMeasureParams = z.object({
  id: Text(81).regex(/^[a-z0-9-]{1,60}\/[0-9A-Za-z.-]{1,20}$/, {
    error: "id 应为措施编号，如 banan-2022-63%2F2.1",
  }),
});

type MeasureRow = Selectable<MeasureTable>;

/**
 * The library's reads are public. Visitors without a session are limited per client address like the other
 * anonymous routes; signed-in users are not (a district office behind one address browses it all day).
 */
const PUBLIC_READ = {
  public: true,
  rateLimit: {
    ...ANONYMOUS_RATE_LIMITS.read,
    allowList: (req: FastifyRequest) => req.actor !== null,
  },
};

function summary(r: MeasureRow, hidden: Set<string>) {
  return {
    id: r.id,
    documentId: r.document_id,
    docNumber: r.doc_number,
    title: r.title,
    benefitType: r.benefit_type,
    monetary: r.monetary,
    level: r.level,
    regionCode: r.region_code,
    leadDepartment: r.lead_department,
    leadDepartmentName: departmentName(r.lead_department),
    coDepartments: r.co_departments,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    rulesVersion: r.rules_version,
    published: !hidden.has(r.id),
  };
}

function currentMeasures(ctx: AppContext) {
  return ctx.db
    .selectFrom("measures")
    .innerJoin("rules_versions", "rules_versions.version", "measures.rules_version")
    .where("rules_versions.current", "=", true);
}

async function currentMeasure(ctx: AppContext, id: string): Promise<MeasureRow> {
  const row = await currentMeasures(ctx)
    .selectAll("measures")
    .where("measures.id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound(`措施「${id}」`);
  return row;
}

/**
 * One measure with its history. Anonymous visitors (the public library) get published measures only and no
 * budget (an internal planning figure of the departments).
 */
async function measureDetail(ctx: AppContext, id: string, actor: Actor | null) {
  const row = await currentMeasure(ctx, id);
  const hidden = await unpublishedMeasureIds(ctx.db);
  if (actor === null && hidden.has(id)) throw notFound(`措施「${id}」`);
  const history = await ctx.db
    .selectFrom("measures")
    .innerJoin("rules_versions", "rules_versions.version", "measures.rules_version")
    .select([
      "measures.rules_version",
      "measures.content_hash",
      "rules_versions.loaded_at",
      "rules_versions.current",
    ])
    .where("measures.id", "=", id)
    .orderBy("rules_versions.loaded_at")
    .orderBy("measures.rules_version")
    .execute();
  const versions: { rulesVersion: string; loadedAt: string; contentHash: string; current: boolean }[] = [];
  for (const h of history) {
    const last = versions[versions.length - 1];
    if (last && last.contentHash === h.content_hash) {
      if (h.current) last.current = true;
      continue;
    }
    versions.push({
      rulesVersion: h.rules_version,
      loadedAt: new Date(h.loaded_at).toISOString(),
      contentHash: h.content_hash,
      current: h.current,
    });
  }
  const budget =
    actor === null
      ? undefined
      : await ctx.db
          .selectFrom("measure_budgets")
          .select("budget_fen")
          .where("measure_id", "=", id)
          .executeTakeFirst();
  return {
    ...summary(row, hidden),
    data: row.data,
    budgetFen: budget ? Number(budget.budget_fen) : null,
    versions,
  };
}

/** Finance may budget the measures of its own district; municipal measures are the policy admin's. */
function authorizeBudget(actor: Actor, row: MeasureRow): void {
  authorize(actor, "policy.budget");
  if (actor.role === "finance" && actor.regionCode !== row.region_code)
    throw forbidden("财政局只能设置本区县措施的预算");
}

export interface ReloadResult {
  version: string;
  inserted: boolean;
  changed: string[];
}

/**
 * Reloads the policy library (the published revisions, with changed policy folders seeded in), stores a new
 * rules version if it changed, and queues targeted push.
 */
export async function reloadPolicies(ctx: AppContext, actor: Actor): Promise<ReloadResult> {
  let library: PolicyLibrary;
  let engine: Engine;
  let prepared: PreparedLibrary;
  try {
    prepared = await prepareLibrary(ctx.db);
    library = prepared.library;
    engine = compileRules(library.rules);
  } catch (e) {
    throw new AppError("VALIDATION", `政策数据载入失败，现行版本保持不变：${(e as Error).message}`);
  }
  await prepared.commit(ctx.now());
  const next: AppContext = { ...ctx, library, engine };
  const sync = await syncPolicyLibrary(next);
  // The new rules serve every request from now on (the context object is shared by all handlers).
  ctx.library = library;
  ctx.engine = engine;
  await ctx.db.transaction().execute(async (trx) => {
    // Batch matching of the changed measures (batch/runs.ts); each push job reads the lists this run writes.
    const run =
      sync.changed.length > 0
        ? await createRun(trx, {
            rulesVersion: engine.version,
            asOf: localDate(ctx.now()),
            reason: "publish",
            measureIds: sync.changed,
            createdBy: actor.id,
            now: ctx.now(),
          })
        : undefined;
    for (const id of sync.changed)
      await enqueue(
        trx,
        "measure.changed",
        { measureId: id, rulesVersion: sync.version, ...(run ? { runId: run.id } : {}) },
        `measure.changed:${sync.version}:${id}`,
      );
    await appendAudit(trx, actor, {
      action: "policy.reload",
      entity: "rules_version",
      entityId: sync.version,
      after: sync,
    });
  });
  return sync;
}

export async function registerPolicyRoutes(app: TypedApp, ctx: AppContext) {
  // The library is public (政策库, 文件, 措施, 检索, the rule set): anonymous visitors read it too. It holds
  // policy data only — nothing personal; unpublished measures stay hidden from everyone but the policy admin.
  const reader = (req: { actor: Actor | null }): Actor | null => req.actor;
  const seesHidden = (actor: Actor | null) => actor !== null && seesUnpublished(actor);

  app.get(
    "/api/rules",
    {
      config: PUBLIC_READ,
      schema: {
        tags: ["政策库"],
        summary: "当前规则集（事实词汇、文件、措施、从高不重复组），供浏览器内的同一引擎做即时测算",
        response: { 200: z.record(z.string(), z.unknown()), ...errorResponses },
      },
    },
    async () => ctx.library.rules as unknown as Record<string, unknown>,
  );

  app.get(
    "/api/documents",
    {
      config: PUBLIC_READ,
      schema: {
        tags: ["政策库"],
        summary: "政策文件列表（含措施数）",
        response: {
          200: z.object({ items: z.array(DocumentSummary), rulesVersion: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = reader(req);
      const hidden = await unpublishedMeasureIds(ctx.db);
      const counts = (
        await currentMeasures(ctx)
          .select(["measures.id", "measures.document_id", "measures.monetary"])
          .execute()
      ).filter((c) => seesHidden(actor) || !hidden.has(c.id));
      return {
        rulesVersion: ctx.engine.version,
        items: ctx.library.rules.documents.map((d) => ({
          id: d.id,
          docNumber: d.docNumber,
          title: d.title,
          issuer: d.issuer,
          issuedOn: d.issuedOn,
          level: d.level,
          regionCode: d.regionCode,
          validFrom: d.validFrom,
          validUntil: d.validUntil,
          measureCount: counts.filter((c) => c.document_id === d.id).length,
          monetaryCount: counts.filter((c) => c.document_id === d.id && c.monetary).length,
        })),
      };
    },
  );

  app.get(
    "/api/documents/:id",
    {
      config: PUBLIC_READ,
      schema: {
        tags: ["政策库"],
        summary: "政策文件详情（文件信息、目标、口径说明、措施列表）",
        params: z.object({
          id: Text(60).regex(/^[a-z0-9-]{1,60}$/, { error: "id 应为文件编号，如 banan-2022-63" }),
        }),
        response: {
          200: DocumentSummary.extend({
            validityQuote: z.string().optional(),
            numberedMeasures: z.number(),
            targets: z.array(z.record(z.string(), z.unknown())).optional(),
            notes: z
              .array(z.object({ topic: z.string(), quote: z.string(), reading: z.string() }))
              .optional(),
            measures: z.array(MeasureSummary),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = reader(req);
      const d = ctx.library.rules.documents.find((x) => x.id === req.params.id);
      if (!d) throw notFound(`政策文件「${req.params.id}」`);
      const hidden = await unpublishedMeasureIds(ctx.db);
      const rows = (
        await currentMeasures(ctx).selectAll("measures").where("measures.document_id", "=", d.id).execute()
      ).filter((r) => seesHidden(actor) || !hidden.has(r.id));
      const order = new Map(ctx.library.rules.measures.map((m, i) => [m.id, i]));
      rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      return {
        id: d.id,
        docNumber: d.docNumber,
        title: d.title,
        issuer: d.issuer,
        issuedOn: d.issuedOn,
        level: d.level,
        regionCode: d.regionCode,
        validFrom: d.validFrom,
        validUntil: d.validUntil,
        validityQuote: d.validityQuote,
        numberedMeasures: d.numberedMeasures,
        targets: d.targets as unknown as Record<string, unknown>[] | undefined,
        notes: d.notes,
        measureCount: rows.length,
        monetaryCount: rows.filter((r) => r.monetary).length,
        measures: rows.map((r) => summary(r, hidden)),
      };
    },
  );

  app.get(
    "/api/measures",
    {
      config: PUBLIC_READ,
      schema: {
        tags: ["政策库"],
        summary:
          "措施列表（现行规则版本），可按区县、层级、牵头单位、支持方式、是否资金类、有效日期、文件筛选",
        querystring: z.object({
          region: Text(6, { tooLong: "region 应为六位行政区划代码，如 500112" })
            .regex(/^\d{6}$/, { error: "region 应为六位行政区划代码，如 500112" })
            .optional()
            .meta({ description: "企业所在区县：返回该区县与市级（适用于全市各区县）的措施" }),
          level: z.enum(LEVELS, { error: "level 应为 national、municipal 或 district" }).optional(),
          department: Text(40, { tooLong: "department 应为部门代码，如 economy-it" })
            .regex(/^[a-z-]{1,40}$/, { error: "department 应为部门代码，如 economy-it" })
            .optional()
            .meta({ description: "牵头单位代码" }),
          benefitType: z
            .enum(BENEFIT_TYPES, { error: `benefitType 应为以下之一：${BENEFIT_TYPES.join("、")}` })
            .optional(),
          monetary: z.enum(["true", "false"], { error: "monetary 应为 true 或 false" }).optional(),
          validOn: isoDate("validOn").optional().meta({ description: "在该日处于执行期限内" }),
          documentId: Text(60, { tooLong: "documentId 应为文件编号，如 banan-2022-63" })
            .regex(/^[a-z0-9-]{1,60}$/, { error: "documentId 应为文件编号，如 banan-2022-63" })
            .optional(),
          published: z
            .enum(["true", "false"], { error: "published 应为 true 或 false" })
            .optional()
            .meta({ description: "政策管理员：只看已发布（true）或未发布（false）的措施" }),
          page,
          pageSize: pageSize(200, 50),
        }),
        response: {
          200: z.object({
            items: z.array(MeasureSummary),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = reader(req);
      const q = req.query;
      const hidden = await unpublishedMeasureIds(ctx.db);
      let base = currentMeasures(ctx);
      if (q.region) {
        const province = `${q.region.slice(0, 2)}0000`;
        base = base.where("measures.region_code", "in", [...new Set([q.region, province])]);
      }
      if (q.level) base = base.where("measures.level", "=", q.level);
      if (q.department) base = base.where("measures.lead_department", "=", q.department);
      if (q.benefitType) base = base.where("measures.benefit_type", "=", q.benefitType);
      if (q.monetary) base = base.where("measures.monetary", "=", q.monetary === "true");
      if (q.documentId) base = base.where("measures.document_id", "=", q.documentId);
      if (q.validOn) {
        const d = q.validOn;
        base = base
          .where("measures.valid_from", "<=", d)
          .where((eb) =>
            eb.or([eb("measures.valid_until", "is", null), eb("measures.valid_until", ">=", d)]),
          );
      }
      const rows = (await base.selectAll("measures").execute()).filter((r) => {
        const published = !hidden.has(r.id);
        if (!published && !seesHidden(actor)) return false;
        return q.published === undefined || published === (q.published === "true");
      });
      const order = new Map(ctx.library.rules.measures.map((m, i) => [m.id, i]));
      rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0) || a.id.localeCompare(b.id));
      const start = (q.page - 1) * q.pageSize;
      return {
        items: rows.slice(start, start + q.pageSize).map((r) => summary(r, hidden)),
        total: rows.length,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );

  const detailSchema = (params: z.ZodObject, summaryText: string) => ({
    tags: ["政策库"],
    summary: summaryText,
    params,
    response: { 200: MeasureDetail, ...errorResponses },
  });

  app.get(
    "/api/measures/:documentId/:item",
    {
      config: PUBLIC_READ,
      schema: detailSchema(
        MeasureParams,
        "措施详情：完整数据（原文、解读、口径说明、规则）、预算、版本历史。措施编号 banan-2022-63/2.1 即 documentId/item",
      ),
    },
    async (req) => {
      const p = req.params as z.infer<typeof MeasureParams>;
      return measureDetail(ctx, `${p.documentId}/${p.item}`, reader(req));
    },
  );

  app.get(
    "/api/measures/:id",
    {
      config: PUBLIC_READ,
      schema: detailSchema(EncodedMeasureParams, "措施详情（措施编号整体 URL 编码，如 banan-2022-63%2F2.1）"),
    },
    async (req) => {
      return measureDetail(ctx, (req.params as z.infer<typeof EncodedMeasureParams>).id, reader(req));
    },
  );

  app.get(
    "/api/search",
    {
      config: PUBLIC_READ,
      schema: {
        tags: ["政策库"],
        summary: "中文全文检索（标题、原文、解读、口径说明），结果到句，命中词以【】标出",
        description:
          "查询经 jieba 分词后用 PostgreSQL 全文检索（'simple' 配置）按 ts_rank 排序；查询先按同义词表（@huiqi/policies vocabulary/synonyms.yaml，如 研发补贴≈研发投入补贴≈研发费用后补助）拆成概念：同组任一词即可，不同概念都须出现（mode=all，exact=true）；没有结果时放宽为任一概念（mode=any，exact=false，notice 说明为部分匹配）。highlighted 中命中词（含同义词）用全角方括号【】标出。可按区县（region，含市级）与执行期（inForce=true，以重庆当日为准）筛选。",
        querystring: z.object({
          q: Text(100, { type: "检索词 q 不能为空", tooLong: "检索词 q 最多 100 个字" })
            .trim()
            .min(1, { error: "检索词 q 不能为空" })
            .max(100, { error: "检索词 q 最多 100 个字" }),
          region: Text(6, { tooLong: "region 应为六位行政区划代码，如 500112" })
            .regex(/^\d{6}$/, { error: "region 应为六位行政区划代码，如 500112" })
            .optional()
            .meta({ description: "区县：只返回该区县与市级（适用于全市各区县）文件的措施" }),
          inForce: z
            .enum(["true", "false"], { error: "inForce 应为 true 或 false" })
            .optional()
            .meta({ description: "true：只返回今天（重庆时间）处于执行期限内的措施" }),
          page,
          pageSize: pageSize(50, 20),
        }),
        response: {
          200: z.object({
            query: z.string(),
            tokens: z.array(z.string()).meta({ description: "分词结果" }),
            concepts: z
              .array(
                z.object({
                  text: z.string(),
                  group: z.string().nullable().meta({ description: "同义词组名；普通词为 null" }),
                  terms: z.array(z.string()).meta({ description: "满足该概念的任一词（同义词）" }),
                }),
              )
              .meta({ description: "查询拆出的概念：同组同义词任一即可，不同概念都须出现（mode=all）" }),
            mode: z.enum(["all", "any"]),
            exact: z.boolean().meta({ description: "false：没有措施匹配全部概念，结果为部分匹配" }),
            notice: z.string().nullable().meta({ description: "部分匹配时给用户的提示；否则为 null" }),
            highlight: z.object({ open: z.string(), close: z.string() }),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
            hits: z.array(
              z.object({
                measureId: z.string(),
                documentId: z.string(),
                docNumber: z.string(),
                title: z.string(),
                level: z.string(),
                regionCode: z.string(),
                validFrom: z.string(),
                validUntil: z
                  .string()
                  .nullable()
                  .meta({ description: "执行期限截止日（用于到期标签）；null 为未设截止" }),
                rank: z.number(),
                matches: z.array(
                  z.object({
                    field: z
                      .string()
                      .meta({ description: "命中位置，如 clause、interpretation.what、notes[0].reading" }),
                    fieldLabel: z.string(),
                    sentence: z.string(),
                    highlighted: z.string(),
                    tokens: z.array(z.string()),
                  }),
                ),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = reader(req);
      const { q, page: p, pageSize: size, region, inForce } = req.query;
      const tokens = queryTokens(q);
      if (tokens.length === 0)
        throw new AppError("VALIDATION", "q：检索词中没有可检索的字词", [
          { field: "q", message: "检索词中没有可检索的字词" },
        ]);
      const exclude = seesHidden(actor) ? [] : [...(await unpublishedMeasureIds(ctx.db))];
      const r = await searchMeasures(ctx, q, p, size, exclude, {
        region,
        validOn: inForce === "true" ? chongqingDate(ctx.now()) : undefined,
      });
      return { ...r, highlight: { open: HIGHLIGHT_OPEN, close: HIGHLIGHT_CLOSE }, page: p, pageSize: size };
    },
  );

  app.post(
    "/api/policies/reload",
    {
      config: { action: "policy.publish" },
      schema: {
        tags: ["政策库"],
        summary: "政策管理员：重新载入政策数据；内容有变化时生成新规则版本，并为变化的措施排队精准推送",
        body: z.object({}).optional(),
        response: {
          200: z.object({
            version: z.string(),
            inserted: z.boolean().meta({ description: "是否写入了新的规则版本" }),
            changed: z.array(z.string()).meta({ description: "相对上一现行版本新增或变化的措施" }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "policy.publish");
      return reloadPolicies(ctx, actor);
    },
  );

  app.put(
    "/api/measures/:documentId/:item/publication",
    {
      config: { action: "policy.publish" },
      schema: {
        tags: ["政策库"],
        summary:
          "政策管理员：发布或撤下一项措施。撤下的措施不再出现在政策库（管理员除外）和企业的匹配结果中，已有申报与历史保留",
        params: MeasureParams,
        body: z.object({
          published: z.boolean({ error: "published 应为 true（发布）或 false（撤下）" }),
        }),
        response: {
          200: z.object({
            measureId: z.string(),
            published: z.boolean(),
            changed: z.boolean().meta({ description: "状态是否有变化（无变化时不记审计）" }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "policy.publish");
      const id = `${req.params.documentId}/${req.params.item}`;
      await currentMeasure(ctx, id);
      return setPublication(ctx, actor, id, req.body.published);
    },
  );

  app.get(
    "/api/policies/cases",
    {
      config: { action: "policy.publish" },
      schema: {
        tags: ["政策库"],
        summary:
          "政策管理员：用现行引擎运行政策数据的 YAML 用例（某项措施的，或全部），给出期望、实际与是否通过",
        querystring: z.object({
          measureId: Text(81, { tooLong: "measureId 应为措施编号，如 banan-2022-63/2.1" })
            .regex(/^[a-z0-9-]{1,60}\/[0-9A-Za-z.-]{1,20}$/, {
              error: "measureId 应为措施编号，如 banan-2022-63/2.1",
            })
            .optional()
            .meta({ description: "措施编号；缺省为全部用例" }),
        }),
        response: {
          200: z.object({
            rulesVersion: z.string(),
            measureId: z.string().nullable(),
            total: z.number().int(),
            passed: z.number().int(),
            cases: z.array(
              z.object({
                name: z.string(),
                documentId: z.string(),
                measureId: z.string().nullable(),
                asOf: z.string(),
                expected: z.string(),
                actual: z.string(),
                pass: z.boolean(),
                problems: z.array(z.string()),
                note: z.string().optional(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "policy.publish");
      const measureId = req.query.measureId;
      if (measureId && !ctx.engine.byId.has(measureId)) throw notFound(`措施「${measureId}」`);
      const cases = runPolicyCases(ctx, measureId);
      return {
        rulesVersion: ctx.engine.version,
        measureId: measureId ?? null,
        total: cases.length,
        passed: cases.filter((c) => c.pass).length,
        cases,
      };
    },
  );

  app.put(
    "/api/measures/:documentId/:item/budget",
    {
      config: { action: "policy.budget" },
      schema: {
        tags: ["政策库"],
        summary: "设置措施预算（单位分；政策管理员，或本区县措施的财政局）",
        params: MeasureParams,
        body: z.object({
          budgetFen: z
            .number({ error: "budgetFen 应为整数（单位：分）" })
            .int({ error: "budgetFen 应为整数（单位：分）" })
            .min(0, { error: "budgetFen 不能为负数" })
            .max(Number.MAX_SAFE_INTEGER, { error: "budgetFen 过大" }),
        }),
        response: {
          200: z.object({ measureId: z.string(), budgetFen: z.number(), budgetText: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "policy.budget");
      const id = `${req.params.documentId}/${req.params.item}`;
      const row = await currentMeasure(ctx, id);
      authorizeBudget(actor, row);
      const budgetFen = req.body.budgetFen;
      await ctx.db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom("measure_budgets")
          .select("budget_fen")
          .where("measure_id", "=", id)
          .executeTakeFirst();
        await trx
          .insertInto("measure_budgets")
          .values({ measure_id: id, budget_fen: budgetFen })
          .onConflict((oc) => oc.column("measure_id").doUpdateSet({ budget_fen: budgetFen }))
          .execute();
        await appendAudit(trx, actor, {
          action: "measure.budget",
          entity: "measure",
          entityId: id,
          before: before ? { budgetFen: Number(before.budget_fen) } : null,
          after: { budgetFen },
        });
      });
      return { measureId: id, budgetFen, budgetText: formatFen(budgetFen) };
    },
  );
}

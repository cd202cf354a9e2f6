/** Enterprise profile routes: read (with sources and derived size class), update own facts, verify, list. */
import { sql } from "kysely";
import { z } from "zod";
import { requireActor } from "../app.ts";
import { appendAudit } from "../audit/audit-log.ts";
import type { AppContext } from "../context.ts";
import { AppError, type FieldError } from "../errors.ts";
import { errorResponses, IdParam, Text } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { auditRead, type EnterpriseRow, enterpriseInScope } from "./access.ts";
import { loadFacts, loadStoredFacts } from "./facts-store.ts";
import { deriveSizeClass } from "./size-class.ts";
import { FACT_LIMITS, parseFactsChange, updateFacts } from "./update-facts.ts";

const StoredFactSchema = z.object({
  factId: z.string(),
  label: z.string().meta({ description: "事实的中文名称" }),
  period: z.string().meta({ description: "按年度事实的年份；其他事实为空字符串" }),
  value: z.unknown().meta({ description: "取值；金额单位为元" }),
  source: z
    .enum(["self", "import", "verified"])
    .meta({ description: "self = 企业自报；import = 政府部门数据导入（企业不能修改）；verified = 部门核实" }),
  verifiedBy: z.string().nullable().meta({ description: "核实人账户 id" }),
  verifiedByName: z
    .string()
    .nullable()
    .meta({ description: "核实人姓名（部门账户的显示名）；企业自报时为 null" }),
  updatedAt: z.string().meta({ description: "最近一次填报或核实的时间（核实的事实即核实时间）" }),
  importFile: z.string().nullable().meta({ description: "导入的事实：来源文件名；其他为 null" }),
  importRow: z.number().nullable().meta({ description: "导入的事实：来源文件中的行号（表头为第 1 行）" }),
});

const SizeSchema = z.object({
  declared: z.string().nullable().meta({ description: "企业自报的规模（画像中的 size）" }),
  derived: z
    .object({
      size: z.enum(["large", "medium", "small", "micro"]).nullable(),
      label: z.string().nullable().meta({ description: "大型／中型／小型／微型；事实不足时为 null" }),
      standard: z.string(),
      sector: z.string().nullable(),
      rule: z.string().meta({ description: "所用的划型规则与实际数值" }),
      quote: z.string().nullable(),
      basis: z.object({
        employees: z.number().nullable(),
        revenue: z.number().nullable(),
        revenueYear: z.string().nullable(),
      }),
    })
    .meta({ description: "按《中小企业划型标准规定》（工信部联企业〔2011〕300号）由从业人员和营业收入推算" }),
});

const EnterpriseSchema = z.object({
  id: z.string(),
  uscc: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  industryCode: z.string().nullable(),
  version: z.number().meta({ description: "修改事实时作为乐观锁版本号带回" }),
  updatedAt: z.string(),
  facts: z.array(StoredFactSchema),
  profile: z.record(z.string(), z.unknown()).meta({ description: "引擎所见的企业画像（含推导事实）" }),
  size: SizeSchema,
});

const EnterpriseSummary = z.object({
  id: z.string(),
  uscc: z.string(),
  name: z.string(),
  regionCode: z.string(),
  industryCode: z.string().nullable(),
  version: z.number(),
  updatedAt: z.string(),
});

const VersionBody = z
  .number({ error: "应为数字（读取企业画像时返回的 version）" })
  .int({ error: "应为整数" })
  .min(1, { error: "应为正整数" });

function regionName(ctx: AppContext, code: string): string | null {
  const def = ctx.engine.facts.get("regionCode");
  return def?.values?.find((v) => v.value === code)?.label ?? null;
}

function summary(e: EnterpriseRow) {
  return {
    id: e.id,
    uscc: e.uscc,
    name: e.name,
    regionCode: e.region_code,
    industryCode: e.industry_code,
    version: e.version,
    updatedAt: new Date(e.updated_at).toISOString(),
  };
}

async function presentEnterprise(ctx: AppContext, e: EnterpriseRow) {
  const stored = await loadStoredFacts(ctx.db, e.id);
  const profile = (await loadFacts(ctx.db, e.id)) ?? {};
  const verifierIds = [...new Set(stored.map((f) => f.verifiedBy).filter((x): x is string => x !== null))];
  const verifiers = new Map(
    verifierIds.length
      ? (
          await ctx.db
            .selectFrom("accounts")
            .select(["id", "display_name"])
            .where("id", "in", verifierIds)
            .execute()
        ).map((a) => [a.id, a.display_name])
      : [],
  );
  return {
    ...summary(e),
    regionName: regionName(ctx, e.region_code),
    facts: stored.map((f) => ({
      factId: f.factId,
      label: ctx.engine.factLabel(f.period ? `${f.factId}:${f.period}` : f.factId),
      period: f.period,
      value: f.value,
      source: f.source,
      verifiedBy: f.verifiedBy,
      verifiedByName: f.source === "verified" && f.verifiedBy ? (verifiers.get(f.verifiedBy) ?? null) : null,
      updatedAt: f.updatedAt,
      importFile: f.importFile,
      importRow: f.importRow,
    })),
    profile,
    size: {
      declared: typeof profile.size === "string" ? profile.size : null,
      derived: deriveSizeClass(profile),
    },
  };
}

export async function registerEnterpriseRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/enterprises",
    {
      config: { action: "enterprise.list" },
      schema: {
        tags: ["企业画像"],
        summary: "本区县企业列表（部门经办人、财政、发展改革委；查询记入审计）",
        querystring: z.object({
          page: z.coerce
            .number({ error: "page 应为页码数字" })
            .int({ error: "page 应为整数" })
            .min(1, { error: "page 应从 1 开始" })
            .default(1),
          pageSize: z.coerce
            .number({ error: "pageSize 应为数字" })
            .int({ error: "pageSize 应为整数" })
            .min(1, { error: "pageSize 至少为 1" })
            .max(100, { error: "pageSize 最多 100" })
            .default(20),
          q: Text(50, { tooLong: "q 最多 50 个字" }).trim().optional().meta({
            description: "按企业名称或统一社会信用代码筛选",
          }),
        }),
        response: {
          200: z.object({
            items: z.array(EnterpriseSummary),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "enterprise.list");
      const region = actor.regionCode;
      if (!region) throw new AppError("FORBIDDEN", "账户未设置所属区县，无法查看企业");
      const { page, pageSize, q } = req.query;
      let base = ctx.db.selectFrom("enterprises").where("region_code", "=", region);
      if (q) {
        const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        base = base.where((eb) => eb.or([eb("name", "like", like), eb("uscc", "like", like)]));
      }
      const total = await base.select(sql<string>`count(*)`.as("n")).executeTakeFirstOrThrow();
      const rows = await base
        .selectAll()
        .orderBy("name")
        .orderBy("id")
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      await ctx.db.transaction().execute((trx) =>
        appendAudit(trx, actor, {
          action: "enterprise.list",
          entity: "enterprise",
          entityId: null,
          after: { regionCode: region, page, pageSize, q: q ?? null, ids: rows.map((r) => r.id) },
        }),
      );
      return { items: rows.map(summary), total: Number(total.n), page, pageSize };
    },
  );

  app.get(
    "/api/enterprises/:id",
    {
      config: { action: "enterprise.read" },
      schema: {
        tags: ["企业画像"],
        summary: "企业画像：身份、每个事实的年度与来源（自报／核实）、推算的大中小微规模（部门读取记入审计）",
        params: IdParam,
        response: { 200: EnterpriseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const e = await enterpriseInScope(ctx, actor, "enterprise.read", req.params.id);
      const body = await presentEnterprise(ctx, e);
      await auditRead(ctx, actor, e.id, { view: "profile" });
      return body;
    },
  );

  app.put(
    "/api/enterprises/:id/facts",
    {
      config: { action: "enterprise.update" },
      schema: {
        tags: ["企业画像"],
        summary: "企业修改本企业的事实（部分画像；null 表示删除；带 version 乐观锁）",
        description:
          'facts 为部分企业画像（字段见 huiqi schema profile），金额单位为元；按年度事实写成 {"2021": 数值}，某年写 null 只删除该年。统一社会信用代码和所在区县不能在此修改。',
        params: IdParam,
        body: z.object({
          version: VersionBody,
          facts: z
            .record(Text(FACT_LIMITS.keyChars), z.unknown(), { error: "facts 应为对象（部分企业画像）" })
            .refine((f) => Object.keys(f).length <= FACT_LIMITS.keys, {
              error: `facts 最多 ${FACT_LIMITS.keys} 项`,
            })
            .meta({ description: "部分企业画像", maxProperties: FACT_LIMITS.keys }),
        }),
        response: { 200: EnterpriseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const e = await enterpriseInScope(ctx, actor, "enterprise.update", req.params.id);
      const change = parseFactsChange(ctx, req.body.facts);
      await updateFacts(ctx, actor, e, req.body.version, change);
      const fresh = await ctx.db
        .selectFrom("enterprises")
        .selectAll()
        .where("id", "=", e.id)
        .executeTakeFirstOrThrow();
      return presentEnterprise(ctx, fresh);
    },
  );

  app.post(
    "/api/enterprises/:id/facts/verify",
    {
      config: { action: "enterprise.verifyFact" },
      schema: {
        tags: ["企业画像"],
        summary: "部门经办人核实企业的事实（来源改为“部门核实”，记入审计）",
        params: IdParam,
        body: z.object({
          version: VersionBody.optional().meta({ description: "可选：企业画像的版本号，不一致时拒绝" }),
          facts: z
            .array(
              z.object({
                factId: Text(FACT_LIMITS.keyChars, { type: "factId 应为字符串" }).min(1, {
                  error: "factId 不能为空",
                }),
                period: Text(4, {
                  type: "period 应为字符串（年份或空）",
                  tooLong: "period 应为四位年份或留空",
                })
                  .regex(/^(20\d{2})?$/, { error: "period 应为四位年份或留空" })
                  .default(""),
              }),
              { error: "facts 应为数组" },
            )
            .min(1, { error: "facts 至少包含一项" })
            .max(200, { error: "facts 最多 200 项" }),
        }),
        response: { 200: EnterpriseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const e = await enterpriseInScope(ctx, actor, "enterprise.verifyFact", req.params.id);
      const now = ctx.now();
      await ctx.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom("enterprise_facts")
          .selectAll()
          .where("enterprise_id", "=", e.id)
          .execute();
        const byKey = new Map(rows.map((r) => [`${r.fact_id}:${r.period}`, r]));
        const fields: FieldError[] = [];
        req.body.facts.forEach((f, i) => {
          if (!byKey.has(`${f.factId}:${f.period}`))
            fields.push({
              field: `facts[${i}]`,
              message: `企业尚未填报「${ctx.engine.factLabel(f.period ? `${f.factId}:${f.period}` : f.factId)}」，无法核实`,
            });
        });
        if (fields.length > 0)
          throw new AppError("VALIDATION", fields.map((f) => `${f.field}：${f.message}`).join("；"), fields);
        let bump = trx
          .updateTable("enterprises")
          .set((eb) => ({ version: eb("version", "+", 1), updated_at: now }))
          .where("id", "=", e.id);
        if (req.body.version !== undefined) bump = bump.where("version", "=", req.body.version);
        const bumped = await bump.returning("version").executeTakeFirst();
        if (!bumped)
          throw new AppError("VERSION_MISMATCH", "企业画像已被修改，请刷新后再核实", [
            { field: "version", message: "版本不一致" },
          ]);
        const before: Record<string, unknown>[] = [];
        for (const f of req.body.facts) {
          const r = byKey.get(`${f.factId}:${f.period}`);
          before.push({ factId: f.factId, period: f.period, source: r?.source, verifiedBy: r?.verified_by });
          await trx
            .updateTable("enterprise_facts")
            .set({ source: "verified", verified_by: actor.id, updated_at: now })
            .where("enterprise_id", "=", e.id)
            .where("fact_id", "=", f.factId)
            .where("period", "=", f.period)
            .execute();
        }
        await appendAudit(trx, actor, {
          action: "enterprise.verifyFacts",
          entity: "enterprise",
          entityId: e.id,
          before,
          after: req.body.facts.map((f) => ({ ...f, source: "verified", verifiedBy: actor.id })),
        });
      });
      const fresh = await ctx.db
        .selectFrom("enterprises")
        .selectAll()
        .where("id", "=", e.id)
        .executeTakeFirstOrThrow();
      return presentEnterprise(ctx, fresh);
    },
  );
}

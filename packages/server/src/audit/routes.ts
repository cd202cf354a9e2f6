/**
 * Audit log: verify the hash chain, and page through the rows. Policy admins see every row; a district
 * coordinator only the rows of its district (auditScope), whatever the filters. Rows come with Chinese words
 * for the action, the actor (display name and role) and the object (enterprise name, application's
 * enterprise and measure) so the audit page shows no identifiers where it can avoid them.
 */
import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { Actor, AppContext } from "../context.ts";
import type { Database } from "../db/schema.ts";
import { invalid } from "../errors.ts";
import { errorResponses, Text } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { AUDIT_ACTION_KINDS, AUDIT_ENTITY_LABELS, actionLabel, roleLabel } from "./actions.ts";
import { verifyAudit } from "./audit-log.ts";

const AuditRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
  actionLabel: z.string().meta({ description: "操作（中文）" }),
  actorName: z.string().nullable().meta({ description: "操作人姓名或账户名称；系统操作为 null" }),
  actorRoleLabel: z.string().meta({ description: "操作人角色（中文）" }),
  entityLabel: z.string().meta({ description: "对象类型（中文）" }),
  objectLabel: z.string().nullable().meta({ description: "对象（企业名称、申报的企业与措施等）" }),
});

const DateText = Text(10, { tooLong: "应为日期，如 2026-10-01" }).regex(/^\d{4}-\d{2}-\d{2}$/, {
  error: "应为日期，如 2026-10-01",
});

/** The first instant of a Chongqing calendar date (UTC+8), as the ISO text the `at` column holds. */
function chongqingDayStart(date: string, field: string): string {
  const t = Date.parse(`${date}T00:00:00+08:00`);
  if (Number.isNaN(t)) throw invalid(field, "日期无效");
  return new Date(t).toISOString();
}

/**
 * The rows a coordinator of a district may read: those about an enterprise of the district or an application
 * of such an enterprise, and those written by an account of the district (its staff and enterprises: lists,
 * budgets, sign-outs) unless they concern an enterprise or application of another district. Rows about other
 * districts, and the policy admins' library changes, stay hidden.
 */
export function auditScope(actor: Actor) {
  return (eb: ExpressionBuilder<Database, "audit_log">) => {
    if (actor.role === "policyAdmin") return eb.lit(true);
    const region = actor.regionCode;
    if (actor.role !== "coordinator" || !region) return eb.lit(false);
    const about = (inDistrict: boolean) =>
      eb.or([
        eb.and([
          eb("audit_log.entity_id", "is not", null),
          eb("audit_log.entity", "=", "enterprise"),
          eb(
            "audit_log.entity_id",
            "in",
            eb
              .selectFrom("enterprises")
              .select(sql<string>`enterprises.id::text`.as("id"))
              .where("enterprises.region_code", inDistrict ? "=" : "<>", region),
          ),
        ]),
        eb.and([
          eb("audit_log.entity_id", "is not", null),
          eb("audit_log.entity", "=", "application"),
          eb(
            "audit_log.entity_id",
            "in",
            eb
              .selectFrom("applications")
              .innerJoin("enterprises", "enterprises.id", "applications.enterprise_id")
              .select(sql<string>`applications.id::text`.as("id"))
              .where("enterprises.region_code", inDistrict ? "=" : "<>", region),
          ),
        ]),
      ]);
    return eb.or([
      about(true),
      eb.and([
        eb(
          "audit_log.actor_id",
          "in",
          eb.selectFrom("accounts").select("accounts.id").where("accounts.region_code", "=", region),
        ),
        eb.not(about(false)),
      ]),
    ]);
  };
}

interface Described {
  actorName: string | null;
  objectLabel: string | null;
}

/** Display names of the actors and Chinese descriptions of the objects of a page of rows. */
async function describeRows(
  db: Kysely<Database>,
  ctx: AppContext,
  rows: { seq: number | string; actor_id: string | null; entity: string; entity_id: string | null }[],
): Promise<Map<string, Described>> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const actorIds = [...new Set(rows.flatMap((r) => (r.actor_id ? [r.actor_id] : [])))];
  const ids = (entity: string) => [
    ...new Set(
      rows.flatMap((r) =>
        r.entity === entity && r.entity_id && uuid.test(r.entity_id) ? [r.entity_id] : [],
      ),
    ),
  ];
  const enterpriseIds = ids("enterprise");
  const applicationIds = ids("application");
  const accountIds = [...new Set([...actorIds, ...ids("account")])];
  const [accounts, enterprises, applications] = await Promise.all([
    accountIds.length
      ? db.selectFrom("accounts").select(["id", "display_name"]).where("id", "in", accountIds).execute()
      : [],
    enterpriseIds.length
      ? db.selectFrom("enterprises").select(["id", "name"]).where("id", "in", enterpriseIds).execute()
      : [],
    applicationIds.length
      ? db
          .selectFrom("applications")
          .innerJoin("enterprises", "enterprises.id", "applications.enterprise_id")
          .select(["applications.id", "applications.number", "applications.measure_id", "enterprises.name"])
          .where("applications.id", "in", applicationIds)
          .execute()
      : [],
  ]);
  const accountName = new Map(accounts.map((a) => [a.id, a.display_name]));
  const enterpriseName = new Map(enterprises.map((e) => [e.id, e.name]));
  const application = new Map(
    applications.map((a) => {
      const m = ctx.engine.byId.get(a.measure_id);
      const title = m ? `${m.def.title}（${m.doc.docNumber}）` : "措施";
      return [a.id, `申报 ${a.number}：${a.name} 申报「${title}」`];
    }),
  );
  const out = new Map<string, Described>();
  for (const r of rows) {
    let objectLabel: string | null = null;
    const id = r.entity_id;
    if (r.entity === "enterprise") objectLabel = id ? (enterpriseName.get(id) ?? "企业") : "企业名单";
    else if (r.entity === "application") objectLabel = id ? (application.get(id) ?? "申报") : "申报列表";
    else if (r.entity === "account") objectLabel = id ? (accountName.get(id) ?? "账户") : null;
    else if (r.entity === "measure" && id) {
      const m = ctx.engine.byId.get(id);
      objectLabel = m ? `${m.def.title}（${m.doc.docNumber}）` : `措施 ${id}`;
    } else if (r.entity === "rules_version") objectLabel = id ? `政策库版本 ${id}` : "政策库";
    out.set(String(r.seq), {
      actorName: r.actor_id ? (accountName.get(r.actor_id) ?? null) : null,
      objectLabel,
    });
  }
  return out;
}

export async function registerAuditRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/audit/verify",
    {
      config: { action: "audit.read" },
      schema: {
        tags: ["审计"],
        summary: "校验审计日志哈希链（发现被改动或删除的行）",
        response: {
          200: z.object({
            ok: z.boolean(),
            rows: z.number().int(),
            problem: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      authorize(requireActor(req), "audit.read");
      return verifyAudit(ctx.db);
    },
  );

  app.get(
    "/api/audit/actions",
    {
      config: { action: "audit.read" },
      schema: {
        tags: ["审计"],
        summary: "审计日志的操作类别（筛选用，中文名称）",
        response: {
          200: z.object({ items: z.array(z.object({ kind: z.string(), label: z.string() })) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      authorize(requireActor(req), "audit.read");
      return { items: AUDIT_ACTION_KINDS };
    },
  );

  app.get(
    "/api/audit",
    {
      config: { action: "audit.read" },
      schema: {
        tags: ["审计"],
        summary:
          "审计日志（新到在前，分页，可按对象、对象编号、操作人、操作类别、日期筛选；区发展改革委只看到本区企业、申报和本区账户的记录）",
        querystring: z.object({
          entity: Text(50).optional().meta({ description: "对象类型，如 enterprise、application" }),
          entityId: Text(100).optional(),
          actor: z.uuid({ error: "应为账户 UUID" }).optional().meta({ description: "操作人账户编号" }),
          action: Text(60, { tooLong: "应为操作类别，如 application.review" })
            .regex(/^[A-Za-z.]{1,60}$/, { error: "应为操作类别，如 application.review" })
            .optional()
            .meta({
              description:
                "操作类别：该操作本身或以它开头的操作（application.review 含通过、退回、不予通过）",
            }),
          from: DateText.optional().meta({ description: "起始日期（含，北京时间），如 2026-10-01" }),
          to: DateText.optional().meta({ description: "截止日期（含，北京时间），如 2026-12-31" }),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({ items: z.array(AuditRow), total: z.number().int() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const reader = requireActor(req);
      authorize(reader, "audit.read");
      const { entity, entityId, actor, action, from, to, limit, offset } = req.query;
      let q = ctx.db.selectFrom("audit_log").where(auditScope(reader));
      if (entity) q = q.where("entity", "=", entity);
      if (entityId) q = q.where("entity_id", "=", entityId);
      if (actor) q = q.where("actor_id", "=", actor);
      if (action)
        q = q.where((eb) => eb.or([eb("action", "=", action), eb("action", "like", `${action}.%`)]));
      if (from) q = q.where("at", ">=", chongqingDayStart(from, "from"));
      if (to) {
        const end = new Date(Date.parse(chongqingDayStart(to, "to")) + 86_400_000).toISOString();
        q = q.where("at", "<", end);
      }
      if (from && to && from > to) throw invalid("to", "截止日期不能早于起始日期");
      const rows = await q.selectAll().orderBy("seq", "desc").limit(limit).offset(offset).execute();
      const total = await q.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
      const described = await describeRows(ctx.db, ctx, rows);
      return {
        items: rows.map((r) => ({
          seq: Number(r.seq),
          at: r.at,
          actorId: r.actor_id,
          actorRole: r.actor_role,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          before: r.before,
          after: r.after,
          hash: r.hash,
          actionLabel: actionLabel(r.action),
          actorName: described.get(String(r.seq))?.actorName ?? null,
          actorRoleLabel: roleLabel(r.actor_role),
          entityLabel: AUDIT_ENTITY_LABELS[r.entity] ?? "其他对象",
          objectLabel: described.get(String(r.seq))?.objectLabel ?? null,
        })),
        total: Number(total.n),
      };
    },
  );
}

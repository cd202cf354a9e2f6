/**
 * Audit log: verify the hash chain, and page through the rows. Policy admins see every row; a district
 * coordinator only the rows of its district (auditScope), whatever the filters.
 */
import { type ExpressionBuilder, sql } from "kysely";
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { Actor, AppContext } from "../context.ts";
import type { Database } from "../db/schema.ts";
import { errorResponses, Text } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
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
});

/**
 * The rows a coordinator of a district may read: those about an enterprise of the district or an application
 * of such an enterprise, and those written by an account of the district (its staff and enterprises: lists,
 * budgets, sign-outs). Rows about other districts, and the policy admins' library changes, stay hidden.
 */
export function auditScope(actor: Actor) {
  return (eb: ExpressionBuilder<Database, "audit_log">) => {
    if (actor.role === "policyAdmin") return eb.lit(true);
    const region = actor.regionCode;
    if (actor.role !== "coordinator" || !region) return eb.lit(false);
    return eb.or([
      eb.and([
        eb("audit_log.entity", "=", "enterprise"),
        eb(
          "audit_log.entity_id",
          "in",
          eb
            .selectFrom("enterprises")
            .select(sql<string>`enterprises.id::text`.as("id"))
            .where("enterprises.region_code", "=", region),
        ),
      ]),
      eb.and([
        eb("audit_log.entity", "=", "application"),
        eb(
          "audit_log.entity_id",
          "in",
          eb
            .selectFrom("applications")
            .innerJoin("enterprises", "enterprises.id", "applications.enterprise_id")
            .select(sql<string>`applications.id::text`.as("id"))
            .where("enterprises.region_code", "=", region),
        ),
      ]),
      eb(
        "audit_log.actor_id",
        "in",
        eb.selectFrom("accounts").select("accounts.id").where("accounts.region_code", "=", region),
      ),
    ]);
  };
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
    "/api/audit",
    {
      config: { action: "audit.read" },
      schema: {
        tags: ["审计"],
        summary:
          "审计日志（新到在前，分页，可按对象、对象编号、操作人筛选；区发展改革委只看到本区企业、申报和本区账户的记录）",
        querystring: z.object({
          entity: Text(50).optional().meta({ description: "对象类型，如 enterprise、application" }),
          entityId: Text(100).optional(),
          actor: z.uuid({ error: "应为账户 UUID" }).optional().meta({ description: "操作人账户编号" }),
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
      const { entity, entityId, actor, limit, offset } = req.query;
      let q = ctx.db.selectFrom("audit_log").where(auditScope(reader));
      if (entity) q = q.where("entity", "=", entity);
      if (entityId) q = q.where("entity_id", "=", entityId);
      if (actor) q = q.where("actor_id", "=", actor);
      const rows = await q.selectAll().orderBy("seq", "desc").limit(limit).offset(offset).execute();
      const total = await q.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
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
        })),
        total: Number(total.n),
      };
    },
  );
}

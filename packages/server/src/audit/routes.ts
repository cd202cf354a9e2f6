/** Audit log: verify the hash chain, and page through the rows (coordinator, policy admin). */
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { errorResponses } from "../http/schemas.ts";
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
        summary: "审计日志（新到在前，分页，可按对象、对象编号、操作人筛选）",
        querystring: z.object({
          entity: z.string().max(50).optional().meta({ description: "对象类型，如 enterprise、application" }),
          entityId: z.string().max(100).optional(),
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
      authorize(requireActor(req), "audit.read");
      const { entity, entityId, actor, limit, offset } = req.query;
      let q = ctx.db.selectFrom("audit_log");
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

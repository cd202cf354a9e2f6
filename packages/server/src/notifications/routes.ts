/** In-app notifications: an enterprise lists its own and marks them read. */
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { forbidden, notFound } from "../errors.ts";
import { errorResponses, IdParam } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";

const NotificationSchema = z.object({
  id: z.string(),
  kind: z.string().meta({
    description:
      "measure.new 新措施适配、measure.changed 措施更新后适配、profile.matched 画像更新后适配、deadline.reminder 截止提醒、application.changed 申报进度",
  }),
  measureId: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  read: z.boolean(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function registerNotificationRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/notifications",
    {
      config: { action: "notification.read" },
      schema: {
        tags: ["精准推送"],
        summary: "本企业的站内通知（新到在前）与未读数",
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
          unread: z.enum(["true", "false"]).optional().meta({ description: "true：只看未读" }),
        }),
        response: {
          200: z.object({
            items: z.array(NotificationSchema),
            total: z.number().int(),
            unreadCount: z.number().int(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "notification.read");
      const enterpriseId = actor.enterpriseId;
      if (!enterpriseId) throw forbidden("该账户未关联企业");
      const { limit, offset, unread } = req.query;
      let q = ctx.db.selectFrom("notifications").where("enterprise_id", "=", enterpriseId);
      if (unread === "true") q = q.where("read_at", "is", null);
      const rows = await q
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .offset(offset)
        .execute();
      const counts = await ctx.db
        .selectFrom("notifications")
        .where("enterprise_id", "=", enterpriseId)
        .select((eb) => [
          eb.fn.countAll<string>().as("total"),
          eb.fn.count<string>("id").filterWhere("read_at", "is", null).as("unread"),
        ])
        .executeTakeFirstOrThrow();
      return {
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          measureId: r.measure_id,
          title: r.title,
          body: r.body,
          read: r.read_at !== null,
          readAt: iso(r.read_at),
          createdAt: iso(r.created_at) as string,
        })),
        total: unread === "true" ? Number(counts.unread) : Number(counts.total),
        unreadCount: Number(counts.unread),
      };
    },
  );

  app.post(
    "/api/notifications/:id/read",
    {
      config: { action: "notification.read" },
      schema: {
        tags: ["精准推送"],
        summary: "标记一条通知为已读（重复标记无副作用）",
        params: IdParam,
        response: { 200: z.object({ id: z.string(), readAt: z.string() }), ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "notification.read");
      if (!actor.enterpriseId) throw forbidden("该账户未关联企业");
      const now = ctx.now();
      await ctx.db
        .updateTable("notifications")
        .set({ read_at: now })
        .where("id", "=", req.params.id)
        .where("enterprise_id", "=", actor.enterpriseId)
        .where("read_at", "is", null)
        .execute();
      // Another enterprise's notification is reported as not found: its existence is not disclosed.
      const row = await ctx.db
        .selectFrom("notifications")
        .select(["id", "read_at"])
        .where("id", "=", req.params.id)
        .where("enterprise_id", "=", actor.enterpriseId)
        .executeTakeFirst();
      if (!row?.read_at) throw notFound("通知");
      return { id: row.id, readAt: new Date(row.read_at).toISOString() };
    },
  );
}

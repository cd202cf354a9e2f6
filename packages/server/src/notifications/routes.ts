/** In-app notifications: an enterprise lists its own, marks them read, and sets what it wants to receive. */
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { forbidden, invalid, notFound } from "../errors.ts";
import { errorResponses, IdParam } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { saveSettings, settingsFor } from "./settings.ts";

const NotificationSchema = z.object({
  id: z.string(),
  kind: z.string().meta({
    description:
      "matches.digest 新措施适合您（一次汇总多项）、deadline.reminder 截止提醒、application.changed 申报进度；旧数据还有 measure.new、measure.changed、profile.matched（逐项的匹配通知）",
  }),
  measureId: z.string().nullable(),
  link: z
    .string()
    .nullable()
    .meta({ description: "网页端去处，如 /calculator、/applications/{id}；null 时看 measureId 对应的措施" }),
  title: z.string(),
  body: z.string(),
  read: z.boolean(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const Flag = (what: string) => z.boolean({ error: `${what}应为 true 或 false` });

const SettingsSchema = z
  .object({
    topics: z.object({
      matches: Flag("新措施适合我（topics.matches）").meta({
        description: "新措施或画像更新后适合本企业的措施（汇总）",
      }),
      deadlines: Flag("截止提醒（topics.deadlines）").meta({
        description: "可能符合、尚未申报的措施即将截止",
      }),
      status: Flag("申报状态（topics.status）").meta({ description: "本企业申报的审核、公示、兑付进度" }),
    }),
    channels: z.object({
      inApp: Flag("站内通知（channels.inApp）"),
      email: Flag("邮件（channels.email）").meta({ description: "邮件通道尚未接入，只能为 false" }),
    }),
  })
  .meta({ description: "通知设置：订阅的主题与渠道" });

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
          link: r.link,
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

  app.get(
    "/api/notifications/settings",
    {
      config: { action: "notification.read" },
      schema: {
        tags: ["精准推送"],
        summary: "本企业的通知设置（未设置时为默认：全部主题、站内通知）",
        response: { 200: SettingsSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "notification.read");
      if (!actor.enterpriseId) throw forbidden("该账户未关联企业");
      return settingsFor(ctx.db, actor.enterpriseId);
    },
  );

  app.put(
    "/api/notifications/settings",
    {
      config: { action: "notification.read" },
      schema: {
        tags: ["精准推送"],
        summary: "修改本企业的通知设置；推送任务按此发送",
        body: SettingsSchema,
        response: { 200: SettingsSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "notification.read");
      if (!actor.enterpriseId) throw forbidden("该账户未关联企业");
      if (req.body.channels.email)
        throw invalid("channels.email", "邮件通知尚未接入，暂不能开启；请使用站内通知");
      return saveSettings(ctx.db, actor.enterpriseId, req.body, ctx.now());
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

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { requireActor } from "../app.ts";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { errorResponses, UsccSchema } from "../http/schemas.ts";
import { allowedActions } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { createSession, deleteSession, SESSION_COOKIE, toActor } from "./sessions.ts";

const ActorSchema = z.object({
  id: z.string(),
  role: z.enum(["enterprise", "officer", "finance", "coordinator", "policyAdmin"]),
  username: z.string(),
  displayName: z.string(),
  department: z.string().nullable(),
  regionCode: z.string().nullable(),
  enterpriseId: z.string().nullable(),
});

const SessionBody = z.object({
  actor: ActorSchema,
  csrfToken: z.string().meta({ description: "写操作时放入 x-csrf-token 请求头" }),
  permissions: z.array(z.string()).meta({ description: "本角色可执行的操作，供界面显示" }),
});

const Password = z.string().min(8, { error: "密码至少 8 位" }).max(128, { error: "密码最多 128 位" });
const Username = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,40}$/, { error: "用户名为 3～40 位字母、数字、下划线、点或连字符" });

export function sessionBody(actor: Actor, csrfToken: string) {
  return { actor, csrfToken, permissions: allowedActions(actor.role) };
}

function setCookie(reply: { setCookie: (n: string, v: string, o: object) => unknown }, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    path: "/",
    maxAge: 12 * 3600,
  });
}

export async function registerAuthRoutes(app: TypedApp, ctx: AppContext) {
  const regions = new Set(
    (ctx.library.rules.vocabulary.facts.find((f) => f.id === "regionCode")?.values ?? []).map((v) => v.value),
  );

  app.post(
    "/api/auth/register",
    {
      schema: {
        tags: ["账户"],
        summary: "企业注册（统一社会信用代码）并登录",
        body: z.object({
          uscc: UsccSchema,
          name: z.string().trim().min(2, { error: "企业名称至少 2 个字" }).max(100),
          regionCode: z
            .string()
            .refine((v) => regions.has(v), { error: "不是重庆市的区县代码（GB/T 2260）" }),
          industryCode: z
            .string()
            .regex(/^[A-T](\d{2}|\d{3}|\d{4})?$/, { error: "应为 GB/T 4754-2017 行业代码，如 C3670" })
            .optional(),
          username: Username,
          password: Password,
          displayName: z.string().trim().min(1).max(50),
        }),
        response: { 201: SessionBody, ...errorResponses },
      },
      config: { rateLimit: { max: 20, timeWindow: "1 minute" } },
    },
    async (req, reply) => {
      const b = req.body;
      const passwordHash = await hashPassword(b.password);
      const enterpriseId = randomUUID();
      const accountId = randomUUID();
      await ctx.db.transaction().execute(async (trx) => {
        const dupe = await trx
          .selectFrom("enterprises")
          .select("id")
          .where("uscc", "=", b.uscc)
          .executeTakeFirst();
        if (dupe)
          throw new AppError("CONFLICT", "该统一社会信用代码已注册", [{ field: "uscc", message: "已注册" }]);
        const taken = await trx
          .selectFrom("accounts")
          .select("id")
          .where("username", "=", b.username)
          .executeTakeFirst();
        if (taken)
          throw new AppError("CONFLICT", "用户名已被使用", [{ field: "username", message: "已被使用" }]);
        const now = ctx.now();
        await trx
          .insertInto("enterprises")
          .values({
            id: enterpriseId,
            uscc: b.uscc,
            name: b.name,
            region_code: b.regionCode,
            industry_code: b.industryCode ?? null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await trx
          .insertInto("accounts")
          .values({
            id: accountId,
            username: b.username,
            password_hash: passwordHash,
            display_name: b.displayName,
            role: "enterprise",
            department: null,
            region_code: b.regionCode,
            enterprise_id: enterpriseId,
            created_at: now,
          })
          .execute();
        await appendAudit(trx, null, {
          action: "enterprise.register",
          entity: "enterprise",
          entityId: enterpriseId,
          after: { uscc: b.uscc, name: b.name, regionCode: b.regionCode, username: b.username },
        });
      });
      const { token, csrfToken } = await createSession(ctx, accountId);
      setCookie(reply, token);
      const actor: Actor = {
        id: accountId,
        role: "enterprise",
        username: b.username,
        displayName: b.displayName,
        department: null,
        regionCode: b.regionCode,
        enterpriseId,
      };
      return reply.status(201).send(sessionBody(actor, csrfToken));
    },
  );

  app.post(
    "/api/auth/login",
    {
      schema: {
        tags: ["账户"],
        summary: "登录（设置 httpOnly 会话 cookie，返回 CSRF 令牌）",
        body: z.object({ username: z.string().min(1).max(40), password: z.string().min(1).max(128) }),
        response: { 200: SessionBody, ...errorResponses },
      },
      config: { rateLimit: { max: 10, timeWindow: "1 minute" } },
    },
    async (req, reply) => {
      const row = await ctx.db
        .selectFrom("accounts")
        .selectAll()
        .where("username", "=", req.body.username)
        .executeTakeFirst();
      if (!row || !(await verifyPassword(row.password_hash, req.body.password)))
        throw new AppError("UNAUTHENTICATED", "用户名或密码错误");
      const { token, csrfToken } = await createSession(ctx, row.id);
      setCookie(reply, token);
      return sessionBody(toActor(row), csrfToken);
    },
  );

  app.post(
    "/api/auth/logout",
    {
      schema: { tags: ["账户"], summary: "退出登录", response: { 204: z.null(), ...errorResponses } },
      config: { signedIn: true },
    },
    async (req, reply) => {
      requireActor(req);
      const token = req.cookies[SESSION_COOKIE];
      if (token) await deleteSession(ctx, token);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/auth/session",
    {
      schema: {
        tags: ["账户"],
        summary: "当前会话（未登录时 signedIn 为 false，不报错，供界面启动时判断）",
        response: {
          200: z.union([
            z.object({ signedIn: z.literal(false) }),
            SessionBody.extend({ signedIn: z.literal(true) }),
          ]),
        },
      },
    },
    async (req) =>
      req.actor
        ? { signedIn: true as const, ...sessionBody(req.actor, req.csrfToken ?? "") }
        : { signedIn: false as const },
  );

  app.get(
    "/api/auth/me",
    {
      schema: {
        tags: ["账户"],
        summary: "当前登录账户与权限",
        response: { 200: SessionBody, ...errorResponses },
      },
      config: { signedIn: true },
    },
    async (req) => sessionBody(requireActor(req), req.csrfToken ?? ""),
  );
}

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { requireActor } from "../app.ts";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { errorResponses, Text, UsccSchema } from "../http/schemas.ts";
import { allowedActions } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { isBlocked, LoginThrottle } from "./login-throttle.ts";
import { dummyPasswordHash, hashPassword, passwordProblem, verifyLogin } from "./passwords.ts";
import {
  createSession,
  deleteAccountSessions,
  deleteSession,
  SESSION_COOKIE,
  SESSION_HOURS,
  toActor,
} from "./sessions.ts";

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

const Password = Text(128, { tooLong: "密码最多 128 位" }).min(8, { error: "密码至少 8 位" });
const Username = Text(40, { tooLong: "用户名为 3～40 位字母、数字、下划线、点或连字符" }).regex(
  /^[A-Za-z0-9_.-]{3,40}$/,
  { error: "用户名为 3～40 位字母、数字、下划线、点或连字符" },
);

export function sessionBody(actor: Actor, csrfToken: string) {
  return { actor, csrfToken, permissions: allowedActions(actor.role) };
}

function setCookie(
  reply: { setCookie: (n: string, v: string, o: object) => unknown },
  token: string,
  secure: boolean,
) {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: "/",
    maxAge: SESSION_HOURS * 3600,
  });
}

function waitText(seconds: number): string {
  return seconds < 60 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
}

export async function registerAuthRoutes(app: TypedApp, ctx: AppContext) {
  const throttle = new LoginThrottle(ctx.now);
  // Made now, so the first login with an unknown username is not slower than later ones.
  void dummyPasswordHash();
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
          name: Text(100, { tooLong: "企业名称最多 100 个字" })
            .trim()
            .min(2, { error: "企业名称至少 2 个字" }),
          regionCode: Text(6, { tooLong: "不是重庆市的区县代码（GB/T 2260）" }).refine(
            (v) => regions.has(v),
            { error: "不是重庆市的区县代码（GB/T 2260）" },
          ),
          industryCode: Text(5, { tooLong: "应为 GB/T 4754-2017 行业代码，如 C3670" })
            .regex(/^[A-T](\d{2}|\d{3}|\d{4})?$/, { error: "应为 GB/T 4754-2017 行业代码，如 C3670" })
            .optional(),
          username: Username,
          password: Password,
          displayName: Text(50, { tooLong: "姓名最多 50 个字" }).trim().min(1, { error: "请填写姓名" }),
        }),
        response: { 201: SessionBody, ...errorResponses },
      },
      config: { rateLimit: { max: 20, timeWindow: "1 minute" } },
    },
    async (req, reply) => {
      const b = req.body;
      const problem = passwordProblem(b.password, { username: b.username, uscc: b.uscc, name: b.name });
      if (problem)
        throw new AppError("VALIDATION", `密码${problem}`, [
          { field: "password", message: `密码${problem}` },
        ]);
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
      setCookie(reply, token, ctx.config.cookieSecure);
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
        summary:
          "登录（设置 httpOnly 会话 cookie，返回 CSRF 令牌）。同一用户名连续失败 5 次起须等待（30 秒起逐次加倍，最长 15 分钟），同一地址 10 分钟内失败 20 次须等待；成功登录不计",
        body: z.object({ username: Text(40).min(1), password: Text(128).min(1) }),
        response: { 200: SessionBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const attempt = throttle.begin(req.ip, req.body.username);
      if (isBlocked(attempt)) {
        void reply.header("retry-after", String(attempt.retryAfterSeconds));
        const wait = waitText(attempt.retryAfterSeconds);
        throw new AppError(
          "RATE_LIMITED",
          attempt.scope === "account"
            ? `该用户名登录失败次数过多，请 ${wait}后再试`
            : `本网络地址登录失败次数过多，请 ${wait}后再试`,
        );
      }
      const row = await ctx.db
        .selectFrom("accounts")
        .selectAll()
        .where("username", "=", req.body.username)
        .executeTakeFirst();
      // An unknown username is checked against a dummy hash: same work, same time as a wrong password.
      if (!(await verifyLogin(row?.password_hash, req.body.password)) || !row)
        throw new AppError("UNAUTHENTICATED", "用户名或密码错误");
      throttle.succeeded(attempt);
      const { token, csrfToken } = await createSession(ctx, row.id);
      setCookie(reply, token, ctx.config.cookieSecure);
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
      reply.clearCookie(SESSION_COOKIE, { path: "/", secure: ctx.config.cookieSecure });
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/auth/logout-all",
    {
      schema: {
        tags: ["账户"],
        summary: "退出所有设备：删除本账户的全部会话（包括本设备），各处都需重新登录",
        response: {
          200: z.object({ revoked: z.number().int().meta({ description: "删除的会话数" }) }),
          ...errorResponses,
        },
      },
      config: { signedIn: true },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const revoked = await ctx.db.transaction().execute(async (trx) => {
        const n = await deleteAccountSessions({ ...ctx, db: trx }, actor.id);
        await appendAudit(trx, actor, {
          action: "account.logoutAll",
          entity: "account",
          entityId: actor.id,
          after: { revokedSessions: n },
        });
        return n;
      });
      reply.clearCookie(SESSION_COOKIE, { path: "/", secure: ctx.config.cookieSecure });
      return { revoked };
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

/**
 * Server-side sessions: the cookie holds a random token; the database holds its sha256 and a CSRF token.
 * A session lasts SESSION_HOURS from sign-in (absolute, not extended by use); an expired one is refused at
 * once, and expired rows are deleted whenever a new session is created (every login and registration).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Actor, AppContext } from "../context.ts";

export const SESSION_COOKIE = "huiqi_session";
export const CSRF_HEADER = "x-csrf-token";
export const SESSION_HOURS = 12;

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createSession(
  ctx: AppContext,
  accountId: string,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  await purgeExpiredSessions(ctx);
  await ctx.db
    .insertInto("sessions")
    .values({
      id: digest(token),
      account_id: accountId,
      csrf_token: csrfToken,
      expires_at: new Date(ctx.now().getTime() + SESSION_HOURS * 3600_000),
      created_at: ctx.now(),
    })
    .execute();
  return { token, csrfToken };
}

export async function findSession(
  ctx: AppContext,
  token: string,
): Promise<{ actor: Actor; csrfToken: string } | undefined> {
  const row = await ctx.db
    .selectFrom("sessions")
    .innerJoin("accounts", "accounts.id", "sessions.account_id")
    .select([
      "sessions.csrf_token",
      "sessions.expires_at",
      "accounts.id",
      "accounts.role",
      "accounts.username",
      "accounts.display_name",
      "accounts.department",
      "accounts.region_code",
      "accounts.enterprise_id",
    ])
    .where("sessions.id", "=", digest(token))
    .executeTakeFirst();
  if (!row || new Date(row.expires_at).getTime() < ctx.now().getTime()) return undefined;
  return { csrfToken: row.csrf_token, actor: toActor(row) };
}

/** An accounts row as the actor the use cases see. */
export function toActor(row: {
  id: string;
  role: Actor["role"];
  username: string;
  display_name: string;
  department: string | null;
  region_code: string | null;
  enterprise_id: string | null;
}): Actor {
  return {
    id: row.id,
    role: row.role,
    username: row.username,
    displayName: row.display_name,
    department: row.department,
    regionCode: row.region_code,
    enterpriseId: row.enterprise_id,
  };
}

export async function deleteSession(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.deleteFrom("sessions").where("id", "=", digest(token)).execute();
}

/** Deletes every session whose lifetime is over (by the platform clock); returns how many. */
export async function purgeExpiredSessions(ctx: AppContext): Promise<number> {
  const r = await ctx.db.deleteFrom("sessions").where("expires_at", "<", ctx.now()).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** 退出所有设备: deletes all of the account's sessions (every browser and device); returns how many. */
export async function deleteAccountSessions(ctx: AppContext, accountId: string): Promise<number> {
  const r = await ctx.db.deleteFrom("sessions").where("account_id", "=", accountId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

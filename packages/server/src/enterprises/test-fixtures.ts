/** Test-data builders shared by the API suites: valid USCCs, staff accounts, registered enterprises. */
import { randomInt, randomUUID } from "node:crypto";
import { usccCheckChar } from "@huiqi/engine";
import type { FastifyInstance } from "fastify";
import { hashPassword } from "../auth/passwords.ts";
import type { AppContext } from "../context.ts";
import type { Role } from "../db/schema.ts";
import { Client } from "../test-support.ts";

export const TEST_PASSWORD = "correct-horse-1";

/** A valid USCC (GB 32100-2015 check character) for a region; random serial unless one is given. */
export function makeUscc(regionCode: string, serial = randomInt(0, 10_000_000)): string {
  const first17 = `91${regionCode}MA${String(serial % 10_000_000).padStart(7, "0")}`;
  return `${first17}${usccCheckChar(first17)}`;
}

let hashed: Promise<string> | undefined;

export interface StaffOptions {
  username: string;
  role: Exclude<Role, "enterprise">;
  regionCode?: string | null;
  department?: string | null;
  displayName?: string;
}

/** Inserts a staff account (officer, finance, coordinator, policy admin); the password is TEST_PASSWORD. */
export async function createStaff(ctx: AppContext, o: StaffOptions): Promise<string> {
  hashed ??= hashPassword(TEST_PASSWORD);
  const id = randomUUID();
  await ctx.db
    .insertInto("accounts")
    .values({
      id,
      username: o.username,
      password_hash: await hashed,
      display_name: o.displayName ?? o.username,
      role: o.role,
      department:
        o.department ?? (o.role === "finance" ? "finance" : o.role === "officer" ? "economy-it" : null),
      region_code: o.regionCode === undefined ? (o.role === "policyAdmin" ? null : "500113") : o.regionCode,
      enterprise_id: null,
      created_at: new Date(),
    })
    .execute();
  return id;
}

/** Signs in a staff account created with createStaff. */
export async function staffClient(app: FastifyInstance, ctx: AppContext, o: StaffOptions): Promise<Client> {
  await createStaff(ctx, o);
  return new Client(app).login(o.username, TEST_PASSWORD);
}

export interface RegisteredEnterprise {
  client: Client;
  enterpriseId: string;
  uscc: string;
}

let serial = 1;

/** Registers an enterprise through the API and returns its signed-in client. */
export async function registerEnterprise(
  app: FastifyInstance,
  o: { username: string; regionCode: string; name?: string; industryCode?: string; uscc?: string },
): Promise<RegisteredEnterprise> {
  const uscc = o.uscc ?? makeUscc(o.regionCode, serial++ + Math.floor(Math.random() * 1_000_000));
  const client = new Client(app);
  const r = await client.post("/api/auth/register", {
    uscc,
    name: o.name ?? `重庆${o.username}有限公司`,
    regionCode: o.regionCode,
    ...(o.industryCode ? { industryCode: o.industryCode } : {}),
    username: o.username,
    password: TEST_PASSWORD,
    displayName: o.username,
  });
  if (r.statusCode !== 201) throw new Error(`register ${o.username} failed: ${r.statusCode} ${r.body}`);
  return { client, enterpriseId: (r.json() as { actor: { enterpriseId: string } }).actor.enterpriseId, uscc };
}

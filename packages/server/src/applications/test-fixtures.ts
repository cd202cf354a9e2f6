/** Test-data builders for the application workflow: staff accounts, enterprises with facts, signed-in clients. */
import { randomUUID } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword } from "../auth/passwords.ts";
import { createSession, SESSION_COOKIE } from "../auth/sessions.ts";
import type { Role } from "../db/schema.ts";
import { saveFacts } from "../enterprises/facts-store.ts";
import { Client, type TestPlatform } from "../test-support.ts";

export const KAIZHOU = "500154";
export const BANAN = "500113";
/** 开州区第8条：新认定市级绿色工厂一次性奖励 20 万元（牵头：区经济信息委；复审：区财政局）。 */
export const GREEN_FACTORY = "kaizhou-2023-27/8";
export const GREEN_FACTORY_MAX_FEN = 20_000_000;
/** The clock the tests run on: the Kaizhou document (no end date) is in force. */
export const TODAY = new Date("2026-03-02T02:00:00Z");

import { makeUscc } from "../enterprises/test-fixtures.ts";

export { makeUscc };

/** A signed-in client for an account, without going through the (rate-limited) login route. */
export async function clientFor(p: TestPlatform, accountId: string): Promise<Client> {
  const { token, csrfToken } = await createSession(p.ctx, accountId);
  const c = new Client(p.app);
  c.cookie = `${SESSION_COOKIE}=${token}`;
  c.csrf = csrfToken;
  return c;
}

let staffHash: Promise<string> | undefined;

export async function createStaff(
  p: TestPlatform,
  role: Exclude<Role, "enterprise">,
  opts: { department?: string | null; regionCode?: string | null; username?: string } = {},
): Promise<Client & { accountId: string }> {
  staffHash ??= hashPassword("staff-password-1");
  const id = randomUUID();
  await p.ctx.db
    .insertInto("accounts")
    .values({
      id,
      username: opts.username ?? `${role}-${id.slice(0, 8)}`,
      password_hash: await staffHash,
      display_name: `${role} 测试`,
      role,
      department: opts.department ?? (role === "finance" ? "finance" : null),
      region_code: opts.regionCode ?? KAIZHOU,
      enterprise_id: null,
      created_at: new Date(),
    })
    .execute();
  return Object.assign(await clientFor(p, id), { accountId: id });
}

/** An enterprise with its account and stored facts (written with saveFacts, as the profile route would). */
export async function createEnterprise(
  p: TestPlatform,
  facts: Record<string, unknown>,
  opts: { regionCode?: string; name?: string } = {},
): Promise<Client & { enterpriseId: string; accountId: string }> {
  const enterpriseId = randomUUID();
  const accountId = randomUUID();
  const regionCode = opts.regionCode ?? KAIZHOU;
  staffHash ??= hashPassword("staff-password-1");
  await p.ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("enterprises")
      .values({
        id: enterpriseId,
        uscc: makeUscc(regionCode),
        name: opts.name ?? `测试企业${enterpriseId.slice(0, 4)}有限公司`,
        region_code: regionCode,
        industry_code: "C3062",
        created_at: new Date(),
        updated_at: new Date(),
      })
      .execute();
    await trx
      .insertInto("accounts")
      .values({
        id: accountId,
        username: `ent-${accountId.slice(0, 8)}`,
        password_hash: await (staffHash as Promise<string>),
        display_name: "企业经办人",
        role: "enterprise",
        department: null,
        region_code: regionCode,
        enterprise_id: enterpriseId,
        created_at: new Date(),
      })
      .execute();
  });
  await seedFacts(p, enterpriseId, accountId, facts);
  return Object.assign(await clientFor(p, accountId), { enterpriseId, accountId });
}

export async function seedFacts(
  p: TestPlatform,
  enterpriseId: string,
  accountId: string,
  facts: Record<string, unknown>,
): Promise<void> {
  const perYear = new Set([...p.ctx.engine.facts.values()].filter((f) => f.perYear).map((f) => f.id));
  await p.ctx.db
    .transaction()
    .execute((trx) => saveFacts(trx, enterpriseId, facts, perYear, "self", accountId, p.ctx.now()));
}

/** Facts that make an enterprise eligible for GREEN_FACTORY (a municipal green factory certified 2025). */
export const greenFactoryFacts = {
  size: "medium",
  certifications: [{ kind: "greenFactory", level: "municipal", date: "2025-10-08" }],
};

/** A temporary data directory for attachments. */
export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "huiqi-apps-"));
}

export const PDF_BASE64 = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n").toString(
  "base64",
);

export const applicant = {
  contactName: "王会计",
  contactPhone: "023-52201234",
  bankName: "重庆农村商业银行开州支行",
  bankAccount: "6222021234567890",
};

/** Moving the clock days ahead expires 12-hour sessions: sign the clients in again at the new time. */
export async function renewSessions(
  p: TestPlatform,
  clients: (Client & { accountId: string })[],
): Promise<void> {
  for (const c of clients) {
    const { token, csrfToken } = await createSession(p.ctx, c.accountId);
    c.cookie = `${SESSION_COOKIE}=${token}`;
    c.csrf = csrfToken;
  }
}

/** Loads the demo data set into an empty database: staff accounts, ~50 enterprises with facts and logins. */
import { randomUUID } from "node:crypto";
import { makeProfileValidator } from "@huiqi/engine";
import { hashPassword } from "../auth/passwords.ts";
import type { AppContext } from "../context.ts";
import { saveFacts } from "../enterprises/facts-store.ts";
import { setFlag } from "../exemption/flags.ts";
import { DEMO_PASSWORD, type DemoAccount, demoStaffAccounts } from "./accounts.ts";
import { seedDemoApplications } from "./applications.ts";
import { demoEnterprises } from "./enterprises.ts";
import { seedDemoWhitelists } from "./ladder.ts";

/** The demo's 免申即享 measure (flagged at seeding). */
export const DEMO_EXEMPTION_MEASURE = "kaizhou-2023-27/1";

export interface DemoSummary {
  seeded: boolean;
  applications: number;
  staff: DemoAccount[];
  enterpriseLogins: { username: string; name: string; regionCode: string }[];
}

export async function seedDemo(ctx: AppContext): Promise<DemoSummary> {
  const staff = demoStaffAccounts();
  const enterprises = demoEnterprises();
  const enterpriseLogins = enterprises.map((e) => ({
    username: `qiye-${e.slug}`,
    name: String(e.profile.name),
    regionCode: String(e.profile.regionCode),
  }));
  const any = await ctx.db.selectFrom("accounts").select("id").limit(1).executeTakeFirst();
  if (any) return { seeded: false, applications: 0, staff, enterpriseLogins };

  const validate = makeProfileValidator(ctx.library.rules.vocabulary);
  const perYear = new Set(ctx.library.rules.vocabulary.facts.filter((f) => f.perYear).map((f) => f.id));
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    for (const a of staff)
      await trx
        .insertInto("accounts")
        .values({
          id: randomUUID(),
          username: a.username,
          password_hash: passwordHash,
          display_name: a.displayName,
          role: a.role,
          department: a.department,
          region_code: a.regionCode,
          enterprise_id: null,
          phone: a.phone ?? null,
          created_at: now,
        })
        .execute();
    for (const [i, e] of enterprises.entries()) {
      validate(e.profile); // the demo data obeys the same schema as user input
      const id = randomUUID();
      const p = e.profile;
      await trx
        .insertInto("enterprises")
        .values({
          id,
          uscc: String(p.uscc),
          name: String(p.name),
          region_code: String(p.regionCode),
          industry_code: typeof p.industryCode === "string" ? p.industryCode : null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const accountId = randomUUID();
      await trx
        .insertInto("accounts")
        .values({
          id: accountId,
          username: enterpriseLogins[i]?.username ?? `qiye-${i}`,
          password_hash: passwordHash,
          display_name: `${String(p.name)}（申报专员）`,
          role: "enterprise",
          department: null,
          region_code: String(p.regionCode),
          enterprise_id: id,
          created_at: now,
        })
        .execute();
      const { uscc: _u, name: _n, regionCode: _r, industryCode: _i, ...facts } = p;
      await saveFacts(trx, id, facts, perYear, "self", accountId, now);
    }
  });
  await seedDemoWhitelists(ctx);
  const applications = await seedDemoApplications(ctx);
  // 免申即享: 开州 新升规奖励 — the statistics bureau's 规上 list decides it (examples/imports/statistics.csv).
  await setFlag(ctx, null, DEMO_EXEMPTION_MEASURE, true, "演示数据：统计部门的规上名录即可判定");
  return { seeded: true, applications, staff, enterpriseLogins };
}

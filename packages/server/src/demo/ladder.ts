/**
 * Demo data for the “专精特新” ladder and the 白名单 lists (services/ladder.ts, whitelists.ts): a few Wulong
 * enterprises get the certifications and facts that place them on every tier, and candidates with a gap the
 * engine reads from the encoded criteria (wulong-8: 研发费用占比 2.4%, 还差 0.6 个百分点). Applied on top of the
 * generated profiles without drawing from their random stream, so every other demo enterprise stays the same.
 */
import { randomUUID } from "node:crypto";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { syncWhitelistFact } from "../services/whitelists.ts";

type Profile = Record<string, unknown>;

function withCerts(p: Profile, ...certs: Record<string, unknown>[]): Profile {
  const current = Array.isArray(p.certifications) ? (p.certifications as Record<string, unknown>[]) : [];
  return { ...p, certifications: [...current, ...certs] };
}

function withYear(p: Profile, fact: string, year: number, value: number): Profile {
  return { ...p, [fact]: { ...((p[fact] as Record<string, number> | undefined) ?? {}), [year]: value } };
}

/** Per demo slug: what the ladder needs on top of the generated profile. */
const OVERLAY: Record<string, (p: Profile) => Profile> = {
  // 创新型 → 市级专精特新 candidate, short on the R&D share by 0.6 percentage points.
  "wulong-8": (p) =>
    withYear(
      withYear(
        {
          ...withCerts(p, { kind: "innovativeSme", level: "municipal", date: "2023-06-15" }),
          nicheMarketSince: 2019,
          srdiEvaluationScore: 72,
        },
        "revenue",
        2025,
        95_000_000,
      ),
      "rdExpense",
      2025,
      2_280_000,
    ),
  // 创新型 → 市级专精特新 candidate that already meets the four conditions.
  "wulong-16": (p) =>
    withYear(
      withYear(
        {
          ...withCerts(p, { kind: "innovativeSme", level: "municipal", date: "2023-08-15" }),
          nicheMarketSince: 2018,
          srdiEvaluationScore: 66,
        },
        "revenue",
        2025,
        38_000_000,
      ),
      "rdExpense",
      2025,
      1_330_000,
    ),
  // 储备 → 创新型 candidate: total 60 but 创新能力 15 (needs 20).
  "wulong-20": (p) => {
    let q: Profile = {
      ...p,
      mainProductIpClass: "classII",
      mainProductStrategicEmerging: false,
      scienceAwardRecent: false,
      equityFinancing: { 2023: 0, 2024: 0, 2025: 0 },
    };
    q = withYear(q, "revenue", 2025, 260_000_000);
    q = withYear(q, "rdExpense", 2025, 5_200_000);
    q = withYear(q, "mainBusinessRevenue", 2024, 230_000_000);
    q = withYear(q, "mainBusinessRevenue", 2025, 250_000_000);
    return withYear(q, "assetLiabilityRatio", 2025, 0.5);
  },
  // 市级专精特新 → 小巨人 candidates, ordered by R&D share.
  "wulong-4": (p) => withYear(withYear(p, "revenue", 2025, 43_000_000), "rdExpense", 2025, 1_900_000),
  // 国家级“小巨人”.
  "wulong-12": (p) =>
    withYear(
      withCerts(p, { kind: "littleGiant", level: "national", date: "2025-07-20" }),
      "revenue",
      2025,
      320_000_000,
    ),
  // 上市培育: in the listing reserve since 2025.
  "wulong-24": (p) => ({ ...p, listingReserveYear: 2025 }),
};

export function withLadderDemo(slug: string, profile: Profile): Profile {
  const f = OVERLAY[slug];
  return f ? f(profile) : profile;
}

/** Demo 白名单: a Wulong 产业链供应链重点企业 list and a city-wide 城市运行保障企业 list. */
export async function seedDemoWhitelists(ctx: AppContext): Promise<void> {
  const now = ctx.now();
  const today = localDate(now);
  const lists = [
    {
      name: "武隆区产业链供应链重点企业白名单（2026年）",
      kind: "supplyChainKey",
      region: "500156",
      validFrom: `${today.slice(0, 4)}-01-01`,
      validUntil: `${today.slice(0, 4)}-12-31`,
      basis: "渝经信规范〔2022〕6号 第20条",
      members: ["重庆武隆仙女山食品有限公司", "重庆江口智能装备股份有限公司"],
    },
    {
      name: "重庆市城市运行保障企业白名单",
      kind: "cityOperation",
      region: "500000",
      validFrom: "2026-01-01",
      validUntil: null,
      basis: "渝经信规范〔2022〕6号 第20条",
      members: ["重庆武隆仙女山食品有限公司"],
    },
  ];
  await ctx.db.transaction().execute(async (trx) => {
    for (const l of lists) {
      const id = randomUUID();
      await trx
        .insertInto("whitelists")
        .values({
          id,
          name: l.name,
          kind: l.kind,
          region_code: l.region,
          valid_from: l.validFrom,
          valid_until: l.validUntil,
          basis: l.basis,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      for (const name of l.members) {
        const e = await trx
          .selectFrom("enterprises")
          .select("id")
          .where("name", "=", name)
          .executeTakeFirst();
        if (!e) continue;
        await trx
          .insertInto("whitelist_members")
          .values({ whitelist_id: id, enterprise_id: e.id, added_by: null, added_at: now })
          .execute();
        await syncWhitelistFact(trx, e.id, today, now);
      }
    }
  });
}

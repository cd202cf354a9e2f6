/**
 * The ladder section of the quarterly report (issue 12 item 5): per tier, the enterprises whose highest tier at
 * the quarter's end (or today, for the running quarter) is that tier, the enterprises holding the tier's
 * certification, and the target a document of the report's district sets for it (武隆: 2025). All districts:
 * counts only (targets are per district).
 */
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { factsFromRows, groupFactRows } from "../enterprises/facts-store.ts";
import { countHolding, TARGET_TIERS, TIER_LABELS, TIERS, type Tier, tierOf } from "./ladder.ts";

export interface LadderReportLine {
  tier: Tier;
  label: string;
  /** Enterprises whose highest tier is this one. */
  count: number;
  /** Enterprises holding this tier's certification (what a target counts). */
  holding: number;
  target: number | null;
  targetYear: number | null;
  targetQuote: string | null;
}

export interface LadderReportSection {
  asOf: string;
  documentNumber: string | null;
  tiers: LadderReportLine[];
}

export const LadderReportSchema = z
  .object({
    asOf: z.string().meta({ description: "统计日（季度末；本季度未结束时为今天）" }),
    documentNumber: z
      .string()
      .nullable()
      .meta({ description: "设定目标的文件文号（仅选定区县且该区县文件设有目标时）" }),
    tiers: z.array(
      z.object({
        tier: z.enum(TIERS),
        label: z.string(),
        count: z.number().int().meta({ description: "最高梯度为此级的企业数" }),
        holding: z.number().int().meta({ description: "持有此级认定的企业数（目标按此计）" }),
        target: z.number().nullable(),
        targetYear: z.number().int().nullable(),
        targetQuote: z.string().nullable().meta({ description: "文件原文" }),
      }),
    ),
  })
  .meta({ description: "“专精特新”梯度培育：各级企业数与文件目标" });

export async function ladderReportSection(
  ctx: AppContext,
  end: Date,
  regionCode: string | undefined,
): Promise<LadderReportSection> {
  const lastDay = localDate(new Date(end.getTime() - 1));
  const today = localDate(ctx.now());
  // The earlier of the quarter's last day and today (ISO dates compare as text).
  const asOf = [lastDay, today].sort()[0] as string;
  let q = ctx.db.selectFrom("enterprises").select(["id", "uscc", "name", "region_code", "industry_code"]);
  if (regionCode) q = q.where("region_code", "=", regionCode);
  const es = await q.execute();
  // Only the facts tiers read: certifications, listings and the listing reserve year.
  let fq = ctx.db
    .selectFrom("enterprise_facts as f")
    .innerJoin("enterprises as e", "e.id", "f.enterprise_id")
    .select(["f.enterprise_id", "f.fact_id", "f.period", "f.value"])
    .where("f.fact_id", "in", ["certifications", "listings", "listingReserveYear"]);
  if (regionCode) fq = fq.where("e.region_code", "=", regionCode);
  const rows = await fq.execute();
  const byEnterprise = groupFactRows(rows);
  const facts = es.map((e) => factsFromRows(e, byEnterprise.get(e.id) ?? []));
  const doc = regionCode
    ? ctx.library.rules.documents.find(
        (d) => d.regionCode === regionCode && (d.targets ?? []).some((t) => t.id in TARGET_TIERS),
      )
    : undefined;
  const targetOf = (tier: Tier) => doc?.targets?.find((t) => TARGET_TIERS[t.id] === tier);
  return {
    asOf,
    documentNumber: doc?.docNumber ?? null,
    tiers: TIERS.map((tier) => {
      const t = targetOf(tier);
      return {
        tier,
        label: TIER_LABELS[tier],
        count: facts.filter((f) => tierOf(f, asOf).tier === tier).length,
        holding: tier === "reserve" ? 0 : countHolding(facts, tier, asOf),
        target: t?.value ?? null,
        targetYear: t?.year ?? null,
        targetQuote: t?.quote ?? null,
      };
    }),
  };
}

/**
 * Test data for batch matching: deterministic synthetic enterprises (bench/population.ts profiles, every
 * vocabulary fact, ~20% unknown) written straight into `enterprises` and `enterprise_facts` with multi-row
 * inserts — thousands in seconds, no import or registration on the way.
 */
import { randomUUID } from "node:crypto";
import type { Vocabulary } from "@huiqi/engine";
import type { Insertable, Kysely } from "kysely";
import { PopulationGenerator } from "../../../../bench/population.ts";
import type { Database, EnterpriseTable } from "../db/schema.ts";

const IDENTITY = new Set(["uscc", "name", "regionCode", "industryCode"]);

/** Inserts `n` synthetic enterprises (numbers `from` … `from + n − 1` of the population); returns their ids. */
export async function insertPopulation(
  db: Kysely<Database>,
  vocabulary: Vocabulary,
  n: number,
  o: { from?: number; seed?: number; years?: readonly string[] } = {},
): Promise<string[]> {
  // Per-year facts only for the years the measures read around 2022 (the generator fills 2019–2025): a third of
  // the rows, so thousands of enterprises insert in seconds.
  const years = new Set(o.years ?? ["2020", "2021", "2022"]);
  const gen = new PopulationGenerator(vocabulary, { seed: o.seed ?? 20261202 });
  const perYear = new Set(vocabulary.facts.filter((f) => f.perYear).map((f) => f.id));
  const from = o.from ?? 0;
  const ids: string[] = [];
  const now = new Date();
  for (let start = 0; start < n; start += 250) {
    const es: Insertable<EnterpriseTable>[] = [];
    const facts: {
      enterprise_id: string;
      fact_id: string;
      period: string;
      value: string;
      source: string;
      verified_by: null;
      updated_at: Date;
    }[] = [];
    for (let i = start; i < Math.min(n, start + 250); i++) {
      const p = gen.enterprise(from + i);
      const id = randomUUID();
      ids.push(id);
      es.push({
        id,
        // Unique per enterprise (the generator's codes may repeat across seeds); a test code, not a real one.
        uscc: `T${String(from + i).padStart(17, "0")}`,
        name: String(p.name ?? `测试企业${from + i}`),
        region_code: String(p.regionCode ?? "500113"),
        industry_code: typeof p.industryCode === "string" ? p.industryCode : null,
        created_at: now,
        updated_at: now,
      });
      for (const [factId, value] of Object.entries(p)) {
        if (IDENTITY.has(factId) || value === undefined) continue;
        const rows =
          perYear.has(factId) && value !== null && typeof value === "object" && !Array.isArray(value)
            ? Object.entries(value as Record<string, unknown>)
                .filter(([period]) => years.has(period))
                .map(([period, v]) => ({ period, value: v }))
            : [{ period: "", value }];
        for (const r of rows)
          facts.push({
            enterprise_id: id,
            fact_id: factId,
            period: r.period,
            value: JSON.stringify(r.value),
            source: "self",
            verified_by: null,
            updated_at: now,
          });
      }
    }
    await db.insertInto("enterprises").values(es).execute();
    for (let i = 0; i < facts.length; i += 2000)
      await db
        .insertInto("enterprise_facts")
        .values(facts.slice(i, i + 2000))
        .execute();
  }
  return ids;
}

/** The stored lists as comparable lines (computed_at left out), sorted. */
export async function listSnapshot(
  db: Kysely<Database>,
  enterpriseIds?: readonly string[],
): Promise<string[]> {
  let q = db
    .selectFrom("match_lists")
    .select([
      "measure_id",
      "enterprise_id",
      "outcome",
      "amount_min",
      "amount_max",
      "missing",
      "rules_version",
    ]);
  if (enterpriseIds) q = q.where("enterprise_id", "in", [...enterpriseIds]);
  const rows = await q.execute();
  return rows
    .map(
      (r) =>
        `${r.measure_id}|${r.enterprise_id}|${r.outcome}|${r.amount_min ?? ""}|${r.amount_max ?? ""}|${JSON.stringify(
          r.missing,
        )}|${r.rules_version}`,
    )
    .sort();
}

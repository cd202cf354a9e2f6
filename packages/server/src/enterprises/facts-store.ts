/**
 * Enterprise facts in the database: one row per (fact, period) with its source (self-declared or verified
 * by a department). Read back as the engine's Facts object.
 */
import { deriveFacts, type Facts } from "@huiqi/engine";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredFact {
  factId: string;
  period: string;
  value: unknown;
  source: "self" | "verified";
  verifiedBy: string | null;
  updatedAt: string;
}

/** Identity columns of the enterprise row that are facts too. */
const IDENTITY = ["uscc", "name", "regionCode", "industryCode"] as const;

export async function loadStoredFacts(db: Db, enterpriseId: string): Promise<StoredFact[]> {
  const rows = await db
    .selectFrom("enterprise_facts")
    .selectAll()
    .where("enterprise_id", "=", enterpriseId)
    .orderBy("fact_id")
    .orderBy("period")
    .execute();
  return rows.map((r) => ({
    factId: r.fact_id,
    period: r.period,
    value: r.value,
    source: r.source as "self" | "verified",
    verifiedBy: r.verified_by,
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

/** The enterprise as the engine sees it (derived facts added). Undefined when there is no such enterprise. */
export async function loadFacts(db: Db, enterpriseId: string): Promise<Facts | undefined> {
  const e = await db.selectFrom("enterprises").selectAll().where("id", "=", enterpriseId).executeTakeFirst();
  if (!e) return undefined;
  return factsFromRows(e, await loadStoredFacts(db, enterpriseId));
}

/** The enterprise row and its stored fact rows → engine Facts (derived facts added). */
export function factsFromRows(
  e: { uscc: string; name: string; region_code: string; industry_code: string | null },
  rows: Iterable<{ factId: string; period: string; value: unknown }>,
): Facts {
  const facts: Facts = { uscc: e.uscc, name: e.name, regionCode: e.region_code };
  if (e.industry_code) facts.industryCode = e.industry_code;
  for (const f of rows) {
    if (f.period) {
      const series = (facts[f.factId] as Record<string, unknown> | undefined) ?? {};
      series[f.period] = f.value;
      facts[f.factId] = series;
    } else facts[f.factId] = f.value;
  }
  return deriveFacts(facts);
}

export interface EnterpriseFacts {
  id: string;
  name: string;
  regionCode: string;
  industryCode: string | null;
  facts: Facts;
}

/**
 * Every enterprise with its Facts, in batches of `batch` (two queries per batch, keyset by id), for whole-
 * population computations (impact simulation) that must not query per enterprise.
 */
export async function* allEnterpriseFacts(db: Db, batch = 2000): AsyncGenerator<EnterpriseFacts[]> {
  let after: string | undefined;
  for (;;) {
    let q = db.selectFrom("enterprises").select(["id", "uscc", "name", "region_code", "industry_code"]);
    if (after !== undefined) q = q.where("id", ">", after);
    const es = await q.orderBy("id").limit(batch).execute();
    if (es.length === 0) return;
    const rows = await db
      .selectFrom("enterprise_facts")
      .select(["enterprise_id", "fact_id", "period", "value"])
      .where(
        "enterprise_id",
        "in",
        es.map((e) => e.id),
      )
      .orderBy("enterprise_id")
      .orderBy("fact_id")
      .orderBy("period")
      .execute();
    const byEnterprise = new Map<string, { factId: string; period: string; value: unknown }[]>();
    for (const r of rows) {
      let list = byEnterprise.get(r.enterprise_id);
      if (!list) {
        list = [];
        byEnterprise.set(r.enterprise_id, list);
      }
      list.push({ factId: r.fact_id, period: r.period, value: r.value });
    }
    yield es.map((e) => ({
      id: e.id,
      name: e.name,
      regionCode: e.region_code,
      industryCode: e.industry_code,
      facts: factsFromRows(e, byEnterprise.get(e.id) ?? []),
    }));
    after = (es[es.length - 1] as { id: string }).id;
    if (es.length < batch) return;
  }
}

/**
 * Writes validated profile facts (engine Facts shape). Per-year facts become one row per year. `null`
 * removes a fact (back to unknown). Identity facts are columns of the enterprise row and are skipped here.
 */
export async function saveFacts(
  trx: Transaction<Database>,
  enterpriseId: string,
  facts: Record<string, unknown>,
  perYear: ReadonlySet<string>,
  source: "self" | "verified",
  actorId: string,
  now: Date,
): Promise<void> {
  for (const [factId, value] of Object.entries(facts)) {
    if ((IDENTITY as readonly string[]).includes(factId)) continue;
    const rows: { period: string; value: unknown }[] =
      perYear.has(factId) && value !== null && typeof value === "object"
        ? Object.entries(value as Record<string, unknown>).map(([period, v]) => ({ period, value: v }))
        : [{ period: "", value }];
    for (const r of rows) {
      if (r.value === null) {
        await trx
          .deleteFrom("enterprise_facts")
          .where("enterprise_id", "=", enterpriseId)
          .where("fact_id", "=", factId)
          .where("period", "=", r.period)
          .execute();
        continue;
      }
      await trx
        .insertInto("enterprise_facts")
        .values({
          enterprise_id: enterpriseId,
          fact_id: factId,
          period: r.period,
          value: JSON.stringify(r.value),
          source,
          verified_by: source === "verified" ? actorId : null,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(["enterprise_id", "fact_id", "period"]).doUpdateSet({
            value: JSON.stringify(r.value),
            source,
            verified_by: source === "verified" ? actorId : null,
            updated_at: now,
          }),
        )
        .execute();
    }
  }
}

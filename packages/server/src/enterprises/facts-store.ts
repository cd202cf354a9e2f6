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
  source: "self" | "import" | "verified";
  verifiedBy: string | null;
  updatedAt: string;
  /** Imported facts: the file and row the value came from (imports/). */
  importFile: string | null;
  importRow: number | null;
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
    source: r.source as "self" | "import" | "verified",
    verifiedBy: r.verified_by,
    updatedAt: new Date(r.updated_at).toISOString(),
    importFile: r.import_file ?? null,
    importRow: r.import_row ?? null,
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

/** Fact rows of several enterprises (one query) grouped per enterprise, in the shape factsFromRows takes. */
export function groupFactRows(
  rows: readonly { enterprise_id: string; fact_id: string; period: string; value: unknown }[],
): Map<string, { factId: string; period: string; value: unknown }[]> {
  const byEnterprise = new Map<string, { factId: string; period: string; value: unknown }[]>();
  for (const r of rows) {
    let list = byEnterprise.get(r.enterprise_id);
    if (!list) {
      list = [];
      byEnterprise.set(r.enterprise_id, list);
    }
    list.push({ factId: r.fact_id, period: r.period, value: r.value });
  }
  return byEnterprise;
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
    const byEnterprise = groupFactRows(rows);
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

/** Deep equality of fact values as stored (jsonb reorders object keys, so key order does not count). */
export function sameFactValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameFactValue(x, b[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b as object, k) &&
        sameFactValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

/**
 * Precedence rule, self-report side (see imports/precedence.ts): an enterprise may not change or remove a
 * value imported from government data. `set` holds the new values (per-year facts by year), `remove` the
 * removals (null = the whole fact, or years → null). Returns one problem per imported value the change
 * would alter; a value equal to the imported one is no change and passes.
 */
export async function importedValueConflicts(
  db: Db,
  enterpriseId: string,
  set: Record<string, unknown>,
  remove: Record<string, unknown>,
  perYear: ReadonlySet<string>,
): Promise<{ factId: string; period: string; importFile: string | null; importRow: number | null }[]> {
  const ids = [...new Set([...Object.keys(set), ...Object.keys(remove)])];
  if (ids.length === 0) return [];
  const imported = await db
    .selectFrom("enterprise_facts")
    .select(["fact_id", "period", "value", "import_file", "import_row"])
    .where("enterprise_id", "=", enterpriseId)
    .where("source", "=", "import")
    .where("fact_id", "in", ids)
    .execute();
  const out: { factId: string; period: string; importFile: string | null; importRow: number | null }[] = [];
  for (const r of imported) {
    const gone = remove[r.fact_id];
    const removed =
      Object.hasOwn(remove, r.fact_id) &&
      (gone === null || (typeof gone === "object" && Object.hasOwn(gone as object, r.period)));
    let changed = removed;
    if (!removed && Object.hasOwn(set, r.fact_id)) {
      const v = set[r.fact_id];
      const next =
        perYear.has(r.fact_id) && r.period && v !== null && typeof v === "object"
          ? (v as Record<string, unknown>)[r.period]
          : r.period
            ? undefined
            : v;
      changed = next !== undefined && !sameFactValue(next, r.value);
    }
    if (changed)
      out.push({ factId: r.fact_id, period: r.period, importFile: r.import_file, importRow: r.import_row });
  }
  return out;
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
      if (source === "self" && r.value !== null) {
        // An imported value the enterprise sends back unchanged stays imported (precedence rule).
        const current = await trx
          .selectFrom("enterprise_facts")
          .select(["source", "value"])
          .where("enterprise_id", "=", enterpriseId)
          .where("fact_id", "=", factId)
          .where("period", "=", r.period)
          .executeTakeFirst();
        if (current?.source === "import" && sameFactValue(current.value, r.value)) continue;
      }
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
            import_id: null,
            import_file: null,
            import_row: null,
          }),
        )
        .execute();
    }
  }
}

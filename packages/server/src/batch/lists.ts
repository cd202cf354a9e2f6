/**
 * Per-measure match lists (批量匹配结果): for every enterprise and every published measure it may get, one row —
 * eligible with the guaranteed (min) and maximum amounts, or undetermined with the facts still missing.
 * Ineligible pairs are not stored (a list is who may get it, not who may not).
 *
 * Amounts are per measure before 从高不重复 netting: netting is a choice among an enterprise's measures, made
 * when that one enterprise is looked at (matches page, a 免申即享 confirmation re-evaluates it in full).
 *
 * Rows are replaced per enterprise: `replaceMatchRows` deletes an enterprise's rows and writes its new ones in
 * one transaction, so a reader sees the old list or the new one, never half. This module is the contract the
 * batch runner (partitions, worker pool, COPY) and the readers (精准推送, 免申即享 lists) share.
 */
import type { Engine, Facts } from "@huiqi/engine";
import { type Kysely, sql } from "kysely";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import type { Database } from "../db/schema.ts";
import { factsFromRows, groupFactRows } from "../enterprises/facts-store.ts";
import { publishedMeasureIds } from "../policies/publication.ts";

export const MATCH_LISTS_SQL = [
  `create table match_lists (
    measure_id text not null,
    enterprise_id uuid not null references enterprises(id) on delete cascade,
    outcome text not null check (outcome in ('eligible', 'undetermined')),
    amount_min bigint,
    amount_max bigint,
    missing jsonb not null default '[]',
    rules_version text not null,
    as_of date not null,
    computed_at timestamptz not null default now(),
    primary key (measure_id, enterprise_id)
  )`,
  `create index match_lists_enterprise on match_lists (enterprise_id)`,
  // Batch runs and their partitions (batch/runs.ts): any process claims a partition with skip locked.
  `create table match_runs (
    id uuid primary key,
    rules_version text not null,
    as_of date not null,
    reason text not null check (reason in ('publish', 'import', 'manual', 'startup')),
    measure_ids jsonb,
    state text not null default 'pending' check (state in ('pending', 'running', 'done', 'failed')),
    partitions integer not null,
    partitions_done integer not null default 0,
    enterprises integer not null,
    enterprises_done integer not null default 0,
    rows_written bigint not null default 0,
    created_by uuid references accounts(id),
    created_at timestamptz not null,
    started_at timestamptz,
    finished_at timestamptz,
    error text,
    import_id uuid
  )`,
  `create index match_runs_created on match_runs (created_at desc)`,
  `create index match_runs_import on match_runs (import_id) where import_id is not null`,
  `create table match_partitions (
    run_id uuid not null references match_runs(id) on delete cascade,
    number integer not null,
    id_from uuid,
    id_to uuid,
    enterprise_ids jsonb,
    enterprises integer not null,
    state text not null default 'pending' check (state in ('pending', 'claimed', 'done')),
    claimed_by text,
    lease_until timestamptz,
    attempts integer not null default 0,
    done_at timestamptz,
    rows_written integer,
    primary key (run_id, number)
  )`,
  `create index match_partitions_open on match_partitions (run_id, number) where state <> 'done'`,
];

/** One stored row; amounts in 分 (null: not monetary, or no upper bound known). */
export interface MatchRow {
  measureId: string;
  enterpriseId: string;
  outcome: "eligible" | "undetermined";
  amountMin: number | null;
  amountMax: number | null;
  missing: string[];
}

/** Per-measure rows of one enterprise (ineligible left out), with the published measures as of a date. */
export function matchRowsFor(
  engine: Engine,
  enterpriseId: string,
  facts: Facts,
  asOf: string,
  measureIds: readonly string[],
): MatchRow[] {
  const rows: MatchRow[] = [];
  for (const id of measureIds) {
    const m = engine.byId.get(id);
    if (!m) continue;
    const r = engine.evaluateMeasure(m, facts, asOf);
    if (r.outcome === "ineligible") continue;
    rows.push({
      measureId: id,
      enterpriseId,
      outcome: r.outcome,
      amountMin: r.amount ? r.amount.min : null,
      amountMax: r.amount ? r.amount.max : null,
      missing: r.missing,
    });
  }
  return rows;
}

/** Replaces the lists of the given enterprises with `rows` (which must cover exactly those enterprises). */
export async function replaceMatchRows(
  db: Kysely<Database>,
  enterpriseIds: readonly string[],
  rows: readonly MatchRow[],
  meta: { rulesVersion: string; asOf: string },
): Promise<void> {
  if (enterpriseIds.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("match_lists")
      .where("enterprise_id", "in", [...enterpriseIds])
      .execute();
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await trx
        .insertInto("match_lists")
        .values(
          chunk.map((r) => ({
            measure_id: r.measureId,
            enterprise_id: r.enterpriseId,
            outcome: r.outcome,
            amount_min: r.amountMin,
            amount_max: r.amountMax,
            missing: JSON.stringify(r.missing),
            rules_version: meta.rulesVersion,
            as_of: meta.asOf,
          })),
        )
        .execute();
    }
  });
}

/**
 * Re-matches the given enterprises in this process and stores their lists (a profile change, a small import).
 * The whole population goes through the batch runner instead.
 */
export async function refreshMatchLists(ctx: AppContext, enterpriseIds: readonly string[]): Promise<number> {
  if (enterpriseIds.length === 0) return 0;
  const asOf = localDate(ctx.now());
  const measures = await publishedMeasureIds(ctx);
  let written = 0;
  for (let i = 0; i < enterpriseIds.length; i += 500) {
    const ids = enterpriseIds.slice(i, i + 500);
    const es = await ctx.db
      .selectFrom("enterprises")
      .select(["id", "uscc", "name", "region_code", "industry_code"])
      .where("id", "in", ids)
      .execute();
    const facts = await ctx.db
      .selectFrom("enterprise_facts")
      .select(["enterprise_id", "fact_id", "period", "value"])
      .where("enterprise_id", "in", ids)
      .orderBy("enterprise_id")
      .orderBy("fact_id")
      .orderBy("period")
      .execute();
    const byEnterprise = groupFactRows(facts);
    const rows = es.flatMap((e) =>
      matchRowsFor(ctx.engine, e.id, factsFromRows(e, byEnterprise.get(e.id) ?? []), asOf, measures),
    );
    await replaceMatchRows(ctx.db, ids, rows, { rulesVersion: ctx.engine.version, asOf });
    written += rows.length;
  }
  return written;
}

export interface ListedEnterprise extends MatchRow {
  enterpriseName: string;
  uscc: string;
  regionCode: string;
  rulesVersion: string;
  asOf: string;
}

/**
 * One page of a measure's list, keyset by enterprise id (`after`), optionally one outcome and one district
 * (region code prefix). Readers page through it; nothing loads a whole list at once.
 */
export async function listPage(
  db: Kysely<Database>,
  measureId: string,
  opts: { outcome?: "eligible" | "undetermined"; regionPrefix?: string; after?: string; limit?: number } = {},
): Promise<ListedEnterprise[]> {
  let q = db
    .selectFrom("match_lists as l")
    .innerJoin("enterprises as e", "e.id", "l.enterprise_id")
    .select([
      "l.measure_id",
      "l.enterprise_id",
      "l.outcome",
      "l.amount_min",
      "l.amount_max",
      "l.missing",
      "l.rules_version",
      sql<string>`to_char(l.as_of, 'YYYY-MM-DD')`.as("as_of"),
      "e.name",
      "e.uscc",
      "e.region_code",
    ])
    .where("l.measure_id", "=", measureId);
  if (opts.outcome) q = q.where("l.outcome", "=", opts.outcome);
  if (opts.regionPrefix) q = q.where("e.region_code", "like", `${opts.regionPrefix}%`);
  if (opts.after) q = q.where("l.enterprise_id", ">", opts.after);
  const rows = await q
    .orderBy("l.enterprise_id")
    .limit(opts.limit ?? 200)
    .execute();
  return rows.map((r) => ({
    measureId: r.measure_id,
    enterpriseId: r.enterprise_id,
    outcome: r.outcome,
    amountMin: r.amount_min === null ? null : Number(r.amount_min),
    amountMax: r.amount_max === null ? null : Number(r.amount_max),
    missing: r.missing,
    enterpriseName: r.name,
    uscc: r.uscc,
    regionCode: r.region_code,
    rulesVersion: r.rules_version,
    asOf: r.as_of,
  }));
}

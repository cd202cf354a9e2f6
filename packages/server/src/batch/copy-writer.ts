/**
 * PostgreSQL writer of one batch partition: COPY (pg-copy-streams) into a temporary staging table, then — in the
 * same transaction — mark the partition done (refused if the claim was lost), delete the partition's old rows
 * (for the run's measures) and insert from staging, and bump the run's progress. COPY needs the driver's own
 * client, which Kysely does not hand out, so this keeps a small pg pool per database URL (idle connections
 * closed after a few seconds; the process may exit with it open).
 */
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { MatchRow } from "./lists.ts";
import type { PartitionWrite } from "./runs.ts";

const pools = new Map<string, pg.Pool>();

function poolFor(url: string): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 5_000, allowExitOnIdle: true });
    // A dropped connection (database dropped, server restart) is replaced on the next checkout.
    pool.on("error", () => {});
    pools.set(url, pool);
  }
  return pool;
}

/** Closes the writer pools (tests, CLI exit). */
export async function closeCopyPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end().catch(() => {})));
}

/** COPY text format: backslash, tab, newline and carriage return escaped; \N is null. */
function field(v: string | number | null): string {
  if (v === null) return "\\N";
  return String(v).replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

function* lines(rows: readonly MatchRow[], rulesVersion: string, asOf: string): Generator<string> {
  let buf = "";
  for (const r of rows) {
    buf += `${field(r.measureId)}\t${r.enterpriseId}\t${r.outcome}\t${field(r.amountMin)}\t${field(r.amountMax)}\t${field(
      JSON.stringify(r.missing),
    )}\t${field(rulesVersion)}\t${asOf}\n`;
    if (buf.length > 64 * 1024) {
      yield buf;
      buf = "";
    }
  }
  if (buf) yield buf;
}

/** Writes one partition; returns false (and writes nothing) when the claim was lost. */
export async function copyPartitionRows(url: string, w: PartitionWrite): Promise<boolean> {
  const client = await poolFor(url).connect();
  let ok = false;
  try {
    await client.query("begin");
    const marked = await client.query(
      `update match_partitions set state = 'done', done_at = $3, lease_until = null, rows_written = $6
       where run_id = $1 and number = $2 and state = 'claimed' and claimed_by = $4 and attempts = $5
       returning number`,
      [w.claim.runId, w.claim.number, w.now, w.claim.owner, w.claim.attempts, w.rows.length],
    );
    if (marked.rowCount !== 1) {
      await client.query("rollback");
      return false;
    }
    await client.query(
      `create temporary table match_stage (
         measure_id text, enterprise_id uuid, outcome text, amount_min bigint, amount_max bigint,
         missing jsonb, rules_version text, as_of date
       ) on commit drop`,
    );
    if (w.rows.length > 0)
      await pipeline(
        lines(w.rows, w.claim.rulesVersion, w.claim.asOf),
        client.query(
          copyFrom(
            "copy match_stage (measure_id, enterprise_id, outcome, amount_min, amount_max, missing, rules_version, as_of) from stdin",
          ),
        ),
      );
    if (w.enterpriseIds.length > 0 && (w.measureIds === null || w.measureIds.length > 0))
      await client.query(
        w.measureIds === null
          ? "delete from match_lists where enterprise_id = any($1::uuid[])"
          : "delete from match_lists where enterprise_id = any($1::uuid[]) and measure_id = any($2::text[])",
        w.measureIds === null ? [w.enterpriseIds] : [w.enterpriseIds, w.measureIds],
      );
    await client.query(
      `insert into match_lists (measure_id, enterprise_id, outcome, amount_min, amount_max, missing, rules_version, as_of)
       select measure_id, enterprise_id, outcome, amount_min, amount_max, missing, rules_version, as_of from match_stage`,
    );
    await client.query(
      `update match_runs set
         partitions_done = partitions_done + 1,
         enterprises_done = enterprises_done + $2,
         rows_written = rows_written + $3,
         state = case when partitions_done + 1 >= partitions then 'done' else state end,
         finished_at = case when partitions_done + 1 >= partitions then $4::timestamptz else finished_at end
       where id = $1`,
      [w.claim.runId, w.enterpriseIds.length, w.rows.length, w.now],
    );
    await client.query("commit");
    ok = true;
    return true;
  } finally {
    if (!ok) await client.query("rollback").catch(() => {});
    client.release();
  }
}

/**
 * Batch matching runs (批量匹配): a rules version × as-of date over every published measure (or some) and every
 * enterprise (or a given set), split into partitions of ~2,000 enterprises by keyset on id.
 *
 * Any process drains a run: it claims one partition at a time in a short transaction (`for update skip locked`,
 * pending or with an expired lease, attempts + 1), loads the partition's enterprises and facts in two queries,
 * sends them through a MatchPool (worker threads or inline), and writes the rows, marks the partition done and
 * bumps the run's progress in one transaction — so a partition is never half-written, and a claimer that lost
 * its lease (it stalled, another process re-claimed) finds its mark refused and rolls its rows back: each
 * partition is completed exactly once. PostgreSQL writes through COPY into a temporary staging table
 * (copy-writer.ts); PGlite writes batched multi-row inserts.
 *
 * A run over some measures replaces only those measures' rows of its enterprises; a run over all measures
 * replaces the enterprises' whole lists. A process only drains runs of the rules version it has compiled
 * (ctx.engine.version): lists always say which rules made them.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Engine } from "@huiqi/engine";
import { type Kysely, sql, type Transaction } from "kysely";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import type { Database } from "../db/schema.ts";
import { factsFromRows, groupFactRows } from "../enterprises/facts-store.ts";
import { enqueue } from "../notifications/outbox.ts";
import { publishedMeasureIds } from "../policies/publication.ts";
import { copyPartitionRows } from "./copy-writer.ts";
import type { MatchRow } from "./lists.ts";
import { createInlinePool, type MatchPool } from "./pool.ts";

type Db = Kysely<Database> | Transaction<Database>;

export const PARTITION_SIZE = 2000;
/** How long a claimed partition stays the claimer's; after that any process may take it over. */
export const DEFAULT_LEASE_MS = 2 * 60_000;

export type RunReason = "publish" | "import" | "manual" | "startup";
export type RunState = "pending" | "running" | "done" | "failed";
export const REASON_LABELS: Record<RunReason, string> = {
  publish: "发布",
  import: "导入",
  manual: "手动",
  startup: "首次建立名单",
};
export const STATE_LABELS: Record<RunState, string> = {
  pending: "等待中",
  running: "进行中",
  done: "已完成",
  failed: "失败",
};

export interface RunSummary {
  id: string;
  rulesVersion: string;
  asOf: string;
  reason: RunReason;
  reasonLabel: string;
  /** null: every published measure. */
  measureIds: string[] | null;
  state: RunState;
  stateLabel: string;
  partitions: number;
  partitionsDone: number;
  enterprises: number;
  enterprisesDone: number;
  rowsWritten: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

async function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return db.transaction().execute(fn);
}

export interface CreateRunOptions {
  rulesVersion: string;
  asOf: string;
  reason: RunReason;
  /** null or undefined: every published measure at the time a partition runs. */
  measureIds?: readonly string[] | null;
  /** A given set (an import's changed enterprises); undefined: every enterprise, partitioned by id range. */
  enterpriseIds?: readonly string[];
  createdBy?: string | null;
  now: Date;
  partitionSize?: number;
  /** Queue "match.run" jobs so the job workers of every process drain it (default true). */
  enqueueJobs?: boolean;
  importId?: string;
}

/**
 * Creates a run and its partitions (in the given transaction, or its own), and queues one "match.run" job per
 * partition: the jobs are only tokens of work (each drains whatever partition is claimable), so the worker loops
 * of several processes share a run at the granularity of the jobs they claim.
 */
export async function createRun(
  db: Db,
  o: CreateRunOptions,
): Promise<{ id: string; partitions: number; enterprises: number }> {
  const size = o.partitionSize ?? PARTITION_SIZE;
  return inTransaction(db, async (trx) => {
    const id = randomUUID();
    type Part = {
      id_from: string | null;
      id_to: string | null;
      enterprise_ids: string | null;
      enterprises: number;
    };
    const parts: Part[] = [];
    if (o.enterpriseIds) {
      const ids = [...new Set(o.enterpriseIds)].sort();
      for (let i = 0; i < ids.length; i += size) {
        const slice = ids.slice(i, i + size);
        parts.push({
          id_from: null,
          id_to: null,
          enterprise_ids: JSON.stringify(slice),
          enterprises: slice.length,
        });
      }
    } else {
      // One query for all boundaries (no per-partition round trip). PostgreSQL has no min(uuid): text order of
      // lowercase hex is the uuid's byte order.
      const bounds = await sql<{ lo: string; hi: string; n: number }>`
        select min(id::text) as lo, max(id::text) as hi, count(*)::int as n
        from (select id, (row_number() over (order by id) - 1) / ${size} as p from enterprises) t
        group by p order by p`.execute(trx);
      bounds.rows.forEach((b, i) => {
        // The first and last ranges stay open, so an enterprise added during the run still falls in one.
        parts.push({
          id_from: i === 0 ? null : b.lo,
          id_to: i === bounds.rows.length - 1 ? null : b.hi,
          enterprise_ids: null,
          enterprises: Number(b.n),
        });
      });
    }
    const enterprises = parts.reduce((s, p) => s + p.enterprises, 0);
    await trx
      .insertInto("match_runs")
      .values({
        id,
        rules_version: o.rulesVersion,
        as_of: o.asOf,
        reason: o.reason,
        measure_ids: o.measureIds ? JSON.stringify(o.measureIds) : null,
        state: parts.length === 0 ? "done" : "pending",
        partitions: parts.length,
        enterprises,
        rows_written: 0,
        created_by: o.createdBy ?? null,
        created_at: o.now,
        started_at: null,
        finished_at: parts.length === 0 ? o.now : null,
        error: null,
        import_id: o.importId ?? null,
      })
      .execute();
    for (let i = 0; i < parts.length; i += 500)
      await trx
        .insertInto("match_partitions")
        .values(
          parts.slice(i, i + 500).map((p, j) => ({
            run_id: id,
            number: i + j + 1,
            ...p,
            state: "pending" as const,
            claimed_by: null,
            lease_until: null,
            done_at: null,
            rows_written: null,
          })),
        )
        .execute();
    if (o.enqueueJobs !== false)
      for (let n = 1; n <= parts.length; n++)
        await enqueue(trx, "match.run", { runId: id }, `match.run:${id}:${n}`);
    return { id, partitions: parts.length, enterprises };
  });
}

/** A full run (every enterprise, every published measure) with the current rules, as of today. */
export function createFullRun(ctx: AppContext, reason: RunReason, createdBy: string | null = null) {
  return createRun(ctx.db, {
    rulesVersion: ctx.engine.version,
    asOf: localDate(ctx.now()),
    reason,
    measureIds: null,
    createdBy,
    now: ctx.now(),
  });
}

/** Above this many changed enterprises an import is re-matched by one batch run instead of one by one. */
export const IMPORT_RUN_THRESHOLD = 2000;

/**
 * After a bulk import (same transaction as its counts): a run over the enterprises it changed when there are
 * more than IMPORT_RUN_THRESHOLD, with the current rules version (rules_versions), as of today. Smaller imports
 * refresh per enterprise through their profile.changed jobs.
 */
export async function createImportRun(
  trx: Transaction<Database>,
  o: { importId: string; enterpriseIds: readonly string[]; now: Date; threshold?: number },
): Promise<string | undefined> {
  if (o.enterpriseIds.length <= (o.threshold ?? IMPORT_RUN_THRESHOLD)) return undefined;
  const current = await trx
    .selectFrom("rules_versions")
    .select("version")
    .where("current", "=", true)
    .executeTakeFirst();
  if (!current) return undefined;
  const run = await createRun(trx, {
    rulesVersion: current.version,
    asOf: localDate(o.now),
    reason: "import",
    enterpriseIds: o.enterpriseIds,
    importId: o.importId,
    now: o.now,
  });
  return run.id;
}

/** Does a batch run re-match this import's enterprises (so its profile.changed jobs leave the lists alone)? */
export async function importHasRun(db: Db, importId: string): Promise<boolean> {
  const r = await db
    .selectFrom("match_runs")
    .select("id")
    .where("import_id", "=", importId)
    .executeTakeFirst();
  return r !== undefined;
}

export interface Claim {
  runId: string;
  number: number;
  attempts: number;
  owner: string;
  idFrom: string | null;
  idTo: string | null;
  enterpriseIds: string[] | null;
  asOf: string;
  rulesVersion: string;
  measureIds: string[] | null;
}

/** A claimer's name in claimed_by: host, process and a random part (two drainers in one process differ). */
export function claimerName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Claims one partition (pending, or claimed with an expired lease) of a run of this rules version, oldest run
 * first, in one short transaction. undefined: nothing claimable now.
 */
export async function claimPartition(
  db: Kysely<Database>,
  o: { owner: string; rulesVersion: string; runId?: string; leaseMs?: number; clock?: () => Date },
): Promise<Claim | undefined> {
  const now = (o.clock ?? (() => new Date()))();
  const until = new Date(now.getTime() + (o.leaseMs ?? DEFAULT_LEASE_MS));
  return db.transaction().execute(async (trx) => {
    const runFilter = o.runId ? sql`and r.id = ${o.runId}` : sql``;
    const found = await sql<{ run_id: string; number: number }>`
      select p.run_id, p.number from match_partitions p join match_runs r on r.id = p.run_id
      where r.state in ('pending', 'running') and r.rules_version = ${o.rulesVersion} ${runFilter}
        and (p.state = 'pending' or (p.state = 'claimed' and p.lease_until < ${now}))
      order by r.created_at, p.run_id, p.number
      limit 1
      for update of p skip locked`.execute(trx);
    const hit = found.rows[0];
    if (!hit) return undefined;
    const p = await trx
      .updateTable("match_partitions")
      .set({ state: "claimed", claimed_by: o.owner, lease_until: until, attempts: sql`attempts + 1` })
      .where("run_id", "=", hit.run_id)
      .where("number", "=", hit.number)
      .returning(["attempts", "id_from", "id_to", "enterprise_ids"])
      .executeTakeFirstOrThrow();
    const run = await trx
      .updateTable("match_runs")
      .set({ state: "running", started_at: sql`coalesce(started_at, ${now})` })
      .where("id", "=", hit.run_id)
      .returning(["rules_version", sql<string>`to_char(as_of, 'YYYY-MM-DD')`.as("as_of"), "measure_ids"])
      .executeTakeFirstOrThrow();
    return {
      runId: hit.run_id,
      number: hit.number,
      attempts: p.attempts,
      owner: o.owner,
      idFrom: p.id_from,
      idTo: p.id_to,
      enterpriseIds: p.enterprise_ids,
      asOf: run.as_of,
      rulesVersion: run.rules_version,
      measureIds: run.measure_ids,
    };
  });
}

/** The partition's enterprises with their Facts: two queries (enterprises, then their fact rows). */
export async function partitionFacts(db: Db, c: Pick<Claim, "idFrom" | "idTo" | "enterpriseIds">) {
  let q = db.selectFrom("enterprises").select(["id", "uscc", "name", "region_code", "industry_code"]);
  if (c.enterpriseIds) {
    if (c.enterpriseIds.length === 0) return [];
    q = q.where("id", "in", c.enterpriseIds);
  } else {
    if (c.idFrom) q = q.where("id", ">=", c.idFrom);
    if (c.idTo) q = q.where("id", "<=", c.idTo);
  }
  const es = await q.orderBy("id").execute();
  if (es.length === 0) return [];
  const ids = es.map((e) => e.id);
  let fq = db.selectFrom("enterprise_facts").select(["enterprise_id", "fact_id", "period", "value"]);
  // The same range (one index scan) rather than 2,000 bound parameters, unless the partition is a list.
  if (c.enterpriseIds) fq = fq.where("enterprise_id", "in", ids);
  else {
    if (c.idFrom) fq = fq.where("enterprise_id", ">=", c.idFrom);
    if (c.idTo) fq = fq.where("enterprise_id", "<=", c.idTo);
  }
  const rows = await fq.orderBy("enterprise_id").orderBy("fact_id").orderBy("period").execute();
  const byEnterprise = groupFactRows(rows);
  return es.map((e) => ({ id: e.id, facts: factsFromRows(e, byEnterprise.get(e.id) ?? []) }));
}

/** The claim was lost (lease expired and another process took the partition over): nothing was written. */
export class LeaseLostError extends Error {
  constructor() {
    super("批量匹配分区已被其他进程接管");
    this.name = "LeaseLostError";
  }
}

export interface PartitionWrite {
  claim: Claim;
  enterpriseIds: string[];
  /** The measures whose rows are replaced; null: every row of these enterprises. */
  measureIds: readonly string[] | null;
  rows: readonly MatchRow[];
  now: Date;
}

/** Marks the partition done (only if still this claim) and bumps the run; the caller's transaction. */
export async function markPartitionDone(trx: Transaction<Database>, w: PartitionWrite): Promise<void> {
  const marked = await trx
    .updateTable("match_partitions")
    .set({ state: "done", done_at: w.now, lease_until: null, rows_written: w.rows.length })
    .where("run_id", "=", w.claim.runId)
    .where("number", "=", w.claim.number)
    .where("state", "=", "claimed")
    .where("claimed_by", "=", w.claim.owner)
    .where("attempts", "=", w.claim.attempts)
    .returning("number")
    .executeTakeFirst();
  if (!marked) throw new LeaseLostError();
  await sql`update match_runs set
      partitions_done = partitions_done + 1,
      enterprises_done = enterprises_done + ${w.enterpriseIds.length},
      rows_written = rows_written + ${w.rows.length},
      state = case when partitions_done + 1 >= partitions then 'done' else state end,
      finished_at = case when partitions_done + 1 >= partitions then ${w.now}::timestamptz else finished_at end
    where id = ${w.claim.runId}`.execute(trx);
}

/** PGlite (and the fallback): delete the old rows, batched multi-row inserts, mark done — one transaction. */
async function insertPartitionRows(db: Kysely<Database>, w: PartitionWrite): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await markPartitionDone(trx, w);
    if (w.enterpriseIds.length > 0) {
      let del = trx.deleteFrom("match_lists").where("enterprise_id", "in", w.enterpriseIds);
      if (w.measureIds) {
        if (w.measureIds.length === 0) return;
        del = del.where("measure_id", "in", [...w.measureIds]);
      }
      await del.execute();
    }
    for (let i = 0; i < w.rows.length; i += 1000)
      await trx
        .insertInto("match_lists")
        .values(
          w.rows.slice(i, i + 1000).map((r) => ({
            measure_id: r.measureId,
            enterprise_id: r.enterpriseId,
            outcome: r.outcome,
            amount_min: r.amountMin,
            amount_max: r.amountMax,
            missing: JSON.stringify(r.missing),
            rules_version: w.claim.rulesVersion,
            as_of: w.claim.asOf,
          })),
        )
        .execute();
  });
}

/** Matches one claimed partition and writes it (COPY on PostgreSQL). Returns rows and enterprises written. */
export async function processPartition(
  ctx: AppContext,
  claim: Claim,
  pool: MatchPool,
): Promise<{ rows: number; enterprises: number }> {
  const published = new Set(await publishedMeasureIds(ctx));
  const measures = (claim.measureIds ?? [...published]).filter((id) => published.has(id));
  const enterprises = await partitionFacts(ctx.db, claim);
  const rows =
    enterprises.length > 0 ? await pool.match({ asOf: claim.asOf, measureIds: measures, enterprises }) : [];
  const write: PartitionWrite = {
    claim,
    enterpriseIds: enterprises.map((e) => e.id),
    measureIds: claim.measureIds ? claim.measureIds : null,
    rows,
    now: ctx.now(),
  };
  if (ctx.dbKind === "postgres" && ctx.config.databaseUrl) {
    if (!(await copyPartitionRows(ctx.config.databaseUrl, write))) throw new LeaseLostError();
  } else await insertPartitionRows(ctx.db, write);
  return { rows: rows.length, enterprises: enterprises.length };
}

/** Gives a claim back after an error (not a lost lease), so another attempt can start at once. */
async function releaseClaim(db: Kysely<Database>, c: Claim): Promise<void> {
  await db
    .updateTable("match_partitions")
    .set({ state: "pending", lease_until: null, claimed_by: null })
    .where("run_id", "=", c.runId)
    .where("number", "=", c.number)
    .where("claimed_by", "=", c.owner)
    .where("attempts", "=", c.attempts)
    .where("state", "=", "claimed")
    .execute();
}

/** After this many claims of one partition end in an error, its run is marked failed (a poison partition). */
const MAX_PARTITION_ATTEMPTS = 5;

async function failRun(db: Kysely<Database>, runId: string, error: unknown): Promise<void> {
  const text = error instanceof Error ? error.message : String(error);
  await db
    .updateTable("match_runs")
    .set({ state: "failed", error: text.slice(0, 1000), finished_at: new Date() })
    .where("id", "=", runId)
    .where("state", "in", ["pending", "running"])
    .execute();
}

export interface DrainOptions {
  pool: MatchPool;
  /** Only this run (default: every run of the process's rules version, oldest first). */
  runId?: string;
  owner?: string;
  leaseMs?: number;
  /** Stop claiming after this time (epoch ms); the partition in hand is finished. */
  deadline?: number;
  /** At most this many partitions. */
  maxPartitions?: number;
  onPartition?: (p: { runId: string; number: number; rows: number; enterprises: number }) => void;
}

/** Claims and processes partitions until none is claimable (or the deadline). Returns partitions completed. */
export async function drainRuns(ctx: AppContext, o: DrainOptions): Promise<number> {
  const owner = o.owner ?? claimerName();
  let done = 0;
  for (;;) {
    if (o.deadline !== undefined && Date.now() >= o.deadline) return done;
    if (o.maxPartitions !== undefined && done >= o.maxPartitions) return done;
    const claim = await claimPartition(ctx.db, {
      owner,
      rulesVersion: ctx.engine.version,
      ...(o.runId ? { runId: o.runId } : {}),
      ...(o.leaseMs !== undefined ? { leaseMs: o.leaseMs } : {}),
    });
    if (!claim) return done;
    try {
      const r = await processPartition(ctx, claim, o.pool);
      done++;
      o.onPartition?.({ runId: claim.runId, number: claim.number, ...r });
    } catch (e) {
      if (e instanceof LeaseLostError) continue; // someone else finishes it
      await releaseClaim(ctx.db, claim);
      if (claim.attempts >= MAX_PARTITION_ATTEMPTS) await failRun(ctx.db, claim.runId, e);
      throw e;
    }
  }
}

export class RunNotFinishedError extends Error {
  constructor(readonly state: RunState | "missing") {
    super(
      state === "failed"
        ? "批量匹配失败，名单未更新"
        : state === "missing"
          ? "批量匹配任务不存在"
          : "批量匹配尚未完成（其他进程仍在处理），稍后重试",
    );
    this.name = "RunNotFinishedError";
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Helps a run to its end: drains its claimable partitions here, then waits while other processes finish theirs
 * (or their leases expire and this process takes over). Throws RunNotFinishedError after `timeoutMs`.
 */
export async function finishRun(
  ctx: AppContext,
  runId: string,
  o: { pool?: MatchPool; timeoutMs?: number; pollMs?: number; leaseMs?: number } = {},
): Promise<RunSummary> {
  const pool = o.pool ?? createInlinePool(ctx.engine);
  const until = Date.now() + (o.timeoutMs ?? 60_000);
  try {
    for (;;) {
      const run = await getRun(ctx.db, runId);
      if (!run) throw new RunNotFinishedError("missing");
      if (run.state === "done") return run;
      if (run.state === "failed") throw new RunNotFinishedError("failed");
      if (run.rulesVersion !== ctx.engine.version) throw new RunNotFinishedError(run.state);
      await drainRuns(ctx, { pool, runId, ...(o.leaseMs !== undefined ? { leaseMs: o.leaseMs } : {}) });
      const after = await getRun(ctx.db, runId);
      if (after?.state === "done") return after;
      if (Date.now() >= until) throw new RunNotFinishedError(after?.state ?? "missing");
      await sleep(o.pollMs ?? 250);
    }
  } finally {
    if (!o.pool) await pool.close();
  }
}

function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}

const RUN_COLUMNS = [
  "id",
  "rules_version",
  sql<string>`to_char(as_of, 'YYYY-MM-DD')`.as("as_of"),
  "reason",
  "measure_ids",
  "state",
  "partitions",
  "partitions_done",
  "enterprises",
  "enterprises_done",
  "rows_written",
  "created_at",
  "started_at",
  "finished_at",
] as const;

type RunRow = {
  id: string;
  rules_version: string;
  as_of: string;
  reason: RunReason;
  measure_ids: string[] | null;
  state: RunState;
  partitions: number;
  partitions_done: number;
  enterprises: number;
  enterprises_done: number;
  rows_written: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

function summary(r: RunRow): RunSummary {
  return {
    id: r.id,
    rulesVersion: r.rules_version,
    asOf: r.as_of,
    reason: r.reason,
    reasonLabel: REASON_LABELS[r.reason],
    measureIds: r.measure_ids,
    state: r.state,
    stateLabel: STATE_LABELS[r.state],
    partitions: r.partitions,
    partitionsDone: r.partitions_done,
    enterprises: r.enterprises,
    enterprisesDone: r.enterprises_done,
    rowsWritten: Number(r.rows_written),
    createdAt: iso(r.created_at) as string,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

export async function getRun(db: Db, id: string): Promise<RunSummary | undefined> {
  const r = await db.selectFrom("match_runs").select(RUN_COLUMNS).where("id", "=", id).executeTakeFirst();
  return r ? summary(r as RunRow) : undefined;
}

export async function latestRuns(db: Db, limit = 20): Promise<RunSummary[]> {
  const rows = await db
    .selectFrom("match_runs")
    .select(RUN_COLUMNS)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => summary(r as RunRow));
}

/**
 * The newest run of this rules version and as-of date that covers the measure (a run over all measures, or
 * one naming it) and is not failed: the run whose lists a push for the measure reads.
 */
export async function runCovering(
  db: Db,
  o: { rulesVersion: string; asOf: string; measureId: string },
): Promise<RunSummary | undefined> {
  const rows = await db
    .selectFrom("match_runs")
    .select(RUN_COLUMNS)
    .where("rules_version", "=", o.rulesVersion)
    .where("as_of", "=", o.asOf)
    .where("state", "<>", "failed")
    .where((eb) =>
      eb.or([
        eb("measure_ids", "is", null),
        eb(sql`measure_ids`, "@>", sql`${JSON.stringify([o.measureId])}::jsonb`),
      ]),
    )
    .orderBy("created_at", "desc")
    .limit(1)
    .execute();
  return rows[0] ? summary(rows[0] as RunRow) : undefined;
}

interface Registered {
  make: (rules: Engine["rules"]) => MatchPool;
  version?: string;
  pool?: MatchPool;
}
const registered = new WeakMap<AppContext, Registered>();
/** A pool replaced by a rules reload may still be draining a run: closed a while later, not at once. */
const RETIRE_AFTER_MS = 10 * 60_000;

/**
 * Gives this context worker threads for the job worker's runs (a server: `createMatchPool`). The pool is made
 * for the compiled rules and made again after a reload; without a factory runs are matched in this thread.
 */
export function useBatchPool(ctx: AppContext, make: (rules: Engine["rules"]) => MatchPool): void {
  registered.set(ctx, { make });
}

/** The pool the job handlers use: threads holding the current rules if the server gave a factory, else inline. */
export function batchPool(ctx: AppContext): MatchPool {
  const r = registered.get(ctx);
  if (!r) return createInlinePool(ctx.engine);
  if (r.pool && r.version === ctx.engine.version) return r.pool;
  const old = r.pool;
  if (old) setTimeout(() => void old.close().catch(() => {}), RETIRE_AFTER_MS).unref();
  r.pool = r.make(ctx.engine.rules);
  r.version = ctx.engine.version;
  return r.pool;
}

/** Closes the context's worker threads (server stop). */
export async function closeBatchPool(ctx: AppContext): Promise<void> {
  const r = registered.get(ctx);
  registered.delete(ctx);
  await r?.pool?.close();
}

/**
 * A database whose lists were never built by a full run (an existing platform upgraded to batch matching, or
 * enterprises written before any run) gets one at start-up; later changes keep the lists current. Returns the
 * run's id, or undefined when a full run already exists or there are no enterprises.
 */
export async function ensureListsBuilt(ctx: AppContext): Promise<string | undefined> {
  const full = await ctx.db
    .selectFrom("match_runs")
    .select("id")
    .where("measure_ids", "is", null)
    .where("state", "<>", "failed")
    .limit(1)
    .executeTakeFirst();
  if (full) return undefined;
  const any = await ctx.db.selectFrom("enterprises").select("id").limit(1).executeTakeFirst();
  if (!any) return undefined;
  return (await createFullRun(ctx, "startup")).id;
}

/**
 * Population benchmark: `npm run bench:population` (node --import tsx --expose-gc bench/population.bench.ts).
 *
 * Phase 1 — 1,000,000 synthetic enterprises (bench/population.ts) × every published measure through the batch
 * worker pool (packages/server/src/batch/pool.ts). The population is generated in batches that are matched and
 * dropped (never all held at once). Generating a synthetic enterprise costs more CPU than matching it, and in the
 * platform the facts come from the database, so generation is timed apart: the pool figure is the time the
 * batches spent in the pool (this thread preparing and sending chunks, the threads matching, rows coming back).
 * The baseline is the inline pool (one thread, no workers) on a slice of the same population, in this process.
 *
 * Phase 2 — 200,000 enterprises as generated registry and statistics files (xlsx and csv) imported through the
 * real import pipeline into a throw-away PostgreSQL, then batch-matched on the pool and the lists written
 * (population-pg.ts). Needs HUIQI_BENCH_DATABASE_URL, or starts one with scripts/postgres.sh (port 54385).
 *
 * Env: BENCH_POPULATION_N (default 1,000,000), BENCH_IMPORT_N (default 200,000), BENCH_SKIP_PG=1 skips phase 2,
 * BENCH_SKIP_POPULATION=1 skips phase 1, BENCH_THREADS (default: the CPUs), BENCH_BASELINE_N (inline slice,
 * default 20,000).
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { deriveFacts, type Facts } from "@huiqi/engine";
import {
  type ColumnarMatchPool,
  createInlinePool,
  createMatchPool,
  type MatchColumns,
  type PoolChunk,
} from "../packages/server/src/batch/pool.ts";
import { loadBenchLibrary } from "./library.ts";
import { PopulationGenerator } from "./population.ts";
import { fmt, type MemorySampler, mb, memorySampler, sec } from "./population-report.ts";

const N = Number(process.env.BENCH_POPULATION_N ?? 1_000_000);
const IMPORT_N = Number(process.env.BENCH_IMPORT_N ?? 200_000);
const SKIP_PG = process.env.BENCH_SKIP_PG === "1";
const THREADS = Number(process.env.BENCH_THREADS ?? os.availableParallelism());
const BASELINE_N = Math.min(N, Number(process.env.BENCH_BASELINE_N ?? 20_000));
const SEED = 20221101;
const AS_OF = "2023-09-01";
/** Enterprises generated, then matched, at a time. */
const BATCH = 10_000;
/** Enterprises per pool call (a partition of the batch runner is 2,000). */
const CHUNK = 2_000;
/** Pool calls in flight: enough to keep every thread busy while this thread prepares the next chunk. */
const IN_FLIGHT = 2;

const gc = (globalThis as { gc?: () => void }).gc;
const mem: MemorySampler = memorySampler();
const wallStart = performance.now();

// ------------------------------------------------------------------ header

const cpus = os.cpus();
console.log("huiqi population benchmark");
console.log(`machine: ${cpus[0]?.model ?? "unknown CPU"} ×${cpus.length} logical, ${mb(os.totalmem())} RAM`);
console.log(
  `node ${process.version} (${process.platform}/${process.arch}); load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} at start (the machine may be shared)`,
);
if (!gc) console.log("note: run with --expose-gc for steadier memory figures");

const lib = loadBenchLibrary();
const engine = lib.engine;
const measureIds = engine.measures.map((m) => m.def.id);
console.log(
  `rule set: ${measureIds.length} measures (all published), ${lib.rules.vocabulary.facts.length} facts in the vocabulary`,
);
for (const s of lib.skipped) console.log(`  skipped (still being encoded?): ${s}`);

// ------------------------------------------------------------------ tallies

interface Tally {
  enterprises: number;
  rows: number;
  eligible: number;
  undetermined: number;
  /** Rows carrying missing fact keys, and the keys in all. */
  withMissing: number;
  missingKeys: number;
  /** Σ guaranteed amounts of eligible rows, 分. */
  eligibleMinFen: number;
}

function newTally(): Tally {
  return {
    enterprises: 0,
    rows: 0,
    eligible: 0,
    undetermined: 0,
    withMissing: 0,
    missingKeys: 0,
    eligibleMinFen: 0,
  };
}

function count(t: Tally, enterprises: number, c: MatchColumns): void {
  t.enterprises += enterprises;
  t.rows += c.length;
  for (let r = 0; r < c.length; r++) {
    if (c.outcome[r] === 1) {
      t.eligible++;
      const min = c.amountMin[r] as number;
      if (!Number.isNaN(min)) t.eligibleMinFen += min;
    } else t.undetermined++;
    if ((c.missingStart[r + 1] as number) > (c.missingStart[r] as number)) t.withMissing++;
  }
  t.missingKeys += c.missingIndex.length;
}

/** CPU milliseconds (user + system, every thread of the process) since `from`. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

function sameTally(a: Tally, b: Tally): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ------------------------------------------------------------------ phase 1

const generator = new PopulationGenerator(lib.rules.vocabulary, { seed: SEED, measureIds });

function generateBatch(from: number, n: number): PoolChunk["enterprises"] {
  const out = new Array<{ id: string; facts: Facts }>(n);
  for (let k = 0; k < n; k++)
    out[k] = { id: `e${from + k}`, facts: deriveFacts(generator.enterprise(from + k)) };
  return out;
}

/** Every chunk of `batch` through the pool, at most IN_FLIGHT at once; adds the rows to `t`. */
async function matchBatch(pool: ColumnarMatchPool, batch: PoolChunk["enterprises"], t: Tally): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < batch.length; i += CHUNK) {
    const enterprises = batch.slice(i, i + CHUNK);
    const p = pool.matchColumns({ asOf: AS_OF, measureIds, enterprises }).then((c) => {
      count(t, enterprises.length, c);
      mem.sample();
      inFlight.delete(p);
    });
    inFlight.add(p);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

function tallyLine(label: string, t: Tally, ms: number): string {
  return (
    `${label}: ${fmt(t.enterprises)} enterprises in ${sec(ms)} → ${fmt((t.enterprises / ms) * 1000)} enterprises/s, ` +
    `${fmt(((t.enterprises * measureIds.length) / ms) * 1000)} measure-evaluations/s, ${fmt((t.rows / ms) * 1000)} rows/s`
  );
}

async function phase1(): Promise<void> {
  console.log(
    `\n== phase 1: ${fmt(N)} synthetic enterprises × ${measureIds.length} measures through the pool ==`,
  );
  console.log(
    `generated in batches of ${fmt(BATCH)} (seed ${SEED}), each matched in pool calls of ${fmt(CHUNK)} enterprises, ` +
      `${IN_FLIGHT} in flight, as of ${AS_OF}; rows come back columnar (pool.matchColumns)`,
  );

  // Baseline: the inline pool, this thread only, on the first BASELINE_N enterprises (warmed up first).
  const inline = createInlinePool(engine);
  let slice = generateBatch(0, BASELINE_N);
  await matchBatch(inline, slice.slice(0, Math.min(2_000, slice.length)), newTally());
  const base = newTally();
  const b0 = performance.now();
  const bc = process.cpuUsage();
  await matchBatch(inline, slice, base);
  const baseMs = performance.now() - b0;
  const baseCpu = cpuMs(bc);
  console.log(tallyLine("baseline, inline pool (1 thread, no workers)", base, baseMs));

  const pool = createMatchPool({ rules: lib.rules, threads: THREADS });
  // Start the threads (each compiles the rules) outside the timing, and check the pool against the baseline.
  const s0 = performance.now();
  const check = newTally();
  await matchBatch(pool, slice, check);
  const firstMs = performance.now() - s0;
  if (!sameTally(check, base))
    throw new Error(`pool and inline pool disagree on the slice: ${JSON.stringify({ check, base })}`);
  console.log(
    `pool of ${pool.threads} worker threads started and checked: same rows as the inline pool on the slice (${sec(firstMs)} incl. thread start)`,
  );
  slice = [];
  gc?.();
  mem.reset();

  const t = newTally();
  let genMs = 0;
  let poolMs = 0;
  let poolCpu = 0;
  const p0 = performance.now();
  let lastReport = p0;
  for (let from = 0; from < N; from += BATCH) {
    const g0 = performance.now();
    const batch = generateBatch(from, Math.min(BATCH, N - from));
    genMs += performance.now() - g0;
    mem.sample();
    const m0 = performance.now();
    const c0 = process.cpuUsage();
    await matchBatch(pool, batch, t);
    poolMs += performance.now() - m0;
    poolCpu += cpuMs(c0);
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      console.log(
        `  … ${fmt(t.enterprises)} enterprises, pool ${sec(poolMs)}, generation ${sec(genMs)}, rss ${mb(mem.peak.rss)} peak`,
      );
    }
  }
  const wallMs = performance.now() - p0;
  mem.sample();
  await pool.close();

  console.log(tallyLine(`pool, ${pool.threads} worker threads`, t, poolMs));
  console.log(
    `rows: ${fmt(t.rows)} (${(t.rows / t.enterprises).toFixed(1)} per enterprise) — eligible ${fmt(t.eligible)}, ` +
      `undetermined ${fmt(t.undetermined)}; ${fmt(t.withMissing)} rows list missing facts (${fmt(t.missingKeys)} keys); ` +
      `guaranteed amounts of eligible rows Σ ${(t.eligibleMinFen / 1e10).toFixed(1)} 亿元`,
  );
  console.log(
    `speed-up over the inline baseline: ×${((t.enterprises / poolMs) * (baseMs / base.enterprises)).toFixed(2)} ` +
      `with ${pool.threads} threads`,
  );
  // On a shared machine wall time depends on the neighbours; CPU time per enterprise much less so.
  console.log(
    `CPU time (all threads of the process): inline ${fmt((baseCpu * 1000) / base.enterprises)} µs per enterprise, ` +
      `pool ${fmt((poolCpu * 1000) / t.enterprises)} µs per enterprise (this thread encoding and sending, the workers ` +
      `decoding and matching) — the pool window used ${sec(poolCpu)} of CPU in ${sec(poolMs)}`,
  );
  console.log(
    `time in the pool: ${sec(poolMs)} (target < 60 s) ${poolMs < 60_000 ? "PASS" : "MISS"}; ` +
      `generating the synthetic enterprises (stand-in for reading the database, not counted): ${sec(genMs)}; ` +
      `wall time of the phase: ${sec(wallMs)}`,
  );
  const maxRss = Math.max(mem.peak.rss, process.resourceUsage().maxRSS * 1024);
  console.log(
    `peak memory (process RSS, worker threads included, sampled per chunk): ${mb(mem.peak.rss)}; OS max RSS ${mb(maxRss)}; ` +
      `heap ${mb(mem.peak.heapUsed)} (target < 2 GB) ${maxRss < 2 * 1024 ** 3 ? "PASS" : "MISS"}`,
  );
}

if (process.env.BENCH_SKIP_POPULATION === "1")
  console.log("\n== phase 1 skipped (BENCH_SKIP_POPULATION=1) ==");
else await phase1();

if (SKIP_PG) console.log("\n== phase 2 skipped (BENCH_SKIP_PG=1) ==");
else {
  const { phase2 } = await import("./population-pg.ts");
  await phase2({ n: IMPORT_N, rules: lib.rules, threads: THREADS, mem });
}
console.log(`\ntotal wall time ${sec(performance.now() - wallStart)}`);

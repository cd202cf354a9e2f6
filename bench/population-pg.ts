/**
 * Phase 2 of the population benchmark: IMPORT_N synthetic enterprises written as a registry (企业名录, xlsx) and
 * statistics for two years (统计数据, csv, 万元), imported through the real import pipeline (runImport) into a
 * throw-away PostgreSQL, then batch-matched by the batch runner (runs.ts: partitions claimed, facts loaded, the
 * worker pool, lists written with COPY) — two drainers at once, so one partition is read or written while
 * another is matched. The files use the column names of examples/imports/generate.ts.
 *
 * PostgreSQL: HUIQI_BENCH_DATABASE_URL (a database the benchmark may fill), else scripts/postgres.sh starts one
 * on port 54385 (HUIQI_BENCH_PG_PORT) and stops it afterwards.
 */
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { RuleSet } from "@huiqi/engine";
import ExcelJS from "exceljs";
import { registryRows, statisticsRows } from "../examples/imports/generate.ts";
import { closeCopyPools } from "../packages/server/src/batch/copy-writer.ts";
import { createMatchPool, type MatchPool } from "../packages/server/src/batch/pool.ts";
import { createFullRun, drainRuns, getRun } from "../packages/server/src/batch/runs.ts";
import { loadConfig } from "../packages/server/src/config.ts";
import { runImport } from "../packages/server/src/imports/run-import.ts";
import { createPlatform } from "../packages/server/src/server.ts";
import { FOCUS_REGIONS, PopulationGenerator } from "./population.ts";
import { fmt, type MemorySampler, mb, sec } from "./population-report.ts";

const SCRIPT = fileURLToPath(new URL("../scripts/postgres.sh", import.meta.url));

interface Database {
  url: string;
  stop(): void;
}

function startPostgres(): Database {
  const given = process.env.HUIQI_BENCH_DATABASE_URL;
  if (given) return { url: given, stop: () => {} };
  const port = process.env.HUIQI_BENCH_PG_PORT ?? "54385";
  const out = execFileSync("bash", [SCRIPT], {
    env: { ...process.env, HUIQI_PG_PORT: port },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  const [dir, url] = out.split(" ");
  if (!dir || !url) throw new Error(`scripts/postgres.sh printed no URL: ${out}`);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    execFileSync("bash", [SCRIPT, "stop", dir], { stdio: "inherit" });
  };
  process.once("exit", stop);
  return { url, stop };
}

interface Files {
  registry: Uint8Array;
  statistics: Uint8Array;
  enterprises: number;
}

/** 万元 with six decimals from 元 (two decimals at most), exact to the 分. */
function wan(yuan: number): string {
  const fen = Math.round(yuan * 100);
  return `${Math.floor(fen / 1_000_000)}.${String(fen % 1_000_000).padStart(6, "0")}`;
}

async function writeFiles(rules: RuleSet, n: number): Promise<Files> {
  const gen = new PopulationGenerator(rules.vocabulary, { seed: 20261202, unknownRate: 0.1 });
  const registryHeader = registryRows()[0] as string[];
  const statisticsHeader = statisticsRows()[0] as string[];
  const chunks: Buffer[] = [];
  const { PassThrough } = await import("node:stream");
  const sink = new PassThrough();
  sink.on("data", (b: Buffer) => chunks.push(b));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useSharedStrings: false,
    useStyles: false,
  });
  const ws = wb.addWorksheet("企业名录");
  ws.addRow(registryHeader).commit();
  const csv: string[] = [`\uFEFF${statisticsHeader.join(",")}`];
  const seen = new Set<string>();
  for (let i = 0; seen.size < n; i++) {
    const p = gen.enterprise(i);
    const uscc = String(p.uscc);
    // The generator's codes are random: skip the rare repeat so the file has n distinct enterprises.
    if (seen.has(uscc)) continue;
    seen.add(uscc);
    // The registry always names the district and the enterprise (the generator may leave them out).
    const region =
      typeof p.regionCode === "string" ? p.regionCode : (FOCUS_REGIONS[i % FOCUS_REGIONS.length] as string);
    const name = typeof p.name === "string" ? p.name : `重庆合成企业${i}有限公司`;
    ws.addRow([uscc, name, region, typeof p.industryCode === "string" ? p.industryCode : ""]).commit();
    const revenue = (p.revenue ?? {}) as Record<string, number>;
    for (const year of [2023, 2024]) {
      const r = revenue[String(year)];
      const above = p.aboveScale === true;
      csv.push(
        [
          uscc,
          String(year),
          r === undefined ? "" : wan(r),
          above ? "是" : "否",
          p.employees === undefined ? "" : String(p.employees),
          typeof p.aboveScaleFirstYear === "number" && above ? String(p.aboveScaleFirstYear) : "",
        ].join(","),
      );
    }
  }
  ws.commit();
  await wb.commit();
  return {
    registry: Buffer.concat(chunks),
    statistics: Buffer.from(`${csv.join("\r\n")}\r\n`, "utf8"),
    enterprises: n,
  };
}

export async function phase2(o: {
  n: number;
  rules: RuleSet;
  threads: number;
  mem: MemorySampler;
}): Promise<void> {
  console.log(
    `\n== phase 2: ${fmt(o.n)} enterprises from xlsx/csv files → import → batch matching → lists (PostgreSQL, COPY) ==`,
  );
  const f0 = performance.now();
  const files = await writeFiles(o.rules, o.n);
  console.log(
    `files generated (not counted): registry.xlsx ${mb(files.registry.length)} (${fmt(o.n)} rows), ` +
      `statistics.csv ${mb(files.statistics.length)} (${fmt(o.n * 2)} rows, 2023 and 2024) in ${sec(performance.now() - f0)}`,
  );

  const db = startPostgres();
  const platform = await createPlatform({ ...loadConfig({}), databaseUrl: db.url }, { inMemory: true });
  const pool = createMatchPool({ rules: platform.ctx.engine.rules, threads: o.threads });
  try {
    const ctx = platform.ctx;
    const deps = {
      db: ctx.db,
      vocabulary: ctx.engine.rules.vocabulary,
      measureIds: new Set(ctx.engine.measures.map((m) => m.def.id)),
      now: ctx.now,
    };
    o.mem.reset();
    const t0 = performance.now();
    const reg = await runImport(deps, {
      kind: "registry",
      fileName: "registry.xlsx",
      bytes: files.registry,
      district: null,
      actor: null,
    });
    const t1 = performance.now();
    console.log(
      `import registry.xlsx: ${fmt(reg.counts.imported)} rows imported, ${fmt(reg.counts.bad)} bad, ` +
        `${fmt(reg.counts.enterprisesCreated)} enterprises created in ${sec(t1 - t0)} (${fmt((reg.counts.rows / (t1 - t0)) * 1000)} rows/s)`,
    );
    const stats = await runImport(deps, {
      kind: "statistics",
      fileName: "statistics.csv",
      bytes: files.statistics,
      district: null,
      actor: null,
    });
    const t2 = performance.now();
    console.log(
      `import statistics.csv: ${fmt(stats.counts.imported)} rows imported, ${fmt(stats.counts.bad)} bad, ` +
        `${fmt(stats.counts.changed)} changed in ${sec(t2 - t1)} (${fmt((stats.counts.rows / (t2 - t1)) * 1000)} rows/s)`,
    );
    for (const p of [...reg.problems, ...stats.problems].slice(0, 3))
      console.log(`  bad row: ${JSON.stringify(p)}`);

    // The imports queued runs over what they changed; one full run covers them all, so it is the one drained.
    const run = await createFullRun(ctx, "manual");
    const t3 = performance.now();
    let rows = 0;
    let partitions = 0;
    // Time inside the pool (the two drainers overlap, so this is the sum of their calls' durations).
    let inPool = 0;
    const timed: MatchPool = {
      async match(chunk) {
        const s0 = performance.now();
        try {
          return await pool.match(chunk);
        } finally {
          inPool += performance.now() - s0;
        }
      },
      close: () => pool.close(),
    };
    const drain = () =>
      drainRuns(ctx, {
        pool: timed,
        runId: run.id,
        onPartition: (p) => {
          rows += p.rows;
          partitions++;
          o.mem.sample();
        },
      });
    await Promise.all([drain(), drain()]);
    const t4 = performance.now();
    const summary = await getRun(ctx.db, run.id);
    const counts = await ctx.db
      .selectFrom("match_lists")
      .select(({ fn }) => ["outcome", fn.countAll<string>().as("n")])
      .groupBy("outcome")
      .execute();
    console.log(
      `batch run as of ${summary?.asOf ?? "?"}: ${fmt(run.enterprises)} enterprises in ${fmt(partitions)} partitions, ` +
        `${fmt(rows)} rows written in ${sec(t4 - t3)} (${fmt((run.enterprises / (t4 - t3)) * 1000)} enterprises/s; ` +
        `pool calls ${sec(inPool)} of it, summed over both drainers; ` +
        `match_lists: ${counts.map((c) => `${c.outcome === "eligible" ? "eligible" : "undetermined"} ${fmt(Number(c.n))}`).join(", ")})`,
    );
    const total = t4 - t0;
    console.log(
      `phase 2 total: import ${sec(t2 - t0)} + match and write ${sec(t4 - t3)} = ${sec(total)} ` +
        `(target < 3 min) ${total < 180_000 ? "PASS" : "MISS"}; peak RSS ${mb(o.mem.peak.rss)}`,
    );
  } finally {
    await pool.close();
    await platform.close();
    await closeCopyPools();
    db.stop();
  }
}

/**
 * `huiqi match` without --profile: batch matching of every enterprise in the platform's database against every
 * published measure, in this process (worker threads), as the server's job workers do (batch/runs.ts). A
 * progress line on stderr, a Chinese summary on stdout; exit 0 when the run finished, 1 when it did not (another
 * process still holds partitions, or a partition failed). With PostgreSQL, running servers help drain the run
 * through their job workers; the embedded database is this process's alone (the data folder's lock).
 */
import type { Command } from "commander";
import { CliError } from "./errors.ts";

export interface BatchOptions {
  asOf?: string;
  threads?: string;
  dataDir?: string;
  databaseUrl?: string;
}

export interface BatchProgress {
  partitionsDone: number;
  partitions: number;
  enterprisesDone: number;
  enterprises: number;
  rows: number;
  seconds: number;
}

const n = (x: number) => x.toLocaleString("en-US");

export function progressLine(p: BatchProgress): string {
  const pct = p.enterprises === 0 ? 100 : Math.floor((p.enterprisesDone / p.enterprises) * 100);
  return `批量匹配：分区 ${p.partitionsDone}/${p.partitions}，企业 ${n(p.enterprisesDone)}/${n(p.enterprises)}（${pct}%），名单 ${n(p.rows)} 行，用时 ${p.seconds.toFixed(1)} 秒`;
}

/** Runs one full batch; returns the exit code and the summary. */
export async function runBatchCommand(
  o: BatchOptions,
  progress: (p: BatchProgress) => void,
): Promise<{ exitCode: number; output: string }> {
  const threads = o.threads === undefined ? undefined : Number(o.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64))
    throw new CliError(`--threads 应为 1–64 的整数，「${o.threads}」不是`);
  const server = await import("@huiqi/server");
  const env = { ...process.env };
  if (o.dataDir) env.HUIQI_DATA_DIR = o.dataDir;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  let config: ReturnType<typeof server.loadConfig>;
  try {
    config = server.loadConfig(env);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  let platform: Awaited<ReturnType<typeof server.createPlatform>>;
  try {
    // The same database, published rules and rules version a server on this database has.
    platform = await server.createPlatform(config, { purpose: "huiqi match" });
  } catch (e) {
    if (e instanceof Error && e.name === "DataDirLockedError") throw new CliError(e.message, 1);
    throw e;
  }
  const { ctx } = platform;
  const pool = server.createMatchPool({ rules: ctx.engine.rules, ...(threads ? { threads } : {}) });
  const started = performance.now();
  try {
    const created = o.asOf
      ? await server.createRun(ctx.db, {
          rulesVersion: ctx.engine.version,
          asOf: o.asOf,
          reason: "manual",
          now: ctx.now(),
        })
      : await server.createFullRun(ctx, "manual");
    const state = { partitionsDone: 0, enterprisesDone: 0, rows: 0 };
    const tick = () =>
      progress({
        ...state,
        partitions: created.partitions,
        enterprises: created.enterprises,
        seconds: (performance.now() - started) / 1000,
      });
    tick();
    // Several partitions in flight on PostgreSQL, so loading and writing overlap the threads' matching;
    // PGlite has one connection and gains nothing.
    const lanes = ctx.dbKind === "postgres" ? Math.max(2, threads ?? 2) : 1;
    await Promise.all(
      Array.from({ length: lanes }, () =>
        server.drainRuns(ctx, {
          pool,
          runId: created.id,
          onPartition: (p) => {
            state.partitionsDone++;
            state.enterprisesDone += p.enterprises;
            state.rows += p.rows;
            tick();
          },
        }),
      ),
    );
    let run = await server.getRun(ctx.db, created.id);
    if (run && run.state !== "done") {
      try {
        // Partitions another process holds: wait for them (or take them over when their lease runs out).
        run = await server.finishRun(ctx, created.id, { pool, timeoutMs: 5 * 60_000 });
      } catch (e) {
        return { exitCode: 1, output: `批量匹配未完成：${(e as Error).message}` };
      }
    }
    if (run?.state !== "done") return { exitCode: 1, output: "批量匹配未完成" };
    const counts = await ctx.db
      .selectFrom("match_lists")
      .select(["outcome", ctx.db.fn.countAll<string>().as("n")])
      .where("rules_version", "=", run.rulesVersion)
      .groupBy("outcome")
      .execute();
    const of = (k: string) => Number(counts.find((c) => c.outcome === k)?.n ?? 0);
    const seconds = (performance.now() - started) / 1000;
    const measures = run.measureIds ? run.measureIds.length : ctx.engine.measures.length;
    return {
      exitCode: 0,
      output: [
        `批量匹配完成：企业 ${n(run.enterprises)} 家 × 措施 ${measures} 项，分区 ${run.partitions} 个，用时 ${seconds.toFixed(1)} 秒（每秒 ${n(Math.round(run.enterprises / Math.max(seconds, 0.001)))} 家）。`,
        `名单写入 ${n(run.rowsWritten)} 行；库中现有符合 ${n(of("eligible"))} 行、待确认 ${n(of("undetermined"))} 行。`,
        `规则版本 ${run.rulesVersion}，测算日 ${run.asOf}，数据库：${ctx.dbKind === "postgres" ? "PostgreSQL" : `内嵌（${config.dataDir}）`}，线程 ${pool.threads} 个。`,
      ].join("\n"),
    };
  } finally {
    await pool.close();
    await server.closeCopyPools();
    await platform.close();
  }
}

/** Options `huiqi match` takes for the batch (added to the existing command in main.ts). */
export function addBatchOptions(cmd: Command): Command {
  return cmd
    .option("--threads <n>", "批量匹配：匹配线程数（默认 CPU 核数）")
    .option(
      "--data-dir <dir>",
      "批量匹配：内嵌数据库的数据目录（默认 HUIQI_DATA_DIR 或 ./data；服务运行时须先停止）",
    )
    .option("--database-url <url>", "批量匹配：PostgreSQL 连接串（默认 DATABASE_URL；未设置则用内嵌数据库）");
}

/** The action for `huiqi match` without --profile. */
export async function matchBatchAction(o: BatchOptions, print: (s: string) => void): Promise<void> {
  const tty = process.stderr.isTTY === true;
  let lastLogged = 0;
  const r = await runBatchCommand(o, (p) => {
    if (tty) process.stderr.write(`\r${progressLine(p)}`);
    else if (p.partitionsDone === p.partitions || p.seconds - lastLogged >= 5) {
      process.stderr.write(`${progressLine(p)}\n`);
      lastLogged = p.seconds;
    }
  });
  if (tty) process.stderr.write("\n");
  print(r.output);
  process.exitCode = r.exitCode;
}

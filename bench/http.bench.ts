/**
 * HTTP benchmark of the matching API: `npm run bench:http` (node --import tsx bench/http.bench.ts).
 *
 * 1. Data: the demo data set plus HUIQI_BENCH_ENTERPRISES (default 50,000) synthetic enterprises imported
 *    through the real import pipeline (bench/http-data.ts) — into a temporary PGlite folder, or the PostgreSQL
 *    database of HUIQI_BENCH_DATABASE_URL. HUIQI_BENCH_DATA_DIR reuses a folder (files already imported are
 *    recognised and skipped).
 * 2. The server as a child process (bench/http-server.ts) on 127.0.0.1, so autocannon does not share its event
 *    loop. The per-address rate limits are configured to let 127.0.0.1 through (HUIQI_RATE_LIMIT_ALLOW), not
 *    switched off; login throttling is unchanged.
 * 3. autocannon at concurrency 1, 16 and 64 for GET /api/health (the ceiling, no session) and GET
 *    /api/enterprises/{id}/matches as an enterprise (its own) and as a 巴南区 officer (many enterprises, each
 *    read audited); requests/s, p50, p99, bytes per response and the ratio to /api/health at the same
 *    concurrency. Figures are printed, nothing is asserted.
 *
 * Env: HUIQI_BENCH_SECONDS (per run, default 10), HUIQI_BENCH_OFFICER_SET (enterprises the officer cycles
 * through, default 5000), HUIQI_BENCH_CPU_PROF (a folder: the server writes a --cpu-prof profile there),
 * HUIQI_BENCH_ONLY (only the rows whose endpoint or identity contains this text).
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { loadConfig } from "../packages/server/src/config.ts";
import { DEMO_PASSWORD } from "../packages/server/src/demo/accounts.ts";
import { createPlatform } from "../packages/server/src/server.ts";
import { prepareBenchData } from "./http-data.ts";

const N = Number(process.env.HUIQI_BENCH_ENTERPRISES ?? 50_000);
const SECONDS = Number(process.env.HUIQI_BENCH_SECONDS ?? 10);
const OFFICER_SET = Number(process.env.HUIQI_BENCH_OFFICER_SET ?? 5000);
const PG_URL = process.env.HUIQI_BENCH_DATABASE_URL || undefined;
const CONCURRENCY = [1, 16, 64] as const;
const ENTERPRISE_LOGIN = "qiye-banan-1";
const OFFICER_LOGIN = "banan-economy-it";

const print = (line: string) => process.stdout.write(`${line}\n`);

interface Row {
  endpoint: string;
  identity: string;
  c: number;
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
  errors: number;
}

async function login(
  base: string,
  username: string,
): Promise<{ cookie: string; enterpriseId: string | null }> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const body = (await r.json()) as { actor: { enterpriseId: string | null } };
  return { cookie, enterpriseId: body.actor.enterpriseId };
}

async function run(
  base: string,
  c: number,
  seconds: number,
  paths: string[],
  cookie?: string,
  amount?: number,
): Promise<Omit<Row, "endpoint" | "identity">> {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: c,
    // `amount` (a number of requests) instead of a duration: the warm-up reads each path once.
    ...(amount !== undefined ? { amount } : { duration: seconds }),
    headers: cookie ? { cookie } : {},
    requests: [
      {
        method: "GET",
        setupRequest: (req) => {
          const path = paths[next++ % paths.length] as string;
          return { ...req, path };
        },
      },
    ],
  });
  const ok = result["2xx"];
  return {
    c,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytes: ok > 0 ? result.throughput.total / (result.requests.total || 1) : 0,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; base: string }> {
  const prof = process.env.HUIQI_BENCH_CPU_PROF;
  const child = fork(fileURLToPath(new URL("./http-server.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx", ...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [])],
    env,
    // Request logs go nowhere (the server still writes them: production does).
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
    child.on("message", (m) => {
      const port = /^READY (\d+)$/.exec(String(m))?.[1];
      if (port) resolve({ child, base: `http://127.0.0.1:${port}` });
    });
  });
}

const ms = (v: number) => v.toFixed(1).padStart(7);

async function main() {
  const ownDir = !process.env.HUIQI_BENCH_DATA_DIR && !PG_URL;
  const dataDir = process.env.HUIQI_BENCH_DATA_DIR ?? mkdtempSync(join(os.tmpdir(), "huiqi-bench-http-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HUIQI_DATA_DIR: dataDir,
    DATABASE_URL: PG_URL ?? "",
    HUIQI_RATE_LIMIT_ALLOW: "127.0.0.1",
  };
  print(`惠企 HTTP 基准：${os.cpus().length} 核 ${os.cpus()[0]?.model ?? ""}，Node ${process.version}`);
  print(`数据库：${PG_URL ? "PostgreSQL（HUIQI_BENCH_DATABASE_URL）" : `PGlite（${dataDir}）`}`);
  print(`准备数据：演示数据 + ${N} 家合成企业（经导入管道）…`);
  const setup = await createPlatform(loadConfig(env), { purpose: "bench:http setup" });
  const data = await prepareBenchData(setup.ctx, N, print);
  await setup.close();
  print(`  准备用时 ${data.seconds.toFixed(1)} s；巴南区合成企业 ${data.bananIds.length} 家`);

  const { child, base } = await startServer(env);
  const rows: Row[] = [];
  try {
    const ent = await login(base, ENTERPRISE_LOGIN);
    const officer = await login(base, OFFICER_LOGIN);
    const own = [`/api/enterprises/${ent.enterpriseId}/matches`];
    const officerIds = data.bananIds.slice(0, OFFICER_SET);
    const officerPaths = officerIds.map((id) => `/api/enterprises/${id}/matches`);
    const coldPaths = data.bananIds.slice(OFFICER_SET).map((id) => `/api/enterprises/${id}/matches`);
    // Warm-up: JIT, and one read of each enterprise the officer cycles through (so its rows show the cached
    // path; the last row shows first reads).
    await run(base, 16, 3, ["/api/health"]);
    await run(base, 16, 3, own, ent.cookie);
    await run(base, 16, 0, officerPaths, officer.cookie, officerPaths.length);
    const targets: { endpoint: string; identity: string; paths: string[]; cookie?: string; cs: number[] }[] =
      [
        { endpoint: "/api/health", identity: "无会话（上限）", paths: ["/api/health"], cs: [...CONCURRENCY] },
        {
          endpoint: "/matches",
          identity: `企业 ${ENTERPRISE_LOGIN}（本企业）`,
          paths: own,
          cookie: ent.cookie,
          cs: [...CONCURRENCY],
        },
        {
          endpoint: "/matches",
          identity: `经办人 ${OFFICER_LOGIN}（${officerPaths.length} 家轮询，记审计）`,
          paths: officerPaths,
          cookie: officer.cookie,
          cs: [...CONCURRENCY],
        },
        {
          endpoint: "/matches?include=ineligible",
          identity: `企业 ${ENTERPRISE_LOGIN}（计算器完整列表）`,
          paths: own.map((p) => `${p}?include=ineligible`),
          cookie: ent.cookie,
          cs: [16],
        },
      ];
    if (coldPaths.length > 0)
      targets.push({
        endpoint: "/matches",
        identity: `经办人 ${OFFICER_LOGIN}（首次读取，缓存未命中）`,
        paths: coldPaths,
        cookie: officer.cookie,
        cs: [16],
      });
    // HUIQI_BENCH_ONLY=<text>: only the rows whose endpoint or identity contains it (profiling one case).
    const only = process.env.HUIQI_BENCH_ONLY;
    for (const t of targets.filter((x) => !only || `${x.endpoint} ${x.identity}`.includes(only)))
      for (const c of t.cs) {
        const r = await run(base, c, SECONDS, t.paths, t.cookie);
        rows.push({ endpoint: t.endpoint, identity: t.identity, ...r });
        print(
          `  ${t.endpoint} ${t.identity} c=${c}: ${r.rps.toFixed(0)} 次/秒，p50 ${r.p50} ms，p99 ${r.p99} ms${r.errors ? `，错误 ${r.errors}` : ""}`,
        );
      }
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  }

  const health = new Map(rows.filter((r) => r.endpoint === "/api/health").map((r) => [r.c, r.rps]));
  print("");
  print(
    `| 接口 | 身份 | 并发 | 次/秒 | p50 ms | p99 ms | 字节/响应 | 与 /api/health 之比 | 错误 |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
  );
  for (const r of rows) {
    const h = health.get(r.c);
    print(
      `| ${r.endpoint} | ${r.identity} | ${r.c} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${Math.round(r.bytes)} | ${h ? `${((100 * r.rps) / h).toFixed(0)}%` : "—"} | ${r.errors} |`,
    );
  }
  const target = rows.find((r) => r.endpoint === "/matches" && r.c === 16 && r.identity.startsWith("企业"));
  if (target)
    print(
      `\n目标（并发 16：≥ 1000 次/秒且 p99 < 50 ms）：${target.rps >= 1000 && target.p99 < 50 ? "达到" : "未达到"}（${target.rps.toFixed(0)} 次/秒，p99 ${target.p99} ms）`,
    );
}

await main();

/**
 * Crash drill (`npm run drill`): the real server (`huiqi serve`, a child process on 127.0.0.1) on a throw-away
 * data folder takes a burst of writes over HTTP — enterprise registrations, then profile fact updates by those
 * enterprises, each into its own (fact, year) slot so every write can be checked on its own. Every write that
 * got a 2xx is recorded; the server is killed with SIGKILL mid-burst (requests still in flight), restarted on
 * the same folder, and every acknowledged write must be there (read back through the API as the enterprise)
 * and the audit chain must verify (GET /api/audit/verify as a policy admin). PGlite always; PostgreSQL too
 * when an admin URL is given (a fresh database is created on that server and dropped afterwards).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { usccCheckChar } from "@huiqi/engine";
import pg from "pg";
import { hashPassword } from "../auth/passwords.ts";
import { openDatabase } from "../db/database.ts";

const BIN = fileURLToPath(new URL("../../../cli/bin/huiqi.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../..", import.meta.url));

/** Money facts kept per year: 5 facts × years 2000–2099 = 500 distinct slots per enterprise. */
const FACTS = ["revenue", "mainBusinessRevenue", "industrialValueAdded", "rdExpense", "rdReportedInDistrict"];
const SLOTS = FACTS.length * 100;
/** Registration is limited to 20 a minute per address; the limit restarts with the server. */
const MAX_WORKERS = 16;
const REQUEST_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 180_000;

export interface DrillOptions {
  rounds: number;
  /** Writes attempted per round; the server is killed after 50–90 % of them were acknowledged. */
  writes: number;
  /** A PostgreSQL server to drill as well (a fresh database is created there); undefined: PGlite only. */
  postgresAdminUrl?: string | undefined;
  print: (line: string) => void;
}

interface Registration {
  enterpriseId: string;
  cookie: string;
  round: number;
}

interface FactWrite {
  enterpriseId: string;
  fact: string;
  year: string;
  value: number;
}

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.HUIQI_DATA_DIR;
  delete env.PORT;
  delete env.HOST;
  return env;
}

/** `huiqi serve --port 0` on the folder (and database); resolves once it prints its URL. */
function startServer(dataDir: string, databaseUrl: string | undefined): Promise<Server> {
  const args = [BIN, "serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir, "--no-demo"];
  if (databaseUrl) args.push("--database-url", databaseUrl);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let tail = "";
  const keep = (d: Buffer) => {
    tail = (tail + d.toString("utf8")).slice(-4000);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`服务在 ${START_TIMEOUT_MS / 1000} 秒内没有启动：${tail}`));
    }, START_TIMEOUT_MS);
    let out = "";
    let started = false;
    child.stdout?.on("data", (d: Buffer) => {
      keep(d); // drained for as long as the server runs, so its log never blocks on a full pipe
      if (started) return;
      out += d.toString("utf8");
      const m = /惠企平台已启动：(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        started = true;
        clearTimeout(timer);
        resolve({ child, url: m[1], exited });
      }
    });
    child.stderr?.on("data", keep);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`服务启动失败（退出码 ${code ?? signal}）：${tail}`));
    });
  });
}

function cookieOf(res: Response): string {
  return (res.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
}

async function call(
  base: string,
  method: "GET" | "POST" | "PUT",
  path: string,
  opts: { cookie?: string; csrf?: string; body?: unknown } = {},
): Promise<Response> {
  const headers: Record<string, string> = { origin: base };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers["x-csrf-token"] = opts.csrf;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${base}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

function makeUscc(): string {
  const first17 = `91500113MA${String(randomInt(0, 10_000_000)).padStart(7, "0")}`;
  return `${first17}${usccCheckChar(first17)}`;
}

interface Burst {
  registrations: Registration[];
  facts: FactWrite[];
  killedAfter: number;
  rejected: number;
}

/** One round's burst: workers register and write facts until the kill; returns the acknowledged writes. */
async function burst(server: Server, round: number, writes: number): Promise<Burst> {
  const workers = Math.min(MAX_WORKERS, Math.max(8, Math.ceil(writes / (SLOTS - 50))));
  const killAt = Math.max(1, Math.floor(writes * (0.5 + Math.random() * 0.4)));
  const result: Burst = { registrations: [], facts: [], killedAfter: 0, rejected: 0 };
  let acked = 0;
  let attempted = 0;
  let killed = false;
  const ack = () => {
    acked++;
    if (!killed && acked >= killAt) {
      killed = true;
      result.killedAfter = acked;
      server.child.kill("SIGKILL");
    }
  };
  const worker = async (w: number) => {
    const password = `Drill-${randomBytes(12).toString("base64url")}-7q`;
    let session: { cookie: string; csrf: string; enterpriseId: string } | undefined;
    for (let tries = 0; !session && tries < 5 && !killed; tries++) {
      attempted++;
      const res = await call(server.url, "POST", "/api/auth/register", {
        body: {
          uscc: makeUscc(),
          name: `演练企业${round}-${w}`,
          regionCode: "500113",
          industryCode: "C3484",
          username: `drill-${round}-${w}-${randomBytes(3).toString("hex")}`,
          password,
          displayName: "演练联系人",
        },
      });
      if (res.status === 201) {
        const body = (await res.json()) as { csrfToken: string; actor: { enterpriseId: string } };
        session = { cookie: cookieOf(res), csrf: body.csrfToken, enterpriseId: body.actor.enterpriseId };
        result.registrations.push({ enterpriseId: session.enterpriseId, cookie: session.cookie, round });
        ack();
      } else {
        result.rejected++;
        await res.body?.cancel();
        if (res.status === 429) await sleep(1000);
      }
    }
    if (!session) return;
    let version = 1;
    const current = await call(server.url, "GET", `/api/enterprises/${session.enterpriseId}`, session);
    if (current.ok) version = ((await current.json()) as { version: number }).version;
    for (let slot = 0; slot < SLOTS && attempted < writes && !killed; slot++) {
      attempted++;
      const fact = FACTS[slot % FACTS.length] as string;
      const year = String(2000 + Math.floor(slot / FACTS.length));
      const value = 1_000_000 + round * 100_000 + w * 1_000 + slot;
      const res = await call(server.url, "PUT", `/api/enterprises/${session.enterpriseId}/facts`, {
        ...session,
        body: { version, facts: { [fact]: { [year]: value } } },
      });
      if (res.ok) {
        version = ((await res.json()) as { version: number }).version;
        result.facts.push({ enterpriseId: session.enterpriseId, fact, year, value });
        ack();
      } else {
        result.rejected++;
        await res.body?.cancel();
        if (res.status === 429) await sleep(1000);
        slot--; // the same slot again (bounded by `attempted`)
        if (res.status === 409) {
          const fresh = await call(server.url, "GET", `/api/enterprises/${session.enterpriseId}`, session);
          if (fresh.ok) version = ((await fresh.json()) as { version: number }).version;
        }
      }
    }
  };
  // A request cut off by the kill rejects: that write was never acknowledged, so it is not counted.
  await Promise.allSettled(Array.from({ length: workers }, (_, w) => worker(w)));
  if (!killed) {
    // Every write was answered before the kill point: kill now anyway, so the restart still follows a crash.
    killed = true;
    result.killedAfter = acked;
    server.child.kill("SIGKILL");
  }
  await server.exited;
  return result;
}

/** Reads back every acknowledged write through the restarted server; returns how many are missing. */
async function lostWrites(base: string, registrations: Registration[], facts: FactWrite[]): Promise<number> {
  let lost = 0;
  const byEnterprise = new Map<string, FactWrite[]>();
  for (const f of facts) byEnterprise.set(f.enterpriseId, [...(byEnterprise.get(f.enterpriseId) ?? []), f]);
  for (const r of registrations) {
    const res = await call(base, "GET", `/api/enterprises/${r.enterpriseId}`, { cookie: r.cookie });
    const expected = byEnterprise.get(r.enterpriseId) ?? [];
    if (!res.ok) {
      // The account, its session or the enterprise is gone: the registration and its facts are lost.
      await res.body?.cancel();
      lost += 1 + expected.length;
      continue;
    }
    const body = (await res.json()) as { facts: { factId: string; period: string; value: unknown }[] };
    const stored = new Map(body.facts.map((f) => [`${f.factId}/${f.period}`, Number(f.value)]));
    for (const f of expected) if (stored.get(`${f.fact}/${f.year}`) !== f.value) lost++;
  }
  return lost;
}

async function createAdmin(dataDir: string, url: string | undefined) {
  const username = `drill-admin-${randomBytes(3).toString("hex")}`;
  const password = `Drill-${randomBytes(12).toString("base64url")}-9z`;
  // Opens (and creates) the database exactly as the server will, lock included, then lets go of it.
  const h = await openDatabase({ dataDir, url, purpose: "npm run drill" });
  try {
    await h.db
      .insertInto("accounts")
      .values({
        id: randomUUID(),
        username,
        password_hash: await hashPassword(password),
        display_name: "演练审计员",
        role: "policyAdmin",
        department: null,
        region_code: null,
        enterprise_id: null,
        created_at: new Date(),
      })
      .execute();
  } finally {
    await h.close();
  }
  return { username, password };
}

async function auditStatus(
  base: string,
  admin: { username: string; password: string; cookie?: string },
): Promise<{ ok: boolean; rows: number; text: string }> {
  let res = admin.cookie ? await call(base, "GET", "/api/audit/verify", { cookie: admin.cookie }) : undefined;
  if (!res?.ok) {
    await res?.body?.cancel();
    const login = await call(base, "POST", "/api/auth/login", {
      body: { username: admin.username, password: admin.password },
    });
    if (!login.ok) return { ok: false, rows: 0, text: `审计员登录失败（HTTP ${login.status}）` };
    await login.body?.cancel();
    admin.cookie = cookieOf(login);
    res = await call(base, "GET", "/api/audit/verify", { cookie: admin.cookie });
  }
  if (!res.ok) return { ok: false, rows: 0, text: `GET /api/audit/verify 返回 HTTP ${res.status}` };
  const v = (await res.json()) as { ok: boolean; rows: number; problem?: { reason: string } };
  return {
    ok: v.ok,
    rows: v.rows,
    text: v.ok ? `校验通过（${v.rows} 行）` : `校验失败：${v.problem?.reason ?? "未知原因"}`,
  };
}

async function freshDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `huiqi_drill_${randomBytes(6).toString("hex")}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: adminUrl });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

/** Runs the drill on one database kind; true when no acknowledged write was lost and every audit check passed. */
async function drillOne(kind: "pglite" | "postgres", o: DrillOptions): Promise<boolean> {
  const label = kind === "pglite" ? "PGlite" : "PostgreSQL";
  const dataDir = mkdtempSync(join(tmpdir(), "huiqi-drill-"));
  const db = kind === "postgres" ? await freshDatabase(o.postgresAdminUrl as string) : undefined;
  let server: Server | undefined;
  let ok = true;
  try {
    const admin: { username: string; password: string; cookie?: string } = await createAdmin(
      dataDir,
      db?.url,
    );
    const registrations: Registration[] = [];
    const facts: FactWrite[] = [];
    server = await startServer(dataDir, db?.url);
    for (let round = 1; round <= o.rounds; round++) {
      const started = Date.now();
      const b = await burst(server, round, o.writes);
      server = undefined;
      registrations.push(...b.registrations);
      facts.push(...b.facts);
      server = await startServer(dataDir, db?.url);
      const lost = await lostWrites(server.url, registrations, facts);
      const audit = await auditStatus(server.url, admin);
      const acked = b.registrations.length + b.facts.length;
      const total = registrations.length + facts.length;
      // Every registration and fact update appends one audit row in its own transaction.
      const auditShort = audit.ok && audit.rows < total;
      if (lost > 0 || !audit.ok || auditShort) ok = false;
      o.print(
        `${label} 第 ${round} 轮：确认写入 ${acked} 次（注册 ${b.registrations.length}、画像更新 ${b.facts.length}），` +
          `第 ${b.killedAfter} 次确认后 SIGKILL，重启后丢失 ${lost} 次（累计核对 ${total} 次）；` +
          `审计日志${audit.text}${auditShort ? `，少于累计确认写入 ${total} 次` : ""}；` +
          `${((Date.now() - started) / 1000).toFixed(1)} 秒`,
      );
    }
  } catch (e) {
    ok = false;
    o.print(`${label} 演练中断：${(e as Error).message}`);
  } finally {
    if (server) {
      server.child.kill("SIGTERM");
      await Promise.race([server.exited, sleep(15_000)]);
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    }
    await db?.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
  return ok;
}

export async function runDrill(o: DrillOptions): Promise<boolean> {
  const kinds: ("pglite" | "postgres")[] = o.postgresAdminUrl ? ["pglite", "postgres"] : ["pglite"];
  o.print(`崩溃演练：${kinds.join("、")}，每种 ${o.rounds} 轮，每轮至多 ${o.writes} 次写入，只连 127.0.0.1`);
  let ok = true;
  for (const kind of kinds) ok = (await drillOne(kind, o)) && ok;
  o.print(ok ? "演练通过：没有丢失任何已确认的写入，审计日志完整" : "演练失败：见上面各轮");
  return ok;
}

/**
 * Test harness: every API suite runs on embedded PGlite, and also on a real PostgreSQL when
 * HUIQI_TEST_DATABASE_URL points at a server (.ci/run starts a throw-away PostgreSQL 15 and sets it).
 * Each suite gets a fresh database.
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import pg from "pg";
import { loadConfig } from "./config.ts";
import { createPlatform, type Platform } from "./server.ts";

export interface TestDatabase {
  name: "pglite" | "postgres";
  url?: string;
  drop?: () => Promise<void>;
}

/** The database kinds available to this test run. */
export function testDatabaseKinds(): ("pglite" | "postgres")[] {
  return process.env.HUIQI_TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

async function freshPostgres(): Promise<TestDatabase> {
  const admin = process.env.HUIQI_TEST_DATABASE_URL as string;
  const name = `huiqi_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    name: "postgres",
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestPlatform extends Platform {
  kind: "pglite" | "postgres";
  /** Moves the platform clock (public notice, reminders). */
  setNow(d: Date): void;
}

export async function startTestPlatform(kind: "pglite" | "postgres"): Promise<TestPlatform> {
  const db: TestDatabase = kind === "postgres" ? await freshPostgres() : { name: "pglite" };
  let now = new Date();
  const config = { ...loadConfig({}), databaseUrl: db.url };
  const p = await createPlatform(config, { inMemory: true, now: () => now });
  return {
    ...p,
    kind,
    setNow: (d) => {
      now = d;
    },
    close: async () => {
      await p.close();
      await db.drop?.();
    },
  };
}

/** A cookie-holding API client, like a browser: keeps the session cookie and sends the CSRF token. */
export class Client {
  cookie = "";
  csrf = "";
  constructor(readonly app: FastifyInstance) {}

  async request(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== "GET") headers["x-csrf-token"] = this.csrf;
    const res = await this.app.inject({
      method,
      url,
      headers,
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    const set = res.headers["set-cookie"];
    const first = Array.isArray(set) ? set[0] : set;
    if (first) this.cookie = first.split(";")[0] ?? "";
    const json = res.headers["content-type"]?.toString().includes("json") ? res.json() : undefined;
    if (json && typeof json === "object" && "csrfToken" in json)
      this.csrf = String((json as { csrfToken: string }).csrfToken);
    return res;
  }

  get = (url: string) => this.request("GET", url);
  post = (url: string, body?: unknown) => this.request("POST", url, body ?? {});
  put = (url: string, body?: unknown) => this.request("PUT", url, body ?? {});

  async login(username: string, password: string): Promise<this> {
    const r = await this.post("/api/auth/login", { username, password });
    if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.statusCode} ${r.body}`);
    return this;
  }
}

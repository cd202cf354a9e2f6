/**
 * Fuzzing the live route table, on PGlite and on PostgreSQL: every API route, signed in as a role allowed to
 * call it (and sometimes as one that is not, or as nobody), gets generated bodies, path parameters and query
 * strings — shaped like its OpenAPI schema, with NUL, lone surrogates, huge strings, deep nesting, many keys
 * and wrong types mixed in. No answer is a 5xx; error answers are bounded. Besides:
 * - every request string is bounded and every array has an item limit (read from the OpenAPI document);
 * - NUL or a lone surrogate in any text field, query or path parameter is a 400 naming the field;
 * - /api/health answers within HEALTH_BOUND_MS while 10 MB bodies are being refused;
 * - every anonymous route is rate-limited; duplicate registrations racing are 409s naming the field;
 * - the log of the whole run holds no credit code, phone number, argon2 hash, password or session cookie.
 * Fixed seed; HUIQI_FUZZ_RUNS (default 32) runs per route.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import fc from "fast-check";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, type RouteEntry } from "../app.ts";
import type { Role } from "../db/schema.ts";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { makeUscc } from "../enterprises/test-fixtures.ts";
import { fromDatabaseRefusal } from "../errors.ts";
import { ACTIONS } from "../permissions.ts";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { ERROR_LIMITS } from "./limits.ts";
import { serializeError } from "./logging.ts";
import { UNCLEAN_TEXT } from "./schemas.ts";

const SEED = 20_260_501;
const RUNS = Number(process.env.HUIQI_FUZZ_RUNS ?? 32);
const HEALTH_BOUND_MS = 500;

const LOGINS: Record<Role, string> = {
  enterprise: "qiye-banan-manufacturer",
  officer: "banan-economy-it",
  finance: "banan-finance",
  coordinator: "banan-coordinator",
  policyAdmin: "policy-admin",
};
const ROLES = Object.keys(LOGINS) as Role[];

/** Routes that end the fuzzer's own sessions. */
const SKIP = new Set(["POST /api/auth/logout", "POST /api/auth/logout-all"]);
/** Slow by nature (reloads and recompiles the policy library): fewer runs. */
const FEW_RUNS = new Set(["POST /api/policies/reload"]);

// ---------------------------------------------------------------------------------------------------------
// Personal data the log must never hold.

const PERSONAL_DATA: { what: string; re: RegExp }[] = [
  { what: "统一社会信用代码", re: /(?<![0-9A-Za-z])[0-9A-Z]{2}\d{6}[0-9A-Z]{10}(?![0-9A-Za-z])/i },
  { what: "手机号", re: /(?<!\d)1[3-9]\d{9}(?!\d)/ },
  { what: "固定电话", re: /(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/ },
  { what: "argon2 哈希", re: /\$argon2/ },
];

class LogCapture {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  /** Lines holding a pattern above or one of the given secrets. */
  hits(secrets: string[]): string[] {
    const out: string[] = [];
    for (const line of this.lines) {
      for (const p of PERSONAL_DATA) if (p.re.test(line)) out.push(`${p.what}: ${line.slice(0, 300)}`);
      for (const s of secrets) if (line.includes(s)) out.push(`${s.slice(0, 6)}…: ${line.slice(0, 300)}`);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Requests.

interface Session {
  cookie: string;
  token: string;
  csrf: string;
}

let addressCounter = 0;
/** A fresh client address per request: the fuzzer is many clients, not one hitting the rate limits. */
function nextAddress(): string {
  addressCounter++;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

interface Req {
  method: string;
  url: string;
  session?: Session | undefined;
  /** Raw body text; sent with `contentType` (default application/json). */
  body?: string | undefined;
  contentType?: string | undefined;
}

function send(app: FastifyInstance, r: Req): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (r.session) {
    headers.cookie = r.session.cookie;
    headers["x-csrf-token"] = r.session.csrf;
  }
  if (r.body !== undefined) headers["content-type"] = r.contentType ?? "application/json";
  return app.inject({
    method: r.method as "GET",
    url: r.url,
    headers,
    remoteAddress: nextAddress(),
    ...(r.body !== undefined ? { payload: r.body } : {}),
  });
}

async function login(app: FastifyInstance, username: string, password: string): Promise<Session> {
  const res = await send(app, {
    method: "POST",
    url: "/api/auth/login",
    body: JSON.stringify({ username, password }),
  });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const set = [res.headers["set-cookie"]].flat()[0] ?? "";
  const cookie = set.split(";")[0] ?? "";
  return { cookie, token: cookie.slice(cookie.indexOf("=") + 1), csrf: res.json().csrfToken };
}

/** An error answer is bounded: never the whole input echoed back. */
function expectSane(res: LightMyRequestResponse, label: string): void {
  expect(res.statusCode, `${label} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode < 400) return;
  expect(res.body.length, label).toBeLessThan(16_000);
  const e = res.json().error;
  expect(e, `${label}: ${res.body.slice(0, 300)}`).toBeDefined();
  expect(e.message.length, label).toBeLessThanOrEqual(ERROR_LIMITS.maxMessageChars);
  expect(e.fields.length, label).toBeLessThanOrEqual(ERROR_LIMITS.maxFields);
  if (res.statusCode === 400) expect(e.fields.length, `${label}: ${e.message}`).toBeGreaterThan(0);
}

/** encodeURIComponent, with lone surrogates sent as the (invalid UTF-8) bytes of one. */
function enc(s: string): string {
  let out = "";
  for (const ch of s) out += ch.isWellFormed() ? encodeURIComponent(ch) : "%ED%A0%80";
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// OpenAPI schemas → generators.

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  maxProperties?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
}

interface Parameter {
  in: "path" | "query" | "header" | "cookie";
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

type Spec = { paths: Record<string, Record<string, Operation>> };

function operation(spec: Spec, r: RouteEntry): Operation {
  const path = r.url.replace(/:(\w+)/g, "{$1}");
  return spec.paths[path]?.[r.method.toLowerCase()] ?? {};
}

const NASTY_STRINGS = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\udc00\ud800",
  "😀\ud83d",
  "",
  " ",
  "__proto__",
  "constructor",
  "'; drop table accounts; --",
  "../../etc/passwd",
  "%00",
  "\u202e\u200b",
  "91500113MA5U7K3X2H",
  "13812345678",
  "1e309",
  "-0",
  "null",
];

const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(100, 5_001, 70_000, 200_000).map((n) => "长".repeat(n)),
  },
);

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 1e308),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === "uuid") return fc.uuid();
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 1000));
    } catch {
      // an unsupported pattern: fall back to plain strings
    }
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 30) });
}

/** Values shaped like the schema, now and then replaced by a nasty string or a value of the wrong type. */
function arbFromSchema(s: JsonSchema, keys: string[], depth = 0): fc.Arbitrary<unknown> {
  const shaped = shapedArb(s, keys, depth);
  return fc.oneof(
    { weight: 8, arbitrary: shaped },
    { weight: 1, arbitrary: nastyString },
    { weight: 1, arbitrary: wrongType },
  );
}

function shapedArb(s: JsonSchema, keys: string[], depth: number): fc.Arbitrary<unknown> {
  const branches = s.anyOf ?? s.oneOf ?? s.allOf;
  if (branches && branches.length > 0) return fc.oneof(...branches.map((b) => shapedArb(b, keys, depth)));
  if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (depth > 4) return fc.constant(null);
  switch (type) {
    case "string":
      return stringArb(s);
    case "integer": {
      const min = Math.max(s.minimum ?? -5, -(2 ** 31));
      const max = Math.min(s.maximum ?? 2 ** 31 - 1, 2 ** 31 - 1);
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, 1, 2));
    }
    case "number":
      return fc.double({ min: -1e9, max: 1e12, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(arbFromSchema(s.items ?? {}, keys, depth + 1), { maxLength: 4 });
    case "object": {
      if (s.properties) {
        const props = Object.fromEntries(
          Object.entries(s.properties).map(([k, v]) => [k, arbFromSchema(v, keys, depth + 1)]),
        );
        return fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
      }
      // A record (facts, form): keys from the vocabulary, values of any kind.
      return fc.dictionary(
        fc.oneof(
          fc.constantFrom(...keys),
          nastyString.filter((k) => k.length < 100),
        ),
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          nastyString,
          fc.dictionary(fc.constantFrom("2019", "2020", "2021", "1999", "abcd"), fc.double()),
        ),
        { maxKeys: 6 },
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 3 });
  }
}

function deepText(depth: number, open: "[" | "{"): string {
  return open === "["
    ? "[".repeat(depth) + "]".repeat(depth)
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

function manyKeysText(n: number): string {
  return `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(",")}}`;
}

const RAW_BODIES = [
  "",
  "{",
  "nul",
  '{"a":1,}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"\\u005f_proto__":{}}',
  '"just a string"',
  "1e309",
  "[]",
  "null",
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  JSON.stringify({ s: "x".repeat(300 * 1024) }),
];

interface BodyCase {
  text: string;
  contentType?: string;
}

function bodyArb(schema: JsonSchema | undefined, keys: string[]): fc.Arbitrary<BodyCase> {
  const shaped = schema ? arbFromSchema(schema, keys) : fc.jsonValue({ maxDepth: 3 });
  return fc.oneof(
    { weight: 12, arbitrary: shaped.map((v) => ({ text: JSON.stringify(v) ?? "null" })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: JSON.stringify(v) })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 20, max: 20_000 }), fc.constantFrom("[" as const, "{" as const))
        .map(([d, o]) => ({ text: deepText(d, o) })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1_000, max: 25_000 }).map((n) => ({ text: manyKeysText(n) })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES).map((text) => ({ text })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { text: "a=1&b=2", contentType: "application/x-www-form-urlencoded" },
        { text: "plain words", contentType: "text/plain" },
        { text: "--x\r\n\r\n--x--", contentType: "multipart/form-data; boundary=x" },
        { text: "{}", contentType: "application/json; charset=latin1" },
        { text: "<a/>", contentType: "application/xml" },
      ),
    },
  );
}

const nastyParam: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("%00", "a%00b", "%ED%A0%80", "%FF", "%", "..%2F..%2Fetc", "%F0%9F%98%80", "-1", "1e309"),
  fc.constantFrom(99, 101, 5_000).map((n) => "x".repeat(n)),
  fc.string({ unit: "binary", maxLength: 30 }).map(enc),
  fc.uuid(),
);

function queryArb(params: Parameter[], keys: string[]): fc.Arbitrary<string> {
  const known = params.filter((p) => p.in === "query");
  const value = (p: Parameter) =>
    fc.oneof(
      { weight: 6, arbitrary: shapedArb(p.schema, keys, 0).map((v) => enc(String(v))) },
      { weight: 2, arbitrary: nastyString.map(enc) },
      { weight: 1, arbitrary: fc.constant("") },
    );
  const pairs = fc.tuple(
    ...known.map((p) =>
      fc.option(
        value(p).map((v) => `${p.name}=${v}`),
        { nil: undefined, freq: 2 },
      ),
    ),
  );
  const extra = fc.oneof(
    { weight: 6, arbitrary: fc.constant([] as string[]) },
    {
      weight: 2,
      arbitrary: fc.array(
        nastyString.map((k) => `${enc(k)}=${enc(k)}`),
        { maxLength: 3 },
      ),
    },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: 1_000 }, (_, i) => `p${i}=${i}`)) },
    { weight: 1, arbitrary: fc.constant(["page=1", "page=2", "q=%00", "q"]) },
  );
  return fc
    .tuple(pairs, extra)
    .map(([a, b]) => [...(a as (string | undefined)[]).filter((x): x is string => !!x), ...b].join("&"));
}

// ---------------------------------------------------------------------------------------------------------
// Schema walks for the structural checks.

interface Leaf {
  path: (string | number)[];
  schema: JsonSchema;
}

function leaves(s: JsonSchema, path: (string | number)[] = [], out: Leaf[] = []): Leaf[] {
  const branches = s.anyOf ?? s.oneOf ?? s.allOf;
  if (branches) {
    for (const b of branches) leaves(b, path, out);
    return out;
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === "object" && s.properties)
    for (const [k, v] of Object.entries(s.properties)) leaves(v, [...path, k], out);
  else if (type === "array" && s.items) leaves(s.items, [...path, 0], out);
  else out.push({ path, schema: s });
  return out;
}

/** Why a request schema is unbounded somewhere, or []. */
function unbounded(s: JsonSchema, where: string): string[] {
  const problems: string[] = [];
  const walk = (x: JsonSchema, at: string) => {
    for (const b of x.anyOf ?? x.oneOf ?? x.allOf ?? []) walk(b, at);
    const type = Array.isArray(x.type) ? x.type[0] : x.type;
    if (
      type === "string" &&
      x.maxLength === undefined &&
      !x.enum &&
      x.const === undefined &&
      x.format !== "uuid"
    )
      problems.push(`${where} ${at}: 字符串没有长度上限`);
    if (type === "array") {
      if (x.maxItems === undefined) problems.push(`${where} ${at}: 数组没有项数上限`);
      if (x.items) walk(x.items, `${at}[]`);
    }
    if (type === "object") {
      for (const [k, v] of Object.entries(x.properties ?? {})) walk(v, at ? `${at}.${k}` : k);
      if (!x.properties && x.additionalProperties !== false && x.maxProperties === undefined)
        problems.push(`${where} ${at}: 对象没有键数上限`);
    }
  };
  walk(s, "");
  return problems;
}

/** A string that is free text (not an enumeration, not a UUID): NUL is refused as such. */
function isFreeText(s: JsonSchema): boolean {
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  return type === "string" && !s.enum && s.const === undefined && s.format !== "uuid";
}

function setAt(path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === "number") return [setAt(rest, value)];
  return { [head as string]: setAt(rest, value) };
}

// ---------------------------------------------------------------------------------------------------------
// Large bodies over real HTTP, health probed meanwhile.

interface LargeResult {
  status: number;
  error?: string;
  ms: number;
}

/** Streams a body in 64 KiB chunks, like a client; stops when the server has answered (as curl does). */
function sendLarge(port: number, path: string, body: Buffer, headers: Record<string, string>) {
  return new Promise<LargeResult>((resolve) => {
    const t0 = performance.now();
    let status = 0;
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path, headers }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on("end", () => resolve({ status, ms: performance.now() - t0 }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (!status) resolve({ status: 0, error: e.code ?? e.message, ms: performance.now() - t0 });
    });
    let offset = 0;
    const pump = () => {
      while (offset < body.length && !status && !req.destroyed) {
        const chunk = body.subarray(offset, offset + 65_536);
        offset += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

function getHealth(port: number): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    http
      .get({ host: "127.0.0.1", port, path: "/api/health" }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      })
      .on("error", reject);
  });
}

// ---------------------------------------------------------------------------------------------------------

for (const kind of testDatabaseKinds()) {
  describe(`fuzzing every route (${kind})`, () => {
    let p: TestPlatform;
    let app: FastifyInstance & { routeTable: RouteEntry[] };
    let spec: Spec;
    const log = new LogCapture();
    const sessions = {} as Record<Role, Session>;
    const secrets: string[] = [DEMO_PASSWORD];
    let ids: { enterprise: string; application: string; notification: string };
    let factIds: string[];
    let fuzzRequests = 0;

    /** A valid value of a path parameter of this route. */
    function validParam(url: string, name: string): string {
      // A document with no revisions: fuzzed drafts, approvals and repeals must not change the real library.
      if (url.startsWith("/api/policy-documents/")) return name === "revision" ? "1" : "fuzz-document";
      if (name === "documentId") return "banan-2022-63";
      if (name === "item") return "1";
      if (name === "attachmentId") return randomUUID();
      if (name === "enterpriseId") return ids.enterprise;
      if (url.startsWith("/api/exemption/grants/")) return ids.application;
      if (url.startsWith("/api/enterprises/")) return ids.enterprise;
      if (url.startsWith("/api/applications/")) return ids.application;
      if (url.startsWith("/api/notifications/")) return ids.notification;
      if (url.startsWith("/api/service-requests/")) return randomUUID();
      if (url.startsWith("/api/match-runs/")) return randomUUID();
      if (url.startsWith("/api/whitelists/")) return randomUUID();
      if (url.startsWith("/api/documents/")) return "banan-2022-63";
      if (url.startsWith("/api/measures/")) return "banan-2022-63%2F1";
      throw new Error(`no valid value for :${name} of ${url}`);
    }

    /** The route's URL with its path parameters filled: `given` ones as they are, the others valid. */
    function fill(url: string, given: Record<string, string> = {}): string {
      return url.replace(/:(\w+)/g, (_, name: string) => given[name] ?? validParam(url, name));
    }

    const isPublic = (r: RouteEntry) => r.action === undefined && !r.signedIn;
    const allowed = (r: RouteEntry, role: Role) =>
      !!r.signedIn || (r.action !== undefined && (ACTIONS[r.action] as readonly Role[]).includes(role));

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await seedDemo(p.ctx);
      app = await buildApp(p.ctx, { logger: log });
      // Test-only routes (outside /api, not in the route table): a database fault carrying personal data in
      // its SQL parameters, which must reach the log as its SQLSTATE only.
      app.get("/test/database-fault", { schema: { hide: true } }, async () => {
        await sql`select * from no_such_table where name = ${"91500113MA5U7K3X2H 13812345678"}`.execute(
          p.ctx.db,
        );
        return {};
      });
      // …and a unique violation reaching the central error handler (a registration race on PostgreSQL).
      app.post("/test/duplicate-username", { schema: { hide: true } }, async () => {
        const admin = await p.ctx.db
          .selectFrom("accounts")
          .selectAll()
          .where("username", "=", "policy-admin")
          .executeTakeFirstOrThrow();
        await p.ctx.db
          .insertInto("accounts")
          .values({ ...admin, id: randomUUID(), display_name: "13812345678" })
          .execute();
        return {};
      });
      await app.ready();
      spec = app.swagger() as unknown as Spec;
      for (const role of ROLES) sessions[role] = await login(app, LOGINS[role], DEMO_PASSWORD);
      secrets.push(...ROLES.map((r) => sessions[r].token));
      const me = (
        await send(app, { method: "GET", url: "/api/auth/me", session: sessions.enterprise })
      ).json();
      const apps = (
        await send(app, { method: "GET", url: "/api/applications", session: sessions.enterprise })
      ).json();
      const n = await p.ctx.db
        .selectFrom("notifications")
        .select("id")
        .where("enterprise_id", "=", me.actor.enterpriseId)
        .executeTakeFirst();
      ids = {
        enterprise: me.actor.enterpriseId,
        application: apps.items[0].id,
        notification: n?.id ?? "00000000-0000-4000-8000-000000000000",
      };
      factIds = [...p.ctx.engine.facts.keys()];
    }, 180_000);

    afterAll(async () => {
      await app?.close();
      await p?.close();
    });

    it("every request string is bounded and every array and record has an item limit (OpenAPI)", () => {
      const problems: string[] = [];
      for (const r of app.routeTable) {
        const op = operation(spec, r);
        const where = `${r.method} ${r.url}`;
        for (const param of op.parameters ?? [])
          problems.push(...unbounded(param.schema, `${where} ${param.in}:${param.name}`));
        const body = op.requestBody?.content?.["application/json"]?.schema;
        if (body) problems.push(...unbounded(body, `${where} body`));
      }
      expect(problems.join("\n")).toBe("");
    });

    it("NUL or a lone surrogate in any text field, query or path parameter is a 400 naming the field", async () => {
      let probes = 0;
      for (const r of app.routeTable) {
        if (SKIP.has(`${r.method} ${r.url}`)) continue;
        const role = ROLES.find((x) => allowed(r, x));
        const session = isPublic(r) || !role ? undefined : sessions[role];
        const op = operation(spec, r);
        const label = `${r.method} ${r.url}`;
        const body = op.requestBody?.content?.["application/json"]?.schema;
        for (const leaf of body ? leaves(body) : []) {
          if ((Array.isArray(leaf.schema.type) ? leaf.schema.type[0] : leaf.schema.type) !== "string")
            continue;
          const field = leaf.path.join(".");
          for (const bad of ["a\u0000b", "\ud800x"]) {
            const res = await send(app, {
              method: r.method,
              url: fill(r.url),
              session,
              body: JSON.stringify(setAt(leaf.path, bad)),
            });
            probes++;
            expect(res.statusCode, `${label} ${field} ${JSON.stringify(bad)}: ${res.body}`).toBe(400);
            const hit = res.json().error.fields.find((f: { field: string }) => f.field === field);
            expect(hit, `${label} ${field}: ${res.body}`).toBeDefined();
            if (isFreeText(leaf.schema)) expect(hit.message, `${label} ${field}`).toContain(UNCLEAN_TEXT);
          }
        }
        for (const param of op.parameters ?? []) {
          if (param.in !== "query" && param.in !== "path") continue;
          const url =
            param.in === "query"
              ? `${fill(r.url)}?${param.name}=a%00b`
              : fill(r.url, { [param.name]: "a%00b" });
          const res = await send(app, {
            method: r.method,
            url,
            session,
            ...(r.method === "GET" ? {} : { body: "{}" }),
          });
          probes++;
          expect(res.statusCode, `${label} ${param.in} ${param.name}: ${res.body}`).toBe(400);
          const hit = res.json().error.fields.find((f: { field: string }) => f.field === param.name);
          expect(hit, `${label} ${param.name}: ${res.body}`).toBeDefined();
          if (isFreeText(param.schema)) expect(hit.message, `${label} ${param.name}`).toContain(UNCLEAN_TEXT);
        }
      }
      expect(probes).toBeGreaterThan(40);
    });

    it("profile facts have length and count limits", async () => {
      const put = (facts: unknown) =>
        send(app, {
          method: "PUT",
          url: `/api/enterprises/${ids.enterprise}/facts`,
          session: sessions.enterprise,
          body: JSON.stringify({ version: 1, facts }),
        });
      const cases: [unknown, string, RegExp][] = [
        [{ name: "重庆\u0000公司" }, "facts.name", /空字符或无效字符/],
        [{ name: "企".repeat(201) }, "facts.name", /最多 200 个字符/],
        [{ certifications: new Array(201).fill({}) }, "facts.certifications", /最多 200 项/],
        [
          { rdExpense: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`${1950 + i}`, 1])) },
          "facts.rdExpense",
          /最多 100 个年度/,
        ],
        [Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, 1])), "facts", /最多 200 项/],
      ];
      for (const [facts, field, message] of cases) {
        const res = await put(facts);
        expect(res.statusCode, res.body).toBe(400);
        const hit = res.json().error.fields.find((f: { field: string }) => f.field === field);
        expect(hit?.message, res.body).toMatch(message);
      }
    });

    it("generated bodies, path parameters and query strings on every route never give a 5xx", async () => {
      const t0 = performance.now();
      for (const r of app.routeTable) {
        const key = `${r.method} ${r.url}`;
        if (SKIP.has(key)) continue;
        const op = operation(spec, r);
        const body = op.requestBody?.content?.["application/json"]?.schema;
        const pathParams = (r.url.match(/:(\w+)/g) ?? []).map((x) => x.slice(1));
        const role = ROLES.find((x) => allowed(r, x));
        const sessionArb = fc.oneof(
          { weight: 8, arbitrary: fc.constant(isPublic(r) || !role ? undefined : sessions[role]) },
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom(...ROLES.map((x) => sessions[x])) },
        );
        const paramsArb = fc.tuple(
          ...pathParams.map(() =>
            fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: nastyParam }),
          ),
        );
        await fc.assert(
          fc.asyncProperty(
            sessionArb,
            paramsArb,
            queryArb(op.parameters ?? [], factIds),
            r.method === "GET" ? fc.constant(undefined) : bodyArb(body, factIds),
            async (session, params, query, b) => {
              const given: Record<string, string> = {};
              pathParams.forEach((name, i) => {
                const v = (params as (string | null)[])[i];
                if (v !== null && v !== undefined) given[name] = v;
              });
              let url = fill(r.url, given);
              if (query) url += `?${query}`;
              const res = await send(app, {
                method: r.method,
                url,
                session,
                body: b?.text,
                contentType: b?.contentType,
              });
              fuzzRequests++;
              expectSane(res, `${key} ${url.slice(0, 150)} ${b?.text.slice(0, 150) ?? ""}`);
            },
          ),
          { seed: SEED, numRuns: FEW_RUNS.has(key) ? 2 : RUNS },
        );
      }
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `[fuzz ${kind}] ${fuzzRequests} requests on ${app.routeTable.length} routes in ${seconds.toFixed(1)} s`,
      );
      expect(fuzzRequests).toBeGreaterThan(app.routeTable.length * 2);
    }, 600_000);

    it(`/api/health answers within ${HEALTH_BOUND_MS} ms while 10 MB bodies are refused`, async () => {
      await app.listen({ port: 0, host: "127.0.0.1" });
      const port = (app.server.address() as { port: number }).port;
      const ten = 10 * 1024 * 1024;
      const deepArray = Buffer.from("[".repeat(ten / 2) + "]".repeat(ten / 2));
      const deepObject = Buffer.from(deepText(Math.floor(ten / 6), "{"));
      const json = { "content-type": "application/json" };
      const signedIn = { cookie: sessions.enterprise.cookie, "x-csrf-token": sessions.enterprise.csrf };
      const cases: { what: string; path: string; body: Buffer; headers: Record<string, string> }[] = [
        {
          what: "anonymous, protected route",
          path: "/api/applications",
          body: deepArray,
          headers: { ...json, "content-length": String(deepArray.length) },
        },
        {
          what: "anonymous, login",
          path: "/api/auth/login",
          body: deepObject,
          headers: { ...json, "content-length": String(deepObject.length) },
        },
        {
          what: "anonymous, login, chunked (no length)",
          path: "/api/auth/login",
          body: deepArray,
          headers: { ...json, "transfer-encoding": "chunked" },
        },
        {
          what: "anonymous, unknown route",
          path: "/api/nope",
          body: deepArray,
          headers: { ...json, "content-length": String(deepArray.length) },
        },
        {
          what: "signed in, attachment upload (large body limit)",
          path: `/api/applications/${ids.application}/attachments`,
          body: deepArray,
          headers: { ...json, ...signedIn, "content-length": String(deepArray.length) },
        },
        {
          what: "signed in, attachment upload, deep object",
          path: `/api/applications/${ids.application}/attachments`,
          body: deepObject,
          headers: { ...json, ...signedIn, "content-length": String(deepObject.length) },
        },
      ];
      const report: string[] = [];
      for (const c of cases) {
        let done = false;
        const big = sendLarge(port, c.path, c.body, c.headers).finally(() => {
          done = true;
        });
        const probes: number[] = [];
        while (!done) {
          const h = await getHealth(port);
          expect(h.status).toBe(200);
          probes.push(h.ms);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const r = await big;
        const worst = Math.max(...probes, (await getHealth(port)).ms);
        report.push(
          `${c.what}: ${r.status || r.error} in ${r.ms.toFixed(0)} ms, health worst ${worst.toFixed(0)} ms (${probes.length} probes)`,
        );
        if (r.status) expect(r.status, c.what).toBeGreaterThanOrEqual(400);
        else expect(["EPIPE", "ECONNRESET"], c.what).toContain(r.error);
        expect(r.status, c.what).toBeLessThan(500);
        expect(worst, `${c.what}: /api/health took ${worst.toFixed(0)} ms`).toBeLessThan(HEALTH_BOUND_MS);
      }
      console.log(`[fuzz ${kind}] large bodies:\n  ${report.join("\n  ")}`);
    }, 120_000);

    it("every anonymous route is rate-limited", async () => {
      const anonymous = app.routeTable.filter(isPublic).map((r) => ({ method: r.method, url: r.url }));
      for (const r of [
        ...anonymous,
        { method: "GET", url: "/openapi.json" },
        { method: "GET", url: "/docs/" },
      ]) {
        const res = await send(app, {
          method: r.method,
          url: r.url,
          ...(r.method === "GET" ? {} : { body: "{}" }),
        });
        expect(res.headers["x-ratelimit-limit"], `${r.method} ${r.url}`).toBeDefined();
      }
    });

    it("duplicate registrations racing are 409s naming the field; a database refusal maps to its field", async () => {
      const uscc = makeUscc("500113");
      const password = "Qz7#mV2!pL9@wK4x-fuzz";
      secrets.push(password);
      const register = (i: number) =>
        send(app, {
          method: "POST",
          url: "/api/auth/register",
          body: JSON.stringify({
            uscc,
            name: `重庆并发测试${i}有限公司`,
            regionCode: "500113",
            username: `race-${uscc.toLowerCase()}-${i}`,
            password,
            displayName: `联系人${i}`,
          }),
        });
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => register(i)));
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes, results.map((r) => r.body.slice(0, 200)).join("\n")).toEqual([
        201, 409, 409, 409, 409, 409,
      ]);
      for (const r of results.filter((x) => x.statusCode === 409))
        expect(r.json().error.fields[0].field).toBe("uscc");
      // Straight from the database: the unique violation, as logged and as answered.
      const err = await p.ctx.db
        .insertInto("accounts")
        .values({
          id: randomUUID(),
          username: "policy-admin",
          password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
          display_name: "13812345678",
          role: "enterprise",
          department: null,
          region_code: null,
          enterprise_id: null,
          created_at: new Date(),
        })
        .execute()
        .catch((e: unknown) => e);
      expect(serializeError(err)).toEqual({
        type: "DatabaseError",
        sqlState: "23505",
        constraint: "accounts_username_key",
      });
      const refusal = fromDatabaseRefusal(err as { code: string; constraint?: string; table?: string });
      expect(refusal?.code).toBe("CONFLICT");
      expect(refusal?.fields[0]?.field).toBe("username");
      const answered = await app.inject({ method: "POST", url: "/test/duplicate-username" });
      expect(answered.statusCode).toBe(409);
      expect(answered.json().error).toMatchObject({
        code: "CONFLICT",
        fields: [{ field: "username", message: "用户名已被使用" }],
      });
    });

    it("the log of the whole run holds no credit code, phone number, argon2 hash, password or session cookie", async () => {
      // A database fault whose SQL parameters hold personal data.
      const fault = await app.inject({ method: "GET", url: "/test/database-fault" });
      expect(fault.statusCode).toBe(500);
      // Personal data in URLs and queries.
      await send(app, {
        method: "GET",
        url: "/api/enterprises?q=91500113MA5U7K3X2H&page=1",
        session: sessions.officer,
      });
      await send(app, { method: "GET", url: "/api/nope/91500113MA5U7K3X2H/13812345678/023-66219203" });
      const hits = log.hits(secrets);
      const text = log.lines.join("");
      console.log(`[fuzz ${kind}] log: ${log.lines.length} lines, ${(text.length / 1024).toFixed(0)} KiB`);
      expect(hits.slice(0, 10)).toEqual([]);
      expect(log.lines.length).toBeGreaterThan(fuzzRequests);
      expect(text).toContain('"sqlState":"42P01"');
      expect(text).toContain('"sqlState":"23505","constraint":"accounts_username_key"');
      expect(text).not.toContain("no_such_table");
      expect(text).not.toContain(DEMO_PASSWORD);
    });
  });
}

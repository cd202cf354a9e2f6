/**
 * Logs without personal data. The pino logger of the HTTP app:
 * - redacts known paths (cookies, CSRF tokens, passwords and hashes, names, phone numbers, USCCs, bodies);
 * - logs a request as its method and URL only: query values other than known-harmless ones are hidden, and
 *   credit codes, phone numbers, argon2 hashes and session cookies in the URL are masked;
 * - logs a database error by SQLSTATE code and constraint name only — never its message, detail, SQL or
 *   parameters (PGlite attaches the query and its parameters to the error);
 * - masks the same patterns in every message, every string of a logged object, and, as a last net, in the
 *   finished log line.
 */
import type { FastifyRequest } from "fastify";
import type { LoggerOptions } from "pino";
import { SESSION_COOKIE } from "../auth/sessions.ts";
import { truncate } from "./limits.ts";

export const REDACTED = "[已隐藏]";

/** 统一社会信用代码: 18 characters, the 3rd–8th the region code (digits). */
const USCC = /(?<![0-9A-Za-z])[0-9A-Za-z]{2}\d{6}[0-9A-Za-z]{10}(?![0-9A-Za-z])/g;
/** Mainland mobile numbers, with or without +86 and separators. */
const MOBILE = /(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)/g;
/** Landlines with an area code (023-66219203, 02366219203), and 400/800 numbers. */
const LANDLINE = /(?<!\d)(?:0\d{2,3}[-\s]?\d{7,8}|[48]00[-\s]?\d{3}[-\s]?\d{4})(?!\d)/g;
/** argon2 password hashes. */
const ARGON2 = /\$argon2(?:id|i|d)\$[^\s"',;]*/g;
/** The session cookie's value (in a Cookie or Set-Cookie text). */
const SESSION_VALUE = new RegExp(`${SESSION_COOKIE}=[^;\\s"']*`, "g");

/** Masks credit codes, phone numbers, argon2 hashes and session cookie values inside a text. */
export function maskPersonalData(s: string): string {
  return s
    .replace(ARGON2, REDACTED)
    .replace(SESSION_VALUE, `${SESSION_COOKIE}=${REDACTED}`)
    .replace(USCC, (v) => `${v.slice(0, 6)}********${v.slice(14)}`)
    .replace(MOBILE, (v) => `${v.slice(0, -8)}****${v.slice(-4)}`)
    .replace(LANDLINE, "[电话]");
}

/** Query parameters whose values are codes, dates, numbers or flags: kept in the logged URL. */
const HARMLESS_QUERY = new Set([
  "page",
  "pageSize",
  "limit",
  "offset",
  "status",
  "year",
  "quarter",
  "asOf",
  "explain",
  "outcome",
  "mine",
  "unread",
  "region",
  "level",
  "department",
  "benefitType",
  "monetary",
  "validOn",
  "documentId",
  "published",
  "measureId",
  "measure",
  "entity",
]);

/** The URL as logged: path masked and cut to 300 characters, query values hidden unless harmless. */
export function logUrl(url: string): string {
  const q = url.indexOf("?");
  const path = maskPersonalData(truncate(q < 0 ? url : url.slice(0, q), 300));
  if (q < 0) return path;
  const params = url
    .slice(q + 1)
    .split("&")
    .slice(0, 30)
    .map((pair) => {
      const eq = pair.indexOf("=");
      const key = truncate(eq < 0 ? pair : pair.slice(0, eq), 40);
      if (eq < 0) return maskPersonalData(key);
      const value = HARMLESS_QUERY.has(key) ? truncate(pair.slice(eq + 1), 60) : REDACTED;
      return maskPersonalData(`${key}=${value}`);
    });
  return `${path}?${params.join("&")}`;
}

interface DatabaseErrorLike {
  code: string;
  constraint?: string | undefined;
}

/** A PostgreSQL (node-postgres or PGlite) error: a SQLSTATE code and the server's severity or routine. */
export function isDatabaseError(e: unknown): e is DatabaseErrorLike {
  if (!(e instanceof Error)) return false;
  const x = e as Error & { code?: unknown; severity?: unknown; routine?: unknown };
  return (
    typeof x.code === "string" &&
    /^[0-9A-Z]{5}$/.test(x.code) &&
    (typeof x.severity === "string" || typeof x.routine === "string")
  );
}

interface LoggedError {
  type: string;
  message?: string;
  sqlState?: string;
  constraint?: string;
  code?: string;
  statusCode?: number;
  stack?: string;
  cause?: LoggedError;
}

/** pino's `err` serializer: database errors by code and constraint only; other errors masked and cut. */
export function serializeError(e: unknown, depth = 0): LoggedError {
  if (isDatabaseError(e))
    return {
      type: "DatabaseError",
      sqlState: e.code,
      ...(typeof e.constraint === "string" ? { constraint: e.constraint } : {}),
    };
  if (!(e instanceof Error)) return { type: typeof e, message: maskPersonalData(truncate(String(e), 500)) };
  const x = e as Error & { code?: unknown; statusCode?: unknown; cause?: unknown };
  const out: LoggedError = {
    type: x.constructor?.name || x.name || "Error",
    message: maskPersonalData(truncate(x.message, 500)),
  };
  if (typeof x.code === "string") out.code = truncate(x.code, 60);
  if (typeof x.statusCode === "number") out.statusCode = x.statusCode;
  if (x.stack) out.stack = maskPersonalData(truncate(x.stack, 4000));
  if (x.cause !== undefined && depth < 3) out.cause = serializeError(x.cause, depth + 1);
  return out;
}

/** Masks every string of a logged plain object or array (bounded); errors, requests and replies are left to their serializers. */
function maskDeep(v: unknown, depth: number): unknown {
  if (typeof v === "string") return maskPersonalData(truncate(v, 2000));
  if (v === null || typeof v !== "object" || depth > 5) return v;
  if (Array.isArray(v)) return v.slice(0, 100).map((x) => maskDeep(x, depth + 1));
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, x] of Object.entries(v)) {
    if (n++ >= 100) break;
    out[k] = maskDeep(x, depth + 1);
  }
  return out;
}

/** Keys whose values never reach the log, at the top level and one or two levels down. */
const SECRET_KEYS = [
  "password",
  "passwordHash",
  "password_hash",
  "token",
  "csrfToken",
  "cookie",
  "authorization",
  "body",
  "name",
  "displayName",
  "display_name",
  "contactName",
  "contactPhone",
  "phone",
  "username",
  "uscc",
  "bankAccount",
];

const REDACT_PATHS = [
  "req.headers.cookie",
  'req.headers["x-csrf-token"]',
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

/** A writable destination for the log lines (stdout by default; a capturing stream in tests). */
export interface LogDestination {
  write(line: string): unknown;
}

/** The pino options of the HTTP app's logger. */
export function loggerOptions(destination?: LogDestination): LoggerOptions & { stream?: LogDestination } {
  return {
    level: "info",
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, url: logUrl(req.url) }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      err: (e: unknown) => serializeError(e),
      msg: (m: unknown) => (typeof m === "string" ? maskPersonalData(truncate(m, 2000)) : m),
    },
    formatters: { log: (obj) => maskDeep(obj, 0) as Record<string, unknown> },
    hooks: {
      // log.error(err) with no message would log the error's own message (for a database error: values).
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        if (typeof second !== "string") {
          const err = first instanceof Error ? first : (first as { err?: unknown } | null | undefined)?.err;
          if (isDatabaseError(err)) {
            method.apply(this, [first as object, `数据库错误 ${err.code}`]);
            return;
          }
        }
        method.apply(this, args);
      },
      // The last net: whatever path a value took, these patterns never reach the destination.
      streamWrite: (line) => maskPersonalData(line),
    },
    ...(destination ? { stream: destination } : {}),
  };
}

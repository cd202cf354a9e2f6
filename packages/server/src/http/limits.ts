/**
 * Limits at the edge, so a request is refused cheaply before it costs anything: body sizes per route,
 * JSON shape (depth, keys, values), bounded error responses, and rate limits on anonymous routes.
 * README.md (平台 → 请求限制) lists them for operators.
 */
import type { RouteOptions } from "fastify";

/** Default body limit of every route: JSON forms are small. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

/** Slack for the JSON around a Base64 file (file name, type, quotes). */
const UPLOAD_SLACK = 64 * 1024;

/** Body limit of the routes that carry one Base64-encoded file of at most `maxFileBytes` bytes. */
export function uploadBodyLimit(maxFileBytes: number): number {
  return Math.ceil(maxFileBytes / 3) * 4 + UPLOAD_SLACK;
}

/** The largest Base64 text the upload schemas accept at all; the route's body limit is the real bound. */
export const MAX_BASE64_CHARS = 128 * 1024 * 1024;

export interface JsonLimits {
  maxDepth: number;
  maxKeys: number;
  maxValues: number;
}

export const JSON_LIMITS: Readonly<JsonLimits> = {
  /** Nesting of objects and arrays. */
  maxDepth: 32,
  /** Object keys in the whole body. */
  maxKeys: 20_000,
  /** Array elements and object values in the whole body. */
  maxValues: 100_000,
};

/** Error responses never echo the whole input. */
export const ERROR_LIMITS = {
  /** Issues listed in `fields` (the rest are counted in the message). */
  maxFields: 20,
  /** Characters of one field path or one field message. */
  maxFieldChars: 200,
  /** Characters of the whole message. */
  maxMessageChars: 1000,
} as const;

/** Per client address, for routes that need no session. */
export const ANONYMOUS_RATE_LIMITS = {
  /** Reads: health, the session probe, the API reference. */
  read: { max: 300, timeWindow: "1 minute" },
  /** Writes (login; registration declares its own, stricter limit). */
  write: { max: 60, timeWindow: "1 minute" },
} as const;

/** Paths served without a session that the default anonymous rate limit covers (not the web app's files). */
function rateLimitedPath(url: string): boolean {
  return url.startsWith("/api/") || url === "/openapi.json" || url === "/docs" || url.startsWith("/docs/");
}

/**
 * onRoute: a route that needs no session and declares no rate limit of its own gets the anonymous default.
 * Must be added before @fastify/rate-limit is registered, so that plugin's onRoute hook sees the config.
 */
export function applyAnonymousRateLimit(r: RouteOptions): void {
  const config = (r.config ?? {}) as {
    action?: unknown;
    signedIn?: boolean;
    rateLimit?: unknown;
  };
  if (config.action !== undefined || config.signedIn || config.rateLimit !== undefined) return;
  if (!rateLimitedPath(r.url)) return;
  const methods = [r.method].flat();
  const write = methods.some((m) => m !== "GET" && m !== "HEAD");
  r.config = {
    ...config,
    rateLimit: write ? ANONYMOUS_RATE_LIMITS.write : ANONYMOUS_RATE_LIMITS.read,
  } as RouteOptions["config"];
}

/** Cuts a text to `max` characters (an ellipsis marks the cut). */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

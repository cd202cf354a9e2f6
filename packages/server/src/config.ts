/** Configuration from the environment; defaults give the embedded mode. */
import { resolve } from "node:path";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Unset: embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  /** Days an approved award stays on public notice (公示) before it can be disbursed. */
  publicNoticeDays: number;
  /** Reminder this many days before a measure's deadline. */
  reminderDays: number;
  maxAttachmentBytes: number;
  /**
   * Fastify's trustProxy: whether (and which) reverse proxies' X-Forwarded-For / -Proto are believed, so
   * req.ip is the client's address (per-IP login limit, logs). false: the socket's peer address.
   */
  trustProxy: boolean | string | ((address: string, hop: number) => boolean);
  /** The session cookie's `secure` flag: set when the platform is reached over HTTPS only. */
  cookieSecure: boolean;
  /**
   * HUIQI_RATE_LIMIT_ALLOW: client addresses the per-address rate limits do not count (a load generator on the
   * same host, `npm run bench:http`); empty by default. Login failure throttling still applies.
   */
  rateLimitAllowList?: string[];
}

/**
 * HUIQI_TRUST_PROXY: unset/false → false; true → every proxy; a number n → the n nearest hops (what
 * proxy-addr does for a hop count); otherwise comma-separated proxy addresses or CIDRs.
 */
function parseTrustProxy(v: string | undefined): Config["trustProxy"] {
  const t = (v ?? "").trim();
  if (t === "" || /^(false|0|no)$/i.test(t)) return false;
  if (/^(true|yes)$/i.test(t)) return true;
  if (/^\d+$/.test(t)) {
    const hops = Number(t);
    return (_address, hop) => hop < hops;
  }
  if (!/^[0-9A-Fa-f.:/, ]+$/.test(t))
    throw new Error(
      `HUIQI_TRUST_PROXY「${v}」无效：应为 true、false、跳数或以逗号分隔的代理地址（可带 /掩码）`,
    );
  return t;
}

function parseBoolean(name: string, v: string | undefined, fallback: boolean): boolean {
  const t = (v ?? "").trim();
  if (t === "") return fallback;
  if (/^(true|1|yes)$/i.test(t)) return true;
  if (/^(false|0|no)$/i.test(t)) return false;
  throw new Error(`${name}「${v}」无效：应为 true 或 false`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT「${env.PORT}」无效`);
  return {
    port,
    host: env.HOST ?? "127.0.0.1",
    dataDir: resolve(env.HUIQI_DATA_DIR ?? "./data"),
    databaseUrl: env.DATABASE_URL || undefined,
    publicNoticeDays: Number(env.HUIQI_PUBLIC_NOTICE_DAYS ?? 7),
    reminderDays: Number(env.HUIQI_REMINDER_DAYS ?? 14),
    maxAttachmentBytes: Number(env.HUIQI_MAX_ATTACHMENT_BYTES ?? 10 * 1024 * 1024),
    trustProxy: parseTrustProxy(env.HUIQI_TRUST_PROXY),
    cookieSecure: parseBoolean("HUIQI_COOKIE_SECURE", env.HUIQI_COOKIE_SECURE, false),
    rateLimitAllowList: (env.HUIQI_RATE_LIMIT_ALLOW ?? "")
      .split(",")
      .map((a) => a.trim())
      .filter((a) => a !== ""),
  };
}

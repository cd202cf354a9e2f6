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
  };
}

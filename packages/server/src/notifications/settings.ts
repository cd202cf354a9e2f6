/**
 * Each enterprise's push subscription (通知设置): which topics it wants and through which channels. No row
 * means the defaults — every topic, in-app only. The e-mail channel is not connected yet (no address or
 * gateway), so it cannot be switched on; the column is there for when it is.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

export interface NotificationSettings {
  topics: { matches: boolean; deadlines: boolean; status: boolean };
  channels: { inApp: boolean; email: boolean };
}

export type Topic = keyof NotificationSettings["topics"];

export const DEFAULT_SETTINGS: NotificationSettings = Object.freeze({
  topics: Object.freeze({ matches: true, deadlines: true, status: true }),
  channels: Object.freeze({ inApp: true, email: false }),
}) as NotificationSettings;

type Row = Database["notification_settings"];

function fromRow(
  r: Pick<Row, "matches" | "deadlines" | "status" | "in_app" | "email">,
): NotificationSettings {
  return {
    topics: { matches: r.matches, deadlines: r.deadlines, status: r.status },
    channels: { inApp: r.in_app, email: r.email },
  };
}

/** The settings of the given enterprises (defaults for those without a row). */
export async function settingsOf(
  db: Db,
  enterpriseIds: string[],
): Promise<Map<string, NotificationSettings>> {
  const out = new Map<string, NotificationSettings>();
  for (const id of enterpriseIds) out.set(id, DEFAULT_SETTINGS);
  if (enterpriseIds.length === 0) return out;
  const rows = await db
    .selectFrom("notification_settings")
    .selectAll()
    .where("enterprise_id", "in", enterpriseIds)
    .execute();
  for (const r of rows) out.set(r.enterprise_id, fromRow(r));
  return out;
}

export async function settingsFor(db: Db, enterpriseId: string): Promise<NotificationSettings> {
  return (await settingsOf(db, [enterpriseId])).get(enterpriseId) ?? DEFAULT_SETTINGS;
}

/** Would this enterprise see an in-app notification on this topic? */
export function wantsInApp(s: NotificationSettings, topic: Topic): boolean {
  return s.topics[topic] && s.channels.inApp;
}

export async function saveSettings(
  db: Db,
  enterpriseId: string,
  s: NotificationSettings,
  now: Date,
): Promise<NotificationSettings> {
  const values = {
    matches: s.topics.matches,
    deadlines: s.topics.deadlines,
    status: s.topics.status,
    in_app: s.channels.inApp,
    email: s.channels.email,
    updated_at: now,
  };
  await db
    .insertInto("notification_settings")
    .values({ enterprise_id: enterpriseId, ...values })
    .onConflict((oc) => oc.column("enterprise_id").doUpdateSet(values))
    .execute();
  return settingsFor(db, enterpriseId);
}

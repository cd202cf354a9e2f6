/** Writes one in-app notification, idempotently: the dedupe key is unique, a repeat does nothing. */
import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db/schema.ts";

export interface NewNotification {
  enterpriseId: string;
  kind: string;
  measureId?: string | null;
  title: string;
  body: string;
  dedupeKey: string;
  /** Where it leads in the web app (/calculator, /applications/:id); absent = its measure's page. */
  link?: string | null;
}

/** Returns true when the notification was new, false when its dedupe key already existed. */
export async function notify(
  db: Kysely<Database> | Transaction<Database>,
  n: NewNotification,
  now: Date,
): Promise<boolean> {
  const r = await db
    .insertInto("notifications")
    .values({
      id: randomUUID(),
      enterprise_id: n.enterpriseId,
      kind: n.kind,
      measure_id: n.measureId ?? null,
      title: n.title,
      body: n.body,
      dedupe_key: n.dedupeKey,
      link: n.link ?? null,
      read_at: null,
      created_at: now,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * Transactional outbox: follow-up jobs are written in the same transaction as the state change that causes
 * them, then delivered at least once by the worker (notifications/worker.ts). A dedupe key makes enqueueing
 * idempotent.
 *
 * Why not pg-boss: its PGlite backend needs pg-boss ≥ 12.20 on Node 22; the machines run Node 20. One
 * outbox table with `for update skip locked` works the same on PGlite and PostgreSQL.
 */
import type { Transaction } from "kysely";
import type { Database } from "../db/schema.ts";

export type Topic =
  | "measure.changed"
  | "profile.changed"
  | "matches.digest"
  | "application.changed"
  | "deadline.reminders"
  | "message.send"
  // Batch matching (batch/runs.ts): a token of work, drains claimable partitions of a run.
  | "match.run"
  // 免申即享 (exemption/notify.ts): tells the enterprise of a grant confirmed by the lead department.
  | "exemption.granted";

export async function enqueue(
  trx: Transaction<Database>,
  topic: Topic,
  payload: Record<string, unknown>,
  dedupeKey?: string,
): Promise<void> {
  await trx
    .insertInto("outbox")
    .values({
      topic,
      payload: JSON.stringify(payload),
      dedupe_key: dedupeKey ?? null,
      last_error: null,
      available_at: new Date(),
      created_at: new Date(),
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .execute();
}

/** Several jobs of one topic in one multi-row insert (a bulk import queues one per changed enterprise). */
export async function enqueueMany(
  trx: Transaction<Database>,
  topic: Topic,
  jobs: readonly { payload: Record<string, unknown>; dedupeKey?: string }[],
): Promise<void> {
  const now = new Date();
  for (let i = 0; i < jobs.length; i += 1000) {
    await trx
      .insertInto("outbox")
      .values(
        jobs.slice(i, i + 1000).map((j) => ({
          topic,
          payload: JSON.stringify(j.payload),
          dedupe_key: j.dedupeKey ?? null,
          last_error: null,
          available_at: now,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.column("dedupe_key").doNothing())
      .execute();
  }
}

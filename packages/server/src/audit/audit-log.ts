/**
 * Append-only audit log, hash-chained: each row's hash covers its content and the previous row's hash,
 * so a changed or deleted row breaks the chain. Appends take a transaction-scoped advisory lock so
 * concurrent transactions chain in commit order.
 */
import { createHash } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Actor } from "../context.ts";
import type { Database } from "../db/schema.ts";

export const GENESIS = "0".repeat(64);
const AUDIT_LOCK = 7_340_001;

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

interface Hashable {
  seq: number | string;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
}

/** Canonical JSON: object keys sorted, so the hash does not depend on jsonb key order. */
function canonical(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v === "object")
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

export function rowHash(r: Hashable): string {
  return createHash("sha256")
    .update(
      canonical([
        String(r.seq),
        r.at,
        r.actor_id,
        r.actor_role,
        r.action,
        r.entity,
        r.entity_id,
        r.before,
        r.after,
        r.prev_hash,
      ]),
    )
    .digest("hex");
}

export async function appendAudit(
  trx: Transaction<Database>,
  actor: Actor | null,
  e: AuditEntry,
): Promise<void> {
  await appendAuditMany(trx, [{ actor, entry: e }]);
}

/**
 * Several entries in one transaction: one lock, one read of the chain's end, one multi-row insert (the
 * group commit of staff reads, enterprises/access.ts). Rows chain in the order given.
 */
export async function appendAuditMany(
  trx: Transaction<Database>,
  entries: { actor: Actor | null; entry: AuditEntry }[],
): Promise<void> {
  if (entries.length === 0) return;
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom("audit_log")
    .select(["seq", "hash"])
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  let seq = Number(last?.seq ?? 0);
  let prev = last?.hash ?? GENESIS;
  const at = new Date().toISOString();
  const values = entries.map(({ actor, entry: e }) => {
    seq++;
    const row: Hashable = {
      seq,
      at,
      actor_id: actor?.id ?? null,
      actor_role: actor?.role ?? null,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
      prev_hash: prev,
    };
    prev = rowHash(row);
    return {
      seq,
      at: row.at,
      actor_id: row.actor_id,
      actor_role: row.actor_role,
      action: row.action,
      entity: row.entity,
      entity_id: row.entity_id,
      before: JSON.stringify(row.before),
      after: JSON.stringify(row.after),
      prev_hash: row.prev_hash,
      hash: prev,
    };
  });
  await trx.insertInto("audit_log").values(values).execute();
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** The first row whose content or link does not match, and why. */
  problem?: { seq: number; reason: string };
}

export async function verifyAudit(db: Kysely<Database>): Promise<AuditVerification> {
  const rows = await db.selectFrom("audit_log").selectAll().orderBy("seq").execute();
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const r of rows) {
    const seq = Number(r.seq);
    if (seq !== expectedSeq)
      return {
        ok: false,
        rows: rows.length,
        problem: { seq: expectedSeq, reason: `第 ${expectedSeq} 行缺失（被删除）` },
      };
    if (r.prev_hash !== prev)
      return {
        ok: false,
        rows: rows.length,
        problem: { seq, reason: `第 ${seq} 行与前一行的链接不符（前一行被改动或删除）` },
      };
    const h = rowHash({ ...r, seq, before: r.before, after: r.after });
    if (h !== r.hash)
      return { ok: false, rows: rows.length, problem: { seq, reason: `第 ${seq} 行内容被改动（哈希不符）` } };
    prev = r.hash;
    expectedSeq++;
  }
  return { ok: true, rows: rows.length };
}

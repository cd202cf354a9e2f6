/**
 * Reading an enterprise's data: role gate, existence, scope (own enterprise, or staff of its district), and
 * the audit row every read by department staff or a coordinator leaves behind.
 */
import type { Selectable } from "kysely";
import { type AuditEntry, appendAuditMany } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import type { EnterpriseTable } from "../db/schema.ts";
import { forbidden, notFound } from "../errors.ts";
import { type Action, authorize, canSeeEnterprise } from "../permissions.ts";

export type EnterpriseRow = Selectable<EnterpriseTable>;

export async function findEnterprise(ctx: AppContext, id: string): Promise<EnterpriseRow | undefined> {
  return ctx.db.selectFrom("enterprises").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Authorizes `action` on the enterprise and returns its row; 403 outside the actor's scope, 404 if absent. */
export async function enterpriseInScope(
  ctx: AppContext,
  actor: Actor,
  action: Action,
  id: string,
): Promise<EnterpriseRow> {
  authorize(actor, action);
  const e = await findEnterprise(ctx, id);
  if (!e) throw notFound("企业");
  if (!canSeeEnterprise(actor, e)) throw forbidden("无权查看或修改其他企业或其他区县企业的数据");
  return e;
}

/**
 * Staff reads of an enterprise's data are audited (action "enterprise.read"); the enterprise's own are not.
 * The read's response waits for its row to commit, as before; reads arriving while a commit runs are written
 * together by the next one (group commit: one lock, one multi-row insert), so concurrent staff reads do not
 * queue one transaction each behind the audit chain's lock.
 */
export async function auditRead(
  ctx: AppContext,
  actor: Actor,
  enterpriseId: string,
  what: object,
): Promise<void> {
  if (actor.role === "enterprise") return;
  const entry = { action: "enterprise.read", entity: "enterprise", entityId: enterpriseId, after: what };
  let q = readAudits.get(ctx.db);
  if (!q) {
    q = { pending: [], running: false };
    readAudits.set(ctx.db, q);
  }
  const queue = q;
  await new Promise<void>((resolve, reject) => {
    queue.pending.push({ actor, entry, resolve, reject });
    if (!queue.running) void flushReads(ctx, queue);
  });
}

interface PendingRead {
  actor: Actor;
  entry: AuditEntry;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Rows per commit: well under PostgreSQL's 65,535 bind parameters (11 per row). */
const MAX_READS_PER_COMMIT = 500;
const readAudits = new WeakMap<object, { pending: PendingRead[]; running: boolean }>();

async function flushReads(ctx: AppContext, q: { pending: PendingRead[]; running: boolean }): Promise<void> {
  q.running = true;
  try {
    while (q.pending.length > 0) {
      const batch = q.pending.splice(0, MAX_READS_PER_COMMIT);
      try {
        await ctx.db.transaction().execute((trx) => appendAuditMany(trx, batch));
        for (const b of batch) b.resolve();
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
  } finally {
    q.running = false;
  }
}

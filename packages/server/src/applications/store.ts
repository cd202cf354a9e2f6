/**
 * What every transition shares: read the row FOR UPDATE, check who may see it and which version the client
 * expected, write the new state with version + 1, append the status history, the audit row and the outbox
 * job — all inside the caller's one transaction.
 */
import { sql, type Transaction } from "kysely";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import type { ApplicationTable, Database, ReviewStep } from "../db/schema.ts";
import { AppError, notFound } from "../errors.ts";
import { enqueue } from "../notifications/outbox.ts";
import { type ApplicationScope, canSeeApplication } from "../permissions.ts";
import type { Status } from "./model.ts";

type Trx = Transaction<Database>;

export interface ApplicationRow {
  id: string;
  /** 申报编号 区县码-年份-序号. */
  number: string;
  enterprise_id: string;
  measure_id: string;
  rules_version: string;
  status: Status;
  current_step: number;
  steps: ReviewStep[];
  form: Record<string, unknown>;
  max_fen: string | null;
  granted_fen: string | null;
  notice_until: string | null;
  version: number;
}

export interface Locked {
  row: ApplicationRow;
  scope: ApplicationScope;
}

export function scopeOf(ctx: AppContext, row: ApplicationRow, enterpriseRegion: string): ApplicationScope {
  const def = ctx.engine.byId.get(row.measure_id)?.def;
  return {
    enterprise_id: row.enterprise_id,
    enterprise_region: enterpriseRegion,
    lead_department: def?.leadDepartment ?? row.steps[0]?.department ?? "",
    co_departments: def?.coDepartments ?? [],
    steps: row.steps,
  };
}

/**
 * Locks the application row (FOR UPDATE) and checks that the actor may see it. An application the actor
 * may not see answers 404, as if it did not exist: ids of other enterprises' applications are not confirmed.
 */
export async function lockApplication(trx: Trx, ctx: AppContext, actor: Actor, id: string): Promise<Locked> {
  const r = await trx
    .selectFrom("applications")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!r) throw notFound("申报");
  const e = await trx
    .selectFrom("enterprises")
    .select("region_code")
    .where("id", "=", r.enterprise_id)
    .executeTakeFirstOrThrow();
  const row = toRow(r);
  const scope = scopeOf(ctx, row, e.region_code);
  if (!canSeeApplication(actor, scope)) throw notFound("申报");
  return { row, scope };
}

export function toRow(
  r: {
    [K in keyof ApplicationTable]: unknown;
  },
): ApplicationRow {
  return {
    id: r.id as string,
    number: r.number as string,
    enterprise_id: r.enterprise_id as string,
    measure_id: r.measure_id as string,
    rules_version: r.rules_version as string,
    status: r.status as Status,
    current_step: Number(r.current_step),
    steps: r.steps as ReviewStep[],
    form: r.form as Record<string, unknown>,
    max_fen: r.max_fen === null ? null : String(r.max_fen),
    granted_fen: r.granted_fen === null ? null : String(r.granted_fen),
    notice_until: r.notice_until as string | null,
    version: Number(r.version),
  };
}

export function requireStatus(row: ApplicationRow, allowed: readonly Status[], doing: string): void {
  if (!allowed.includes(row.status))
    throw new AppError("INVALID_STATE", `申报当前状态为「${row.status}」，不能${doing}`, [
      { field: "status", message: `应为 ${allowed.join(" / ")}` },
    ]);
}

export function requireVersion(row: ApplicationRow, expected: number): void {
  if (row.version !== expected)
    throw new AppError(
      "VERSION_MISMATCH",
      `申报已被他人修改（当前版本 ${row.version}，请求中的 version 为 ${expected}），请刷新后重试`,
      [{ field: "version", message: `当前版本为 ${row.version}` }],
    );
}

/**
 * Is this request a retry of a transition that has already been applied? Two rules, either suffices:
 * 1. the same Idempotency-Key was recorded (in the audit entry) for this action on this application;
 * 2. the client's expected version is exactly one behind, and the last history entry is this same
 *    transition (same target status) by the same actor.
 */
export async function isReplay(
  trx: Trx,
  row: ApplicationRow,
  actor: Actor,
  action: string,
  to: Status,
  expectedVersion: number,
  idempotencyKey: string | undefined,
): Promise<boolean> {
  if (idempotencyKey) {
    const hit = await trx
      .selectFrom("audit_log")
      .select("seq")
      .where("entity", "=", "application")
      .where("entity_id", "=", row.id)
      .where("action", "=", action)
      .where(sql<string>`after->>'idempotencyKey'`, "=", idempotencyKey)
      .executeTakeFirst();
    if (hit) return true;
  }
  if (row.version !== expectedVersion + 1) return false;
  const last = await trx
    .selectFrom("application_history")
    .select(["to_status", "actor_id"])
    .where("application_id", "=", row.id)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return last?.to_status === to && last.actor_id === actor.id;
}

export interface Transition {
  /** Audit action, e.g. "application.submit". */
  action: string;
  to: Status;
  reason?: string | null;
  currentStep?: number;
  steps?: ReviewStep[];
  form?: Record<string, unknown>;
  maxFen?: number | null;
  grantedFen?: number | null;
  noticeUntil?: string | null;
  /** Extra facts for the audit entry (idempotency key, disbursement, amounts). */
  audit?: Record<string, unknown>;
}

function snapshot(row: ApplicationRow) {
  return {
    number: row.number,
    status: row.status,
    version: row.version,
    currentStep: row.current_step,
    steps: row.steps.map((s) => ({ name: s.name, status: s.status })),
    grantedFen: row.granted_fen,
    noticeUntil: row.notice_until,
  };
}

/** Writes the new state (version + 1), the history row, the audit row and the notification job. */
export async function applyTransition(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  row: ApplicationRow,
  t: Transition,
): Promise<number> {
  const now = ctx.now();
  const version = row.version + 1;
  const res = await trx
    .updateTable("applications")
    .set({
      status: t.to,
      version,
      updated_at: now,
      ...(t.currentStep !== undefined ? { current_step: t.currentStep } : {}),
      ...(t.steps ? { steps: JSON.stringify(t.steps) } : {}),
      ...(t.form ? { form: JSON.stringify(t.form) } : {}),
      ...(t.maxFen !== undefined ? { max_fen: t.maxFen } : {}),
      ...(t.grantedFen !== undefined ? { granted_fen: t.grantedFen } : {}),
      ...(t.noticeUntil !== undefined ? { notice_until: t.noticeUntil } : {}),
    })
    .where("id", "=", row.id)
    .where("version", "=", row.version)
    .executeTakeFirst();
  // The row is locked, so this only fails if a caller forgot the lock; never write over a newer version.
  if (Number(res.numUpdatedRows) !== 1) requireVersion({ ...row, version: -1 }, row.version);
  await trx
    .insertInto("application_history")
    .values({
      application_id: row.id,
      from_status: row.status,
      to_status: t.to,
      actor_id: actor.id,
      reason: t.reason ?? null,
      at: now,
    })
    .execute();
  const after = {
    ...snapshot({
      ...row,
      status: t.to,
      version,
      current_step: t.currentStep ?? row.current_step,
      steps: t.steps ?? row.steps,
      granted_fen:
        t.grantedFen !== undefined && t.grantedFen !== null ? String(t.grantedFen) : row.granted_fen,
      notice_until: t.noticeUntil !== undefined ? t.noticeUntil : row.notice_until,
    }),
    reason: t.reason ?? null,
    ...t.audit,
  };
  await appendAudit(trx, actor, {
    action: t.action,
    entity: "application",
    entityId: row.id,
    before: snapshot(row),
    after,
  });
  await enqueue(
    trx,
    "application.changed",
    {
      applicationId: row.id,
      enterpriseId: row.enterprise_id,
      measureId: row.measure_id,
      action: t.action,
      from: row.status,
      to: t.to,
      version,
      reason: t.reason ?? null,
    },
    `application.changed:${row.id}:${version}`,
  );
  return version;
}

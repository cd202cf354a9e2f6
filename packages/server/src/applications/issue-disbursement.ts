/**
 * 兑付: finance of the enterprise's district issues the payment of the granted amount in a batch, once the
 * public notice period is over (today > notice_until, judged with ctx.now()). One disbursement row per
 * application (disbursements.application_id is unique): after a failed payment the same row is re-issued
 * with the new batch reference; the failed attempt stays in the history and the audit log.
 *
 * Idempotent: a retry (same Idempotency-Key, or the same expected version already applied by the same
 * account) answers the existing disbursement with `replayed: true`; nothing is written twice. A retry must
 * carry the batch reference the payment was issued under: another batch reference is a different request
 * and answers 409 CONFLICT naming both (it would otherwise look paid in a batch that never contained it).
 */
import { randomUUID } from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { Actor, AppContext } from "../context.ts";
import type { Database } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { accountConfirmed } from "../exemption/grants.ts";
import { authorize } from "../permissions.ts";
import { fenFromDb, localDate } from "./model.ts";
import { applyTransition, isReplay, lockApplication, requireStatus, requireVersion } from "./store.ts";

/**
 * The batch reference of the issue a retry repeats: the one recorded with its Idempotency-Key (an earlier
 * issue may have failed and been re-issued since), else the current disbursement's.
 */
async function replayedBatchRef(
  trx: Transaction<Database>,
  id: string,
  idempotencyKey: string | undefined,
): Promise<string | undefined> {
  if (idempotencyKey) {
    const hit = await trx
      .selectFrom("audit_log")
      .select(sql<string | null>`after->>'batchRef'`.as("batchRef"))
      .where("entity", "=", "application")
      .where("entity_id", "=", id)
      .where("action", "=", "application.disburse")
      .where(sql<string>`after->>'idempotencyKey'`, "=", idempotencyKey)
      .executeTakeFirst();
    if (hit?.batchRef) return hit.batchRef;
  }
  const current = await trx
    .selectFrom("disbursements")
    .select("batch_ref")
    .where("application_id", "=", id)
    .executeTakeFirst();
  return current?.batch_ref;
}

export async function issueDisbursement(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { version: number; batchRef: string; idempotencyKey?: string | undefined },
): Promise<{ replayed: boolean }> {
  authorize(actor, "application.disburse");
  return ctx.db.transaction().execute(async (trx) => {
    const { row } = await lockApplication(trx, ctx, actor, id);
    if (
      await isReplay(
        trx,
        row,
        actor,
        "application.disburse",
        "disbursing",
        input.version,
        input.idempotencyKey,
      )
    ) {
      const batchRef = await replayedBatchRef(trx, id, input.idempotencyKey);
      if (batchRef !== undefined && batchRef !== input.batchRef)
        throw new AppError(
          "CONFLICT",
          `该申报已在批次「${batchRef}」中发起兑付，与本次请求的批次「${input.batchRef}」不同；如需更换批次，请先登记兑付失败再重新发起`,
          [{ field: "batchRef", message: `已在批次「${batchRef}」中发起兑付` }],
        );
      return { replayed: true };
    }
    requireStatus(row, ["publicNotice", "disbursementFailed"], "兑付");
    requireVersion(row, input.version);
    const today = localDate(ctx.now());
    if (row.status === "publicNotice" && row.notice_until !== null && today <= row.notice_until)
      throw new AppError("INVALID_STATE", `公示期至 ${row.notice_until}，公示期满后才能兑付`, [
        { field: "status", message: "公示中" },
      ]);
    const amount = fenFromDb(row.granted_fen);
    if (amount === null || amount <= 0) throw new AppError("INVALID_STATE", "申报没有核定金额，不能兑付");
    // 免申即享: the money goes to the account the enterprise confirmed for this grant (exemption/grants.ts).
    if (!accountConfirmed(row.form))
      throw new AppError("INVALID_STATE", "免申即享兑现：企业尚未在「我的申报」中确认收款账户，暂不能兑付", [
        { field: "applicant.bankAccount", message: "企业尚未确认收款账户" },
      ]);
    const now = ctx.now();
    const existing = await trx
      .selectFrom("disbursements")
      .select(["id", "status"])
      .where("application_id", "=", id)
      .executeTakeFirst();
    let disbursementId: string;
    if (existing) {
      if (existing.status !== "failed") throw new AppError("INVALID_STATE", "该申报已有兑付记录");
      disbursementId = existing.id;
      await trx
        .updateTable("disbursements")
        .set({
          batch_ref: input.batchRef,
          amount_fen: amount,
          status: "issued",
          issued_at: now,
          settled_at: null,
          failure_reason: null,
        })
        .where("id", "=", existing.id)
        .execute();
    } else {
      disbursementId = randomUUID();
      await trx
        .insertInto("disbursements")
        .values({
          id: disbursementId,
          application_id: id,
          amount_fen: amount,
          batch_ref: input.batchRef,
          status: "issued",
          issued_at: now,
          settled_at: null,
          failure_reason: null,
        })
        .execute();
    }
    await applyTransition(trx, ctx, actor, row, {
      action: "application.disburse",
      to: "disbursing",
      reason: `兑付批次 ${input.batchRef}`,
      audit: {
        idempotencyKey: input.idempotencyKey ?? null,
        disbursementId,
        batchRef: input.batchRef,
        amountFen: amount,
        reissue: Boolean(existing),
      },
    });
    return { replayed: false };
  });
}

/**
 * 兑付信息反馈: finance records the bank's result. paid → the disbursement is settled on that date and the
 * application is closed (办结). failed → the disbursement is marked failed with the reason and the
 * application waits in disbursementFailed for a re-issue (POST …/disbursements again, new batch).
 */
import type { Actor, AppContext } from "../context.ts";
import { AppError, invalid } from "../errors.ts";
import { authorize } from "../permissions.ts";
import { localDate } from "./model.ts";
import { iso } from "./present.ts";
import { applyTransition, lockApplication, requireStatus, requireVersion } from "./store.ts";

export async function recordDisbursementResult(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { version: number; status: "paid" | "failed"; date: string; reason?: string | undefined },
) {
  authorize(actor, "application.disburse");
  await ctx.db.transaction().execute(async (trx) => {
    const { row } = await lockApplication(trx, ctx, actor, id);
    requireStatus(row, ["disbursing"], "登记兑付结果");
    requireVersion(row, input.version);
    const d = await trx
      .selectFrom("disbursements")
      .select(["id", "issued_at", "batch_ref"])
      .where("application_id", "=", id)
      .executeTakeFirst();
    if (!d) throw new AppError("INVALID_STATE", "该申报没有已发出的兑付");
    const issuedOn = localDate(new Date(iso(d.issued_at)));
    if (input.date > localDate(ctx.now())) throw invalid("date", "兑付结果日期不能晚于今天");
    if (input.date < issuedOn) throw invalid("date", `兑付结果日期不能早于发出日期 ${issuedOn}`);
    await trx
      .updateTable("disbursements")
      .set({
        status: input.status,
        settled_at: `${input.date}T00:00:00+08:00`,
        failure_reason: input.status === "failed" ? (input.reason ?? null) : null,
      })
      .where("id", "=", d.id)
      .execute();
    await applyTransition(trx, ctx, actor, row, {
      action: `application.disbursement.${input.status}`,
      to: input.status === "paid" ? "closed" : "disbursementFailed",
      reason:
        input.status === "paid"
          ? `已到账（${input.date}，批次 ${d.batch_ref}）`
          : `兑付失败（${input.date}）：${input.reason ?? ""}`,
      audit: { disbursementId: d.id, date: input.date, batchRef: d.batch_ref },
    });
  });
}

/**
 * Submit (or resubmit after 退回补正). The form must name the contact and the receiving bank account (开户行
 * and 账号: the award is paid there). Re-assesses the enterprise against the measure with its current
 * profile; refuses if the measure is no longer in force or the enterprise is now ineligible. Review
 * restarts at the step that returned it (steps already passed stay passed), or at the first step.
 *
 * Idempotent: a retry with the same Idempotency-Key, or with the version it was sent with when that very
 * submit has already been applied by the same account, answers the current state with `replayed: true`
 * and writes nothing.
 */
import type { Actor, AppContext } from "../context.ts";
import { invalid } from "../errors.ts";
import { authorize } from "../permissions.ts";
import { assess, measureOrThrow } from "./evaluate-for-application.ts";
import { localDate } from "./model.ts";
import { applyTransition, isReplay, lockApplication, requireStatus, requireVersion } from "./store.ts";

export async function submitApplication(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { version: number; idempotencyKey?: string | undefined },
): Promise<{ replayed: boolean }> {
  authorize(actor, "application.submit");
  return ctx.db.transaction().execute(async (trx) => {
    const { row } = await lockApplication(trx, ctx, actor, id);
    if (
      await isReplay(trx, row, actor, "application.submit", "submitted", input.version, input.idempotencyKey)
    )
      return { replayed: true };
    requireStatus(row, ["draft", "returned"], "提交");
    requireVersion(row, input.version);
    const applicant = row.form.applicant as
      | { contactName?: string; contactPhone?: string; bankName?: string; bankAccount?: string }
      | null
      | undefined;
    if (!applicant?.contactName) throw invalid("applicant.contactName", "提交前请填写申报联系人");
    if (!applicant.contactPhone) throw invalid("applicant.contactPhone", "提交前请填写联系电话");
    // Money is paid to this account: without it an approved application could not be disbursed.
    if (!applicant.bankName?.trim())
      throw invalid("applicant.bankName", "提交前请填写收款账户的开户银行（开户行）");
    if (!applicant.bankAccount?.trim())
      throw invalid("applicant.bankAccount", "提交前请填写收款账户的银行账号");
    const m = measureOrThrow(ctx, row.measure_id);
    const today = localDate(ctx.now());
    if (!ctx.engine.isInForce(m, today))
      throw invalid("measureId", `该措施已不在执行期限内（至 ${m.validUntil ?? "—"}），不能提交`);
    const a = await assess(trx, ctx, row.enterprise_id, m, today);
    if (a.outcome === "ineligible")
      throw invalid("measureId", `按企业当前画像不符合申报条件：${a.reason ?? ""}`);
    const resumeAt = row.status === "returned" ? row.current_step : 0;
    const steps = row.steps.map((s, i) =>
      i === resumeAt ? { ...s, status: "pending" as const, reason: null, actorId: null, decidedAt: null } : s,
    );
    await applyTransition(trx, ctx, actor, row, {
      action: "application.submit",
      to: "submitted",
      reason: row.status === "returned" ? "补正后重新提交" : null,
      currentStep: resumeAt,
      steps,
      form: { ...row.form, assessment: a },
      maxFen: a.amount?.max ?? null,
      audit: { idempotencyKey: input.idempotencyKey ?? null, outcome: a.outcome, amount: a.amount },
    });
    return { replayed: false };
  });
}

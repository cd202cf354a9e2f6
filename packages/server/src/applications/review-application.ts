/**
 * 线上审批: the actor responsible for the current step passes, returns for correction (退回补正) or rejects,
 * with a reason for the last two. The last step's pass approves the application with a granted amount,
 * checked against the engine's maximum for the enterprise's stored profile (as of today, or the measure's
 * last day in force if it has expired since) and against the measure's budget where one is set.
 *
 * Not idempotent by design: a second identical decision carries a stale version and gets 409.
 */
import { sql } from "kysely";
import type { Actor, AppContext } from "../context.ts";
import { AppError, forbidden, invalid } from "../errors.ts";
import { authorize, canDecideStep } from "../permissions.ts";
import { assess, judgingDate, measureOrThrow } from "./evaluate-for-application.ts";
import { GRANTED_STATUSES, localDate } from "./model.ts";
import { applyTransition, lockApplication, requireStatus, requireVersion } from "./store.ts";

export interface ReviewInput {
  version: number;
  decision: "pass" | "return" | "reject";
  reason?: string | undefined;
  grantedFen?: number | undefined;
}

const yuan = (fen: bigint | number) => `${(Number(fen) / 100).toFixed(2)} 元`;

export async function reviewApplication(ctx: AppContext, actor: Actor, id: string, input: ReviewInput) {
  authorize(actor, "application.review");
  await ctx.db.transaction().execute(async (trx) => {
    const { row, scope } = await lockApplication(trx, ctx, actor, id);
    requireStatus(row, ["submitted"], "审核");
    requireVersion(row, input.version);
    const i = row.current_step;
    const step = row.steps[i];
    if (step?.status !== "pending") throw new AppError("INVALID_STATE", "当前没有待审核的步骤");
    if (!canDecideStep(actor, scope, step))
      throw forbidden(`当前步骤「${step.name}」应由 ${step.department}（${step.role}）审核，您无权决定`);
    const decidedAt = ctx.now().toISOString();
    const last = i === row.steps.length - 1;
    if (input.decision !== "pass") {
      const status = input.decision === "return" ? ("returned" as const) : ("rejected" as const);
      const steps = row.steps.map((s, k) =>
        k === i ? { ...s, status, reason: input.reason ?? null, actorId: actor.id, decidedAt } : s,
      );
      await applyTransition(trx, ctx, actor, row, {
        action: `application.review.${input.decision}`,
        to: status,
        reason: input.reason ?? null,
        steps,
        audit: { step: step.name },
      });
      return;
    }
    const steps = row.steps.map((s, k) =>
      k === i
        ? { ...s, status: "passed" as const, reason: input.reason ?? null, actorId: actor.id, decidedAt }
        : k === i + 1
          ? { ...s, status: "pending" as const }
          : s,
    );
    if (!last) {
      if (input.grantedFen !== undefined) throw invalid("grantedFen", "核定金额只在最后一步审核通过时填写");
      await applyTransition(trx, ctx, actor, row, {
        action: "application.review.pass",
        to: "submitted",
        reason: input.reason ?? null,
        currentStep: i + 1,
        steps,
        audit: { step: step.name },
      });
      return;
    }
    if (input.grantedFen === undefined)
      throw invalid("grantedFen", "最后一步审核通过时必须填写核定金额（分）");
    const granted = input.grantedFen;
    const m = measureOrThrow(ctx, row.measure_id);
    const a = await assess(trx, ctx, row.enterprise_id, m, judgingDate(m, localDate(ctx.now())));
    if (a.outcome === "ineligible")
      throw new AppError(
        "AMOUNT_EXCEEDS_MAXIMUM",
        `按企业当前画像已不符合条件（${a.reason ?? ""}），不能核定金额`,
        [{ field: "grantedFen", message: "企业不符合条件" }],
      );
    const max = a.amount?.max ?? null;
    if (max !== null && granted > max)
      throw new AppError(
        "AMOUNT_EXCEEDS_MAXIMUM",
        `核定金额 ${yuan(granted)} 超过按政策测算的最高可得 ${yuan(max)}`,
        [{ field: "grantedFen", message: `不得超过 ${max} 分` }],
      );
    // Budget: lock the measure's budget row so concurrent approvals of the same measure are checked in turn.
    const budget = await trx
      .selectFrom("measure_budgets")
      .select("budget_fen")
      .where("measure_id", "=", row.measure_id)
      .forUpdate()
      .executeTakeFirst();
    if (budget) {
      const used = await trx
        .selectFrom("applications")
        .select(sql<string>`coalesce(sum(granted_fen), 0)::text`.as("used"))
        .where("measure_id", "=", row.measure_id)
        .where("status", "in", GRANTED_STATUSES)
        .where("id", "!=", row.id)
        .executeTakeFirstOrThrow();
      const total = BigInt(budget.budget_fen);
      const remaining = total - BigInt(used.used);
      if (BigInt(granted) > remaining)
        throw new AppError(
          "BUDGET_EXCEEDED",
          `该措施预算 ${yuan(total)}，已核定 ${yuan(BigInt(used.used))}，剩余 ${yuan(remaining)}，不足以核定 ${yuan(granted)}`,
          [{ field: "grantedFen", message: `剩余预算 ${remaining} 分` }],
        );
    }
    await applyTransition(trx, ctx, actor, row, {
      action: "application.approve",
      to: "approved",
      reason: input.reason ?? null,
      steps,
      maxFen: max,
      grantedFen: granted,
      audit: { step: step.name, grantedFen: granted, maxFen: max, asOf: a.asOf },
    });
  });
}

/**
 * 线上申报: an enterprise opens a draft application for a measure, the form prefilled from its stored
 * profile (the facts the measure reads, the engine's outcome and amount range as of today).
 *
 * Refused: measures not in force today; non-monetary measures and measures whose benefit goes to someone
 * other than the enterprise (they have no online application process here); measures the engine finds
 * the enterprise ineligible for (with the engine's reason); a second application to the same measure while
 * one that is not rejected exists (409, which also makes a retried create harmless).
 */
import { randomUUID } from "node:crypto";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { AppError, forbidden, invalid, notFound } from "../errors.ts";
import { enqueue } from "../notifications/outbox.ts";
import { authorize } from "../permissions.ts";
import { unpublishedMeasureIds } from "../policies/publication.ts";
import { assess, measureOrThrow } from "./evaluate-for-application.ts";
import { localDate, OPEN_OR_DONE_STATUSES } from "./model.ts";
import { initialSteps } from "./review-steps.ts";

export async function createApplication(
  ctx: AppContext,
  actor: Actor,
  input: { enterpriseId: string; measureId: string },
): Promise<string> {
  authorize(actor, "application.create");
  if (actor.enterpriseId !== input.enterpriseId) throw forbidden("只能以本企业的名义申报（enterpriseId）");
  const m = measureOrThrow(ctx, input.measureId);
  if (!m.def.monetary || m.def.beneficiary)
    throw invalid("measureId", "该措施不是面向企业的资金类措施，不通过线上申报办理，请联系牵头单位");
  if ((await unpublishedMeasureIds(ctx.db)).has(m.def.id))
    throw invalid("measureId", "该措施已由政策管理员撤下，暂停受理申报");
  const today = localDate(ctx.now());
  if (!ctx.engine.isInForce(m, today))
    throw invalid(
      "measureId",
      `该措施不在执行期限内（${m.validFrom} 至 ${m.validUntil ?? "新政策替代"}），今天（${today}）不能申报`,
    );
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    // Lock the enterprise: two concurrent creates for the same measure cannot both pass the check below.
    const e = await trx
      .selectFrom("enterprises")
      .select("id")
      .where("id", "=", input.enterpriseId)
      .forUpdate()
      .executeTakeFirst();
    if (!e) throw notFound("企业");
    const existing = await trx
      .selectFrom("applications")
      .select(["id", "number", "status"])
      .where("enterprise_id", "=", input.enterpriseId)
      .where("measure_id", "=", input.measureId)
      .where("status", "in", OPEN_OR_DONE_STATUSES)
      .executeTakeFirst();
    if (existing)
      throw new AppError("CONFLICT", `本企业已有该措施的申报（${existing.number}），不能重复申报`, [
        { field: "measureId", message: `已有申报 ${existing.number}` },
      ]);
    const a = await assess(trx, ctx, input.enterpriseId, m, today);
    if (a.outcome === "ineligible") throw invalid("measureId", `按企业画像不符合申报条件：${a.reason ?? ""}`);
    const now = ctx.now();
    // The 申报编号 is taken by the database in this transaction (trigger, migration 005).
    const { number } = await trx
      .insertInto("applications")
      .values({
        id,
        enterprise_id: input.enterpriseId,
        measure_id: m.def.id,
        rules_version: ctx.engine.version,
        status: "draft",
        current_step: 0,
        steps: JSON.stringify(initialSteps(m.def)),
        form: JSON.stringify({ assessment: a, applicant: null, statement: "" }),
        max_fen: a.amount?.max ?? null,
        granted_fen: null,
        notice_until: null,
        created_at: now,
        updated_at: now,
      })
      .returning("number")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("application_history")
      .values({
        application_id: id,
        from_status: null,
        to_status: "draft",
        actor_id: actor.id,
        reason: null,
        at: now,
      })
      .execute();
    await appendAudit(trx, actor, {
      action: "application.create",
      entity: "application",
      entityId: id,
      after: { number, measureId: m.def.id, status: "draft", outcome: a.outcome, amount: a.amount },
    });
    await enqueue(
      trx,
      "application.changed",
      {
        applicationId: id,
        enterpriseId: input.enterpriseId,
        measureId: m.def.id,
        from: null,
        to: "draft",
        version: 1,
      },
      `application.changed:${id}:1`,
    );
  });
  return id;
}

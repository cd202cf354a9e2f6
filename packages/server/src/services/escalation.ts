/**
 * Escalation (超时升级): an open request past its current limit (报到 or 答复) is marked escalated and its
 * district coordinator is told, once per stage and due date (escalated_stage = "accept:2026-01-05"), so
 * running it again — every worker tick, or when the coordinator opens the overdue list — changes nothing.
 */
import { appendAudit } from "../audit/audit-log.ts";
import { toChongqingDate } from "../calendar/working-days.ts";
import type { AppContext } from "../context.ts";
import { currentStage, OPEN_STATUSES } from "./model.ts";
import { departmentLabel, tellStaff } from "./service.ts";

/** Returns how many requests were escalated now. */
export async function escalateOverdueRequests(ctx: AppContext, regionCode?: string): Promise<number> {
  const now = ctx.now();
  const today = toChongqingDate(now);
  let q = ctx.db
    .selectFrom("service_requests")
    .select(["id", "status", "accept_due", "reply_due", "escalated_stage", "region_code"])
    .where("status", "in", [...OPEN_STATUSES])
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "submitted"), eb("accept_due", "<", today)]),
        eb.and([eb("status", "<>", "submitted"), eb("reply_due", "<", today)]),
      ]),
    );
  if (regionCode) q = q.where("region_code", "=", regionCode);
  let n = 0;
  for (const c of await q.execute()) {
    const stage = currentStage(c);
    if (!stage || stage.due >= today) continue;
    const key = `${stage.stage}:${stage.due}`;
    if (c.escalated_stage === key) continue;
    const done = await ctx.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable("service_requests")
        .set({ escalated_at: now, escalated_stage: key })
        .where("id", "=", c.id)
        .where("status", "=", c.status)
        .where((eb) => eb.or([eb("escalated_stage", "is", null), eb("escalated_stage", "<>", key)]))
        .returning(["number", "category", "department", "region_code"])
        .executeTakeFirst();
      if (!r) return false;
      const what = stage.stage === "accept" ? "报到受理" : "答复";
      const text = `${departmentLabel(r.department)}未在 ${stage.due} 前${what}`;
      await trx
        .insertInto("service_request_events")
        .values({ request_id: c.id, actor_id: null, actor_role: null, kind: "escalate", text, at: now })
        .execute();
      await appendAudit(trx, null, {
        action: "service.escalate",
        entity: "service_request",
        entityId: c.id,
        after: { stage: stage.stage, due: stage.due },
      });
      await tellStaff(
        trx,
        { role: "coordinator", regionCode: r.region_code },
        `诉求超时：${r.number}`,
        `「${r.category}」类诉求（编号 ${r.number}）${text}，已升级至区发展改革委督办。`,
        `service:${c.id}:escalate:${key}`,
      );
      return true;
    });
    if (done) n++;
  }
  return n;
}

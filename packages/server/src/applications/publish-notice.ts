/**
 * 公示: an officer of the measure's lead department (in the enterprise's district) puts an approved award on
 * public notice until today + config.publicNoticeDays (notice_until, inclusive). Disbursement is possible
 * from the day after notice_until.
 */
import type { Actor, AppContext } from "../context.ts";
import { forbidden } from "../errors.ts";
import { authorize } from "../permissions.ts";
import { addDays, localDate } from "./model.ts";
import { applyTransition, lockApplication, requireStatus, requireVersion } from "./store.ts";

export async function publishNotice(ctx: AppContext, actor: Actor, id: string, input: { version: number }) {
  authorize(actor, "application.publishNotice");
  await ctx.db.transaction().execute(async (trx) => {
    const { row, scope } = await lockApplication(trx, ctx, actor, id);
    if (actor.department !== scope.lead_department || actor.regionCode !== scope.enterprise_region)
      throw forbidden("只有该措施牵头单位（本区县）的经办人可以发布公示");
    requireStatus(row, ["approved"], "公示");
    requireVersion(row, input.version);
    const noticeUntil = addDays(localDate(ctx.now()), ctx.config.publicNoticeDays);
    await applyTransition(trx, ctx, actor, row, {
      action: "application.publicNotice",
      to: "publicNotice",
      reason: `公示至 ${noticeUntil}`,
      noticeUntil,
      audit: { noticeUntil },
    });
  });
}

/**
 * "exemption.granted" job: tells the enterprise in-app that it has been granted a 免申即享 award without
 * applying, with the amount, the 申报编号 and what it still has to do (confirm its 收款账户), linked to the
 * application. Idempotent through the notification's dedupe key.
 */
import type { AppContext } from "../context.ts";
import { notify } from "../notifications/notify.ts";
import { settingsFor, wantsInApp } from "../notifications/settings.ts";
import type { Job } from "../notifications/worker.ts";
import { yuanText } from "./evaluate.ts";

export async function handleExemptionGranted(ctx: AppContext, job: Job): Promise<void> {
  const id = job.payload.applicationId;
  if (typeof id !== "string") return;
  const a = await ctx.db
    .selectFrom("applications")
    .select(["id", "number", "enterprise_id", "measure_id", "granted_fen"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!a) return;
  if (!wantsInApp(await settingsFor(ctx.db, a.enterprise_id), "status")) return;
  const title = ctx.engine.byId.get(a.measure_id)?.def.title ?? "惠企政策";
  const amount = a.granted_fen === null ? "" : `，核定金额 ${yuanText(Number(a.granted_fen))}`;
  await notify(
    ctx.db,
    {
      enterpriseId: a.enterprise_id,
      kind: "exemption.granted",
      measureId: a.measure_id,
      title: `免申即享：您已获得「${title}」政策兑现`,
      body: `您已获得免申即享政策兑现：「${title}」${amount}（申报编号 ${a.number}），无需另行申报。请在「我的申报」中确认收款账户；公示期满后由区财政局兑付。`,
      dedupeKey: `exemption.granted:${a.id}`,
      link: `/applications/${a.id}`,
    },
    ctx.now(),
  );
}

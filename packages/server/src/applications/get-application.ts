/**
 * One application with its steps, form, status history, attachments (metadata) and disbursement. The
 * enterprise sees its own, including the payment result. Reads by department staff are audited (they read
 * an enterprise's data).
 */
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { authorize, canSeeApplication } from "../permissions.ts";
import { loadDetail } from "./present.ts";
import type { Detail } from "./schemas.ts";
import { scopeOf, toRow } from "./store.ts";

/** The application row, if this actor may read it; otherwise 404 (its existence is not revealed). */
export async function visibleApplication(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, "application.read");
  const r = await ctx.db
    .selectFrom("applications")
    .innerJoin("enterprises", "enterprises.id", "applications.enterprise_id")
    .selectAll("applications")
    .select("enterprises.region_code as enterprise_region")
    .where("applications.id", "=", id)
    .executeTakeFirst();
  if (!r || !canSeeApplication(actor, scopeOf(ctx, toRow(r), r.enterprise_region))) throw notFound("申报");
  return r;
}

export async function getApplication(
  ctx: AppContext,
  actor: Actor,
  id: string,
  replayed = false,
): Promise<Detail> {
  const r = await visibleApplication(ctx, actor, id);
  if (actor.role !== "enterprise")
    await ctx.db.transaction().execute((trx) =>
      appendAudit(trx, actor, {
        action: "application.read",
        entity: "application",
        entityId: id,
        after: { enterpriseId: r.enterprise_id },
      }),
    );
  return loadDetail(ctx.db, ctx, id, replayed);
}

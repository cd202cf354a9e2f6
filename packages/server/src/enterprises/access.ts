/**
 * Reading an enterprise's data: role gate, existence, scope (own enterprise, or staff of its district), and
 * the audit row every read by department staff or a coordinator leaves behind.
 */
import type { Selectable } from "kysely";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import type { EnterpriseTable } from "../db/schema.ts";
import { forbidden, notFound } from "../errors.ts";
import { type Action, authorize, canSeeEnterprise } from "../permissions.ts";

export type EnterpriseRow = Selectable<EnterpriseTable>;

export async function findEnterprise(ctx: AppContext, id: string): Promise<EnterpriseRow | undefined> {
  return ctx.db.selectFrom("enterprises").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Authorizes `action` on the enterprise and returns its row; 403 outside the actor's scope, 404 if absent. */
export async function enterpriseInScope(
  ctx: AppContext,
  actor: Actor,
  action: Action,
  id: string,
): Promise<EnterpriseRow> {
  authorize(actor, action);
  const e = await findEnterprise(ctx, id);
  if (!e) throw notFound("企业");
  if (!canSeeEnterprise(actor, e)) throw forbidden("无权查看或修改其他企业或其他区县企业的数据");
  return e;
}

/** Staff reads of an enterprise's data are audited (action "enterprise.read"); the enterprise's own are not. */
export async function auditRead(
  ctx: AppContext,
  actor: Actor,
  enterpriseId: string,
  what: object,
): Promise<void> {
  if (actor.role === "enterprise") return;
  await ctx.db.transaction().execute((trx) =>
    appendAudit(trx, actor, {
      action: "enterprise.read",
      entity: "enterprise",
      entityId: enterpriseId,
      after: what,
    }),
  );
}

/**
 * Form edits while the application is a draft or returned for correction (退回补正): applicant contact and
 * bank account, a statement, and optionally re-prefilling the facts from the current profile. Version + 1;
 * audited; not a status change, so no history row.
 */
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { authorize } from "../permissions.ts";
import { assess, judgingDate, measureOrThrow } from "./evaluate-for-application.ts";
import { localDate } from "./model.ts";
import { lockApplication, requireStatus, requireVersion } from "./store.ts";

export interface FormEdit {
  version: number;
  applicant?:
    | { contactName: string; contactPhone: string; bankName?: string; bankAccount?: string }
    | undefined;
  statement?: string | undefined;
  refreshFacts?: boolean | undefined;
}

export async function updateApplication(
  ctx: AppContext,
  actor: Actor,
  id: string,
  edit: FormEdit,
): Promise<void> {
  authorize(actor, "application.update");
  await ctx.db.transaction().execute(async (trx) => {
    const { row } = await lockApplication(trx, ctx, actor, id);
    requireStatus(row, ["draft", "returned"], "修改申报表");
    requireVersion(row, edit.version);
    const form = { ...row.form };
    if (edit.applicant) form.applicant = edit.applicant;
    if (edit.statement !== undefined) form.statement = edit.statement;
    let maxFen: number | null | undefined;
    if (edit.refreshFacts) {
      const m = measureOrThrow(ctx, row.measure_id);
      const a = await assess(trx, ctx, row.enterprise_id, m, judgingDate(m, localDate(ctx.now())));
      form.assessment = a;
      maxFen = a.amount?.max ?? null;
    }
    await trx
      .updateTable("applications")
      .set({
        form: JSON.stringify(form),
        version: row.version + 1,
        updated_at: ctx.now(),
        ...(maxFen !== undefined ? { max_fen: maxFen } : {}),
      })
      .where("id", "=", id)
      .execute();
    await appendAudit(trx, actor, {
      action: "application.update",
      entity: "application",
      entityId: id,
      before: { version: row.version, applicant: row.form.applicant ?? null },
      after: {
        version: row.version + 1,
        applicant: form.applicant ?? null,
        refreshFacts: Boolean(edit.refreshFacts),
      },
    });
  });
}

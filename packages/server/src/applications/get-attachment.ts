/**
 * Download one attachment (申报材料) of an application: whoever may read the application (the applicant,
 * the officers of its departments in its district, finance and the coordinator of the district) gets the
 * stored file with its content type. Reads by department staff are audited, like the detail.
 */
import { readFile } from "node:fs/promises";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { visibleApplication } from "./get-application.ts";

export async function getAttachment(
  ctx: AppContext,
  actor: Actor,
  applicationId: string,
  attachmentId: string,
): Promise<{ fileName: string; contentType: string; bytes: Buffer }> {
  const r = await visibleApplication(ctx, actor, applicationId);
  const a = await ctx.db
    .selectFrom("attachments")
    .select(["id", "file_name", "content_type", "path"])
    .where("id", "=", attachmentId)
    .where("application_id", "=", applicationId)
    .executeTakeFirst();
  if (!a) throw notFound("附件");
  let bytes: Buffer;
  try {
    bytes = await readFile(a.path);
  } catch {
    throw notFound("附件文件");
  }
  if (actor.role !== "enterprise")
    await ctx.db.transaction().execute((trx) =>
      appendAudit(trx, actor, {
        action: "application.attachment.read",
        entity: "application",
        entityId: applicationId,
        after: { enterpriseId: r.enterprise_id, attachmentId, fileName: a.file_name },
      }),
    );
  return { fileName: a.file_name, contentType: a.content_type, bytes };
}

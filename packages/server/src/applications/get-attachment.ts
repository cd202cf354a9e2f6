/**
 * Download one attachment (申报材料) of an application: whoever may read the application (the applicant,
 * the officers of its departments in its district, finance and the coordinator of the district) gets the
 * stored file with its content type. Reads by department staff are audited, like the detail.
 *
 * Preview (`inline`): only PDF, PNG and JPEG whose bytes start with their stored type's signature are shown in
 * the browser, with that type; everything else is always a download (files/upload.ts).
 */
import type { Actor, AppContext } from "../context.ts";
import { readAttachment, type StoredFile } from "../files/upload.ts";
import { visibleApplication } from "./get-application.ts";

export async function getAttachment(
  ctx: AppContext,
  actor: Actor,
  applicationId: string,
  attachmentId: string,
  inline = false,
): Promise<StoredFile> {
  const r = await visibleApplication(ctx, actor, applicationId);
  const a = await ctx.db
    .selectFrom("attachments")
    .select(["id", "file_name", "content_type", "path"])
    .where("id", "=", attachmentId)
    .where("application_id", "=", applicationId)
    .executeTakeFirst();
  return readAttachment(ctx.db, actor, a, inline, (f) => ({
    action: "application.attachment.read",
    entity: "application",
    entityId: applicationId,
    after: { enterpriseId: r.enterprise_id, attachmentId, fileName: f.fileName, preview: f.inline },
  }));
}

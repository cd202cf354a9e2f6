/**
 * Download one attachment (申报材料) of an application: whoever may read the application (the applicant,
 * the officers of its departments in its district, finance and the coordinator of the district) gets the
 * stored file with its content type. Reads by department staff are audited, like the detail.
 *
 * Preview (`inline`): only PDF, PNG and JPEG whose bytes start with their stored type's signature are shown in
 * the browser, with that type; everything else is always a download (a docx or xlsx cannot run in the page,
 * but neither can the browser show it).
 */
import { readFile } from "node:fs/promises";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { visibleApplication } from "./get-application.ts";
import { ALLOWED_TYPES } from "./schemas.ts";

/** Types a browser shows itself; previewed inline only when the file's first bytes agree. */
const PREVIEWABLE = ["application/pdf", "image/png", "image/jpeg"] as const;
export type PreviewType = (typeof PREVIEWABLE)[number];

/** The type to show this file inline as, from its content signature; null = download only. */
export function previewType(bytes: Buffer): PreviewType | null {
  for (const t of PREVIEWABLE) {
    const magic = ALLOWED_TYPES[t]?.magic ?? [];
    if (magic.length > 0 && bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b)) return t;
  }
  return null;
}

export async function getAttachment(
  ctx: AppContext,
  actor: Actor,
  applicationId: string,
  attachmentId: string,
  inline = false,
): Promise<{ fileName: string; contentType: string; bytes: Buffer; inline: boolean }> {
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
  // Inline only when the stored type and the file's own signature agree (uploads are checked the same way).
  const sniffed = inline ? previewType(bytes) : null;
  const shown = sniffed !== null && sniffed === a.content_type ? sniffed : null;
  if (actor.role !== "enterprise")
    await ctx.db.transaction().execute((trx) =>
      appendAudit(trx, actor, {
        action: "application.attachment.read",
        entity: "application",
        entityId: applicationId,
        after: {
          enterpriseId: r.enterprise_id,
          attachmentId,
          fileName: a.file_name,
          preview: shown !== null,
        },
      }),
    );
  return shown
    ? { fileName: a.file_name, contentType: shown, bytes, inline: true }
    : { fileName: a.file_name, contentType: a.content_type, bytes, inline: false };
}

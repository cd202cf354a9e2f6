/**
 * 诉求附件: files on a 企业吹哨 service request.
 *
 * Rules:
 * - Upload checks are the application attachments' (files/upload.ts): PDF, JPG, PNG, DOCX, XLSX; the
 *   extension and the content signature must agree with the declared type; at most config.maxAttachmentBytes.
 * - The enterprise that owns the request may attach while the request is not closed; an officer of the
 *   handling department (isHandler) may attach while it is accepted or reopened (e.g. a document with the
 *   reply). Anyone who cannot see the request gets 404; one who sees it but may not attach gets 409 naming
 *   the status (enterprise, handling officer) or 403 (the coordinator).
 * - At most MAX_REQUEST_ATTACHMENTS per request.
 * - Each attach is one transaction: the row (the request locked), a timeline event (kind "attach", text =
 *   the file name), the audit entry (service.attach). The file is written inside that transaction and removed
 *   if it does not commit.
 * - Stored under <dataDir>/attachments/service-requests/<requestId>/<attachmentId> (backup restore rewrites
 *   the paths, ops/backup.ts).
 * - Download: whoever can see the request (canSee); reads by staff are audited (service.attachment.read);
 *   inline preview only when the stored type and the content signature agree (files/upload.ts).
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { forbidden, invalid, notFound } from "../errors.ts";
import {
  checkUpload,
  readAttachment,
  type StoredFile,
  type UploadInput,
  withStoredFile,
} from "../files/upload.ts";
import { authorize } from "../permissions.ts";
import { addEvent, canSee, isHandler, lock, mayAttach, refuse } from "./service.ts";

export const MAX_REQUEST_ATTACHMENTS = 10;

/** Where a request's files live. */
export const requestFilesDir = (dataDir: string, requestId: string) =>
  join(dataDir, "attachments", "service-requests", requestId);

export async function attachToRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UploadInput,
): Promise<string> {
  authorize(actor, "service.read");
  const bytes = await checkUpload(input, ctx.config.maxAttachmentBytes);
  const attachmentId = randomUUID();
  const path = join(requestFilesDir(ctx.config.dataDir, id), attachmentId);
  await withStoredFile(ctx.db, path, bytes, async (trx, save) => {
    const r = await lock(trx, actor, id);
    if (!mayAttach(actor, r)) {
      const own = actor.role === "enterprise" && actor.enterpriseId === r.enterprise_id;
      if (own) refuse(r, "上传附件");
      if (isHandler(actor, r)) refuse(r, r.status === "submitted" ? "上传附件（请先报到受理）" : "上传附件");
      throw forbidden("只有提出诉求的企业或责任部门可以上传附件");
    }
    const count = await trx
      .selectFrom("service_request_attachments")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("request_id", "=", id)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_REQUEST_ATTACHMENTS)
      throw invalid("fileName", `每件诉求最多 ${MAX_REQUEST_ATTACHMENTS} 个附件`);
    const now = ctx.now();
    await save();
    await trx
      .insertInto("service_request_attachments")
      .values({
        id: attachmentId,
        request_id: id,
        file_name: input.fileName,
        content_type: input.contentType,
        size: bytes.length,
        path,
        uploaded_by: actor.id,
        uploader_role: actor.role === "enterprise" ? "enterprise" : "officer",
        created_at: now,
      })
      .execute();
    await addEvent(trx, actor, id, "attach", input.fileName, now);
    await appendAudit(trx, actor, {
      action: "service.attach",
      entity: "service_request",
      entityId: id,
      after: { attachmentId, fileName: input.fileName, contentType: input.contentType, size: bytes.length },
    });
  });
  return attachmentId;
}

export async function getRequestAttachment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  attachmentId: string,
  inline = false,
): Promise<StoredFile> {
  authorize(actor, "service.read");
  const r = await ctx.db
    .selectFrom("service_requests")
    .select(["enterprise_id", "region_code", "department"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!r || !canSee(actor, r)) throw notFound("诉求");
  const a = await ctx.db
    .selectFrom("service_request_attachments")
    .select(["file_name", "content_type", "path"])
    .where("id", "=", attachmentId)
    .where("request_id", "=", id)
    .executeTakeFirst();
  return readAttachment(ctx.db, actor, a, inline, (f) => ({
    action: "service.attachment.read",
    entity: "service_request",
    entityId: id,
    after: { enterpriseId: r.enterprise_id, attachmentId, fileName: f.fileName, preview: f.inline },
  }));
}

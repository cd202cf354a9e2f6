/**
 * Attachments (申报材料): the upload checks (type, extension, size, content signature) and the
 * write-then-insert storage are shared (files/upload.ts). At most 20 per application. Stored under
 * <dataDir>/attachments/<applicationId>/<uuid>; only the enterprise adds them, while draft or returned.
 * Adding a file does not change the application's version (attachments are their own rows).
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { invalid } from "../errors.ts";
import { checkUpload, type UploadInput, withStoredFile } from "../files/upload.ts";
import { authorize } from "../permissions.ts";
import { lockApplication, requireStatus } from "./store.ts";

export const MAX_ATTACHMENTS = 20;

export async function addAttachment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UploadInput,
): Promise<string> {
  authorize(actor, "application.update");
  const bytes = await checkUpload(input, ctx.config.maxAttachmentBytes);
  const attachmentId = randomUUID();
  const path = join(ctx.config.dataDir, "attachments", id, attachmentId);
  await withStoredFile(ctx.db, path, bytes, async (trx, save) => {
    const { row } = await lockApplication(trx, ctx, actor, id);
    requireStatus(row, ["draft", "returned"], "上传附件");
    const count = await trx
      .selectFrom("attachments")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("application_id", "=", id)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_ATTACHMENTS)
      throw invalid("fileName", `每份申报最多 ${MAX_ATTACHMENTS} 个附件`);
    await save();
    await trx
      .insertInto("attachments")
      .values({
        id: attachmentId,
        application_id: id,
        file_name: input.fileName,
        content_type: input.contentType,
        size: bytes.length,
        path,
        created_at: ctx.now(),
      })
      .execute();
    await appendAudit(trx, actor, {
      action: "application.attach",
      entity: "application",
      entityId: id,
      after: { attachmentId, fileName: input.fileName, contentType: input.contentType, size: bytes.length },
    });
  });
  return attachmentId;
}

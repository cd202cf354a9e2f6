/**
 * Attachments (申报材料): JSON {fileName, contentType, contentBase64} — no multipart plugin is installed.
 * Allowed: PDF, JPG, PNG, DOCX, XLSX; the file's extension and first bytes must agree with the declared
 * type; at most config.maxAttachmentBytes decoded, at most 20 per application. Stored under
 * <dataDir>/attachments/<applicationId>/<uuid>; only the enterprise adds them, while draft or returned.
 * Adding a file does not change the application's version (attachments are their own rows).
 */
import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { AppError, invalid } from "../errors.ts";
import { authorize } from "../permissions.ts";
import { ALLOWED_TYPES } from "./schemas.ts";
import { lockApplication, requireStatus } from "./store.ts";

export const MAX_ATTACHMENTS = 20;

export async function addAttachment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { fileName: string; contentType: string; contentBase64: string },
): Promise<string> {
  authorize(actor, "application.update");
  const type = ALLOWED_TYPES[input.contentType];
  if (!type) throw invalid("contentType", "只接受 PDF、JPG、PNG、DOCX、XLSX 文件");
  const ext = input.fileName.toLowerCase().split(".").pop() ?? "";
  if (!input.fileName.includes(".") || !type.ext.includes(ext))
    throw invalid(
      "fileName",
      `扩展名应为 ${type.ext.map((e) => `.${e}`).join(" 或 ")}（与 contentType 一致）`,
    );
  const bytes = Buffer.from(input.contentBase64, "base64");
  if (bytes.length > ctx.config.maxAttachmentBytes)
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `附件过大：${bytes.length} 字节，上限 ${ctx.config.maxAttachmentBytes} 字节`,
      [{ field: "contentBase64", message: "文件过大" }],
    );
  if (bytes.length < type.magic.length || type.magic.some((b, i) => bytes[i] !== b))
    throw invalid("contentBase64", "文件内容与所声明的类型不符");

  const attachmentId = randomUUID();
  const dir = join(ctx.config.dataDir, "attachments", id);
  const path = join(dir, attachmentId);
  let written = false;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const { row } = await lockApplication(trx, ctx, actor, id);
      requireStatus(row, ["draft", "returned"], "上传附件");
      const count = await trx
        .selectFrom("attachments")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("application_id", "=", id)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= MAX_ATTACHMENTS)
        throw invalid("fileName", `每份申报最多 ${MAX_ATTACHMENTS} 个附件`);
      await mkdir(dir, { recursive: true });
      await writeFile(path, bytes, { flag: "wx" });
      written = true;
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
  } catch (e) {
    // The transaction did not commit: no row points at the file, so remove it.
    if (written) await rm(path, { force: true });
    throw e;
  }
  return attachmentId;
}

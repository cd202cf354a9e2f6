/**
 * Attachments (申报材料): JSON {fileName, contentType, contentBase64} — no multipart plugin is installed.
 * Allowed: PDF, JPG, PNG, DOCX, XLSX; the file's extension must agree with the declared type, and so must
 * its content, recognised by its full signature with file-type (docx and xlsx are zip containers: file-type
 * reads the zip's entries, so a renamed zip or a PDF declared as an image is refused, 400 naming the file,
 * the declared and the detected type); at most config.maxAttachmentBytes decoded, at most 20 per
 * application. Stored under <dataDir>/attachments/<applicationId>/<uuid>; only the enterprise adds them,
 * while draft or returned. Adding a file does not change the application's version (attachments are
 * their own rows).
 */
import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileTypeFromBuffer } from "file-type";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { AppError, invalid } from "../errors.ts";
import { authorize } from "../permissions.ts";
import { ALLOWED_TYPES } from "./schemas.ts";
import { lockApplication, requireStatus } from "./store.ts";

export const MAX_ATTACHMENTS = 20;

const TYPE_NAMES: Record<string, string> = {
  "application/pdf": "PDF 文件",
  "image/jpeg": "JPG 图片",
  "image/png": "PNG 图片",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档（docx）",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel 表格（xlsx）",
};

function typeName(mime: string, ext?: string): string {
  return `${TYPE_NAMES[mime] ?? `${(ext ?? "").toUpperCase()} 文件`}（${mime}）`;
}

/** The content's type, from its full signature; it must be the declared one. */
async function requireContentType(fileName: string, declared: string, bytes: Buffer): Promise<void> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected?.mime === declared) return;
  const was = detected
    ? `内容是${typeName(detected.mime, detected.ext)}`
    : "内容无法识别为任何允许的文件类型（如纯文本）";
  const message = `附件「${fileName}」声明为${typeName(declared)}，但${was}`;
  throw new AppError("VALIDATION", message, [{ field: "contentBase64", message }]);
}

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
  await requireContentType(input.fileName, input.contentType, bytes);

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

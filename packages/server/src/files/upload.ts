/**
 * Uploaded files (申报材料, 诉求附件): the one place that decides whether a file is accepted, how it is
 * stored, and how it is sent back. Used by applications/add-attachment.ts, get-attachment.ts and
 * services/attachments.ts.
 *
 * Upload: JSON {fileName, contentType, contentBase64} — no multipart plugin is installed. Allowed: PDF, JPG,
 * PNG, DOCX, XLSX; the file's extension must agree with the declared type, and so must its content,
 * recognised by its full signature with file-type (docx and xlsx are zip containers: file-type reads the
 * zip's entries, so a renamed zip or a PDF declared as an image is refused, 400 naming the file, the
 * declared and the detected type); at most config.maxAttachmentBytes decoded.
 *
 * Storage: the file is written inside the transaction that inserts its row (after the caller's checks),
 * and removed again if that transaction does not commit, so no row points at a missing file and no file
 * is left without a row.
 *
 * Download: the stored type and name; preview (`inline`) only for PDF, PNG and JPEG whose bytes start with
 * their stored type's signature — everything else is always a download (a docx or xlsx cannot run in the
 * page, but neither can the browser show it).
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { FastifyReply } from "fastify";
import { fileTypeFromBuffer } from "file-type";
import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import { type AuditEntry, appendAudit } from "../audit/audit-log.ts";
import type { Actor } from "../context.ts";
import type { Database } from "../db/schema.ts";
import { AppError, invalid, notFound } from "../errors.ts";
import { MAX_BASE64_CHARS } from "../http/limits.ts";
import { Text } from "../http/schemas.ts";
import { INLINE_ATTACHMENT_CSP } from "../security-headers.ts";

export const ALLOWED_TYPES: Record<string, { ext: string[]; magic: number[] }> = {
  "application/pdf": { ext: ["pdf"], magic: [0x25, 0x50, 0x44, 0x46] },
  "image/jpeg": { ext: ["jpg", "jpeg"], magic: [0xff, 0xd8, 0xff] },
  "image/png": { ext: ["png"], magic: [0x89, 0x50, 0x4e, 0x47] },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
    ext: ["docx"],
    magic: [0x50, 0x4b, 0x03, 0x04],
  },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
    ext: ["xlsx"],
    magic: [0x50, 0x4b, 0x03, 0x04],
  },
};

export const UploadBody = z.object({
  fileName: Text(200, { type: "fileName 应为文件名", tooLong: "文件名最多 200 字" })
    .trim()
    .min(1, { error: "请填写文件名" })
    .max(200, { error: "文件名最多 200 字" })
    .refine((v) => !/[\\/]/.test(v) && !v.includes("\0"), { error: "文件名不能含路径分隔符或空字符" }),
  contentType: z.enum(Object.keys(ALLOWED_TYPES) as [string, ...string[]], {
    error: "只接受 PDF、JPG、PNG、DOCX、XLSX 文件",
  }),
  contentBase64: Text(MAX_BASE64_CHARS, { type: "contentBase64 应为 Base64 编码的文件内容" })
    .min(4, { error: "文件内容为空" })
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: "不是有效的 Base64" }),
});

export type UploadInput = { fileName: string; contentType: string; contentBase64: string };

export const FileParams = z.object({
  id: z.uuid({ error: "应为 UUID" }),
  attachmentId: z.uuid({ error: "attachmentId 应为附件 UUID" }),
});

export const FileQuery = z.object({
  inline: z
    .enum(["1", "0", "true", "false"], { error: "inline 应为 1（预览）或 0（下载）" })
    .optional()
    .meta({
      description: "1：PDF、PNG、JPG 在浏览器中预览（Content-Disposition: inline）；其他类型及缺省为下载",
    }),
});

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

/** Type, extension, size and content signature; answers the decoded bytes. Refusals name the field. */
export async function checkUpload(input: UploadInput, maxBytes: number): Promise<Buffer> {
  const type = ALLOWED_TYPES[input.contentType];
  if (!type) throw invalid("contentType", "只接受 PDF、JPG、PNG、DOCX、XLSX 文件");
  const ext = input.fileName.toLowerCase().split(".").pop() ?? "";
  if (!input.fileName.includes(".") || !type.ext.includes(ext))
    throw invalid(
      "fileName",
      `扩展名应为 ${type.ext.map((e) => `.${e}`).join(" 或 ")}（与 contentType 一致）`,
    );
  const bytes = Buffer.from(input.contentBase64, "base64");
  if (bytes.length > maxBytes)
    throw new AppError("PAYLOAD_TOO_LARGE", `附件过大：${bytes.length} 字节，上限 ${maxBytes} 字节`, [
      { field: "contentBase64", message: "文件过大" },
    ]);
  await requireContentType(input.fileName, input.contentType, bytes);
  return bytes;
}

/**
 * Runs `work` in one transaction; `work` calls `save()` after its checks and before inserting the row, which
 * writes `bytes` to `path` (never over an existing file). If the transaction does not commit, the file is
 * removed.
 */
export async function withStoredFile<T>(
  db: Kysely<Database>,
  path: string,
  bytes: Buffer,
  work: (trx: Transaction<Database>, save: () => Promise<void>) => Promise<T>,
): Promise<T> {
  let written = false;
  const save = async () => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes, { flag: "wx" });
    written = true;
  };
  try {
    return await db.transaction().execute((trx) => work(trx, save));
  } catch (e) {
    // The transaction did not commit: no row points at the file, so remove it.
    if (written) await rm(path, { force: true });
    throw e;
  }
}

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

export interface StoredFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  inline: boolean;
}

/**
 * Reads a stored file for download; inline only when asked and the stored type and the file's own
 * signature agree (uploads are checked the same way). A missing file is 404.
 */
export async function readStoredFile(
  row: { file_name: string; content_type: string; path: string },
  inline: boolean,
): Promise<StoredFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(row.path);
  } catch {
    throw notFound("附件文件");
  }
  const sniffed = inline ? previewType(bytes) : null;
  const shown = sniffed !== null && sniffed === row.content_type ? sniffed : null;
  return shown
    ? { fileName: row.file_name, contentType: shown, bytes, inline: true }
    : { fileName: row.file_name, contentType: row.content_type, bytes, inline: false };
}

/**
 * One attachment row's file for `actor` (the caller has checked that the actor may see its owner): a missing
 * row or file is 404; reads by staff (anyone but an enterprise) are audited with the entry `audit` gives.
 */
export async function readAttachment(
  db: Kysely<Database>,
  actor: Actor,
  row: { file_name: string; content_type: string; path: string } | undefined,
  inline: boolean,
  audit: (f: StoredFile) => AuditEntry,
): Promise<StoredFile> {
  if (!row) throw notFound("附件");
  const f = await readStoredFile(row, inline);
  if (actor.role !== "enterprise") await db.transaction().execute((trx) => appendAudit(trx, actor, audit(f)));
  return f;
}

/** Whether the query asks for a preview (?inline=1 or true). */
export const wantsInline = (q: z.infer<typeof FileQuery>) => q.inline === "1" || q.inline === "true";

/** Sends a stored file: its type, nosniff, Content-Disposition with the UTF-8 name (RFC 5987). */
export function sendStoredFile(reply: FastifyReply, f: StoredFile) {
  const ascii = f.fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  if (f.inline)
    // Shown in a preview (a PDF in a same-origin frame): this response alone may be framed by our own
    // pages, and may itself load nothing.
    reply
      .header("content-security-policy", INLINE_ATTACHMENT_CSP)
      .header("x-frame-options", "SAMEORIGIN")
      .header("cache-control", "private, no-store");
  return reply
    .header("content-type", f.contentType)
    .header("x-content-type-options", "nosniff")
    .header(
      "content-disposition",
      `${f.inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
    )
    .send(f.bytes);
}

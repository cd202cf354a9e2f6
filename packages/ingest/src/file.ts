/**
 * File decoding: plain text, Word (.docx, via mammoth) and PDF (via unpdf), dispatched on magic bytes and
 * extension. Kept apart from the pure text → draft core.
 */
import { ingestText } from "./index.ts";
import type { IngestOptions, IngestResult } from "./types.ts";

export class IngestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IngestError";
  }
}

export type FileKind = "text" | "docx" | "pdf";

export function detectKind(bytes: Uint8Array, fileName: string): FileKind {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? "";
  const head = String.fromCharCode(...bytes.subarray(0, 5));
  if (head === "%PDF-") return "pdf";
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    if (ext === "docx" || ext === "" || ext === "zip") return "docx";
    throw new IngestError(
      `不支持的文件类型：${fileName}（压缩包或 Office 文件，目前只支持 .docx、.pdf、.txt）`,
    );
  }
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0)
    throw new IngestError(`不支持旧版 Word（.doc）文件：${fileName}，请另存为 .docx 或 PDF 后再导入`);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16 || ["txt", "text", "md", ""].includes(ext) || looksLikeText(bytes)) return "text";
  throw new IngestError(`不支持的文件类型：${fileName}（目前只支持 .txt、.docx、.pdf）`);
}

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 4096);
  if (sample.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, Math.max(0, sample.length - 4)));
    return true;
  } catch {
    return false;
  }
}

function decodeText(bytes: Uint8Array, fileName: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    try {
      return new TextDecoder("gb18030", { fatal: true }).decode(bytes);
    } catch {
      throw new IngestError(`无法读取文本文件 ${fileName}：既不是 UTF-8 也不是 GB18030 编码`);
    }
  }
}

export async function fileToText(data: Uint8Array | ArrayBuffer, fileName: string): Promise<string> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length === 0) throw new IngestError(`文件是空的：${fileName}`);
  const kind = detectKind(bytes, fileName);
  if (kind === "text") return decodeText(bytes, fileName);
  if (kind === "docx") {
    try {
      const mammoth = (await import("mammoth")).default;
      // mammoth takes a Buffer in Node and an ArrayBuffer in its browser build.
      const NodeBuffer = (globalThis as { Buffer?: { from(b: Uint8Array): Uint8Array } }).Buffer;
      const input = NodeBuffer
        ? { buffer: NodeBuffer.from(bytes) }
        : { arrayBuffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) };
      const r = await mammoth.extractRawText(input as Parameters<typeof mammoth.extractRawText>[0]);
      return r.value;
    } catch (e) {
      throw new IngestError(`无法读取 Word 文件 ${fileName}：${(e as Error).message}`);
    }
  }
  try {
    const { extractText, getDocumentProxy } = await import("unpdf");
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const { text } = await extractText(pdf, { mergePages: false });
    // Pages are separated by a form feed, which the cleaner reads as a page break.
    return (text as string[]).join("\n\f\n");
  } catch (e) {
    throw new IngestError(`无法读取 PDF 文件 ${fileName}：${(e as Error).message}`);
  }
}

export async function ingestFile(
  data: Uint8Array | ArrayBuffer,
  fileName: string,
  options: Omit<IngestOptions, "fileName"> = {},
): Promise<IngestResult> {
  const text = await fileToText(data, fileName);
  if (!text.trim())
    throw new IngestError(`文件中没有可提取的文字：${fileName}（可能是扫描件，需要先做文字识别）`);
  return ingestText(text, { ...options, fileName });
}

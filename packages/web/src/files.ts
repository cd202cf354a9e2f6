/** Uploading files to the API (申报材料, 诉求附件): the accepted types and reading a file as Base64. */

/** The content types the server accepts (files/upload.ts ALLOWED_TYPES). */
export type UploadContentType =
  | "application/pdf"
  | "image/jpeg"
  | "image/png"
  | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
  | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** File extension → the content type sent with it. */
export const UPLOAD_TYPES: Record<string, UploadContentType> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** The file picker's `accept`. */
export const UPLOAD_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx";

/** The content type for a file name by its extension; undefined when the type is not accepted. */
export function uploadContentType(fileName: string): UploadContentType | undefined {
  return UPLOAD_TYPES[fileName.split(".").pop()?.toLowerCase() ?? ""];
}

/** The file's bytes as Base64 (without the data: URL prefix). */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(new Error("读取文件失败"));
    r.readAsDataURL(file);
  });
}

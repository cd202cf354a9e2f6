/**
 * Rows of an uploaded table, streamed: the first sheet of an .xlsx (exceljs streaming reader, cell by
 * cell, never the whole workbook model) or a .csv in UTF-8 (with or without BOM), UTF-16 (with BOM) or
 * GB18030 (common in government exports; decoded with Node's TextDecoder). The first non-empty row is the
 * header; each later row maps header → text. Dates become YYYY-MM-DD, numbers their shortest decimal text.
 */
import { Readable } from "node:stream";
import ExcelJS from "exceljs";

export interface TableRow {
  /** 1-based row number in the file (the header is row 1 when the file starts with it). */
  row: number;
  cells: Map<string, string>;
}

export class TableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TableError";
  }
}

/** Header text as compared: no blanks, full-width brackets as ASCII ones. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/\s+/g, "")
    .replace(/（/g, "(")
    .replace(/）/g, ")")
    .replace(/^\uFEFF/, "");
}

export function tableFormat(fileName: string): "xlsx" | "csv" | null {
  const ext = fileName.toLowerCase().split(".").pop() ?? "";
  return ext === "xlsx" ? "xlsx" : ext === "csv" ? "csv" : null;
}

export async function* readTable(bytes: Uint8Array, fileName: string): AsyncGenerator<TableRow> {
  const format = tableFormat(fileName);
  if (format === "xlsx") yield* withHeader(xlsxRows(bytes));
  else if (format === "csv") yield* withHeader(csvRows(decodeText(bytes)));
  else throw new TableError(`只能导入 .xlsx 或 .csv 文件，「${fileName}」不是`);
}

async function* withHeader(rows: AsyncIterable<[number, string[]]> | Iterable<[number, string[]]>) {
  let header: string[] | undefined;
  for await (const [row, values] of rows) {
    if (values.every((v) => v.trim() === "")) continue;
    if (!header) {
      header = values.map(normalizeHeader);
      continue;
    }
    const cells = new Map<string, string>();
    header.forEach((h, i) => {
      if (h) cells.set(h, (values[i] ?? "").trim());
    });
    yield { row, cells };
  }
  if (!header) throw new TableError("文件是空的：没有表头行");
}

/** CSV bytes → text: BOM decides; else strict UTF-8, falling back to GB18030. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder("utf-8").decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF or LF, newlines inside quotes); comma or tab separated. */
export function* csvRows(text: string): Generator<[number, string[]]> {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = !firstLine.includes(",") && firstLine.includes("\t") ? "\t" : ",";
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowStart = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === sep) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      yield [rowStart, row];
      row = [];
      field = "";
      line++;
      rowStart = line;
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    yield [rowStart, row];
  }
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** A cell's value as text (exceljs value shapes: rich text, formula results, hyperlinks, dates, booleans). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date)
    return Number.isNaN(v.getTime())
      ? ""
      : `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "是" : "否";
  if (typeof v === "string") return v;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText))
      return o.richText.map((r: { text?: unknown }) => String(r.text ?? "")).join("");
    if ("result" in o) return cellText(o.result);
    if ("text" in o) return cellText(o.text);
    if ("error" in o) return "";
  }
  return String(v);
}

async function* xlsxRows(bytes: Uint8Array): AsyncGenerator<[number, string[]]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = Array.isArray(row.values) ? (row.values as unknown[]).slice(1) : [];
        yield [row.number, Array.from(values, cellText)];
      }
      return; // the first sheet only
    }
  } catch (e) {
    if (e instanceof TableError) throw e;
    throw new TableError("无法读取 Excel 文件（请确认是 .xlsx 格式，而不是改了扩展名的 .xls 或其他文件）");
  }
}

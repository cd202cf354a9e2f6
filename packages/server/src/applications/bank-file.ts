/**
 * Bank result files (银行回单／支付结果文件) as rows: .csv (UTF-8 with or without BOM, or GBK as many bank
 * systems export) or .xlsx (first worksheet). The header row is found among the first ten rows by its Chinese
 * (or English) column names; cells are normalised to strings, numbers or dates.
 */
import ExcelJS from "exceljs";
import { invalid } from "../errors.ts";

export type Column = "batchRef" | "applicationId" | "payee" | "amount" | "status" | "date" | "reason";
export type Cell = string | number | Date | null;
export interface BankRow {
  /** 1-based row number in the file, header included. */
  row: number;
  cells: Partial<Record<Column, Cell>>;
}

export const MAX_ROWS = 5000;

/** Header text → column. Order matters: the first rule whose words occur in the header wins. */
const HEADER_RULES: [Column, string[]][] = [
  ["batchRef", ["批次", "batch"]],
  ["applicationId", ["申报编号", "申报id", "申报号", "业务编号", "application"]],
  ["reason", ["原因", "备注", "说明", "reason", "remark"]],
  ["amount", ["金额", "amount"]],
  ["status", ["状态", "结果", "status", "result"]],
  ["date", ["日期", "时间", "date"]],
  ["payee", ["收款", "户名", "企业", "单位", "payee", "name"]],
];

function columnOf(header: string): Column | null {
  const h = header.replace(/\s+/g, "").toLowerCase();
  if (!h) return null;
  for (const [col, words] of HEADER_RULES) if (words.some((w) => h.includes(w))) return col;
  return null;
}

function decodeText(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("gbk").decode(bytes);
  }
  return text.replace(/^\uFEFF/, "");
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF); also accepts tab-separated text. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const sep = !firstLine.includes(",") && firstLine.includes("\t") ? "\t" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function xlsxCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number") return v;
  if (typeof v === "boolean") return String(v);
  if (v instanceof Date) return v;
  if (typeof v === "object") {
    if ("result" in v) return xlsxCell(v.result as ExcelJS.CellValue);
    if ("richText" in v) return v.richText.map((t) => t.text).join("");
    if ("text" in v) return String(v.text);
  }
  return null;
}

async function readXlsx(bytes: Buffer): Promise<Cell[][]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw invalid("contentBase64", "不是有效的 xlsx 文件，无法读取");
  }
  const ws = wb.worksheets[0];
  if (!ws) throw invalid("contentBase64", "xlsx 文件中没有工作表");
  const out: Cell[][] = [];
  ws.eachRow({ includeEmpty: true }, (r, n) => {
    const cells: Cell[] = [];
    r.eachCell({ includeEmpty: true }, (c, col) => {
      cells[col - 1] = xlsxCell(c.value);
    });
    out[n - 1] = Array.from(cells, (c) => c ?? null);
  });
  return Array.from(out, (r) => r ?? []);
}

export async function readBankFile(fileName: string, bytes: Buffer): Promise<BankRow[]> {
  const grid: Cell[][] = /\.xlsx$/i.test(fileName)
    ? await readXlsx(bytes)
    : parseCsv(decodeText(bytes)).map((r) => r.map((c) => (c.trim() === "" ? null : c.trim())));
  let headerAt = -1;
  let columns: (Column | null)[] = [];
  for (let i = 0; i < Math.min(grid.length, 10); i++) {
    const cols = (grid[i] ?? []).map((c) => (typeof c === "string" ? columnOf(c) : null));
    if (cols.includes("amount") && cols.includes("status")) {
      headerAt = i;
      columns = cols;
      break;
    }
  }
  if (headerAt < 0)
    throw invalid(
      "contentBase64",
      "找不到表头：文件应有“批次号”（或“申报编号”）、“金额”、“状态”、“日期”、“原因”等列",
    );
  if (!columns.includes("batchRef") && !columns.includes("applicationId"))
    throw invalid("contentBase64", "表头中没有“批次号”或“申报编号”列，无法对应兑付");
  const rows: BankRow[] = [];
  for (let i = headerAt + 1; i < grid.length; i++) {
    const line = grid[i] ?? [];
    if (line.every((c) => c === null || (typeof c === "string" && c.trim() === ""))) continue;
    const cells: BankRow["cells"] = {};
    columns.forEach((col, k) => {
      if (col && cells[col] === undefined) cells[col] = line[k] ?? null;
    });
    rows.push({ row: i + 1, cells });
  }
  if (rows.length > MAX_ROWS) throw invalid("contentBase64", `文件最多 ${MAX_ROWS} 行数据`);
  return rows;
}

/** "1,234.56" / "¥1234.5" / 1234.56 → 123456 分; null when not an amount. */
export function fenOf(v: Cell): number | null {
  if (v === null || v instanceof Date) return null;
  if (typeof v === "number") return Number.isFinite(v) && v > 0 ? Math.round(v * 100) : null;
  const s = v.replace(/[\s,，¥￥元]/g, "");
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(fen) && fen > 0 ? fen : null;
}

export function statusOf(v: Cell): "paid" | "failed" | null {
  if (v === null || v instanceof Date) return null;
  const s = String(v).trim().toLowerCase();
  if (/失败|退|未到账|fail|error|^f$/.test(s)) return "failed";
  if (/成功|到账|已支付|已付|paid|success|^s$|^ok$/.test(s)) return "paid";
  return null;
}

function realDate(y: number, m: number, d: number): string | null {
  const iso = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(iso) ? iso : null;
}

/** A Date (xlsx date cell, UTC), an Excel serial number, or text like 2026-03-10, 2026/3/10, 20260310, 2026年3月10日. */
export function dateOf(v: Cell): string | null {
  if (v === null) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === "number") {
    if (v > 19000101 && v < 21000101)
      return realDate(Math.floor(v / 10000), Math.floor(v / 100) % 100, v % 100);
    if (v > 20000 && v < 80000)
      return new Date(Date.UTC(1899, 11, 30) + Math.floor(v) * 86_400_000).toISOString().slice(0, 10);
    return null;
  }
  const s = v.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  return m ? realDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

export function textOf(v: Cell): string | null {
  if (v === null) return null;
  const s = (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)).trim();
  return s === "" ? null : s;
}

import ExcelJS from "exceljs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeGb18030 } from "../../../../examples/imports/generate.ts";
import { csvRows, decodeText, readTable, TableError } from "./table.ts";

async function collect(bytes: Uint8Array, name: string) {
  const out: { row: number; cells: Record<string, string> }[] = [];
  for await (const r of readTable(bytes, name)) out.push({ row: r.row, cells: Object.fromEntries(r.cells) });
  return out;
}

function csvText(rows: string[][]): string {
  return rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(",")).join("\r\n");
}

describe("readTable", () => {
  it("reads CSV in UTF-8 with BOM, UTF-8 without, and GB18030, with Chinese headers", async () => {
    const text =
      "统一社会信用代码,企业名称,营业收入（万元）\n91500113MA6001000L,重庆鱼洞汽车零部件有限公司,123.456789\n";
    const expected = [
      {
        row: 2,
        cells: {
          统一社会信用代码: "91500113MA6001000L",
          企业名称: "重庆鱼洞汽车零部件有限公司",
          "营业收入(万元)": "123.456789",
        },
      },
    ];
    const utf8 = new TextEncoder().encode(text);
    expect(await collect(utf8, "a.csv")).toEqual(expected);
    expect(await collect(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]), "a.CSV")).toEqual(expected);
    const gb = encodeGb18030(text);
    expect(decodeText(gb)).toBe(text);
    expect(await collect(gb, "a.csv")).toEqual(expected);
  });

  it("round-trips any quoted CSV cells (commas, quotes, newlines)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 2 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (rows) => {
          expect([...csvRows(csvText(rows))].map(([, r]) => r)).toEqual(rows);
        },
      ),
    );
  });

  it("reads the first sheet of an xlsx, dates as YYYY-MM-DD and numbers as written, skipping blank rows", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("名单");
    ws.addRow(["统一社会信用代码", "认定日期", "金额（元）"]);
    ws.addRow([]);
    ws.addRow(["91500113MA6001000L", new Date(Date.UTC(2024, 2, 5)), 1234.5]);
    wb.addWorksheet("其他").addRow(["x"]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(await collect(bytes, "名单.xlsx")).toEqual([
      {
        row: 3,
        cells: { 统一社会信用代码: "91500113MA6001000L", 认定日期: "2024-03-05", "金额(元)": "1234.5" },
      },
    ]);
  });

  it("refuses other file types and files that are not xlsx", async () => {
    await expect(collect(new Uint8Array([1, 2]), "a.xls")).rejects.toThrow(TableError);
    await expect(collect(new TextEncoder().encode("not a zip"), "a.xlsx")).rejects.toThrow(/Excel/);
  });
});

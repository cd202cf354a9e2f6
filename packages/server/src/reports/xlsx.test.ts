import { yuanToFen } from "@huiqi/engine";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { QuarterlyReport, ReportCounts } from "./quarterly-report.ts";
import { reportWorkbook, yuanCell } from "./xlsx.ts";

function counts(grantedFen: number, paidFen: number): ReportCounts {
  return {
    received: 1,
    inReview: 0,
    approved: 1,
    rejected: 0,
    returned: 0,
    grantedFen,
    paidFen,
    enterprisesBenefited: 1,
  };
}

const report: QuarterlyReport = {
  year: 2026,
  quarter: 2,
  from: "2026-04-01",
  to: "2026-06-30",
  timeZone: "Asia/Shanghai",
  regionCode: null,
  department: null,
  departments: [
    {
      department: "economy-it",
      departmentName: "区经济信息委",
      ...counts(16_672_141_667, 5_475_000),
      measures: [
        { measureId: "m/1", title: "甲", docNumber: "文1", ...counts(5_470_000, 5_475_000) },
        { measureId: "m/2", title: "乙", docNumber: "文2", ...counts(16_666_666_667, 0) },
      ],
    },
  ],
  totals: counts(16_672_141_667, 5_475_000),
};

async function rows(): Promise<Map<string, ExcelJS.Row>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await reportWorkbook(report)) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet("2026年第2季度");
  if (!ws) throw new Error("工作表缺失");
  const out = new Map<string, ExcelJS.Row>();
  ws.eachRow((row) => out.set(String(row.getCell(4).value), row));
  return out;
}

describe("quarterly report workbook money", () => {
  it("keeps 54,700.00元 and 54,750.00元 apart, as exact 元 shown with two decimals and separators", async () => {
    const r = await rows();
    const m1 = r.get("甲");
    expect(m1?.getCell(10).value).toBe(54700);
    expect(m1?.getCell(11).value).toBe(54750);
    expect(m1?.getCell(10).numFmt).toBe("#,##0.00");
    expect(m1?.getCell(11).numFmt).toBe("#,##0.00");
    expect(r.get("乙")?.getCell(10).value).toBe(166666666.67);
    expect(r.get("全部牵头单位")?.getCell(10).value).toBe(166721416.67);
  });

  it("writes every amount below 10万亿元 as a number whose decimal text is the exact amount", () => {
    for (const fen of [1, 7, 5_475_000, 16_666_666_667, 999_999_999_999_999]) {
      const cell = yuanCell(fen);
      expect(typeof cell).toBe("number");
      expect(yuanToFen(cell as number)).toBe(fen);
    }
    // Beyond 15 significant digits a double could not keep every 分: exact text instead of a rounded number.
    expect(yuanCell(1_000_000_000_000_001)).toBe("10,000,000,000,000.01元");
  });
});

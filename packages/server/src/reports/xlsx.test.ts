import { yuanToFen } from "@huiqi/engine";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { indicators } from "./indicators.ts";
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

const economyIt = indicators(
  [
    { applicationId: "a", measureId: "m/1", grantedFen: 5_470_000, paidFen: 5_470_000 },
    { applicationId: "b", measureId: "m/2", grantedFen: 16_666_666_667, paidFen: 0 },
  ],
  [{ measureId: "m/1", from: new Date("2026-04-01T02:00:00Z"), to: new Date("2026-04-15T02:00:00Z") }],
  [],
  [
    { measureId: "m/1", score: 5 },
    { measureId: "m/1", score: 4 },
  ],
);

const report: QuarterlyReport = {
  year: 2026,
  quarter: 2,
  from: "2026-04-01",
  to: "2026-06-30",
  timeZone: "Asia/Shanghai",
  regionCode: "500113",
  regionName: "巴南区",
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
      indicators: economyIt,
    },
  ],
  totals: counts(16_672_141_667, 5_475_000),
  overall: economyIt,
  budgets: [
    {
      measureId: "m/1",
      title: "甲",
      department: "economy-it",
      departmentName: "区经济信息委",
      budgetFen: 10_000_000,
      approvedFen: 5_470_000,
      paidFen: 5_470_000,
      approvedRate: 0.547,
      paidRate: 0.547,
    },
  ],
  serviceRequests: {
    departments: [
      {
        department: "human-resources",
        departmentName: "区人力社保局",
        received: 3,
        acceptedInTime: 2,
        closed: 1,
        escalated: 1,
        ratings: 1,
        averageScore: 4,
      },
    ],
    totals: { received: 3, acceptedInTime: 2, closed: 1, escalated: 1, ratings: 1, averageScore: 4 },
  },
  ladder: {
    asOf: "2026-06-30",
    documentNumber: "武隆府办发〔2022〕48号",
    tiers: [
      {
        tier: "reserve",
        label: "储备",
        count: 6,
        holding: 0,
        target: null,
        targetYear: null,
        targetQuote: null,
      },
      {
        tier: "innovativeSme",
        label: "创新型中小企业",
        count: 2,
        holding: 3,
        target: 200,
        targetYear: 2025,
        targetQuote: "到2025年，力争全区创新型中小企业达到200家",
      },
      {
        tier: "srdi",
        label: "市级专精特新",
        count: 1,
        holding: 2,
        target: 15,
        targetYear: 2025,
        targetQuote: "x",
      },
      {
        tier: "littleGiant",
        label: "国家级“小巨人”",
        count: 1,
        holding: 1,
        target: 1,
        targetYear: 2025,
        targetQuote: "y",
      },
      {
        tier: "listing",
        label: "上市培育",
        count: 0,
        holding: 0,
        target: 1,
        targetYear: 2025,
        targetQuote: "z",
      },
    ],
  },
  exemption: {
    departments: [
      {
        department: "economy-it",
        departmentName: "区经济信息委",
        grants: 2,
        grantedFen: 40_000_000,
        paidFen: 0,
      },
    ],
    totals: { grants: 2, grantedFen: 40_000_000, paidFen: 0 },
  },
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

describe("quarterly report workbook indicators", () => {
  async function book() {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportWorkbook(report)) as unknown as ArrayBuffer);
    return wb;
  }

  it("names the district in Chinese, not by its code", async () => {
    const about = (await book()).getWorksheet("说明");
    const values: unknown[] = [];
    about?.eachRow((row) => values.push(row.getCell(2).value));
    expect(values).toContain("巴南区");
    expect(values).not.toContain("500113");
  });

  it("lists 兑现率, working-day durations and satisfaction per department, percentages formatted", async () => {
    const ws = (await book()).getWorksheet("兑现率与时长");
    if (!ws) throw new Error("工作表缺失");
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain("兑现率（按金额）");
    expect(header).toContain("平均处理时长（工作日）");
    expect(header).toContain("平均满意度（1～5 分）");
    const row = ws.getRow(2);
    expect(row.getCell(1).value).toBe("区经济信息委");
    expect(row.getCell(4).value).toBe(0.5); // 1 of 2 applications paid
    expect(row.getCell(4).numFmt).toBe("0.0%");
    expect(row.getCell(5).value).toBe(166721366.67);
    // 1 April 2026 (Wed) → 15 April: 2–3, 7–10, 13–15 April = 9 working days (清明 4–6 April off).
    expect(row.getCell(9).value).toBe(9);
    expect(row.getCell(12).value).toBe("—"); // no payment this quarter
    expect(row.getCell(14).value).toBe(2);
    expect(row.getCell(15).value).toBe(4.5);
    expect(ws.getRow(3).getCell(1).value).toBe("合计");
  });

  it("shows budget execution per measure in 元 and percent", async () => {
    const ws = (await book()).getWorksheet("预算执行");
    const row = ws?.getRow(2);
    expect(row?.getCell(2).value).toBe("m/1");
    expect(row?.getCell(4).value).toBe(100000);
    expect(row?.getCell(5).value).toBe(54700);
    expect(row?.getCell(6).value).toBe(0.547);
    expect(row?.getCell(6).numFmt).toBe("0.0%");
  });
});

describe("免申即享 sheet", () => {
  it("counts 免申即享 grants per lead department, amounts in exact 元", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportWorkbook(report)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("免申即享");
    expect(ws?.getRow(2).values).toEqual([undefined, "区经济信息委", 2, 400000, 0]);
    expect(ws?.getRow(3).getCell(1).value).toBe("合计");
    expect(ws?.getRow(2).getCell(3).numFmt).toBe("#,##0.00");
  });
});

describe("quarterly report workbook: 企业诉求 and 梯度培育 sheets", () => {
  it("writes the service requests per department and the ladder counts against the targets", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportWorkbook(report)) as unknown as ArrayBuffer);
    const services = wb.getWorksheet("企业诉求");
    expect(services?.getRow(1).getCell(3).value).toBe("按时报到（件）");
    expect(services?.getRow(2).values).toEqual([undefined, "区人力社保局", 3, 2, 1, 1, 1, 4]);
    expect(services?.getRow(3).getCell(1).value).toBe("合计");
    const ladder = wb.getWorksheet("梯度培育");
    expect(ladder?.getRow(3).values).toEqual([
      undefined,
      "创新型中小企业",
      2,
      3,
      200,
      2025,
      "到2025年，力争全区创新型中小企业达到200家",
    ]);
    expect(ladder?.getRow(2).getCell(3).value).toBe("—");
    expect(String(ladder?.getRow(7).getCell(6).value)).toContain("武隆府办发〔2022〕48号");
  });
});

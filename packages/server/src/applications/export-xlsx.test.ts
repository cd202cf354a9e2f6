import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { applicationsWorkbook } from "./export-xlsx.ts";
import type { Summary } from "./schemas.ts";

function summary(number: string, maxFen: number | null, grantedFen: number | null): Summary {
  return {
    id: `00000000-0000-4000-8000-00000000000${number.at(-1)}`,
    number,
    enterpriseId: "e1",
    enterpriseName: "重庆某某有限公司",
    measureId: "banan-2022-63/1",
    measureTitle: "措施",
    leadDepartment: "economy-it",
    status: "approved",
    statusLabel: "审批通过",
    currentStep: 1,
    maxFen,
    grantedFen,
    noticeUntil: null,
    submittedAt: null,
    reviewWorkingDays: null,
    batchRef: null,
    disbursementStatus: null,
    version: 1,
    createdAt: "2026-05-01T02:00:00.000Z",
    updatedAt: "2026-05-02T02:00:00.000Z",
    channel: "application",
    accountConfirmed: true,
  };
}

describe("applications workbook money", () => {
  it("exports 测算最高可得 and 核定金额 as exact 元 with two decimals and thousands separators", async () => {
    const buf = await applicationsWorkbook(
      [
        summary("500154-2026-000001", 5_475_000, 5_470_000),
        summary("500154-2026-000002", null, 16_666_666_667),
        summary("500154-2026-000003", 20_000_000, null),
      ],
      new Date("2026-05-10T02:00:00Z"),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("申报列表");
    if (!ws) throw new Error("工作表缺失");
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const max = header.indexOf("测算最高可得（元）") + 1;
    const granted = header.indexOf("核定金额（元）") + 1;
    // The first column is the 申报编号 people quote, never the internal id.
    expect(header[0]).toBe("申报编号");
    const row = (id: string) => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((r) => {
        if (r.getCell(1).value === id) found = r;
      });
      if (!found) throw new Error(`缺少 ${id}`);
      return found;
    };
    expect(row("500154-2026-000001").getCell(max).value).toBe(54750);
    expect(row("500154-2026-000001").getCell(granted).value).toBe(54700);
    expect(row("500154-2026-000001").getCell(granted).numFmt).toBe("#,##0.00");
    expect(row("500154-2026-000002").getCell(max).value).toBe("无上限或待定");
    expect(row("500154-2026-000002").getCell(granted).value).toBe(166666666.67);
    expect(row("500154-2026-000003").getCell(granted).value).toBeNull();
  });
});

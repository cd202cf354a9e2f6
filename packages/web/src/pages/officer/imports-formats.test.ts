import { describe, expect, it } from "vitest";
import { chongqingTime, problemsCsv } from "./imports-formats";

describe("imports-formats", () => {
  it("writes the bad rows as a CSV Excel opens, quoting commas and quotes", () => {
    const csv = problemsCsv([
      { row: 3, field: "年份", reason: "应为四位年份，实际为「23」" },
      { row: 5, field: "营业收入", reason: '超过两位小数，"12.345"' },
      { row: 6, field: "整行", reason: "空值,无数据" },
    ]);
    expect(csv.startsWith("\uFEFF行号,列,原因\r\n")).toBe(true);
    expect(csv).toContain("3,年份,应为四位年份，实际为「23」\r\n");
    expect(csv).toContain('5,营业收入,"超过两位小数，""12.345"""\r\n');
    expect(csv).toContain('6,整行,"空值,无数据"\r\n');
  });
  it("shows times in Chongqing time", () => {
    expect(chongqingTime("2026-12-01T20:05:00.000Z")).toBe("2026-12-02 04:05");
  });
});

/** The quarterly report as an .xlsx workbook: Chinese headers, one department column, money in 元. */
import { EXACT_YUAN_NUMBER_LIMIT_FEN, fenToYuan, formatYuanExact } from "@huiqi/engine";
import ExcelJS from "exceljs";
import type { QuarterlyReport, ReportCounts } from "./quarterly-report.ts";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const COLUMNS: { header: string; key: string; width: number; money?: boolean }[] = [
  { header: "牵头单位", key: "department", width: 18 },
  { header: "措施编号", key: "measureId", width: 22 },
  { header: "文号", key: "docNumber", width: 22 },
  { header: "措施名称", key: "title", width: 40 },
  { header: "受理申报（件）", key: "received", width: 14 },
  { header: "审核中（件）", key: "inReview", width: 12 },
  { header: "审批通过（件）", key: "approved", width: 14 },
  { header: "不予通过（件）", key: "rejected", width: 14 },
  { header: "退回补正（件）", key: "returned", width: 14 },
  { header: "核定金额（元）", key: "granted", width: 16, money: true },
  { header: "已兑付金额（元）", key: "paid", width: 16, money: true },
  { header: "受益企业（家）", key: "enterprisesBenefited", width: 14 },
];

/** Number format of every money cell: 元 with two decimals and thousands separators ("54,750.00"). */
export const YUAN_FORMAT = "#,##0.00";

/**
 * 分 → the value of a money cell: 元 as a number, which the file stores as its exact decimal text (any amount
 * of up to 15 significant digits, i.e. below 10 万亿元, survives the trip through a double and Excel); beyond
 * that, the exact text "…元" rather than a rounded number.
 */
export function yuanCell(fen: number): number | string {
  return Math.abs(fen) < EXACT_YUAN_NUMBER_LIMIT_FEN ? fenToYuan(fen) : formatYuanExact(fen);
}

function counts(c: ReportCounts) {
  return {
    received: c.received,
    inReview: c.inReview,
    approved: c.approved,
    rejected: c.rejected,
    returned: c.returned,
    granted: yuanCell(c.grantedFen),
    paid: yuanCell(c.paidFen),
    enterprisesBenefited: c.enterprisesBenefited,
  };
}

export async function reportWorkbook(r: QuarterlyReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "惠企 huiqi";
  wb.created = new Date();
  const ws = wb.addWorksheet(`${r.year}年第${r.quarter}季度`);
  ws.columns = COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.money ? { style: { numFmt: YUAN_FORMAT } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: "frozen", ySplit: 1 }];
  for (const d of r.departments) {
    for (const m of d.measures)
      ws.addRow({
        department: d.departmentName,
        measureId: m.measureId,
        docNumber: m.docNumber,
        title: m.title,
        ...counts(m),
      });
    const sub = ws.addRow({ department: d.departmentName, title: "小计", ...counts(d) });
    sub.font = { bold: true };
  }
  const total = ws.addRow({ department: "合计", title: "全部牵头单位", ...counts(r.totals) });
  total.font = { bold: true };

  const about = wb.addWorksheet("说明");
  about.columns = [
    { header: "项目", key: "k", width: 16 },
    { header: "内容", key: "v", width: 80 },
  ];
  about.addRows([
    { k: "报告期", v: `${r.year}年第${r.quarter}季度（${r.from} 至 ${r.to}，北京时间）` },
    { k: "区县", v: r.regionCode ?? "全部" },
    { k: "牵头单位", v: r.department ?? "全部" },
    { k: "受理申报", v: "本季度首次提交的申报" },
    { k: "审核中", v: "季度末仍在审核中的申报" },
    { k: "审批通过／不予通过／退回补正", v: "本季度内到达该状态的申报（每件计一次）" },
    { k: "核定金额", v: "本季度审批通过的申报的核定金额" },
    { k: "已兑付金额", v: "本季度内兑付到账的金额" },
    { k: "受益企业", v: "本季度内有兑付到账的企业（去重）" },
  ]);
  about.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The quarterly report as an .xlsx workbook: Chinese headers, one department column, money in 元. */
import { EXACT_YUAN_NUMBER_LIMIT_FEN, fenToYuan, formatYuanExact } from "@huiqi/engine";
import ExcelJS from "exceljs";
import type { Indicators } from "./indicators.ts";
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

/** Number format of ratio cells (兑现率, 预算执行): a percentage with one decimal ("87.5%"). */
export const PERCENT_FORMAT = "0.0%";

const INDICATOR_COLUMNS: { header: string; key: string; width: number; numFmt?: string }[] = [
  { header: "牵头单位", key: "department", width: 18 },
  { header: "累计核定（件）", key: "approvedCount", width: 14 },
  { header: "其中已兑付（件）", key: "paidCount", width: 16 },
  { header: "兑现率（按件数）", key: "countRate", width: 16, numFmt: PERCENT_FORMAT },
  { header: "累计核定金额（元）", key: "approvedYuan", width: 18, numFmt: "#,##0.00" },
  { header: "其中已兑付金额（元）", key: "paidYuan", width: 20, numFmt: "#,##0.00" },
  { header: "兑现率（按金额）", key: "amountRate", width: 16, numFmt: PERCENT_FORMAT },
  { header: "本季度办结审批（件）", key: "decided", width: 20 },
  { header: "平均处理时长（工作日）", key: "processingAvg", width: 22 },
  { header: "90%处理时长（工作日）", key: "processingP90", width: 22 },
  { header: "本季度兑付到账（件）", key: "paidInQuarter", width: 20 },
  { header: "平均兑付时长（工作日）", key: "paymentAvg", width: 22 },
  { header: "90%兑付时长（工作日）", key: "paymentP90", width: 22 },
  { header: "满意度评价（条）", key: "ratings", width: 16 },
  { header: "平均满意度（1～5 分）", key: "satisfaction", width: 20 },
];

const BUDGET_COLUMNS: { header: string; key: string; width: number; numFmt?: string }[] = [
  { header: "牵头单位", key: "department", width: 18 },
  { header: "措施编号", key: "measureId", width: 22 },
  { header: "措施名称", key: "title", width: 40 },
  { header: "预算（元）", key: "budget", width: 18, numFmt: "#,##0.00" },
  { header: "累计核定（元）", key: "approved", width: 18, numFmt: "#,##0.00" },
  { header: "核定占预算", key: "approvedRate", width: 12, numFmt: PERCENT_FORMAT },
  { header: "累计兑付（元）", key: "paid", width: 18, numFmt: "#,##0.00" },
  { header: "兑付占预算", key: "paidRate", width: 12, numFmt: PERCENT_FORMAT },
];

function indicatorRow(department: string, i: Indicators) {
  return {
    department,
    approvedCount: i.fulfilment.approvedCount,
    paidCount: i.fulfilment.paidCount,
    countRate: i.fulfilment.countRate ?? "—",
    approvedYuan: yuanCell(i.fulfilment.approvedFen),
    paidYuan: yuanCell(i.fulfilment.paidFen),
    amountRate: i.fulfilment.amountRate ?? "—",
    decided: i.processing.count,
    processingAvg: i.processing.averageDays ?? "—",
    processingP90: i.processing.p90Days ?? "—",
    paidInQuarter: i.payment.count,
    paymentAvg: i.payment.averageDays ?? "—",
    paymentP90: i.payment.p90Days ?? "—",
    ratings: i.satisfaction.count,
    satisfaction: i.satisfaction.average ?? "—",
  };
}

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

  const ind = wb.addWorksheet("兑现率与时长");
  ind.columns = INDICATOR_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  ind.getRow(1).font = { bold: true };
  ind.views = [{ state: "frozen", ySplit: 1 }];
  for (const d of r.departments) ind.addRow(indicatorRow(d.departmentName, d.indicators));
  ind.addRow(indicatorRow("合计", r.overall)).font = { bold: true };

  const budget = wb.addWorksheet("预算执行");
  budget.columns = BUDGET_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  budget.getRow(1).font = { bold: true };
  for (const b of r.budgets)
    budget.addRow({
      department: b.departmentName,
      measureId: b.measureId,
      title: b.title,
      budget: yuanCell(b.budgetFen),
      approved: yuanCell(b.approvedFen),
      approvedRate: b.approvedRate ?? "—",
      paid: yuanCell(b.paidFen),
      paidRate: b.paidRate ?? "—",
    });
  if (r.budgets.length === 0) budget.addRow({ department: "本报告范围内的措施均未设置预算" });

  // 免申即享 grants, per lead department (also counted among the approvals of the first sheet).
  const exemption = wb.addWorksheet("免申即享");
  exemption.columns = [
    { header: "牵头单位", key: "department", width: 24 },
    { header: "免申即享兑现（件）", key: "grants", width: 18 },
    { header: "核定金额（元）", key: "granted", width: 18, style: { numFmt: YUAN_FORMAT } },
    { header: "已兑付金额（元）", key: "paid", width: 18, style: { numFmt: YUAN_FORMAT } },
  ];
  exemption.getRow(1).font = { bold: true };
  for (const d of r.exemption.departments)
    exemption.addRow({
      department: d.departmentName,
      grants: d.grants,
      granted: yuanCell(d.grantedFen),
      paid: yuanCell(d.paidFen),
    });
  exemption.addRow({
    department: "合计",
    grants: r.exemption.totals.grants,
    granted: yuanCell(r.exemption.totals.grantedFen),
    paid: yuanCell(r.exemption.totals.paidFen),
  }).font = { bold: true };

  // 企业吹哨·部门报到, per responsible department.
  const services = wb.addWorksheet("企业诉求");
  services.columns = [
    { header: "承办部门", key: "department", width: 24 },
    { header: "受理诉求（件）", key: "received", width: 14 },
    { header: "按时报到（件）", key: "acceptedInTime", width: 14 },
    { header: "办结（件）", key: "closed", width: 12 },
    { header: "超时升级（件）", key: "escalated", width: 14 },
    { header: "评价（件）", key: "ratings", width: 12 },
    { header: "平均满意度（1～5）", key: "averageScore", width: 18 },
  ];
  services.getRow(1).font = { bold: true };
  const serviceRow = (department: string, c: QuarterlyReport["serviceRequests"]["totals"]) => ({
    department,
    received: c.received,
    acceptedInTime: c.acceptedInTime,
    closed: c.closed,
    escalated: c.escalated,
    ratings: c.ratings,
    averageScore: c.averageScore ?? "—",
  });
  for (const d of r.serviceRequests.departments) services.addRow(serviceRow(d.departmentName, d));
  services.addRow(serviceRow("合计", r.serviceRequests.totals)).font = { bold: true };

  // “专精特新”梯度培育: tier counts against the district document's targets.
  const ladder = wb.addWorksheet("梯度培育");
  ladder.columns = [
    { header: "梯度", key: "label", width: 18 },
    { header: "最高梯度为此级（家）", key: "count", width: 20 },
    { header: "持有此级认定（家）", key: "holding", width: 20 },
    { header: "目标（家）", key: "target", width: 12 },
    { header: "目标年份", key: "targetYear", width: 10 },
    { header: "文件原文", key: "targetQuote", width: 60 },
  ];
  ladder.getRow(1).font = { bold: true };
  for (const t of r.ladder.tiers)
    ladder.addRow({
      label: t.label,
      count: t.count,
      holding: t.tier === "reserve" ? "—" : t.holding,
      target: t.target ?? "—",
      targetYear: t.targetYear ?? "—",
      targetQuote: t.targetQuote ?? "",
    });
  ladder.addRow({
    label: `统计日 ${r.ladder.asOf}`,
    targetQuote: r.ladder.documentNumber
      ? `目标出自${r.ladder.documentNumber}`
      : "所选范围没有设定梯度培育目标的文件",
  });

  const about = wb.addWorksheet("说明");
  about.columns = [
    { header: "项目", key: "k", width: 16 },
    { header: "内容", key: "v", width: 80 },
  ];
  about.addRows([
    { k: "报告期", v: `${r.year}年第${r.quarter}季度（${r.from} 至 ${r.to}，北京时间）` },
    { k: "区县", v: r.regionCode ? r.regionName : "全部区县" },
    { k: "牵头单位", v: r.department ?? "全部" },
    { k: "受理申报", v: "本季度首次提交的申报" },
    { k: "审核中", v: "季度末仍在审核中的申报" },
    { k: "审批通过／不予通过／退回补正", v: "本季度内到达该状态的申报（每件计一次）" },
    { k: "核定金额", v: "本季度审批通过的申报的核定金额" },
    { k: "已兑付金额", v: "本季度内兑付到账的金额" },
    { k: "受益企业", v: "本季度内有兑付到账的企业（去重）" },
    {
      k: "兑现率",
      v: "截至季度末累计：已兑付到账 ÷ 已核定（审批通过且仍有效的申报），分按金额和按件数两种口径",
    },
    {
      k: "处理时长",
      v: "本季度作出审批决定（通过或不予通过）的申报，自首次提交次日起至决定日的工作日（含退回补正期间）；90% 为第 90 百分位",
    },
    { k: "兑付时长", v: "本季度兑付到账的申报，自审批通过次日起至到账日的工作日" },
    {
      k: "工作日",
      v: "按国务院公布的法定节假日和调休安排（北京时间）计；尚未公布安排的年份按周一至周五计",
    },
    { k: "满意度", v: "本季度企业对已办结申报的评价，1 分很不满意至 5 分很满意" },
    { k: "预算执行", v: "设有预算的措施：截至季度末累计核定、累计兑付占该措施全部预算的比例" },
    {
      k: "免申即享",
      v: "本季度牵头单位依据部门数据确认生成的兑现（企业无需申请）的件数和核定金额，及本季度内兑付到账的金额；这些兑现同时计入审批通过",
    },
  ]);
  about.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

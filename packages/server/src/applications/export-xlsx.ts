/** The review queue as an .xlsx workbook: Chinese headers, money in exact 元 ("#,##0.00"), age in working days. */
import { departmentName } from "@huiqi/policies";
import ExcelJS from "exceljs";
import { YUAN_FORMAT, yuanCell } from "../reports/xlsx.ts";
import { localDate, REVIEW_LIMIT_WORKING_DAYS, workingDaysBetween } from "./model.ts";
import type { Summary } from "./schemas.ts";

export { XLSX_TYPE } from "../reports/xlsx.ts";

export async function applicationsWorkbook(items: Summary[], now: Date): Promise<Buffer> {
  const today = localDate(now);
  const wb = new ExcelJS.Workbook();
  wb.creator = "惠企";
  wb.created = now;
  const ws = wb.addWorksheet("申报列表", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = [
    { header: "申报编号", key: "number", width: 20 },
    { header: "企业", key: "enterprise", width: 32 },
    { header: "措施编号", key: "measureId", width: 22 },
    { header: "措施名称", key: "measure", width: 40 },
    { header: "牵头单位", key: "department", width: 18 },
    { header: "状态", key: "status", width: 12 },
    { header: "测算最高可得（元）", key: "max", width: 18, style: { numFmt: YUAN_FORMAT } },
    { header: "核定金额（元）", key: "granted", width: 16, style: { numFmt: YUAN_FORMAT } },
    { header: "提交日期", key: "submitted", width: 12 },
    { header: `已用工作日（时限 ${REVIEW_LIMIT_WORKING_DAYS}）`, key: "age", width: 20 },
    { header: "公示截止", key: "notice", width: 12 },
    { header: "兑付批次号", key: "batch", width: 20 },
    { header: "更新时间", key: "updated", width: 20 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const a of items) {
    const submitted = a.submittedAt ? localDate(new Date(a.submittedAt)) : null;
    ws.addRow({
      number: a.number,
      enterprise: a.enterpriseName,
      measureId: a.measureId,
      measure: a.measureTitle,
      department: a.leadDepartment ? departmentName(a.leadDepartment) : "",
      status: a.statusLabel,
      max: a.maxFen === null ? "无上限或待定" : yuanCell(a.maxFen),
      granted: a.grantedFen === null ? null : yuanCell(a.grantedFen),
      submitted,
      age: a.status === "submitted" && submitted ? workingDaysBetween(submitted, today) : null,
      notice: a.noticeUntil,
      batch: a.batchRef,
      updated: a.updatedAt.slice(0, 19).replace("T", " "),
    });
  }
  const about = wb.addWorksheet("说明");
  about.columns = [
    { header: "项目", key: "k", width: 20 },
    { header: "内容", key: "v", width: 80 },
  ];
  about.getRow(1).font = { bold: true };
  about.addRows([
    { k: "导出日期", v: today },
    { k: "件数", v: String(items.length) },
    { k: "金额单位", v: "元（保留两位小数）" },
    {
      k: "已用工作日",
      v: `自最近一次提交（含补正后重新提交）次日起至导出日的工作日（按国务院公布的法定节假日和调休安排计；尚未公布安排的年份按周一至周五计），办理时限 ${REVIEW_LIMIT_WORKING_DAYS} 个工作日；仅审核中的申报计算`,
    },
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

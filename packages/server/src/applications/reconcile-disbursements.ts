/**
 * 兑付对账: finance imports the bank's result file and each row is matched to a payment issued in its district:
 * by application id when the file has one, otherwise by batch reference + amount (the payee's name breaks ties
 * when one batch pays the same amount to several enterprises). A matched row records the result through the
 * same use case as the manual 登记 (paid → closed, failed → disbursementFailed), one transaction per row, so a
 * bad row never blocks the others. Re-importing the same file records nothing twice: rows whose payment
 * already has a result are reported as unmatched with that reason.
 *
 * Report: matched rows (recorded unless dryRun), unmatched rows with the reason, amount mismatches (the
 * payment is identified but the file's amount differs from the issued amount — nothing is recorded).
 */
import type { Actor, AppContext } from "../context.ts";
import { AppError, invalid } from "../errors.ts";
import { authorize } from "../permissions.ts";
import { type BankRow, dateOf, fenOf, readBankFile, statusOf, textOf } from "./bank-file.ts";
import { fenFromDb, localDate } from "./model.ts";
import { iso } from "./present.ts";
import { recordDisbursementResult } from "./record-disbursement-result.ts";
import type { ReconcileReportT } from "./schemas.ts";

const yuanText = (fen: number) => `${(fen / 100).toFixed(2)} 元`;

interface Payment {
  applicationId: string;
  /** 申报编号 区县码-年份-序号. */
  applicationNumber: string;
  appStatus: string;
  version: number;
  batchRef: string;
  amountFen: number;
  status: "issued" | "paid" | "failed";
  issuedOn: string;
  enterpriseName: string;
  measureTitle: string;
}

export async function reconcileDisbursements(
  ctx: AppContext,
  actor: Actor,
  input: { fileName: string; contentBase64: string; dryRun?: boolean | undefined },
): Promise<ReconcileReportT> {
  authorize(actor, "application.disburse");
  const bytes = Buffer.from(input.contentBase64, "base64");
  if (bytes.length > ctx.config.maxAttachmentBytes)
    throw new AppError("PAYLOAD_TOO_LARGE", `文件过大：上限 ${ctx.config.maxAttachmentBytes} 字节`, [
      { field: "contentBase64", message: "文件过大" },
    ]);
  if (bytes.length === 0) throw invalid("contentBase64", "文件内容为空");
  const rows = await readBankFile(input.fileName, bytes);
  const dryRun = input.dryRun === true;

  const pool: Payment[] = (
    await ctx.db
      .selectFrom("disbursements")
      .innerJoin("applications", "applications.id", "disbursements.application_id")
      .innerJoin("enterprises", "enterprises.id", "applications.enterprise_id")
      .select([
        "applications.id as application_id",
        "applications.number as application_number",
        "applications.status as app_status",
        "applications.version",
        "applications.measure_id",
        "disbursements.batch_ref",
        "disbursements.amount_fen",
        "disbursements.status",
        "disbursements.issued_at",
        "enterprises.name as enterprise_name",
      ])
      .where("enterprises.region_code", "=", actor.regionCode ?? "")
      .execute()
  ).map((r) => ({
    applicationId: r.application_id,
    applicationNumber: r.application_number,
    appStatus: r.app_status,
    version: Number(r.version),
    batchRef: r.batch_ref,
    amountFen: fenFromDb(r.amount_fen) ?? 0,
    status: r.status,
    issuedOn: localDate(new Date(iso(r.issued_at))),
    enterpriseName: r.enterprise_name,
    measureTitle: ctx.engine.byId.get(r.measure_id)?.def.title ?? r.measure_id,
  }));

  const today = localDate(ctx.now());
  const used = new Set<string>();
  const report: ReconcileReportT = {
    fileName: input.fileName,
    dryRun,
    rows: rows.length,
    matched: [],
    unmatched: [],
    mismatches: [],
    totals: { paidFen: 0, failedFen: 0 },
  };

  for (const r of rows) {
    const base = rowFacts(r);
    const miss = (reason: string) => report.unmatched.push({ ...base, reason });
    if (base.amountFen === null) {
      miss("金额无效或缺失");
      continue;
    }
    if (base.status === null) {
      miss("状态无法识别：应为“成功”或“失败”");
      continue;
    }
    if (base.date === null) {
      miss("日期无效或缺失（应为 YYYY-MM-DD）");
      continue;
    }
    if (base.date > today) {
      miss(`日期 ${base.date} 晚于今天`);
      continue;
    }
    let candidates: Payment[];
    if (base.applicationId) {
      // The file may name the application by its 申报编号 (500113-2026-000123) or by its id.
      const named = base.applicationId;
      candidates = pool.filter((p) => p.applicationId === named || p.applicationNumber === named);
      if (!candidates.length) {
        miss(`没有申报编号为 ${base.applicationId} 的兑付（或不属于本区县）`);
        continue;
      }
      const batch = candidates[0]?.batchRef;
      if (base.batchRef && batch !== base.batchRef) {
        miss(`批次号与该申报的兑付批次「${batch}」不符`);
        continue;
      }
    } else if (base.batchRef) {
      const ref = base.batchRef;
      candidates = pool.filter((p) => p.batchRef === ref);
      if (!candidates.length) {
        miss(`没有批次号为「${ref}」的兑付（或不属于本区县）`);
        continue;
      }
    } else {
      miss("缺少批次号或申报编号");
      continue;
    }
    const open = candidates.filter(
      (p) => p.status === "issued" && p.appStatus === "disbursing" && !used.has(p.applicationId),
    );
    if (!open.length) {
      miss(
        candidates.some((p) => used.has(p.applicationId))
          ? "文件中已有另一行对应同一笔兑付"
          : "该笔兑付已登记过结果（已到账或失败），不再重复登记",
      );
      continue;
    }
    let exact = open.filter((p) => p.amountFen === base.amountFen);
    const payee = textOf(r.cells.payee ?? null);
    if (exact.length > 1 && payee) exact = exact.filter((p) => p.enterpriseName === payee);
    if (exact.length > 1) {
      miss(`批次内有 ${exact.length} 笔金额相同的兑付，无法区分：请在文件中注明申报编号或收款单位`);
      continue;
    }
    const hit = exact[0];
    if (!hit) {
      const only = open.length === 1 ? open[0] : undefined;
      if (only)
        report.mismatches.push({
          ...base,
          applicationId: only.applicationId,
          applicationNumber: only.applicationNumber,
          enterpriseName: only.enterpriseName,
          expectedFen: only.amountFen,
          reason: `文件金额 ${yuanText(base.amountFen)}，兑付金额 ${yuanText(only.amountFen)}，未登记`,
        });
      else miss(`批次内没有金额为 ${yuanText(base.amountFen)} 的待登记兑付`);
      continue;
    }
    if (base.date < hit.issuedOn) {
      miss(`日期 ${base.date} 早于兑付发出日期 ${hit.issuedOn}`);
      continue;
    }
    used.add(hit.applicationId);
    const reason =
      base.status === "failed"
        ? (textOf(r.cells.reason ?? null) ?? "银行反馈支付失败（未注明原因）")
        : undefined;
    if (!dryRun) {
      try {
        await recordDisbursementResult(ctx, actor, hit.applicationId, {
          version: hit.version,
          status: base.status,
          date: base.date,
          reason,
        });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        miss(`${hit.enterpriseName}：${e.message}`);
        continue;
      }
      if (base.status === "paid") report.totals.paidFen += hit.amountFen;
      else report.totals.failedFen += hit.amountFen;
    }
    report.matched.push({
      ...base,
      applicationId: hit.applicationId,
      applicationNumber: hit.applicationNumber,
      batchRef: hit.batchRef,
      enterpriseName: hit.enterpriseName,
      measureTitle: hit.measureTitle,
      recorded: !dryRun,
    });
  }
  return report;
}

function rowFacts(r: BankRow) {
  return {
    row: r.row,
    batchRef: textOf(r.cells.batchRef ?? null),
    applicationId: textOf(r.cells.applicationId ?? null)?.toLowerCase() ?? null,
    amountFen: fenOf(r.cells.amount ?? null),
    status: statusOf(r.cells.status ?? null),
    date: dateOf(r.cells.date ?? null),
  };
}

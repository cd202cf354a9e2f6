/**
 * The application state machine, its Chinese labels, and the conversions at the edge (money, dates).
 *
 *   draft ──submit──► submitted ──(each review step: pass)──► approved ──publish notice──► publicNotice
 *     ▲                 │  │                                                                 │ (notice over)
 *     │                 │  └─reject─► rejected (final)                                       ▼
 *   (edit)        return│                                          disbursementFailed ◄─failed─ disbursing
 *     │                 ▼                                                 │ re-issue              │ paid
 *   returned ──resubmit─┘ (review restarts at the returned step)          └──────► disbursing     ▼
 *                                                                                               closed
 */

import { addWorkingDays, workingDaysBetween as countWorkingDays } from "../calendar/working-days.ts";

export const STATUSES = [
  "draft",
  "submitted",
  "returned",
  "rejected",
  "approved",
  "publicNotice",
  "disbursing",
  "disbursementFailed",
  "closed",
] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  draft: "草稿",
  submitted: "审核中",
  returned: "退回补正",
  rejected: "不予通过",
  approved: "审批通过",
  publicNotice: "公示中",
  disbursing: "兑付中",
  disbursementFailed: "兑付失败",
  closed: "已兑付办结",
};

/** Statuses whose granted amount counts against a measure's budget. */
export const GRANTED_STATUSES: readonly Status[] = [
  "approved",
  "publicNotice",
  "disbursing",
  "disbursementFailed",
  "closed",
];

/** An enterprise may hold only one application per measure that is not rejected. */
export const OPEN_OR_DONE_STATUSES: readonly Status[] = STATUSES.filter((s) => s !== "rejected");

/**
 * Money in JSON is integer 分 as a JSON number. bigint columns come back from pg as strings; they are
 * converted here, once, and refused if they would not be exact.
 */
export function fenFromDb(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`金额 ${String(v)} 分超出安全整数范围`);
  return n;
}

/** Measures' validity and notice periods are Chongqing calendar dates. */
export { localDate } from "../dates.ts";

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Review time limit (承诺办结时限): 15 working days from the (latest) submission.
 *
 * Reading taken: the limit counts 工作日 in the Chongqing calendar — Monday to Friday minus statutory public
 * holidays plus make-up working weekends (调休), from `calendar/working-days.ts` (chinese-days data) — starting
 * on the day after the (latest) submission (自受理次日起算), so a submission on day D is due by
 * addWorkingDays(D, 15) and overdue from the next working day. Years the holiday data does not cover fall back
 * to Monday–Friday (see WORKING_DAY_DATA_YEARS).
 */
export const REVIEW_LIMIT_WORKING_DAYS = 15;

/** Working days after `from` up to and including `to` (both YYYY-MM-DD, Chongqing); 0 when to ≤ from. */
export function workingDaysBetween(from: string, to: string): number {
  return countWorkingDays(from, to);
}

/** The last day (YYYY-MM-DD) of the review time limit of an application submitted on `submitted`. */
export function reviewDueDate(submitted: string): string {
  return addWorkingDays(submitted, REVIEW_LIMIT_WORKING_DAYS);
}

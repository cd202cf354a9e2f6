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
 * Review time limit (承诺办结时限): 15 working days from the (latest) submission. Working days are Monday to
 * Friday; statutory holidays and make-up working days are not modelled, so the count is an approximation.
 */
export const REVIEW_LIMIT_WORKING_DAYS = 15;

/** Working days (Mon–Fri) after `from` up to and including `to` (both YYYY-MM-DD); 0 when to ≤ from. */
export function workingDaysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (!(b > a)) return 0;
  let n = 0;
  for (let t = a + 86_400_000; t <= b; t += 86_400_000) {
    const d = new Date(t).getUTCDay();
    if (d !== 0 && d !== 6) n++;
  }
  return n;
}

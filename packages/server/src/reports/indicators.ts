/**
 * Performance indicators of the quarterly report (issue 9, items 8 and 13), per lead department and overall.
 *
 * Definitions (all instants read in the Chongqing calendar, working days from calendar/working-days.ts):
 * - 兑现率 (fulfilment), cumulative as of the quarter's end (截至季度末累计), both ways:
 *   - by amount: paid (settled) disbursements ÷ granted amount, over the applications approved on or before
 *     the quarter's end that still hold a grant (approved, on notice, disbursing, failed payment, closed);
 *   - by count: those applications with a paid disbursement ÷ those applications.
 *   A quarter-only ratio (paid this quarter ÷ approved this quarter) mixes two cohorts and can exceed 100 %,
 *   so the cumulative reading was taken. null when nothing was approved.
 * - 处理时长 (processing time): for applications that reached their final decision (approved or rejected)
 *   within the quarter, working days from the first submission (returns for correction included: the time
 *   the enterprise waited) to that decision, counted from the day after submission (自受理次日起算); and for
 *   disbursements paid within the quarter, working days from approval to payment. Average (one decimal) and
 *   90th percentile (nearest rank).
 * - 满意度 (satisfaction): ratings given within the quarter (application_ratings), count and average score
 *   (two decimals), 1 很不满意 … 5 很满意.
 * - 预算执行 (budget execution) per measure with a budget (PUT /api/measures/…/budget): the budget is the
 *   measure's whole budget (across districts, as the approval check uses it), compared with the granted
 *   amount of the applications approved on or before the quarter's end that still hold a grant, and with the
 *   paid disbursements settled on or before it; percentages of the budget.
 */
import { workingDaysBetween } from "../calendar/working-days.ts";

export interface Fulfilment {
  approvedCount: number;
  paidCount: number;
  /** 分 */
  approvedFen: number;
  /** 分 */
  paidFen: number;
  /** paidFen ÷ approvedFen, 0–1; null when nothing was approved. */
  amountRate: number | null;
  /** paidCount ÷ approvedCount, 0–1; null when nothing was approved. */
  countRate: number | null;
}

export interface Durations {
  count: number;
  /** Working days, one decimal; null when count = 0. */
  averageDays: number | null;
  /** Working days (nearest rank); null when count = 0. */
  p90Days: number | null;
}

export interface Satisfaction {
  count: number;
  /** 1–5, two decimals; null when count = 0. */
  average: number | null;
}

export interface Indicators {
  fulfilment: Fulfilment;
  /** First submission → final decision (approved or rejected). */
  processing: Durations;
  /** Approval → payment. */
  payment: Durations;
  satisfaction: Satisfaction;
}

export interface BudgetLine {
  measureId: string;
  title: string;
  department: string;
  departmentName: string;
  /** 分 */
  budgetFen: number;
  /** 分 */
  approvedFen: number;
  /** 分 */
  paidFen: number;
  /** approvedFen ÷ budgetFen; null when the budget is 0. */
  approvedRate: number | null;
  /** paidFen ÷ budgetFen; null when the budget is 0. */
  paidRate: number | null;
}

/** Raw facts per application, gathered by the report's queries. */
export interface GrantFact {
  applicationId: string;
  measureId: string;
  grantedFen: number;
  /** Paid amount settled on or before the quarter's end, 0 if none. */
  paidFen: number;
}

export interface DurationFact {
  measureId: string;
  from: Date;
  to: Date;
}

export interface RatingFact {
  measureId: string;
  score: number;
}

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Nearest-rank percentile (p in 0–100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function durations(days: readonly number[]): Durations {
  if (days.length === 0) return { count: 0, averageDays: null, p90Days: null };
  const avg = days.reduce((s, d) => s + d, 0) / days.length;
  return { count: days.length, averageDays: Math.round(avg * 10) / 10, p90Days: percentile(days, 90) };
}

export function fulfilment(grants: readonly GrantFact[]): Fulfilment {
  let approvedFen = 0;
  let paidFen = 0;
  let paidCount = 0;
  for (const g of grants) {
    approvedFen += g.grantedFen;
    paidFen += g.paidFen;
    if (g.paidFen > 0) paidCount++;
  }
  return {
    approvedCount: grants.length,
    paidCount,
    approvedFen,
    paidFen,
    amountRate: ratio(paidFen, approvedFen),
    countRate: ratio(paidCount, grants.length),
  };
}

export function satisfaction(ratings: readonly RatingFact[]): Satisfaction {
  if (ratings.length === 0) return { count: 0, average: null };
  const avg = ratings.reduce((s, r) => s + r.score, 0) / ratings.length;
  return { count: ratings.length, average: Math.round(avg * 100) / 100 };
}

export function indicators(
  grants: readonly GrantFact[],
  decisions: readonly DurationFact[],
  payments: readonly DurationFact[],
  ratings: readonly RatingFact[],
): Indicators {
  const days = (xs: readonly DurationFact[]) => xs.map((x) => workingDaysBetween(x.from, x.to));
  return {
    fulfilment: fulfilment(grants),
    processing: durations(days(decisions)),
    payment: durations(days(payments)),
    satisfaction: satisfaction(ratings),
  };
}

/**
 * Working days (工作日) of the Chongqing calendar: Monday to Friday, minus the statutory public holidays
 * (法定节假日), plus the make-up working weekends (调休上班), as published each year by the State Council and
 * shipped in the `chinese-days` package.
 *
 * Instants are read as Chongqing calendar dates (Asia/Shanghai, UTC+8) through the engine's chongqingDate;
 * a "YYYY-MM-DD" string is taken as that date.
 *
 * Outside the years chinese-days covers (WORKING_DAY_DATA_YEARS; at the time of writing 2004–2026, the
 * State Council publishes the next year's arrangement around November) no holiday is known: every Monday to
 * Friday counts as a working day and no weekend does. Counts reaching into such a year are therefore an
 * approximation that may be too high by the holidays of that year; `coversYear` lets callers say so.
 */
import { chongqingDate } from "@huiqi/engine";
import chineseDays from "chinese-days";

// The package is CommonJS without statically detectable named exports: take them from its default export.
const { isHoliday, isWorkday } = chineseDays;

const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A Chongqing calendar date "YYYY-MM-DD" of an instant (or the date itself). */
export function toChongqingDate(at: Date | string): string {
  if (typeof at === "string" && DATE_RE.test(at)) return at;
  return chongqingDate(at);
}

function dayNumber(date: string): number {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`日期 ${date} 无效`);
  return t / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The years the holiday data covers: every year in which 1 January (元旦, a statutory holiday in every year)
 * is known as a holiday. Computed from the package's data, so an upgrade widens it without a code change.
 */
export const WORKING_DAY_DATA_YEARS: { from: number; to: number } = (() => {
  let from = 0;
  let to = 0;
  for (let y = 1990; y <= 2100; y++) {
    if (isHoliday(`${y}-01-01`)) {
      if (from === 0) from = y;
      to = y;
    }
  }
  return { from, to };
})();

/** Does the holiday data cover this year (otherwise Monday–Friday is assumed)? */
export function coversYear(year: number): boolean {
  return year >= WORKING_DAY_DATA_YEARS.from && year <= WORKING_DAY_DATA_YEARS.to;
}

const cache = new Map<number, boolean>();

function workingDay(day: number): boolean {
  let v = cache.get(day);
  if (v === undefined) {
    const date = dateOf(day);
    const year = Number(date.slice(0, 4));
    if (coversYear(year)) v = isWorkday(date);
    else {
      const wd = new Date(day * DAY_MS).getUTCDay();
      v = wd !== 0 && wd !== 6;
    }
    cache.set(day, v);
  }
  return v;
}

/** Is this Chongqing date (or the date of this instant) a working day? */
export function isWorkingDay(at: Date | string): boolean {
  return workingDay(dayNumber(toChongqingDate(at)));
}

/**
 * Working days after the date of `from` up to and including the date of `to` (the count starts on the day
 * after `from`, like 自受理次日起算); 0 when `to` is on or before `from`'s date.
 */
export function workingDaysBetween(from: Date | string, to: Date | string): number {
  const a = dayNumber(toChongqingDate(from));
  const b = dayNumber(toChongqingDate(to));
  let n = 0;
  for (let d = a + 1; d <= b; d++) if (workingDay(d)) n++;
  return n;
}

/**
 * The date of the n-th working day after the date of `from` (n ≥ 0; n = 0 gives `from`'s date itself), so
 * that workingDaysBetween(from, addWorkingDays(from, n)) === n.
 */
export function addWorkingDays(from: Date | string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`工作日数 ${n} 应为非负整数`);
  let d = dayNumber(toChongqingDate(from));
  let left = n;
  while (left > 0) {
    d++;
    if (workingDay(d)) left--;
  }
  return dateOf(d);
}

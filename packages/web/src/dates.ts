/**
 * Every business date the web app shows or decides on is a Chongqing date, whatever the browser's zone:
 * the engine's calendar is the one source (the server and CLI use it too).
 */
import { chongqingDate, chongqingDateTime, chongqingQuarter, chongqingYear } from "@huiqi/engine";
import dayjs, { type Dayjs } from "dayjs";

/** Today in Chongqing, YYYY-MM-DD. */
export function today(): string {
  return chongqingDate(Date.now());
}

/** Today in Chongqing as a dayjs value for date pickers (a browser-local midnight of that calendar date). */
export function todayDayjs(): Dayjs {
  return dayjs(today());
}

/** An instant as Chongqing wall-clock time, or "—". */
export function dateTime(iso: string | null | undefined): string {
  return iso ? chongqingDateTime(iso) : "—";
}

/** An instant's Chongqing calendar date, or "—". */
export function dateOf(iso: string | null | undefined): string {
  return iso ? chongqingDate(iso) : "—";
}

export function currentYear(): number {
  return chongqingYear(Date.now());
}

export function currentQuarter(): { year: number; quarter: number } {
  return { year: chongqingYear(Date.now()), quarter: chongqingQuarter(Date.now()) };
}

/** Whole days from one calendar date to another (YYYY-MM-DD; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

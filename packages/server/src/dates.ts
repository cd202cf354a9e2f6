/** Business dates are Chongqing calendar dates (Asia/Shanghai, UTC+8, no daylight saving). */

/** The Chongqing calendar date of an instant, YYYY-MM-DD. */
export function localDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Business dates are Chongqing calendar dates: the one calendar lives in the engine, shared with CLI and web. */
import { chongqingDate } from "@huiqi/engine";

/** The Chongqing calendar date of an instant, YYYY-MM-DD. */
export function localDate(now: Date): string {
  return chongqingDate(now);
}

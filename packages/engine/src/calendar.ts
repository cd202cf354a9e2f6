/**
 * The Chongqing calendar (Asia/Shanghai, UTC+8, no daylight saving since 1991). Every business date —
 * today, validity, notice periods, deadlines, review ages, the as-of default — is a Chongqing date, whatever
 * the zone of the machine or browser that computes it. One module so server, CLI and web app cannot disagree.
 */
const OFFSET_MS = 8 * 3600_000;

function shifted(instant: Date | number | string): Date {
  const t =
    instant instanceof Date ? instant.getTime() : typeof instant === "number" ? instant : Date.parse(instant);
  return new Date(t + OFFSET_MS);
}

/** The Chongqing calendar date of an instant, YYYY-MM-DD. */
export function chongqingDate(instant: Date | number | string = Date.now()): string {
  return shifted(instant).toISOString().slice(0, 10);
}

/** The Chongqing wall-clock time of an instant, "YYYY-MM-DD HH:mm". */
export function chongqingDateTime(instant: Date | number | string): string {
  const iso = shifted(instant).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** The Chongqing calendar year of an instant. */
export function chongqingYear(instant: Date | number | string = Date.now()): number {
  return shifted(instant).getUTCFullYear();
}

/** The Chongqing quarter (1–4) of an instant. */
export function chongqingQuarter(instant: Date | number | string = Date.now()): 1 | 2 | 3 | 4 {
  return (Math.floor(shifted(instant).getUTCMonth() / 3) + 1) as 1 | 2 | 3 | 4;
}

/** A calendar date plus (or minus) whole days. */
export function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

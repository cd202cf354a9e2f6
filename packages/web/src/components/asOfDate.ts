/** The as-of date in the URL (`?asOf=YYYY-MM-DD`): which pages carry it, and what counts as a date. */

/** Pages whose results depend on the as-of date (the shell shows the picker; the date travels between them). */
export function isAsOfPage(path: string): boolean {
  return path === "/calculator" || path.startsWith("/measures/");
}

/** A real calendar date YYYY-MM-DD, else null (so a mistyped link falls back to today). */
export function parseAsOf(v: string | null | undefined): string | null {
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
  const d = new Date(`${v}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v ? null : v;
}

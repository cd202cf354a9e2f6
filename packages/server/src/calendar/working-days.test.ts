import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  coversYear,
  isWorkingDay,
  WORKING_DAY_DATA_YEARS,
  workingDaysBetween,
} from "./working-days.ts";

const date = fc
  .integer({ min: Date.UTC(2018, 0, 1), max: Date.UTC(2029, 11, 31) })
  .map((t) => new Date(t).toISOString().slice(0, 10));

describe("working days of the Chongqing calendar", () => {
  it("knows public holidays and make-up working weekends", () => {
    expect(isWorkingDay("2024-10-01")).toBe(false); // 国庆节
    expect(isWorkingDay("2024-10-12")).toBe(true); // 星期六，调休上班
    expect(isWorkingDay("2024-10-08")).toBe(true);
    expect(isWorkingDay("2026-02-17")).toBe(false); // 春节
    expect(isWorkingDay("2025-01-26")).toBe(true); // 星期日，调休上班
  });

  it("reads instants as Chongqing dates", () => {
    // 2024-09-30 17:00 UTC is 1 October 01:00 in Chongqing: a holiday.
    expect(isWorkingDay(new Date("2024-09-30T17:00:00Z"))).toBe(false);
    expect(isWorkingDay(new Date("2024-09-30T15:00:00Z"))).toBe(true);
  });

  it("counts from the day after: the National Day week holds no working day but the make-up Saturday", () => {
    // Monday 30 September 2024 → Saturday 12 October: 8–11 Oct (Tue–Fri) + 12 Oct (调休), 1–7 Oct off.
    expect(workingDaysBetween("2024-09-30", "2024-10-12")).toBe(5);
    expect(workingDaysBetween("2024-10-12", "2024-09-30")).toBe(0);
    expect(addWorkingDays("2024-09-29", 1)).toBe("2024-09-30");
    expect(addWorkingDays("2024-09-30", 1)).toBe("2024-10-08");
  });

  it("15 working days across Spring Festival 2026", () => {
    // Submitted Friday 13 February 2026; 15–23 Feb off, 14 and 28 Feb (Saturdays) make-up working days:
    // 14 Feb, 24–28 Feb, 2–6 Mar, 9–12 Mar.
    const due = addWorkingDays("2026-02-13", 15);
    expect(due).toBe("2026-03-12");
    expect(workingDaysBetween("2026-02-13", due)).toBe(15);
  });

  it("outside the covered years assumes Monday to Friday", () => {
    expect(coversYear(2026)).toBe(true);
    expect(WORKING_DAY_DATA_YEARS.from).toBeLessThanOrEqual(2018);
    const after = WORKING_DAY_DATA_YEARS.to + 1;
    expect(coversYear(after)).toBe(false);
    // 1 October of an uncovered year: a weekday counts as a working day (no holiday known).
    const oct1 = `${after}-10-01`;
    const weekday = new Date(`${oct1}T00:00:00Z`).getUTCDay();
    expect(isWorkingDay(oct1)).toBe(weekday !== 0 && weekday !== 6);
  });

  it("count(a, add(a, n)) = n, and add gives a working day", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 60 }), (a, n) => {
        const b = addWorkingDays(a, n);
        expect(workingDaysBetween(a, b)).toBe(n);
        if (n > 0) expect(isWorkingDay(b)).toBe(true);
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });

  it("is monotonic in the end date and additive over a middle date", () => {
    fc.assert(
      fc.property(date, date, date, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort();
        expect(workingDaysBetween(a as string, b as string)).toBeLessThanOrEqual(
          workingDaysBetween(a as string, c as string),
        );
        expect(workingDaysBetween(a as string, c as string)).toBe(
          workingDaysBetween(a as string, b as string) + workingDaysBetween(b as string, c as string),
        );
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });

  it("never counts more working days than calendar days", () => {
    fc.assert(
      fc.property(date, date, (x, y) => {
        const [a, b] = [x, y].sort() as [string, string];
        const days = (Date.parse(b) - Date.parse(a)) / 86_400_000;
        expect(workingDaysBetween(a, b)).toBeLessThanOrEqual(days);
      }),
      { seed: 20261202, numRuns: 200 },
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCalendarDays,
  chongqingDate,
  chongqingDateTime,
  chongqingQuarter,
  chongqingYear,
} from "./calendar.ts";

describe("Chongqing calendar", () => {
  it("turns the UTC evening into the next Chongqing day", () => {
    expect(chongqingDate(new Date("2026-12-01T15:59:59Z"))).toBe("2026-12-01");
    expect(chongqingDate(new Date("2026-12-01T16:00:00Z"))).toBe("2026-12-02");
    expect(chongqingDate("2026-12-01T20:49:00-08:00")).toBe("2026-12-02");
    expect(chongqingDateTime("2026-12-31T18:30:00Z")).toBe("2027-01-01 02:30");
    expect(chongqingYear(new Date("2026-12-31T16:00:00Z"))).toBe(2027);
    expect(chongqingQuarter(new Date("2026-03-31T16:00:00Z"))).toBe(2);
  });

  it("agrees with Intl's Asia/Shanghai for any instant", () => {
    const fmt = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", dateStyle: "short" });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) }), (t) => {
        expect(chongqingDate(t)).toBe(fmt.format(t));
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it("adds days across month and year ends", () => {
    expect(addCalendarDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addCalendarDays("2024-03-01", -1)).toBe("2024-02-29");
  });
});

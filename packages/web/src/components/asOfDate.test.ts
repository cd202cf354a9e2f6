import { describe, expect, it } from "vitest";
import { isAsOfPage, parseAsOf } from "./asOfDate.ts";

describe("as-of date in the URL", () => {
  it("accepts real calendar dates only", () => {
    expect(parseAsOf("2022-11-01")).toBe("2022-11-01");
    expect(parseAsOf("2024-02-29")).toBe("2024-02-29");
    expect(parseAsOf("2023-02-29")).toBeNull();
    expect(parseAsOf("2022-13-01")).toBeNull();
    expect(parseAsOf("2022-1-1")).toBeNull();
    expect(parseAsOf("今天")).toBeNull();
    expect(parseAsOf("")).toBeNull();
    expect(parseAsOf(null)).toBeNull();
  });

  it("is carried by the calculator and measure pages only", () => {
    expect(isAsOfPage("/calculator")).toBe(true);
    expect(isAsOfPage("/measures/banan-2022-63/3")).toBe(true);
    expect(isAsOfPage("/profile")).toBe(false);
    expect(isAsOfPage("/login")).toBe(false);
    expect(isAsOfPage("/review/abc")).toBe(false);
    expect(isAsOfPage("/calculator/x")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { applyRate, formatFen, formatRange, parseRate, yuanToFen } from "./money.ts";

describe("money", () => {
  it("parses percent, permille and decimal rates exactly", () => {
    expect(parseRate("10%")).toMatchObject({ num: 10, den: 100 });
    expect(parseRate("0.1‰")).toMatchObject({ num: 1, den: 10000 });
    expect(parseRate("0.03")).toMatchObject({ num: 3, den: 100 });
    expect(() => parseRate("ten")).toThrow(/无法识别/);
  });

  it("floors rate × base to the fen without float drift", () => {
    // 0.1 + 0.2 style traps: 3% of 1,000,000.10 元 = 30,000.003 元 → 30,000.00 元
    expect(applyRate(100000010, parseRate("3%"))).toBe(3000000);
    expect(applyRate(1, parseRate("50%"))).toBe(0);
    expect(applyRate(99_999_999_999_999, parseRate("30%"))).toBe(29_999_999_999_999);
  });

  it("converts 元 with at most two decimals and rejects more", () => {
    expect(yuanToFen(1234.56)).toBe(123456);
    expect(yuanToFen(0.07)).toBe(7);
    expect(yuanToFen(1.234)).toBeUndefined();
  });

  it("formats amounts in Chinese", () => {
    expect(formatFen(20000000)).toBe("20万元");
    expect(formatFen(123456)).toBe("1,234.56元");
    expect(formatRange({ min: 0, max: 15000000 })).toBe("最高15万元");
    expect(formatRange({ min: 10000000, max: 20000000 })).toBe("10万元～20万元");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyRate,
  EXACT_YUAN_NUMBER_LIMIT_FEN,
  fenToYuan,
  formatFen,
  formatRange,
  formatYuanExact,
  formatYuanPlain,
  formatYuanShort,
  fractionDigits,
  parseRate,
  parseYuan,
  yuanToFen,
} from "./money.ts";
import { makeProfileValidator } from "./profile.ts";

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

/** Any integer 分 a JS number holds exactly. */
const anyFen = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
/** 分 whose 元 amount has at most 15 significant digits: every such 元 number prints as its exact decimal. */
const fenUpTo15Digits = fc.integer({
  min: -(EXACT_YUAN_NUMBER_LIMIT_FEN - 1),
  max: EXACT_YUAN_NUMBER_LIMIT_FEN - 1,
});

const revenueValidator = makeProfileValidator({
  facts: [{ id: "revenue", type: "money", perYear: true, label: "营业收入", question: "?" }],
});
function profileIssues(amount: number): string[] {
  try {
    revenueValidator({ revenue: { "2025": amount } });
    return [];
  } catch (e) {
    return (e as { issues?: { message: string }[] }).issues?.map((i) => i.message) ?? [String(e)];
  }
}

/** Reads a formatFen / formatYuanShort text back to 分 (test helper: "5.47万元" → 5,470,000). */
function readBack(text: string): number | undefined {
  if (text.startsWith("约")) return undefined;
  if (text.endsWith("万元")) {
    const hundredths = parseYuan(text.slice(0, -2));
    return hundredths === undefined ? undefined : hundredths * 10000;
  }
  return parseYuan(text);
}

describe("exact 元 text", () => {
  it("shows exact 元 with two decimals and thousands separators", () => {
    expect(formatYuanExact(5475000)).toBe("54,750.00元");
    expect(formatYuanExact(5470000)).toBe("54,700.00元");
    expect(formatYuanExact(20000000)).toBe("200,000.00元");
    expect(formatYuanExact(16666666667)).toBe("166,666,666.67元");
    expect(formatYuanExact(7)).toBe("0.07元");
    expect(formatYuanExact(0)).toBe("0.00元");
    expect(formatYuanExact(-123456)).toBe("-1,234.56元");
    expect(formatYuanExact(Number.MAX_SAFE_INTEGER)).toBe("90,071,992,547,409.91元");
    expect(formatYuanPlain(5475000)).toBe("54750.00");
    expect(formatYuanExact(1e22)).toBe("100,000,000,000,000,000,000.00元");
    expect(() => formatYuanExact(1.5)).toThrow(RangeError);
    expect(() => formatFen(Number.NaN)).toThrow(RangeError);
  });

  it("tells 54,700元 from 54,750元 wherever the text is exact", () => {
    expect(formatYuanExact(5470000)).not.toBe(formatYuanExact(5475000));
    expect(formatFen(5475000)).toBe("54,750元");
    expect(formatFen(5470000)).toBe("5.47万元");
  });

  it("parses what a user types, exactly", () => {
    expect(parseYuan("166666666.67")).toBe(16666666667);
    expect(parseYuan("54,750.00元")).toBe(5475000);
    expect(parseYuan(" 54750.5 ")).toBe(5475050);
    expect(parseYuan("0.07")).toBe(7);
    expect(parseYuan("-3.20")).toBe(-320);
    expect(parseYuan("1.005")).toBeUndefined();
    expect(parseYuan("12,34.00")).toBeUndefined();
    expect(parseYuan("1e5")).toBeUndefined();
    expect(parseYuan("")).toBeUndefined();
    expect(parseYuan("90071992547409.92")).toBeUndefined();
  });

  it("round-trips every integer 分: formatted to two decimals and parsed back gives the same 分", () => {
    fc.assert(
      fc.property(anyFen, (fen) => {
        expect(parseYuan(formatYuanExact(fen))).toBe(fen);
        expect(parseYuan(formatYuanPlain(fen))).toBe(fen);
        expect(formatYuanExact(fen)).toMatch(/^-?\d{1,3}(,\d{3})*\.\d{2}元$/);
      }),
      { numRuns: 2000 },
    );
  });

  it("formatFen never rounds: its 万元 text reads back to the same 分", () => {
    fc.assert(
      fc.property(anyFen, (fen) => {
        const text = formatFen(Math.abs(fen));
        expect(readBack(text), text).toBe(Math.abs(fen));
      }),
      { numRuns: 2000 },
    );
    // Whole multiples of 100元 are the ones formatFen writes in 万元.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 90_000_000_000 }), (hundreds) => {
        expect(readBack(formatFen(hundreds * 10000))).toBe(hundreds * 10000);
      }),
    );
  });
});

describe("short 万元 text for enterprises", () => {
  it("says 约 when the 万元 figure rounds, and only then", () => {
    expect(formatYuanShort(20000000)).toBe("20万元");
    expect(formatYuanShort(5470000)).toBe("5.47万元");
    expect(formatYuanShort(5475000)).toBe("约5.48万元");
    expect(formatYuanShort(5474999)).toBe("约5.47万元");
    expect(formatYuanShort(9999999)).toBe("约10万元");
    expect(formatYuanShort(123456789000)).toBe("约123,456.79万元");
    expect(formatYuanShort(320000)).toBe("3,200元");
    expect(formatYuanShort(123456)).toBe("1,234.56元");
  });

  it("is within half of 0.01万元 of the amount, and exact whenever it has no 约", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const text = formatYuanShort(fen);
        if (!text.startsWith("约")) {
          expect(readBack(text), text).toBe(fen);
          return;
        }
        const shown = readBack(text.slice(1).replaceAll(",", ""));
        expect(shown, text).toBeDefined();
        const diff = Math.abs((shown ?? 0) - fen);
        expect(diff).toBeGreaterThan(0);
        expect(diff).toBeLessThanOrEqual(5000);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("元 numbers from profiles and forms", () => {
  it("accepts 166,666,666.67元 in a profile and rejects a third decimal", () => {
    expect(profileIssues(166666666.67)).toEqual([]);
    expect(yuanToFen(166666666.67)).toBe(16666666667);
    expect(profileIssues(1.005)[0]).toMatch(/两位小数/);
    expect(yuanToFen(1.005)).toBeUndefined();
    expect(fractionDigits(1.5e-7)).toBe(8);
    expect(fractionDigits(1e21)).toBe(0);
    expect(yuanToFen(1e21)).toBeUndefined();
    expect(yuanToFen(Number.NaN)).toBeUndefined();
  });

  it("accepts any number with at most two decimals in its shortest decimal text, converting it exactly", () => {
    fc.assert(
      fc.property(fenUpTo15Digits, (fen) => {
        const typed = formatYuanPlain(fen);
        const n = Number(typed);
        expect(fractionDigits(n)).toBeLessThanOrEqual(2);
        expect(yuanToFen(n)).toBe(fen);
        expect(fenToYuan(fen)).toBe(n);
        if (fen >= 0) expect(profileIssues(n)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it("for any double, accepts it exactly when its shortest text has at most two decimals", () => {
    fc.assert(
      // Below 1e21 String() writes the point out (or "1e-7" style for tiny numbers: many decimals).
      fc.property(fc.double({ min: -1e20, max: 1e20, noNaN: true }), (n) => {
        const text = String(n);
        const decimals = text.includes("e-") ? 99 : (text.split(".")[1] ?? "").length;
        expect(fractionDigits(n) <= 2).toBe(decimals <= 2);
        const fen = yuanToFen(n);
        // (±0 alike: 0 分 either way.)
        if (fen !== undefined) expect(fen / 100 === n).toBe(true);
        if (decimals > 2 && n >= 0) expect(profileIssues(n)[0]).toMatch(/两位小数/);
      }),
      { numRuns: 2000 },
    );
  });
});

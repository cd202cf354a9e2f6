import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toYuan } from "./decimal.ts";

describe("toYuan", () => {
  it("converts 万元 with up to six places to 元 exactly, for any amount", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 900_000_000_000_000n }), (fen) => {
        // fen 分 = fen / 1_000_000 万元, written with six places.
        const wan = `${fen / 1_000_000n}.${String(fen % 1_000_000n).padStart(6, "0")}`;
        const r = toYuan(wan, "万元");
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.fen).toBe(fen);
        expect(Math.round(r.yuan * 100)).toBe(Number(fen));
        const yuanText = `${fen / 100n}.${String(fen % 100n).padStart(2, "0")}`;
        expect(r.yuan).toBe(Number(yuanText));
      }),
    );
  });

  it("keeps 元 amounts as written, without float error", () => {
    expect(toYuan("0.1", "元")).toMatchObject({ ok: true, yuan: 0.1, fen: 10n });
    expect(toYuan("1,234,567.89", "元")).toMatchObject({ ok: true, yuan: 1234567.89, fen: 123456789n });
    expect(toYuan("123.456789", "万元")).toMatchObject({ ok: true, yuan: 1234567.89 });
    expect(toYuan("0.000001", "万元")).toMatchObject({ ok: true, yuan: 0.01, fen: 1n });
    expect(toYuan("12", "万元")).toMatchObject({ ok: true, yuan: 120000 });
  });

  it("refuses negative, non-numeric and sub-分 amounts with a Chinese reason", () => {
    expect(toYuan("-5", "元")).toEqual({ ok: false, reason: "金额不能为负数" });
    expect(toYuan("十万", "元")).toMatchObject({ ok: false, reason: expect.stringContaining("应为数字") });
    expect(toYuan("1.2.3", "元")).toMatchObject({ ok: false });
    expect(toYuan("0.0000001", "万元")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("两位小数"),
    });
    expect(toYuan("0.001", "元")).toMatchObject({ ok: false, reason: expect.stringContaining("两位小数") });
    expect(toYuan("1e5", "元")).toMatchObject({ ok: false });
  });
});

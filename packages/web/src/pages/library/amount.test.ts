import { describe, expect, it } from "vitest";
import { measureAmountText } from "./amount.ts";

describe("measure amount text in the library", () => {
  it("states simple figures, shares, tiers and unstated money without inventing a figure", () => {
    expect(measureAmountText({ monetary: true, amount: { fixed: 200000 } })).toBe("20万元");
    expect(measureAmountText({ monetary: true, amount: { upTo: 500000 } })).toBe("最高50万元");
    expect(
      measureAmountText({ monetary: true, amount: { sum: [{ rate: "3%", base: "rdExpense[2021]" }] } }),
    ).toBe("按比例");
    expect(
      measureAmountText({
        monetary: true,
        amount: { readings: [{ cap: 1500000, amount: { rate: "10%", base: "x" } }] },
      }),
    ).toBe("按比例");
    expect(measureAmountText({ monetary: true, amountUnstated: "给予财政资金支持" })).toBe(
      "金额以申报通知为准",
    );
    expect(measureAmountText({ monetary: false, amount: { fixed: 1 } })).toBeNull();
    expect(measureAmountText(undefined)).toBeNull();
  });
});

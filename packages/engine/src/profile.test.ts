import { describe, expect, it } from "vitest";
import {
  deriveFacts,
  makeProfileValidator,
  ProfileValidationError,
  usccCheckChar,
  usccProblem,
} from "./profile.ts";
import type { Vocabulary } from "./types.ts";

const vocabulary: Vocabulary = {
  facts: [
    { id: "uscc", type: "string", label: "统一社会信用代码", question: "?" },
    { id: "industryCode", type: "string", label: "行业代码", question: "?" },
    { id: "revenue", type: "money", perYear: true, label: "营业收入", question: "?" },
    { id: "rdExpense", type: "money", perYear: true, label: "研发费用", question: "?" },
    { id: "rdIntensity", type: "ratio", perYear: true, label: "研发投入强度", question: "?" },
    { id: "size", type: "enum", label: "规模", question: "?", values: [{ value: "small", label: "小型" }] },
    {
      id: "certifications",
      type: "list",
      label: "认定",
      question: "?",
      fields: [{ id: "date", type: "date", label: "认定日期", required: true }],
    },
  ],
};
const validate = makeProfileValidator(vocabulary);

function issues(input: unknown) {
  try {
    validate(input);
  } catch (e) {
    if (e instanceof ProfileValidationError) return e.issues;
    throw e;
  }
  return [];
}

describe("GB 32100 unified social credit code", () => {
  it("computes the check character", () => {
    // 91350100M000100Y43 is a published example code.
    expect(usccCheckChar("91350100M000100Y4")).toBe("3");
    expect(usccProblem("91350100M000100Y43")).toBeNull();
    expect(usccProblem("91350100M000100Y44")).toMatch(/校验码错误.*应为「3」/);
    expect(usccProblem("123")).toMatch(/18位/);
  });
});

describe("profile validation names the field and the reason", () => {
  it("rejects a wrong type, a negative amount, an impossible date, a bad code, an unknown field", () => {
    expect(issues({ revenue: { "2021": "很多" } })[0]).toMatchObject({
      field: "revenue.2021",
      label: "2021年营业收入",
    });
    expect(issues({ revenue: { "2021": -5 } })[0]?.message).toMatch(/不能为负数/);
    expect(issues({ revenue: { "2021": 1.234 } })[0]?.message).toMatch(/两位小数/);
    expect(issues({ certifications: [{ date: "2022-02-30" }] })[0]).toMatchObject({
      field: "certifications[0].date",
      message: expect.stringMatching(/不是有效日期/),
    });
    expect(issues({ uscc: "91350100M000100Y44" })[0]).toMatchObject({
      field: "uscc",
      message: expect.stringMatching(/校验码/),
    });
    expect(issues({ size: "huge" })[0]?.message).toMatch(/small（小型）/);
    expect(issues({ revenu: {} })[0]?.message).toMatch(/不认识的字段：revenu/);
    expect(issues([])[0]?.message).toMatch(/JSON 对象/);
  });

  it("accepts a valid profile and derives industrial, manufacturing and R&D intensity", () => {
    const f = validate({ industryCode: "C3670", revenue: { "2021": 1e7 }, rdExpense: { "2021": 5e5 } });
    expect(f).toMatchObject({ industrial: true, manufacturing: true, rdIntensity: { "2021": 0.05 } });
    expect(deriveFacts({ industryCode: "F5171" })).toMatchObject({ industrial: false, manufacturing: false });
    expect(deriveFacts({ industryCode: "I6510" })).toMatchObject({ softwareEnterprise: true });
  });
});

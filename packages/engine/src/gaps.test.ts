import { describe, expect, it } from "vitest";
import { compileRules } from "./engine.ts";
import { formatGapNumber, labelForm, measureGaps, splitComparison } from "./gaps.ts";
import type { RuleSet } from "./types.ts";

const rules: RuleSet = {
  version: "test",
  vocabulary: {
    facts: [
      { id: "regionCode", type: "string", label: "所在区县", question: "在哪个区县？" },
      { id: "revenue", type: "money", perYear: true, unit: "元", label: "营业收入", question: "营业收入？" },
      {
        id: "rdExpense",
        type: "money",
        perYear: true,
        unit: "元",
        label: "研发费用",
        question: "研发费用？",
      },
      { id: "since", type: "year", label: "开始年份", question: "哪一年开始？" },
      { id: "award", type: "boolean", label: "获奖", question: "是否获奖？" },
      { id: "score", type: "integer", label: "得分", question: "得分？" },
      { id: "debt", type: "ratio", label: "资产负债率", question: "资产负债率？" },
    ],
  },
  documents: [
    {
      id: "s",
      docNumber: "测〔2022〕1号",
      title: "标准",
      issuer: "测试部",
      issuedOn: "2022-01-01",
      level: "national",
      regionCode: "500000",
      validFrom: "2022-01-01",
      numberedMeasures: 1,
      sourceFile: "x",
    },
  ],
  measures: [
    {
      id: "s/1",
      ordinal: 1,
      title: "认定",
      benefitType: "service",
      monetary: false,
      clause: "条件",
      leadDepartment: "x",
      interpretation: { who: "企业", what: "认定" },
      eligibility: {
        all: [
          { label: "从事特定细分市场时间达到2年以上", expr: "year - since >= 2" },
          { label: "上年度研发费用总额不低于100万元", expr: "rdExpense[year - 1] >= 1000000" },
          {
            label: "上年度研发费用总额占营业收入总额比重不低于3%",
            expr: "rdExpense[year - 1] / revenue[year - 1] >= 0.03",
          },
          {
            any: [
              { label: "评价得分达到60分以上", expr: "score >= 60" },
              { label: "获奖", expr: "award" },
            ],
          },
          { label: "资产负债率不高于75%", expr: "debt <= 0.75" },
        ],
      },
    },
  ],
  stackingGroups: [],
};

const engine = compileRules(rules);
const asOf = "2026-06-01";
const passing = {
  regionCode: "500156",
  since: 2020,
  rdExpense: { "2025": 1_500_000 },
  revenue: { "2025": 40_000_000 },
  score: 70,
  debt: 0.5,
};

describe("measureGaps", () => {
  it("says nothing when the measure holds", () => {
    expect(measureGaps(engine, "s/1", passing, asOf)).toMatchObject({
      outcome: "eligible",
      gaps: [],
      distance: 0,
    });
  });

  it("words a ratio shortfall in percentage points", () => {
    const r = measureGaps(
      engine,
      "s/1",
      { ...passing, rdExpense: { "2025": 1_200_000 }, revenue: { "2025": 50_000_000 } },
      asOf,
    );
    expect(r.outcome).toBe("ineligible");
    expect(r.gaps.map((g) => g.text)).toEqual(["上年度研发费用总额占营业收入总额比重还差 0.6 个百分点"]);
    expect(r.gaps[0]).toMatchObject({ kind: "short", actual: 3 - 0.6, required: 3 });
    expect(r.distance).toBeCloseTo(0.2);
  });

  it("words money in the label's unit, years as years, a maximum as 超出", () => {
    const r = measureGaps(
      engine,
      "s/1",
      { ...passing, since: 2025, rdExpense: { "2025": 600_000 }, revenue: { "2025": 10_000_000 }, debt: 0.8 },
      asOf,
    );
    expect(r.gaps.map((g) => g.text)).toEqual([
      "从事特定细分市场时间还差 1 年",
      "上年度研发费用总额还差 40 万元",
      "资产负债率超出 5 个百分点",
    ]);
  });

  it("under 'any' reports the closest alternative only, and unknowns as 待补充", () => {
    const low = measureGaps(engine, "s/1", { ...passing, score: 55, award: false }, asOf);
    expect(low.gaps.map((g) => g.text)).toEqual(["评价得分还差 5 分"]);
    const unknown = measureGaps(engine, "s/1", { ...passing, score: undefined }, asOf);
    expect(unknown.outcome).toBe("undetermined");
    expect(unknown.gaps.map((g) => g.kind)).toEqual(["unknown"]);
    expect(unknown.gaps[0]?.text).toMatch(/^待补充：/);
  });

  it("ranks: a small shortfall is closer than an unmet condition", () => {
    const near = measureGaps(engine, "s/1", { ...passing, rdExpense: { "2025": 1_190_000 } }, asOf);
    const far = measureGaps(engine, "s/1", { ...passing, score: 10, award: false, since: 2026 }, asOf);
    expect(near.distance).toBeLessThan(far.distance);
  });

  it("outside the region: the reason, and the farthest distance", () => {
    const r = measureGaps(engine, "s/1", { ...passing, regionCode: "110101" }, asOf);
    expect(r.outcome).toBe("ineligible");
    expect(r.distance).toBe(99);
  });
});

describe("helpers", () => {
  it("splits only a single top-level comparison", () => {
    expect(splitComparison("(a ? 1 : 2) + b[year - 1] >= 60")).toEqual({
      lhs: "(a ? 1 : 2) + b[year - 1]",
      op: ">=",
      rhs: "60",
    });
    expect(splitComparison("a >= 1 && b >= 2")).toBeUndefined();
    expect(splitComparison("a == 'x'")).toBeUndefined();
    expect(splitComparison("has(list, 'a>b')")).toBeUndefined();
  });
  it("reads the label's subject and unit", () => {
    expect(labelForm("上年度营业收入总额在1000万元以上")).toEqual({
      subject: "上年度营业收入总额",
      unit: "万元",
    });
    expect(labelForm("列入白名单")).toBeUndefined();
  });
  it("rounds a gap up to two decimals", () => {
    expect(formatGapNumber(0.6000000000000001)).toBe("0.6");
    expect(formatGapNumber(0.123)).toBe("0.13");
    expect(formatGapNumber(12345.5)).toBe("12,345.5");
  });
});

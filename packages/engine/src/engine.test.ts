import { describe, expect, it } from "vitest";
import { compileRules } from "./engine.ts";
import { RuleCompileError } from "./expression.ts";
import type { MeasureDef, RuleSet } from "./types.ts";

const facts: RuleSet["vocabulary"]["facts"] = [
  { id: "regionCode", type: "string", label: "所在区县", question: "在哪个区县？" },
  { id: "industrial", type: "boolean", label: "工业企业", question: "是否工业企业？" },
  { id: "revenue", type: "money", perYear: true, unit: "元", label: "营业收入", question: "营业收入多少？" },
  {
    id: "rdExpense",
    type: "money",
    perYear: true,
    unit: "元",
    label: "研发费用",
    question: "研发费用多少？",
  },
  {
    id: "certifications",
    type: "list",
    label: "认定",
    question: "有哪些认定？",
    fields: [
      { id: "kind", type: "string", label: "类型" },
      { id: "level", type: "string", label: "级别" },
      { id: "date", type: "date", label: "日期" },
      { id: "renewal", type: "boolean", label: "复核" },
    ],
  },
  {
    id: "awardsReceived",
    type: "list",
    label: "已享受奖补",
    question: "已享受哪些奖补？",
    fields: [
      { id: "measureId", type: "string", label: "措施" },
      { id: "amount", type: "money", label: "金额" },
    ],
  },
];

const base = {
  benefitType: "award",
  monetary: true,
  leadDepartment: "economy-it",
  interpretation: { who: "企业", what: "奖励" },
} as const;

function rules(measures: Partial<MeasureDef>[], groups: RuleSet["stackingGroups"] = []): RuleSet {
  return {
    version: "test",
    vocabulary: { facts },
    documents: [
      {
        id: "d",
        docNumber: "测〔2022〕1号",
        title: "测试",
        issuer: "测试区人民政府",
        issuedOn: "2022-01-01",
        level: "district",
        regionCode: "500113",
        validFrom: "2022-01-01",
        validUntil: "2022-12-31",
        numberedMeasures: measures.length,
        sourceFile: "x",
      },
      {
        id: "m",
        docNumber: "市〔2022〕1号",
        title: "市级",
        issuer: "重庆市某委",
        issuedOn: "2022-01-01",
        level: "municipal",
        regionCode: "500000",
        validFrom: "2022-01-01",
        numberedMeasures: 1,
        sourceFile: "x",
      },
    ],
    measures: measures.map(
      (m, i) =>
        ({
          id: `d/${i + 1}`,
          ordinal: i + 1,
          title: `措施${i + 1}`,
          clause: "原文",
          ...base,
          ...m,
        }) as MeasureDef,
    ),
    stackingGroups: groups,
  };
}

const asOf = "2022-06-01";

function first(engine: ReturnType<typeof compileRules>) {
  const m = engine.measures[0];
  if (!m) throw new Error("no measure compiled");
  return m;
}

describe("outcomes are three-valued", () => {
  const engine = compileRules(
    rules([
      {
        eligibility: { all: [{ expr: "industrial", label: "工业" }, { expr: "revenue[2021] >= 20000000" }] },
        amount: 200000,
      },
    ]),
  );
  const m = first(engine);

  it("eligible with an exact amount when every fact is known", () => {
    const r = engine.evaluateMeasure(
      m,
      { regionCode: "500113", industrial: true, revenue: { "2021": 30000000 } },
      asOf,
    );
    expect(r).toMatchObject({ outcome: "eligible", amount: { min: 20000000, max: 20000000 }, missing: [] });
  });

  it("a missing fact is never read as false or 0: undetermined, and it says which fact", () => {
    const r = engine.evaluateMeasure(m, { regionCode: "500113", industrial: true }, asOf);
    expect(r.outcome).toBe("undetermined");
    expect(r.missing).toEqual(["revenue:2021"]);
  });

  it("one false condition decides even when another is unknown", () => {
    const r = engine.evaluateMeasure(m, { regionCode: "500113", industrial: false }, asOf);
    expect(r.outcome).toBe("ineligible");
    expect(r.reason).toBe("工业");
  });

  it("outside the validity window or the region is ineligible", () => {
    const f = { regionCode: "500113", industrial: true, revenue: { "2021": 3e7 } };
    expect(engine.evaluateMeasure(m, f, "2023-01-01").reason).toMatch(/已过执行期限/);
    expect(engine.evaluateMeasure(m, f, "2021-12-31").reason).toMatch(/尚未开始/);
    expect(engine.evaluateMeasure(m, { ...f, regionCode: "500112" }, asOf).outcome).toBe("ineligible");
    expect(engine.evaluateMeasure(m, { industrial: true, revenue: { "2021": 3e7 } }, asOf).missing).toEqual([
      "regionCode",
    ]);
  });
});

describe("amount building blocks", () => {
  const evalAmount = (amount: MeasureDef["amount"], f: Record<string, unknown>) => {
    const engine = compileRules(rules([{ amount }]));
    return engine.evaluateMeasure(first(engine), { regionCode: "500113", ...f }, asOf).amount;
  };

  it("rate × base, capped, exact to the fen", () => {
    const a = { cap: 1500000, amount: { rate: "10%", base: "rdExpense[2021]" } };
    expect(evalAmount(a, { rdExpense: { "2021": 1234567.89 } })).toEqual({ min: 12345678, max: 12345678 });
    expect(evalAmount(a, { rdExpense: { "2021": 9e7 } })).toEqual({ min: 150000000, max: 150000000 });
  });

  it("an unknown base gives the range [0, cap], not 0", () => {
    expect(evalAmount({ cap: 1500000, amount: { rate: "10%", base: "rdExpense[2021]" } }, {})).toEqual({
      min: 0,
      max: 150000000,
    });
    expect(evalAmount({ rate: "10%", base: "rdExpense[2021]" }, {})).toEqual({ min: 0, max: null });
  });

  it("tiers pay the highest step reached; unknown value spans 0 to the top step", () => {
    const tiers = {
      tiers: {
        value: "revenue[2021]",
        steps: [
          { atLeast: 200000000, amount: 50000 },
          { atLeast: 5000000000, amount: 800000 },
          { atLeast: 1000000000, amount: 200000 },
        ],
      },
    };
    expect(evalAmount(tiers, { revenue: { "2021": 1.2e9 } })).toEqual({ min: 20000000, max: 20000000 });
    expect(evalAmount(tiers, { revenue: { "2021": 1e8 } })).toEqual({ min: 0, max: 0 });
    expect(evalAmount(tiers, {})).toEqual({ min: 0, max: 80000000 });
  });

  it("max of alternatives (就高不就低) and sum", () => {
    const max = {
      max: [
        { rate: "5%", base: "rdExpense[2022]" },
        { rate: "30%", base: "rdExpense[2022] - rdExpense[2021]" },
      ],
    };
    expect(evalAmount(max, { rdExpense: { "2021": 1e6, "2022": 2e6 } })).toEqual({
      min: 30000000,
      max: 30000000,
    });
    expect(evalAmount(max, { rdExpense: { "2021": 1.9e6, "2022": 2e6 } })).toEqual({
      min: 10000000,
      max: 10000000,
    });
    expect(evalAmount({ sum: [100, { range: [10, 20] }] }, {})).toEqual({ min: 11000, max: 12000 });
  });

  it("top-up pays the difference to what was already received, never below 0", () => {
    const topUp = { topUp: 500000, received: "received('d/1')" };
    expect(evalAmount(topUp, { awardsReceived: [{ measureId: "d/1", amount: 100000 }] })).toEqual({
      min: 40000000,
      max: 40000000,
    });
    expect(evalAmount(topUp, { awardsReceived: [{ measureId: "d/1", amount: 600000 }] })).toEqual({
      min: 0,
      max: 0,
    });
    expect(evalAmount(topUp, {})).toEqual({ min: 0, max: 50000000 });
  });

  it("cases: an earlier unknown case widens the range", () => {
    const cases = {
      cases: [
        { when: { expr: "cert('littleGiant') != null" }, amount: 400000 },
        { when: { expr: "cert('srdi') != null" }, amount: 100000 },
      ],
    };
    expect(evalAmount(cases, { certifications: [{ kind: "srdi", date: "2022-01-02" }] })).toEqual({
      min: 10000000,
      max: 10000000,
    });
    expect(evalAmount(cases, {})).toEqual({ min: 0, max: 40000000 });
  });
});

describe("stacking 从高不重复", () => {
  const r = rules(
    [
      {
        title: "区级绿色奖励",
        eligibility: { expr: "cert('greenFactory') != null" },
        amount: { range: [100000, 200000] },
      },
      { title: "区级升规", amount: 200000 },
    ],
    [],
  );
  r.measures.push({
    ...base,
    id: "m/14",
    ordinal: 14,
    title: "市级绿色工厂奖励",
    clause: "不超过100万元",
    eligibility: { expr: "cert('greenFactory', 'national') != null" },
    amount: { upTo: 1000000 },
  } as MeasureDef);
  r.stackingGroups.push({
    id: "green",
    rule: "highestOnly",
    title: "同属绿色工厂奖励",
    document: "d",
    quote: "从高不重复",
    reading: "只享受较高者",
    members: ["d/1", "m/14"],
  });
  const engine = compileRules(r);

  it("ranks by what the enterprise can count on, shows the higher ceiling as a choice, adds only one", () => {
    const res = engine.evaluate(
      {
        regionCode: "500113",
        certifications: [{ kind: "greenFactory", level: "national", date: "2022-03-01" }],
      },
      { asOf },
    );
    expect(res.stacking).toHaveLength(1);
    // 区级 [10万, 20万] is certain to give 10万; 市级 "不超过100万" may give nothing.
    expect(res.stacking[0]).toMatchObject({ recommended: "d/1", notAdded: ["m/14"] });
    expect(res.results.find((x) => x.measureId === "m/14")?.stacking?.[0]?.decision).toBe("notAdded");
    expect(res.stacking[0]?.reason).toContain("也可改按「市级绿色工厂奖励」申请，最高可得");
    expect(res.stacking[0]?.reason).not.toMatch(/[dm]\/\d/);
    // 升规 20万 + 区级 [10万, 20万]; the 市级 [0, 100万] is not added.
    expect(res.totals.eligible).toEqual({ min: 30000000, max: 40000000 });
  });
});

describe("question planning", () => {
  const engine = compileRules(
    rules([
      { eligibility: { expr: "industrial" }, amount: 200000 },
      { eligibility: { expr: "industrial && revenue[2021] > 0" }, amount: 50000 },
      { eligibility: { expr: "rdExpense[2021] > 0" }, amount: 10000 },
    ]),
  );
  it("asks first for the fact that decides the most money", () => {
    const res = engine.evaluate({ regionCode: "500113" }, { asOf });
    expect(res.questions.map((q) => q.fact)).toEqual(["industrial", "revenue:2021", "rdExpense:2021"]);
    expect(res.questions[0]).toMatchObject({ moneyAtStake: 25000000, measures: ["d/1", "d/2"] });
  });
});

describe("compile errors name the place", () => {
  it("rejects an unknown fact and an unknown function", () => {
    expect(() => compileRules(rules([{ eligibility: { expr: "nosuch > 1" }, amount: 1 }]))).toThrow(
      RuleCompileError,
    );
    expect(() => compileRules(rules([{ eligibility: { expr: "foo(1)" }, amount: 1 }]))).toThrow(
      /d\/1\.eligibility.*未知函数/,
    );
    expect(() => compileRules(rules([{ eligibility: { expr: "revenue > 1" }, amount: 1 }]))).toThrow(
      /按年度/,
    );
    expect(() => compileRules(rules([{ amount: { rate: "abc", base: "1" } }]))).toThrow(/无法识别的比例/);
  });
});

describe("explanations", () => {
  const engine = compileRules(
    rules([
      {
        eligibility: {
          all: [{ expr: "revenue[2021] >= 20000000", label: "营收达2000万", quote: "主营业务收入2000万元" }],
        },
        amount: 1,
      },
    ]),
  );
  it("carry the actual value, the required value and the quoted clause", () => {
    const e = engine.explain("d/1", { regionCode: "500113", revenue: { "2021": 1e7 } }, asOf);
    const leaf = e.eligibility?.children?.[0];
    expect(leaf).toMatchObject({ result: false, required: ">= 20000000", quote: "主营业务收入2000万元" });
    expect(leaf?.facts).toEqual([{ key: "revenue:2021", label: "2021年营业收入", value: 1e7, unit: "元" }]);
    expect(e.citation).toMatchObject({ docNumber: "测〔2022〕1号", item: "第1条" });
  });
});

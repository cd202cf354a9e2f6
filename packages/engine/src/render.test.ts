import { describe, expect, it } from "vitest";
import { compileRules } from "./engine.ts";
import { explanationText, failureText, renderExplanation, untranslatedWords } from "./render.ts";
import { makeGlossary, moneyText, rangeText, renderCondition, renderValue } from "./render-expression.ts";
import type { MeasureDef, RuleSet } from "./types.ts";

const rules: RuleSet = {
  version: "test",
  vocabulary: {
    facts: [
      {
        id: "regionCode",
        type: "enum",
        label: "所在区县",
        question: "？",
        values: [
          { value: "500112", label: "渝北区" },
          { value: "500113", label: "巴南区" },
        ],
      },
      { id: "manufacturing", type: "boolean", label: "制造业企业", question: "？" },
      { id: "rdReserveSystem", type: "boolean", label: "已建立研发准备金制度", question: "？" },
      {
        id: "size",
        type: "enum",
        label: "企业规模",
        question: "？",
        values: [
          { value: "medium", label: "中型" },
          { value: "small", label: "小型" },
          { value: "micro", label: "微型" },
        ],
      },
      { id: "rdExpense", type: "money", unit: "元", perYear: true, label: "研发费用", question: "？" },
      { id: "subsidyReceived", type: "money", unit: "元", label: "已获补助", question: "？" },
      { id: "investment", type: "money", unit: "元", label: "投资额", question: "？" },
      {
        id: "certifications",
        type: "list",
        label: "资质认定与荣誉",
        question: "？",
        fields: [
          {
            id: "kind",
            type: "enum",
            label: "认定类型",
            values: [
              { value: "srdi", label: "专精特新中小企业" },
              { value: "greenFactory", label: "绿色工厂" },
            ],
          },
          {
            id: "level",
            type: "enum",
            label: "级别",
            values: [
              { value: "national", label: "国家级" },
              { value: "municipal", label: "市级" },
            ],
          },
          { id: "date", type: "date", label: "认定日期" },
          { id: "renewal", type: "boolean", label: "是否为到期复核通过", default: false },
        ],
      },
      {
        id: "projects",
        type: "list",
        label: "投资项目",
        question: "？",
        fields: [
          {
            id: "kind",
            type: "enum",
            label: "项目类型",
            values: [
              { value: "smartFactory", label: "智能工厂建设项目" },
              { value: "techRenovation", label: "一般技术改造项目" },
            ],
          },
          { id: "name", type: "string", label: "项目名称" },
          { id: "equipmentInvestment", type: "money", label: "设备投资额（元）" },
          { id: "progress", type: "ratio", label: "投资进度（0～1）" },
        ],
      },
    ],
  },
  documents: [
    {
      id: "yubei-2021-13",
      docNumber: "渝北府发〔2021〕13号",
      title: "措施",
      issuer: "重庆市渝北区人民政府",
      issuedOn: "2021-10-14",
      level: "district",
      regionCode: "500112",
      validFrom: "2021-10-14",
      numberedMeasures: 3,
      sourceFile: "source.txt",
    },
  ],
  measures: [],
  stackingGroups: [],
  departments: { "economy-it": "区经济信息委", finance: "区财政局" },
};

const measure = (m: Partial<MeasureDef> & Pick<MeasureDef, "id" | "ordinal">): MeasureDef => ({
  title: "测试措施",
  benefitType: "subsidy",
  monetary: true,
  clause: "原文",
  leadDepartment: "economy-it",
  coDepartments: ["finance"],
  interpretation: { who: "企业", what: "补助" },
  ...m,
});

const g = makeGlossary(rules);
const env = { g, year: 2024, asOf: "2024-03-01" };

describe("money in words", () => {
  it("is exact, with thousands separators, 万元 and 亿元 only when exact", () => {
    expect(moneyText(10_000_000_00)).toBe("1,000万元");
    expect(moneyText(88_000_000_00)).toBe("8,800万元");
    expect(moneyText(1_000_000_000_00)).toBe("10亿元");
    expect(moneyText(250_000_000_00)).toBe("2.5亿元");
    expect(moneyText(3_200_00)).toBe("3,200元");
    expect(moneyText(26_401_234_56)).toBe("26,401,234.56元");
    expect(moneyText(0)).toBe("0元");
    expect(rangeText({ min: 0, max: 150_0000_00 })).toBe("最高150万元");
    expect(rangeText({ min: 0, max: null })).toBe("金额待定（上限未定）");
  });
});

describe("expressions in Chinese", () => {
  it("resolves per-year facts against the as-of year and words comparisons", () => {
    expect(renderCondition("rdExpense[year - 1] < 10000000", env)).toBe("2023年研发费用低于1,000万元");
    expect(renderCondition("rdExpense[2021] >= 10000000", env)).toBe("2021年研发费用不低于1,000万元");
    expect(renderCondition("rdExpense[year - 1] > 0", env)).toBe("2023年研发费用高于0元");
  });

  it("puts parentheses where precedence needs them", () => {
    expect(renderValue("(investment - subsidyReceived) * 0.3", env).text).toBe("（投资额 − 已获补助）× 0.3");
    expect(renderValue("investment - subsidyReceived * 2", env).text).toBe("投资额 − 已获补助 × 2");
    expect(renderValue("investment - (subsidyReceived - 1)", env).text).toBe("投资额 −（已获补助 − 1元）");
    expect(renderCondition("manufacturing && (rdReserveSystem || size == 'small')", env)).toBe(
      "是制造业企业且（已建立研发准备金制度或企业规模为小型）",
    );
    expect(renderCondition("manufacturing && (size == 'small' || size == 'micro')", env)).toBe(
      "是制造业企业且企业规模为小型或微型",
    );
  });

  it("words enum values, booleans, negation and the built-in functions", () => {
    expect(renderCondition("oneOf(size, 'medium', 'small', 'micro')", env)).toBe(
      "企业规模为中型、小型或微型",
    );
    expect(renderCondition("!manufacturing", env)).toBe("不是制造业企业");
    expect(renderCondition("rdReserveSystem == false", env)).toBe("未建立研发准备金制度");
    expect(renderCondition("cert('srdi') != null || cert('greenFactory', 'national') != null", env)).toBe(
      "已获专精特新中小企业或国家级绿色工厂认定",
    );
    expect(renderCondition("cert('srdi') >= '2022-01-01'", env)).toBe(
      "专精特新中小企业认定日期不早于2022年1月1日",
    );
    expect(renderCondition("yearOf(cert('srdi')) >= year - 1", env)).toBe(
      "专精特新中小企业认定年份不早于2023年",
    );
    expect(renderValue("max(rdExpense[year - 1] - rdExpense[year - 2], 0)", env).text).toBe(
      "2023年研发费用 − 2022年研发费用（为负时按0计）",
    );
    expect(renderValue("received('yubei-2021-13/9.1')", env).text).toBe(
      "已享受《渝北府发〔2021〕13号》第9条（第1项）的奖补金额",
    );
  });

  it("reads list filters with the list's field labels and merges date ranges", () => {
    const certs = g.facts.get("certifications");
    expect(
      renderCondition(
        "item.kind == 'greenFactory' && !item.renewal && item.date >= '2021-01-01' && item.date <= asOf",
        {
          ...env,
          itemOf: certs,
        },
      ),
    ).toBe("认定类型为绿色工厂且不是到期复核通过且认定日期在2021年1月1日至测算日（2024年3月1日）之间");
    const projects = g.facts.get("projects");
    expect(renderCondition("item.progress >= 0.8", { ...env, itemOf: projects })).toBe("投资进度不低于80%");
  });

  it("names regions and departments in Chinese", () => {
    expect(g.regionName("500112")).toBe("渝北区");
    expect(g.regionName("500000")).toBe("重庆市（全市）");
    expect(g.departmentName("economy-it")).toBe("区经济信息委");
  });
});

describe("explanations", () => {
  const engine = compileRules({
    ...rules,
    measures: [
      measure({
        id: "yubei-2021-13/2",
        ordinal: 2,
        sub: 2,
        eligibility: {
          exists: { list: "projects", where: "item.kind == 'smartFactory'" },
          label: "有智能工厂项目",
        },
        amount: {
          forEach: {
            list: "projects",
            where: "item.kind == 'smartFactory'",
            amount: { cap: 50000000, amount: { rate: "30%", base: "item.equipmentInvestment" } },
          },
        },
      }),
      measure({
        id: "yubei-2021-13/3",
        ordinal: 3,
        amount: {
          tiers: {
            value: "rdExpense[year - 1]",
            steps: [
              { atLeast: 10000000, amount: 500000 },
              { atLeast: 50000000, amount: 1000000 },
            ],
          },
        },
      }),
    ],
  });
  const facts = {
    regionCode: "500112",
    rdExpense: { "2023": 20000000 },
    projects: [
      { kind: "smartFactory", name: "智能工厂二期", equipmentInvestment: 88000000, progress: 0.9 },
      { kind: "smartFactory", name: "三期", equipmentInvestment: 200000000 },
      { kind: "techRenovation", name: "冲压线扩能", equipmentInvestment: 30000000 },
    ],
  };

  it("explains forEach per item, with the item named, and the items add up to the total", () => {
    const e = engine.explain("yubei-2021-13/2", facts, "2024-03-01");
    const items = e.amount?.items ?? [];
    expect(items.map((i) => i.matched)).toEqual([true, true, false]);
    expect(items.reduce((s, i) => s + i.amount.min, 0)).toBe(e.amount?.amount.min);
    expect(e.amount?.amount.min).toBe((26_400_000 + 50_000_000) * 100);
    const text = explanationText(renderExplanation(e, g));
    expect(text).toContain("项目『智能工厂二期』：设备投资额 8,800万元 × 30% = 2,640万元，不超过5,000万元");
    expect(text).toContain("项目『三期』：设备投资额 2亿元 × 30% = 6,000万元，超过上限，按5,000万元计");
    expect(text).toContain("✘ 【0元】 项目『冲压线扩能』：不计入");
    expect(text).toContain("合计：2,640万元 + 5,000万元 = 7,640万元");
    expect(text).toContain("出处：重庆市渝北区人民政府《渝北府发〔2021〕13号》第2条（第2项）\n");
    expect(text).not.toMatch(/第\s*第/);
    expect(text).toContain("牵头单位：区经济信息委；配合单位：区财政局");
    expect(text).toContain("适用地区：渝北区");
    expect(untranslatedWords(text)).toEqual([]);
  });

  it("explains exists per item", () => {
    const e = engine.explain("yubei-2021-13/2", facts, "2024-03-01");
    expect(e.eligibility?.items?.map((i) => i.result)).toEqual([true, true, false]);
    const lines = renderExplanation(e, g).checks[2];
    expect(lines?.children?.map((c) => c.text)).toEqual([
      "项目『智能工厂二期』：符合",
      "项目『三期』：符合",
      "项目『冲压线扩能』：不符合",
    ]);
    expect(lines?.children?.[2]?.collapsed).toBe(true);
  });

  it("marks the tier that applied and folds the others", () => {
    const e = engine.explain("yubei-2021-13/3", facts, "2024-03-01");
    expect(e.amount?.children?.map((c) => [c.atLeast, c.applied])).toEqual([
      [50000000, false],
      [10000000, true],
    ]);
    const tiers = renderExplanation(e, g).amount?.lines[0]?.children ?? [];
    expect(tiers.map((t) => [t.text, t.applied, t.collapsed])).toEqual([
      ["2023年研发费用达到5,000万元", false, true],
      ["2023年研发费用达到1,000万元", true, false],
    ]);
  });

  it("gives the reason a measure is ruled out in words", () => {
    const e = engine.explain("yubei-2021-13/2", { regionCode: "500113", projects: [] }, "2024-03-01");
    expect(failureText(e, g)).toBe("仅适用于渝北区的企业");
  });
});

describe("untranslated words", () => {
  it("flags codes and lets the documents' abbreviations through", () => {
    expect(untranslatedWords("kzExistingEnterprise 与 projects: oneOf(item.kind)")).toEqual([
      "kzExistingEnterprise",
      "projects",
      "oneOf",
      "item",
      "kind",
    ]);
    expect(untranslatedWords("按 LPR 的 50%，两化融合 AA/AAA 级，GB/T 4754，C3670")).toEqual([]);
  });
});

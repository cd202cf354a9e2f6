import { describe, expect, it } from "vitest";
import { compileRules } from "./engine.ts";
import type { Facts } from "./expression.ts";
import type { MeasureDef, RuleSet } from "./types.ts";

const rules: RuleSet = {
  version: "test",
  vocabulary: {
    facts: [
      { id: "regionCode", type: "string", label: "所在区县", question: "在哪个区县？" },
      { id: "industrial", type: "boolean", label: "工业企业", question: "是否工业企业？" },
      {
        id: "revenue",
        type: "money",
        perYear: true,
        unit: "元",
        label: "营业收入",
        question: "营业收入多少？",
      },
      {
        id: "certifications",
        type: "list",
        label: "认定",
        question: "有哪些认定？",
        fields: [
          { id: "kind", type: "string", label: "类型" },
          { id: "level", type: "string", label: "级别" },
        ],
      },
    ],
  },
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
      numberedMeasures: 3,
      sourceFile: "x",
    },
  ],
  measures: [
    {
      eligibility: {
        all: [{ expr: "industrial" }, { expr: "revenue[2021] >= 20000000 || revenue[2020] >= 20000000" }],
      },
      amount: 200000,
    },
    {
      eligibility: {
        exists: { list: "certifications", where: "item.kind == 'srdi' && item.level == 'municipal'" },
      },
      amount: { range: [100000, 500000] },
    },
    { eligibility: { expr: "industrial || revenue[2021] >= 1" } },
  ].map(
    (m, i) =>
      ({
        id: `d/${i + 1}`,
        ordinal: i + 1,
        title: `措施${i + 1}`,
        clause: "原文",
        benefitType: "award",
        monetary: i < 2,
        leadDepartment: "economy-it",
        interpretation: { who: "企业", what: "奖励" },
        ...m,
      }) as MeasureDef,
  ),
  stackingGroups: [],
};

const engine = compileRules(rules);
const profiles: Facts[] = [
  {},
  { regionCode: "500113" },
  { regionCode: "500113", industrial: true },
  { regionCode: "500113", industrial: true, revenue: { "2020": 1 } },
  { regionCode: "500113", industrial: true, revenue: { "2021": 30000000 } },
  { industrial: false, revenue: { "2021": 5 }, certifications: [{ kind: "srdi" }, { level: "municipal" }] },
  { regionCode: "500113", certifications: [{ kind: "srdi", level: "municipal" }] },
  { regionCode: "500113", certifications: [] },
];

describe("missingFacts on prepared slots", () => {
  it("gives what evaluateMeasure reports as missing, for every measure and profile, on two dates", () => {
    for (const asOf of ["2022-06-01", "2023-06-01"]) {
      const ctx = engine.context(asOf);
      for (const p of profiles) {
        const slots = engine.prepare(p);
        for (const m of engine.measures) {
          const r = engine.evaluateMeasure(m, p, asOf);
          if (r.outcome === "ineligible" || (r.outcome === "eligible" && r.missing.length === 0)) continue;
          expect(engine.missingFacts(m, slots, ctx), `${m.def.id} ${JSON.stringify(p)}`).toEqual(r.missing);
        }
      }
    }
  });

  it("lists each key once, in first-seen order, and keeps nothing from one call to the next", () => {
    const ctx = engine.context("2022-06-01");
    const m = engine.measures[0];
    if (!m) throw new Error("no measure");
    const empty = engine.prepare({});
    expect(engine.missingFacts(m, empty, ctx)).toEqual([
      "regionCode",
      "industrial",
      "revenue:2021",
      "revenue:2020",
    ]);
    const known = engine.prepare({ regionCode: "500113", industrial: true, revenue: { "2021": 30000000 } });
    expect(engine.missingFacts(m, known, ctx)).toEqual([]);
    // Another context (another date) gets its own tracking context; the hot path context is left untouched.
    expect(engine.missingFacts(m, empty, engine.context("2023-06-01"))).toHaveLength(4);
    expect(ctx.missing).toBeUndefined();
  });
});

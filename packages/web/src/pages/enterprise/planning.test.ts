import { compileRules, makeProfileValidator, usccCheckChar } from "@huiqi/engine";
import { loadPolicyLibrary } from "@huiqi/policies";
import { describe, expect, it } from "vitest";
import { basicKeys, otherIndustryFacts, planningProfile, planQuestions, stableOrder } from "./planning.ts";

const rules = loadPolicyLibrary().rules;
const engine = compileRules(rules);
const validate = makeProfileValidator(rules.vocabulary);
const all = engine.measures.map((m) => m.def.id);
const first17 = "91500112MA6PLAN01";
const base = { uscc: `${first17}${usccCheckChar(first17)}`, name: "重庆某电池有限公司" };

function plan(facts: Record<string, unknown>, asOf: string) {
  return planQuestions(engine, validate({ ...base, ...facts }), asOf, all);
}

describe("profile wizard planning", () => {
  it("asks a battery maker no medicine, software or CRO questions, and says what it left out", () => {
    const p = plan({ regionCode: "500112", industryCode: "C3841" }, "2023-03-01");
    const facts = p.questions.map((q) => q.factId);
    expect(facts.length).toBeGreaterThan(3);
    for (const f of [
      "cqPharmaApprovals",
      "cqBiomedServicePlatform",
      "cqBiomedServiceRevenue",
      "cqFirstVersionSoftwareProduct",
      "cqKeyIndustrialSoftwareProduct",
      "foodBusiness",
    ])
      expect(facts).not.toContain(f);
    expect(p.skipped.count).toBeGreaterThanOrEqual(6);
    expect(p.skipped.sectors).toEqual(expect.arrayContaining(["医药", "软件"]));
  });

  it("still asks a pharmaceutical maker about its new drugs, and a software firm about its products", () => {
    const pharma = plan({ regionCode: "500112", industryCode: "C2710" }, "2023-03-01");
    expect(pharma.questions.map((q) => q.factId)).toContain("cqPharmaApprovals");
    const software = plan(
      { regionCode: "500112", industryCode: "C3841", softwareEnterprise: true },
      "2023-03-01",
    );
    expect(software.questions.map((q) => q.factId)).toContain("cqFirstVersionSoftwareProduct");
  });

  it("leaves the basics to the first step and asks nothing about other districts or expired measures", () => {
    const asOf = "2022-11-01";
    const p = plan({ regionCode: "500113", industryCode: "C3484" }, asOf);
    const basics = new Set(basicKeys(asOf));
    expect(basicKeys(asOf)).toEqual([
      "industryCode",
      "employees",
      "revenue:2021",
      "aboveScale",
      "rdExpense:2021",
      "rdExpense:2020",
    ]);
    for (const q of p.questions) {
      expect(basics.has(q.fact)).toBe(false);
      for (const id of q.measures) expect(id.startsWith("banan-") || id.startsWith("cq-")).toBe(true);
    }
    // Ranked by money at stake: unbounded first, then descending.
    const stakes = p.questions.map((q) =>
      q.moneyAtStake === null ? Number.POSITIVE_INFINITY : q.moneyAtStake,
    );
    expect([...stakes].sort((a, b) => b - a)).toEqual(stakes);
  });

  it("assumes other industries' facts only where the enterprise left them unknown, never its answers", () => {
    const f = planningProfile({ industryCode: "C3841", foodBusiness: true }, engine);
    expect(f.foodBusiness).toBe(true);
    expect(f.cqPharmaApprovals).toEqual([]);
    expect(planningProfile({ regionCode: "500112" }, engine)).toEqual({ regionCode: "500112" });
  });

  it("names other industries' facts for lists of questions (the calculator's), CRO revenue included", () => {
    const battery = otherIndustryFacts({ industryCode: "C3841" });
    expect(battery.has("cqBiomedServiceRevenue")).toBe(true);
    expect(battery.has("cqFirstVersionSoftwareProduct")).toBe(true);
    expect(otherIndustryFacts({ industryCode: "M7340" }).has("cqBiomedServiceRevenue")).toBe(false);
    expect(otherIndustryFacts({}).size).toBe(0);
  });

  it("keeps the order questions were first shown in; answered ones drop out, new ones go last", () => {
    const q = (fact: string, moneyAtStake: number) => ({
      fact,
      factId: fact,
      label: fact,
      question: fact,
      moneyAtStake,
      measures: ["x"],
    });
    const next = stableOrder(["a", "b", "c"], [q("c", 9), q("d", 8), q("a", 1)]);
    expect(next.map((x) => x.fact)).toEqual(["a", "c", "d"]);
  });
});

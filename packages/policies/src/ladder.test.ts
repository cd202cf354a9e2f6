import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileRules, makeProfileValidator, measureGaps } from "@huiqi/engine";
import { describe, expect, it } from "vitest";
import { runCase } from "./cases.ts";
import { LADDER_MEASURES, loadLadderLibrary } from "./ladder.ts";
import { loadPolicyLibrary } from "./load.ts";

const lib = loadLadderLibrary();
const engine = compileRules(lib.rules);
const validate = makeProfileValidator(lib.rules.vocabulary);

describe("ladder criteria (工信部企业〔2022〕63号)", () => {
  it("holds the two standards, each with cases", () => {
    expect(lib.documents.map((d) => d.document.id)).toEqual(["miit-2022-63"]);
    for (const id of Object.values(LADDER_MEASURES)) {
      expect(engine.byId.has(id)).toBe(true);
      expect(lib.documents[0]?.cases.filter((c) => c.measure === id).length).toBeGreaterThanOrEqual(4);
    }
  });
  it("quotes every condition's words in source.txt", () => {
    const doc = lib.documents[0];
    const source = readFileSync(join(doc?.dir ?? "", "source.txt"), "utf8");
    const flat = source.replace(/\s+/g, "");
    for (const m of doc?.measures ?? []) {
      for (const sentence of m.clause.split(/(?<=。)/).filter(Boolean))
        expect(flat, `${m.id} 条文「${sentence}」`).toContain(sentence.replace(/\s+/g, ""));
    }
  });
  it("stays out of the enterprise library", () => {
    const library = loadPolicyLibrary();
    expect(library.rules.measures.some((m) => m.id.startsWith("miit-2022-63/"))).toBe(false);
  });
  for (const c of lib.documents[0]?.cases ?? []) {
    it(c.name, () => {
      expect(runCase(engine, validate, c)).toEqual([]);
    });
  }
});

describe("ladder gaps from the encoded criteria", () => {
  it("a 2.4% R&D share is 0.6 percentage points short of 专精特新", () => {
    const facts = validate({
      regionCode: "500156",
      nicheMarketSince: 2020,
      rdExpense: { "2025": 1200000 },
      revenue: { "2025": 50000000 },
      srdiEvaluationScore: 70,
    });
    const r = measureGaps(engine, LADDER_MEASURES.srdi, facts, "2026-06-01");
    expect(r.gaps.map((g) => g.text)).toEqual(["上年度研发费用总额占营业收入总额比重还差 0.6 个百分点"]);
  });
  it("the 创新型 score: the sub-score that falls short, in 分", () => {
    const facts = validate({
      regionCode: "500156",
      mainProductIpClass: "none",
      rdExpense: { "2025": 350000 },
      revenue: { "2025": 10000000 },
      mainBusinessRevenue: { "2024": 8000000, "2025": 9600000 },
      assetLiabilityRatio: { "2025": 0.4 },
      mainProductStrategicEmerging: true,
      scienceAwardRecent: false,
      certifications: [],
      equityFinancing: { "2023": 0, "2024": 0, "2025": 0 },
    });
    const r = measureGaps(engine, LADDER_MEASURES.innovativeSme, facts, "2026-06-01");
    expect(r.gaps.map((g) => g.text)).toEqual(["创新能力指标得分还差 5 分"]);
  });
});

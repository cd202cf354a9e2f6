/**
 * Every case's explanation as readers see it: Chinese only (no fact ids, enum codes, expressions),
 * nothing the renderer could not word, citations written once, per-item figures adding up.
 */
import { compileRules, makeGlossary, PLACEHOLDERS, untranslatedWords } from "@huiqi/engine";
import { describe, expect, it } from "vitest";
import { itemSumProblems, profileStrings, renderAllCases } from "./explain-cases.ts";
import { loadPolicyLibrary } from "./load.ts";

const lib = loadPolicyLibrary();
const engine = compileRules(lib.rules);
const g = makeGlossary(lib.rules);
const rendered = renderAllCases(lib, engine, g);

describe("rendered explanations of every case", () => {
  it("cover every case with a measure", () => {
    const withMeasure = lib.documents.flatMap((d) => d.cases).filter((c) => c.measure).length;
    expect(rendered.filter((r) => r.case.measure).length).toBe(withMeasure);
  });

  it("contain no untranslated code words (only the documents' own abbreviations)", () => {
    const found: string[] = [];
    for (const r of rendered) {
      let text = r.text;
      for (const s of profileStrings(r.case.profile)) text = text.replaceAll(s, "");
      const words = untranslatedWords(text);
      if (words.length) found.push(`${r.measureId}（${r.case.name}）：${[...new Set(words)].join("、")}`);
    }
    expect(found).toEqual([]);
  });

  it("word every expression (no placeholder for an unknown function, fact or form)", () => {
    const found = rendered.flatMap((r) =>
      Object.values(PLACEHOLDERS)
        .filter((p) => r.text.includes(p))
        .map((p) => `${r.measureId}（${r.case.name}）：${p}`),
    );
    expect(found).toEqual([]);
  });

  it("write the citation once, as 第N条 or 第N条（第M项）", () => {
    for (const r of rendered) {
      expect(r.text, r.measureId).not.toMatch(/第\s*第|条\s*条/);
      expect(r.text, r.measureId).toMatch(/^出处：.+《.+》第\d+条(（第\d+项）)?$/m);
    }
  });

  it("name regions by their Chinese names, never by code", () => {
    for (const r of rendered) expect(r.text, r.measureId).not.toMatch(/\b50\d{4}\b/);
  });

  it("have per-item figures that add up to each forEach total", () => {
    const problems = rendered.flatMap((r) =>
      itemSumProblems(r.explanation.amount).map((p) => `${r.measureId}（${r.case.name}）${p}`),
    );
    expect(problems).toEqual([]);
  });
});

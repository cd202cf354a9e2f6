import { makeProfileValidator, usccProblem } from "@huiqi/engine";
import { describe, expect, it } from "vitest";
import { loadBenchLibrary } from "./library.ts";
import { generatePopulation, mulberry32, PopulationGenerator } from "./population.ts";

const lib = loadBenchLibrary();
const vocabulary = lib.rules.vocabulary;

describe("synthetic population", () => {
  it("mulberry32 is deterministic", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 5; i++) expect(a()).toBe(b());
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
  });

  it("same seed → same enterprises; another seed → different ones", () => {
    const x = generatePopulation(vocabulary, 20, { seed: 7 });
    const y = generatePopulation(vocabulary, 20, { seed: 7 });
    expect(y).toEqual(x);
    expect(JSON.stringify(generatePopulation(vocabulary, 20, { seed: 8 }))).not.toBe(JSON.stringify(x));
    // Enterprise i depends only on (seed, i): generating it alone gives the same profile.
    expect(new PopulationGenerator(vocabulary, { seed: 7 }).enterprise(13)).toEqual(x[13]);
  });

  it("every enterprise of a 200-sample passes the profile validator", () => {
    const validate = makeProfileValidator(vocabulary);
    const gen = new PopulationGenerator(vocabulary, {
      seed: 20221101,
      measureIds: lib.rules.measures.map((m) => m.id),
    });
    const problems: string[] = [];
    for (let k = 0; k < 200; k++) {
      const i = k * 997; // spread over the first ~200k
      const p = gen.enterprise(i);
      try {
        validate(p);
      } catch (e) {
        problems.push(`#${i}: ${(e as Error).message}`);
      }
      if (typeof p.uscc === "string" && usccProblem(p.uscc)) problems.push(`#${i}: uscc ${p.uscc}`);
    }
    expect(problems).toEqual([]);
  });

  it("has unknown facts and some of every vocabulary fact", () => {
    const pop = generatePopulation(vocabulary, 2000, { seed: 1 });
    for (const def of vocabulary.facts) {
      const given = pop.filter((p) => p[def.id] !== undefined).length;
      expect(given, def.id).toBeGreaterThan(0);
      if (!def.identity) expect(given, def.id).toBeLessThan(pop.length);
    }
    const focus = pop.filter((p) => ["500113", "500112", "500154", "500156"].includes(String(p.regionCode)));
    expect(focus.length).toBeGreaterThan(pop.length * 0.6);
  });
});

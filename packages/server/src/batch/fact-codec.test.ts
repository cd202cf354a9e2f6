import { compileRules, deriveFacts } from "@huiqi/engine";
import { loadPolicyLibrary } from "@huiqi/policies";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PopulationGenerator } from "../../../../bench/population.ts";
import { decodeFacts, encodedBuffers, encodeFacts, SlotReader } from "./fact-codec.ts";
import { layoutOf } from "./match-worker.ts";

const rules = loadPolicyLibrary().rules;
const engine = compileRules(rules);
const layout = layoutOf(engine);

/** Holes read as undefined: what the engine sees (index and length) is what is compared. */
function dense(slots: unknown[]): unknown[] {
  return Array.from(slots, (v) => (Array.isArray(v) ? Array.from(v) : v));
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });

describe("fact codec", () => {
  it("round-trips JSON-like values (and undefined), keeping key order; an own __proto__ stays a key", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(jsonValue, fc.constant(undefined)), { maxLength: 12 }), (values) => {
        const e = encodeFacts(values);
        expect(decodeFacts(e)).toEqual(values);
        expect(encodedBuffers(e)).toHaveLength(3);
      }),
    );
    const tricky = JSON.parse('{"__proto__": {"x": 1}, "a": [1, null, "b"], "2021": 3}');
    const [back] = decodeFacts(encodeFacts([tricky])) as Record<string, unknown>[];
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back as object)).toEqual(Object.keys(tricky));
    expect(back).toEqual(tricky);
  });

  it("refuses values that are not JSON-like, in Chinese", () => {
    expect(() => encodeFacts([{ a: 1n }])).toThrow(/不能传给匹配线程/);
  });

  it("reads facts straight into the engine's slots: the same as Engine.prepare", () => {
    const gen = new PopulationGenerator(rules.vocabulary, { seed: 3, unknownRate: 0.3 });
    const facts = [
      ...gen.generate(300).map((p) => deriveFacts(p)),
      {},
      { revenue: { "2021": 5, "2021.5": 6, abc: 7, "1999": 8, "2100": 9, " 2022": 10 }, employees: null },
      { revenue: [1, 2, 3], rdExpense: null, certifications: "x", noSuchFact: { a: 1 } },
      { regionCode: undefined, name: "甲" },
    ];
    const e = encodeFacts(facts);
    const r = new SlotReader(e, layout);
    for (const f of facts) {
      const got = r.nextSlots();
      expect(dense(got)).toEqual(dense(engine.prepare(f)));
    }
  });

  it("property: random facts objects (known ids with random values) read into the same slots", () => {
    const ids = rules.vocabulary.facts.map((f) => f.id);
    const factsArb = fc.dictionary(
      fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 4 })),
      fc.oneof(
        jsonValue,
        fc.dictionary(fc.constantFrom("2019", "2020", "2021", "2022", "x", "2021.0"), jsonValue),
      ),
      { maxKeys: 10 },
    );
    fc.assert(
      fc.property(fc.array(factsArb, { maxLength: 5 }), (facts) => {
        const r = new SlotReader(encodeFacts(facts), layout);
        for (const f of facts) expect(dense(r.nextSlots())).toEqual(dense(engine.prepare(f)));
      }),
    );
  });
});

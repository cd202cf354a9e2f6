import { compileRules, deriveFacts, type Facts, makeProfileValidator, type RuleSet } from "@huiqi/engine";
import { loadPolicyLibrary } from "@huiqi/policies";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PopulationGenerator } from "../../../../bench/population.ts";
import { demoEnterprises } from "../demo/enterprises.ts";
import { type MatchRow, matchRowsFor } from "./lists.ts";
import { type ColumnarMatchPool, createInlinePool, createMatchPool, type PoolChunk } from "./pool.ts";

const library = loadPolicyLibrary();
const rules: RuleSet = library.rules;
const engine = compileRules(rules);
const allIds = engine.measures.map((m) => m.def.id);
const validate = makeProfileValidator(rules.vocabulary);

function reference(chunk: PoolChunk): MatchRow[] {
  return chunk.enterprises.flatMap((e) => matchRowsFor(engine, e.id, e.facts, chunk.asOf, chunk.measureIds));
}

function demoChunk(asOf: string): PoolChunk {
  return {
    asOf,
    measureIds: allIds,
    enterprises: demoEnterprises().map((d, i) => ({ id: `demo-${i}-${d.slug}`, facts: validate(d.profile) })),
  };
}

let pool: ColumnarMatchPool;
const inline = createInlinePool(engine);

beforeAll(() => {
  pool = createMatchPool({ rules, threads: 2 });
});
afterAll(async () => {
  await pool.close();
});

describe("the rule set crosses to a worker thread", () => {
  it("survives structured clone: the clone compiles to an engine giving the same rows", async () => {
    const clone = structuredClone(rules);
    expect(clone).toEqual(rules);
    const chunk = demoChunk("2023-09-01");
    expect(await createInlinePool(compileRules(clone)).match(chunk)).toEqual(reference(chunk));
  });
});

describe("pools give exactly matchRowsFor's rows", () => {
  it("demo enterprises, two dates, inline and threaded", async () => {
    for (const asOf of ["2022-11-01", "2023-09-01"]) {
      const chunk = demoChunk(asOf);
      const want = reference(chunk);
      expect(want.length).toBeGreaterThan(50);
      expect(want.some((r) => r.outcome === "eligible")).toBe(true);
      expect(want.some((r) => r.outcome === "undetermined" && r.missing.length > 0)).toBe(true);
      expect(await inline.match(chunk)).toEqual(want);
      expect(await pool.match(chunk)).toEqual(want);
    }
  });

  it("a subset of measures in a given order, unknown ids skipped, an empty chunk", async () => {
    const ids = [...allIds].reverse().filter((_, i) => i % 3 === 0);
    const chunk = { ...demoChunk("2023-09-01"), measureIds: ["no-such/1", ...ids] };
    expect(await pool.match(chunk)).toEqual(reference(chunk));
    expect(await pool.match({ ...chunk, enterprises: [] })).toEqual([]);
  });

  it("a partition-sized chunk is split across the threads and joined back in order", async () => {
    const gen = new PopulationGenerator(rules.vocabulary, { seed: 11, measureIds: allIds });
    const chunk: PoolChunk = {
      asOf: "2023-09-01",
      measureIds: allIds,
      enterprises: gen.generate(600, 5000).map((p, i) => ({ id: `p-${i}`, facts: deriveFacts(p) })),
    };
    const want = reference(chunk);
    expect(await pool.match(chunk)).toEqual(want);
    expect(await inline.match(chunk)).toEqual(want);
  });

  it("columnar rows decode to the same rows", async () => {
    const chunk = demoChunk("2023-09-01");
    const cols = await pool.matchColumns(chunk);
    const want = reference(chunk);
    expect(cols.length).toBe(want.length);
    for (let r = 0; r < cols.length; r++) {
      const w = want[r] as MatchRow;
      expect(chunk.measureIds[cols.measure[r] as number]).toBe(w.measureId);
      expect(chunk.enterprises[cols.enterprise[r] as number]?.id).toBe(w.enterpriseId);
      expect(cols.outcome[r]).toBe(w.outcome === "eligible" ? 1 : 2);
    }
  });

  it("property: for random synthetic enterprises and dates, pool rows == matchRowsFor rows", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          unknownRate: fc.double({ min: 0, max: 0.9, noNaN: true }),
          from: fc.integer({ min: 0, max: 1_000_000 }),
          n: fc.integer({ min: 0, max: 40 }),
          asOf: fc
            .date({
              min: new Date("2019-01-01T00:00:00Z"),
              max: new Date("2026-12-31T00:00:00Z"),
              noInvalidDate: true,
            })
            .map((d) => d.toISOString().slice(0, 10)),
          // Drop some facts outright, on top of the generator's own unknowns.
          drop: fc.array(fc.constantFrom(...rules.vocabulary.facts.map((f) => f.id)), { maxLength: 8 }),
          every: fc.integer({ min: 1, max: 4 }),
        }),
        async ({ seed, unknownRate, from, n, asOf, drop, every }) => {
          const gen = new PopulationGenerator(rules.vocabulary, { seed, unknownRate, measureIds: allIds });
          const enterprises = gen.generate(n, from).map((p, i) => {
            const facts: Facts = deriveFacts(p);
            for (const id of drop) delete facts[id];
            return { id: `e-${from + i}`, facts };
          });
          const chunk: PoolChunk = {
            asOf,
            measureIds: allIds.filter((_, i) => i % every === 0),
            enterprises,
          };
          const want = reference(chunk);
          expect(await inline.match(chunk)).toEqual(want);
          expect(await pool.match(chunk)).toEqual(want);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("errors and closing", () => {
  it("an error in a worker is a rejected promise with a Chinese message; the pool keeps working", async () => {
    const chunk = { ...demoChunk("2023-09-01"), asOf: "2023-02-30" };
    await expect(pool.match(chunk)).rejects.toThrow(/^批量匹配失败：.*不是有效日期/);
    await expect(inline.match(chunk)).rejects.toThrow(/^批量匹配失败：/);
    const ok = demoChunk("2023-09-01");
    expect(await pool.match(ok)).toEqual(reference(ok));
  });

  it("a pool without a usable rule set rejects in Chinese", async () => {
    const broken = createMatchPool({
      rules: { ...rules, vocabulary: { ...rules.vocabulary, facts: [] } },
      threads: 1,
    });
    try {
      await expect(broken.match(demoChunk("2023-09-01"))).rejects.toThrow(/^批量匹配失败：规则集无法编译/);
    } finally {
      await broken.close();
    }
  });

  it("closes cleanly: pending work finishes, later calls reject, closing twice is fine", async () => {
    const p = createMatchPool({ rules, threads: 1 });
    const chunk = demoChunk("2023-09-01");
    const pending = p.match(chunk);
    await p.close();
    expect(await pending).toEqual(reference(chunk));
    await expect(p.match(chunk)).rejects.toThrow("批量匹配失败：匹配线程池已关闭");
    await p.close();
    const own = createInlinePool(engine);
    await own.close();
    await expect(own.match(chunk)).rejects.toThrow("批量匹配失败：匹配线程池已关闭");
  });
});

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileRules, makeProfileValidator } from "@huiqi/engine";
import { loadPolicyLibrary } from "@huiqi/policies";
import { describe, expect, it } from "vitest";
import { readJsonFile } from "./input.ts";

const dir = fileURLToPath(new URL("../../../examples", import.meta.url));
const lib = loadPolicyLibrary();
const engine = compileRules(lib.rules);
const validate = makeProfileValidator(lib.rules.vocabulary);

/** The as-of date each example is meant for (inside the validity of the measures it shows off). */
export const EXAMPLE_AS_OF: Record<string, string> = {
  "banan-manufacturer.json": "2022-11-01",
  "banan-food-service.json": "2022-11-01",
  "banan-green-upgrade.json": "2022-11-01",
  "yubei-software.json": "2023-03-01",
  "yubei-smart-factory.json": "2023-03-01",
  "kaizhou-manufacturer.json": "2023-11-15",
  "wulong-srdi.json": "2023-03-01",
};

describe("example profiles", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  it("cover the four districts with at least six profiles", () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    const regions = new Set(
      files.map((f) => (readJsonFile(join(dir, f)) as { regionCode: string }).regionCode),
    );
    expect([...regions].sort()).toEqual(["500112", "500113", "500154", "500156"]);
  });
  for (const f of files) {
    it(`${f} validates and fits at least one measure`, () => {
      const asOf = EXAMPLE_AS_OF[f];
      expect(asOf, `add ${f} to EXAMPLE_AS_OF`).toBeDefined();
      const facts = validate(readJsonFile(join(dir, f)));
      const r = engine.evaluate(facts, { asOf: asOf as string });
      expect(r.results.some((x) => x.outcome === "eligible")).toBe(true);
    });
  }
});

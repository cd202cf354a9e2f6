import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileRules, makeProfileValidator } from "@huiqi/engine";
import { loadPolicyLibrary } from "@huiqi/policies";
import { describe, expect, it } from "vitest";
import { EXAMPLE_AS_OF } from "./example-dates.ts";
import { readJsonFile } from "./input.ts";

const dir = fileURLToPath(new URL("../../../examples", import.meta.url));
const lib = loadPolicyLibrary();
const engine = compileRules(lib.rules);
const validate = makeProfileValidator(lib.rules.vocabulary);

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

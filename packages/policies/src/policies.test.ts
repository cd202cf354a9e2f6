import { compileRules, makeProfileValidator } from "@huiqi/engine";
import { describe, expect, it } from "vitest";
import { runCase } from "./cases.ts";
import { coverage } from "./coverage.ts";
import { loadPolicyLibrary } from "./load.ts";

const lib = loadPolicyLibrary();
const engine = compileRules(lib.rules);
const validate = makeProfileValidator(lib.rules.vocabulary);

for (const doc of lib.documents) {
  describe(`${doc.document.id} ${doc.document.docNumber}`, () => {
    for (const c of doc.cases) {
      it(c.name, () => {
        expect(runCase(engine, validate, c)).toEqual([]);
      });
    }
  });
}

describe("coverage", () => {
  const expected = ["banan-2022-63", "cq-jxw-2022-6", "kaizhou-2023-27", "wulong-2022-48", "yubei-2021-13"];
  it("records all five documents", () => {
    expect(lib.documents.map((d) => d.document.id).sort()).toEqual(expected);
  });
  for (const c of coverage(lib)) {
    it(`${c.documentId}: every numbered measure recorded, every monetary measure executable with ≥2 cases`, () => {
      expect(c.unrecorded).toEqual([]);
      expect(c.executable).toBe(c.monetary);
      expect(c.undertested).toEqual([]);
    });
  }
});

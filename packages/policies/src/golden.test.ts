/**
 * Golden files: one rendered explanation per monetary measure, per document, committed under
 * packages/policies/golden/ so a reviewer reads them in one place. UPDATE_GOLDEN=1 rewrites them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileRules, makeGlossary } from "@huiqi/engine";
import { describe, expect, it } from "vitest";
import { GOLDEN_COMMAND, goldenMarkdown, renderAllCases } from "./explain-cases.ts";
import { loadPolicyLibrary, POLICIES_ROOT } from "./load.ts";

const dir = join(POLICIES_ROOT, "golden");
const update = process.env.UPDATE_GOLDEN === "1";
const lib = loadPolicyLibrary();
const engine = compileRules(lib.rules);
const g = makeGlossary(lib.rules);
const rendered = renderAllCases(lib, engine, g);

describe("golden explanations", () => {
  if (update) mkdirSync(dir, { recursive: true });
  for (const doc of lib.documents) {
    const file = join(dir, `${doc.document.id}.md`);
    it(`${doc.document.id}.md`, () => {
      const actual = goldenMarkdown(doc, rendered, g);
      if (update) writeFileSync(file, actual);
      expect(existsSync(file), `缺少 ${file}：运行 ${GOLDEN_COMMAND}`).toBe(true);
      expect(actual, `解释与金样不一致：审阅变化后运行 ${GOLDEN_COMMAND}`).toBe(readFileSync(file, "utf8"));
    });
  }

  it("has no golden file of a document that no longer exists", () => {
    const ids = new Set(lib.documents.map((d) => `${d.document.id}.md`));
    const stale = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".md") && !ids.has(f)) : [];
    expect(stale).toEqual([]);
  });
});

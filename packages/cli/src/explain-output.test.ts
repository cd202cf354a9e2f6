/**
 * What `huiqi match` and `huiqi explain` print for every example profile is Chinese a non-expert can
 * read: no fact ids, enum codes or expressions. Allowed: the documents' own abbreviations (see
 * ALLOWED_ABBREVIATIONS), what the enterprise typed itself, and in `match` the handles a user types back
 * (measure numbers for `huiqi explain <编号>`, `--all`) and the rules version hash.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileRules, makeProfileValidator, untranslatedWords } from "@huiqi/engine";
import { loadPolicyLibrary, profileStrings } from "@huiqi/policies";
import { describe, expect, it } from "vitest";
import { EXAMPLE_AS_OF } from "./example-dates.ts";
import { renderExplanation, renderMatch } from "./format.ts";
import { readJsonFile } from "./input.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const examples = join(root, "examples");
const lib = loadPolicyLibrary();
const engine = compileRules(lib.rules);
const validate = makeProfileValidator(lib.rules.vocabulary);

/** A measure number (banan-2022-63/2.1), a rules version, a command-line flag: handles, not words. */
const HANDLES = [/\b[a-z]+(?:-[a-z]+)*-\d{4}-\d+\/\d+(?:\.\d+)?/g, /规则版本：[0-9a-f]{16}/g, /--[a-z-]+/g];

function leftovers(text: string, profile: unknown, handles: RegExp[] = []): string[] {
  let t = text;
  for (const s of profileStrings(profile)) t = t.replaceAll(s, "");
  for (const h of handles) t = t.replace(h, "");
  return [...new Set(untranslatedWords(t))];
}

function huiqi(...args: string[]): string {
  const r = spawnSync(process.execPath, [join(root, "packages/cli/bin/huiqi.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  return r.stdout;
}

const files = readdirSync(examples).filter((f) => f.endsWith(".json"));

describe("CLI output for every example profile", () => {
  for (const f of files) {
    const profile = readJsonFile(join(examples, f));
    const asOf = EXAMPLE_AS_OF[f] ?? "2023-03-01";
    const facts = validate(profile);

    it(`${f}: huiqi match --all has no code words`, () => {
      const result = engine.evaluate(facts, { asOf, explain: true });
      const text = renderMatch(result, engine, { all: true, profileName: facts.name as string | undefined });
      expect(leftovers(text, profile, HANDLES)).toEqual([]);
    });

    it(`${f}: huiqi explain of every measure has no code words`, () => {
      const found: string[] = [];
      for (const id of engine.byId.keys()) {
        const words = leftovers(renderExplanation(engine.explain(id, facts, asOf), engine), profile);
        if (words.length) found.push(`${id}：${words.join("、")}`);
      }
      expect(found).toEqual([]);
    });
  }

  it("the huiqi binary prints what these renderers produce", () => {
    const file = join(examples, "yubei-smart-factory.json");
    const facts = validate(readJsonFile(file));
    const asOf = EXAMPLE_AS_OF["yubei-smart-factory.json"] as string;
    const printed = huiqi("explain", "yubei-2021-13/2.2", "--profile", file, "--as-of", asOf);
    expect(printed).toBe(`${renderExplanation(engine.explain("yubei-2021-13/2.2", facts, asOf), engine)}\n`);
    expect(printed).toContain("项目『智能工厂二期』：");
    const match = huiqi("match", "--profile", file, "--as-of", asOf, "--all");
    expect(leftovers(match, readJsonFile(file), HANDLES)).toEqual([]);
  });
});

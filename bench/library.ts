/**
 * Loads the policy library for the benchmark, tolerating documents that are
 * still being encoded: a folder that fails to load, or a measure / stacking
 * group that fails to compile, is skipped and reported instead of aborting.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  compileRules,
  type Engine,
  type FactDefinition,
  RuleCompileError,
  type RuleSet,
} from "@huiqi/engine";
import {
  DOCUMENTS_DIR,
  documentIds,
  type LoadedDocument,
  loadDocument,
  loadPolicyLibrary,
  POLICIES_ROOT,
} from "@huiqi/policies";
import { parse } from "yaml";

export interface BenchLibrary {
  rules: RuleSet;
  engine: Engine;
  /** What was left out, and why (empty when the whole library loaded and compiled). */
  skipped: string[];
}

function readFacts(file: string): FactDefinition[] {
  if (!existsSync(file)) return [];
  const raw = parse(readFileSync(file, "utf8")) as { facts?: FactDefinition[] } | null;
  return raw?.facts ?? [];
}

function tolerantRuleSet(skipped: string[]): RuleSet {
  const facts = [...readFacts(join(POLICIES_ROOT, "vocabulary", "facts.yaml"))];
  const docs: LoadedDocument[] = [];
  for (const id of documentIds(DOCUMENTS_DIR)) {
    try {
      docs.push(loadDocument(id, DOCUMENTS_DIR));
    } catch (e) {
      skipped.push(`document ${id}: ${(e as Error).message.split("\n")[0]}`);
    }
    try {
      facts.push(...readFacts(join(DOCUMENTS_DIR, id, "facts.yaml")));
    } catch (e) {
      skipped.push(`facts of ${id}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  const seen = new Set<string>();
  const unique = facts.filter((f) => !seen.has(f.id) && seen.add(f.id));
  return {
    version: "bench-tolerant",
    vocabulary: { facts: unique },
    documents: docs.map((d) => d.document),
    measures: docs.flatMap((d) => d.measures),
    stackingGroups: [],
  };
}

export function loadBenchLibrary(): BenchLibrary {
  const skipped: string[] = [];
  let rules: RuleSet;
  try {
    rules = loadPolicyLibrary().rules;
  } catch (e) {
    skipped.push(
      `loadPolicyLibrary failed (${(e as Error).message.split("\n")[0]}); loading document by document`,
    );
    rules = tolerantRuleSet(skipped);
  }
  // Drop whatever does not compile yet, one offender at a time.
  for (let attempt = 0; attempt < 1000; attempt++) {
    try {
      return { rules, engine: compileRules(rules), skipped };
    } catch (e) {
      if (!(e instanceof RuleCompileError)) throw e;
      const where = e.where;
      if (where.startsWith("stacking.") || where === "vocabulary") {
        const gid = where.slice("stacking.".length);
        skipped.push(`${where}: ${e.message}`);
        rules = { ...rules, stackingGroups: rules.stackingGroups.filter((g) => g.id !== gid) };
        if (where === "vocabulary") {
          const dup = new Set<string>();
          rules = {
            ...rules,
            vocabulary: { facts: rules.vocabulary.facts.filter((f) => !dup.has(f.id) && dup.add(f.id)) },
          };
        }
        continue;
      }
      const measureId = rules.measures
        .filter((m) => where === m.id || where.startsWith(`${m.id}.`))
        .sort((a, b) => b.id.length - a.id.length)[0]?.id;
      if (!measureId) throw e;
      skipped.push(`measure ${e.message}`);
      rules = {
        ...rules,
        measures: rules.measures.filter((m) => m.id !== measureId),
        stackingGroups: rules.stackingGroups.filter((g) => !g.members.includes(measureId)),
      };
    }
  }
  throw new Error("could not compile the rule set");
}

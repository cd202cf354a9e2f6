/** Reads the policy folders into one RuleSet, validated and stamped with a content hash. */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FactDefinition, MeasureDef, PolicyDocument, RuleSet, StackingGroup } from "@huiqi/engine";
import { parse } from "yaml";
import type { z } from "zod";
import { casesFileSchema, documentSchema, measureSchema, type PolicyCase, stackingSchema } from "./schema.ts";

export const POLICIES_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DOCUMENTS_DIR = join(POLICIES_ROOT, "documents");

export class PolicyDataError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "PolicyDataError";
  }
}

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new PolicyDataError(file, `YAML 解析失败：${(e as Error).message}`);
  }
}

function check<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const msg = r.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(根)"}：${i.message}`)
      .join("；");
    throw new PolicyDataError(file, msg);
  }
  return r.data;
}

export function documentIds(root = DOCUMENTS_DIR): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, "document.yaml")))
    .map((d) => d.name)
    .sort();
}

export interface LoadedDocument {
  document: PolicyDocument;
  measures: MeasureDef[];
  cases: PolicyCase[];
  dir: string;
}

export function loadDocument(id: string, root = DOCUMENTS_DIR): LoadedDocument {
  const dir = join(root, id);
  const docFile = join(dir, "document.yaml");
  const document = check(documentSchema, readYaml(docFile), docFile) as PolicyDocument;
  if (document.id !== id) throw new PolicyDataError(docFile, `id「${document.id}」与目录名「${id}」不一致`);
  const measuresFile = join(dir, "measures.yaml");
  const raw = readYaml(measuresFile) as { measures?: unknown[] } | null;
  const measures = (raw?.measures ?? []).map((m, i) => {
    const def = check(measureSchema, m, `${measuresFile}#measures[${i}]`) as MeasureDef;
    if (!def.id.startsWith(`${id}/`))
      throw new PolicyDataError(measuresFile, `措施「${def.id}」不属于文件 ${id}`);
    return def;
  });
  const casesFile = join(dir, "cases.yaml");
  const cases = existsSync(casesFile) ? check(casesFileSchema, readYaml(casesFile), casesFile).cases : [];
  return { document, measures, cases, dir };
}

function extraFacts(dir: string): FactDefinition[] {
  const file = join(dir, "facts.yaml");
  if (!existsSync(file)) return [];
  return ((readYaml(file) as { facts?: FactDefinition[] } | null)?.facts ?? []) as FactDefinition[];
}

function groups(file: string): StackingGroup[] {
  if (!existsSync(file)) return [];
  return check(stackingSchema, readYaml(file), file).groups as StackingGroup[];
}

export interface PolicyLibrary {
  rules: RuleSet;
  documents: LoadedDocument[];
}

/** Loads every document folder. The version is a hash of the data itself, so any edit changes it. */
export function loadPolicyLibrary(root = POLICIES_ROOT): PolicyLibrary {
  const docsDir = join(root, "documents");
  const vocabulary = readYaml(join(root, "vocabulary", "facts.yaml")) as { facts: FactDefinition[] };
  const documents = documentIds(docsDir).map((id) => loadDocument(id, docsDir));
  const facts = [...vocabulary.facts, ...documents.flatMap((d) => extraFacts(d.dir))];
  const stackingGroups = [
    ...groups(join(root, "stacking.yaml")),
    ...documents.flatMap((d) => groups(join(d.dir, "stacking.yaml"))),
  ];
  const departmentsFile = join(root, "vocabulary", "departments.yaml");
  const departments = existsSync(departmentsFile)
    ? ((readYaml(departmentsFile) as { departments?: Record<string, string> } | null)?.departments ?? {})
    : {};
  const body = {
    vocabulary: { facts },
    documents: documents.map((d) => d.document),
    measures: documents.flatMap((d) => d.measures),
    stackingGroups,
    departments,
  };
  const version = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 16);
  return { rules: { version, ...body }, documents };
}

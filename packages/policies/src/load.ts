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

function parseYaml(text: string, file: string): unknown {
  try {
    return parse(text);
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
  /** The folder it was read from, or where it came from (e.g. a revision in the database). */
  dir: string;
}

/**
 * One document's files as text, keyed by file name (document.yaml, measures.yaml and optionally cases.yaml,
 * facts.yaml, stacking.yaml, source.txt). The platform stores and versions exactly these texts, so a document
 * exported from it is byte-for-byte what was imported.
 */
export type DocumentFiles = Record<string, string>;

/** The files a document folder may hold, in the order they are read and written. */
export const DOCUMENT_FILE_NAMES = [
  "document.yaml",
  "measures.yaml",
  "cases.yaml",
  "facts.yaml",
  "stacking.yaml",
  "source.txt",
] as const;

export function readDocumentFiles(id: string, root = DOCUMENTS_DIR): DocumentFiles {
  const dir = join(root, id);
  const files: DocumentFiles = {};
  for (const name of DOCUMENT_FILE_NAMES) {
    const file = join(dir, name);
    if (existsSync(file)) files[name] = readFileSync(file, "utf8");
  }
  return files;
}

/** Validates one document's files; `origin` names them in error messages (a folder or a revision). */
export function documentFromFiles(id: string, files: DocumentFiles, origin: string): LoadedDocument {
  const docFile = join(origin, "document.yaml");
  const docText = files["document.yaml"];
  if (docText === undefined) throw new PolicyDataError(docFile, "缺少 document.yaml");
  const document = check(documentSchema, parseYaml(docText, docFile), docFile) as PolicyDocument;
  if (document.id !== id) throw new PolicyDataError(docFile, `id「${document.id}」与目录名「${id}」不一致`);
  const measuresFile = join(origin, "measures.yaml");
  const raw = parseYaml(files["measures.yaml"] ?? "", measuresFile) as { measures?: unknown[] } | null;
  const measures = (raw?.measures ?? []).map((m, i) => {
    const def = check(measureSchema, m, `${measuresFile}#measures[${i}]`) as MeasureDef;
    if (!def.id.startsWith(`${id}/`))
      throw new PolicyDataError(measuresFile, `措施「${def.id}」不属于文件 ${id}`);
    return def;
  });
  const casesFile = join(origin, "cases.yaml");
  const casesText = files["cases.yaml"];
  const cases =
    casesText === undefined ? [] : check(casesFileSchema, parseYaml(casesText, casesFile), casesFile).cases;
  return { document, measures, cases, dir: origin };
}

export function loadDocument(id: string, root = DOCUMENTS_DIR): LoadedDocument {
  return documentFromFiles(id, readDocumentFiles(id, root), join(root, id));
}

function extraFacts(files: DocumentFiles, origin: string): FactDefinition[] {
  const text = files["facts.yaml"];
  if (text === undefined) return [];
  const parsed = parseYaml(text, join(origin, "facts.yaml")) as { facts?: FactDefinition[] } | null;
  return (parsed?.facts ?? []) as FactDefinition[];
}

function groupsFrom(text: string | undefined, file: string): StackingGroup[] {
  if (text === undefined) return [];
  return check(stackingSchema, parseYaml(text, file), file).groups as StackingGroup[];
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

export interface PolicyLibrary {
  rules: RuleSet;
  documents: LoadedDocument[];
}

/** A document's files together with where they came from (for error messages). */
export interface DocumentSource {
  id: string;
  files: DocumentFiles;
  origin: string;
}

/** Every document folder under `root/documents`, read as text. */
export function readDocumentSources(root = POLICIES_ROOT): DocumentSource[] {
  const docsDir = join(root, "documents");
  return documentIds(docsDir).map((id) => ({
    id,
    files: readDocumentFiles(id, docsDir),
    origin: join(docsDir, id),
  }));
}

/**
 * Builds the library from documents given as text (from folders or from the platform's database) and the
 * shared vocabulary, departments and cross-document stacking groups under `root`. The version is a hash of the
 * data itself, so any edit changes it.
 */
export function libraryFromSources(sources: DocumentSource[], root = POLICIES_ROOT): PolicyLibrary {
  const sorted = [...sources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const vocabulary = readYaml(join(root, "vocabulary", "facts.yaml")) as { facts: FactDefinition[] };
  const documents = sorted.map((s) => documentFromFiles(s.id, s.files, s.origin));
  const facts = [...vocabulary.facts, ...sorted.flatMap((s) => extraFacts(s.files, s.origin))];
  const sharedStacking = join(root, "stacking.yaml");
  const stackingGroups = [
    ...groupsFrom(readIfExists(sharedStacking), sharedStacking),
    ...sorted.flatMap((s) => groupsFrom(s.files["stacking.yaml"], join(s.origin, "stacking.yaml"))),
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

/** Loads every document folder. */
export function loadPolicyLibrary(root = POLICIES_ROOT): PolicyLibrary {
  return libraryFromSources(readDocumentSources(root), root);
}

/** The title in a document.yaml text, or undefined when it cannot be read (for listings of drafts). */
export function documentTitle(text: string): string | undefined {
  try {
    const d = parse(text) as { title?: unknown } | null;
    return typeof d?.title === "string" ? d.title : undefined;
  } catch {
    return undefined;
  }
}

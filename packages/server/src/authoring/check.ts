/**
 * The editor's live check: compiles a document's files (as typed, never saved) with the rest of the published
 * library and runs its cases. Unlike `checkDocument` it never throws on bad files: YAML syntax errors, schema
 * errors and compile errors come back as entries naming the file, the 1-based line and, when the error is
 * about an unknown fact, that fact — so the editor can show them where they are.
 */
import { compileRules, type MeasureDef, makeProfileValidator, RuleCompileError } from "@huiqi/engine";
import {
  casesFileSchema,
  type DocumentFiles,
  documentSchema,
  libraryFromSources,
  measureSchema,
  PolicyDataError,
} from "@huiqi/policies";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import type { AppContext } from "../context.ts";
import { publishedSources } from "./policy-store.ts";
import { runDocumentCases } from "./workflow.ts";

export interface CheckError {
  file: string;
  line: number | null;
  measureId: string | null;
  fact: string | null;
  message: string;
}

export interface CheckResult {
  compiled: boolean;
  errors: CheckError[];
  cases: {
    name: string;
    measure: string | null;
    measureTitle: string | null;
    passed: boolean;
    problems: string[];
  }[];
  passing: number;
  short: { measureId: string; title: string; passing: number }[];
}

const YAML_FILES = ["document.yaml", "measures.yaml", "cases.yaml", "facts.yaml", "stacking.yaml"] as const;

interface Parsed {
  doc: ReturnType<typeof parseDocument>;
  lines: LineCounter;
  text: string;
}

function parseFile(text: string): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  return { doc, lines, text };
}

const lineAt = (p: Parsed, offset: number) => p.lines.linePos(offset).line;

/** The node at a zod/where path ("measures", 3, "eligibility", "all", 0) as far as it exists. */
function follow(root: Node | null | undefined, path: (string | number)[]): Node | null {
  let node: Node | null = root ?? null;
  for (const seg of path) {
    if (!node) return null;
    let next: unknown;
    if (isSeq(node) && typeof seg === "number") next = node.items[seg];
    else if (isMap(node)) {
      // `tiers[i]` in a compile path is the i-th step of `tiers.steps`.
      if (typeof seg === "number" && node.has("steps")) {
        const steps = node.get("steps", true);
        next = isSeq(steps) ? steps.items[seg] : undefined;
      } else next = node.get(String(seg), true);
    }
    if (!next || typeof next !== "object") return node;
    node = next as Node;
  }
  return node;
}

/** The line of `node`, or of the first line inside it mentioning `fact` (as a word) when given. */
function nodeLine(p: Parsed, node: Node | null, fact: string | null): number | null {
  if (!node?.range) return null;
  const [start, , end] = node.range;
  if (fact) {
    const re = new RegExp(`(^|[^A-Za-z0-9_.])${fact.replace(/[^A-Za-z0-9_]/g, "")}(?![A-Za-z0-9_])`, "g");
    const slice = p.text.slice(start, end);
    const m = re.exec(slice);
    if (m) return lineAt(p, start + m.index + (m[1] ?? "").length);
    return null;
  }
  // A map's own range starts at its first key; a scalar's at its value.
  return lineAt(p, start);
}

/** `doc/3.eligibility.all[0]` → the measure id and the path below it. */
export function splitWhere(where: string): { measureId: string; path: (string | number)[] } | null {
  const m = /^([a-z0-9-]+\/\d+(?:\.\d+)?)((?:\.[A-Za-z]+|\[\d+\])*)$/.exec(where);
  if (!m) return null;
  const path: (string | number)[] = [];
  for (const part of (m[2] ?? "").matchAll(/\.([A-Za-z]+)|\[(\d+)\]/g))
    path.push(part[1] !== undefined ? part[1] : Number(part[2]));
  return { measureId: m[1] as string, path };
}

/** The fact an error message is about, when it says the fact is unknown. */
export function unknownFact(message: string): string | null {
  const m = /(?:未定义的事实|需要事实|没有字段)「([^」]+)」/.exec(message);
  return m ? (m[1] as string) : null;
}

function measureNode(p: Parsed, measureId: string): { node: Node; index: number } | null {
  const list = p.doc.get("measures", true);
  if (!isSeq(list)) return null;
  for (const [index, item] of list.items.entries()) {
    if (isMap(item)) {
      const id = item.get("id", true);
      if (isScalar(id) && id.value === measureId) return { node: item as Node, index };
    }
  }
  return null;
}

function schemaErrors<T>(
  schema: z.ZodType<T>,
  value: unknown,
  file: string,
  p: Parsed,
  base: (string | number)[],
  measureId: string | null,
  title: string | null,
): CheckError[] {
  const r = schema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.slice(0, 10).map((i) => {
    const path = i.path.filter((s): s is string | number => typeof s !== "symbol");
    const node = follow(p.doc.contents as Node, [...base, ...path]);
    const where = path.length > 0 ? `字段「${path.join(".")}」` : "";
    return {
      file,
      line: nodeLine(p, node, null),
      measureId,
      fact: null,
      message: `${title ? `措施「${title}」` : ""}${where}${where ? "：" : ""}${i.message}`,
    };
  });
}

/** An error the checks above did not foresee (malformed data deep inside a file): reported, never a 500. */
function unexpected(e: unknown): CheckError {
  return {
    file: "",
    line: null,
    measureId: null,
    fact: null,
    message: `无法编译：${e instanceof Error ? e.message : String(e)}`,
  };
}

/** Compiles the files with the published library (this document's files in place of its own) and runs its cases. */
export async function checkFiles(
  ctx: AppContext,
  documentId: string,
  files: DocumentFiles,
): Promise<CheckResult> {
  const fail = (errors: CheckError[]): CheckResult => ({
    compiled: false,
    errors,
    cases: [],
    passing: 0,
    short: [],
  });
  const parsed = new Map<string, Parsed>();
  const syntax: CheckError[] = [];
  for (const name of YAML_FILES) {
    const text = files[name];
    if (text === undefined) continue;
    const p = parseFile(text);
    parsed.set(name, p);
    for (const e of p.doc.errors)
      syntax.push({
        file: name,
        line: e.linePos?.[0]?.line ?? null,
        measureId: null,
        fact: null,
        message: `YAML 格式有误：${e.message.split("\n")[0] ?? e.message}`,
      });
  }
  if (syntax.length > 0) return fail(syntax);

  // Schema, with lines: document, each measure, cases.
  const schema: CheckError[] = [];
  const docP = parsed.get("document.yaml");
  if (docP)
    schema.push(...schemaErrors(documentSchema, docP.doc.toJS(), "document.yaml", docP, [], null, null));
  const mP = parsed.get("measures.yaml");
  if (mP) {
    const raw = mP.doc.toJS() as { measures?: unknown } | null;
    const list = Array.isArray(raw?.measures) ? (raw.measures as unknown[]) : [];
    list.forEach((m, i) => {
      const title =
        m && typeof m === "object" && typeof (m as { title?: unknown }).title === "string"
          ? (m as { title: string }).title
          : `第 ${i + 1} 项`;
      const id = m && typeof m === "object" ? (m as { id?: unknown }).id : undefined;
      schema.push(
        ...schemaErrors(
          measureSchema,
          m,
          "measures.yaml",
          mP,
          ["measures", i],
          typeof id === "string" ? id : null,
          title,
        ),
      );
    });
  }
  if (mP) {
    const root = mP.doc.toJS() as unknown;
    const list = root && typeof root === "object" ? (root as { measures?: unknown }).measures : undefined;
    if (root !== null && root !== undefined && !(list === undefined || Array.isArray(list)))
      schema.push({
        file: "measures.yaml",
        line: nodeLine(mP, mP.doc.contents as Node, null),
        measureId: null,
        fact: null,
        message: "措施文件应是 measures: 下的措施列表",
      });
    else if (root !== null && root !== undefined && (typeof root !== "object" || Array.isArray(root)))
      schema.push({
        file: "measures.yaml",
        line: 1,
        measureId: null,
        fact: null,
        message: "措施文件应以 measures: 开头",
      });
  }
  const fP = parsed.get("facts.yaml");
  if (fP) {
    const root = fP.doc.toJS() as unknown;
    const list = root && typeof root === "object" ? (root as { facts?: unknown }).facts : undefined;
    if (
      root !== null &&
      root !== undefined &&
      (typeof root !== "object" || Array.isArray(root) || !(list === undefined || Array.isArray(list)))
    )
      schema.push({
        file: "facts.yaml",
        line: 1,
        measureId: null,
        fact: null,
        message: "事实文件应是 facts: 下的事实列表",
      });
  }
  const cP = parsed.get("cases.yaml");
  if (cP) schema.push(...schemaErrors(casesFileSchema, cP.doc.toJS(), "cases.yaml", cP, [], null, null));
  if (schema.length > 0) return fail(schema);

  let library: ReturnType<typeof libraryFromSources>;
  try {
    const sources = new Map((await publishedSources(ctx.db)).map((s) => [s.id, s]));
    sources.set(documentId, { id: documentId, files, origin: documentId });
    library = libraryFromSources([...sources.values()]);
  } catch (e) {
    if (!(e instanceof PolicyDataError)) return fail([unexpected(e)]);
    const file = e.file.split("#")[0]?.split("/").pop() ?? e.file;
    const own = e.file.startsWith(`${documentId}/`);
    return fail([
      {
        file: own ? file : "",
        line: null,
        measureId: null,
        fact: null,
        message: `${own ? "" : "政策库中其他文件有误："}${e.message.slice(e.file.length + 2)}`,
      },
    ]);
  }
  const doc = library.documents.find((d) => d.document.id === documentId);
  const measures: MeasureDef[] = doc?.measures ?? [];
  const titles = new Map(measures.map((m) => [m.id, m.title]));

  let engine: ReturnType<typeof compileRules>;
  try {
    engine = compileRules(library.rules);
  } catch (e) {
    if (!(e instanceof RuleCompileError)) return fail([unexpected(e)]);
    const text = e.message.startsWith(`${e.where}: `) ? e.message.slice(e.where.length + 2) : e.message;
    const fact = unknownFact(text);
    const at = splitWhere(e.where);
    if (at && mP) {
      const found = measureNode(mP, at.measureId);
      // A one-time measure's eligibility is compiled wrapped as all: [eligibility, 此前未享受过].
      const path =
        found && isMap(found.node) && found.node.get("oneTime") === true && at.path[0] === "eligibility"
          ? at.path[1] === "all" && at.path[2] === 0
            ? ["eligibility", ...at.path.slice(3)]
            : at.path.length === 1
              ? at.path
              : []
          : at.path;
      const node = found ? follow(found.node, path) : null;
      const title = titles.get(at.measureId);
      return fail([
        {
          file: "measures.yaml",
          line:
            nodeLine(mP, node, fact) ?? nodeLine(mP, found?.node ?? null, fact) ?? nodeLine(mP, node, null),
          measureId: at.measureId,
          fact,
          message: `${title ? `措施「${title}」` : ""}${text}`,
        },
      ]);
    }
    if (e.where === "vocabulary" && fact === null) {
      const dup = /事实「([^」]+)」重复定义/.exec(text)?.[1] ?? null;
      const fP = parsed.get("facts.yaml");
      const line = dup && fP ? nodeLine(fP, fP.doc.contents as Node, dup) : null;
      return fail([{ file: "facts.yaml", line, measureId: null, fact: dup, message: text }]);
    }
    return fail([{ file: "measures.yaml", line: null, measureId: null, fact, message: text }]);
  }

  let validate: ReturnType<typeof makeProfileValidator>;
  try {
    validate = makeProfileValidator(library.rules.vocabulary);
  } catch (e) {
    return fail([unexpected(e)]);
  }
  const { results, passing, short } = runDocumentCases(engine, validate, doc?.cases ?? [], measures);
  const cases: CheckResult["cases"] = results.map(({ case: c, problems }) => ({
    name: c.name,
    measure: c.measure ?? null,
    measureTitle: c.measure ? (titles.get(c.measure) ?? null) : null,
    passed: problems.length === 0,
    problems,
  }));
  return { compiled: true, errors: [], cases, passing, short };
}

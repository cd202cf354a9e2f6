/**
 * Editing the document's YAML texts through the `yaml` Document API so that comments survive and everything
 * the form did not touch stays byte-for-byte: a measure edit re-writes only that measure's lines.
 */
import {
  isMap,
  isNode,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseDocument,
  type Scalar,
  YAMLMap,
  Document as YamlDocument,
} from "yaml";

const STRINGIFY = { lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false } as const;

export interface ParsedMeasures {
  ok: boolean;
  measures: Record<string, unknown>[];
}

/** The measures of a measures.yaml text as plain objects; ok false when the YAML does not parse. */
export function readMeasures(text: string | undefined): ParsedMeasures {
  const doc = parseDocument(text ?? "");
  if (doc.errors.length > 0) return { ok: false, measures: [] };
  const js = doc.toJS() as { measures?: unknown } | null;
  const list = Array.isArray(js?.measures) ? (js.measures as unknown[]) : [];
  return {
    ok: true,
    measures: list.map((m) => (m && typeof m === "object" ? (m as Record<string, unknown>) : {})),
  };
}

/** The plain value of a node (or of a plain value). */
const plain = (v: unknown): unknown => (isNode(v) ? v.toJSON() : v);

/** Where the text of a `key: value` pair ends (before its line break), or null when unknown. */
function pairEnd(text: string, p: Pair): number | null {
  const v = p.value;
  const key = p.key;
  const end = isNode(v) && v.range ? v.range[1] : isNode(key) && key.range ? key.range[1] : null;
  if (end === null) return null;
  let e = end;
  while (e > 0 && (text[e - 1] === "\n" || text[e - 1] === " ")) e--;
  return e;
}

const lineStartOf = (text: string, offset: number) => text.lastIndexOf("\n", offset - 1) + 1;

/** A stringified text block, its lines after the first indented by `indent` spaces. */
function indented(yamlText: string, indent: number): string {
  return yamlText
    .replace(/\n+$/, "")
    .split("\n")
    .map((l, i) => (i === 0 || l === "" ? l : " ".repeat(indent) + l))
    .join("\n");
}

function pairText(p: Pair, indent: number): string {
  const m = new YAMLMap();
  m.items.push(p);
  return indented(new YamlDocument(m).toString(STRINGIFY), indent);
}

/**
 * Rewrites only the fields of the measure whose value changed (and adds or removes fields), leaving every
 * other line of the measure as it was. Null when the item's layout is not one this can follow.
 */
function splicePairs(text: string, orig: YAMLMap, next: YAMLMap): string | null {
  const origPairs = new Map<string, Pair>();
  for (const p of orig.items) {
    if (!isScalar(p.key) || !p.key.range) return null;
    origPairs.set(String(p.key.value), p as Pair);
  }
  const last = orig.items[orig.items.length - 1] as Pair | undefined;
  const first = orig.items[0] as Pair | undefined;
  if (!last || !first || !isScalar(first.key) || !first.key.range) return null;
  const indent = first.key.range[0] - lineStartOf(text, first.key.range[0]);
  const lastEnd = pairEnd(text, last);
  if (lastEnd === null) return null;
  const edits: { from: number; to: number; insert: string }[] = [];
  const added: Pair[] = [];
  for (const p of next.items) {
    if (!isScalar(p.key)) return null;
    const k = String(p.key.value);
    const o = origPairs.get(k);
    if (!o) {
      added.push(p as Pair);
      continue;
    }
    origPairs.delete(k);
    if (JSON.stringify(plain(o.value)) === JSON.stringify(plain(p.value))) continue;
    const from = (o.key as Scalar).range?.[0];
    const to = pairEnd(text, o);
    if (from === undefined || to === null) return null;
    edits.push({ from, to, insert: pairText(p as Pair, indent) });
  }
  for (const o of origPairs.values()) {
    const from = (o.key as Scalar).range?.[0];
    const to = pairEnd(text, o);
    if (from === undefined || to === null) return null;
    // The whole lines of a removed field, with the line break that ends them.
    const ls = lineStartOf(text, from);
    if (text.slice(ls, from).trim() !== "") return null;
    edits.push({ from: ls, to: text[to] === "\n" ? to + 1 : to, insert: "" });
  }
  if (added.length > 0)
    edits.push({
      from: lastEnd,
      to: lastEnd,
      insert: added.map((p) => `\n${" ".repeat(indent)}${pairText(p, indent)}`).join(""),
    });
  edits.sort((a, b) => b.from - a.from);
  let out = text;
  for (const e of edits) out = out.slice(0, e.from) + e.insert + out.slice(e.to);
  return out;
}

/** The whole item re-written (when its fields cannot be spliced one by one). */
function wholeItem(text: string, orig: YAMLMap, next: YAMLMap): string {
  const [start, valueEnd] = orig.range ?? [0, 0];
  const indent = start - lineStartOf(text, start);
  // Comments above or after the item lie outside its range and stay in the text as they are.
  next.commentBefore = undefined;
  next.comment = undefined;
  next.spaceBefore = undefined;
  const body = indented(new YamlDocument(next).toString(STRINGIFY), indent);
  // valueEnd stops before a trailing newline; keep what follows exactly.
  const end = text[valueEnd - 1] === "\n" ? valueEnd - 1 : valueEnd;
  return text.slice(0, start) + body + text.slice(end);
}

/**
 * Applies `change` to the index-th measure and returns the new measures.yaml text: only the changed fields'
 * lines change; the rest of the text (other fields, other measures, comments) is kept byte-for-byte.
 */
export function editMeasure(text: string, index: number, change: (m: YAMLMap) => void): string {
  const doc = parseDocument(text);
  const list = doc.get("measures", true);
  if (!isSeq(list)) return text;
  const item = list.items[index];
  if (!isMap(item) || !item.range) return text;
  const next = item.clone() as YAMLMap;
  change(next);
  return splicePairs(text, item, next) ?? wholeItem(text, item, next);
}

/** Sets (or deletes, for undefined / "" unless `keepEmpty` / empty lists) a field at `path` inside a measure node. */
export function setField(m: YAMLMap, path: (string | number)[], value: unknown, keepEmpty = false): void {
  const empty =
    value === undefined || (value === "" && !keepEmpty) || (Array.isArray(value) && value.length === 0);
  if (empty) {
    if (m.hasIn(path)) m.deleteIn(path);
    return;
  }
  m.setIn(path, value);
}

/** Adds a fact to facts.yaml (created when missing), keeping its comments. */
export function addFact(text: string | undefined, fact: Record<string, unknown>): string {
  const doc = parseDocument(text && text.trim() !== "" ? text : "facts: []\n");
  const list = doc.get("facts", true);
  if (!isSeq(list)) doc.set("facts", doc.createNode([fact]));
  else {
    if (list.items.length === 0) list.flow = false;
    list.add(doc.createNode(fact) as Node);
  }
  return doc.toString(STRINGIFY);
}

/** Plain JS of a facts.yaml; [] when missing or unreadable. */
export function readFacts(text: string | undefined): Record<string, unknown>[] {
  if (!text) return [];
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return [];
  const js = doc.toJS() as { facts?: unknown } | null;
  return Array.isArray(js?.facts) ? (js.facts as Record<string, unknown>[]) : [];
}

/** A short YAML text of a value (for showing a complex amount). */
export function yamlOf(value: unknown): string {
  return new YamlDocument(value).toString(STRINGIFY);
}

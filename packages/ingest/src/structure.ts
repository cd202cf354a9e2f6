/** The clause tree as printed (第N章, 第N条, 一、, （一）, 1., （1）, ①) over the cleaned text. */
import { findCandidates, parseNumber } from "./extract.ts";
import type { ClauseNode, MarkerKind, Span } from "./types.ts";

const MARKERS: [MarkerKind, RegExp][] = [
  ["chapter", /^第([一二三四五六七八九十百零〇\d]+)章\s*/],
  ["article", /^第([一二三四五六七八九十百零〇\d]+)条\s*/],
  ["cn", /^([一二三四五六七八九十百]+)[、．.]\s*/],
  ["paren-cn", /^（([一二三四五六七八九十百]+)）\s*/],
  ["decimal", /^(\d{1,3})[.．、](?!\d)\s*/],
  ["paren-num", /^（(\d{1,3})）\s*/],
  ["paren-num", /^(\d{1,2})）(?!\d)\s*/],
  ["circled", /^([①-⑳])\s*/],
];
export const ANNEX_HEADING = /^附件\s*(\d*)\s*$/;

export interface Paragraph {
  start: number;
  end: number;
  text: string;
}

export function paragraphs(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let start = 0;
  for (const line of text.split("\n")) {
    if (line.trim()) out.push({ start, end: start + line.length, text: line });
    start += line.length + 1;
  }
  return out;
}

export function markerOf(p: string): { kind: MarkerKind; marker: string; ordinal: number } | undefined {
  const a = ANNEX_HEADING.exec(p);
  if (a) return { kind: "annex", marker: a[0], ordinal: a[1] ? Number(a[1]) : 1 };
  for (const [kind, re] of MARKERS) {
    const m = re.exec(p);
    if (!m) continue;
    const raw = m[1] as string;
    const ordinal =
      kind === "circled"
        ? raw.charCodeAt(0) - 0x2460 + 1
        : /^\d+$/.test(raw)
          ? Number(raw)
          : parseNumber(raw);
    if (ordinal === undefined || ordinal <= 0) continue;
    // "1.《…》" after "附件：" lines are list items, still decimals; a bare number line is not a heading.
    if (p.length <= m[0].length) continue;
    return { kind, marker: m[0].trim(), ordinal };
  }
  return undefined;
}

function heading(text: string, marker: string): string {
  const body = text.slice(text.indexOf(marker) + marker.length).trimStart();
  const first = body.split("\n")[0] ?? "";
  const stop = first.search(/[。；]/);
  if (stop > 0 && stop <= 40) return first.slice(0, stop);
  if (stop < 0 && first.length <= 40) return first;
  return "";
}

/** Builds the tree; `noticeEnd` marks where the covering notice ends (nodes before it get inNotice). */
export function buildTree(text: string, noticeEnd: number): ClauseNode {
  const root: ClauseNode = {
    kind: "root",
    marker: "",
    ordinal: 0,
    heading: "",
    span: [0, text.length],
    text,
    children: [],
    candidates: { amounts: [], rates: [], dates: [], years: [], units: [], stacking: [] },
    inNotice: false,
  };
  const stack: ClauseNode[] = [root];
  const ends = new Map<ClauseNode, number>();
  for (const p of paragraphs(text)) {
    const m = markerOf(p.text);
    if (m) {
      if (m.kind === "annex") stack.length = 1;
      else {
        const at = stack.findIndex((n, i) => i > 0 && n.kind === m.kind);
        if (at > 0) stack.length = at;
      }
      const node: ClauseNode = {
        kind: m.kind,
        marker: m.marker,
        ordinal: m.ordinal,
        heading: "",
        span: [p.start, p.end],
        text: "",
        children: [],
        candidates: { amounts: [], rates: [], dates: [], years: [], units: [], stacking: [] },
        inNotice: p.start < noticeEnd,
      };
      (stack[stack.length - 1] as ClauseNode).children.push(node);
      stack.push(node);
    }
    for (const n of stack) ends.set(n, p.end);
  }
  const finish = (n: ClauseNode) => {
    if (n.kind !== "root") {
      n.span = [n.span[0], ends.get(n) ?? n.span[1]] as Span;
      n.text = text.slice(n.span[0], n.span[1]);
      n.heading = heading(n.text, n.marker);
      n.candidates = findCandidates(n.text, n.span[0]);
    }
    for (const c of n.children) finish(c);
  };
  finish(root);
  return root;
}

export function walk(
  n: ClauseNode,
  f: (n: ClauseNode, parent: ClauseNode | undefined) => void,
  parent?: ClauseNode,
) {
  f(n, parent);
  for (const c of n.children) walk(c, f, n);
}

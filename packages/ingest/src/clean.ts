/**
 * Text repair for policy notices extracted from PDF or Word: drops page numbers ("— 3 —", "- 1 -", 第3页),
 * running headers and markdown decoration, rejoins lines broken mid-sentence (also across page breaks),
 * folds full-width digits, letters and ASCII punctuation between Chinese characters to one form, and removes
 * the spaces PDF extraction puts between Chinese characters. Every cleaned character keeps the offset of the
 * original character it came from, so spans in the cleaned text can be traced back.
 */
import type { CleanText, Span } from "./types.ts";

const CJK =
  /[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2018-\u201d\u2026]/;
export const isCjk = (ch: string | undefined): boolean => ch !== undefined && CJK.test(ch);
const isAsciiWord = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9]/.test(ch);

/** One character of the cleaned form (1:1 so offsets stay exact). */
export function foldChar(ch: string, prev: string | undefined, next: string | undefined): string {
  const c = ch.charCodeAt(0);
  if ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a))
    return String.fromCharCode(c - 0xfee0);
  switch (ch) {
    case "％":
      return "%";
    case "．":
      return /\d/.test(prev ?? "") ? "." : "．";
    case "\u3000":
    case "\t":
    case "\u00a0":
      return " ";
    case "(":
      return "（";
    case ")":
      return "）";
    case "〈":
      return "《";
    case "〉":
      return "》";
    case "［":
    case "【":
      return /\d/.test(next ?? "") ? "〔" : ch;
    case "］":
    case "】":
      return /\d/.test(prev ?? "") ? "〕" : ch;
    case ":":
      return isCjk(prev) || isCjk(next) ? "：" : ch;
    case ";":
      return "；";
    case ",":
      return /\d/.test(prev ?? "") && /\d/.test(next ?? "") ? "," : "，";
    case "～":
      return "~";
    case "－":
      return "-";
    default:
      return ch;
  }
}

const PAGE_NUMBER =
  /^[\s\-—–－_·•]*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+|[-—–－]+\s*\d+\s*[-—–－]+|[-—–－]\s*\d+|\d+\s*[-—–－])[\s\-—–－_·•]*$/;
const MARKDOWN_RULE = /^\s*(?:[-*_]\s*){3,}$/;
const SENTENCE_PUNCT = /[，。；：！？、]/;

export const HEADING_START =
  /^(?:第[一二三四五六七八九十百零〇\d]+[章条节]|[一二三四五六七八九十百]+[、．.]|（[一二三四五六七八九十百]+）|\d{1,3}[.．、](?!\d)|（\d{1,3}）|\d{1,2}[)）](?!\d)|[①-⑳]|附件\s*\d*\s*(?:[：:]|$))/;
const DATE_LINE =
  /^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年[\s\d一二三四五六七八九十]*月[\s\d一二三四五六七八九十]*日\s*(?:印发)?\s*$/;
const DOC_NUMBER_LINE = /^\s*[\u4e00-\u9fa5]{1,16}\s*[〔［[【（(]\s*\d{4}\s*[〕］\]】）)]\s*\d+\s*号\s*$/;

interface Line {
  start: number;
  raw: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\r|\n|\f/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push({ start: last, raw: text.slice(last, m.index) });
    if (m[0] === "\f") lines.push({ start: m.index, raw: "\f" });
    last = m.index + m[0].length;
  }
  lines.push({ start: last, raw: text.slice(last) });
  return lines;
}

/** Normalised key of a line for header detection. */
const key = (s: string) => s.replace(/[\s#*]/g, "");

function isTableRow(s: string): boolean {
  const cells = s
    .trim()
    .split(/\s{1,}/)
    .filter(Boolean);
  if (cells.length < 3 || SENTENCE_PUNCT.test(s)) return false;
  if (DATE_LINE.test(s)) return false;
  return (
    /(?<!\d)(?:0\d{2,3}-?)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)/.test(s) ||
    /^\d{1,3}\s/.test(s.trim()) ||
    /序号/.test(s)
  );
}

interface Piece {
  /** Display width of the raw line (Chinese 1, ASCII and spaces 0.5). */
  w: number;
  chars: string[];
  offs: number[];
  table: boolean;
}

/** Characters of one line after folding, decoration removal and space handling. */
function lineChars(line: Line, table: boolean): Piece {
  let raw = line.raw;
  let base = line.start;
  // Markdown headings / quotes / emphasis.
  const lead = /^\s*(?:#{1,6}\s+|>\s*)/.exec(raw);
  if (lead) {
    base += lead[0].length;
    raw = raw.slice(lead[0].length);
  }
  const chars: string[] = [];
  const offs: number[] = [];
  const src = [...raw];
  let pos = 0;
  const positions: number[] = [];
  for (const ch of src) {
    positions.push(pos);
    pos += ch.length;
  }
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (ch === "*" && (src[i + 1] === "*" || src[i - 1] === "*")) continue;
    const folded = foldChar(ch, src[i - 1], src[i + 1]);
    if (folded === " ") {
      const prev = chars[chars.length - 1];
      if (prev === undefined || prev === " ") continue;
      chars.push(" ");
      offs.push(base + (positions[i] as number));
      continue;
    }
    chars.push(folded);
    offs.push(base + (positions[i] as number));
  }
  // Trim, then drop spaces next to Chinese characters or punctuation unless this is a table row.
  while (chars[chars.length - 1] === " ") {
    chars.pop();
    offs.pop();
  }
  const outC: string[] = [];
  const outO: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === " ") {
      const prev = outC[outC.length - 1];
      const next = chars[i + 1];
      if (!table && !(isAsciiWord(prev) && isAsciiWord(next))) continue;
      if (table && prev === undefined) continue;
    }
    outC.push(chars[i] as string);
    outO.push(offs[i] as number);
  }
  return { chars: outC, offs: outO, table, w: [...raw.trim()].reduce((w, c) => w + (isCjk(c) ? 1 : 0.5), 0) };
}

function unbalanced(s: string): boolean {
  const pairs: [string, string][] = [
    ["（", "）"],
    ["“", "”"],
    ["《", "》"],
    ["〔", "〕"],
  ];
  return pairs.some(([o, c]) => s.split(o).length > s.split(c).length);
}

export function cleanText(original: string): CleanText {
  const lines = splitLines(original);
  const pageBreak = lines.map((l) => l.raw === "\f" || PAGE_NUMBER.test(l.raw) || MARKDOWN_RULE.test(l.raw));
  // Bare page numbers ("3" on a line of its own): only after a line of prose, and only when such lines count up
  // page by page (a 序号 cell on its own line follows a table row or a short cell).
  const bare: number[] = [];
  let prevText = "";
  for (const [i, l] of lines.entries()) {
    const t = l.raw.trim();
    if (!t) continue;
    const afterProse =
      [...prevText].length >= 12 && !/\d$/.test(prevText) && !isTableRow(prevText.replace(/\u3000/g, " "));
    if (/^\d{1,3}$/.test(t) && afterProse) bare.push(i);
    prevText = t;
  }
  const values = bare.map((i) => Number((lines[i] as Line).raw.trim()));
  if (bare.length >= 2 && values.every((v, k) => k === 0 || v > (values[k - 1] as number)))
    for (const i of bare) pageBreak[i] = true;
  // Running headers: short lines without sentence punctuation repeated at least twice, at least once next to
  // a page break or at the very start.
  const nonEmpty = lines.map((l, i) => ({ i, k: key(l.raw) })).filter((x) => x.k.length > 0);
  const counts = new Map<string, number[]>();
  const posOf = new Map<number, number>();
  nonEmpty.forEach((x, pos) => {
    posOf.set(x.i, pos);
    const list = counts.get(x.k);
    if (list) list.push(x.i);
    else counts.set(x.k, [x.i]);
  });
  const nearBreak = (i: number) => {
    const pos = posOf.get(i) ?? -1;
    const next = nonEmpty[pos + 1];
    if (next && DATE_LINE.test(lines[next.i]?.raw ?? "")) return false;
    for (let d = -2; d <= 2; d++) {
      const x = nonEmpty[pos + d];
      if (pos + d < 0) return true;
      if (x && pageBreak[x.i]) return true;
    }
    return false;
  };
  const header = new Set<number>();
  for (const [k, idx] of counts) {
    if (idx.length < 2 || k.length > 40 || SENTENCE_PUNCT.test(k) || /^[（(〔]/.test(k)) continue;
    if (HEADING_START.test(k) || DATE_LINE.test(k) || /^\d+$/.test(k)) continue;
    const near = idx.filter(nearBreak);
    if (near.length >= 2) for (const i of near) header.add(i);
  }

  const kept: Piece[] = [];
  const breaks: number[] = []; // original offset of the line end before each kept line
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as Line;
    if (pageBreak[i] || header.has(i) || key(l.raw).length === 0) continue;
    const p = lineChars(l, isTableRow(l.raw.replace(/\u3000/g, " ")));
    if (p.chars.length === 0) continue;
    kept.push(p);
    breaks.push(Math.max(0, l.start - 1));
  }
  const widths = kept.filter((p) => !p.table && p.chars.length >= 8).map((p) => p.w);
  widths.sort((a, b) => a - b);
  const full = widths.length ? (widths[Math.floor(widths.length * 0.5)] as number) : 0;

  const out: string[] = [];
  const map: number[] = [];
  let para = "";
  for (let i = 0; i < kept.length; i++) {
    const p = kept[i] as Piece;
    if (i > 0) {
      const prev = kept[i - 1] as Piece;
      if (shouldJoin(prev, p, para, full)) {
        if (
          isAsciiWord(prev.chars[prev.chars.length - 1]) &&
          isAsciiWord(p.chars[0]) &&
          !/\d/.test(p.chars[0] ?? "")
        ) {
          out.push(" ");
          map.push(breaks[i] as number);
          para += " ";
        }
      } else {
        out.push("\n");
        map.push(breaks[i] as number);
        para = "";
      }
    }
    for (let j = 0; j < p.chars.length; j++) {
      out.push(p.chars[j] as string);
      map.push(p.offs[j] as number);
    }
    para += p.chars.join("");
  }
  map.push(original.length);
  return { text: out.join(""), map: Int32Array.from(map) };
}

function shouldJoin(prev: Piece, next: Piece, para: string, full: number): boolean {
  if (prev.table || next.table) return false;
  const p = prev.chars.join("");
  const n = next.chars.join("");
  if (HEADING_START.test(n) || DATE_LINE.test(n) || DOC_NUMBER_LINE.test(n) || /^（此件|^抄送|^附件/.test(n))
    return false;
  if (DATE_LINE.test(p) || DOC_NUMBER_LINE.test(p)) return false;
  // A signature with its date, or a title line, stands alone.
  if (!SENTENCE_PUNCT.test(p) && /年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$/.test(p))
    return false;
  if (
    !SENTENCE_PUNCT.test(n) &&
    /(?:通知|意见|办法|细则|方案|措施|计划|指南|规定|政策)$/.test(n) &&
    n.length <= 40
  )
    return false;
  if (unbalanced(para)) return true;
  // A title line ("…的通知", "…若干措施") ends its paragraph.
  if (
    !SENTENCE_PUNCT.test(p) &&
    /(?:通知|意见|办法|细则|方案|决定|批复|措施|计划|指南|规定|政策|[）)])$/.test(p)
  )
    return false;
  const last = p[p.length - 1] ?? "";
  if (/[。！？；]/.test(last)) return false;
  if (/[，、（“《〔—-]/.test(last)) return true;
  if (/\d/.test(last) && /^[万亿元%‰年月日个家项]/.test(n)) return true;
  if (/^[\u4e00-\u9fa5]{1,2}[，、。；]/.test(n) && /[\u4e00-\u9fa5]$/.test(p)) return true;
  // Words that cannot end a sentence: 给予, 的, 按, 对 …
  if (/[的予对按和及与或将从向把被由]$/.test(p) && !/^[（(]/.test(n)) return true;
  const atFull = full > 0 && prev.w >= full - 2 && prev.chars.length > 12;
  if (last === "）" && /（[^（）]*(?:单位|部门)[^（）]*）$/.test(p)) return false;
  if (last === "：") return false;
  if (last === "）" || last === "”" || last === "》") return atFull && /^[\u4e00-\u9fa5《“]/.test(n);
  if (atFull) return true;
  // Prose (has sentence punctuation) cut in the middle of a word, e.g. across a page break.
  return SENTENCE_PUNCT.test(p.replace(HEADING_START, "")) && p.length > 12;
}

/** The original span of a cleaned span. */
export function toOriginal(clean: CleanText, span: Span): Span {
  const [s, e] = span;
  if (e <= s) return [clean.map[s] ?? 0, clean.map[s] ?? 0];
  return [clean.map[s] as number, (clean.map[e - 1] as number) + 1];
}

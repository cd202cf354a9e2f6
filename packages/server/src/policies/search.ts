/**
 * Chinese full-text search over the current rules version: the query is segmented with jieba (as the index
 * was), matched with to_tsvector('simple', search_tokens) @@ to_tsquery('simple', …) — the same SQL on PGlite
 * and PostgreSQL, served by the GIN index — and ranked with ts_rank. All query words must occur; when no
 * measure has all of them, any word may (mode "any"). ts_headline cannot highlight segmented Chinese (the
 * stored text has no spaces between words), so the clause-level results are computed here: the sentences of
 * the title, clause, 解读 and reading notes that contain query words, with those words marked 【like this】.
 */
import type { MeasureDef } from "@huiqi/engine";
import { type SynonymGroup, synonymGroups } from "@huiqi/policies";
import { sql } from "kysely";
import type { AppContext } from "../context.ts";
import { segment } from "./segment.ts";

export const HIGHLIGHT_OPEN = "【";
export const HIGHLIGHT_CLOSE = "】";

export interface SentenceMatch {
  /** Where the sentence is: title, clause, interpretation.who|what|deadline|howToApply, interpretation.materials[i], notes[i].reading */
  field: string;
  fieldLabel: string;
  sentence: string;
  highlighted: string;
  /** Query words found in the sentence. */
  tokens: string[];
}

export interface SearchHit {
  measureId: string;
  documentId: string;
  docNumber: string;
  title: string;
  level: string;
  regionCode: string;
  /** The measure's execution period, for an expiry tag; validUntil null = no end date. */
  validFrom: string;
  validUntil: string | null;
  rank: number;
  matches: SentenceMatch[];
}

/** One thing the user asked for: a synonym group's phrase (any of its terms) or a single word. */
export interface Concept {
  /** The text as typed (the group term found in the query, or the word). */
  text: string;
  /** The synonym group's name; null for a plain word. */
  group: string | null;
  /** Terms any of which satisfies the concept. */
  terms: string[];
}

export interface SearchFilters {
  /** Six-digit district code: that district's documents plus municipal (province-level) ones. */
  region?: string;
  /** ISO date: only measures in force on that day. */
  validOn?: string;
}

export interface SearchResult {
  query: string;
  tokens: string[];
  concepts: Concept[];
  mode: "all" | "any";
  /** False when no measure matched every concept and the results are partial (mode "any"). */
  exact: boolean;
  /** Said to the user when the results are partial; null otherwise. */
  notice: string | null;
  total: number;
  hits: SearchHit[];
}

/** Each token as a quoted tsquery lexeme, so operators and quotes in user text are inert. */
function lexeme(token: string): string {
  return `'${token.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

export function tsQuery(tokens: string[], mode: "all" | "any"): string {
  return tokens.map(lexeme).join(mode === "all" ? " & " : " | ");
}

/** Splits text after Chinese and Latin sentence ends (and line breaks), keeping the punctuation. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[。；！？;!?\n])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Marks every occurrence of the tokens in the text; overlapping or touching marks merge into one. */
export function highlight(text: string, tokens: string[]): { highlighted: string; found: string[] } {
  const lower = text.toLowerCase();
  const spans: [number, number][] = [];
  const found: string[] = [];
  for (const t of tokens) {
    if (!t) continue;
    let at = lower.indexOf(t);
    if (at >= 0) found.push(t);
    while (at >= 0) {
      spans.push([at, at + t.length]);
      at = lower.indexOf(t, at + t.length);
    }
  }
  if (spans.length === 0) return { highlighted: text, found };
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  let out = "";
  let pos = 0;
  for (const [a, b] of merged) {
    out += `${text.slice(pos, a)}${HIGHLIGHT_OPEN}${text.slice(a, b)}${HIGHLIGHT_CLOSE}`;
    pos = b;
  }
  return { highlighted: out + text.slice(pos), found };
}

function fieldsOf(m: MeasureDef): { field: string; fieldLabel: string; text: string }[] {
  const i = m.interpretation;
  const out = [
    { field: "title", fieldLabel: "标题", text: m.title },
    { field: "clause", fieldLabel: "原文", text: m.clause },
    { field: "interpretation.who", fieldLabel: "解读·适用对象", text: i.who },
    { field: "interpretation.what", fieldLabel: "解读·支持内容", text: i.what },
  ];
  if (i.deadline) out.push({ field: "interpretation.deadline", fieldLabel: "解读·期限", text: i.deadline });
  for (const [k, text] of (i.materials ?? []).entries())
    out.push({
      field: `interpretation.materials[${k}]`,
      fieldLabel: i.materialsFromDocument === false ? "解读·常见材料（文件未列明）" : "解读·申报材料",
      text,
    });
  if (i.howToApply)
    out.push({ field: "interpretation.howToApply", fieldLabel: "解读·申报方式", text: i.howToApply });
  for (const [k, n] of (m.notes ?? []).entries())
    out.push({ field: `notes[${k}].reading`, fieldLabel: `口径说明·${n.topic}`, text: n.reading });
  return out;
}

/** The sentences of a measure that contain query words, most words first (at most `limit`). */
export function matchingSentences(m: MeasureDef, tokens: string[], limit = 5): SentenceMatch[] {
  const out: SentenceMatch[] = [];
  for (const f of fieldsOf(m))
    for (const sentence of sentences(f.text)) {
      const { highlighted, found } = highlight(sentence, tokens);
      if (found.length > 0)
        out.push({ field: f.field, fieldLabel: f.fieldLabel, sentence, highlighted, tokens: found });
    }
  // Stable: sentences with more distinct query words first, document order otherwise.
  return out
    .map((s, k) => ({ s, k }))
    .sort((a, b) => b.s.tokens.length - a.s.tokens.length || a.k - b.k)
    .slice(0, limit)
    .map((x) => x.s);
}

export function queryTokens(q: string): string[] {
  return [...new Set(segment(q))];
}

/** A term's index tokens; single characters are dropped when the term has longer words (their segmentation in running text varies). */
export function termTokens(term: string): string[] {
  const tokens = [...new Set(segment(term))];
  const long = tokens.filter((t) => [...t].length > 1);
  return long.length > 0 ? long : tokens;
}

/**
 * Splits the query into concepts: the longest synonym-group terms found in the text (left to right, no
 * overlap), then each remaining word. Concepts of the same group or word are merged.
 */
export function queryConcepts(q: string, groups: SynonymGroup[] = synonymGroups()): Concept[] {
  const lower = q.toLowerCase();
  const terms = groups
    .flatMap((g) => g.terms.map((t) => ({ term: t.toLowerCase(), group: g })))
    .sort((a, b) => b.term.length - a.term.length);
  const out: Concept[] = [];
  const add = (c: Concept) => {
    const key = c.group ?? `word:${c.text}`;
    if (!out.some((o) => (o.group ?? `word:${o.text}`) === key)) out.push(c);
  };
  const rest: string[] = [];
  let buf = "";
  const flush = () => {
    if (buf) rest.push(buf);
    buf = "";
  };
  const found: Concept[] = [];
  for (let i = 0; i < lower.length; ) {
    const hit = terms.find((t) => lower.startsWith(t.term, i));
    if (hit) {
      flush();
      found.push({
        text: q.slice(i, i + hit.term.length),
        group: hit.group.name,
        terms: hit.group.terms.map((t) => t.toLowerCase()),
      });
      i += hit.term.length;
    } else {
      buf += lower[i];
      i += 1;
    }
  }
  flush();
  for (const c of found) add(c);
  for (const part of rest) for (const w of segment(part)) add({ text: w, group: null, terms: [w] });
  return out;
}

function conceptQuery(c: Concept): string {
  const alts = c.terms
    .map(termTokens)
    .filter((t) => t.length > 0)
    .map((t) => `(${t.map(lexeme).join(" & ")})`);
  return `(${alts.join(" | ")})`;
}

/** The tsquery of the concepts: every concept (mode all) or any (mode any). */
export function conceptsQuery(concepts: Concept[], mode: "all" | "any"): string {
  return concepts.map(conceptQuery).join(mode === "all" ? " & " : " | ");
}

/** Words to mark in the sentences: every term of every concept, and its index words. */
export function highlightTokens(concepts: Concept[]): string[] {
  return [...new Set(concepts.flatMap((c) => c.terms.flatMap((t) => [t, ...termTokens(t)])))];
}

export function partialNotice(q: string): string {
  return `没有完全匹配「${q}」的措施，以下为部分匹配的结果`;
}

export async function searchMeasures(
  ctx: AppContext,
  q: string,
  page: number,
  pageSize: number,
  /** Measure ids to leave out (unpublished ones, for everyone but the policy admin). */
  exclude: string[] = [],
  filters: SearchFilters = {},
): Promise<SearchResult> {
  const tokens = queryTokens(q);
  const concepts = queryConcepts(q);
  const marks = highlightTokens(concepts);
  const run = async (mode: "all" | "any") => {
    const query = conceptsQuery(concepts, mode);
    let base = ctx.db
      .selectFrom("measures")
      .innerJoin("rules_versions", "rules_versions.version", "measures.rules_version")
      .where("rules_versions.current", "=", true)
      .where(sql<boolean>`to_tsvector('simple', measures.search_tokens) @@ to_tsquery('simple', ${query})`);
    if (exclude.length > 0) base = base.where("measures.id", "not in", exclude);
    if (filters.region) {
      const province = `${filters.region.slice(0, 2)}0000`;
      base = base.where("measures.region_code", "in", [...new Set([filters.region, province])]);
    }
    if (filters.validOn) {
      const d = filters.validOn;
      base = base
        .where("measures.valid_from", "<=", d)
        .where((eb) => eb.or([eb("measures.valid_until", "is", null), eb("measures.valid_until", ">=", d)]));
    }
    const count = await base.select(sql<string>`count(*)`.as("n")).executeTakeFirstOrThrow();
    const rows = await base
      .select([
        "measures.id",
        "measures.document_id",
        "measures.doc_number",
        "measures.title",
        "measures.level",
        "measures.region_code",
        "measures.valid_from",
        "measures.valid_until",
        "measures.data",
        sql<number>`ts_rank(to_tsvector('simple', measures.search_tokens), to_tsquery('simple', ${query}))`.as(
          "rank",
        ),
      ])
      .orderBy("rank", "desc")
      .orderBy("measures.id")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { total: Number(count.n), rows };
  };
  if (concepts.length === 0)
    return { query: q, tokens, concepts, mode: "all", exact: true, notice: null, total: 0, hits: [] };
  let mode: "all" | "any" = "all";
  let found = await run(mode);
  if (found.total === 0 && conceptsQuery(concepts, "any") !== conceptsQuery(concepts, "all")) {
    mode = "any";
    found = await run(mode);
  }
  return {
    query: q,
    tokens,
    concepts,
    mode,
    exact: mode === "all",
    notice: mode === "any" ? partialNotice(q) : null,
    total: found.total,
    hits: found.rows.map((r) => ({
      measureId: r.id,
      documentId: r.document_id,
      docNumber: r.doc_number,
      title: r.title,
      level: r.level,
      regionCode: r.region_code,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      rank: Number(r.rank),
      matches: matchingSentences(r.data as unknown as MeasureDef, marks),
    })),
  };
}

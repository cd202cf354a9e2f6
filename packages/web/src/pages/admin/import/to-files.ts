/**
 * The reviewed import → a document's files (document.yaml, measures.yaml, cases.yaml, source.txt) in the
 * packages/policies shape, plus the Chinese checks the page runs before saving and the Chinese wording of an
 * amount skeleton. Pure: no React, no network.
 */
import { formatYuanExact, yuanToFen } from "@huiqi/engine";
import { stringify } from "yaml";

export type Level = "national" | "municipal" | "district";

export interface ReviewedMeasure {
  ordinal: number;
  title: string;
  group?: string;
  benefitType: string;
  monetary: boolean;
  /** The clause as printed (the measure's quote). */
  clause: string;
  leadDepartment: string;
  coDepartments?: string[];
  contact?: { name?: string; hotline?: string };
  validFrom?: string;
  validUntil?: string;
  validityQuote?: string;
  who: string;
  what: string;
  /** The accepted amount skeleton (元), when the editor accepted or entered one. */
  amount?: unknown;
  /** For a monetary measure without an accepted amount: the words the amount is left to. */
  amountUnstated?: string;
}

export interface ReviewedDocument {
  id: string;
  docNumber: string;
  title: string;
  issuer: string;
  issuedOn: string;
  level: Level;
  regionCode: string;
  validFrom: string;
  validUntil?: string;
  validityQuote?: string;
  /** The cleaned source text (source.txt). */
  source: string;
  measures: ReviewedMeasure[];
}

export const DOCUMENT_ID = /^[a-z0-9][a-z0-9-]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What must still be filled or fixed before saving, in Chinese; [] when the draft can be saved. */
export function reviewProblems(d: ReviewedDocument): string[] {
  const out: string[] = [];
  if (!DOCUMENT_ID.test(d.id) || d.id.length > 64)
    out.push("文件编号：只能包含小写字母、数字和连字符，且以字母或数字开头（最多 64 个字符）");
  const need = (v: string | undefined, what: string) => {
    if (!v?.trim()) out.push(`${what}：必填，请填写`);
  };
  need(d.docNumber, "文号");
  need(d.title, "标题");
  need(d.issuer, "发文机关");
  const date = (v: string | undefined, what: string, required: boolean) => {
    if (!v) {
      if (required) out.push(`${what}：必填，请选择日期`);
    } else if (!DATE.test(v)) out.push(`${what}：应为日期`);
  };
  date(d.issuedOn, "成文日期", true);
  date(d.validFrom, "施行日期", true);
  date(d.validUntil, "有效期至", false);
  if (d.validUntil && d.validFrom && d.validUntil < d.validFrom) out.push("有效期至：不能早于施行日期");
  if (!/^\d{6}$/.test(d.regionCode)) out.push("区县：必填，请选择");
  if (!d.level) out.push("文件层级：必填，请选择");
  if (d.measures.length === 0) out.push("措施：至少保留一项措施");
  const seen = new Set<number>();
  for (const m of d.measures) {
    const at = `第 ${m.ordinal} 项措施`;
    if (!Number.isInteger(m.ordinal) || m.ordinal < 1) out.push(`${at}：序号应为正整数`);
    else if (seen.has(m.ordinal)) out.push(`${at}：序号与另一项重复`);
    seen.add(m.ordinal);
    if (!m.title.trim()) out.push(`${at}：标题必填，请填写`);
    if (!m.leadDepartment) out.push(`${at}：牵头单位必填，请从列表中选择`);
    if (!m.who.trim()) out.push(`${at}：适用对象必填，请填写`);
    if (!m.what.trim()) out.push(`${at}：支持内容必填，请填写`);
    date(m.validUntil, `${at}的执行期限`, false);
    if (m.monetary && m.amount !== undefined && !usableAmount(m.amount))
      out.push(`${at}：金额的计算基数还没有对应到企业信息，请改为填写金额或不采纳`);
  }
  return out;
}

const trimQuote = (s: string) => s.replace(/\s*\n\s*/g, "").trim();

/** The files of a new draft revision. */
export function toDocumentFiles(d: ReviewedDocument): Record<string, string> {
  const ordinals = d.measures.map((m) => m.ordinal);
  const document = {
    id: d.id,
    docNumber: d.docNumber.trim(),
    title: d.title.trim(),
    issuer: d.issuer.trim(),
    issuedOn: d.issuedOn,
    level: d.level,
    regionCode: d.regionCode,
    validFrom: d.validFrom,
    ...(d.validUntil ? { validUntil: d.validUntil } : {}),
    ...(d.validityQuote?.trim() ? { validityQuote: d.validityQuote.trim() } : {}),
    numberedMeasures: Math.max(1, ...ordinals),
    sourceFile: "source.txt",
  };
  const measures = [...d.measures]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((m) => {
      const out: Record<string, unknown> = {
        id: `${d.id}/${m.ordinal}`,
        ordinal: m.ordinal,
        title: m.title.trim(),
      };
      if (m.group) out.group = m.group;
      out.benefitType = m.benefitType;
      out.monetary = m.monetary;
      out.clause = trimQuote(m.clause);
      out.leadDepartment = m.leadDepartment;
      const co = (m.coDepartments ?? []).filter((c) => c !== m.leadDepartment);
      if (co.length) out.coDepartments = co;
      if (m.contact && (m.contact.name || m.contact.hotline)) out.contact = m.contact;
      if (m.validFrom) out.validFrom = m.validFrom;
      if (m.validUntil) out.validUntil = m.validUntil;
      if (m.validityQuote?.trim()) out.validityQuote = m.validityQuote.trim();
      out.interpretation = { who: m.who.trim(), what: m.what.trim() };
      if (m.monetary) {
        if (m.amount !== undefined) out.amount = m.amount;
        else out.amountUnstated = m.amountUnstated?.trim() || trimQuote(m.clause);
      }
      return out;
    });
  return {
    "document.yaml": stringify(document, { lineWidth: 0 }),
    "measures.yaml": stringify({ measures }, { lineWidth: 0 }),
    "cases.yaml": "cases: []\n",
    "source.txt": d.source.endsWith("\n") ? d.source : `${d.source}\n`,
  };
}

type AmountNode = Record<string, unknown>;
const isNode = (v: unknown): v is AmountNode => typeof v === "object" && v !== null && !Array.isArray(v);

/** Expression slots (base, count, value, expr, list, where) must be written in the fact vocabulary, not in
 * the document's Chinese words; a skeleton whose slots are still words cannot be saved as is. */
export function usableAmount(a: unknown): boolean {
  if (typeof a === "number") return Number.isFinite(a);
  if (Array.isArray(a)) return a.every(usableAmount);
  if (!isNode(a)) return false;
  for (const [k, v] of Object.entries(a)) {
    if (["base", "count", "expr", "list", "where", "value", "received"].includes(k)) {
      if (typeof v !== "string" || !/^[A-Za-z_][\w.[\]\s<>=!&|+\-*/()'"]*$/.test(v)) return false;
    } else if (k === "quote" || k === "label" || k === "rate") {
    } else if (typeof v === "object" && v !== null && !usableAmount(v)) return false;
  }
  return true;
}

/** 元 (as in measures.yaml) → "50.00 万元" when whole hundreds of 元, else "1,234.56元" (exact). */
export function yuanWords(yuan: number): string {
  const fen = yuanToFen(yuan);
  if (fen === undefined) return "—";
  if (fen % 10000 === 0 && Math.abs(fen) >= 1_000_000) {
    const hundreds = fen / 10000;
    const wan = (hundreds / 100).toFixed(2);
    return `${wan} 万元`;
  }
  return formatYuanExact(fen);
}

/** The amount skeleton in plain Chinese words, e.g. "最高 50.00 万元". */
export function amountWords(a: unknown): string {
  if (typeof a === "number") return yuanWords(a);
  if (!isNode(a)) return "未识别出金额";
  const num = (k: string) => (typeof a[k] === "number" ? (a[k] as number) : undefined);
  const fixed = num("fixed");
  const upTo = num("upTo");
  const cap = num("cap");
  if (fixed !== undefined) return yuanWords(fixed);
  if (upTo !== undefined) return `最高 ${yuanWords(upTo)}`;
  const range = a.range;
  if (Array.isArray(range) && typeof range[0] === "number")
    return typeof range[1] === "number"
      ? `${yuanWords(range[0])} 至 ${yuanWords(range[1])}`
      : `不低于 ${yuanWords(range[0])}`;
  const rate = typeof a.rate === "string" || typeof a.rate === "number" ? String(a.rate) : undefined;
  const inner = isNode(a.amount) ? a.amount : undefined;
  const innerRate =
    inner && (typeof inner.rate === "string" || typeof inner.rate === "number")
      ? String(inner.rate)
      : undefined;
  const base = typeof (a.base ?? inner?.base) === "string" ? String(a.base ?? inner?.base) : undefined;
  const r = rate ?? innerRate;
  if (r) {
    const basis = base && /[\u4e00-\u9fff]/.test(base) ? `${base}的 ` : "";
    return `按${basis}${r}${cap !== undefined ? `，最高 ${yuanWords(cap)}` : ""}`;
  }
  if (num("perUnit") !== undefined) return `每个 ${yuanWords(num("perUnit") ?? 0)}`;
  if (cap !== undefined) return `最高 ${yuanWords(cap)}（分档或分情形，请在编辑器中核对）`;
  return "金额结构较复杂，请在编辑器中核对";
}

/** The clause's first sentence, without its printed marker (一、 （二） 3.). */
export function firstSentence(clause: string): string {
  const body = trimQuote(clause).replace(
    /^(第[一二三四五六七八九十百零〇\d]+条|[（(][一二三四五六七八九十百零〇\d]+[）)]|[一二三四五六七八九十百零〇]+、|\d+[.、．])\s*/,
    "",
  );
  const parts = body.split("。").filter((s) => s.trim());
  // Skip a heading that just repeats the title ("支持软件企业做大做强。对……").
  const sentence = parts.length > 1 && (parts[0]?.length ?? 0) <= 20 ? parts[1] : parts[0];
  return `${(sentence ?? body).trim()}。`.replace(/。+$/, "。");
}

/** A first guess at the kind of support, from the clause's words. */
export function defaultBenefitType(clause: string, monetary: boolean): string {
  if (!monetary) return /培训/.test(clause) ? "training" : "service";
  if (/贴息/.test(clause)) return "interestSubsidy";
  if (/奖励|奖/.test(clause)) return "award";
  if (/补助|补贴|资助/.test(clause)) return "subsidy";
  if (/配套/.test(clause)) return "matching";
  return "subsidy";
}

/** "巴南区的企业" from the district name; "重庆市的企业" for municipal documents. */
export function defaultWho(regionName: string | undefined): string {
  const name = regionName?.replace(/（.*）$/, "");
  return name ? `${name}的企业` : "";
}

/** 文号, title, issuers, dates, recipients (主送), validity and annexes of a notice. */
import { findDates, parseNumber } from "./extract.ts";
import { paragraphs } from "./structure.ts";
import type { Annex, DocumentMetadata, Span } from "./types.ts";

const DOC_NUMBER = /[\u4e00-\u9fa5]{1,16}[〔［[【（]\s*(?:19|20)\d{2}\s*[〕］\]】）]\s*\d+\s*号/;
const DATE_PARA =
  /^(?:\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日(印发)?$/;
/** Signature and date on one line: "重庆市某某区人民政府办公室2022年9月30日". */
const SIGNED_DATE =
  /^([\u4e00-\u9fa5（）]{2,40}?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|委|局|厅|中心|管委会))((?:\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日)$/;
const TITLE_END = /(?:通知|决定|意见|办法|细则|批复|函|规定|方案|计划|指南|措施|政策)(?:（[^（）]*）)?$/;
const ISSUER_END = /(?:人民政府|办公室|办公厅|委员会|委|局|厅|中心|管委会|领导小组)$/;

/** "重庆市经济和信息化委员会重庆市财政局" → both bodies (joint issuance, spaces lost in cleaning). */
export function splitIssuers(s: string): string[] {
  const re =
    /.+?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管理委员会|管委会|领导小组|总局|分局|局|厅|委|中心|分行|支行|银行|联合会|协会)(?=$|[\s、]|[\u4e00-\u9fa5]{0,4}(?:省|市|区|县|自治|国家|中国|人民|中共))/gy;
  const out: string[] = [];
  const t = s.replace(/\s+/g, " ").trim();
  let last = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    out.push(m[0].replace(/^[\s、]+/, ""));
    last = re.lastIndex;
  }
  if (last < t.length) out.push(t.slice(last).replace(/^[\s、]+/, ""));
  return out.filter(Boolean);
}

export interface MetadataResult {
  metadata: DocumentMetadata;
  /** Offset where the covering notice ends (0 when there is none). */
  noticeEnd: number;
}

const span = (s: number, e: number): Span => [s, e];

export function extractMetadata(text: string): MetadataResult {
  const paras = paragraphs(text);
  const head = paras.slice(0, 40);
  const md: DocumentMetadata = { issuers: [], recipients: [], annexes: [] };

  // 文号: a paragraph of its own near the top; else the first one not cited in brackets.
  const own = head.slice(0, 20).find((p) => new RegExp(`^${DOC_NUMBER.source}$`).test(p.text));
  let dn: { index: number; text: string } | undefined = own
    ? { index: own.start, text: own.text }
    : undefined;
  if (!dn) {
    const re = new RegExp(DOC_NUMBER.source, "g");
    const top = text.slice(0, Math.min(text.length, 3000));
    for (let m = re.exec(top); m; m = re.exec(top)) {
      if (/[（(《》]$/.test(top.slice(Math.max(0, m.index - 1), m.index))) continue;
      // Cited numbers run on ("依据…〔2022〕23号文件"); the document's own ends its line.
      if (!/^\s*(?:\n|$)/.test(top.slice(m.index + m[0].length))) continue;
      dn = { index: m.index, text: m[0] };
      break;
    }
  }
  if (dn) {
    const value = dn.text
      .replace(/[［[【（]/, "〔")
      .replace(/[］\]】）]/, "〕")
      .replace(/\s/g, "");
    md.docNumber = { value, span: span(dn.index, dn.index + dn.text.length) };
  }

  // Title: the paragraphs from the one holding 关于 to the one ending in 通知／意见／…
  const ti = head.findIndex((p) => /关于/.test(p.text) && !/^（/.test(p.text));
  if (ti >= 0) {
    let last = ti;
    while (
      last < Math.min(head.length - 1, ti + 4) &&
      !TITLE_END.test((head[last] as { text: string }).text) &&
      !/[，。；：]/.test((head[last + 1] as { text: string }).text)
    )
      last++;
    // "…若干政策" / "措施的通知": a 关于 title runs on to its 通知／决定／意见 line.
    const titleLine = (t: string | undefined) =>
      t !== undefined && t.length <= 40 && !/[，。；：]/.test(t) && !DOC_NUMBER.test(t) && !DATE_PARA.test(t);
    const ends = (t: string) => /(?:通知|决定|意见|批复|函|报告|请示)$/.test(t);
    let probe = last;
    while (
      !ends((head[probe] as { text: string }).text) &&
      probe < Math.min(head.length - 1, ti + 4) &&
      titleLine(head[probe + 1]?.text)
    )
      probe++;
    if (ends((head[probe] as { text: string }).text)) last = probe;
    let first = ti;
    const prev = head[ti - 1];
    if (
      !/^.{2,30}关于/.test((head[ti] as { text: string }).text) &&
      prev &&
      ISSUER_END.test(prev.text) &&
      !/文件$/.test(prev.text)
    )
      first = ti - 1;
    const parts = head.slice(first, last + 1);
    const p0 = parts[0] as { start: number };
    const pN = parts[parts.length - 1] as { end: number };
    md.title = { value: parts.map((p) => p.text).join(""), span: span(p0.start, pN.end) };
    const issuer = /^(.+?)关于/.exec(md.title.value);
    if (issuer?.[1]) {
      for (const name of splitIssuers(issuer[1] as string)) {
        const at = text.indexOf(name, p0.start);
        md.issuers.push({ value: name, span: span(at, at + name.length) });
      }
    }
  } else {
    const t = head
      .slice(0, 12)
      .find((p) => TITLE_END.test(p.text) && p.text.length <= 60 && !/[，。]/.test(p.text));
    if (t) md.title = { value: t.text, span: span(t.start, t.end) };
  }

  // 成文日期: the first date paragraph after the title; the issuer is the paragraph above it.
  const afterTitle = md.title?.span[1] ?? 0;
  const di = paras.findIndex(
    (p) =>
      p.start >= afterTitle && (DATE_PARA.test(p.text) || SIGNED_DATE.test(p.text)) && !/印发$/.test(p.text),
  );
  let noticeEnd = 0;
  if (di >= 0) {
    const p = paras[di] as { start: number; end: number; text: string };
    const d = findDates(p.text, p.start)[0];
    if (d) md.issuedOn = { value: d.date, span: d.span };
    const sig = paras[di - 1];
    const signed = SIGNED_DATE.exec(p.text);
    if (signed && md.issuers.length === 0)
      md.issuers.push({
        value: signed[1] as string,
        span: span(p.start, p.start + (signed[1] as string).length),
      });
    else if (sig && ISSUER_END.test(sig.text) && sig.text.length <= 40 && md.issuers.length === 0)
      md.issuers.push({ value: sig.text, span: span(sig.start, sig.end) });
    if (md.title && /印发|转发/.test(md.title.value)) {
      noticeEnd = p.end;
      for (const q of paras.slice(di + 1, di + 3))
        if (/^（此件|^（[^）]*公开/.test(q.text)) noticeEnd = q.end;
    }
  }
  const printed = paras.find((p) => DATE_PARA.test(p.text) && /印发$/.test(p.text));
  if (printed) {
    const d = findDates(printed.text, printed.start)[0];
    if (d) md.printedOn = { value: d.date, span: d.span };
    if (!md.issuedOn && d) md.issuedOn = { value: d.date, span: d.span };
  }

  // 主送: the first paragraph ending in ： after the title that names bodies.
  const rec = paras.find(
    (p) =>
      p.start >= afterTitle &&
      p.start < (noticeEnd || text.length) &&
      /：$/.test(p.text) &&
      /各|人民政府|部门|单位|委|局/.test(p.text) &&
      !/^附件/.test(p.text),
  );
  if (rec) {
    let at = rec.start;
    for (const part of rec.text.slice(0, -1).split(/[，、]/)) {
      if (part) md.recipients.push({ value: part, span: span(at, at + part.length) });
      at += part.length + 1;
    }
  }

  // 附件：1.… 2.… (or one annex on the same line).
  const ai = paras.findIndex((p) => /^附件[：:]/.test(p.text));
  if (ai >= 0) {
    const first = paras[ai] as { start: number; end: number; text: string };
    const items: { start: number; end: number; text: string }[] = [];
    const rest = first.text.replace(/^附件[：:]\s*/, "");
    const restStart = first.end - rest.length;
    items.push({ start: restStart, end: first.end, text: rest });
    for (const p of paras.slice(ai + 1)) {
      if (!/^\d{1,2}[.．、]/.test(p.text)) break;
      items.push(p);
    }
    for (const it of items) {
      const m = /^(\d{1,2})[.．、]\s*/.exec(it.text);
      const a: Annex = {
        title: it.text.slice(m ? m[0].length : 0),
        span: span(it.start + (m ? m[0].length : 0), it.end),
      };
      if (m) a.number = Number(m[1]);
      if (a.title) md.annexes.push(a);
    }
  }

  // Document validity.
  const from =
    /自(?:本(?:政策|措施|办法|细则|文件|通知|方案|规定)?)?(?:印发|发布|公布|颁布)之日起(?:施行|执行|实施|生效)/.exec(
      text,
    );
  const fromDate = /自((?:\d{4})年\d{1,2}月\d{1,2}日)起(?:施行|执行|实施|生效)/.exec(text);
  if (fromDate) {
    const d = findDates(fromDate[1] as string, fromDate.index + 1)[0];
    if (d)
      md.validFrom = {
        value: d.date,
        span: span(fromDate.index, fromDate.index + fromDate[0].length),
        quote: fromDate[0],
      };
  } else if (from && md.issuedOn) {
    md.validFrom = {
      value: md.issuedOn.value,
      span: span(from.index, from.index + from[0].length),
      quote: from[0],
    };
  }
  const years = /有效期(?:为)?([\d一二三四五六七八九十两]+)年/.exec(text);
  // The document's own period: "本…有效期至／执行期限至…" (a measure's own 执行期限 is not the document's).
  const untilRe =
    /(?:有效期|执行期限|实施期限|有效期限)(?:为|至|到)(?:[^，。]{0,20}?至)?((?:\d{4})年\d{1,2}月\d{1,2}日)/g;
  const docScope = /本(?:政策|措施|办法|细则|文件|通知|方案|规定|意见|计划)[^。]{0,30}$/;
  const until = [...text.matchAll(untilRe)].find((u) =>
    docScope.test(text.slice(Math.max(0, u.index - 40), u.index)),
  );
  if (until) {
    const d = findDates(until[1] as string, 0)[0];
    if (d)
      md.validUntil = {
        value: d.date,
        span: span(until.index, until.index + until[0].length),
        quote: until[0],
      };
  } else if (years) {
    const n = parseNumber(years[1] as string);
    const base = md.validFrom?.value ?? md.issuedOn?.value;
    if (n && base) {
      const [y, m, d] = base.split("-").map(Number) as [number, number, number];
      const end = new Date(Date.UTC(y + n, m - 1, d - 1));
      md.validUntil = {
        value: end.toISOString().slice(0, 10),
        span: span(years.index, years.index + years[0].length),
        quote: years[0],
      };
    }
  } else if (md.title) {
    const plan = /[（(]\s*((?:19|20)\d{2})\s*(?:——|[—–\-~至到])\s*((?:19|20)\d{2})\s*年\s*[）)]/.exec(
      md.title.value,
    );
    if (plan) {
      const s = md.title.span[0] + plan.index;
      md.validUntil = {
        value: `${plan[2]}-12-31`,
        span: span(s, s + plan[0].length),
        quote: plan[0].replace(/^[（(]|[）)]$/g, ""),
      };
    }
  }
  // 申报截止: a deadline in a paragraph about the application period (or right under such a heading).
  for (const [i, p] of paras.entries()) {
    const about = /(?:申报|受理|报送|提交|申请)(?:时间|截止|期限|日期)|截止(?:时间|日期)|截至/;
    if (!about.test(p.text) && !about.test(paras[i - 1]?.text ?? "")) continue;
    const d = findDates(p.text, p.start).filter((x) => x.role === "deadline");
    const last = d[d.length - 1];
    if (last) {
      const from = Math.max(p.text.lastIndexOf("，", last.span[0] - p.start), -1) + 1;
      md.applicationDeadline = {
        value: last.date,
        span: last.span,
        quote: text.slice(p.start + from, last.span[1]),
      };
      break;
    }
  }
  return { metadata: md, noticeEnd };
}

/**
 * Candidates inside one clause: amounts (元／万元／亿元, Chinese numerals), rates, caps, floors, ranges,
 * thresholds (以上／以下／（含）), per-unit amounts, dates and deadlines, years, unit notes, stacking words.
 * Works on cleaned text (ASCII digits); every candidate carries its span in the cleaned text.
 */
import Nzh from "nzh";
import type {
  ClauseCandidates,
  DateCandidate,
  MoneyCandidate,
  MoneyRole,
  RateCandidate,
  Span,
  StackingCandidate,
  UnitNote,
  YearCandidate,
} from "./types.ts";

const CN_DIGITS = "零〇一二两三四五六七八九十百千";

/** Value of a number as printed: "1.5", "1,000", "五十", "一百五十", "两千", "五十万". */
export function parseNumber(s: string): number | undefined {
  const t = s.replace(/[,\s]/g, "");
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  if (/^[零〇一二两三四五六七八九十百千万亿点]+$/.test(t)) {
    const norm = t.replace(/两/g, "二").replace(/〇/g, "零");
    const v = Number(Nzh.cn.decodeS(norm));
    return Number.isFinite(v) && (v > 0 || /^[零]+$/.test(norm)) ? v : undefined;
  }
  return undefined;
}

const UNIT_SCALE: Record<string, number> = { "": 1, 千: 1e3, 万: 1e4, 亿: 1e8 };
const toFen = (yuan: number) => Math.round(yuan * 100);

const AR = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
const CN = `[一二两三四五六七八九十][${CN_DIGITS}]*`;
const NUM = `(?:${AR}|${CN})`;
const DASH = String.raw`(?:——|[—–\-~至到])`;
const MONEY = new RegExp(
  String.raw`(${NUM})(?:(万|亿|千)?元?\s*${DASH}\s*(${NUM}))?\s*(万|亿|千)?(元|(?=[、，和或及]\s*${NUM}\s*(?:万|亿))|(?=\s*(?:的)?(?:一次性|奖励|补助|补贴|资助|配套|经费|支持)))`,
  "g",
);
const CN_MONEY = new RegExp(`([一二两三四五六七八九十][${CN_DIGITS}万亿]*)元`, "g");

const BENEFIT_AFTER =
  /^(?:的)?[\u4e00-\u9fa5]{0,5}?(?:奖励|补助|补贴|资助|支持|配套|奖补|经费|补偿|资金|激励|首购首用)/;
const BENEFIT_KW = /给予|奖励|补助|补贴|资助|配套|奖补|贴息|安排|经费|补偿|激励|资金支持|支持/g;
const CONDITION_KW =
  /达到|突破|(?<!不)超过|投资|收入|产值|营业|费用|额度|采购额|销售额|交易额|规模|贷款|纳税|税收|融资|营收|增加值|投入|注册资本|实缴|不满|(?<!不)低于|不足/g;
const CAP_WORDS = /不超过|不高于|最高|最多|上限|封顶|以内|至多/;
const FLOOR_WORDS = /不低于|不少于|最低|至少/;

function lastMatch(re: RegExp, s: string): number {
  let best = -1;
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) best = m.index + m[0].length;
  return best;
}

/** Text of the sub-clause before `at` (since the last ，。；：) and of the sentence (since the last 。；). */
function before(text: string, at: number): { sub: string; sentence: string } {
  const head = text.slice(0, at);
  const subStart = Math.max(
    head.lastIndexOf("，"),
    head.lastIndexOf("。"),
    head.lastIndexOf("；"),
    head.lastIndexOf("："),
  );
  const sentStart = Math.max(head.lastIndexOf("。"), head.lastIndexOf("；"));
  return { sub: head.slice(subStart + 1), sentence: head.slice(sentStart + 1) };
}

function role(text: string, start: number, end: number): MoneyRole {
  const after = text.slice(end).replace(/^(?:（含）|及以上|以上|以下|以内|\/[\u4e00-\u9fa5]{1,2})/, "");
  if (BENEFIT_AFTER.test(after)) return "benefit";
  const { sub, sentence } = before(text, start);
  const b = lastMatch(BENEFIT_KW, sub);
  const c = lastMatch(CONDITION_KW, sub);
  if (c > b) return "threshold";
  if (b > c) return "benefit";
  if (/^(?:（含）)?(?:及以上|以上|以下)/.test(text.slice(end))) return "threshold";
  if (/给予|奖励|补助|补贴|资助|奖补/.test(sentence)) return "benefit";
  return "other";
}

function perUnit(text: string, start: number, end: number): string | undefined {
  const after = /^\/(企业|项目|户|家|个|人|项|年|台|套|次)/.exec(text.slice(end));
  if (after) return after[1];
  const { sub, sentence } = before(text, start);
  const m =
    /(?:每|单个|单家|单户|单项)(企业|项目|单位|产品|户|家|个|人|项|年|台|套|次)/.exec(sub) ??
    /(?:每|单个|单家|单户|单项)(企业|项目|单位|产品|户|家|个|人|项|台|套)/.exec(sentence);
  return m ? (m[1] as string) : undefined;
}

export function findMoney(text: string, offset = 0): MoneyCandidate[] {
  const out: MoneyCandidate[] = [];
  const taken: Span[] = [];
  MONEY.lastIndex = 0;
  for (let m = MONEY.exec(text); m; m = MONEY.exec(text)) {
    const [, a, unitA, b, unitB] = m;
    // Skip numbers glued to a preceding digit-like context ("第2", dates) and percentages.
    const prevCh = text[m.index - 1] ?? "";
    if (/[\d.]/.test(prevCh)) continue;
    const scaleB = UNIT_SCALE[unitB ?? ""] ?? 1;
    const scaleA = unitA !== undefined ? (UNIT_SCALE[unitA] ?? 1) : scaleB;
    const va = parseNumber(a as string);
    if (va === undefined) continue;
    const vb = b !== undefined ? parseNumber(b) : undefined;
    if (b !== undefined && vb === undefined) continue;
    // CN numerals with 万/亿 inside are handled by CN_MONEY.
    if (!m[5] && unitB === undefined) continue;
    const start = m.index;
    const end = m.index + m[0].length;
    taken.push([start, end]);
    out.push(
      money(
        text,
        start,
        end,
        m[0],
        toFen(va * scaleA),
        vb !== undefined ? toFen(vb * scaleB) : undefined,
        offset,
      ),
    );
  }
  CN_MONEY.lastIndex = 0;
  for (let m = CN_MONEY.exec(text); m; m = CN_MONEY.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (taken.some(([s, e]) => start < e && end > s)) continue;
    const v = parseNumber(m[1] as string);
    if (v === undefined) continue;
    out.push(money(text, start, end, m[0], toFen(v), undefined, offset));
  }
  out.sort((x, y) => x.span[0] - y.span[0]);
  listInheritance(text, out, offset);
  return out;
}

function money(
  text: string,
  start: number,
  end: number,
  printed: string,
  a: number,
  b: number | undefined,
  offset: number,
): MoneyCandidate {
  const { sub } = before(text, start);
  const after = text.slice(end);
  const tail = sub.slice(Math.max(lastMatch(BENEFIT_KW, sub), lastMatch(CONDITION_KW, sub), 0));
  let bound: MoneyCandidate["bound"] = "exact";
  let comparator: MoneyCandidate["comparator"];
  let max: number | null = a;
  if (b !== undefined) {
    bound = "range";
    max = b;
  } else if (
    CAP_WORDS.test(tail) ||
    /(?:最高|最多|不超过|不高于)(?:一次性)?(?:给予|奖励|补助|补贴|资助|支持|奖补)$/.test(sub) ||
    /^(?:（含）)?以内/.test(after)
  )
    bound = "cap";
  else if (FLOOR_WORDS.test(tail)) bound = "floor";
  if (/^(?:（含）)?(?:及)?以上/.test(after)) {
    comparator = ">=";
    if (bound === "exact") bound = "floor";
  } else if (/^(?:（含）)?以下|^以内/.test(after)) comparator = "<=";
  else if (/(?<!不)超过$|(?<!不)高于$/.test(sub)) comparator = ">";
  else if (/不满$|(?<!不)低于$|不足$/.test(sub)) comparator = "<";
  const r = role(text, start, end);
  if (r === "benefit" && bound === "floor") max = null;
  const c: MoneyCandidate = {
    kind: "money",
    text: printed,
    span: [offset + start, offset + end],
    min: a,
    max,
    bound,
    role: r,
  };
  if (r === "threshold" && comparator) c.comparator = comparator;
  else if (r === "threshold" && bound === "floor") c.comparator = ">=";
  else if (r === "threshold" && bound === "cap") c.comparator = "<=";
  const per = perUnit(text, start, end);
  if (per) c.per = per;
  return c;
}

/** "分别给予 80 万元、50 万元、40 万元奖励": list members take the role and bound of the list. */
function listInheritance(text: string, cs: MoneyCandidate[], offset: number): void {
  let i = 0;
  while (i < cs.length) {
    let j = i;
    while (j + 1 < cs.length) {
      const gap = text.slice(
        (cs[j] as MoneyCandidate).span[1] - offset,
        (cs[j + 1] as MoneyCandidate).span[0] - offset,
      );
      if (!/^\s*[、，,和或及]\s*$/.test(gap)) break;
      j++;
    }
    if (j > i) {
      const group = cs.slice(i, j + 1);
      const last = group[group.length - 1] as MoneyCandidate;
      const first = group[0] as MoneyCandidate;
      const r: MoneyRole = last.role === "benefit" || first.role === "benefit" ? "benefit" : last.role;
      for (const c of group) {
        c.role = r;
        if (first.bound === "cap" && c.bound === "exact") c.bound = "cap";
        if (r === "benefit") delete c.comparator;
      }
    }
    i = j + 1;
  }
}

const RATE = new RegExp(String.raw`(\d+(?:\.\d+)?)\s*([%‰])|百分之([${CN_DIGITS}\d.点]+)`, "g");

export function findRates(text: string, offset = 0): RateCandidate[] {
  const out: RateCandidate[] = [];
  RATE.lastIndex = 0;
  for (let m = RATE.exec(text); m; m = RATE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const rate = m[3] !== undefined ? `${parseNumber(m[3].replace("点", ".")) ?? m[3]}%` : `${m[1]}${m[2]}`;
    const { sub, sentence } = before(text, start);
    const after = text.slice(end);
    const baseM =
      /(?:按|按照|为|占)(?:不超过|不高于|不低于)?(.{1,24}?)的?$/.exec(sub) ??
      /(?:不超过|不高于|不低于)([^，。；、]{2,20}?)的$/.exec(sub);
    let bound: RateCandidate["bound"] = "exact";
    if (CAP_WORDS.test(sub.slice(-12)) || /^以内/.test(after)) bound = "cap";
    else if (FLOOR_WORDS.test(sub.slice(-12)) || /^(?:及)?以上/.test(after)) bound = "floor";
    let r: MoneyRole = "other";
    if (/^(?:（含）)?(?:及)?以[上下]/.test(after) && !baseM) r = "threshold";
    else if (baseM || /给予|补助|补贴|奖励|奖补|贴息|配套/.test(sentence + after.slice(0, 12))) r = "benefit";
    const c: RateCandidate = {
      kind: "rate",
      text: m[0],
      span: [offset + start, offset + end],
      rate,
      bound,
      role: r,
    };
    if (baseM && r === "benefit") {
      const base = ((baseM[1] as string).split("、").pop() as string)
        .replace(/^(?:照|比例)/, "")
        .replace(/(?:不超过|不高于|不低于|最高|最多)$/, "")
        .replace(/^(?:不超过|不高于|不低于|最高|最多)/, "")
        .replace(/的$/, "");
      if (base && !/^\d/.test(base)) c.base = base;
    }
    out.push(c);
  }
  return out;
}

const CN_DATE_NUM = "〇零一二三四五六七八九十";
function cnDateNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (/^[〇零一二三四五六七八九]{4}$/.test(s))
    return Number([...s].map((c) => "〇一二三四五六七八九".indexOf(c === "零" ? "〇" : c)).join(""));
  return parseNumber(s);
}

const pad = (n: number) => String(n).padStart(2, "0");
const DATE = new RegExp(
  String.raw`(\d{4}|[〇零一二三四五六七八九]{4})年(\d{1,2}|[${CN_DATE_NUM}]{1,3})月(?:(\d{1,2}|[${CN_DATE_NUM}]{1,3})日|(底|末))|(\d{4})年(底|末)|每年(\d{1,2})月(\d{1,2}日|底|末)|(?<![\d.])((?:19|20)\d{2})[.\-/](\d{1,2})[.\-/](\d{1,2})(?![\d.])`,
  "g",
);

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function findDates(text: string, offset = 0): DateCandidate[] {
  const out: DateCandidate[] = [];
  DATE.lastIndex = 0;
  for (let m = DATE.exec(text); m; m = DATE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    let date: string;
    let yearly = false;
    if (m[7] !== undefined) {
      const mo = Number(m[7]);
      const day = /^\d/.test(m[8] as string) ? Number.parseInt(m[8] as string, 10) : lastDay(2001, mo);
      date = `--${pad(mo)}-${pad(day)}`;
      yearly = true;
    } else if (m[5] !== undefined) date = `${m[5]}-12-31`;
    else if (m[9] !== undefined) {
      const mo = Number(m[10]);
      const d = Number(m[11]);
      if (mo < 1 || mo > 12 || d < 1 || d > 31) continue;
      date = `${m[9]}-${pad(mo)}-${pad(d)}`;
    } else {
      const y = cnDateNumber(m[1] as string);
      const mo = cnDateNumber(m[2] as string);
      if (y === undefined || mo === undefined || mo < 1 || mo > 12) continue;
      const d = m[3] !== undefined ? cnDateNumber(m[3]) : lastDay(y, mo);
      if (d === undefined || d < 1 || d > 31) continue;
      date = `${y}-${pad(mo)}-${pad(d)}`;
    }
    const head = text.slice(Math.max(0, start - 12), start);
    const after = text.slice(end, end + 8);
    // "2024年6月1日至6月30日": the second date takes the first one's year.
    const tail = /^\s*(?:——|[—–\-~至到])\s*(\d{1,2})月(\d{1,2})日/.exec(
      after.length ? text.slice(end, end + 12) : "",
    );
    if (tail && m[3] !== undefined) {
      const y = date.slice(0, 4);
      out.push({ kind: "date", text: m[0], span: [offset + start, offset + end], date, role: "from" });
      const s2 = end + (tail[0].length - `${tail[1]}月${tail[2]}日`.length);
      const e2 = end + tail[0].length;
      DATE.lastIndex = e2;
      const r2: DateCandidate["role"] = "deadline";
      out.push({
        kind: "date",
        text: text.slice(s2, e2),
        span: [offset + s2, offset + e2],
        date: `${y}-${pad(Number(tail[1]))}-${pad(Number(tail[2]))}`,
        role: r2,
      });
      continue;
    }
    let r: DateCandidate["role"] = "mention";
    if (yearly) r = "yearly";
    else if (
      /^\s*(?:——|[—–\-~至到])\s*(?:\d{4}|[〇零一二三四五六七八九]{4})年/.test(text.slice(end, end + 8))
    )
      r = "from";
    else if (
      /(?:期限|有效期|截止|截至|执行|实施|施行)(?:时间|日期)?(?:为|到|至|[：:])?$|至$|止于$/.test(head) ||
      /^(?:（含）)?(?:前|之前|以前|止|截止)/.test(after)
    )
      r = "deadline";
    else if (/[自从]$/.test(head) && /^起/.test(after)) r = "from";
    out.push({ kind: "date", text: m[0], span: [offset + start, offset + end], date, role: r });
  }
  return out;
}

const YEAR =
  /((?:19|20)\d{2})\s*(?:年)?\s*(?:——|[—–\-~至到])\s*((?:19|20)\d{2})\s*年|((?:19|20)\d{2})\s*年(?![\d〇零一二三四五六七八九十]{1,3}月|底|末)/g;

export function findYears(text: string, offset = 0): YearCandidate[] {
  const out: YearCandidate[] = [];
  YEAR.lastIndex = 0;
  for (let m = YEAR.exec(text); m; m = YEAR.exec(text)) {
    const c: YearCandidate = {
      kind: "year",
      text: m[0],
      span: [offset + m.index, offset + m.index + m[0].length],
      from: Number(m[1] ?? m[3]),
    };
    if (m[2]) c.to = Number(m[2]);
    out.push(c);
  }
  return out;
}

const STACKING =
  /从高不重复|就高不重复|就高不就低|不重复享受|不得重复享受|不重复支持|不得重复申报|不重复奖励|按就高原则|就高享受|择高享受|不予叠加|不叠加享受|不累加/g;

export function findStacking(text: string, offset = 0): StackingCandidate[] {
  const out: StackingCandidate[] = [];
  STACKING.lastIndex = 0;
  for (let m = STACKING.exec(text); m; m = STACKING.exec(text))
    out.push({ kind: "stacking", text: m[0], span: [offset + m.index, offset + m.index + m[0].length] });
  return out;
}

const OPEN = "（〔【(";
const CLOSE = "）〕】)";
const UNIT_LABEL =
  /(牵头单位|责任单位|主责单位|配合单位|协办单位|责任部门|牵头部门|配合部门|实施单位|主管部门|负责单位|参与单位)\s*[：:]/g;
const UNIT_NAME =
  /^[\u4e00-\u9fa5A-Za-z0-9（）〔〕“”]{2,30}?(?:委员会|委|局|办公室|办|中心|公司|银行|支行|管委会|政府|部|组|厅|处|院|所|会|协会|集团|街道|单位|（街道）|站|队|署|室|分局)$/;

/** Splits "区经济信息委、区财政局，各乡镇（街道）" into names, respecting brackets. */
export function splitUnits(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (OPEN.includes(ch)) depth++;
    if (CLOSE.includes(ch)) depth = Math.max(0, depth - 1);
    if (depth === 0 && /[、，,；;]/.test(ch)) {
      if (cur.trim()) out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out.map((u) => u.replace(/^(?:和|及|以及)/, "").replace(/等$/, "")).filter(Boolean);
}

/** Index of the bracket closing the one at `open`, or -1. */
function matching(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i] as string;
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) {
      depth--;
      if (depth === 0) return i;
    } else if (ch === "\n") return -1;
  }
  return -1;
}

function noteFromBody(body: string, span: Span, bare: boolean): UnitNote | undefined {
  const lead: string[] = [];
  const co: string[] = [];
  if (bare) {
    const names = splitUnits(body);
    if (names.length === 0 || !names.every((n) => UNIT_NAME.test(n) || /银行$|^各/.test(n))) return undefined;
    return { lead: names.slice(0, 1), co: names.slice(1), label: "（未标注）", span };
  }
  const parts: { label: string; text: string }[] = [];
  UNIT_LABEL.lastIndex = 0;
  const ms = [...body.matchAll(UNIT_LABEL)];
  ms.forEach((m, i) => {
    const from = (m.index ?? 0) + m[0].length;
    const to = i + 1 < ms.length ? (ms[i + 1]?.index ?? body.length) : body.length;
    parts.push({ label: m[1] as string, text: body.slice(from, to).replace(/[，,；;。\s]+$/, "") });
  });
  for (const p of parts) {
    const names = splitUnits(p.text);
    if (/牵头|主责|负责|主管/.test(p.label)) lead.push(...names);
    else if (/配合|协办|参与/.test(p.label)) co.push(...names);
    else if (lead.length === 0) {
      lead.push(...names.slice(0, 1));
      co.push(...names.slice(1));
    } else co.push(...names);
  }
  if (lead.length === 0 && co.length === 0) return undefined;
  if (lead.length > 1 && parts.some((p) => /牵头/.test(p.label))) {
    // Several 牵头单位: the first leads, the others co-lead.
    co.unshift(...lead.splice(1));
  }
  return { lead, co, label: parts.map((p) => p.label).join("、"), span };
}

/** "（省经济和信息化厅牵头，省财政厅配合）", "（区发展改革委、区财政局按职责分工负责）". */
function duties(body: string, span: Span): UnitNote | undefined {
  const valid = (names: string[]) =>
    names.length > 0 && names.every((n) => UNIT_NAME.test(n) || /^各/.test(n));
  const led =
    /^(.+?)牵头(?:负责)?(?:[，,；;、]\s*(.+?)(?:配合|参与|协同|按职责分工负责|按职责分工落实|共同负责|负责))?[。]?$/.exec(
      body,
    );
  if (led) {
    const lead = splitUnits(led[1] as string);
    const co = led[2] ? splitUnits(led[2]) : [];
    if (valid(lead) && (co.length === 0 || valid(co)))
      return { lead: lead.slice(0, 1), co: [...lead.slice(1), ...co], label: "牵头", span };
  }
  const shared = /^(.+?)(?:按职责分工负责|按职责分工落实|按职责负责|负责落实|共同负责|负责)[。]?$/.exec(body);
  if (shared) {
    const names = splitUnits(shared[1] as string);
    if (valid(names)) return { lead: names.slice(0, 1), co: names.slice(1), label: "负责", span };
  }
  return undefined;
}

/** Unit notes: （牵头单位：…，配合单位：…）, 〔责任单位：…〕, 责任单位：… at a line start, (区A、区B) at a clause end. */
export function findUnits(text: string, offset = 0): UnitNote[] {
  const out: UnitNote[] = [];
  for (let i = 0; i < text.length; i++) {
    if (!OPEN.includes(text[i] as string)) continue;
    const close = matching(text, i);
    if (close < 0) continue;
    const body = text.slice(i + 1, close);
    UNIT_LABEL.lastIndex = 0;
    const labelled =
      /^\s*(牵头单位|责任单位|主责单位|配合单位|协办单位|责任部门|牵头部门|配合部门|实施单位|主管部门|负责单位)\s*[：:]/.test(
        body,
      );
    const atEnd = /^[\s。；]*(?:\n|$)/.test(text.slice(close + 1));
    const sp: Span = [offset + i, offset + close + 1];
    const note = labelled
      ? noteFromBody(body, sp, false)
      : atEnd
        ? (duties(body, sp) ?? (/[、，]/.test(body) ? noteFromBody(body, sp, true) : undefined))
        : undefined;
    if (note) {
      out.push(note);
      i = close;
    }
  }
  // Unbracketed: "责任单位：区科技局、区财政局" at the start of a line.
  const line =
    /(?:^|\n)\s*((?:牵头单位|责任单位|主责单位|责任部门|牵头部门|配合单位|协办单位|配合部门)\s*[：:][^\n]+)/g;
  for (let m = line.exec(text); m; m = line.exec(text)) {
    const s = (m.index ?? 0) + m[0].indexOf(m[1] as string);
    if (out.some((n) => n.span[0] - offset <= s && n.span[1] - offset > s)) continue;
    const note = noteFromBody(m[1] as string, [offset + s, offset + s + (m[1] as string).length], false);
    if (note) out.push(note);
  }
  return out;
}

export function findCandidates(text: string, offset = 0): ClauseCandidates {
  return {
    amounts: findMoney(text, offset),
    rates: findRates(text, offset),
    dates: findDates(text, offset),
    years: findYears(text, offset),
    units: findUnits(text, offset),
    stacking: findStacking(text, offset),
  };
}

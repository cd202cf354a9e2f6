/**
 * Rule expressions in Chinese for readers who are not rule editors: fact ids become their vocabulary
 * labels, per-year facts get their year resolved against the as-of year ("2023年研发费用"), enum values
 * their labels, money "1,000万元", comparisons 不低于／高于／不高于／低于, logic 且／或／不是, with
 * parentheses where precedence needs them ("（投资额 − 已获补助）× 30%"). Pure: jsep only.
 */
import jsep from "jsep";
import { parseItemFieldKey } from "./expression.ts";
import { yuanToFen } from "./money.ts";
import type { EnumValue, FactDefinition, FieldDefinition, RuleSet } from "./types.ts";

type Node = jsep.Expression;

/** What the renderer knows about the rule set: fact labels, measures, regions, departments. */
export interface Glossary {
  facts: Map<string, FactDefinition>;
  /** A measure id or id prefix ("yubei-2021-13/9.1") → "《渝北府发〔2021〕13号》第9条（第1项）". */
  measureName(id: string): string;
  /** A region code → "渝北区"; a municipal code ("500000") → "重庆市（全市）". */
  regionName(code: string): string;
  /** A department code → "区经济信息委". */
  departmentName(code: string): string;
  /** A stacking group id → its title. */
  groupTitle(id: string): string | undefined;
}

/** The article of a measure as cited: "第5条", "第5条（第2项）". */
export function articleText(ordinal: number | string, sub?: number | string | undefined): string {
  return `第${ordinal}条${sub !== undefined && sub !== "" ? `（第${sub}项）` : ""}`;
}

export type GlossarySource = Pick<RuleSet, "vocabulary" | "documents" | "measures"> &
  Partial<Pick<RuleSet, "stackingGroups" | "departments">>;

export function makeGlossary(rules: GlossarySource): Glossary {
  const facts = new Map(rules.vocabulary.facts.map((f) => [f.id, f]));
  const docs = new Map(rules.documents.map((d) => [d.id, d]));
  const regions = new Map(
    (facts.get("regionCode")?.values ?? []).map((v) => [v.value, v.label] as [string, string]),
  );
  const groups = new Map((rules.stackingGroups ?? []).map((g) => [g.id, g.title]));
  const departments = rules.departments ?? {};
  return {
    facts,
    measureName(id) {
      const [docId, item] = id.split("/") as [string, string | undefined];
      const doc = docs.get(docId);
      const head = doc ? `《${doc.docNumber}》` : "其他文件";
      if (!item) return head;
      const [ordinal = "", sub] = item.split(".");
      return `${head}${articleText(ordinal, sub)}`;
    },
    regionName(code) {
      const name = regions.get(code);
      if (name) return name;
      if (/^\d{2}0000$/.test(code)) return code === "500000" ? "重庆市（全市）" : "全市";
      return `未知区县（代码${code}）`;
    },
    departmentName: (code) => departments[code] ?? code,
    groupTitle: (id) => groups.get(id),
  };
}

/** Where an expression is read: the as-of date and year, and the list whose `item` it may refer to. */
export interface ExprEnv {
  g: Glossary;
  year?: number | undefined;
  asOf?: string | undefined;
  itemOf?: FactDefinition | undefined;
}

// ---------------------------------------------------------------------------------------------- values

const group3 = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const trimFraction = (s: string) => s.replace(/\.?0+$/, "");

/**
 * 分 → exact Chinese money text with thousands separators: "3,200元", "1,234.56元", "8,800万元",
 * "2.5亿元". 万元 and 亿元 only when exact (to 0.01万 / 0.01亿); never rounded.
 */
export function moneyText(fen: number): string {
  if (!Number.isSafeInteger(fen)) return `${fen}分`;
  const digits = String(Math.abs(fen)).padStart(3, "0");
  const yuan = digits.slice(0, -2);
  const cents = digits.slice(-2);
  const sign = fen < 0 ? "−" : "";
  if (cents === "00" && yuan.length > 8 && yuan.endsWith("000000")) {
    const h = yuan.slice(0, -6);
    return `${sign}${trimFraction(`${group3(h.slice(0, -2))}.${h.slice(-2)}`)}亿元`;
  }
  if (cents === "00" && yuan.length > 4 && yuan.endsWith("00")) {
    const h = yuan.slice(0, -2);
    return `${sign}${trimFraction(`${group3(h.slice(0, -2))}.${h.slice(-2)}`)}万元`;
  }
  return `${sign}${group3(yuan)}${cents === "00" ? "" : `.${cents}`}元`;
}

/** 元 (a number from a profile or a rule) → money text. */
export function yuanText(yuan: number): string {
  const fen = yuanToFen(yuan);
  return fen === undefined ? `${yuan}元` : moneyText(fen);
}

/** An amount range (分) in words: "2,640万元", "最高150万元", "10万元～20万元", "上限未定". */
export function rangeText(r: { min: number; max: number | null }): string {
  if (r.max === null) return r.min > 0 ? `不低于${moneyText(r.min)}（上限未定）` : "金额待定（上限未定）";
  if (r.min === r.max) return moneyText(r.min);
  if (r.min === 0) return `最高${moneyText(r.max)}`;
  return `${moneyText(r.min)}～${moneyText(r.max)}`;
}

/** "2022-01-01" → "2022年1月1日". */
export function dateText(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** A rate as written ("30%", "0.5‰") or as a fraction (0.03) → "3%". */
export function rateText(rate: string | number): string {
  const s = String(rate).trim();
  if (/[%‰]$/.test(s)) return s;
  const n = Number(s);
  return Number.isFinite(n) ? `${trimFraction((n * 100).toFixed(6))}%` : s;
}

/** A ratio fact (0.8) → "80%". */
export function percentText(v: number): string {
  return `${trimFraction((v * 100).toFixed(4))}%`;
}

/** The value type of a fact or field: how its values and the constants compared with it are written. */
export type ValueType =
  | { k: "money" | "ratio" | "year" | "date" | "bool" | "string" | "strings" | "any" }
  | { k: "number"; unit?: string | undefined }
  | { k: "enum"; values: EnumValue[] }
  | { k: "list"; def: FactDefinition };

export function typeOf(def: Pick<FactDefinition, "type" | "unit" | "values"> | FieldDefinition): ValueType {
  switch (def.type) {
    case "money":
      return { k: "money" };
    case "ratio":
      return { k: "ratio" };
    case "year":
      return { k: "year" };
    case "date":
      return { k: "date" };
    case "boolean":
      return { k: "bool" };
    case "enum":
      return { k: "enum", values: def.values ?? [] };
    case "stringList":
      return { k: "strings" };
    case "list":
      return { k: "list", def: def as FactDefinition };
    case "integer":
      return { k: "number", unit: def.unit };
    default:
      return { k: "string" };
  }
}

/** A field label without its data-entry hint: "设备（含软件）投资额（元）" → "设备（含软件）投资额". */
export function cleanLabel(label: string): string {
  return label.replace(/（[^（）]*(?:元|如|～|0～1)[^（）]*）$/, "").replace(/^是否为?/, "");
}

/** A list's short noun for naming one of its records: 项目, 认定, 贷款, 标准… */
export function listNoun(def: FactDefinition): string {
  if (def.label.includes("认定")) return "认定";
  if (def.label.endsWith("项目")) return "项目";
  const i = def.label.lastIndexOf("的");
  return i >= 0 ? def.label.slice(i + 1) : def.label;
}

/** A constant written as the type it is compared with: 10000000 → "1,000万元", 0.8 → "80%", 'smartFactory' → "智能工厂". */
export function literalText(v: unknown, ty: ValueType): string {
  if (v === null) return "无";
  if (typeof v === "boolean") return v ? "是" : "否";
  if (typeof v === "number") {
    if (ty.k === "money") return yuanText(v);
    if (ty.k === "ratio") return percentText(v);
    if (ty.k === "year") return `${v}年`;
    if (ty.k === "number" && ty.unit) return `${v}${ty.unit}`;
    return String(v);
  }
  if (typeof v === "string") {
    if (ty.k === "enum") return ty.values.find((x) => x.value === v)?.label ?? `“${v}”`;
    if (ty.k === "date" || /^\d{4}-\d{2}-\d{2}$/.test(v)) return dateText(v);
    return `“${v}”`;
  }
  return String(v);
}

/** A fact's or field's value for the reader ("8,800万元", "90%", "是", "市级", "2条：…"). */
export function valueText(v: unknown, ty: ValueType, g: Glossary): string {
  if (v === undefined || v === "未知") return "未知";
  if (v === null) return "无";
  switch (ty.k) {
    case "money":
      return typeof v === "number" ? yuanText(v) : String(v);
    case "ratio":
      return typeof v === "number" ? percentText(v) : String(v);
    case "year":
      return `${String(v)}年`;
    case "date":
      return typeof v === "string" ? dateText(v) : String(v);
    case "bool":
      return v === true ? "是" : v === false ? "否" : String(v);
    case "enum":
      return typeof v === "string" ? literalText(v, ty) : String(v);
    case "number":
      return `${String(v)}${ty.unit ?? ""}`;
    case "strings":
      return Array.isArray(v) ? (v.length ? v.map(String).join("、") : "无") : String(v);
    case "list": {
      if (!Array.isArray(v)) return String(v);
      if (v.length === 0) return "无";
      const rows = v as Record<string, unknown>[];
      return `共${rows.length}条（${rows.map((r, i) => itemName(ty.def, r, i, g, false)).join("；")}）`;
    }
    default:
      if (typeof v === "string" && /^\d{6}$/.test(v) && v.startsWith("50")) return g.regionName(v);
      return typeof v === "object" ? "（记录）" : String(v);
  }
}

/**
 * What a reader calls a list record: its name ("智能工厂二期"), or its kind with level, grade and date
 * ("智能工厂（市级，2022年9月1日）"). `withNoun`: prefixed by the list's noun ("项目『智能工厂二期』").
 */
export function itemName(
  def: FactDefinition,
  row: Record<string, unknown>,
  index: number,
  g: Glossary,
  withNoun = true,
): string {
  const field = (id: string) => def.fields?.find((x) => x.id === id);
  const shown = (id: string) => {
    const f = field(id);
    const v = row[id];
    return f && v !== undefined && v !== null && v !== "未知" ? valueText(v, typeOf(f), g) : undefined;
  };
  const name = typeof row.name === "string" && row.name ? row.name : undefined;
  const measure = typeof row.measureId === "string" ? g.measureName(row.measureId) : undefined;
  const kind = shown("kind") ?? shown("board") ?? measure;
  const head = name ?? kind ?? shown("level") ?? `第${index + 1}条`;
  const extra = name
    ? []
    : [
        kind ? shown("level") : undefined,
        shown("grade"),
        shown("date"),
        shown("year") ?? shown("allocationYear"),
        shown("amount"),
      ].filter((x) => x !== undefined);
  const text = `${head}${extra.length ? `（${extra.join("，")}）` : ""}`;
  return withNoun ? `${listNoun(def)}『${text}』` : text;
}

/** The reader's name of a fact key: `rdExpense:2021` → "2021年研发费用（申报额）", `projects[二期].progress` → "项目『二期』的投资进度". */
export function factKeyLabel(key: string, g: Glossary): string {
  const item = parseItemFieldKey(key);
  if (item) {
    const list = g.facts.get(item.list);
    const field = list?.fields?.find((x) => x.id === item.field);
    const which = item.ref.startsWith("#") ? `第${item.ref.slice(1)}条` : `『${item.ref}』`;
    return `${list ? listNoun(list) : "记录"}${which}的${field ? cleanLabel(field.label) : "信息"}`;
  }
  const [id, y] = key.split(":") as [string, string | undefined];
  const def = g.facts.get(id);
  const label = def?.label ?? id;
  if (y && /^<\d+$/.test(y)) return `${y.slice(1)}年以前各年度${label}的最高值`;
  if (y && /^\d+$/.test(y)) return withYear(label, Number(y));
  return label;
}

/** The value type behind a fact key (`id`, `id:year`, `id:<year`, `list[ref].field`). */
export function factKeyType(key: string, g: Glossary): ValueType {
  const item = parseItemFieldKey(key);
  if (item) {
    const field = g.facts.get(item.list)?.fields?.find((x) => x.id === item.field);
    return field ? typeOf(field) : { k: "any" };
  }
  const def = g.facts.get(key.split(":")[0] ?? "");
  return def ? typeOf(def) : { k: "any" };
}

function withYear(label: string, year: number): string {
  return label.startsWith("该年度") ? `${year}年度${label.slice(3)}` : `${year}年${label}`;
}

// ----------------------------------------------------------------------------------------- rendering

/** What the renderer writes for what it cannot word; the explanation tests fail on any of them. */
export const PLACEHOLDERS = {
  call: "（内置计算）",
  fact: "（未知事实）",
  field: "（记录信息）",
  node: "（表达式）",
  condition: "（条件无法解析）",
  value: "（算式无法解析）",
} as const;

const P_TERN = 1;
const P_OR = 2;
const P_AND = 3;
const P_CMP = 4;
const P_ADD = 5;
const P_MUL = 6;
const P_UN = 7;
const P_ATOM = 9;

interface Out {
  /** The value phrase, or for a statement the positive statement. */
  text: string;
  prec: number;
  ty: ValueType;
  /** Statements (true／false): the negated statement. */
  neg?: string | undefined;
  /** A constant: its value. */
  lit?: { v: unknown } | undefined;
  /** cert()/renewed(): the certificate's name, for "已获…认定". */
  cert?: { subject: string; renewal: boolean } | undefined;
  /** `cert(x) != null`: the certificate held (lets "A或B或C" read "已获A、B或C认定"). */
  held?: string | undefined;
  /** `x == 'v'`: the subject and the value (lets "x为a或x为b" read "x为a或b"). */
  eq?: { subject: string; value: string } | undefined;
  /** A value whose constants take the type of what it is compared with (a chain of cases giving 元). */
  retype?: ((ty: ValueType) => string) | undefined;
  /** A comparison: the subject and the rest ("不低于50亿元"), for chains of cases on one value. */
  cmp?: { subject: string; rest: string; op: string; right: string } | undefined;
}

/** "a × b" with spaces, but none next to a grouping parenthesis: "（a − b）× 30%". */
export function operation(
  left: string,
  op: string,
  right: string,
  grouped: [boolean, boolean] = [false, false],
): string {
  return `${left}${grouped[0] ? "" : " "}${op}${grouped[1] ? "" : " "}${right}`;
}

const wrap = (o: Out, min: number) => (o.prec < min ? `（${o.text}）` : o.text);

function joinOr(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join("、")}或${xs[xs.length - 1]}`;
}

function statementOf(text: string, neg: string, prec = P_ATOM): Out {
  return { text, neg, prec, ty: { k: "bool" } };
}

/** A boolean fact's label as a statement and its negation: 制造业企业 → 是制造业企业／不是制造业企业. */
export function predicateOf(label: string): { pos: string; neg: string } {
  const noun = /(企业|单位|平台|孵化器|机构)$/.test(label.replace(/（[^（）]*）$/, ""));
  if (noun) return { pos: `是${label}`, neg: `不是${label}` };
  if (/^(已|有)/.test(label))
    return { pos: label, neg: label.startsWith("已") ? `未${label.slice(1)}` : `没有${label.slice(1)}` };
  if (/^(属于|具有)/.test(label)) return { pos: label, neg: `不${label}` };
  if (/^(通过|列入|承担|购买|运用|组建|投保|开放)/.test(label)) return { pos: label, neg: `未${label}` };
  const i = label.indexOf("已");
  if (i > 0) return { pos: label, neg: `${label.slice(0, i)}未${label.slice(i + 1)}` };
  return { pos: label, neg: `并非${label}` };
}

/** Any value used as a condition: a statement with its negation. */
function asStatement(o: Out): Out {
  if (o.neg !== undefined) return o;
  if (o.lit) {
    const v = o.lit.v;
    return v ? statementOf("（无条件）", "（此项不适用）") : statementOf("（此项不适用）", "（无条件）");
  }
  if (o.cert) {
    const s = o.cert.renewal ? `${o.cert.subject}已复核通过` : `已获${o.cert.subject}认定`;
    const n = o.cert.renewal ? `${o.cert.subject}未复核通过` : `未获${o.cert.subject}认定`;
    return { ...statementOf(s, n), held: o.cert.renewal ? undefined : o.cert.subject };
  }
  switch (o.ty.k) {
    case "money":
    case "number":
    case "ratio":
      return statementOf(`${wrap(o, P_CMP + 1)}高于0`, `${wrap(o, P_CMP + 1)}为0`, P_CMP);
    case "list":
    case "strings":
      return statementOf(`有${o.text}`, `没有${o.text}`);
    default:
      return statementOf(`${o.text}已填写`, `${o.text}未填写`);
  }
}

function negate(o: Out): Out {
  const s = asStatement(o);
  return { ...s, text: s.neg as string, neg: s.text, held: undefined, eq: undefined, cmp: undefined };
}

const ORDERED_WORDS: Record<string, [string, string]> = {
  ">=": ["不早于", "早于"],
  ">": ["晚于", "不晚于"],
  "<=": ["不晚于", "晚于"],
  "<": ["早于", "不早于"],
};
const NUMBER_WORDS: Record<string, [string, string]> = {
  ">=": ["不低于", "低于"],
  ">": ["高于", "不高于"],
  "<=": ["不高于", "高于"],
  "<": ["低于", "不低于"],
};
const FLIP: Record<string, string> = { ">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!=" };

function compare(op0: string, l0: Out, r0: Out): Out {
  const op = op0 === "===" ? "==" : op0 === "!==" ? "!=" : op0;
  // The constant on the right: "X 不低于 1,000万元".
  const swap = l0.lit !== undefined && r0.lit === undefined;
  const l = swap ? r0 : l0;
  const r = swap ? l0 : r0;
  const o = swap ? (FLIP[op] ?? op) : op;
  const eq = o === "==";
  if (o === "==" || o === "!=") {
    if (r.lit && r.lit.v === null) {
      if (l.cert) return eq ? negate(l) : asStatement(l);
      return eq
        ? statementOf(`${l.text}未填写`, `${l.text}已填写`)
        : statementOf(`${l.text}已填写`, `${l.text}未填写`);
    }
    if (r.lit && typeof r.lit.v === "boolean") return r.lit.v === eq ? asStatement(l) : negate(l);
  }
  const subject = l.cert
    ? `${l.cert.subject}${l.cert.renewal ? "最近一次复核通过" : "认定"}日期`
    : wrap(l, P_CMP + 1);
  const lty: ValueType = l.cert ? { k: "date" } : l.ty;
  const right =
    r.lit !== undefined
      ? literalText(r.lit.v, lty)
      : r.retype && r.ty.k === "any"
        ? `（${r.retype(lty)}）`
        : wrap(r, P_CMP + 1);
  if (o === "==" || o === "!=") {
    const numeric = lty.k === "money" || lty.k === "number" || lty.k === "ratio";
    const [yes, no] = numeric ? ["等于", "不等于"] : right.startsWith("为") ? ["是", "不是"] : ["为", "不是"];
    const pos = `${subject}${eq ? yes : no}${right}`;
    const neg = `${subject}${eq ? no : yes}${right}`;
    return {
      ...statementOf(pos, neg, P_CMP),
      eq: eq ? { subject, value: right } : undefined,
      cmp: { subject, rest: `${eq ? yes : no}${right}`, op: o, right },
    };
  }
  const words = (lty.k === "date" || lty.k === "year" ? ORDERED_WORDS : NUMBER_WORDS)[o];
  if (!words) return statementOf(`${subject} ${o} ${right}`, `并非${subject} ${o} ${right}`, P_CMP);
  return {
    ...statementOf(`${subject}${words[0]}${right}`, `${subject}${words[1]}${right}`, P_CMP),
    cmp: { subject, rest: `${words[0]}${right}`, op: o, right },
  };
}

/** Operands of a chain of one logical operator: a && b && c → [a, b, c]. */
function flatten(node: Node, op: string): Node[] {
  if (node.type === "BinaryExpression" && (node as jsep.BinaryExpression).operator === op) {
    const b = node as jsep.BinaryExpression;
    return [...flatten(b.left, op), ...flatten(b.right, op)];
  }
  return [node];
}

function logical(node: jsep.BinaryExpression, env: ExprEnv): Out {
  const isAnd = node.operator === "&&";
  const parts = flatten(node, node.operator).map((n) => asStatement(render(n, env)));
  if (isAnd) {
    // "X 不早于 a 且 X 不晚于 b" → "X 在 a 至 b 之间".
    const merged: Out[] = [];
    for (const p of parts) {
      const prev = merged[merged.length - 1];
      if (
        prev?.cmp &&
        p.cmp &&
        prev.cmp.subject === p.cmp.subject &&
        (prev.cmp.op === ">=" || prev.cmp.op === ">") &&
        p.cmp.op === "<="
      ) {
        const from = prev.cmp.op === ">=" ? "" : "（不含）";
        const same = prev.cmp.op === ">=" && prev.cmp.right === p.cmp.right;
        const text = same
          ? `${p.cmp.subject}为${p.cmp.right}`
          : `${p.cmp.subject}在${prev.cmp.right}${from}至${p.cmp.right}之间`;
        const neg = same
          ? `${p.cmp.subject}不是${p.cmp.right}`
          : `${p.cmp.subject}不在${prev.cmp.right}${from}至${p.cmp.right}之间`;
        merged[merged.length - 1] = statementOf(text, neg, P_CMP);
      } else merged.push(p);
    }
    if (merged.length === 1) return merged[0] as Out;
    const text = merged.map((p) => wrap(p, P_AND)).join("且");
    return statementOf(text, `并非（${text}）`, P_AND);
  }
  if (parts.every((p) => p.held)) {
    const held = joinOr(parts.map((p) => p.held as string));
    return statementOf(`已获${held}认定`, `未获${held}中任何一项认定`);
  }
  const first = parts[0]?.eq;
  if (first && parts.every((p) => p.eq?.subject === first.subject)) {
    const values = joinOr(parts.map((p) => p.eq?.value as string));
    return statementOf(`${first.subject}为${values}`, `${first.subject}不是${values}`, P_CMP);
  }
  const all = parts.map((p) => wrap(p, P_AND));
  // Alternatives that are themselves "A且B" are separated by "，或", which binds looser than "且".
  const sep = parts.some((p) => p.prec === P_AND) ? "，或" : "或";
  const text = all.every((t) => t.startsWith("是"))
    ? `是${all.map((t) => t.slice(1)).join(sep)}`
    : all.join(sep);
  return statementOf(
    text,
    `${parts.map((p) => wrap({ ...p, text: p.neg as string }, P_AND)).join("且")}`,
    P_OR,
  );
}

/** A year expression with a known value: `2021`, `year`, `year - 1` as of the as-of year. */
function staticYear(node: Node, env: ExprEnv): number | undefined {
  if (node.type === "Literal" && typeof (node as jsep.Literal).value === "number")
    return (node as jsep.Literal).value as number;
  if (node.type === "Identifier" && (node as jsep.Identifier).name === "year") return env.year;
  if (node.type === "BinaryExpression") {
    const b = node as jsep.BinaryExpression;
    if (b.operator !== "+" && b.operator !== "-") return undefined;
    const a = staticYear(b.left, env);
    const c = b.right.type === "Literal" ? ((b.right as jsep.Literal).value as number) : undefined;
    if (a === undefined || typeof c !== "number") return undefined;
    return b.operator === "+" ? a + c : a - c;
  }
  return undefined;
}

function usesYear(node: Node): boolean {
  return JSON.stringify(node).includes('"name":"year"');
}

function factOut(def: FactDefinition, label: string): Out {
  const ty = typeOf(def);
  if (ty.k === "bool") {
    const p = predicateOf(label);
    return { text: p.pos, neg: p.neg, prec: P_ATOM, ty };
  }
  return { text: label, prec: P_ATOM, ty };
}

function certName(kind: string, level: string | undefined, env: ExprEnv): string {
  const certs = env.g.facts.get("certifications");
  const kindTy = certs?.fields?.find((x) => x.id === "kind");
  const levelTy = certs?.fields?.find((x) => x.id === "level");
  const k = kindTy ? literalText(kind, typeOf(kindTy)) : `“${kind}”`;
  const l = level === undefined ? "" : levelTy ? literalText(level, typeOf(levelTy)) : "";
  return `${l}${k}`;
}

function stringArg(node: Node | undefined): string {
  return node?.type === "Literal" ? String((node as jsep.Literal).value) : "";
}

function call(node: jsep.CallExpression, env: ExprEnv): Out {
  const name = node.callee.type === "Identifier" ? (node.callee as jsep.Identifier).name : "";
  const args = node.arguments;
  const arg = (i: number) => render(args[i] as Node, env);
  const yearArg = (i: number) => {
    const y = args[i] ? staticYear(args[i] as Node, env) : undefined;
    return y !== undefined ? `${y}年` : args[i] ? `${arg(i).text}` : "";
  };
  switch (name) {
    case "cert":
    case "renewed": {
      const subject = certName(stringArg(args[0]), args[1] ? stringArg(args[1]) : undefined, env);
      const renewal = name === "renewed";
      return {
        text: `${subject}${renewal ? "最近一次复核通过" : "认定"}日期`,
        prec: P_ATOM,
        ty: { k: "date" },
        cert: { subject, renewal },
      };
    }
    case "received":
      return {
        text: `已享受${env.g.measureName(stringArg(args[0]))}的奖补金额`,
        prec: P_ATOM,
        ty: { k: "money" },
      };
    case "receivedIn":
      return {
        text: `${yearArg(1).replace(/年$/, "年度")}已享受${env.g.measureName(stringArg(args[0]))}的奖补金额`,
        prec: P_ATOM,
        ty: { k: "money" },
      };
    case "granted": {
      const m = env.g.measureName(stringArg(args[0]));
      return statementOf(`已享受过${m}的奖补`, `未享受过${m}的奖补`);
    }
    case "maxBefore": {
      const id = args[0]?.type === "Identifier" ? (args[0] as jsep.Identifier).name : "";
      const def = env.g.facts.get(id);
      return {
        text: `${yearArg(1)}以前各年度${def?.label ?? "数值"}的最高值`,
        prec: P_ATOM,
        ty: def ? typeOf(def) : { k: "any" },
      };
    }
    case "peakBefore": {
      const id = args[0]?.type === "Identifier" ? (args[0] as jsep.Identifier).name : "";
      const def = env.g.facts.get(id);
      return {
        text: `${yearArg(1)}以前历年${def?.label ?? "数值"}的最高值`,
        prec: P_ATOM,
        ty: def ? typeOf(def) : { k: "any" },
      };
    }
    case "firstReach": {
      // firstReach(fact, y, T): the value of year y reaches T and no earlier year did.
      const id = args[0]?.type === "Identifier" ? (args[0] as jsep.Identifier).name : "";
      const def = env.g.facts.get(id);
      const y = args[1] ? staticYear(args[1] as Node, env) : undefined;
      const label = def ? (y !== undefined ? withYear(def.label, y) : def.label) : "数值";
      const ty = def ? typeOf(def) : { k: "any" as const };
      const t = args[2]?.type === "Literal" ? literalText((args[2] as jsep.Literal).value, ty) : arg(2).text;
      return statementOf(
        `${label}首次达到${t}（此前各年度均低于${t}）`,
        `${label}未达到${t}，或此前已达到过`,
      );
    }
    case "has": {
      const list = arg(0);
      const v = stringArg(args[1]);
      if (list.text.endsWith("白名单"))
        return statementOf(
          `列入“${v}”${list.text.replace(/^所在/, "")}`,
          `未列入“${v}”${list.text.replace(/^所在/, "")}`,
        );
      return statementOf(`${list.text}包含“${v}”`, `${list.text}不包含“${v}”`);
    }
    case "startsWith": {
      const s = arg(0);
      const p = stringArg(args[1]);
      return statementOf(`${s.text}以“${p}”开头`, `${s.text}不以“${p}”开头`);
    }
    case "oneOf": {
      const x = arg(0);
      const values = joinOr(
        args
          .slice(1)
          .map((a) =>
            a.type === "Literal" ? literalText((a as jsep.Literal).value, x.ty) : render(a, env).text,
          ),
      );
      const subject = wrap(x, P_CMP + 1);
      return {
        ...statementOf(`${subject}为${values}`, `${subject}不是${values}`, P_CMP),
        eq: { subject, value: values },
      };
    }
    case "yearOf": {
      const d = arg(0);
      const text = d.cert
        ? `${d.cert.subject}${d.cert.renewal ? "最近一次复核通过" : "认定"}年份`
        : `${d.text}所在年份`;
      return { text, prec: P_ATOM, ty: { k: "year" } };
    }
    case "min":
    case "max": {
      const xs = args.map((_, i) => arg(i));
      const zero = xs.findIndex((x) => x.lit?.v === 0);
      if (name === "max" && xs.length === 2 && zero >= 0) {
        const other = xs[1 - zero] as Out;
        return { text: `${other.text}（为负时按0计）`, prec: P_CMP, ty: other.ty };
      }
      const ty = xs.find((x) => !x.lit)?.ty ?? { k: "any" };
      const names = xs.map((x) => (x.lit ? literalText(x.lit.v, ty) : wrap(x, P_ADD)));
      return {
        text: `${names.slice(0, -1).join("、")}与${names[names.length - 1]}中${name === "min" ? "较低" : "较高"}者`,
        prec: P_CMP,
        ty,
      };
    }
    case "known": {
      const x = arg(0);
      return statementOf(`已填写${x.text}`, `未填写${x.text}`);
    }
    default:
      return { text: PLACEHOLDERS.call, prec: P_ATOM, ty: { k: "any" } };
  }
}

function ternary(node: jsep.ConditionalExpression, env: ExprEnv): Out {
  // `x == null ? d : x` → "x（未填写时按d计）".
  const t = node.test;
  if (
    t.type === "BinaryExpression" &&
    ["==", "==="].includes((t as jsep.BinaryExpression).operator) &&
    (t as jsep.BinaryExpression).right.type === "Literal" &&
    ((t as jsep.BinaryExpression).right as jsep.Literal).value === null &&
    JSON.stringify((t as jsep.BinaryExpression).left) === JSON.stringify(node.alternate)
  ) {
    const x = render(node.alternate, env);
    const d = render(node.consequent, env);
    return {
      text: `${x.text}（未填写时按${d.lit ? literalText(d.lit.v, x.ty) : d.text}计）`,
      prec: P_CMP,
      ty: x.ty,
    };
  }
  // A chain of cases: "若A，为X；若B，为Y；其余为Z"; on one value: "按V：不低于a为X，不低于b为Y，其余为Z".
  const cases: { test: Out; value: Out }[] = [];
  let rest: Node = node;
  while (rest.type === "ConditionalExpression") {
    const c = rest as jsep.ConditionalExpression;
    cases.push({ test: asStatement(render(c.test, env)), value: render(c.consequent, env) });
    rest = c.alternate;
  }
  const otherwise = render(rest, env);
  const ty =
    cases.find((c) => !c.value.lit)?.value.ty ?? (otherwise.lit ? { k: "any" as const } : otherwise.ty);
  const words = (as: ValueType) => {
    const show = (o: Out) => (o.lit ? literalText(o.lit.v, as) : o.text);
    const subject = cases[0]?.test.cmp?.subject;
    if (subject && cases.every((c) => c.test.cmp?.subject === subject))
      return `按${subject}：${cases.map((c) => `${c.test.cmp?.rest}为${show(c.value)}`).join("，")}，其余为${show(otherwise)}`;
    return `${cases.map((c) => `若${c.test.text}，为${show(c.value)}`).join("；")}；否则为${show(otherwise)}`;
  };
  return { text: words(ty.k === "any" ? guessType(cases, otherwise) : ty), prec: P_TERN, ty, retype: words };
}

/** Constants in the branches of a comparison on money are money too. */
function guessType(cases: { test: Out; value: Out }[], otherwise: Out): ValueType {
  return cases.some((c) => c.test.cmp && /元/.test(c.test.cmp.right)) || otherwise.ty.k === "money"
    ? { k: "money" }
    : { k: "any" };
}

function arithmetic(node: jsep.BinaryExpression, env: ExprEnv): Out {
  const y = usesYear(node) ? staticYear(node, env) : undefined;
  if (y !== undefined) return { text: `${y}年`, prec: P_ATOM, ty: { k: "year" } };
  const op = node.operator;
  const prec = op === "+" || op === "-" ? P_ADD : P_MUL;
  const l = render(node.left, env);
  const r = render(node.right, env);
  const ty: ValueType = l.ty.k === "money" || r.ty.k === "money" ? { k: "money" } : !l.lit ? l.ty : r.ty;
  const grouped = (o: Out, strict: boolean) => !o.lit && (o.prec < prec || (strict && o.prec === prec));
  const side = (o: Out, strict: boolean) => {
    if (o.lit && typeof o.lit.v === "number")
      return prec === P_ADD ? literalText(o.lit.v, ty) : String(o.lit.v);
    return grouped(o, strict) ? `（${o.text}）` : o.text;
  };
  const word = op === "+" ? "+" : op === "-" ? "−" : op === "*" ? "×" : "÷";
  const strictRight = op === "-" || op === "/";
  return {
    text: operation(side(l, false), word, side(r, strictRight), [grouped(l, false), grouped(r, strictRight)]),
    prec,
    ty,
  };
}

function render(node: Node, env: ExprEnv): Out {
  switch (node.type) {
    case "Literal": {
      const v = (node as jsep.Literal).value;
      const ty: ValueType =
        typeof v === "string" ? { k: "string" } : typeof v === "boolean" ? { k: "bool" } : { k: "any" };
      return { text: literalText(v, ty), prec: P_ATOM, ty, lit: { v } };
    }
    case "Identifier": {
      const name = (node as jsep.Identifier).name;
      if (name === "year")
        return { text: env.year ? `${env.year}年` : "测算年度", prec: P_ATOM, ty: { k: "year" } };
      if (name === "asOf")
        return {
          text: env.asOf ? `测算日（${dateText(env.asOf)}）` : "测算日",
          prec: P_ATOM,
          ty: { k: "date" },
        };
      if (name === "true" || name === "false" || name === "null") {
        const v = name === "null" ? null : name === "true";
        return { text: literalText(v, { k: "any" }), prec: P_ATOM, ty: { k: "any" }, lit: { v } };
      }
      const def = env.g.facts.get(name);
      return def ? factOut(def, def.label) : { text: PLACEHOLDERS.fact, prec: P_ATOM, ty: { k: "any" } };
    }
    case "MemberExpression": {
      const m = node as jsep.MemberExpression;
      if (m.object.type === "Identifier" && (m.object as jsep.Identifier).name === "item") {
        const field = env.itemOf?.fields?.find((x) => x.id === (m.property as jsep.Identifier).name);
        if (!field) return { text: PLACEHOLDERS.field, prec: P_ATOM, ty: { k: "any" } };
        const ty = typeOf(field);
        const label = cleanLabel(field.label);
        if (ty.k === "bool") return { text: `是${label}`, neg: `不是${label}`, prec: P_ATOM, ty };
        return { text: label, prec: P_ATOM, ty };
      }
      const id = m.object.type === "Identifier" ? (m.object as jsep.Identifier).name : "";
      const def = env.g.facts.get(id);
      if (!def) return { text: PLACEHOLDERS.fact, prec: P_ATOM, ty: { k: "any" } };
      const y = staticYear(m.property, env);
      return factOut(
        def,
        y !== undefined ? withYear(def.label, y) : `${render(m.property, env).text}的${def.label}`,
      );
    }
    case "UnaryExpression": {
      const u = node as jsep.UnaryExpression;
      const a = render(u.argument, env);
      if (u.operator === "!") return negate(a);
      if (u.operator === "-")
        return a.lit && typeof a.lit.v === "number"
          ? { ...a, lit: { v: -a.lit.v }, text: `−${a.text}` }
          : { text: `−${wrap(a, P_UN)}`, prec: P_UN, ty: a.ty };
      return a;
    }
    case "BinaryExpression": {
      const b = node as jsep.BinaryExpression;
      if (b.operator === "&&" || b.operator === "||") return logical(b, env);
      if (["==", "!=", "===", "!==", "<", "<=", ">", ">="].includes(b.operator))
        return compare(b.operator, render(b.left, env), render(b.right, env));
      return arithmetic(b, env);
    }
    case "ConditionalExpression":
      return ternary(node as jsep.ConditionalExpression, env);
    case "CallExpression":
      return call(node as jsep.CallExpression, env);
    default:
      return { text: PLACEHOLDERS.node, prec: P_ATOM, ty: { k: "any" } };
  }
}

function parse(text: string): Node | undefined {
  try {
    return jsep(text);
  } catch {
    return undefined;
  }
}

/** A condition expression as a Chinese statement: "2023年研发费用（申报额）低于1,000万元". */
export function renderCondition(text: string, env: ExprEnv): string {
  const node = parse(text);
  return node ? asStatement(render(node, env)).text : PLACEHOLDERS.condition;
}

/** A value expression in Chinese, and its precedence (for parentheses) and type (for its constants). */
export function renderValue(
  text: string,
  env: ExprEnv,
): { text: string; ty: ValueType; needsParens: boolean } {
  const node = parse(text);
  if (!node) return { text: PLACEHOLDERS.value, ty: { k: "any" }, needsParens: false };
  const o = render(node, env);
  return { text: o.text, ty: o.ty, needsParens: o.prec < P_MUL };
}

/** Whether a value expression is a plain reference (a fact, a year's fact, a record's field). */
export function isPlainReference(text: string): boolean {
  const node = parse(text);
  return node?.type === "Identifier" || node?.type === "MemberExpression";
}

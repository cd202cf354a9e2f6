/**
 * The one renderer of explanations: a MeasureExplanation (the engine's tree of facts, results and
 * amounts) → lines a non-expert can read, in Chinese. The CLI prints them as text (`explanationText`),
 * the web renders the same lines as a tree, and the golden files under packages/policies/golden keep
 * the text for review. Pure: no I/O.
 */
import type {
  AmountExplanation,
  ExplanationNode,
  FactValue,
  ItemAmount,
  MeasureExplanation,
  Outcome,
} from "./engine.ts";
import {
  cleanLabel,
  dateText,
  type ExprEnv,
  factKeyLabel,
  factKeyType,
  type Glossary,
  isPlainReference,
  itemName,
  listNoun,
  literalText,
  moneyText,
  operation,
  rangeText,
  rateText,
  renderCondition,
  renderValue,
  typeOf,
  type ValueType,
  valueText,
} from "./render-expression.ts";
import type { FactDefinition } from "./types.ts";

export type Mark = "yes" | "no" | "unknown";

/** One line of a rendered explanation, with its sub-lines. */
export interface RenderedLine {
  /** ✔ ✘ ？ for requirements, records and cases. */
  mark?: Mark | undefined;
  /** Amount lines: the amount in words. */
  amount?: string | undefined;
  text: string;
  /** Secondary lines: what it means in full (即), the actual values (实际), the calculation (计算). */
  details?: string[] | undefined;
  /** The document's words. */
  quote?: string | undefined;
  /** For alternatives (tiers, cases, 就高) and records: whether it is the one that applies. */
  applied?: boolean | "unknown" | undefined;
  /** Shown folded by default: alternatives that do not apply, records that do not count. */
  collapsed?: boolean | undefined;
  children?: RenderedLine[] | undefined;
}

export interface RenderedExplanation {
  title: string;
  outcome: Outcome;
  outcomeText: string;
  /** The amount when the measure is not ruled out ("2,640万元", "最高150万元"). */
  amountText?: string | undefined;
  /** "重庆市渝北区人民政府《渝北府发〔2021〕13号》第2条（第2项）". */
  citation: string;
  clause: string;
  /** "牵头单位：区经济信息委；配合单位：区财政局". */
  departments?: string | undefined;
  /** Validity, region, then the eligibility tree. */
  checks: RenderedLine[];
  amount?: { total: string; lines: RenderedLine[] } | undefined;
  notes: { topic: string; reading: string; quote: string }[];
  interpretation: { label: string; text: string }[];
}

export const OUTCOME_TEXT: Record<Outcome, string> = {
  eligible: "符合",
  undetermined: "待确认",
  ineligible: "不符合",
};

const MARK_SYMBOL: Record<Mark, string> = { yes: "✔", no: "✘", unknown: "？" };

function markOf(r: boolean | "unknown"): Mark {
  return r === "unknown" ? "unknown" : r ? "yes" : "no";
}

function envOf(e: MeasureExplanation, g: Glossary): ExprEnv {
  return { g, asOf: e.validity.asOf, year: Number(e.validity.asOf.slice(0, 4)) };
}

function factsLine(facts: FactValue[] | undefined, env: ExprEnv, skip?: string): string | undefined {
  const shown = (facts ?? []).filter((f) => f.key !== skip);
  if (shown.length === 0) return undefined;
  return `实际：${shown.map((f) => factText(f, env)).join("；")}`;
}

/** "2021年研发费用为136万元", "制造业企业：是", "2020年营业收入未知". */
function factText(f: FactValue, env: ExprEnv): string {
  const label = factKeyLabel(f.key, env.g);
  if (f.value === undefined || f.value === "未知") return `${label}未知`;
  const ty = factKeyType(f.key, env.g);
  const v = valueText(f.value, ty, env.g);
  return f.value === null || ty.k === "bool" || ty.k === "list" || ty.k === "strings"
    ? `${label}：${v}`
    : `${label}为${v}`;
}

function itemFieldsLine(fields: FactValue[], listDef: FactDefinition, env: ExprEnv): string | undefined {
  const shown = fields.filter((f) => f.key !== "name");
  if (shown.length === 0) return undefined;
  return shown
    .map((f) => {
      const def = listDef.fields?.find((x) => x.id === f.key);
      return `${def ? cleanLabel(def.label) : "信息"}：${def ? valueText(f.value, typeOf(def), env.g) : String(f.value)}`;
    })
    .join("；");
}

function rowOf(fields: FactValue[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.key, f.value]));
}

const GROUP_TEXT: Record<string, string> = {
  all: "须全部满足",
  any: "满足其一即可",
  not: "不得属于以下情形",
};

/** The statement of a condition node: its label, else its expression in words. */
export function conditionText(n: ExplanationNode, env: ExprEnv): string {
  if (n.label) return n.label;
  if (n.kind === "exists" && n.list) return existsText(n, env);
  if (n.expr) return renderCondition(n.expr, env);
  return n.kind === "all"
    ? "以下条件须全部满足"
    : n.kind === "any"
      ? "以下条件满足其一即可"
      : "不得属于以下情形";
}

function existsText(n: ExplanationNode, env: ExprEnv): string {
  const listDef = env.g.facts.get(n.list ?? "");
  const label = listDef?.label ?? "记录";
  if (!n.where || !listDef) return `有${label}`;
  return `${label}中有一条：${renderCondition(n.where, { ...env, itemOf: listDef })}`;
}

function conditionLine(n: ExplanationNode, env: ExprEnv): RenderedLine {
  const details: string[] = [];
  let children: RenderedLine[] | undefined;
  let text: string;
  if (n.kind === "all" || n.kind === "any" || n.kind === "not") {
    text = n.label ? `${n.label}（${GROUP_TEXT[n.kind]}）` : `以下条件${GROUP_TEXT[n.kind]}`;
    if (n.kind === "not" && !n.label) text = "不得属于以下情形";
    children = (n.children ?? []).map((c) => conditionLine(c, env));
  } else if (n.kind === "exists") {
    const full = existsText(n, env);
    text = n.label ?? full;
    if (n.label) details.push(`即：${full}`);
    const listDef = env.g.facts.get(n.list ?? "");
    if (n.items && listDef) {
      if (n.items.length === 0) details.push(`实际：${listDef.label} 无`);
      children = n.items.map((it) => {
        const fields = itemFieldsLine(it.fields, listDef, env);
        return {
          mark: markOf(it.result),
          text: `${itemName(listDef, rowOf(it.fields), it.index, env.g)}${it.result === true ? "：符合" : it.result === false ? "：不符合" : "：待确认"}`,
          details: fields ? [fields] : undefined,
          collapsed: it.result === false,
        };
      });
    } else {
      const f = factsLine(n.facts, env);
      if (f) details.push(f);
    }
  } else {
    const full = n.expr ? renderCondition(n.expr, env) : "";
    text = n.label ?? full;
    const bare = (t: string) => t.replace(/\s+/g, "");
    if (n.label && full && !bare(n.label).includes(bare(full)) && !bare(full).includes(bare(n.label)))
      details.push(`即：${full}`);
    const f = factsLine(n.facts, env);
    if (f) details.push(f);
  }
  return {
    mark: markOf(n.result),
    text,
    details: details.length ? details : undefined,
    quote: n.quote,
    children: children?.length ? children : undefined,
  };
}

/** The reason a measure is ruled out, in words: the validity, the region, or the first requirement that fails. */
export function failureText(e: MeasureExplanation, g: Glossary): string | undefined {
  if (e.outcome !== "ineligible") return undefined;
  if (!e.validity.ok)
    return e.validity.asOf < e.validity.from
      ? `尚未开始执行（自${dateText(e.validity.from)}起）`
      : `已过执行期限（至${dateText(e.validity.until ?? "")}）`;
  if (e.region.result === false) return `仅适用于${g.regionName(e.region.required)}的企业`;
  const env = envOf(e, g);
  const first = (n: ExplanationNode): ExplanationNode => {
    if (n.kind === "all") {
      const failed = (n.children ?? []).find((c) => c.result === false);
      if (failed) return first(failed);
    }
    return n;
  };
  return e.eligibility ? conditionText(first(e.eligibility), env) : "不满足申报条件";
}

// ------------------------------------------------------------------------------------------- amounts

function valueOrUnknown(v: unknown, ty: ValueType, env: ExprEnv): string | undefined {
  return v === undefined || v === "未知" ? undefined : valueText(v, ty, env.g);
}

/** The base of a rate in words with its value: "设备（含软件）投资额 8,800万元". */
function baseText(
  a: AmountExplanation,
  env: ExprEnv,
): { words: string; bare: string; value?: string | undefined; plain: boolean } {
  const p = a.params ?? {};
  const base = renderValue(p.base ?? "", env);
  const value =
    typeof p.baseValue === "number"
      ? yuanOrNumber(p.baseValue, base.ty, env)
      : valueOrUnknown(p.baseValue, base.ty, env);
  return {
    words: base.needsParens ? `（${base.text}）` : base.text,
    bare: base.text,
    value,
    plain: isPlainReference(p.base ?? ""),
  };
}

function yuanOrNumber(v: number, ty: ValueType, env: ExprEnv): string {
  return ty.k === "money" || ty.k === "any" ? literalText(v, { k: "money" }) : valueText(v, ty, env.g);
}

/** One-line calculation of an amount node: "设备（含软件）投资额 8,800万元 × 30% = 2,640万元，不超过5,000万元". */
export function calculationText(a: AmountExplanation, env: ExprEnv): string {
  const p = a.params ?? {};
  const result = rangeText(a.amount);
  // Without the rule's numbers (a form this renderer does not know yet) only the result can be told.
  if (!a.params && (a.kind === "rate" || a.kind === "perUnit" || a.kind === "expr")) return result;
  switch (a.kind) {
    case "rate": {
      const b = baseText(a, env);
      const rate = rateText(p.rate ?? "");
      if (b.value === undefined)
        return `${operation(b.words, "×", rate, [b.words !== b.bare, false])}，${unknownFacts(a, env) ?? b.bare}未知，金额待定`;
      const negative = typeof p.baseValue === "number" && p.baseValue < 0;
      return b.plain
        ? `${b.words} ${b.value} × ${rate} = ${result}`
        : `${b.bare} = ${b.value}${negative ? "（为负，按0计）" : ""}；${negative ? "0元" : b.value} × ${rate} = ${result}`;
    }
    case "perUnit": {
      const count = renderValue(p.count ?? "", env);
      const n = valueOrUnknown(p.countValue, count.ty, env);
      const unit = p.perUnit === undefined ? "" : moneyText(p.perUnit);
      return n === undefined
        ? `${count.text} × ${unit}，${unknownFacts(a, env) ?? count.text}未知，金额待定`
        : `${count.text} ${n} × ${unit} = ${result}`;
    }
    case "expr": {
      const v = renderValue(p.value ?? "", env);
      if (p.valueResult === undefined || p.valueResult === "未知")
        return `${v.text}，${unknownFacts(a, env) ?? v.text}未知，金额待定`;
      return `${v.text} = ${result}`;
    }
    case "cap":
    case "floor": {
      const inner = a.children?.[0];
      const bound = p.bound === undefined ? "" : moneyText(p.bound);
      const head = inner ? innerCalculation(inner, env) : "";
      if (!inner) return `${a.kind === "cap" ? "不超过" : "不低于"}${bound}`;
      const b = p.bound ?? 0;
      if (a.kind === "cap") {
        if (inner.amount.min > b) return `${head}，超过上限，按${bound}计`;
        if (inner.amount.max === null || inner.amount.max > b) return `${head}，最高按上限${bound}计`;
        return `${head}，不超过${bound}`;
      }
      if (inner.amount.max !== null && inner.amount.max < b) return `${head}，低于保底，按${bound}计`;
      return `${head}，不低于${bound}`;
    }
    case "fixed":
      return result;
    case "range":
      return `${result}（原文给出区间）`;
    case "upTo":
      return `最高${rangeText({ min: a.amount.max ?? 0, max: a.amount.max })}（原文只给出上限）`;
    case "cases":
    case "tiers":
    case "max":
    case "min": {
      // The alternative that gives the result.
      const chosen = (a.children ?? []).find((c) =>
        a.kind === "cases" || a.kind === "tiers"
          ? c.applied === true
          : c.amount.min === a.amount.min && c.amount.max === a.amount.max,
      );
      return chosen ? innerCalculation(chosen, env) : result;
    }
    case "sum":
      return `${(a.children ?? []).map((c) => rangeText(c.amount)).join(" + ")} = ${result}`;
    default:
      return a.label ? `${a.label}：${result}` : result;
  }
}

const CALCULATED = new Set(["rate", "perUnit", "expr", "cap", "floor", "cases", "tiers", "max", "min"]);

function innerCalculation(a: AmountExplanation, env: ExprEnv): string {
  if (CALCULATED.has(a.kind)) return calculationText(a, env);
  if (a.kind === "fixed") return rangeText(a.amount);
  return `${a.label ?? KIND_TEXT[a.kind] ?? "计算"}：${rangeText(a.amount)}`;
}

/** The facts an amount node read that are unknown, by name: "2023年研发费用（申报额）、2022年研发费用（申报额）". */
function unknownFacts(a: AmountExplanation, env: ExprEnv): string | undefined {
  const keys = (a.facts ?? []).filter((f) => f.value === "未知").map((f) => factKeyLabel(f.key, env.g));
  return keys.length ? keys.join("、") : undefined;
}

const KIND_TEXT: Record<string, string> = {
  fixed: "定额",
  range: "金额区间",
  upTo: "最高额",
  rate: "按比例计算",
  cap: "设上限",
  floor: "设保底",
  sum: "各项相加",
  max: "取各种算法中较高者",
  min: "取较低者",
  tiers: "按所达档次",
  cases: "按情形",
  topUp: "晋级补差",
  forEach: "逐项计算后相加",
  readings: "原文有几种读法，金额取各读法之间",
  perUnit: "按数量计算",
  expr: "按公式计算",
};

function appliedNote(applied: boolean | "unknown" | undefined): string {
  return applied === true ? "适用" : applied === "unknown" ? "可能适用" : "不适用";
}

function amountLine(a: AmountExplanation, env: ExprEnv): RenderedLine {
  const details: string[] = [];
  let children: RenderedLine[] | undefined;
  const p = a.params ?? {};
  switch (a.kind) {
    case "rate":
    case "perUnit":
    case "expr":
    case "cap":
    case "floor":
      details.push(`计算：${calculationText(a, env)}`);
      break;
    case "topUp": {
      if (p.received === undefined) break;
      const rec = renderValue(p.received, env);
      const v = valueOrUnknown(p.receivedValue, { k: "money" }, env);
      const inner = a.children?.[0];
      if (rec.text.length <= 40)
        details.push(`已享受：${rec.text}${v === undefined ? "，未知" : `，为${v}`}`);
      else details.push(`已享受：${v ?? "未知"}`, `（${rec.text}）`);
      if (inner && v !== undefined)
        details.push(`计算：${rangeText(inner.amount)} − ${v} = ${rangeText(a.amount)}（不低于0）`);
      break;
    }
    case "tiers": {
      const v = renderValue(p.value ?? "", env);
      if (p.value !== undefined)
        details.push(`实际：${v.text} ${valueOrUnknown(p.valueResult, v.ty, env) ?? "未知"}`);
      children = (a.children ?? []).map((c) => {
        const line = amountLine(c, env);
        const step =
          c.atLeast === undefined || p.value === undefined
            ? ""
            : `${v.text}达到${literalText(c.atLeast, v.ty)}`;
        return {
          ...line,
          mark: markOf(c.applied ?? "unknown"),
          text: c.label ? `${step ? `${step}：` : ""}${c.label}` : step || line.text,
          applied: c.applied,
          collapsed: c.applied === false,
          details: line.details,
        };
      });
      break;
    }
    case "cases": {
      const whens = a.conditions ?? [];
      children = (a.children ?? []).map((c, i) => {
        const when = whens[i];
        const line = amountLine(c, env);
        const cond = when ? conditionLine(when, env) : undefined;
        return {
          mark: cond?.mark ?? (c.applied === "unknown" ? "unknown" : c.applied ? "yes" : "no"),
          amount: line.amount,
          text: when ? `情形${i + 1}：${conditionText(when, env)}` : "其他情形",
          details: [
            `${appliedNote(c.applied)}：${line.text}`,
            ...(cond?.details ?? []),
            ...(line.details ?? []),
          ],
          quote: cond?.quote ?? line.quote,
          applied: c.applied,
          collapsed: c.applied === false,
          children: [...(cond?.children ?? []), ...(line.children ?? [])],
        };
      });
      break;
    }
    case "max":
    case "min": {
      // 就高不就低: the alternative that gives the result applies.
      let found = false;
      children = (a.children ?? []).map((c) => {
        const hit = !found && c.amount.min === a.amount.min && c.amount.max === a.amount.max;
        if (hit) found = true;
        const line = amountLine(c, env);
        const note = hit ? (a.kind === "max" ? "较高，采用" : "较低，采用") : "未采用";
        return { ...line, applied: hit, details: [note, ...(line.details ?? [])] };
      });
      break;
    }
    case "forEach":
      children = forEachLines(a, env, details);
      break;
    case "fixed":
    case "range":
    case "upTo":
      break;
    default:
      children = (a.children ?? []).map((c) => amountLine(c, env));
  }
  if (children === undefined && a.children?.length && a.kind !== "tiers")
    children = a.children.map((c) => amountLine(c, env));
  if (a.kind !== "tiers" && a.kind !== "topUp" && a.kind !== "forEach") {
    const f = factsLine(a.facts, env);
    if (f && a.kind !== "rate" && a.kind !== "perUnit") details.push(f);
  }
  return {
    amount: rangeText(a.amount),
    text: a.label ?? defaultText(a, env),
    details: details.length ? details : undefined,
    quote: a.quote,
    children: children?.length ? children : undefined,
  };
}

function defaultText(a: AmountExplanation, env: ExprEnv): string {
  const bound = a.params?.bound === undefined ? "" : moneyText(a.params.bound);
  if (a.kind === "cap") return `不超过${bound}`;
  if (a.kind === "floor") return `不低于${bound}`;
  if (a.kind === "upTo" || a.kind === "fixed" || a.kind === "range") return calculationText(a, env);
  if (a.kind === "forEach") {
    const list = env.g.facts.get(a.list ?? "");
    return list ? `各${listNoun(list)}分别计算后相加` : "逐项计算后相加";
  }
  return KIND_TEXT[a.kind] ?? "计算";
}

function forEachLines(a: AmountExplanation, env: ExprEnv, details: string[]): RenderedLine[] {
  const listDef = env.g.facts.get(a.list ?? "");
  if (!listDef) return [];
  const itemEnv: ExprEnv = { ...env, itemOf: listDef };
  if (a.where) details.push(`计入条件：${renderCondition(a.where, itemEnv)}`);
  if (a.params?.bound !== undefined)
    details.push(`每个${listNoun(listDef)}合计不超过${moneyText(a.params.bound)}`);
  if (!a.items) {
    details.push(`实际：${listDef.label}未知，金额待定`);
    return [];
  }
  if (a.items.length === 0) details.push(`实际：${listDef.label} 无`);
  const counted = a.items.filter((it) => it.matched !== false);
  if (a.subjects) {
    // A cap per subject: records of one project are added, then capped; the total adds the subjects.
    for (const s of a.subjects) {
      const rows = a.items.filter((it) => it.key === s.key && it.matched !== false);
      const before = rows.reduce((sum, it) => sum + it.amount.min, 0);
      const name = rows[0] ? itemName(listDef, rowOf(rows[0].fields), rows[0].index, env.g) : "同一对象";
      if (rows.length > 1 || s.amount.min < before)
        details.push(
          `${name}各条合计${moneyText(before)}，按每个${listNoun(listDef)}上限计${rangeText(s.amount)}`,
        );
    }
    if (a.subjects.length > 1)
      details.push(
        `合计：${a.subjects.map((s) => rangeText(s.amount)).join(" + ")} = ${rangeText(a.amount)}`,
      );
  } else if (counted.length > 1)
    details.push(`合计：${counted.map((it) => rangeText(it.amount)).join(" + ")} = ${rangeText(a.amount)}`);
  return a.items.map((it) => itemLine(it, listDef, itemEnv));
}

function itemLine(it: ItemAmount, listDef: FactDefinition, env: ExprEnv): RenderedLine {
  const name = itemName(listDef, rowOf(it.fields), it.index, env.g);
  const fields = itemFieldsLine(it.fields, listDef, env);
  if (it.matched === false || !it.detail)
    return {
      mark: "no",
      amount: rangeText(it.amount),
      text: `${name}：不计入`,
      details: fields ? [fields] : undefined,
      collapsed: true,
    };
  const sub = amountLine(it.detail, env);
  return {
    mark: markOf(it.matched),
    amount: rangeText(it.amount),
    text: `${name}：${calculationText(it.detail, env)}`,
    details: [
      ...(fields ? [fields] : []),
      ...(it.matched === "unknown" ? ["是否计入待确认（有关信息未填写）"] : []),
    ],
    children: it.detail.children?.length || it.detail.items ? sub.children : undefined,
  };
}

// -------------------------------------------------------------------------------------------- notes

const TOKEN = /[A-Za-z][A-Za-z0-9]*(?:[-./][A-Za-z0-9]+)*/g;
const FILE_WORDS: Record<string, string> = {
  "stacking.yaml": "从高不重复规则",
  "document.yaml": "文件信息",
  "source.txt": "原文",
};

/**
 * Reading notes are written by rule editors and sometimes name facts, fields, enum values, measures or
 * departments by their codes; the reader sees the Chinese names instead.
 */
export function glossText(text: string, g: Glossary): string {
  return text.replace(TOKEN, (tok) => {
    const file = FILE_WORDS[tok];
    if (file) return file;
    if (/^[a-z]+-\d{4}-\d+(\/[\d.]+)?$/.test(tok)) return g.measureName(tok);
    const group = g.groupTitle(tok);
    if (group) return `“${group}”`;
    const fact = g.facts.get(tok);
    if (fact) return fact.label;
    const [listId, fieldId] = tok.split(".");
    const list = fieldId ? g.facts.get(listId ?? "") : undefined;
    const field = list?.fields?.find((x) => x.id === fieldId);
    if (list && field) return `${listNoun(list)}的${cleanLabel(field.label)}`;
    const dept = g.departmentName(tok);
    if (dept !== tok) return dept;
    for (const f of g.facts.values())
      for (const x of [f, ...(f.fields ?? [])]) {
        const v = x.values?.find((y) => y.value === tok);
        if (v && /[a-z]/.test(tok)) return v.label;
      }
    for (const f of g.facts.values()) {
      const x = f.fields?.find((y) => y.id === tok);
      if (x) return cleanLabel(x.label);
    }
    return tok;
  });
}

// ------------------------------------------------------------------------------------------ document

export function renderExplanation(e: MeasureExplanation, g: Glossary): RenderedExplanation {
  const env = envOf(e, g);
  const v = e.validity;
  const validity: RenderedLine = {
    mark: v.ok ? "yes" : "no",
    text: `执行期限：${dateText(v.from)}至${v.until ? dateText(v.until) : "新政策替代为止"}`,
    details: [
      `测算日${dateText(v.asOf)}${v.ok ? "在执行期内" : v.asOf < v.from ? "尚未开始执行" : "已过执行期限"}`,
    ],
    quote: v.quote,
  };
  const actual = typeof e.region.actual === "string" ? g.regionName(e.region.actual) : "未知";
  const region: RenderedLine = {
    mark: markOf(e.region.result),
    text: `适用地区：${g.regionName(e.region.required)}`,
    details: [`本企业所在：${actual}`],
  };
  const checks = [validity, region];
  if (e.eligibility) checks.push(conditionLine(e.eligibility, env));
  else checks.push({ text: "原文未设其他申报条件" });
  const lead = e.leadDepartment ? g.departmentName(e.leadDepartment) : undefined;
  const co = (e.coDepartments ?? []).map((d) => g.departmentName(d));
  const i = e.interpretation;
  const interpretation = [
    { label: "谁可以申报", text: i.who },
    { label: "可以得到", text: i.what },
    ...(i.deadline ? [{ label: "申报期限", text: i.deadline }] : []),
    ...(i.materials?.length
      ? [
          {
            label: i.materialsFromDocument === false ? "常见材料（文件未列明）" : "申报材料",
            text: i.materials.join("；"),
          },
        ]
      : []),
    ...(i.howToApply ? [{ label: "怎么申报", text: i.howToApply }] : []),
  ].map((x) => ({ label: x.label, text: glossText(x.text, g) }));
  return {
    title: e.title,
    outcome: e.outcome,
    outcomeText: OUTCOME_TEXT[e.outcome],
    amountText:
      e.outcome === "ineligible"
        ? undefined
        : e.amount
          ? rangeText(e.amount.amount)
          : e.amountUnstated
            ? "以申报通知为准"
            : undefined,
    citation: `${e.citation.issuer}《${e.citation.docNumber}》${e.citation.item}`,
    clause: e.citation.clause,
    departments: lead ? `牵头单位：${lead}${co.length ? `；配合单位：${co.join("、")}` : ""}` : undefined,
    checks,
    amount: e.amount
      ? { total: rangeText(e.amount.amount), lines: [amountLine(e.amount, env)] }
      : e.amountUnstated
        ? {
            total: "以申报通知为准",
            lines: [
              { text: "原文没有写明金额、比例或上限，金额以主管部门的申报通知为准", quote: e.amountUnstated },
            ],
          }
        : undefined,
    notes: (e.notes ?? []).map((n) => ({
      topic: glossText(n.topic, g),
      reading: glossText(n.reading, g),
      quote: n.quote,
    })),
    interpretation,
  };
}

// ------------------------------------------------------------------------------------------------ text

function lineText(l: RenderedLine, indent: string, out: string[]): void {
  const head = [l.mark ? MARK_SYMBOL[l.mark] : "", l.amount ? `【${l.amount}】` : "", l.text]
    .filter(Boolean)
    .join(" ");
  out.push(`${indent}${head}`);
  if (l.collapsed) {
    // Folded: one line of detail at most, no sub-lines.
    if (l.details?.[0]) out.push(`${indent}    ${l.details[0]}`);
    return;
  }
  for (const d of l.details ?? []) out.push(`${indent}    ${d}`);
  if (l.quote) out.push(`${indent}    原文：「${l.quote}」`);
  for (const c of l.children ?? []) lineText(c, `${indent}    `, out);
}

/**
 * The rendered explanation as plain text (the CLI's `huiqi explain`, the golden files). `rulesOnly`
 * leaves out the reading notes and the interpretation, which are the editors' prose, not rendered rules.
 */
export function explanationText(r: RenderedExplanation, opts: { rulesOnly?: boolean } = {}): string {
  const out: string[] = [];
  out.push(r.title);
  out.push(
    `结果：${MARK_SYMBOL[r.outcome === "eligible" ? "yes" : r.outcome === "ineligible" ? "no" : "unknown"]} ${r.outcomeText}${r.amountText ? `，金额 ${r.amountText}` : ""}`,
  );
  out.push(`出处：${r.citation}`);
  out.push(`原文：${r.clause}`);
  if (r.departments) out.push(r.departments);
  out.push("", "申报条件：");
  for (const l of r.checks) lineText(l, "  ", out);
  if (r.amount) {
    out.push("", `金额测算：${r.amount.total}`);
    for (const l of r.amount.lines) lineText(l, "  ", out);
  }
  if (opts.rulesOnly) return out.join("\n");
  if (r.notes.length) {
    out.push("", "口径说明：");
    for (const n of r.notes) out.push(`  · ${n.topic}：${n.reading}`, `    原文：「${n.quote}」`);
  }
  out.push("", "政策解读：");
  for (const x of r.interpretation) out.push(`  ${x.label}：${x.text}`);
  return out.join("\n");
}

// -------------------------------------------------------------------------------------------- checks

/**
 * Abbreviations a reader of these documents knows, allowed in Chinese text. Each is printed in the
 * documents themselves: LPR (贷款市场报价利率, interest subsidies), AA…AAAAA (两化融合 grades), GB/T
 * (national standard numbers), APEC (an event named in a clause), CRO/CDMO/CMO (biomedical service
 * platforms), plus the few the platform's users meet in forms: PCT, IPO, ISO, CMMI, R&D.
 */
export const ALLOWED_ABBREVIATIONS: readonly string[] = [
  "LPR",
  "AA",
  "AAA",
  "AAAA",
  "AAAAA",
  "GB",
  "GB/T",
  "APEC",
  "CRO",
  "CDMO",
  "CMO",
  "PCT",
  "IPO",
  "ISO",
  "CMMI",
  "R&D",
];

/** Words in Latin letters that are not allowed abbreviations: codes a reader should never see. */
export function untranslatedWords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[A-Za-z_][A-Za-z_&/]*/g)) {
    const tok = m[0].replace(/\/$/, "");
    if (!/[A-Za-z_]{2,}/.test(tok)) continue;
    if (ALLOWED_ABBREVIATIONS.includes(tok)) continue;
    if (tok.split("/").every((p) => p.length <= 1 || ALLOWED_ABBREVIATIONS.includes(p))) continue;
    out.push(tok);
  }
  return out;
}

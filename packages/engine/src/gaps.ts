/**
 * How far an enterprise is from meeting a measure's conditions, in plain Chinese: for each condition that
 * fails on a number, the shortfall ("上年度研发费用总额占营业收入总额比重还差 0.6 个百分点"); for one that fails
 * otherwise, the condition itself; for one that is unknown, the condition still to be answered. Used by the
 * 专精特新 ladder to rank candidates for the next tier by the engine's own result.
 *
 * It reads the explanation tree (the same closures as the evaluation) and, for a failing comparison
 * `lhs >= rhs`, evaluates both sides with the explanation's expression cache. Wording comes from the
 * condition's label, written "<指标><不低于|达到|在…><阈值><单位>[以上]" (the unit says how to show the gap:
 * % → 个百分点, 万元 / 亿元 → that unit, 年 / 分 / 项 … → as is). A label that does not follow that form, or a
 * comparison that is not a single top-level one, is reported as unmet without a figure — never a guessed one.
 * Under `any`, only the alternative closest to holding is reported (fewest unmet conditions, then the
 * smallest relative shortfall).
 */
import type { Engine, ExplanationNode, Outcome } from "./engine.ts";
import { explainExpressions } from "./explain-support.ts";
import type { Facts } from "./expression.ts";

export interface ConditionGap {
  /** short: a number falls short (or exceeds a maximum); unmet: fails otherwise; unknown: not yet answered. */
  kind: "short" | "unmet" | "unknown";
  /** The condition's label (plain Chinese). */
  label: string;
  /** The whole sentence shown to people. */
  text: string;
  /** short: the value, the threshold and the gap, in the label's unit (% as percentage points). */
  actual?: number | undefined;
  required?: number | undefined;
  gap?: number | undefined;
  unit?: string | undefined;
}

export interface MeasureGaps {
  measureId: string;
  outcome: Outcome;
  gaps: ConditionGap[];
  /** 0 when the measure holds; otherwise unmet conditions count 1 each, a shortfall its relative size (≤ 1),
   * an unknown condition 0.5. Lower is closer. */
  distance: number;
}

const COMPARATORS = [">=", "<=", ">", "<"] as const;
type Comparator = (typeof COMPARATORS)[number];

/** `lhs OP rhs` when the expression is a single comparison at the top level, else undefined. */
export function splitComparison(expr: string): { lhs: string; op: Comparator; rhs: string } | undefined {
  let depth = 0;
  let quote: string | undefined;
  let found: { at: number; op: Comparator } | undefined;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth--;
    else if (depth === 0) {
      const two = expr.slice(i, i + 2);
      if (two === "&&" || two === "||" || ch === "?" || two === "==" || two === "!=") return undefined;
      const op = COMPARATORS.find((o) => expr.startsWith(o, i));
      if (op) {
        if (found) return undefined;
        found = { at: i, op };
        i += op.length - 1;
      }
    }
  }
  if (!found) return undefined;
  return {
    lhs: expr.slice(0, found.at).trim(),
    op: found.op,
    rhs: expr.slice(found.at + found.op.length).trim(),
  };
}

const LABEL_FORM =
  /^(.*?)(?:不低于|不少于|达到|高于|超过|不超过|不高于|低于|少于|在)\s*(\d+(?:\.\d+)?)\s*(%|万元|亿元|元|年|分|家|人|项|个)/;

/** The label's subject and unit ("上年度研发费用总额" and "万元"), when it follows the form. */
export function labelForm(label: string): { subject: string; unit: string } | undefined {
  const m = LABEL_FORM.exec(label);
  if (!m?.[1]) return undefined;
  return { subject: m[1].replace(/[，,、]$/, ""), unit: m[3] as string };
}

/** A value in the expression's units (元, ratio, years…) shown in the label's unit. */
function scaled(v: number, unit: string): number {
  if (unit === "%") return v * 100;
  if (unit === "万元") return v / 10_000;
  if (unit === "亿元") return v / 100_000_000;
  return v;
}

/** Up to two decimals, rounded up for a gap (never understate what is missing), with thousands separators. */
export function formatGapNumber(v: number, roundUp = true): string {
  const r = roundUp ? Math.ceil(v * 100 - 1e-6) / 100 : Math.round(v * 100) / 100;
  return r.toLocaleString("zh-CN", { maximumFractionDigits: 2 });
}

function shownUnit(unit: string): string {
  return unit === "%" ? "个百分点" : unit;
}

interface Walk {
  gaps: ConditionGap[];
  cost: number;
}

function leafLabel(n: ExplanationNode): string {
  return n.label ?? "未写明的条件";
}

/** The gaps of one measure for these facts as of a date. */
export function measureGaps(engine: Engine, measureId: string, facts: Facts, asOf: string): MeasureGaps {
  const m = engine.byId.get(measureId);
  if (!m) throw new RangeError(`措施「${measureId}」不存在`);
  const result = engine.evaluateMeasure(m, facts, asOf);
  if (result.outcome === "eligible") return { measureId, outcome: "eligible", gaps: [], distance: 0 };
  const explanation = engine.explain(measureId, facts, asOf);
  const slots = engine.prepare(facts);
  const c = engine.context(asOf);
  const exprs = explainExpressions(engine.facts, engine.slots);

  const numeric = (n: ExplanationNode): ConditionGap | undefined => {
    if (!n.expr || !n.label) return undefined;
    const split = splitComparison(n.expr);
    const form = labelForm(n.label);
    if (!split || !form) return undefined;
    const lhs = exprs.value(split.lhs, slots, c);
    const rhs = exprs.value(split.rhs, slots, c);
    if (typeof lhs !== "number" || typeof rhs !== "number" || !Number.isFinite(lhs) || !Number.isFinite(rhs))
      return undefined;
    const atLeast = split.op === ">=" || split.op === ">";
    const diff = atLeast ? rhs - lhs : lhs - rhs;
    if (diff < 0) return undefined;
    const actual = scaled(lhs, form.unit);
    const required = scaled(rhs, form.unit);
    const gap = scaled(diff, form.unit);
    // A strict comparison met with equality still needs "more than": show the smallest step, 0.01.
    const shown = formatGapNumber(gap === 0 ? 0.01 : gap);
    return {
      kind: "short",
      label: n.label,
      text: `${form.subject}${atLeast ? "还差" : "超出"} ${shown} ${shownUnit(form.unit)}`,
      actual,
      required,
      gap,
      unit: form.unit,
    };
  };

  const walk = (n: ExplanationNode): Walk => {
    if (n.result === true) return { gaps: [], cost: 0 };
    const kids = n.children ?? [];
    if (n.kind === "all" && kids.length) {
      const parts = kids.map(walk);
      return { gaps: parts.flatMap((p) => p.gaps), cost: parts.reduce((s, p) => s + p.cost, 0) };
    }
    if (n.kind === "any" && kids.length) {
      const parts = kids.map(walk).sort((a, b) => a.cost - b.cost);
      return parts[0] as Walk;
    }
    if (n.result === "unknown")
      return { gaps: [{ kind: "unknown", label: leafLabel(n), text: `待补充：${leafLabel(n)}` }], cost: 0.5 };
    const short = numeric(n);
    if (short) {
      const rel = short.required ? Math.min(1, (short.gap ?? 0) / Math.abs(short.required)) : 1;
      return { gaps: [short], cost: Math.max(rel, 0.01) };
    }
    return { gaps: [{ kind: "unmet", label: leafLabel(n), text: `未满足：${leafLabel(n)}` }], cost: 1 };
  };

  if (!explanation.validity.ok || explanation.region.result === false) {
    const why = result.reason ?? "不在适用范围";
    return {
      measureId,
      outcome: result.outcome,
      gaps: [{ kind: "unmet", label: why, text: why }],
      distance: 99,
    };
  }
  const w = explanation.eligibility ? walk(explanation.eligibility) : { gaps: [], cost: 0 };
  return { measureId, outcome: result.outcome, gaps: w.gaps, distance: w.cost };
}

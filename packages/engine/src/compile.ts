/**
 * Compiles condition and amount nodes into closures, once per rule set.
 * Each compiled node keeps its children and source metadata, so the
 * explanation is produced by calling the very same closures node by node.
 */
import {
  type CompileScope,
  compileConditionExpression,
  compileExpression,
  dropMissing,
  type EvalContext,
  type FactSlots,
  RuleCompileError,
  slotOf,
  subjectKey,
  toBool,
} from "./expression.ts";
import { applyRate, type Fen, formatFen, parseRate, type Rate, yuanToFen } from "./money.ts";
import type { AmountDef, ConditionDef } from "./types.ts";

/** true / false / undefined (unknown). */
export type CondFn = (f: FactSlots, c: EvalContext) => boolean | undefined;

export interface CompiledCondition {
  kind: "all" | "any" | "not" | "expr" | "exists";
  eval: CondFn;
  children: CompiledCondition[];
  label?: string | undefined;
  quote?: string | undefined;
  expr?: string | undefined;
}

/** Mutable [lo, hi] in 分; hi = Infinity when the text sets no upper bound. */
export interface Range {
  lo: number;
  hi: number;
}

export type AmountFn = (f: FactSlots, c: EvalContext, out: Range) => void;

export interface CompiledAmount {
  kind: string;
  eval: AmountFn;
  children: CompiledAmount[];
  conditions: CompiledCondition[];
  label?: string | undefined;
  quote?: string | undefined;
  text?: string | undefined;
}

function fen(yuan: number, where: string): Fen {
  const v = yuanToFen(yuan);
  if (v === undefined || yuan < 0)
    throw new RuleCompileError(`金额 ${yuan} 元无效（须为非负、至多两位小数）`, where);
  return v;
}

export function compileCondition(def: ConditionDef, scope: CompileScope): CompiledCondition {
  const meta = { label: def.label, quote: def.quote };
  const forms = (["all", "any", "not", "expr", "exists"] as const).filter((k) => def[k] !== undefined);
  if (forms.length !== 1)
    throw new RuleCompileError(
      `条件必须且只能有 all/any/not/expr/exists 之一（现有：${forms.join(",") || "无"}）`,
      scope.where,
    );
  const junction = def.all ? "all" : def.any ? "any" : undefined;
  if (junction) {
    const children = (def[junction] as ConditionDef[]).map((d, i) =>
      compileCondition(d, { ...scope, where: `${scope.where}.${junction}[${i}]` }),
    );
    const fns = children.map((x) => x.eval);
    const n = fns.length;
    // all: one false decides; any: one true decides. Otherwise an unknown child leaves it unknown.
    const decisive = junction === "any";
    const evalFn: CondFn = (f, c) => {
      const mark = c.missing?.length;
      let unknown = false;
      for (let i = 0; i < n; i++) {
        const v = (fns[i] as CondFn)(f, c);
        if (v === decisive) return dropMissing(c, mark, decisive);
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : !decisive;
    };
    return { kind: junction, eval: evalFn, children, ...meta };
  }
  if (def.not) {
    const child = compileCondition(def.not, { ...scope, where: `${scope.where}.not` });
    const inner = child.eval;
    return {
      kind: "not",
      eval: (f, c) => {
        const v = inner(f, c);
        return v === undefined ? undefined : !v;
      },
      children: [child],
      ...meta,
    };
  }
  if (def.exists) {
    const { list, where } = def.exists;
    const listDef = scope.facts.get(list);
    if (listDef?.type !== "list")
      throw new RuleCompileError(`exists 的 list「${list}」不是列表事实`, scope.where);
    const pred = where ? compileExpression(where, { ...scope, itemOf: listDef }) : () => true;
    const slot = slotOf(scope, list);
    const evalFn: CondFn = (f, c) => {
      const rows = f[slot] as Record<string, unknown>[] | undefined;
      if (c.missing !== undefined && rows === undefined) c.missing.push(list);
      c.used?.push({ key: list, value: rows });
      if (rows === undefined) return undefined;
      const saved = c.item;
      const savedKey = c.itemKey;
      const mark = c.missing?.length;
      let unknown = false;
      try {
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i] as Record<string, unknown>;
          c.item = row;
          if (c.missing !== undefined || c.used !== undefined) c.itemKey = subjectKey(list, row, i);
          const v = toBool(pred(f, c));
          if (v === true) return dropMissing(c, mark, true);
          if (v === undefined) unknown = true;
        }
      } finally {
        c.item = saved;
        c.itemKey = savedKey;
      }
      return unknown ? undefined : false;
    };
    return { kind: "exists", eval: evalFn, children: [], expr: where ? `${list}: ${where}` : list, ...meta };
  }
  const text = def.expr as string;
  return { kind: "expr", eval: compileConditionExpression(text, scope), children: [], expr: text, ...meta };
}

type AmountInput = AmountDef | number;

const AMOUNT_FORMS = [
  "fixed",
  "range",
  "upTo",
  "rate",
  "cap",
  "floor",
  "max",
  "min",
  "sum",
  "readings",
  "tiers",
  "cases",
  "topUp",
  "forEach",
  "perUnit",
  "expr",
] as const;

function toFenValue(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) return 0;
  return Math.max(0, Math.round(v * 100));
}

function constant(lo: number, hi: number): AmountFn {
  return (_f, _c, o) => {
    o.lo = lo;
    o.hi = hi;
  };
}

export function compileAmount(input: AmountInput, scope: CompileScope): CompiledAmount {
  if (typeof input === "number") {
    const v = fen(input, scope.where);
    return {
      kind: "fixed",
      eval: constant(v, v),
      children: [],
      conditions: [],
    };
  }
  const def = input;
  const meta = { label: def.label, quote: def.quote };
  const forms = AMOUNT_FORMS.filter((k) => def[k] !== undefined);
  if (forms.length !== 1)
    throw new RuleCompileError(
      `金额节点必须且只能有一种形式（${AMOUNT_FORMS.join("/")}），现有：${forms.join(",") || "无"}`,
      scope.where,
    );
  const sub = (d: AmountInput, suffix: string) =>
    compileAmount(d, { ...scope, where: `${scope.where}${suffix}` });
  const form = forms[0];
  switch (form) {
    case "fixed":
      return { ...compileAmount(def.fixed as number, scope), ...meta };
    case "range":
    case "upTo": {
      // range [a, null]: the text gives only a floor ("100万元及以上"), no upper bound.
      const [a, b] = form === "range" ? (def.range as [number, number | null]) : [0, def.upTo as number];
      const lo = fen(a, scope.where);
      const hi = b === null ? Number.POSITIVE_INFINITY : fen(b, scope.where);
      if (lo > hi) throw new RuleCompileError(`区间下限大于上限`, scope.where);
      return {
        kind: form,
        eval: constant(lo, hi),
        children: [],
        conditions: [],
        ...meta,
      };
    }
    case "rate": {
      if (!def.base) throw new RuleCompileError("rate 需要 base（计算基数表达式，单位元）", scope.where);
      let rate: Rate;
      try {
        rate = parseRate(def.rate as string | number);
      } catch (e) {
        throw new RuleCompileError((e as Error).message, scope.where);
      }
      const base = compileExpression(def.base, scope);
      return {
        kind: "rate",
        eval: (f, c, o) => {
          const b = toFenValue(base(f, c));
          if (b === undefined) {
            o.lo = 0;
            o.hi = Number.POSITIVE_INFINITY;
          } else {
            o.lo = o.hi = applyRate(b, rate);
          }
        },
        children: [],
        conditions: [],
        text: `${def.base} × ${rate.text}`,
        ...meta,
      };
    }
    case "perUnit": {
      if (!def.count) throw new RuleCompileError("perUnit 需要 count（数量表达式）", scope.where);
      const unit = fen(def.perUnit as number, scope.where);
      const count = compileExpression(def.count, scope);
      return {
        kind: "perUnit",
        eval: (f, c, o) => {
          const n = count(f, c);
          if (n === undefined) {
            o.lo = 0;
            o.hi = Number.POSITIVE_INFINITY;
          } else {
            const k = typeof n === "number" && n > 0 ? Math.floor(n) : 0;
            o.lo = o.hi = unit * k;
          }
        },
        children: [],
        conditions: [],
        text: `${def.count} × ${def.perUnit}元`,
        ...meta,
      };
    }
    case "expr": {
      const fn = compileExpression(def.expr as string, scope);
      return {
        kind: "expr",
        eval: (f, c, o) => {
          const v = toFenValue(fn(f, c));
          if (v === undefined) {
            o.lo = 0;
            o.hi = Number.POSITIVE_INFINITY;
          } else o.lo = o.hi = v;
        },
        children: [],
        conditions: [],
        text: def.expr,
        ...meta,
      };
    }
    case "cap":
    case "floor": {
      if (def.amount === undefined) throw new RuleCompileError(`${form} 需要 amount`, scope.where);
      const bound = fen((form === "cap" ? def.cap : def.floor) as number, scope.where);
      const inner = sub(def.amount, `.${form}`);
      const fn = inner.eval;
      const evalFn: AmountFn =
        form === "cap"
          ? (f, c, o) => {
              fn(f, c, o);
              if (o.lo > bound) o.lo = bound;
              if (o.hi > bound) o.hi = bound;
            }
          : (f, c, o) => {
              fn(f, c, o);
              if (o.lo < bound) o.lo = bound;
              if (o.hi < bound) o.hi = bound;
            };
      return {
        kind: form,
        eval: evalFn,
        children: [inner],
        conditions: [],
        text: `${form === "cap" ? "不超过" : "不低于"}${formatFen(bound)}`,
        ...meta,
      };
    }
    case "max":
    case "min":
    case "sum": {
      const list = def[form] as AmountInput[];
      if (list.length === 0) throw new RuleCompileError(`${form} 不能为空`, scope.where);
      const children = list.map((d, i) => sub(d, `.${form}[${i}]`));
      const fns = children.map((x) => x.eval);
      const scratch: Range = { lo: 0, hi: 0 };
      const evalFn: AmountFn = (f, c, o) => {
        (fns[0] as AmountFn)(f, c, o);
        for (let i = 1; i < fns.length; i++) {
          (fns[i] as AmountFn)(f, c, scratch);
          if (form === "max") {
            if (scratch.lo > o.lo) o.lo = scratch.lo;
            if (scratch.hi > o.hi) o.hi = scratch.hi;
          } else if (form === "min") {
            if (scratch.lo < o.lo) o.lo = scratch.lo;
            if (scratch.hi < o.hi) o.hi = scratch.hi;
          } else {
            o.lo += scratch.lo;
            o.hi += scratch.hi;
          }
        }
      };
      return { kind: form, eval: evalFn, children, conditions: [], ...meta };
    }
    case "readings": {
      // Two (or more) defensible readings of the text that give different money: the amount is the range
      // spanning them all, never a silent choice. Each reading is a node with its own label.
      const list = def.readings as AmountInput[];
      if (list.length < 2) throw new RuleCompileError("readings 至少要有两种读法", scope.where);
      const children = list.map((d, i) => sub(d, `.readings[${i}]`));
      const scratch: Range = { lo: 0, hi: 0 };
      const evalFn: AmountFn = (f, c, o) => {
        (children[0] as CompiledAmount).eval(f, c, o);
        for (let i = 1; i < children.length; i++) {
          (children[i] as CompiledAmount).eval(f, c, scratch);
          if (scratch.lo < o.lo) o.lo = scratch.lo;
          if (scratch.hi > o.hi) o.hi = scratch.hi;
        }
      };
      return { kind: "readings", eval: evalFn, children, conditions: [], ...meta };
    }
    case "tiers": {
      const t = def.tiers as {
        value: string;
        steps: { atLeast: number; amount: AmountInput; label?: string }[];
      };
      const value = compileExpression(t.value, scope);
      // Highest threshold first, whatever order the YAML lists them in.
      const steps = t.steps
        .map((s, i) => ({ atLeast: s.atLeast, amount: sub(s.amount, `.tiers[${i}]`) }))
        .sort((a, b) => b.atLeast - a.atLeast);
      const scratch: Range = { lo: 0, hi: 0 };
      const evalFn: AmountFn = (f, c, o) => {
        const v = value(f, c);
        if (v === undefined) {
          // Unknown value: anything from no tier (0) to the top tier.
          o.lo = 0;
          o.hi = 0;
          for (const s of steps) {
            s.amount.eval(f, c, scratch);
            if (scratch.hi > o.hi) o.hi = scratch.hi;
          }
          return;
        }
        for (const s of steps) {
          if (typeof v === "number" && v >= s.atLeast) {
            s.amount.eval(f, c, o);
            return;
          }
        }
        o.lo = o.hi = 0;
      };
      return {
        kind: "tiers",
        eval: evalFn,
        children: steps.map((s) => s.amount),
        conditions: [],
        text: t.value,
        ...meta,
      };
    }
    case "cases": {
      const cases = (def.cases as { when: ConditionDef; amount: AmountInput }[]).map((k, i) => ({
        when: compileCondition(k.when, { ...scope, where: `${scope.where}.cases[${i}].when` }),
        amount: sub(k.amount, `.cases[${i}].amount`),
      }));
      const otherwise = def.otherwise !== undefined ? sub(def.otherwise, ".otherwise") : undefined;
      const scratch: Range = { lo: 0, hi: 0 };
      const evalFn: AmountFn = (f, c, o) => {
        // First case that holds wins; earlier unknown cases widen the range (they might have held).
        let any = false;
        let lo = 0;
        let hi = 0;
        const take = (r: Range) => {
          if (!any) {
            lo = r.lo;
            hi = r.hi;
            any = true;
          } else {
            if (r.lo < lo) lo = r.lo;
            if (r.hi > hi) hi = r.hi;
          }
        };
        for (const k of cases) {
          const w = k.when.eval(f, c);
          if (w === false) continue;
          k.amount.eval(f, c, scratch);
          take(scratch);
          if (w === true) {
            o.lo = lo;
            o.hi = hi;
            return;
          }
        }
        if (otherwise) otherwise.eval(f, c, scratch);
        else scratch.lo = scratch.hi = 0;
        take(scratch);
        o.lo = lo;
        o.hi = hi;
      };
      const children = cases.map((k) => k.amount);
      if (otherwise) children.push(otherwise);
      return { kind: "cases", eval: evalFn, children, conditions: cases.map((k) => k.when), ...meta };
    }
    case "topUp": {
      if (!def.received)
        throw new RuleCompileError("topUp 需要 received（已享受金额表达式，单位元）", scope.where);
      const inner = sub(def.topUp as AmountInput, ".topUp");
      const received = compileExpression(def.received, scope);
      const evalFn: AmountFn = (f, c, o) => {
        inner.eval(f, c, o);
        const r = toFenValue(received(f, c));
        if (r === undefined) {
          o.lo = 0; // could have received up to the full amount already
          return;
        }
        o.lo = Math.max(0, o.lo - r);
        o.hi = Math.max(0, o.hi - r);
      };
      return {
        kind: "topUp",
        eval: evalFn,
        children: [inner],
        conditions: [],
        text: `减去 ${def.received}`,
        ...meta,
      };
    }
    case "forEach": {
      const fe = def.forEach as { list: string; where?: string; amount: AmountInput; subjectCap?: number };
      const listDef = scope.facts.get(fe.list);
      if (listDef?.type !== "list")
        throw new RuleCompileError(`forEach 的 list「${fe.list}」不是列表事实`, scope.where);
      const itemScope = { ...scope, itemOf: listDef, where: `${scope.where}.forEach` };
      const pred = fe.where ? compileExpression(fe.where, itemScope) : undefined;
      const inner = compileAmount(fe.amount, itemScope);
      const scratch: Range = { lo: 0, hi: 0 };
      const list = fe.list;
      const slot = slotOf(scope, list);
      // "单个项目……最高不超过": records of one subject (same id or name, e.g. one project funded in two
      // years) are capped together.
      const subjectCap = fe.subjectCap === undefined ? undefined : fen(fe.subjectCap, scope.where);
      const evalFn: AmountFn = (f, c, o) => {
        const rows = f[slot] as Record<string, unknown>[] | undefined;
        if (c.missing !== undefined && rows === undefined) c.missing.push(list);
        c.used?.push({ key: list, value: rows });
        if (rows === undefined) {
          o.lo = 0;
          o.hi = Number.POSITIVE_INFINITY;
          return;
        }
        const saved = c.item;
        const savedKey = c.itemKey;
        const tracking = c.missing !== undefined || c.used !== undefined || c.perItem !== undefined;
        const exclude = c.exclude;
        const bySubject =
          subjectCap !== undefined || c.perItem !== undefined ? new Map<string, Range>() : undefined;
        const certain = c.perItem !== undefined ? new Map<string, boolean>() : undefined;
        o.lo = o.hi = 0;
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i] as Record<string, unknown>;
          const key = tracking || exclude !== undefined || bySubject ? subjectKey(list, row, i) : undefined;
          if (exclude?.has(key as string)) continue;
          c.item = row;
          c.itemKey = key;
          const ok = pred ? toBool(pred(f, c)) : true;
          if (ok === false) continue;
          inner.eval(f, c, scratch);
          const lo = ok === true ? scratch.lo : 0;
          if (bySubject) {
            const acc = bySubject.get(key as string);
            if (acc) {
              acc.lo += lo;
              acc.hi += scratch.hi;
            } else bySubject.set(key as string, { lo, hi: scratch.hi });
            if (certain) certain.set(key as string, (certain.get(key as string) ?? true) && ok === true);
          } else {
            o.lo += lo;
            o.hi += scratch.hi;
          }
        }
        if (bySubject) {
          for (const [key, r] of bySubject) {
            if (subjectCap !== undefined) {
              if (r.lo > subjectCap) r.lo = subjectCap;
              if (r.hi > subjectCap) r.hi = subjectCap;
            }
            o.lo += r.lo;
            o.hi += r.hi;
            c.perItem?.set(key, { lo: r.lo, hi: r.hi, certain: certain?.get(key) ?? false });
          }
        }
        c.item = saved;
        c.itemKey = savedKey;
      };
      return {
        kind: "forEach",
        eval: evalFn,
        children: [inner],
        conditions: [],
        text: `${fe.where ? `${fe.list}: ${fe.where}` : fe.list}${subjectCap === undefined ? "" : `；每个${listDef.label}合计不超过${formatFen(subjectCap)}`}`,
        ...meta,
      };
    }
    default:
      throw new RuleCompileError("未知金额形式", scope.where);
  }
}

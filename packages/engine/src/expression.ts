/**
 * Textual expressions inside rules ("aboveScaleFirstYear == 2021",
 * "rdExpense[year - 1] < 10000000") are parsed by jsep and compiled once into
 * closures. Three-valued: `undefined` is an unknown fact (never read as 0 or
 * false), `null` is a known absence (no such certification). Money facts are 元.
 */
import jsep from "jsep";
import type { FactDefinition } from "./types.ts";

/** Facts as given: fact id → value; per-year facts as `{ "2021": value }`. */
export type Facts = Record<string, unknown>;

/**
 * Facts as the compiled rules read them: one array slot per fact of the vocabulary, per-year facts as
 * arrays indexed by `year - FIRST_YEAR`. Plain objects built from JSON with many keys end up in V8's slow
 * dictionary mode; packed arrays with constant indices stay fast.
 */
export type FactSlots = unknown[];

/** Years of per-year facts start here (profiles are validated to 2000–2099). */
export const FIRST_YEAR = 2000;

export interface FactUse {
  key: string;
  value: unknown;
}

export interface EvalContext {
  asOf: string;
  year: number;
  /** Collects keys of facts that were needed but unknown; absent on the hot path. */
  missing?: string[] | undefined;
  /** Collects facts read, with their values, for explanations; absent on the hot path. */
  used?: FactUse[] | undefined;
  item?: Record<string, unknown> | undefined;
  /** The bound item's subject key, `list[ref]` (see itemRef): names the item in missing-fact keys. */
  itemKey?: string | undefined;
  /** Subject keys whose support a stacking group gave to another measure: forEach skips them. */
  exclude?: ReadonlySet<string> | undefined;
  /** When set, forEach records each item's own amount here by subject key (for netting per subject). */
  perItem?: Map<string, { lo: number; hi: number; certain: boolean }> | undefined;
  /** Per measure index: 1 when in force on asOf. Set by Engine.context; absent means "check the dates". */
  inForce?: Uint8Array | undefined;
}

export type ValueFn = (f: FactSlots, c: EvalContext) => unknown;

export class RuleCompileError extends Error {
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(`${where}: ${message}`);
    this.name = "RuleCompileError";
  }
}

export interface CompileScope {
  facts: Map<string, FactDefinition>;
  /** Fact id → index in FactSlots. */
  slots: Map<string, number>;
  /** Set when compiling a list filter: `item.<field>` refers to this list's records. */
  itemOf?: FactDefinition | undefined;
  where: string;
}

export function factKey(id: string, year?: number): string {
  return year === undefined ? id : `${id}:${year}`;
}

/**
 * A list item's stable reference: its `id`, else its `name`, else `#n` (1-based position). Brackets,
 * colons and dots are replaced so the reference can sit inside a fact key.
 */
export function itemRef(row: Record<string, unknown>, index: number): string {
  const given = row.id ?? row.name;
  if (typeof given === "string" && given.length > 0) return given.replace(/[[\]:.]/g, "_");
  if (typeof given === "number") return String(given);
  return `#${index + 1}`;
}

/** The subject key of a list item: `projects[智能工厂二期]`. */
export function subjectKey(list: string, row: Record<string, unknown>, index: number): string {
  return `${list}[${itemRef(row, index)}]`;
}

/** `projects[智能工厂二期].progress` → its parts; undefined for plain fact keys. */
export function parseItemFieldKey(key: string): { list: string; ref: string; field: string } | undefined {
  const m = /^([A-Za-z0-9_]+)\[([^\]]+)\]\.([A-Za-z0-9_]+)$/.exec(key);
  return m ? { list: m[1] as string, ref: m[2] as string, field: m[3] as string } : undefined;
}

export function slotOf(scope: CompileScope, id: string): number {
  const slot = scope.slots.get(id);
  if (slot === undefined) throw new RuleCompileError(`事实「${id}」没有存储位置`, scope.where);
  return slot;
}

function note(c: EvalContext, key: string, value: unknown): void {
  if (value === undefined) c.missing?.push(key);
  c.used?.push({ key, value });
}

/** The other operand decided the result: what the unknown one was missing no longer matters. */
export function dropMissing<T>(c: EvalContext, mark: number | undefined, value: T): T {
  if (mark !== undefined && c.missing !== undefined) c.missing.length = mark;
  return value;
}

export function toBool(v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === null) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

type Node = jsep.Expression;

export function parseExpression(text: string, where: string): Node {
  try {
    return jsep(text);
  } catch (e) {
    throw new RuleCompileError(`表达式「${text}」无法解析：${(e as Error).message}`, where);
  }
}

export function compileExpression(text: string, scope: CompileScope): ValueFn {
  return compileNode(parseExpression(text, scope.where), scope, text);
}

const BOOLEAN_OPERATORS = new Set(["==", "!=", "===", "!==", "<", "<=", ">", ">=", "&&", "||"]);

/** An expression used as a condition: true / false / undefined. Skips the toBool wrapper when the result is already one. */
export function compileConditionExpression(
  text: string,
  scope: CompileScope,
): (f: FactSlots, c: EvalContext) => boolean | undefined {
  const node = parseExpression(text, scope.where);
  const fn = compileNode(node, scope, text);
  const isBoolean =
    (node.type === "BinaryExpression" && BOOLEAN_OPERATORS.has((node as jsep.BinaryExpression).operator)) ||
    (node.type === "UnaryExpression" && (node as jsep.UnaryExpression).operator === "!");
  return isBoolean
    ? (fn as (f: FactSlots, c: EvalContext) => boolean | undefined)
    : (f, c) => toBool(fn(f, c));
}

function fail(scope: CompileScope, text: string, why: string): never {
  throw new RuleCompileError(`表达式「${text}」${why}`, scope.where);
}

function compileNode(node: Node, scope: CompileScope, text: string): ValueFn {
  switch (node.type) {
    case "Literal": {
      const v = (node as jsep.Literal).value;
      return () => v;
    }
    case "Identifier":
      return compileIdentifier((node as jsep.Identifier).name, scope, text);
    case "MemberExpression":
      return compileMember(node as jsep.MemberExpression, scope, text);
    case "UnaryExpression": {
      const u = node as jsep.UnaryExpression;
      const arg = compileNode(u.argument, scope, text);
      if (u.operator === "!") {
        return (f, c) => {
          const b = toBool(arg(f, c));
          return b === undefined ? undefined : !b;
        };
      }
      if (u.operator === "-") {
        return (f, c) => {
          const v = arg(f, c);
          return typeof v === "number" ? -v : v === undefined ? undefined : null;
        };
      }
      return fail(scope, text, `不支持运算符 ${u.operator}`);
    }
    case "BinaryExpression":
      return compileBinary(node as jsep.BinaryExpression, scope, text);
    case "ConditionalExpression": {
      const n = node as jsep.ConditionalExpression;
      const test = compileNode(n.test, scope, text);
      const yes = compileNode(n.consequent, scope, text);
      const no = compileNode(n.alternate, scope, text);
      return (f, c) => {
        const b = toBool(test(f, c));
        if (b === undefined) return undefined;
        return b ? yes(f, c) : no(f, c);
      };
    }
    case "ArrayExpression": {
      const items = (node as jsep.ArrayExpression).elements.map((e) =>
        e ? compileNode(e, scope, text) : () => null,
      );
      return (f, c) => items.map((i) => i(f, c));
    }
    case "CallExpression":
      return compileCall(node as jsep.CallExpression, scope, text);
    default:
      return fail(scope, text, `含有不支持的语法（${node.type}）`);
  }
}

function compileIdentifier(name: string, scope: CompileScope, text: string): ValueFn {
  if (name === "year") return (_f, c) => c.year;
  if (name === "asOf") return (_f, c) => c.asOf;
  if (name === "true") return () => true;
  if (name === "false") return () => false;
  if (name === "null") return () => null;
  const def = scope.facts.get(name);
  if (!def) return fail(scope, text, `引用了未定义的事实「${name}」`);
  if (def.perYear) return fail(scope, text, `中「${name}」按年度取值，须写成 ${name}[年份]`);
  const slot = slotOf(scope, name);
  return (f, c) => {
    const v = f[slot];
    if (c.missing !== undefined || c.used !== undefined) note(c, name, v);
    return v;
  };
}

function compileMember(node: jsep.MemberExpression, scope: CompileScope, text: string): ValueFn {
  const obj = node.object;
  if (obj.type === "Identifier" && (obj as jsep.Identifier).name === "item") {
    if (!scope.itemOf) return fail(scope, text, "只能在列表筛选条件中使用 item");
    if (node.computed || node.property.type !== "Identifier") return fail(scope, text, "应写成 item.字段名");
    const field = (node.property as jsep.Identifier).name;
    const listDef = scope.itemOf;
    const fieldDef = listDef.fields?.find((x) => x.id === field);
    if (!fieldDef) return fail(scope, text, `的列表「${listDef.id}」没有字段「${field}」`);
    // A field the item does not state is unknown, like a missing fact — unless the vocabulary gives it a
    // default (a certification not marked as a renewal is a first certification).
    const dflt = fieldDef.default;
    return (_f, c) => {
      const v = c.item?.[field];
      if (v !== undefined) return v;
      if (dflt !== undefined) return dflt;
      if (c.missing !== undefined || c.used !== undefined)
        note(c, `${c.itemKey ?? `${listDef.id}[?]`}.${field}`, undefined);
      return undefined;
    };
  }
  if (obj.type !== "Identifier" || !node.computed) return fail(scope, text, "只支持 事实[年份] 形式的取值");
  const id = (obj as jsep.Identifier).name;
  const def = scope.facts.get(id);
  if (!def) return fail(scope, text, `引用了未定义的事实「${id}」`);
  if (!def.perYear) return fail(scope, text, `中「${id}」不是按年度的事实，不能写 [年份]`);
  const yearFn = compileNode(node.property, scope, text);
  const slot = slotOf(scope, id);
  return (f, c) => {
    const y = yearFn(f, c);
    if (typeof y !== "number") return undefined;
    const series = f[slot] as unknown[] | undefined;
    const v = series?.[y - FIRST_YEAR];
    if (c.missing !== undefined || c.used !== undefined) note(c, factKey(id, y), v);
    return v;
  };
}

function compileBinary(node: jsep.BinaryExpression, scope: CompileScope, text: string): ValueFn {
  const l = compileNode(node.left, scope, text);
  if (node.right.type === "Literal") {
    const lit = compileAgainstLiteral(node.operator, l, (node.right as jsep.Literal).value);
    if (lit) return lit;
  }
  const r = compileNode(node.right, scope, text);
  switch (node.operator) {
    case "&&":
      return (f, c) => {
        const mark = c.missing?.length;
        const a = toBool(l(f, c));
        if (a === false) return false;
        const b = toBool(r(f, c));
        if (b === false) return dropMissing(c, mark, false);
        return a === undefined || b === undefined ? undefined : true;
      };
    case "||":
      return (f, c) => {
        const mark = c.missing?.length;
        const a = toBool(l(f, c));
        if (a === true) return true;
        const b = toBool(r(f, c));
        if (b === true) return dropMissing(c, mark, true);
        return a === undefined || b === undefined ? undefined : false;
      };
    case "==":
    case "===":
      return (f, c) => {
        const a = l(f, c);
        const b = r(f, c);
        return a === undefined || b === undefined ? undefined : a === b;
      };
    case "!=":
    case "!==":
      return (f, c) => {
        const a = l(f, c);
        const b = r(f, c);
        return a === undefined || b === undefined ? undefined : a !== b;
      };
    case "<":
      return order(l, r, (a, b) => a < b);
    case "<=":
      return order(l, r, (a, b) => a <= b);
    case ">":
      return order(l, r, (a, b) => a > b);
    case ">=":
      return order(l, r, (a, b) => a >= b);
    case "+":
      return arith(l, r, (a, b) => a + b);
    case "-":
      return arith(l, r, (a, b) => a - b);
    case "*":
      return arith(l, r, (a, b) => a * b);
    case "/":
      return arith(l, r, (a, b) => (b === 0 ? Number.NaN : a / b));
    default:
      return fail(scope, text, `不支持运算符 ${node.operator}`);
  }
}

type Ordered = number | string;

/** `fact <op> constant`, the commonest shape in the rules, with the constant inlined. */
function compileAgainstLiteral(op: string, l: ValueFn, b: unknown): ValueFn | undefined {
  if (op === "==" || op === "===")
    return (f, c) => {
      const a = l(f, c);
      return a === undefined ? undefined : a === b;
    };
  if (op === "!=" || op === "!==")
    return (f, c) => {
      const a = l(f, c);
      return a === undefined ? undefined : a !== b;
    };
  if (typeof b !== "number") return undefined;
  const cmp =
    op === "<"
      ? (a: number) => a < b
      : op === "<="
        ? (a: number) => a <= b
        : op === ">"
          ? (a: number) => a > b
          : op === ">="
            ? (a: number) => a >= b
            : undefined;
  if (!cmp) return undefined;
  return (f, c) => {
    const a = l(f, c);
    if (a === undefined) return undefined;
    return typeof a === "number" ? cmp(a) : false;
  };
}

function order(l: ValueFn, r: ValueFn, cmp: (a: Ordered, b: Ordered) => boolean): ValueFn {
  return (f, c) => {
    const a = l(f, c);
    const b = r(f, c);
    if (a === undefined || b === undefined) return undefined;
    if (a === null || b === null) return false;
    if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) return false;
    return cmp(a as Ordered, b as Ordered);
  };
}

function arith(l: ValueFn, r: ValueFn, op: (a: number, b: number) => number): ValueFn {
  return (f, c) => {
    const a = l(f, c);
    const b = r(f, c);
    if (a === undefined || b === undefined) return undefined;
    if (typeof a !== "number" || typeof b !== "number") return null;
    return op(a, b);
  };
}

interface Cert {
  kind: string;
  level?: string;
  grade?: string;
  date?: string;
  renewal?: boolean;
}

interface Received {
  measureId: string;
  year?: number;
  amount?: number;
}

function literalString(node: Node | undefined, scope: CompileScope, text: string, what: string): string {
  if (node?.type !== "Literal" || typeof (node as jsep.Literal).value !== "string")
    return fail(scope, text, `的${what}必须是字符串常量`);
  return (node as jsep.Literal).value as string;
}

function perYearIdent(node: Node | undefined, scope: CompileScope, text: string): string {
  if (node?.type !== "Identifier") return fail(scope, text, "的第一个参数必须是按年度的事实名");
  const id = (node as jsep.Identifier).name;
  if (!scope.facts.get(id)?.perYear) return fail(scope, text, `中「${id}」不是按年度的事实`);
  return id;
}

/**
 * Built-in functions. Those over lists read the list fact once: unknown list →
 * unknown result; known list without a match → null (a known "no").
 */
function compileCall(node: jsep.CallExpression, scope: CompileScope, text: string): ValueFn {
  if (node.callee.type !== "Identifier") return fail(scope, text, "只能调用内置函数");
  const name = (node.callee as jsep.Identifier).name;
  const args = node.arguments;
  const readList = (id: string) => {
    if (!scope.facts.has(id)) return fail(scope, text, `需要事实「${id}」`);
    const slot = slotOf(scope, id);
    return (f: FactSlots, c: EvalContext) => {
      const v = f[slot];
      if (c.missing !== undefined || c.used !== undefined) note(c, id, v);
      return v as unknown[] | undefined;
    };
  };
  switch (name) {
    case "cert":
    case "renewed": {
      // cert(kind[, level]) → date of the first (non-renewal) certification; renewed(...) → latest renewal date.
      const kind = literalString(args[0], scope, text, "认定类型");
      const level = args[1] ? literalString(args[1], scope, text, "认定级别") : undefined;
      const list = readList("certifications");
      const wantRenewal = name === "renewed";
      const better = (a: string, b: string | null) => b === null || (wantRenewal ? a > b : a < b);
      return (f, c) => {
        const certs = list(f, c) as Cert[] | undefined;
        if (certs === undefined) return undefined;
        let best: string | null = null;
        // A record of this kind whose level is not stated might be the one asked for.
        let unsure: string | null = null;
        let unsureKey: string | undefined;
        for (let i = 0; i < certs.length; i++) {
          const x = certs[i] as Cert;
          if (x.kind !== kind || Boolean(x.renewal) !== wantRenewal || !x.date || x.date > c.asOf) continue;
          if (level !== undefined && x.level !== level) {
            if (x.level === undefined && better(x.date, unsure)) {
              unsure = x.date;
              unsureKey = `certifications[${itemRef(x as unknown as Record<string, unknown>, i)}].level`;
            }
            continue;
          }
          if (better(x.date, best)) best = x.date;
        }
        if (unsure !== null && better(unsure, best)) {
          if (c.missing !== undefined || c.used !== undefined) note(c, unsureKey as string, undefined);
          return undefined;
        }
        return best;
      };
    }
    case "received":
    case "receivedIn": {
      // received("yubei-2021-13/6") → 元 received under measures whose id starts with the prefix (0 if none).
      const prefix = literalString(args[0], scope, text, "措施编号");
      const yearFn = name === "receivedIn" ? compileArg(args[1], scope, text) : undefined;
      const list = readList("awardsReceived");
      return (f, c) => {
        const rows = list(f, c) as Received[] | undefined;
        if (rows === undefined) return undefined;
        const y = yearFn?.(f, c);
        if (yearFn && typeof y !== "number") return undefined;
        let total = 0;
        let unknown = false;
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i] as Received;
          if (!measureMatches(r.measureId, prefix)) continue;
          // A grant whose year or amount is not stated leaves the sum unknown.
          const gap = yearFn && r.year === undefined ? "year" : r.amount === undefined ? "amount" : undefined;
          if (yearFn && r.year !== undefined && r.year !== y) continue;
          if (gap) {
            unknown = true;
            if (c.missing !== undefined || c.used !== undefined)
              note(
                c,
                `awardsReceived[${itemRef(r as unknown as Record<string, unknown>, i)}].${gap}`,
                undefined,
              );
            continue;
          }
          total += r.amount as number;
        }
        return unknown ? undefined : total;
      };
    }
    case "granted": {
      // granted("kaizhou-2023-27/1") → whether awardsReceived lists a grant under that measure (or its
      // sub-measures); unknown while the list is unknown.
      const prefix = literalString(args[0], scope, text, "措施编号");
      const list = readList("awardsReceived");
      return (f, c) => {
        const rows = list(f, c) as Received[] | undefined;
        if (rows === undefined) return undefined;
        return rows.some((r) => measureMatches(r.measureId, prefix));
      };
    }
    case "maxBefore": {
      // maxBefore(revenue, y) → the highest value recorded for years before y; unknown if none recorded.
      const id = perYearIdent(args[0], scope, text);
      const yearFn = compileArg(args[1], scope, text);
      const slot = slotOf(scope, id);
      return (f, c) => {
        const y = yearFn(f, c);
        const series = f[slot] as (number | undefined)[] | undefined;
        let best: number | undefined;
        if (series && typeof y === "number") {
          const end = Math.min(series.length, y - FIRST_YEAR);
          for (let i = 0; i < end; i++) {
            const v = series[i];
            if (v !== undefined && (best === undefined || v > best)) best = v;
          }
        }
        if (best === undefined && typeof y === "number") note(c, factKey(id, y - 1), undefined);
        else c.used?.push({ key: `${id}:<${String(y)}`, value: best });
        return best;
      };
    }
    case "peakBefore":
    case "firstReach": {
      // "首次突破 T": the value of year y reaches T and no earlier year did. The years a profile records are
      // rarely all of them, so the earlier peak comes from the companion fact `<fact>PeakBefore[y]` ("历年最高
      // 值") when given; without it only an earlier recorded year at or above T decides (not first).
      // peakBefore(fact, y) → the highest value before y (companion and recorded years), unknown without the
      // companion; firstReach(fact, y, T) → true / false / unknown.
      const id = perYearIdent(args[0], scope, text);
      const yearFn = compileArg(args[1], scope, text);
      const threshold = name === "firstReach" ? compileArg(args[2], scope, text) : undefined;
      const companion = `${id}PeakBefore`;
      if (!scope.facts.get(companion)?.perYear)
        return fail(scope, text, `需要按年度的事实「${companion}」（该年度以前历年的最高值）`);
      const slot = slotOf(scope, id);
      const peakSlot = slotOf(scope, companion);
      return (f, c) => {
        const y = yearFn(f, c);
        if (typeof y !== "number") return undefined;
        const series = f[slot] as (number | undefined)[] | undefined;
        let recorded: number | undefined;
        if (series) {
          const end = Math.min(series.length, y - FIRST_YEAR);
          for (let i = 0; i < end; i++) {
            const v = series[i];
            if (typeof v === "number" && (recorded === undefined || v > recorded)) recorded = v;
          }
        }
        const peak = (f[peakSlot] as (number | undefined)[] | undefined)?.[y - FIRST_YEAR];
        const tracing = c.missing !== undefined || c.used !== undefined;
        if (threshold) {
          const t = threshold(f, c);
          if (typeof t !== "number") return undefined;
          const v = series?.[y - FIRST_YEAR];
          if (tracing) note(c, factKey(id, y), v);
          if (v === undefined) return undefined;
          if (typeof v !== "number" || v < t) return false;
          if (recorded !== undefined && recorded >= t) {
            c.used?.push({ key: `${id}:<${y}`, value: recorded });
            return false;
          }
          if (tracing) note(c, factKey(companion, y), peak);
          if (typeof peak !== "number") return undefined;
          return peak < t;
        }
        if (tracing) note(c, factKey(companion, y), peak);
        if (typeof peak !== "number") return undefined;
        return recorded !== undefined && recorded > peak ? recorded : peak;
      };
    }
    case "has": {
      // has(whitelist, "name") → whether a string list contains the value.
      if (args[0]?.type !== "Identifier") return fail(scope, text, "has 的第一个参数必须是列表事实");
      const list = readList((args[0] as jsep.Identifier).name);
      const valueFn = compileArg(args[1], scope, text);
      return (f, c) => {
        const xs = list(f, c);
        if (xs === undefined) return undefined;
        return xs.includes(valueFn(f, c));
      };
    }
    case "startsWith": {
      const s = compileArg(args[0], scope, text);
      const p = compileArg(args[1], scope, text);
      return (f, c) => {
        const a = s(f, c);
        const b = p(f, c);
        if (a === undefined || b === undefined) return undefined;
        return typeof a === "string" && typeof b === "string" ? a.startsWith(b) : false;
      };
    }
    case "oneOf": {
      const v = compileArg(args[0], scope, text);
      const options = args.slice(1).map((a) => compileArg(a, scope, text));
      return (f, c) => {
        const x = v(f, c);
        if (x === undefined) return undefined;
        return options.some((o) => o(f, c) === x);
      };
    }
    case "yearOf": {
      const d = compileArg(args[0], scope, text);
      return (f, c) => {
        const v = d(f, c);
        if (v === undefined) return undefined;
        return typeof v === "string" ? Number(v.slice(0, 4)) : null;
      };
    }
    case "min":
    case "max": {
      const fns = args.map((a) => compileArg(a, scope, text));
      const pick = name === "min" ? Math.min : Math.max;
      return (f, c) => {
        let out: number | undefined;
        for (const fn of fns) {
          const v = fn(f, c);
          if (v === undefined) return undefined;
          if (typeof v !== "number") return null;
          out = out === undefined ? v : pick(out, v);
        }
        return out ?? null;
      };
    }
    case "known": {
      // known(x) → true when x is known (lets a rule ask "if given"); never unknown itself.
      const x = compileArg(args[0], scope, text);
      return (f, c) => x(f, { asOf: c.asOf, year: c.year, item: c.item }) !== undefined;
    }
    default:
      return fail(scope, text, `调用了未知函数 ${name}()`);
  }
}

/** A measure id matches itself and its sub-measures: "…/6" matches "…/6" and "…/6.2", not "…/60". */
function measureMatches(id: string, prefix: string): boolean {
  return id === prefix || id.startsWith(`${prefix}.`) || (prefix.endsWith("/") && id.startsWith(prefix));
}

function compileArg(node: Node | undefined, scope: CompileScope, text: string): ValueFn {
  if (!node) return fail(scope, text, "缺少函数参数");
  return compileNode(node, scope, text);
}

/** The source text of the right-hand side when a comparison is against a constant: the "required value". */
export function requiredOf(text: string): string | undefined {
  let node: Node;
  try {
    node = jsep(text);
  } catch {
    return undefined;
  }
  if (node.type !== "BinaryExpression") return undefined;
  const b = node as jsep.BinaryExpression;
  if (!["==", "!=", "<", "<=", ">", ">=", "===", "!=="].includes(b.operator)) return undefined;
  if (b.right.type === "Literal") return `${b.operator} ${(b.right as jsep.Literal).raw}`;
  return undefined;
}

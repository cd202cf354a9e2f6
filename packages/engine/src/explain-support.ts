/**
 * Helpers of Engine.explain: the YAML definition behind each compiled node (tier thresholds, rate bases,
 * list filters), expressions compiled once for the explanation's own read-outs, and list items described
 * by their fields. The amounts themselves always come from the compiled closures.
 */
import type { CompiledAmount, CompiledCondition } from "./compile.ts";
import {
  compileExpression,
  type EvalContext,
  type FactSlots,
  subjectKey,
  toBool,
  type ValueFn,
} from "./expression.ts";
import { yuanToFen } from "./money.ts";
import type { AmountDef, ConditionDef, FactDefinition } from "./types.ts";

type AmountInput = AmountDef | number;

/** The definition each compiled node was compiled from, found by walking both trees in step. */
export interface DefPairs {
  amounts: Map<CompiledAmount, AmountInput>;
  conditions: Map<CompiledCondition, ConditionDef>;
}

function pairCondition(def: ConditionDef, node: CompiledCondition, out: DefPairs): void {
  out.conditions.set(node, def);
  const kids = def.all ?? def.any ?? (def.not ? [def.not] : []);
  if (kids.length !== node.children.length) return;
  kids.forEach((d, i) => {
    pairCondition(d, node.children[i] as CompiledCondition, out);
  });
}

/** Children in the order compile.ts lists them (tiers: highest threshold first; cases: then otherwise). */
export function amountChildren(def: AmountInput): { amounts: AmountInput[]; whens: ConditionDef[] } {
  if (typeof def === "number") return { amounts: [], whens: [] };
  if ((def.cap !== undefined || def.floor !== undefined) && def.amount !== undefined)
    return { amounts: [def.amount], whens: [] };
  const list = def.max ?? def.min ?? def.sum ?? def.readings;
  if (list) return { amounts: list, whens: [] };
  if (def.tiers) return { amounts: sortedSteps(def).map((s) => s.amount), whens: [] };
  if (def.cases) {
    const amounts = def.cases.map((k) => k.amount);
    if (def.otherwise !== undefined) amounts.push(def.otherwise);
    return { amounts, whens: def.cases.map((k) => k.when) };
  }
  if (def.topUp !== undefined) return { amounts: [def.topUp], whens: [] };
  if (def.forEach) return { amounts: [def.forEach.amount], whens: [] };
  return { amounts: [], whens: [] };
}

/** Tier steps, highest threshold first (the order of the compiled children). */
export function sortedSteps(def: AmountDef): { atLeast: number; amount: AmountInput }[] {
  return [...(def.tiers?.steps ?? [])].sort((a, b) => b.atLeast - a.atLeast);
}

function pairAmount(def: AmountInput, node: CompiledAmount, out: DefPairs): void {
  out.amounts.set(node, def);
  const { amounts, whens } = amountChildren(def);
  if (amounts.length === node.children.length)
    amounts.forEach((d, i) => {
      pairAmount(d, node.children[i] as CompiledAmount, out);
    });
  if (whens.length === node.conditions.length)
    whens.forEach((w, i) => {
      pairCondition(w, node.conditions[i] as CompiledCondition, out);
    });
}

export function pairDefs(
  eligibility: { def?: ConditionDef | undefined; node?: CompiledCondition | undefined },
  amount: { def?: AmountInput | undefined; node?: CompiledAmount | undefined },
): DefPairs {
  const out: DefPairs = { amounts: new Map(), conditions: new Map() };
  if (eligibility.def && eligibility.node) pairCondition(eligibility.def, eligibility.node, out);
  if (amount.def !== undefined && amount.node) pairAmount(amount.def, amount.node, out);
  return out;
}

/** Expressions the explanation evaluates for its read-outs (a rate's base, a tier's value), compiled once. */
export class ExplainExpressions {
  private readonly cache = new Map<string, ValueFn | null>();

  constructor(
    private readonly facts: Map<string, FactDefinition>,
    private readonly slots: Map<string, number>,
  ) {}

  /** The value of `text` (元 for money), or undefined when unknown or when the text does not compile. */
  value(text: string, f: FactSlots, c: EvalContext, itemOf?: FactDefinition): unknown {
    const key = `${itemOf?.id ?? ""}\u0000${text}`;
    let fn = this.cache.get(key);
    if (fn === undefined) {
      try {
        fn = compileExpression(text, { facts: this.facts, slots: this.slots, itemOf, where: "explain" });
      } catch {
        fn = null;
      }
      this.cache.set(key, fn);
    }
    if (fn === null) return undefined;
    // A plain copy: no missing-fact or fact-use collection, no per-item recording.
    const quiet: EvalContext = { asOf: c.asOf, year: c.year, item: c.item, itemKey: c.itemKey };
    return fn(f, quiet);
  }
}

const byVocabulary = new WeakMap<Map<string, FactDefinition>, ExplainExpressions>();

/** One expression cache per vocabulary (per compiled engine). */
export function explainExpressions(
  facts: Map<string, FactDefinition>,
  slots: Map<string, number>,
): ExplainExpressions {
  let x = byVocabulary.get(facts);
  if (!x) {
    x = new ExplainExpressions(facts, slots);
    byVocabulary.set(facts, x);
  }
  return x;
}

/** What the explanation of one measure carries down its trees. */
export interface ExplainScope {
  pairs: DefPairs;
  exprs: ExplainExpressions;
}

/** The context with one list record bound, as forEach and exists bind it. */
export function itemContext(
  c: EvalContext,
  list: string,
  row: Record<string, unknown>,
  index: number,
): EvalContext {
  return { ...c, item: row, itemKey: subjectKey(list, row, index) };
}

/** A filter's value as true / false / "unknown". */
export function truthOf(v: unknown): boolean | "unknown" {
  const b = toBool(v);
  return b === undefined ? "unknown" : b;
}

/** 元 as written in YAML → 分 (undefined stays undefined). */
export function fenOf(yuan: number | undefined): number | undefined {
  return yuan === undefined ? undefined : yuanToFen(yuan);
}

/** Fields that name an item whatever the rule reads: shown to say which project, loan or certificate it is. */
const NAMING_FIELDS = ["name", "kind", "board", "level", "grade", "date", "allocationYear"];

/** The item fields a filter or a per-item amount reads (`item.<field>` in any of its texts). */
export function itemFieldsRead(...parts: unknown[]): Set<string> {
  const out = new Set<string>();
  for (const m of JSON.stringify(parts).matchAll(/\bitem\.([A-Za-z0-9_]+)/g)) out.add(m[1] as string);
  return out;
}

export interface ItemField {
  key: string;
  label: string;
  value: unknown;
  unit?: string | undefined;
}

/** The naming fields of a list item plus the fields the rule reads; unknown ones as "未知". */
export function describeItem(
  listDef: FactDefinition,
  row: Record<string, unknown>,
  read: Set<string>,
): ItemField[] {
  const out: ItemField[] = [];
  for (const field of listDef.fields ?? []) {
    const naming = NAMING_FIELDS.includes(field.id);
    if (!naming && !read.has(field.id)) continue;
    const given = row[field.id];
    if (given === undefined && naming && !read.has(field.id)) continue;
    const value = given !== undefined ? given : field.default !== undefined ? field.default : "未知";
    out.push({ key: field.id, label: field.label, value, unit: field.unit });
  }
  return out;
}

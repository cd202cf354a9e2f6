/**
 * The engine's view of one enterprise and one measure, as an application needs it: the outcome, the amount
 * range (分), the facts the measure reads (collected from the explanation tree) and what is still missing.
 */
import type { AmountExplanation, CompiledMeasure, ExplanationNode, FactValue, Outcome } from "@huiqi/engine";
import type { Kysely, Transaction } from "kysely";
import type { AppContext } from "../context.ts";
import type { Database } from "../db/schema.ts";
import { loadFacts } from "../enterprises/facts-store.ts";
import { AppError, notFound } from "../errors.ts";

export interface Assessment {
  asOf: string;
  rulesVersion: string;
  outcome: Outcome;
  reason: string | null;
  amount: { min: number; max: number | null } | null;
  missing: string[];
  /** Fact key (`id` or `id:year`) → label, value ("未知" when unknown), unit. */
  facts: Record<string, { label: string; value: unknown; unit: string | null }>;
}

export function collectCondition(n: ExplanationNode | null | undefined, out: FactValue[]): void {
  if (!n) return;
  for (const f of n.facts ?? []) out.push(f);
  for (const c of n.children ?? []) collectCondition(c, out);
}

export function collectAmount(n: AmountExplanation | null | undefined, out: FactValue[]): void {
  if (!n) return;
  for (const f of n.facts ?? []) out.push(f);
  for (const c of n.conditions ?? []) collectCondition(c, out);
  for (const c of n.children ?? []) collectAmount(c, out);
}

export function measureOrThrow(ctx: AppContext, measureId: string): CompiledMeasure {
  const m = ctx.engine.byId.get(measureId);
  if (!m)
    throw new AppError("VALIDATION", `measureId：没有编号为「${measureId}」的措施`, [
      { field: "measureId", message: "措施不存在" },
    ]);
  return m;
}

export async function assess(
  db: Kysely<Database> | Transaction<Database>,
  ctx: AppContext,
  enterpriseId: string,
  m: CompiledMeasure,
  asOf: string,
): Promise<Assessment> {
  const facts = await loadFacts(db, enterpriseId);
  if (!facts) throw notFound("企业");
  const r = ctx.engine.evaluateMeasure(m, facts, asOf, true);
  const used: FactValue[] = [];
  collectCondition(r.explanation?.eligibility, used);
  collectAmount(r.explanation?.amount, used);
  const out: Assessment["facts"] = {};
  for (const f of used) {
    if (f.key in out) continue;
    out[f.key] = { label: f.label, value: f.value, unit: f.unit ?? null };
  }
  return {
    asOf,
    rulesVersion: ctx.engine.version,
    outcome: r.outcome,
    reason: r.reason ?? null,
    amount: r.amount ? { min: r.amount.min, max: r.amount.max } : null,
    missing: r.missing,
    facts: out,
  };
}

/**
 * The date the engine judges an application on: today, but for a measure that has expired since the
 * enterprise applied, its last day in force (review of an application made in time must stay possible).
 */
export function judgingDate(m: CompiledMeasure, today: string): string {
  return m.validUntil !== undefined && today > m.validUntil ? m.validUntil : today;
}

/** One generic runner for every YAML case of every document. */
import { type Engine, type Facts, formatRange, yuanToFen } from "@huiqi/engine";
import type { PolicyCase } from "./schema.ts";

export interface CaseFailure {
  case: string;
  problems: string[];
}

function sameSet(a: string[], b: string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function fen(yuan: number): number {
  return yuanToFen(yuan) ?? Number.NaN;
}

/** Returns the list of mismatches; empty when the case passes. */
export function runCase(engine: Engine, validate: (p: unknown) => Facts, c: PolicyCase): string[] {
  const problems: string[] = [];
  const facts = validate(c.profile);
  if (c.measure && c.expect) {
    const m = engine.byId.get(c.measure);
    if (!m) return [`措施 ${c.measure} 不存在`];
    const r = engine.evaluateMeasure(m, facts, c.asOf);
    const e = c.expect;
    if (r.outcome !== e.outcome)
      problems.push(`outcome: 期望 ${e.outcome}，实际 ${r.outcome}（${r.reason ?? r.missing.join(",")}）`);
    if (e.amount !== undefined) {
      const actual = r.amount ? formatRange(r.amount) : "null";
      if (e.amount === null) {
        if (r.amount !== null) problems.push(`amount: 期望 null，实际 ${actual}`);
      } else if (typeof e.amount === "number") {
        if (!r.amount || r.amount.min !== fen(e.amount) || r.amount.max !== fen(e.amount))
          problems.push(`amount: 期望 ${e.amount} 元，实际 ${actual}`);
      } else {
        const [lo, hi] = e.amount;
        if (!r.amount || r.amount.min !== fen(lo) || r.amount.max !== (hi === null ? null : fen(hi)))
          problems.push(`amount: 期望 [${lo}, ${hi}] 元，实际 ${actual}`);
      }
    }
    if (e.missing && !sameSet(e.missing, r.missing))
      problems.push(`missing: 期望 [${e.missing.join(", ")}]，实际 [${r.missing.join(", ")}]`);
    if (e.reason && !(r.reason ?? "").includes(e.reason))
      problems.push(`reason: 期望含「${e.reason}」，实际「${r.reason ?? ""}」`);
  }
  if (c.stacking || c.afterStacking) {
    const result = engine.evaluate(facts, { asOf: c.asOf });
    for (const s of c.stacking ?? []) {
      const d = result.stacking.find(
        (x) => x.groupId === s.group && (s.subject === undefined || x.subject === s.subject),
      );
      const which = `${s.group}${s.subject ? `（${s.subject}）` : ""}`;
      if (s.recommended === undefined) {
        if (d) problems.push(`stacking: 组 ${which} 不应作出决定，实际推荐 ${d.recommended}`);
        continue;
      }
      if (!d) {
        problems.push(`stacking: 组 ${which} 没有作出决定`);
        continue;
      }
      if (d.recommended !== s.recommended)
        problems.push(`stacking ${s.group}: 期望推荐 ${s.recommended}，实际 ${d.recommended}`);
      if (!sameSet(d.notAdded, s.notAdded))
        problems.push(
          `stacking ${s.group}: 期望不叠加 [${s.notAdded.join(",")}]，实际 [${d.notAdded.join(",")}]`,
        );
    }
    for (const [id, want] of Object.entries(c.afterStacking ?? {})) {
      const r = result.results.find((x) => x.measureId === id);
      const got = r?.amount ?? null;
      const expected =
        want === null
          ? null
          : typeof want === "number"
            ? { min: fen(want), max: fen(want) }
            : { min: fen(want[0]), max: want[1] === null ? null : fen(want[1]) };
      if (JSON.stringify(got) !== JSON.stringify(expected))
        problems.push(
          `afterStacking ${id}: 期望 ${expected ? formatRange(expected) : "null"}，实际 ${got ? formatRange(got) : "null"}`,
        );
    }
  }
  return problems;
}

/**
 * The policy data's YAML test cases, run by the packages/policies case runner against the engine that
 * currently serves requests (ctx.engine), for the policy admin: each case's expectation, the engine's actual
 * result, pass or fail.
 */
import {
  type Engine,
  type Facts,
  formatRange,
  type MeasureResult,
  makeProfileValidator,
} from "@huiqi/engine";
import { type PolicyCase, runCase } from "@huiqi/policies";
import type { AppContext } from "../context.ts";

const OUTCOME: Record<string, string> = { eligible: "符合", ineligible: "不符合", undetermined: "待确认" };

export interface CaseReport {
  name: string;
  documentId: string;
  measureId: string | null;
  asOf: string;
  expected: string;
  actual: string;
  pass: boolean;
  problems: string[];
  note?: string;
}

function yuanText(y: number | null): string {
  return y === null ? "无上限" : `${y.toLocaleString("zh-CN")}元`;
}

function expectedText(c: PolicyCase): string {
  const parts: string[] = [];
  const e = c.expect;
  if (e) {
    parts.push(OUTCOME[e.outcome] ?? e.outcome);
    if (e.amount === null) parts.push("金额：无");
    else if (typeof e.amount === "number") parts.push(`金额：${yuanText(e.amount)}`);
    else if (Array.isArray(e.amount)) parts.push(`金额：${yuanText(e.amount[0])}～${yuanText(e.amount[1])}`);
    if (e.missing) parts.push(`待答：${e.missing.length ? e.missing.join("、") : "无"}`);
    if (e.reason) parts.push(`原因含「${e.reason}」`);
  }
  for (const s of c.stacking ?? [])
    parts.push(`从高不重复 ${s.group}：推荐 ${s.recommended}，不叠加 ${s.notAdded.join("、") || "无"}`);
  return parts.join("；");
}

function measureText(r: MeasureResult): string {
  const parts = [OUTCOME[r.outcome] ?? r.outcome];
  parts.push(`金额：${r.amount ? formatRange(r.amount) : "无"}`);
  if (r.missing.length) parts.push(`待答：${r.missing.join("、")}`);
  if (r.reason) parts.push(`原因：${r.reason}`);
  return parts.join("；");
}

function actualText(engine: Engine, facts: Facts, c: PolicyCase): string {
  const parts: string[] = [];
  if (c.measure) {
    const m = engine.byId.get(c.measure);
    parts.push(m ? measureText(engine.evaluateMeasure(m, facts, c.asOf)) : `措施 ${c.measure} 不存在`);
  }
  if (c.stacking) {
    const result = engine.evaluate(facts, { asOf: c.asOf });
    for (const s of c.stacking) {
      const d = result.stacking.find((x) => x.groupId === s.group);
      parts.push(
        d
          ? `从高不重复 ${s.group}：推荐 ${d.recommended}，不叠加 ${d.notAdded.join("、") || "无"}`
          : `从高不重复 ${s.group}：没有作出决定`,
      );
    }
  }
  return parts.join("；");
}

/** Cases of one measure (its own cases and the stacking cases of groups it belongs to), or all cases. */
export function runPolicyCases(ctx: AppContext, measureId?: string): CaseReport[] {
  const engine = ctx.engine;
  const validate = makeProfileValidator(ctx.library.rules.vocabulary);
  const out: CaseReport[] = [];
  for (const doc of ctx.library.documents)
    for (const c of doc.cases) {
      if (
        measureId &&
        c.measure !== measureId &&
        !(c.stacking ?? []).some(
          (s) =>
            s.recommended === measureId ||
            s.notAdded.includes(measureId) ||
            groupHas(engine, s.group, measureId),
        )
      )
        continue;
      let problems: string[];
      let actual: string;
      try {
        problems = runCase(engine, validate, c);
        actual = actualText(engine, validate(c.profile), c);
      } catch (e) {
        problems = [`用例无法运行：${(e as Error).message}`];
        actual = "—";
      }
      out.push({
        name: c.name,
        documentId: doc.document.id,
        measureId: c.measure ?? null,
        asOf: c.asOf,
        expected: expectedText(c),
        actual,
        pass: problems.length === 0,
        problems,
        ...(c.note ? { note: c.note } : {}),
      });
    }
  return out;
}

function groupHas(engine: Engine, groupId: string, measureId: string): boolean {
  return engine.groups.some((g) => g.id === groupId && g.members.includes(measureId));
}

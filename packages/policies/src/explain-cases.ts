/**
 * Every case's explanation, rendered the way readers see it, and the golden files built from them
 * (packages/policies/golden/<doc-id>.md: one case per monetary measure, for review in one place).
 */
import {
  type AmountExplanation,
  type Engine,
  explanationText,
  type Glossary,
  type MeasureExplanation,
  makeProfileValidator,
  renderExplanation,
} from "@huiqi/engine";
import type { LoadedDocument, PolicyLibrary } from "./load.ts";
import type { PolicyCase } from "./schema.ts";

export interface RenderedCase {
  documentId: string;
  case: PolicyCase;
  measureId: string;
  explanation: MeasureExplanation;
  text: string;
}

/** The measures a case is about: its measure, or the members of the stacking groups it checks. */
function measuresOf(c: PolicyCase, lib: PolicyLibrary): string[] {
  if (c.measure) return [c.measure];
  const groups = new Set((c.stacking ?? []).map((s) => s.group));
  return lib.rules.stackingGroups.filter((g) => groups.has(g.id)).flatMap((g) => g.members);
}

/** Every case of every document, explained and rendered (stacking cases: each member of their groups). */
export function renderAllCases(lib: PolicyLibrary, engine: Engine, g: Glossary): RenderedCase[] {
  const validate = makeProfileValidator(lib.rules.vocabulary);
  const out: RenderedCase[] = [];
  for (const d of lib.documents)
    for (const c of d.cases) {
      const facts = validate(c.profile);
      for (const measureId of measuresOf(c, lib)) {
        if (!engine.byId.has(measureId)) continue;
        const explanation = engine.explain(measureId, facts, c.asOf);
        out.push({
          documentId: d.document.id,
          case: c,
          measureId,
          explanation,
          text: explanationText(renderExplanation(explanation, g)),
        });
      }
    }
  return out;
}

/** Strings the enterprise itself typed (project names, loan numbers): theirs to spell, not ours. */
export function profileStrings(profile: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(profile);
  return out.filter((s) => /[A-Za-z]/.test(s)).sort((a, b) => b.length - a.length);
}

/**
 * forEach nodes whose records do not add up to the node's amount (with a cap per subject: whose
 * subjects do not). Empty when every per-item figure is consistent.
 */
export function itemSumProblems(a: AmountExplanation | null | undefined, where = "amount"): string[] {
  if (!a) return [];
  const problems: string[] = [];
  if (a.kind === "forEach" && a.items) {
    const parts = a.subjects ?? a.items;
    const min = parts.reduce((s, x) => s + x.amount.min, 0);
    const max = parts.some((x) => x.amount.max === null)
      ? null
      : parts.reduce((s, x) => s + (x.amount.max ?? 0), 0);
    if (min !== a.amount.min || max !== a.amount.max)
      problems.push(`${where}: 逐项 [${min}, ${max}] ≠ 合计 [${a.amount.min}, ${a.amount.max}]`);
    a.items.forEach((it, i) => {
      problems.push(...itemSumProblems(it.detail, `${where}.items[${i}]`));
    });
  }
  (a.children ?? []).forEach((c, i) => {
    problems.push(...itemSumProblems(c, `${where}.children[${i}]`));
  });
  return problems;
}

/** The case shown for a measure: the first whose measure is eligible with money, else the first one. */
function caseFor(measureId: string, rendered: RenderedCase[]): RenderedCase | undefined {
  const mine = rendered.filter((r) => r.measureId === measureId && r.case.measure === measureId);
  return (
    mine.find((r) => r.explanation.outcome === "eligible" && (r.explanation.amount?.amount.max ?? 1) > 0) ??
    mine[0]
  );
}

export const GOLDEN_COMMAND = "UPDATE_GOLDEN=1 npx vitest run packages/policies/src/golden.test.ts";

/** The golden file of one document: one rendered case per monetary measure, in the document's order. */
export function goldenMarkdown(doc: LoadedDocument, rendered: RenderedCase[], g: Glossary): string {
  const d = doc.document;
  const out: string[] = [
    `# ${d.docNumber}　${d.title}`,
    "",
    `每项资金类措施取一个用例（优先取“符合”且有金额的），展示平台给企业和经办人看的解释（不含口径说明和政策解读）。`,
    `本文件由测试生成，规则或渲染改变后运行 \`${GOLDEN_COMMAND}\` 重新生成，再审阅差异。`,
  ];
  for (const m of doc.measures) {
    if (!m.monetary) continue;
    const r = caseFor(m.id, rendered);
    const item = m.sub ? `第${m.ordinal}条（第${m.sub}项）` : `第${m.ordinal}条`;
    out.push("", `## ${item}　${m.title}`, "");
    if (!r) {
      out.push("（没有用例）");
      continue;
    }
    out.push(`用例：${r.case.name}（测算日 ${r.case.asOf}）`, "", "```text");
    out.push(explanationText(renderExplanation(r.explanation, g), { rulesOnly: true }), "```");
  }
  return `${out.join("\n")}\n`;
}

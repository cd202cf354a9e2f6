/**
 * Golden test: ingestion of the five seed source texts against the hand-encoded documents in packages/policies.
 *
 * Metrics (per document; "ordinal" = the number printed in front of a measure; sub-measures share it):
 * - measures: encoded ordinals (distinct `ordinal` of measures.yaml) for which the draft has a measure with the
 *   same ordinal whose clause contains the first 8 characters of the encoded clause quote (after dropping its
 *   numbering and "……", compared whitespace-free). Recall = found / encoded.
 * - amounts: pairs (ordinal, figure in 分) from every money node of the encoded amounts — fixed, range ends,
 *   upTo, cap, floor, perUnit, tier and case amounts, at any depth (not tier thresholds `atLeast`, not rates).
 *   Only figures printed in the measure count: v 元 appears as "v元", "v/10⁴万" or "v/10⁸亿" (or as the first end
 *   of a range, "v/10⁴—") in the encoded clause quotes of that ordinal, whitespace-free. Zero branches and amounts
 *   the editor derived (晋级补差 differences) are not in the text to find.
 *   Found when the draft measure with that ordinal has a benefit amount candidate whose min or max equals it.
 * - deadlines: ordinals whose effective end date (measure validUntil, else the document's) is set; found when the
 *   draft measure with that ordinal has the same validUntil.
 * - lead units: ordinals whose lead unit is printed in the text (for the measure or its group); compared by name
 *   (departments.yaml name, its bracketed alias, brackets folded) against the draft's lead unit. Ordinals whose
 *   text names no unit are excluded (UNITLESS below — the encoded lead there is the editor's inference).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AmountDef, MeasureDef } from "@huiqi/engine";
import { departmentName, documentIds, loadDocument } from "@huiqi/policies";
import { describe, expect, it } from "vitest";
import { ingestText, normUnit } from "./index.ts";

/** Ordinals whose printed text names no responsible unit (checked by hand against source.txt). */
const UNITLESS: Record<string, number[] | "all"> = {
  "cq-jxw-2022-6": "all",
  "kaizhou-2023-27": [20, 21, 22, 23, 24],
};

function moneyValues(a: AmountDef | number | undefined, out: Set<number>): void {
  if (a === undefined) return;
  if (typeof a === "number") {
    out.add(Math.round(a * 100));
    return;
  }
  for (const k of ["fixed", "upTo", "cap", "floor", "perUnit"] as const) {
    const v = a[k];
    if (typeof v === "number") out.add(Math.round(v * 100));
  }
  if (a.range) {
    out.add(Math.round(a.range[0] * 100));
    if (a.range[1] !== null) out.add(Math.round(a.range[1] * 100));
  }
  for (const k of ["amount", "otherwise", "topUp"] as const) moneyValues(a[k], out);
  for (const k of ["max", "min", "sum", "readings"] as const) for (const x of a[k] ?? []) moneyValues(x, out);
  for (const s of a.tiers?.steps ?? []) moneyValues(s.amount, out);
  for (const c of a.cases ?? []) moneyValues(c.amount, out);
  if (a.forEach) moneyValues(a.forEach.amount, out);
}

const squash = (s: string) => s.replace(/\s/g, "").replace(/[(]/g, "（").replace(/[)]/g, "）");

function quoteKey(clause: string): string {
  const parts = clause
    .split("……")
    .map((p) =>
      squash(p).replace(
        /^(?:第[一二三四五六七八九十百\d]+条|[一二三四五六七八九十百]+、|（[一二三四五六七八九十百]+）|\d+[.．、])/,
        "",
      ),
    )
    .filter((p) => p.length >= 4);
  return (parts[0] ?? "").slice(0, 8);
}

function names(code: string): string[] {
  const n = normUnit(departmentName(code));
  const out = [n];
  const p = /^(.*?)（(.+)）$/.exec(n);
  if (p) out.push(p[1] as string, p[2] as string, `区${p[2]}`);
  return out;
}

interface Row {
  doc: string;
  measures: [number, number];
  amounts: [number, number];
  deadlines: [number, number];
  units: [number, number];
}

const rows: Row[] = [];

describe("golden: the five seed documents", () => {
  for (const id of documentIds()) {
    it(id, () => {
      const { document, measures, dir } = loadDocument(id);
      const text = readFileSync(join(dir, document.sourceFile), "utf8");
      const { draft } = ingestText(text, { fileName: document.sourceFile, docId: id });
      const printedIn = (flat: string, fen: number) => {
        const y = fen / 100;
        const forms = [
          `${y}元`,
          ...[y / 1e4, y / 1e8].flatMap((v) => [`${v}万`, `${v}亿`, `${v}—`, `${v}-`, `${v}至`]),
        ];
        return y > 0 && forms.some((f) => new RegExp(`(?<![\\d.])${f.replace(".", "\\.")}`).test(flat));
      };
      const byOrdinal = new Map<number, MeasureDef[]>();
      for (const m of measures) byOrdinal.set(m.ordinal, [...(byOrdinal.get(m.ordinal) ?? []), m]);
      const draftOf = (o: number) => draft.measures.find((d) => d.ordinal === o);
      const row: Row = { doc: id, measures: [0, 0], amounts: [0, 0], deadlines: [0, 0], units: [0, 0] };
      const missed: string[] = [];
      for (const [ordinal, ms] of byOrdinal) {
        const d = draftOf(ordinal);
        const first = ms[0] as MeasureDef;
        row.measures[1]++;
        const key = quoteKey(first.clause);
        if (d && squash(d.clause).includes(key)) row.measures[0]++;
        else missed.push(`措施 ${ordinal}（${key}）`);

        const want = new Set<number>();
        for (const m of ms) moneyValues(m.amount, want);
        const have = new Set<number>();
        for (const a of d?.candidates.amounts ?? []) {
          if (a.role !== "benefit") continue;
          have.add(a.min);
          if (a.max !== null) have.add(a.max);
        }
        for (const v of want) {
          if (!printedIn(squash(ms.map((m) => m.clause).join("")), v)) continue;
          row.amounts[1]++;
          if (have.has(v)) row.amounts[0]++;
          else missed.push(`金额 ${ordinal}：${v / 100}元`);
        }

        const until = first.validUntil ?? document.validUntil;
        if (until) {
          row.deadlines[1]++;
          if (d?.validUntil === until) row.deadlines[0]++;
          else missed.push(`期限 ${ordinal}：${until}，草稿 ${d?.validUntil ?? "无"}`);
        }

        const unitless = UNITLESS[id];
        if (unitless !== "all" && !unitless?.includes(ordinal)) {
          row.units[1]++;
          const lead = d?.leadUnit ? normUnit(d.leadUnit) : undefined;
          if (lead && names(first.leadDepartment).includes(lead)) row.units[0]++;
          else
            missed.push(
              `牵头单位 ${ordinal}：${departmentName(first.leadDepartment)}，草稿 ${d?.leadUnit ?? "无"}`,
            );
        }
      }
      rows.push(row);
      if (missed.length) console.log(`${id} 未命中：\n  ${missed.join("\n  ")}`);
      const r = (x: [number, number]) => (x[1] === 0 ? 1 : x[0] / x[1]);
      expect(r(row.measures)).toBeGreaterThanOrEqual(0.95);
      expect(r(row.amounts)).toBeGreaterThanOrEqual(0.9);
      expect(r(row.deadlines)).toBeGreaterThanOrEqual(0.9);
      expect(r(row.units)).toBeGreaterThanOrEqual(0.9);
      // Metadata read from the notice.
      expect(draft.metadata.docNumber?.value).toBe(document.docNumber);
      expect(draft.metadata.issuedOn?.value).toBe(document.issuedOn);
    });
  }

  it("prints the recall table", () => {
    const pct = (x: [number, number]) =>
      x[1] === 0 ? "—" : `${((100 * x[0]) / x[1]).toFixed(1)}% (${x[0]}/${x[1]})`;
    const total = (k: keyof Omit<Row, "doc">): [number, number] => [
      rows.reduce((s, r) => s + r[k][0], 0),
      rows.reduce((s, r) => s + r[k][1], 0),
    ];
    const lines = [
      "| 文件 | 措施 | 金额 | 期限 | 牵头单位 |",
      "|---|---|---|---|---|",
      ...rows.map(
        (r) =>
          `| ${r.doc} | ${pct(r.measures)} | ${pct(r.amounts)} | ${pct(r.deadlines)} | ${pct(r.units)} |`,
      ),
      `| 合计 | ${pct(total("measures"))} | ${pct(total("amounts"))} | ${pct(total("deadlines"))} | ${pct(total("units"))} |`,
    ];
    console.log(lines.join("\n"));
    expect(rows.length).toBe(5);
  });
});

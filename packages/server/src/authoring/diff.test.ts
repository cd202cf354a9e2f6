import { makeGlossary } from "@huiqi/engine";
import { documentFromFiles, loadPolicyLibrary, readDocumentSources } from "@huiqi/policies";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DiffSide, diffDocuments, isEmptyDiff } from "./diff.ts";

const library = loadPolicyLibrary();
const g = makeGlossary(library.rules);
const sources = readDocumentSources();
const side = (id: string, edit: (files: Record<string, string>) => void = () => {}): DiffSide => {
  const s = sources.find((x) => x.id === id);
  if (!s) throw new Error(`no seed ${id}`);
  const files = { ...s.files };
  edit(files);
  return { doc: documentFromFiles(id, files, id), g, source: files["source.txt"] };
};
const replaceIn = (name: string, from: string, to: string) => (files: Record<string, string>) => {
  const text = files[name] ?? "";
  if (!text.includes(from)) throw new Error(`${from} not in ${name}`);
  files[name] = text.replace(from, to);
};

describe("diffDocuments", () => {
  it("finds no difference between a document and itself", () => {
    for (const s of sources) {
      const d = diffDocuments(side(s.id), side(s.id));
      expect(isEmptyDiff(d), s.id).toBe(true);
      expect(d.published).toBe(true);
    }
  });

  it("names a changed amount in words, before and after", () => {
    const after = side("banan-2022-63", replaceIn("measures.yaml", "fixed: 200000\n", "fixed: 250000.5\n"));
    const d = diffDocuments(side("banan-2022-63"), after);
    expect(d.document).toEqual([]);
    expect(d.measures).toEqual([
      {
        measureId: "banan-2022-63/1",
        title: "第1条 鼓励工业企业做大做强（升规奖励）",
        change: "changed",
        fields: [{ label: "金额", before: "20万元", after: "250,000.50元" }],
      },
    ]);
  });

  it("renders a changed condition and validity in Chinese words", () => {
    const after = side("banan-2022-63", (f) => {
      replaceIn("measures.yaml", "aboveScaleFirstYear == 2021", "aboveScaleFirstYear == 2022")(f);
      replaceIn(
        "measures.yaml",
        "validUntil: 2022-12-31\n    validityQuote: 执行期限至 2022 年",
        "validUntil: 2023-06-30\n    validityQuote: 执行期限至 2022 年",
      )(f);
    });
    const [m] = diffDocuments(side("banan-2022-63"), after).measures;
    expect(m?.fields.map((f) => f.label)).toEqual(["有效期至", "申报条件"]);
    expect(m?.fields[0]).toEqual({ label: "有效期至", before: "2022年12月31日", after: "2023年6月30日" });
    const cond = m?.fields[1];
    expect(cond?.before).toContain("2021");
    expect(cond?.after).toContain("2022");
    expect(`${cond?.before}${cond?.after}`).not.toMatch(/aboveScaleFirstYear|==/);
  });

  it("lists an added measure with its fields and a removed one by title", () => {
    const before = side("banan-2022-63");
    const after = side("banan-2022-63");
    const first = after.doc.measures[0];
    if (!first) throw new Error("no measure");
    const added = { ...first, id: "banan-2022-63/99", ordinal: 99, title: "新增的措施" };
    const removed = after.doc.measures[1];
    after.doc = { ...after.doc, measures: [first, added, ...after.doc.measures.slice(2)] };
    const d = diffDocuments(before, after);
    expect(d.measures.map((m) => [m.measureId, m.change])).toEqual([
      ["banan-2022-63/99", "added"],
      [removed?.id, "removed"],
    ]);
    const a = d.measures[0];
    expect(a?.title).toBe("第99条 新增的措施");
    expect(a?.fields).toContainEqual({ label: "金额", before: "", after: "20万元" });
    expect(a?.fields.every((f) => f.before === "")).toBe(true);
    expect(d.measures[1]?.fields).toEqual([]);
  });

  it("treats everything as new when nothing is published", () => {
    const d = diffDocuments(null, side("yubei-2021-13"));
    expect(d.published).toBe(false);
    expect(d.measures.length).toBe(side("yubei-2021-13").doc.measures.length);
    expect(d.measures.every((m) => m.change === "added")).toBe(true);
    expect(d.document).toContainEqual(expect.objectContaining({ label: "文号", before: "" }));
    expect(d.cases.added.length).toBe(side("yubei-2021-13").doc.cases.length);
  });

  it("counts cases added, removed and changed by name", () => {
    const before = side("banan-2022-63");
    const after = side("banan-2022-63");
    const [c0, c1, ...rest] = after.doc.cases;
    if (!c0 || !c1) throw new Error("no cases");
    after.doc = {
      ...after.doc,
      cases: [{ ...c0, asOf: "2022-11-02" }, ...rest, { ...c1, name: "新用例" }],
    };
    expect(diffDocuments(before, after).cases).toEqual({
      added: ["新用例"],
      removed: [c1.name],
      changed: [c0.name],
    });
  });

  it("diff(x, x) is empty for any mutation of a seed document, and names only what was mutated", () => {
    const ids = sources.map((s) => s.id);
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 8 }),
        (id, pick, suffix) => {
          const base = side(id);
          const x = side(id);
          const i = pick % x.doc.measures.length;
          const m = x.doc.measures[i];
          if (!m) return;
          x.doc = {
            ...x.doc,
            measures: x.doc.measures.map((y, j) => (j === i ? { ...y, title: `${y.title}${suffix}` } : y)),
          };
          expect(isEmptyDiff(diffDocuments(x, x))).toBe(true);
          const d = diffDocuments(base, x);
          expect(d.measures).toEqual([
            {
              measureId: m.id,
              title: expect.any(String),
              change: "changed",
              fields: [{ label: "标题", before: m.title, after: `${m.title}${suffix}` }],
            },
          ]);
        },
      ),
      { numRuns: 50 },
    );
  });
});

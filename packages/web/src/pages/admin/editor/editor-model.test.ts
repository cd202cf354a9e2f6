import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DOCUMENTS_DIR } from "@huiqi/policies";
import { describe, expect, it } from "vitest";
import { amountText, joinCap, shapeOf, splitCap } from "./AmountForm";
import { comparison } from "./ConditionBuilder";
import { newFactId, validateFact } from "./FactsTab";
import { fenToYamlYuan, formatMoney, parseMoney, percentToRate, preferredUnit, ratePercent } from "./money";
import { addFact, editMeasure, readFacts, readMeasures, setField } from "./yamlText";

const measuresOf = (doc: string) => readFileSync(join(DOCUMENTS_DIR, doc, "measures.yaml"), "utf8");

describe("money in the editor's forms", () => {
  it("converts 元 and 万元 to 分 exactly, never through floats", () => {
    expect(parseMoney("20", "万元")).toBe(20_000_000);
    expect(parseMoney("0.07", "万元")).toBe(70_000);
    expect(parseMoney("1.000001", "万元")).toBe(1_000_001);
    expect(parseMoney("0.29", "元")).toBe(29);
    expect(parseMoney("1234.567", "元")).toBeUndefined();
    expect(parseMoney("1.2345678", "万元")).toBeUndefined();
    expect(parseMoney("-5", "元")).toBeUndefined();
    expect(parseMoney("abc", "元")).toBeUndefined();
    expect(formatMoney(20_000_000, "万元")).toBe("20");
    expect(formatMoney(12_345, "元")).toBe("123.45");
    expect(formatMoney(70_000, "万元")).toBe("0.07");
    expect(fenToYamlYuan(parseMoney("0.29", "元") ?? 0)).toBe(0.29);
    expect(preferredUnit(20_000_000)).toBe("万元");
    expect(preferredUnit(123_45)).toBe("元");
  });

  it("reads and writes rates as exact percentages", () => {
    expect(ratePercent("15%")).toBe("15");
    expect(ratePercent(0.035)).toBe("3.5");
    expect(ratePercent(0.3)).toBe("30");
    expect(percentToRate("2.5")).toBe("2.5%");
    expect(percentToRate("150")).toBeUndefined();
  });
});

describe("measures.yaml edits", () => {
  it("changes only the edited measure's lines and keeps every other byte", () => {
    const text = measuresOf("wulong-2022-48");
    const before = readMeasures(text).measures;
    const out = editMeasure(text, 2, (m) => setField(m, ["title"], "新的标题"));
    const after = readMeasures(out).measures;
    expect(after[2]?.title).toBe("新的标题");
    expect(after.map((m) => m.id)).toEqual(before.map((m) => m.id));
    const a = text.split("\n");
    const b = out.split("\n");
    expect(b.length).toBe(a.length);
    expect(b.filter((l, i) => l !== a[i])).toEqual(["    title: 新的标题"]);
    // The file's comments stay.
    expect(out).toContain("# ───────────── （一）把握工作方向");
  });

  it("rewrites only the changed field of a measure, for every measure of a document", () => {
    const text = measuresOf("cq-jxw-2022-6");
    const before = readMeasures(text).measures;
    for (let i = 0; i < before.length; i++) {
      expect(editMeasure(text, i, () => {})).toBe(text);
      const out = editMeasure(text, i, (m) => setField(m, ["title"], "新的标题"));
      const a = text.split("\n");
      const b = out.split("\n");
      expect(b.length).toBe(a.length);
      expect(b.filter((l, j) => l !== a[j])).toHaveLength(1);
      const added = readMeasures(
        editMeasure(text, i, (m) => setField(m, ["validFrom"], "2022-01-01")),
      ).measures;
      expect(added[i]).toEqual({ ...before[i], validFrom: "2022-01-01" });
    }
  });

  it("removes a field set to empty", () => {
    const text = measuresOf("banan-2022-63");
    const out = editMeasure(text, 0, (m) => setField(m, ["validUntil"], ""));
    expect(readMeasures(out).measures[0]?.validUntil).toBeUndefined();
    expect(readMeasures(out).measures[1]?.validUntil).toBe(readMeasures(text).measures[1]?.validUntil);
  });

  it("says when measures.yaml does not parse", () => {
    expect(readMeasures("measures:\n  - id: [").ok).toBe(false);
  });
});

describe("amount shapes", () => {
  it("recognises the shapes the form edits and leaves the rest to expert mode", () => {
    expect(shapeOf(200000)).toBe("fixed");
    expect(shapeOf({ fixed: 200000, label: "奖励" })).toBe("fixed");
    expect(shapeOf({ upTo: 500000 })).toBe("upTo");
    expect(shapeOf({ rate: "15%", base: "investment", cap: 1000000 })).toBe("rate");
    expect(shapeOf({ perUnit: 1000, count: "employees" })).toBe("perUnit");
    expect(shapeOf({ topUp: 50000, received: "awardsReceivedTotal" })).toBe("topUp");
    expect(
      shapeOf({
        tiers: {
          value: "revenue",
          steps: [
            { atLeast: 0, amount: 1 },
            { atLeast: 10, amount: 2 },
          ],
        },
      }),
    ).toBe("tiers");
    expect(shapeOf({ max: [1, 2] })).toBe("complex");
    expect(shapeOf({ rate: "15%", base: "x", floor: 1 })).toBe("complex");
    expect(amountText({ upTo: 500000 })).toBe("最高 50万元");
    expect(amountText({ rate: "15%", base: "x", cap: 10000000 })).toBe("按 15%，最高 1000万元");
    // A cap is its own node for the engine: read nested, written nested.
    expect(shapeOf({ cap: 1000000, amount: { rate: "15%", base: "investment" } })).toBe("rate");
    expect(amountText({ cap: 500000, amount: { rate: "5%", base: "rdExpense[2025]" } })).toBe(
      "按 5%，最高 50万元",
    );
    expect(joinCap({ rate: "5%", base: "x", cap: 500000, quote: "最高不超过50万元" })).toEqual({
      cap: 500000,
      amount: { rate: "5%", base: "x" },
      quote: "最高不超过50万元",
    });
    expect(joinCap({ rate: "5%", base: "x" })).toEqual({ rate: "5%", base: "x" });
    expect(splitCap({ cap: 500000, amount: { perUnit: 1000, count: "employees" } })).toEqual({
      perUnit: 1000,
      count: "employees",
      cap: 500000,
    });
  });
});

describe("conditions from the vocabulary", () => {
  it("writes an expression and a Chinese label for each kind of fact", () => {
    const row = { op: null, text: "", unit: "万元" as const, values: [] };
    expect(
      comparison({ type: "boolean", label: "制造业企业" }, "manufacturing", "制造业企业", {
        ...row,
        op: "yes",
      }),
    ).toEqual({
      expr: "manufacturing",
      label: "制造业企业",
    });
    expect(
      comparison({ type: "money", label: "营业收入" }, "revenue[2021]", "2021年营业收入", {
        ...row,
        op: ">=",
        text: "2000",
      }),
    ).toEqual({ expr: "revenue[2021] >= 20000000", label: "2021年营业收入不低于2000万元" });
    expect(
      comparison(
        {
          type: "enum",
          label: "企业规模",
          values: [
            { value: "small", label: "小型" },
            { value: "micro", label: "微型" },
          ],
        },
        "size",
        "企业规模",
        { ...row, op: "in", values: ["small", "micro"] },
      ),
    ).toEqual({ expr: "oneOf(size, 'small', 'micro')", label: "企业规模为小型、微型" });
    expect(
      comparison({ type: "ratio", label: "研发投入强度" }, "rd", "研发投入强度", {
        ...row,
        op: ">",
        text: "3",
      }),
    ).toEqual({
      expr: "rd > 0.03",
      label: "研发投入强度高于3%",
    });
    expect(
      comparison({ type: "year", label: "成立年份" }, "item.year", "成立年份", {
        ...row,
        op: ">=",
        text: "2021",
      }),
    ).toEqual({ expr: "item.year >= 2021", label: "成立年份在2021年或之后" });
    expect(comparison({ type: "money", label: "x" }, "x", "x", { ...row, op: ">=", text: "1.5.0" })).toEqual({
      error: "金额应为数字，至多六位小数",
    });
  });
});

describe("the document's own facts", () => {
  it("adds a fact with label, question, type, unit and period, validated", () => {
    const f = { label: "", question: "贵企业是否……", type: "integer" as const, unit: "", perYear: true };
    expect(validateFact(f, new Set())).toEqual({
      label: "请填写标签（企业和审核人看到的名称）",
      question: "问题应以问号结尾",
      unit: "数值类事实请填写单位，如 人、个、%",
    });
    expect(
      validateFact({ ...f, label: "工业企业", question: "是吗？", unit: "个" }, new Set(["工业企业"])),
    ).toEqual({
      label: "已有同名的事实，请直接选用或换一个标签",
    });
    const id = newFactId("banan-2022-63", new Set(["dbanan202263F1"]));
    expect(id).toBe("dbanan202263F2");
    const text =
      "# 本文件的事实\nfacts:\n  - id: a\n    type: boolean\n    label: 甲\n    question: 甲吗？\n";
    const out = addFact(text, {
      id,
      type: "integer",
      label: "乙",
      question: "乙多少？",
      unit: "个",
      perYear: true,
    });
    expect(out.startsWith(text)).toBe(true);
    expect(readFacts(out)[1]).toEqual({
      id,
      type: "integer",
      label: "乙",
      question: "乙多少？",
      unit: "个",
      perYear: true,
    });
    expect(
      readFacts(addFact(undefined, { id: "x", type: "boolean", label: "丙", question: "丙吗？" })),
    ).toHaveLength(1);
  });
});

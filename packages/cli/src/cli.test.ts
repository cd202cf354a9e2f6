import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bin = join(root, "packages/cli/bin/huiqi.js");
const example = join(root, "examples/banan-manufacturer.json");

function huiqi(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tempProfile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "huiqi-"));
  const file = join(dir, "p.json");
  writeFileSync(file, content);
  return file;
}

describe("huiqi match", () => {
  it("prints a Chinese table with amounts, deadlines, departments and hotlines", () => {
    const r = huiqi("match", "--profile", example, "--as-of", "2022-11-01");
    expect(r.code).toBe(0);
    expect(r.out).toContain("重庆巴渝精工机械有限公司");
    expect(r.out).toMatch(/banan-2022-63\/1[\s\S]*✔ 符合[\s\S]*20万元/);
    expect(r.out).toContain("区经济信息委");
    expect(r.out).toContain("66238039");
    expect(r.out).toContain("回答这些问题");
  });

  it("--json carries outcome, amount, missing facts, explanation with quotes, stacking and the rules version", () => {
    const r = huiqi("match", "--profile", example, "--as-of", "2022-11-01", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.rulesVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(Array.isArray(j.stacking)).toBe(true);
    const m1 = j.results.find((x: { measureId: string }) => x.measureId === "banan-2022-63/1");
    expect(m1).toMatchObject({ outcome: "eligible", amount: { min: 20000000, max: 20000000 }, missing: [] });
    // The requirement with its quoted words, wherever the rule nests it.
    type Node = { quote?: string; result: unknown; children?: Node[] };
    const find = (n: Node): Node | undefined =>
      n.quote === "2021年首次由规模以下升为规模以上" ? n : (n.children ?? []).map(find).find(Boolean);
    expect(find(m1.explanation.eligibility)).toMatchObject({ result: true });
    expect(j.questions.length).toBeGreaterThan(0);
  });
});

describe("huiqi explain", () => {
  it("shows each condition with its actual value, the requirement and the quoted clause", () => {
    const r = huiqi("explain", "banan-2022-63/3", "--profile", example, "--as-of", "2022-11-01");
    expect(r.code).toBe(0);
    expect(r.out).toContain("巴南府办发〔2022〕63号");
    expect(r.out).toContain("实际：2021年研发费用（申报额）为136万元");
    expect(r.out).toContain("即：2021年研发费用（申报额）不高于1,000万元");
    expect(r.out).toContain(
      "计算：2021年研发费用（申报额）与2020年研发费用（申报额）中较低者 = 98万元；98万元 × 3% = 2.94万元",
    );
    expect(r.out).not.toMatch(/rdExpense|第\s*第/);
    expect(r.out).toContain("口径说明");
  });

  it("names an unknown measure", () => {
    const r = huiqi("explain", "banan-2022-63/99", "--profile", example);
    expect(r.code).toBe(2);
    expect(r.err).toContain("措施编号「banan-2022-63/99」不存在");
  });
});

describe("bad input: a clear message naming the field, exit code 2, no stack trace", () => {
  const cases: [string, string, RegExp][] = [
    ["malformed JSON", "{ regionCode: ", /不是有效的 JSON/],
    [
      "wrong type",
      JSON.stringify({ revenue: { "2021": "三千万" } }),
      /revenue\.2021（2021年营业收入）：应为数字/,
    ],
    [
      "bad USCC check character",
      JSON.stringify({ uscc: "91500113MA5U7K3X2Y" }),
      /uscc（统一社会信用代码）：校验码错误/,
    ],
    [
      "impossible date",
      JSON.stringify({ certifications: [{ kind: "srdi", level: "municipal", date: "2022-02-30" }] }),
      /certifications\[0\]\.date.*不是有效日期/,
    ],
    ["negative amount", JSON.stringify({ rdExpense: { "2021": -1 } }), /rdExpense\.2021.*金额不能为负数/],
  ];
  for (const [name, content, pattern] of cases) {
    it(name, () => {
      const r = huiqi("match", "--profile", tempProfile(content), "--as-of", "2022-11-01");
      expect(r.code).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }
  it("impossible --as-of date", () => {
    const r = huiqi("match", "--profile", example, "--as-of", "2022-13-01");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--as-of");
  });
});

describe("huiqi policies and schema", () => {
  it("lists documents and one document's measures", () => {
    expect(huiqi("policies").out).toContain("巴南府办发〔2022〕63号");
    const r = huiqi("policies", "--document", "banan-2022-63");
    expect(r.out).toContain("实施制造业小微企业贴息补助");
  });

  it("prints coverage per document, as a table and as JSON", () => {
    const r = huiqi("policies", "coverage");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/banan-2022-63[\s\S]*7\/7/);
    const j = JSON.parse(huiqi("policies", "coverage", "--json").out);
    expect(j.map((c: { documentId: string }) => c.documentId)).toContain("kaizhou-2023-27");
    for (const c of j) expect(c.executable).toBe(c.monetary);
  });

  it("prints the profile JSON Schema, identical to the committed one", () => {
    const r = huiqi("schema", "profile");
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.out);
    expect(schema.properties.uscc.title).toBe("统一社会信用代码");
    const committed = JSON.parse(readFileSync(join(root, "packages/policies/profile.schema.json"), "utf8"));
    expect(schema).toEqual(committed);
  });
});

describe("terminal wrapping", async () => {
  const { wrap } = await import("./format.ts");
  it("keeps every character, counts CJK as two columns, keeps ASCII words whole", () => {
    const text = "推动消费品产业提质增效（新获批医药产品奖励）";
    const wrapped = wrap(text, 10);
    expect(wrapped.replace(/\n/g, "")).toBe(text);
    expect(wrapped.split("\n")[0]).toBe("推动消费品");
    expect(wrap("1:6 2.1:3 10.2:2", 8)).toBe("1:6\n2.1:3\n10.2:2");
  });
});

describe("huiqi policies export / import", () => {
  it("exports the five seeds byte for byte; re-importing changes nothing; a broken file is refused with nothing written", () => {
    const data = mkdtempSync(join(tmpdir(), "huiqi-data-"));
    const out = mkdtempSync(join(tmpdir(), "huiqi-export-"));
    const exported = huiqi("policies", "export", out, "--data-dir", data);
    expect(exported.code, exported.err).toBe(0);
    expect(exported.out).toContain("已导出 5 份政策文件");
    const docs = join(root, "packages/policies/documents");
    for (const file of [
      "banan-2022-63/measures.yaml",
      "yubei-2021-13/cases.yaml",
      "wulong-2022-48/source.txt",
    ])
      expect(readFileSync(join(out, file), "utf8")).toBe(readFileSync(join(docs, file), "utf8"));
    const again = huiqi("policies", "import", out, "--data-dir", data);
    expect(again.code).toBe(0);
    expect(again.out.match(/与现行版本相同，未改动/g)).toHaveLength(5);
    writeFileSync(join(out, "kaizhou-2023-27/measures.yaml"), "measures: [");
    const broken = huiqi("policies", "import", out, "--data-dir", data);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain("导入失败，数据库未改动");
    expect(broken.err).toContain("kaizhou-2023-27/measures.yaml");
  }, 120_000);
});

import { readDocumentSources } from "@huiqi/policies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { splitWhere, unknownFact } from "./check.ts";

const DOC = "banan-2022-63";
const URL = `/api/policy-documents/${DOC}/check`;

interface CheckBody {
  compiled: boolean;
  errors: {
    file: string;
    line: number | null;
    measureId: string | null;
    fact: string | null;
    message: string;
  }[];
  cases: { name: string; measure: string | null; measureTitle: string | null; passed: boolean }[];
  passing: number;
  short: { measureId: string; title: string; passing: number }[];
}

const seedFiles = () => {
  const s = readDocumentSources().find((x) => x.id === DOC);
  if (!s) throw new Error("seed missing");
  return s.files;
};

/** The 1-based line of the first line containing `needle`. */
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("compile paths", () => {
  it("splits a compile error's where into the measure and the path", () => {
    expect(splitWhere("banan-2022-63/3.eligibility.all[0]")).toEqual({
      measureId: "banan-2022-63/3",
      path: ["eligibility", "all", 0],
    });
    expect(splitWhere("yubei-2021-13/9.1.amount.tiers[2]")).toEqual({
      measureId: "yubei-2021-13/9.1",
      path: ["amount", "tiers", 2],
    });
    expect(splitWhere("vocabulary")).toBeNull();
    expect(unknownFact("表达式「foo > 1」引用了未定义的事实「foo」")).toBe("foo");
  });
});

for (const kind of testDatabaseKinds()) {
  describe(`editor check (${kind})`, () => {
    let p: TestPlatform;
    let admin: Client;
    let enterprise: Client;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await seedDemo(p.ctx);
      admin = await new Client(p.app).login("policy-admin", DEMO_PASSWORD);
      enterprise = await new Client(p.app).login("qiye-banan-manufacturer", DEMO_PASSWORD);
    });
    afterAll(async () => {
      await p?.close();
    });

    const check = async (files: Record<string, string>) => {
      const r = await admin.post(URL, { files });
      expect(r.statusCode).toBe(200);
      return r.json() as CheckBody;
    };

    it("reports a good document as compiling, with every case passing and its measure's title", async () => {
      const r = await check(seedFiles());
      expect(r.compiled).toBe(true);
      expect(r.errors).toEqual([]);
      expect(r.cases.length).toBeGreaterThan(5);
      expect(r.passing).toBe(r.cases.length);
      expect(r.short).toEqual([]);
      const first = r.cases.find((c) => c.name === "2021年首次升规的巴南工业企业获20万元");
      expect(first).toMatchObject({ passed: true, measure: `${DOC}/1` });
      expect(first?.measureTitle).toBeTruthy();
    });

    it("names an unknown fact in an eligibility expression and its line, and saves nothing", async () => {
      const files = seedFiles();
      const measures = (files["measures.yaml"] ?? "").replace(
        "- expr: aboveScaleFirstYear == 2021",
        "- expr: aboveScaleFrstYear == 2021",
      );
      expect(measures).not.toBe(files["measures.yaml"]);
      const r = await check({ ...files, "measures.yaml": measures });
      expect(r.compiled).toBe(false);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({
        file: "measures.yaml",
        line: lineOf(measures, "aboveScaleFrstYear"),
        measureId: `${DOC}/1`,
        fact: "aboveScaleFrstYear",
      });
      expect(r.errors[0]?.message).toContain("未定义的事实「aboveScaleFrstYear」");
      const list = (await admin.get("/api/policy-documents")).json() as {
        items: { documentId: string; revisions: unknown[] }[];
      };
      expect(list.items.find((d) => d.documentId === DOC)?.revisions).toHaveLength(1);
    });

    it("names an unknown fact inside an amount and its line", async () => {
      const files = seedFiles();
      const measures = (files["measures.yaml"] ?? "").replace(
        "base: max(rdExpense[2021] - rdExpense[2020], 0)",
        "base: max(rdExpence[2021] - rdExpense[2020], 0)",
      );
      const r = await check({ ...files, "measures.yaml": measures });
      expect(r.errors[0]).toMatchObject({
        file: "measures.yaml",
        line: lineOf(measures, "rdExpence"),
        measureId: `${DOC}/3`,
        fact: "rdExpence",
      });
    });

    it("names the line of a YAML syntax error", async () => {
      const files = seedFiles();
      const lines = (files["measures.yaml"] ?? "").split("\n");
      lines.splice(9, 0, "    title: [未闭合");
      const r = await check({ ...files, "measures.yaml": lines.join("\n") });
      expect(r.compiled).toBe(false);
      expect(r.errors[0]?.file).toBe("measures.yaml");
      expect(r.errors[0]?.line).toBeGreaterThanOrEqual(10);
      expect(r.errors[0]?.line).toBeLessThanOrEqual(11);
      expect(r.errors[0]?.message).toContain("YAML");
    });

    it("locates a schema error at its field", async () => {
      const files = seedFiles();
      const measures = (files["measures.yaml"] ?? "").replace("benefitType: award", "benefitType: prize");
      const r = await check({ ...files, "measures.yaml": measures });
      expect(r.compiled).toBe(false);
      expect(r.errors[0]).toMatchObject({
        file: "measures.yaml",
        line: lineOf(measures, "benefitType: prize"),
      });
      expect(r.errors[0]?.message).toContain("benefitType");
    });

    it("answers 200 with an error for files of the wrong shape, never a server error", async () => {
      const r = await check({ ...seedFiles(), "measures.yaml": "measures: 5\n", "facts.yaml": "- a\n" });
      expect(r.compiled).toBe(false);
      expect(r.errors.map((e) => e.message)).toEqual([
        "措施文件应是 measures: 下的措施列表",
        "事实文件应是 facts: 下的事实列表",
      ]);
    });

    it("refuses an enterprise and a malformed body", async () => {
      expect((await enterprise.post(URL, { files: seedFiles() })).statusCode).toBe(403);
      expect((await admin.post(URL, { files: { "a.txt": "x" } })).statusCode).toBe(400);
    });
  });
}

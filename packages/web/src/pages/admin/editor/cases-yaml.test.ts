import { readFileSync } from "node:fs";
import { casesFileSchema } from "@huiqi/policies";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type CaseForm, caseProblems, deleteCase, emptyCase, readCases, saveCase } from "./cases-yaml";

const SEED = readFileSync(
  new URL("../../../../../policies/documents/banan-2022-63/cases.yaml", import.meta.url),
  "utf8",
);
const perYear = (id: string) => id === "rdExpense";

const form = (over: Partial<CaseForm>): CaseForm => ({
  ...emptyCase("banan-2022-63/1", "2022-11-01"),
  name: "新用例",
  facts: [
    { key: "regionCode", value: "500113" },
    { key: "aboveScaleFirstYear", value: 2021 },
    { key: "rdExpense:2021", value: 1234.5 },
    { key: "certifications", value: [{ kind: "greenFactory", level: "municipal", date: "2022-03-01" }] },
  ],
  ...over,
});

describe("cases.yaml editing", () => {
  it("appends a case that the policy schema accepts, money written exactly, and keeps comments and other cases", () => {
    const text = saveCase(SEED, null, form({ exact: "200000.1" }));
    expect(text.startsWith(SEED.split("\n")[0] ?? "")).toBe(true);
    expect(text).toContain("# Cases read from the text by hand.");
    const cases = casesFileSchema.parse(parse(text)).cases;
    const before = casesFileSchema.parse(parse(SEED)).cases;
    expect(cases.slice(0, -1)).toEqual(before);
    expect(cases.at(-1)).toMatchObject({
      name: "新用例",
      measure: "banan-2022-63/1",
      asOf: "2022-11-01",
      profile: { regionCode: "500113", aboveScaleFirstYear: 2021, rdExpense: { 2021: 1234.5 } },
      expect: { outcome: "eligible", amount: 200000.1 },
    });
    expect(text).toContain("amount: 200000.1");
    expect(text).toContain('regionCode: "500113"');
  });

  it("writes a range with an open maximum, edits a case in place and deletes one", () => {
    const added = saveCase(SEED, null, form({ amountMode: "range", min: "100000", max: "" }));
    const rows = readCases(added, perYear).cases;
    const last = rows.at(-1);
    expect(last?.form).toMatchObject({ amountMode: "range", min: "100000", max: "" });
    expect(last?.form.facts).toContainEqual({ key: "rdExpense:2021", value: 1234.5 });
    const edited = saveCase(added, 0, { ...(rows[0] as { form: CaseForm }).form, exact: "250000" });
    const parsed = casesFileSchema.parse(parse(edited)).cases;
    expect(parsed[0]?.expect?.amount).toBe(250000);
    expect(parsed[1]).toEqual(casesFileSchema.parse(parse(SEED)).cases[1]);
    const removed = casesFileSchema.parse(parse(deleteCase(edited, 0))).cases;
    expect(removed.length).toBe(parsed.length - 1);
    expect(removed[0]?.name).toBe(parsed[1]?.name);
  });

  it("starts a cases.yaml when there is none", () => {
    const text = saveCase(undefined, null, form({ exact: "1" }));
    expect(casesFileSchema.parse(parse(text)).cases).toHaveLength(1);
  });

  it("names the wrong fields in Chinese", () => {
    const p = caseProblems(form({ name: "", amountMode: "range", min: "10.001", max: "5" }), []);
    expect(p).toMatchObject({ name: "请填写用例名称" });
    expect(p.min).toContain("两位小数");
    expect(caseProblems(form({ amountMode: "range", min: "10", max: "5" }), []).max).toBe(
      "最高金额不能低于最低金额",
    );
    expect(caseProblems(form({ exact: "20" }), ["新用例"]).name).toContain("同名");
  });
});

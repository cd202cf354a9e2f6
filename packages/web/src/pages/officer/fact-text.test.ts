import { factKeyType, makeGlossary } from "@huiqi/engine";
import { loadPolicyLibrary } from "@huiqi/policies";
import { describe, expect, it } from "vitest";
import { factRowLabel, recordWords, storedKey, valueWords } from "./fact-text.ts";

const g = makeGlossary(loadPolicyLibrary().rules);

describe("the review page's fact wording", () => {
  it("labels facts in Chinese with their unit, per-year facts with their year", () => {
    expect(factRowLabel("employees", g)).toBe("从业人员数（人）");
    expect(factRowLabel("revenue:2025", g)).toBe("2025年营业收入（元）");
    expect(factRowLabel("projects", g)).toBe("投资项目");
  });

  it("shows money as exact 元 with two decimals, counts with their unit", () => {
    expect(valueWords(32_600_000.5, factKeyType("revenue:2025", g), g)).toBe("32,600,000.50元");
    expect(valueWords(186, factKeyType("employees", g), g)).toBe("186人");
    expect(valueWords(undefined, factKeyType("employees", g), g)).toBe("未知");
  });

  it("names a list record by its Chinese field labels, never by its raw ids", () => {
    const ty = factKeyType("projects", g);
    if (ty.k !== "list") throw new Error("projects 应为列表事实");
    const r = recordWords(
      ty,
      { kind: "techRenovation", name: "冲压线扩能", investment: 42_000_000, progress: 1 },
      0,
      g,
    );
    expect(r.name).toBe("冲压线扩能");
    expect(r.fields).toEqual([
      "项目类型：一般技术改造、扩能项目",
      "项目名称：冲压线扩能",
      "项目总投资：42,000,000.00元",
      expect.stringMatching(/^投资进度：100%$/),
    ]);
    expect(r.fields.join("")).not.toMatch(/techRenovation|kind|investment/);
  });

  it("names a received award's measure by document and clause, not by its id", () => {
    const ty = factKeyType("awardsReceived", g);
    if (ty.k !== "list") throw new Error("awardsReceived 应为列表事实");
    const r = recordWords(ty, { measureId: "yubei-2021-13/9.1", year: 2021, amount: 2_700_000 }, 0, g);
    expect(r.fields[0]).toBe("措施：《渝北府发〔2021〕13号》第9条（第1项）");
    expect(r.fields.join("")).not.toContain("yubei-2021-13");
  });

  it("verifies the stored row behind a key: the fact and its year, or a record's whole list", () => {
    expect(storedKey("revenue:2025")).toEqual({ factId: "revenue", period: "2025" });
    expect(storedKey("employees")).toEqual({ factId: "employees", period: "" });
    expect(storedKey("projects[冲压线扩能].progress")).toEqual({ factId: "projects", period: "" });
  });
});

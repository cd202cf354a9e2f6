import { synonymGroups } from "@huiqi/policies";
import { describe, expect, it } from "vitest";
import { conceptsQuery, highlightTokens, partialNotice, queryConcepts } from "./search.ts";

describe("search synonyms", () => {
  it("loads the synonym groups, each term in one group", () => {
    const groups = synonymGroups();
    expect(groups.length).toBeGreaterThan(5);
    const rd = groups.find((g) => g.terms.includes("研发补贴"));
    expect(rd?.terms).toEqual(expect.arrayContaining(["研发投入补贴", "研发费用后补助", "研发费用"]));
  });

  it("splits a query into concepts: group phrases (longest first) and plain words", () => {
    const c = queryConcepts("研发费用后补助 火星");
    expect(c.map((x) => [x.text, x.group])).toEqual([
      ["研发费用后补助", "研发投入补助"],
      ["火星", null],
    ]);
    expect(queryConcepts("技改贴息").map((x) => x.group)).toEqual(["技术改造", "贷款贴息"]);
    expect(queryConcepts("研发补贴 研发奖励")).toHaveLength(1);
    const q = conceptsQuery(queryConcepts("技改 火星"), "all");
    expect(q).toContain("'技改'");
    expect(q).toContain("'技术改造'");
    expect(q).toContain(" & (('火星'))");
    expect(conceptsQuery(queryConcepts("技改 火星"), "any")).toContain(" | (('火星'))");
  });

  it("highlights every synonym of a concept and words the query left", () => {
    const t = highlightTokens(queryConcepts("研发补贴"));
    expect(t).toEqual(expect.arrayContaining(["研发补贴", "研发投入补贴", "研发费用后补助", "研发"]));
    expect(t).not.toContain("后");
    expect(partialNotice("a b")).toBe("没有完全匹配「a b」的措施，以下为部分匹配的结果");
  });
});

import { describe, expect, it } from "vitest";
import { applyPatch, factsForProfile } from "./answers.ts";

describe("anonymous calculator answers", () => {
  it("applies a facts patch as the profile update does: years merge, null clears", () => {
    const a = applyPatch(
      { regionCode: "500154", rdExpense: { "2024": 1 } },
      { rdExpense: { "2025": 2 }, employees: 9 },
    );
    expect(a).toEqual({ regionCode: "500154", rdExpense: { "2024": 1, "2025": 2 }, employees: 9 });
    expect(applyPatch(a, { rdExpense: { "2024": null, "2025": null }, employees: null })).toEqual({
      regionCode: "500154",
    });
    // A list (暂无 = []) replaces, and stays a known "none".
    expect(applyPatch({ projects: [{ name: "一期" }] }, { projects: [] })).toEqual({ projects: [] });
  });

  it("leaves the registration form's own facts and identity out of what goes into the new profile", () => {
    const answers = { regionCode: "500154", industryCode: "C3490", employees: 85, uscc: "x", name: "y" };
    expect(factsForProfile(answers, "C3490")).toEqual({ employees: 85 });
    expect(factsForProfile(answers, undefined)).toEqual({ industryCode: "C3490", employees: 85 });
  });
});

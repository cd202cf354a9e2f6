import { usccCheckChar } from "@huiqi/engine";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { TEST_PASSWORD } from "../enterprises/test-fixtures.ts";
import { passwordProblem, verifyLogin } from "./passwords.ts";

// The browser test's registration (packages/web/e2e/flow.test.ts).
const USCC = `91500154MA6E2E001${usccCheckChar("91500154MA6E2E001")}`;

describe("password rules", () => {
  it("accepts the demo password, the browser test's and the API tests' passwords", () => {
    expect(passwordProblem(DEMO_PASSWORD, { username: "banan-coordinator" })).toBeNull();
    expect(passwordProblem(DEMO_PASSWORD, { username: "qiye-banan-manufacturer" })).toBeNull();
    expect(
      passwordProblem("hanfeng-2026", {
        username: "hanfeng-zhineng",
        uscc: USCC,
        name: "重庆汉丰湖智能装备有限公司",
      }),
    ).toBeNull();
    expect(passwordProblem(TEST_PASSWORD, { username: "bayu" })).toBeNull();
    expect(passwordProblem("staff-password-1", { username: "finance-1" })).toBeNull();
  });

  it("refuses common and guessable passwords, with the reason in Chinese", () => {
    for (const pw of [
      "password123",
      "12345678",
      "qwertyuiop",
      "Passw0rd!",
      "woaini1314",
      "aaaaaaaaaaaa",
      "chongqing2026",
    ])
      expect(passwordProblem(pw, { username: "someone" }), pw).toMatch(/^强度不足：.*容易被猜到/);
    expect(passwordProblem("password123", { username: "someone" })).toContain("是常见密码");
  });

  it("refuses the username, a password containing it, and one containing the credit code", () => {
    expect(passwordProblem("Hanfeng-Zhineng", { username: "hanfeng-zhineng" })).toBe("不能与用户名相同");
    expect(passwordProblem("hanfeng-zhineng-2026!", { username: "hanfeng-zhineng" })).toBe("不能包含用户名");
    expect(passwordProblem(`x-${USCC.toLowerCase()}`, { username: "someone", uscc: USCC })).toBe(
      "不能包含统一社会信用代码",
    );
    // The username and company name are known inputs: a password built from them is weak.
    expect(passwordProblem("hanfeng2026", { username: "hanfeng" })).not.toBeNull();
  });

  it("an unknown account is checked against a dummy hash and never matches", async () => {
    expect(await verifyLogin(undefined, DEMO_PASSWORD)).toBe(false);
    expect(await verifyLogin(undefined, "")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import {
  ACCOUNT_FORGET_MS,
  accountDelayMs,
  type Blocked,
  IP_MAX_FAILURES,
  IP_WINDOW_MS,
  isBlocked,
  LoginThrottle,
} from "./login-throttle.ts";

function clock(start = Date.parse("2026-03-02T02:00:00Z")) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe("login throttle", () => {
  it("backs off exponentially per account from the 5th consecutive failure, up to 15 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20].map((n) => accountDelayMs(n) / 1000)).toEqual([
      0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900,
    ]);
  });

  it("refuses the 6th attempt for 30 s, then lets it through; a success clears the count", () => {
    const c = clock();
    const t = new LoginThrottle(c.now);
    for (let i = 0; i < 5; i++) expect(isBlocked(t.begin(`10.0.0.${i}`, "bayu"))).toBe(false);
    const blocked = t.begin("10.0.0.9", "bayu") as Blocked;
    expect(blocked).toEqual({ scope: "account", retryAfterSeconds: 30 });
    // Another username is not affected.
    expect(isBlocked(t.begin("10.0.0.9", "other"))).toBe(false);
    c.advance(29_000);
    expect(t.begin("10.0.0.9", "bayu")).toMatchObject({ scope: "account", retryAfterSeconds: 1 });
    c.advance(1_000);
    const sixth = t.begin("10.0.0.9", "bayu");
    expect(isBlocked(sixth)).toBe(false);
    expect(t.begin("10.0.0.9", "bayu")).toMatchObject({ scope: "account", retryAfterSeconds: 60 });
    c.advance(60_000);
    const ok = t.begin("10.0.0.9", "bayu");
    if (isBlocked(ok)) throw new Error("should pass");
    t.succeeded(ok);
    for (let i = 0; i < 5; i++) expect(isBlocked(t.begin("10.0.0.9", "bayu"))).toBe(false);
  });

  it("forgets an account's failures after a day without one", () => {
    const c = clock();
    const t = new LoginThrottle(c.now);
    for (let i = 0; i < 5; i++) t.begin(`10.0.1.${i}`, "bayu");
    expect(isBlocked(t.begin("10.0.1.9", "bayu"))).toBe(true);
    c.advance(ACCOUNT_FORGET_MS + 1);
    for (let i = 0; i < 5; i++) expect(isBlocked(t.begin(`10.0.2.${i}`, "bayu"))).toBe(false);
  });

  it("limits failures per address over a rolling window; successes are given back", () => {
    const c = clock();
    const t = new LoginThrottle(c.now);
    for (let i = 0; i < 50; i++) {
      const a = t.begin("192.0.2.1", `user-${i % 3}`);
      if (isBlocked(a)) throw new Error(`attempt ${i} blocked`);
      t.succeeded(a);
    }
    for (let i = 0; i < IP_MAX_FAILURES; i++) {
      expect(isBlocked(t.begin("192.0.2.1", `spray-${i}`))).toBe(false);
      c.advance(1_000);
    }
    const blocked = t.begin("192.0.2.1", "fresh-name") as Blocked;
    expect(blocked.scope).toBe("ip");
    expect(blocked.retryAfterSeconds).toBe((IP_WINDOW_MS - IP_MAX_FAILURES * 1_000) / 1000);
    expect(isBlocked(t.begin("192.0.2.2", "fresh-name"))).toBe(false);
    c.advance(blocked.retryAfterSeconds * 1000);
    expect(isBlocked(t.begin("192.0.2.1", "fresh-name"))).toBe(false);
  });
});

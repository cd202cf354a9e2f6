import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

describe("configuration", () => {
  it("defaults: no proxy trusted, session cookie without the secure flag (plain HTTP on 127.0.0.1)", () => {
    const c = loadConfig({});
    expect(c.trustProxy).toBe(false);
    expect(c.cookieSecure).toBe(false);
  });

  it("reads HUIQI_TRUST_PROXY as true/false, a hop count or proxy addresses", () => {
    expect(loadConfig({ HUIQI_TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(loadConfig({ HUIQI_TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(loadConfig({ HUIQI_TRUST_PROXY: "10.0.0.1, 172.16.0.0/12" }).trustProxy).toBe(
      "10.0.0.1, 172.16.0.0/12",
    );
    const hops = loadConfig({ HUIQI_TRUST_PROXY: "1" }).trustProxy as (a: string, i: number) => boolean;
    expect([hops("10.0.0.1", 0), hops("10.0.0.2", 1)]).toEqual([true, false]);
    expect(() => loadConfig({ HUIQI_TRUST_PROXY: "maybe" })).toThrow(/HUIQI_TRUST_PROXY/);
  });

  it("reads HUIQI_COOKIE_SECURE", () => {
    expect(loadConfig({ HUIQI_COOKIE_SECURE: "true" }).cookieSecure).toBe(true);
    expect(loadConfig({ HUIQI_COOKIE_SECURE: "0" }).cookieSecure).toBe(false);
    expect(() => loadConfig({ HUIQI_COOKIE_SECURE: "sometimes" })).toThrow(/HUIQI_COOKIE_SECURE/);
  });

  it("reads HUIQI_RATE_LIMIT_ALLOW: no address is exempt from rate limits by default", () => {
    expect(loadConfig({}).rateLimitAllowList).toEqual([]);
    expect(loadConfig({ HUIQI_RATE_LIMIT_ALLOW: "127.0.0.1, ::1" }).rateLimitAllowList).toEqual([
      "127.0.0.1",
      "::1",
    ]);
  });
});

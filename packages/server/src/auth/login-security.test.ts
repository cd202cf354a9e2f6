/**
 * Login and session security over HTTP: password rules at registration, per-account back-off and the
 * per-address limit (successes not counted), no timing difference between unknown and known usernames,
 * session expiry and purge on the platform clock, 退出所有设备, trusted proxies, the cookie's secure flag
 * and the security headers.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { createStaff, makeUscc, TEST_PASSWORD } from "../enterprises/test-fixtures.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { SESSION_HOURS } from "./sessions.ts";

const HOUR = 3600_000;
let ipSerial = 1;
/** A fresh client address per scenario, so the per-address limit of one does not spill into another. */
const nextIp = () => `198.51.100.${ipSerial++}`;

async function login(
  app: FastifyInstance,
  username: string,
  password: string,
  remoteAddress: string,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username, password },
    remoteAddress,
    headers,
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

for (const kind of testDatabaseKinds()) {
  describe(`login and session security (${kind})`, () => {
    let p: TestPlatform;
    let start: Date;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      start = new Date("2026-03-02T02:00:00Z");
      p.setNow(start);
      await createStaff(p.ctx, { username: "sec-coordinator", role: "coordinator", regionCode: "500113" });
      await createStaff(p.ctx, { username: "sec-other", role: "coordinator", regionCode: "500113" });
    }, 60_000);
    afterAll(async () => p?.close());

    it("registration refuses a weak password, or one containing the username or credit code, naming 密码", async () => {
      const uscc = makeUscc("500113");
      const base = {
        uscc,
        name: "重庆巴渝精工机械有限公司",
        regionCode: "500113",
        username: "bayu-jinggong",
        displayName: "王会计",
      };
      const cases: [string, RegExp][] = [
        ["password123", /^密码强度不足：是常见密码/],
        ["bayu-jinggong-2026", /^密码不能包含用户名/],
        [`a-${uscc}`, /^密码不能包含统一社会信用代码/],
      ];
      for (const [password, message] of cases) {
        const r = await new Client(p.app).post("/api/auth/register", { ...base, password });
        expect(r.statusCode, password).toBe(400);
        expect(r.json().error.message).toMatch(message);
        expect(r.json().error.fields).toEqual([{ field: "password", message: r.json().error.message }]);
      }
      const ok = await new Client(p.app).post("/api/auth/register", { ...base, password: TEST_PASSWORD });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it("backs off per username after 5 failures (also for unknown usernames), even from other addresses", async () => {
      for (const username of ["sec-coordinator", "no-such-user"]) {
        for (let i = 0; i < 5; i++)
          expect((await login(p.app, username, "wrong-password", nextIp())).statusCode).toBe(401);
        const blocked = await login(p.app, username, TEST_PASSWORD, nextIp());
        expect(blocked.statusCode).toBe(429);
        expect(blocked.headers["retry-after"]).toBe("30");
        expect(blocked.json().error).toMatchObject({ code: "RATE_LIMITED" });
        expect(blocked.json().error.message).toMatch(/该用户名登录失败次数过多，请 30 秒后再试/);
      }
      // Another account is not affected.
      expect((await login(p.app, "sec-other", TEST_PASSWORD, nextIp())).statusCode).toBe(200);
      p.setNow(new Date(start.getTime() + 31_000));
      expect((await login(p.app, "sec-coordinator", TEST_PASSWORD, nextIp())).statusCode).toBe(200);
      // The success cleared the count: four more failures are free again.
      for (let i = 0; i < 4; i++)
        expect((await login(p.app, "sec-coordinator", "wrong-password", nextIp())).statusCode).toBe(401);
      expect((await login(p.app, "sec-coordinator", TEST_PASSWORD, nextIp())).statusCode).toBe(200);
      p.setNow(start);
    });

    it("limits failed logins per address; successful logins do not count", async () => {
      const ip = nextIp();
      for (let i = 0; i < 30; i++)
        expect((await login(p.app, "sec-other", TEST_PASSWORD, ip)).statusCode, `success ${i}`).toBe(200);
      for (let i = 0; i < 20; i++)
        expect((await login(p.app, `sprayed-${i}`, "wrong-password", ip)).statusCode, `failure ${i}`).toBe(
          401,
        );
      const blocked = await login(p.app, "sec-other", TEST_PASSWORD, ip);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.message).toMatch(/本网络地址登录失败次数过多，请 10 分钟后再试/);
      expect((await login(p.app, "sec-other", TEST_PASSWORD, nextIp())).statusCode).toBe(200);
    });

    it("trusts X-Forwarded-For only from configured proxies (HUIQI_TRUST_PROXY)", async () => {
      const proxy = nextIp();
      // Not trusted (the default): every forwarded address counts against the proxy's own address.
      for (let i = 0; i < 20; i++)
        await login(p.app, `xff-${i}`, "wrong-password", proxy, { "x-forwarded-for": `203.0.113.${i}` });
      expect(
        (await login(p.app, "sec-other", TEST_PASSWORD, proxy, { "x-forwarded-for": "203.0.113.99" }))
          .statusCode,
      ).toBe(429);
      // Trusted: the client behind the proxy is the address that counts.
      const behind = await buildApp({ ...p.ctx, config: { ...p.ctx.config, trustProxy: proxy } });
      try {
        for (let i = 0; i < 20; i++)
          await login(behind, `xff2-${i}`, "wrong-password", proxy, { "x-forwarded-for": "203.0.113.7" });
        const spray = await login(behind, "sec-other", TEST_PASSWORD, proxy, {
          "x-forwarded-for": "203.0.113.7",
        });
        expect(spray.statusCode).toBe(429);
        const other = await login(behind, "sec-other", TEST_PASSWORD, proxy, {
          "x-forwarded-for": "203.0.113.8",
        });
        expect(other.statusCode).toBe(200);
      } finally {
        await behind.close();
      }
    });

    it("answers an unknown username as slowly as a wrong password for a real one (dummy argon2 hash)", async () => {
      const t0 = start.getTime();
      const time = async (username: string, step: number) => {
        // Each known-user attempt is an hour later, past any back-off (at most 15 minutes).
        p.setNow(new Date(t0 + step * HOUR));
        const began = performance.now();
        const r = await login(p.app, username, "wrong-password", nextIp());
        const ms = performance.now() - began;
        expect(r.statusCode).toBe(401);
        return ms;
      };
      for (let i = 0; i < 3; i++) {
        await time(`warm-unknown-${i}`, i);
        await time("sec-other", i);
      }
      const unknown: number[] = [];
      const known: number[] = [];
      for (let i = 0; i < 20; i++) {
        unknown.push(await time(`nobody-${randomUUID().slice(0, 8)}`, 10 + i));
        known.push(await time("sec-other", 10 + i));
      }
      const ratio = median(unknown) / median(known);
      console.log(
        `[timing ${kind}] median unknown ${median(unknown).toFixed(1)} ms, known-user wrong password ${median(known).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`,
      );
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
      // A success clears the account's failures before the clock goes back.
      p.setNow(new Date(t0 + 40 * HOUR));
      expect((await login(p.app, "sec-other", TEST_PASSWORD, nextIp())).statusCode).toBe(200);
      p.setNow(start);
    }, 60_000);

    it("sessions expire after 12 hours and expired sessions are purged at the next sign-in", async () => {
      p.setNow(start);
      const old = new Client(p.app);
      await old.login("sec-coordinator", TEST_PASSWORD);
      const count = async () =>
        Number(
          (
            await p.ctx.db
              .selectFrom("sessions")
              .select((eb) => eb.fn.countAll<string>().as("n"))
              .where("expires_at", "<=", new Date(start.getTime() + SESSION_HOURS * HOUR))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count()).toBeGreaterThan(0);
      expect((await old.get("/api/auth/me")).statusCode).toBe(200);
      p.setNow(new Date(start.getTime() + SESSION_HOURS * HOUR - 60_000));
      expect((await old.get("/api/auth/me")).statusCode).toBe(200);
      p.setNow(new Date(start.getTime() + SESSION_HOURS * HOUR + 60_000));
      expect((await old.get("/api/auth/me")).statusCode).toBe(401);
      await new Client(p.app).login("sec-other", TEST_PASSWORD);
      expect(await count()).toBe(0);
      p.setNow(start);
    });

    it("退出所有设备 deletes every session of the account, and only of that account", async () => {
      const laptop = await new Client(p.app).login("sec-coordinator", TEST_PASSWORD);
      const phone = await new Client(p.app).login("sec-coordinator", TEST_PASSWORD);
      const colleague = await new Client(p.app).login("sec-other", TEST_PASSWORD);
      const noCsrf = await laptop.app.inject({
        method: "POST",
        url: "/api/auth/logout-all",
        headers: { cookie: laptop.cookie },
      });
      expect(noCsrf.statusCode).toBe(403);
      const r = await laptop.post("/api/auth/logout-all");
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().revoked).toBeGreaterThanOrEqual(2);
      expect(String(r.headers["set-cookie"])).toMatch(/huiqi_session=;/);
      expect((await phone.get("/api/auth/me")).statusCode).toBe(401);
      expect((await laptop.get("/api/auth/me")).statusCode).toBe(401);
      expect((await colleague.get("/api/auth/me")).statusCode).toBe(200);
      const audit = await p.ctx.db
        .selectFrom("audit_log")
        .select(["actor_id", "entity_id"])
        .where("action", "=", "account.logoutAll")
        .execute();
      expect(audit).toHaveLength(1);
      expect((await new Client(p.app).post("/api/auth/logout-all")).statusCode).toBe(401);
    });

    it("sends the security headers on the API and on /docs; the cookie is secure when configured", async () => {
      for (const url of ["/api/health", "/docs/", "/openapi.json"]) {
        const r = await p.app.inject({ method: "GET", url });
        const csp = String(r.headers["content-security-policy"]);
        expect(csp, url).toContain("script-src 'self'");
        expect(csp, url).toContain("style-src 'self' 'unsafe-inline'");
        expect(csp, url).toContain("frame-ancestors 'none'");
        expect(csp, url).not.toContain("upgrade-insecure-requests");
        expect(r.headers["referrer-policy"], url).toBe("no-referrer");
        expect(r.headers["x-frame-options"], url).toBe("DENY");
        expect(r.headers["x-content-type-options"], url).toBe("nosniff");
        expect(r.headers["strict-transport-security"], url).toBeUndefined();
      }
      const plain = await login(p.app, "sec-other", TEST_PASSWORD, nextIp());
      expect(String(plain.headers["set-cookie"])).not.toMatch(/Secure/);
      const https = await buildApp({ ...p.ctx, config: { ...p.ctx.config, cookieSecure: true } });
      try {
        const r = await login(https, "sec-other", TEST_PASSWORD, nextIp());
        expect(String(r.headers["set-cookie"])).toMatch(/; Secure/);
        expect(r.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
        expect(String(r.headers["content-security-policy"])).toContain("upgrade-insecure-requests");
      } finally {
        await https.close();
      }
    });
  });
}

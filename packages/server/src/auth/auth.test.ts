import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAudit } from "../audit/audit-log.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";

const registration = {
  uscc: "91500113MA5U7K3X2H",
  name: "重庆巴渝精工机械有限公司",
  regionCode: "500113",
  industryCode: "C3484",
  username: "bayu",
  password: "correct-horse-1",
  displayName: "王会计",
};

for (const kind of testDatabaseKinds()) {
  describe(`accounts and sessions (${kind})`, () => {
    let p: TestPlatform;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
    }, 60_000);
    afterAll(async () => p?.close());

    it("registers an enterprise by USCC, signs in with an httpOnly SameSite cookie and returns its permissions", async () => {
      const c = new Client(p.app);
      const r = await c.post("/api/auth/register", registration);
      expect(r.statusCode).toBe(201);
      expect(String(r.headers["set-cookie"])).toMatch(/HttpOnly/);
      expect(String(r.headers["set-cookie"])).toMatch(/SameSite=Strict/);
      const me = await c.get("/api/auth/me");
      expect(me.json()).toMatchObject({ actor: { role: "enterprise", username: "bayu" } });
      expect(me.json().permissions).toContain("application.create");
    });

    it("names the field when the USCC check character is wrong, and refuses a second registration", async () => {
      const c = new Client(p.app);
      const bad = await c.post("/api/auth/register", {
        ...registration,
        uscc: "91500113MA5U7K3X2Y",
        username: "x1y2z3",
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0]).toMatchObject({ field: "uscc" });
      expect(bad.json().error.message).toMatch(/校验码错误/);
      const dupe = await c.post("/api/auth/register", { ...registration, username: "other" });
      expect(dupe.statusCode).toBe(409);
      expect(dupe.json().error.fields[0].field).toBe("uscc");
    });

    it("rejects a wrong password and a write without the CSRF token", async () => {
      const wrong = await new Client(p.app).post("/api/auth/login", {
        username: "bayu",
        password: "nope-nope",
      });
      expect(wrong.statusCode).toBe(401);
      const c = await new Client(p.app).login("bayu", registration.password);
      c.csrf = "";
      const r = await c.post("/api/auth/logout");
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe("CSRF");
    });

    it("rate-limits repeated logins", async () => {
      const c = new Client(p.app);
      const codes: number[] = [];
      for (let i = 0; i < 12; i++)
        codes.push((await c.post("/api/auth/login", { username: "nobody", password: "x" })).statusCode);
      expect(codes).toContain(429);
    });

    it("audits the registration in a valid hash chain", async () => {
      expect(await verifyAudit(p.ctx.db)).toMatchObject({ ok: true });
    });

    it("serves the OpenAPI document and the /docs reference", async () => {
      const spec = await p.app.inject({ method: "GET", url: "/openapi.json" });
      expect(spec.json().paths["/api/auth/register"]).toBeDefined();
      const docs = await p.app.inject({ method: "GET", url: "/docs/" });
      expect(docs.statusCode).toBe(200);
    });
  });
}

describe("OpenAPI", () => {
  it("the generated document is valid OpenAPI 3 and lists every API route", async () => {
    const { default: SwaggerParser } = await import("@apidevtools/swagger-parser");
    const p = await startTestPlatform("pglite");
    try {
      const spec = (await p.app.inject({ method: "GET", url: "/openapi.json" })).json();
      await expect(SwaggerParser.validate(structuredClone(spec))).resolves.toBeDefined();
      const documented = new Set(
        Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
          Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
        ),
      );
      for (const r of p.app.routeTable)
        expect(documented, `${r.method} ${r.url}`).toContain(`${r.method} ${r.url}`);
    } finally {
      await p.close();
    }
  });
});

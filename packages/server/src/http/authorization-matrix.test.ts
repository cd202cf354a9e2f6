/**
 * The authorization matrix: every API route × every role (and no session), plus cross-tenant cases.
 * Routes declare their permission (config.action / signedIn); this test walks the live route table, so a
 * new route without a declaration, or a role that slips through, fails here.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouteEntry } from "../app.ts";
import type { Role } from "../db/schema.ts";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { ACTIONS } from "../permissions.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";

const PUBLIC = new Set([
  "GET /api/health",
  "GET /api/auth/session",
  "POST /api/auth/register",
  "POST /api/auth/login",
  // The public library and the anonymous calculator (no personal data).
  "GET /api/rules",
  "GET /api/documents",
  "GET /api/documents/:id",
  "GET /api/measures",
  "GET /api/measures/:documentId/:item",
  "GET /api/measures/:id",
  "GET /api/search",
  "POST /api/calculate",
  // Which measures are 免申即享 (ids only, for the library's tags).
  "GET /api/exemption/flags",
]);

/** Signing out would end the shared clients' sessions; auth tests cover these routes. */
const SIGN_OUT = new Set(["/api/auth/logout", "/api/auth/logout-all"]);

const LOGINS: Record<Role, string> = {
  enterprise: "qiye-banan-manufacturer",
  officer: "banan-economy-it",
  finance: "banan-finance",
  coordinator: "banan-coordinator",
  policyAdmin: "policy-admin",
};

for (const kind of testDatabaseKinds()) {
  describe(`authorization matrix (${kind})`, () => {
    let p: TestPlatform;
    const clients = {} as Record<Role, Client>;
    let otherEnterprise: Client;
    let otherOfficer: Client;
    let ids: { enterprise: string; application: string; notification: string };

    function url(r: RouteEntry): string {
      return r.url
        .replace("/api/enterprises/:id", `/api/enterprises/${ids.enterprise}`)
        .replace("/api/applications/:id", `/api/applications/${ids.application}`)
        .replace("/api/notifications/:id", `/api/notifications/${ids.notification}`)
        .replace("/api/documents/:id", "/api/documents/banan-2022-63")
        .replace("/api/measures/:documentId/:item", "/api/measures/banan-2022-63/1")
        .replace("/api/exemption/measures/:documentId/:item", "/api/exemption/measures/kaizhou-2023-27/1")
        .replace(":enterpriseId", ids.enterprise)
        .replace("/api/exemption/grants/:id", `/api/exemption/grants/${ids.application}`)
        .replace("/api/measures/:id", "/api/measures/banan-2022-63%2F1");
    }

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await seedDemo(p.ctx);
      for (const [role, username] of Object.entries(LOGINS))
        clients[role as Role] = await new Client(p.app).login(username, DEMO_PASSWORD);
      otherEnterprise = await new Client(p.app).login("qiye-yubei-smart-factory", DEMO_PASSWORD);
      otherOfficer = await new Client(p.app).login("yubei-economy-it", DEMO_PASSWORD);
      const me = (await clients.enterprise.get("/api/auth/me")).json();
      const apps = (await clients.enterprise.get("/api/applications")).json();
      const n = await p.ctx.db
        .selectFrom("notifications")
        .select("id")
        .where("enterprise_id", "=", me.actor.enterpriseId)
        .executeTakeFirst();
      ids = {
        enterprise: me.actor.enterpriseId,
        application: apps.items[0].id,
        notification: n?.id ?? "00000000-0000-4000-8000-000000000000",
      };
    }, 120_000);
    afterAll(async () => p?.close());

    it("every API route declares its permission", () => {
      const undeclared = p.app.routeTable
        .filter((r) => !r.action && !r.signedIn && !PUBLIC.has(`${r.method} ${r.url}`))
        .map((r) => `${r.method} ${r.url}`);
      expect(undeclared).toEqual([]);
    });

    it("without a session every protected route answers 401", async () => {
      for (const r of p.app.routeTable) {
        if (PUBLIC.has(`${r.method} ${r.url}`)) continue;
        const res = await new Client(p.app).request(
          r.method as "GET",
          url(r),
          r.method === "GET" ? undefined : {},
        );
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      }
    });

    it("each role gets 403 exactly where its permission is missing, and never a 5xx", async () => {
      const rows: string[] = [];
      for (const r of p.app.routeTable) {
        if (PUBLIC.has(`${r.method} ${r.url}`) || SIGN_OUT.has(r.url)) continue;
        for (const role of Object.keys(LOGINS) as Role[]) {
          const res = await clients[role].request(
            r.method as "GET",
            url(r),
            r.method === "GET" ? undefined : {},
          );
          const allowed =
            r.signedIn || (r.action !== undefined && (ACTIONS[r.action] as readonly Role[]).includes(role));
          expect(res.statusCode, `${role} ${r.method} ${r.url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
          if (!allowed) expect(res.statusCode, `${role} ${r.method} ${r.url}`).toBe(403);
          else expect(res.statusCode, `${role} ${r.method} ${r.url}`).not.toBe(401);
          rows.push(`${role} ${r.method} ${r.url} ${res.statusCode}`);
        }
      }
      expect(rows.length).toBeGreaterThan(100);
    });

    it("arbitrary bodies on every write route, sent by a role allowed to call it, never give a 5xx; 400s name a field", async () => {
      const writes = p.app.routeTable.filter(
        (r) => r.method !== "GET" && !SIGN_OUT.has(r.url) && r.url !== "/api/policies/reload",
      );
      for (const r of writes) {
        const role = (Object.keys(LOGINS) as Role[]).find(
          (x) => r.signedIn || !r.action || (ACTIONS[r.action] as readonly Role[]).includes(x),
        ) as Role;
        const client = PUBLIC.has(`${r.method} ${r.url}`) ? new Client(p.app) : clients[role];
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())),
            async (body) => {
              const res = await client.request(r.method as "POST", url(r), body);
              expect(
                res.statusCode,
                `${r.method} ${r.url} ${JSON.stringify(body).slice(0, 120)}`,
              ).toBeLessThan(500);
              if (res.statusCode === 400) {
                const e = res.json().error;
                expect(e.message.length).toBeGreaterThan(0);
                expect(e.fields.length, `${r.method} ${r.url}: ${e.message}`).toBeGreaterThan(0);
              }
            },
          ),
          { numRuns: 15 },
        );
      }
    });

    it("enterprise B can neither read nor change anything of enterprise A", async () => {
      for (const r of p.app.routeTable) {
        if (!/:id/.test(r.url) || !/enterprises|applications|notifications/.test(r.url)) continue;
        const res = await otherEnterprise.request(
          r.method as "GET",
          url(r),
          r.method === "GET" ? undefined : { version: 1 },
        );
        // 400: the body's shape is checked before the record-level scope; nothing of A is revealed or written.
        expect([400, 403, 404], `${r.method} ${r.url} → ${res.statusCode}`).toContain(res.statusCode);
      }
      const before = (await clients.enterprise.get(`/api/enterprises/${ids.enterprise}`)).json();
      const write = await otherEnterprise.put(`/api/enterprises/${ids.enterprise}/facts`, {
        version: before.version,
        facts: { employees: 1 },
      });
      expect([403, 404]).toContain(write.statusCode);
      const after = (await clients.enterprise.get(`/api/enterprises/${ids.enterprise}`)).json();
      expect(after.version).toBe(before.version);
      const review = await otherEnterprise.post(`/api/applications/${ids.application}/submit`, {
        version: 1,
      });
      expect([403, 404]).toContain(review.statusCode);
      const list = (await otherEnterprise.get("/api/applications")).json();
      expect(list.items.every((a: { enterpriseId: string }) => a.enterpriseId !== ids.enterprise)).toBe(true);
    });

    it("an officer sees only applications to measures its department leads, in its region", async () => {
      const banan = (await clients.officer.get("/api/applications")).json();
      expect(banan.items.length).toBeGreaterThan(0);
      for (const a of banan.items) {
        expect(p.ctx.engine.byId.get(a.measureId)?.def.leadDepartment).toBe("economy-it");
      }
      const yubei = (await otherOfficer.get("/api/applications")).json();
      expect(yubei.items.some((a: { enterpriseId: string }) => a.enterpriseId === ids.enterprise)).toBe(
        false,
      );
      expect((await otherOfficer.get(`/api/applications/${ids.application}`)).statusCode).toBe(404);
      expect((await otherOfficer.get(`/api/enterprises/${ids.enterprise}`)).statusCode).toBe(403);
    });

    it("a coordinator reads audit rows of its own district only, whatever the filters", async () => {
      const yubeiApps = (await otherEnterprise.get("/api/applications")).json().items as { id: string }[];
      const yubeiApp = yubeiApps[0]?.id as string;
      // The policy admin sees the other district's rows, so the empty answers below are the scope.
      const admin = (await clients.policyAdmin.get(`/api/audit?entityId=${yubeiApp}`)).json();
      expect(admin.total).toBeGreaterThan(0);
      const coordinator = clients.coordinator;
      expect((await coordinator.get(`/api/audit?entityId=${yubeiApp}`)).json()).toEqual({
        items: [],
        total: 0,
      });
      const apps = (await coordinator.get("/api/audit?entity=application&limit=500")).json();
      expect(apps.total).toBeGreaterThan(0);
      const banan = new Set(
        (await coordinator.get("/api/applications?limit=200")).json().items.map((a: { id: string }) => a.id),
      );
      for (const row of apps.items as { entityId: string }[])
        expect(banan, row.entityId).toContain(row.entityId);
    });
  });
}

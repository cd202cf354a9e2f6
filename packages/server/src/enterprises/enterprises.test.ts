import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAudit } from "../audit/audit-log.ts";
import type { Client } from "../test-support.ts";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { deriveSizeClass } from "./size-class.ts";
import { registerEnterprise, staffClient } from "./test-fixtures.ts";

const BANAN = "500113";
const YUBEI = "500112";

describe("size class (工信部联企业〔2011〕300号)", () => {
  it("classifies industrial enterprises by employees and revenue, and says which rule", () => {
    const d = deriveSizeClass({
      industrial: true,
      employees: 186,
      revenue: { "2020": 18500000, "2021": 32600000 },
    });
    expect(d.size).toBe("small");
    expect(d.rule).toMatch(/20人及以上且营业收入300万元及以上为小型/);
    expect(d.basis).toEqual({ employees: 186, revenue: 32600000, revenueYear: "2021" });
  });
  it("needs both bounds for medium, one low indicator is enough for micro, unknown otherwise", () => {
    expect(deriveSizeClass({ industrial: true, employees: 500, revenue: { "2021": 10_000_000 } }).size).toBe(
      "small",
    );
    expect(deriveSizeClass({ industrial: true, employees: 300, revenue: { "2021": 20_000_000 } }).size).toBe(
      "medium",
    );
    expect(
      deriveSizeClass({ industrial: true, employees: 1200, revenue: { "2021": 500_000_000 } }).size,
    ).toBe("large");
    expect(deriveSizeClass({ industrial: true, employees: 12 }).size).toBe("micro");
    expect(deriveSizeClass({ industrial: true, revenue: { "2021": 2_000_000 } }).size).toBe("micro");
    expect(deriveSizeClass({ industrial: true, employees: 50 }).size).toBeNull();
    expect(deriveSizeClass({ industrial: false, employees: 50, revenue: { "2021": 5e6 } }).size).toBeNull();
    expect(deriveSizeClass({ industryCode: "I6510", employees: 50, revenue: { "2021": 5e6 } }).size).toBe(
      "small",
    );
  });
});

for (const kind of testDatabaseKinds()) {
  describe(`enterprise profile (${kind})`, () => {
    let p: TestPlatform;
    let a: Client;
    let aId: string;
    let b: Client;
    let bId: string;
    let officer: Client;
    let yubeiOfficer: Client;

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      ({ client: a, enterpriseId: aId } = await registerEnterprise(p.app, {
        username: "ent-a",
        regionCode: BANAN,
        industryCode: "C3484",
      }));
      ({ client: b, enterpriseId: bId } = await registerEnterprise(p.app, {
        username: "ent-b",
        regionCode: BANAN,
      }));
      officer = await staffClient(p.app, p.ctx, {
        username: "banan-officer",
        role: "officer",
        regionCode: BANAN,
      });
      yubeiOfficer = await staffClient(p.app, p.ctx, {
        username: "yubei-officer",
        role: "officer",
        regionCode: YUBEI,
      });
    }, 60_000);
    afterAll(async () => p?.close());

    it("updates facts and reads them back with period, source and the derived size class", async () => {
      const before = await a.get(`/api/enterprises/${aId}`);
      expect(before.statusCode).toBe(200);
      expect(before.json()).toMatchObject({ version: 1, regionCode: BANAN, regionName: "巴南区", facts: [] });
      const r = await a.put(`/api/enterprises/${aId}/facts`, {
        version: 1,
        facts: {
          employees: 186,
          revenue: { "2020": 18500000, "2021": 32600000 },
          aboveScale: true,
          certifications: [{ kind: "srdi", level: "municipal", date: "2022-04-18" }],
        },
      });
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body.version).toBe(2);
      const revenue2021 = body.facts.find(
        (f: { factId: string; period: string }) => f.factId === "revenue" && f.period === "2021",
      );
      expect(revenue2021).toMatchObject({
        value: 32600000,
        source: "self",
        verifiedBy: null,
        label: "2021年营业收入",
      });
      expect(body.size.derived).toMatchObject({ size: "small", label: "小型", sector: "工业" });
      expect(body.profile).toMatchObject({ industrial: true, employees: 186 });

      // null removes a year, and a whole fact
      const r2 = await a.put(`/api/enterprises/${aId}/facts`, {
        version: 2,
        facts: { revenue: { "2020": null }, aboveScale: null },
      });
      expect(r2.statusCode, r2.body).toBe(200);
      const facts = r2.json().facts as { factId: string; period: string }[];
      expect(facts.some((f) => f.factId === "revenue" && f.period === "2020")).toBe(false);
      expect(facts.some((f) => f.factId === "revenue" && f.period === "2021")).toBe(true);
      expect(facts.some((f) => f.factId === "aboveScale")).toBe(false);

      const jobs = await p.ctx.db
        .selectFrom("outbox")
        .selectAll()
        .where("topic", "=", "profile.changed")
        .execute();
      expect(jobs.filter((j) => (j.payload as { enterpriseId: string }).enterpriseId === aId).length).toBe(2);
    });

    it("refuses a stale version with 409", async () => {
      const r = await a.put(`/api/enterprises/${aId}/facts`, { version: 1, facts: { employees: 10 } });
      expect(r.statusCode).toBe(409);
      expect(r.json().error.code).toBe("VERSION_MISMATCH");
    });

    it("names the field on bad input", async () => {
      const v = (await a.get(`/api/enterprises/${aId}`)).json().version;
      const cases: [unknown, RegExp][] = [
        [{ employees: "many" }, /^facts\.employees$/],
        [{ rdExpense: { "2021": -5 } }, /^facts\.rdExpense\.2021$/],
        [
          { certifications: [{ kind: "srdi", level: "municipal", date: "2022-02-30" }] },
          /^facts\.certifications\[0\]\.date$/,
        ],
        [{ uscc: "91500113MA5U7K3X2Y" }, /^facts\.uscc$/],
        [{ regionCode: "500112" }, /^facts\.regionCode$/],
        [{ noSuchFact: 1 }, /^facts\.noSuchFact$/],
      ];
      for (const [facts, field] of cases) {
        const r = await a.put(`/api/enterprises/${aId}/facts`, { version: v, facts });
        expect(r.statusCode, JSON.stringify(facts)).toBe(400);
        expect(r.json().error.fields.map((f: { field: string }) => f.field)).toContainEqual(
          expect.stringMatching(field),
        );
      }
      const noVersion = await a.put(`/api/enterprises/${aId}/facts`, { facts: {} });
      expect(noVersion.statusCode).toBe(400);
      expect(noVersion.json().error.fields[0].field).toBe("version");
      const badId = await a.get("/api/enterprises/not-a-uuid");
      expect(badId.statusCode).toBe(400);
      // nothing changed
      expect((await a.get(`/api/enterprises/${aId}`)).json().version).toBe(v);
    });

    it("keeps enterprise A out of enterprise B", async () => {
      expect((await a.get(`/api/enterprises/${bId}`)).statusCode).toBe(403);
      expect((await a.get(`/api/enterprises/${bId}/matches?asOf=2022-11-01`)).statusCode).toBe(403);
      const w = await a.put(`/api/enterprises/${bId}/facts`, { version: 1, facts: { employees: 5 } });
      expect(w.statusCode).toBe(403);
      expect((await b.get(`/api/enterprises/${bId}`)).json().version).toBe(1);
      expect((await a.get("/api/enterprises/00000000-0000-4000-8000-000000000000")).statusCode).toBe(404);
      expect((await a.get("/api/enterprises")).statusCode).toBe(403);
      expect(
        (await a.post(`/api/enterprises/${aId}/facts/verify`, { facts: [{ factId: "employees" }] }))
          .statusCode,
      ).toBe(403);
    });

    it("lets an officer of the region read (audited), list and verify, but not an officer of another region", async () => {
      const auditBefore = await p.ctx.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "enterprise.read")
        .where("entity_id", "=", aId)
        .execute();
      const r = await officer.get(`/api/enterprises/${aId}`);
      expect(r.statusCode).toBe(200);
      const reads = await p.ctx.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "enterprise.read")
        .where("entity_id", "=", aId)
        .execute();
      expect(reads.length).toBe(auditBefore.length + 1);
      expect(reads[reads.length - 1]?.actor_role).toBe("officer");

      expect((await yubeiOfficer.get(`/api/enterprises/${aId}`)).statusCode).toBe(403);
      expect((await yubeiOfficer.get(`/api/enterprises/${aId}/matches`)).statusCode).toBe(403);
      expect(
        (
          await yubeiOfficer.post(`/api/enterprises/${aId}/facts/verify`, {
            facts: [{ factId: "employees" }],
          })
        ).statusCode,
      ).toBe(403);
      expect((await officer.put(`/api/enterprises/${aId}/facts`, { version: 1, facts: {} })).statusCode).toBe(
        403,
      );

      const list = await officer.get("/api/enterprises?pageSize=10");
      expect(list.statusCode).toBe(200);
      expect(
        list
          .json()
          .items.map((e: { id: string }) => e.id)
          .sort(),
      ).toEqual([aId, bId].sort());
      expect((await yubeiOfficer.get("/api/enterprises")).json().total).toBe(0);

      const missing = await officer.post(`/api/enterprises/${aId}/facts/verify`, {
        facts: [{ factId: "rdExpense", period: "2019" }],
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.fields[0].field).toBe("facts[0]");
      const v = await officer.post(`/api/enterprises/${aId}/facts/verify`, {
        facts: [{ factId: "employees" }, { factId: "revenue", period: "2021" }],
      });
      expect(v.statusCode, v.body).toBe(200);
      const employees = v.json().facts.find((f: { factId: string }) => f.factId === "employees");
      expect(employees).toMatchObject({ source: "verified" });
      expect(employees.verifiedBy).toBeTruthy();
      // The review page shows who verified it (the account's display name) and when.
      const verifier = await p.ctx.db
        .selectFrom("accounts")
        .select("display_name")
        .where("id", "=", employees.verifiedBy)
        .executeTakeFirstOrThrow();
      expect(employees.verifiedByName).toBe(verifier.display_name);
      expect(Date.parse(employees.updatedAt)).not.toBeNaN();
      // an enterprise edit of a verified fact makes it self-declared again
      const again = await a.put(`/api/enterprises/${aId}/facts`, {
        version: v.json().version,
        facts: { employees: 190 },
      });
      expect(again.json().facts.find((f: { factId: string }) => f.factId === "employees")).toMatchObject({
        source: "self",
        value: 190,
      });
      expect(await verifyAudit(p.ctx.db)).toMatchObject({ ok: true });
    });

    it("never answers arbitrary JSON facts bodies with a 5xx (property)", async () => {
      const factKey = fc.constantFrom(
        "employees",
        "revenue",
        "rdExpense",
        "certifications",
        "loans",
        "size",
        "name",
        "industryCode",
        "uscc",
        "aboveScaleFirstYear",
        "whitelist",
        "x",
        "__proto__",
        "constructor",
      );
      const body = fc.oneof(
        fc.jsonValue(),
        fc.record({ version: fc.oneof(fc.integer(), fc.jsonValue()), facts: fc.jsonValue() }),
        fc.record({
          version: fc.integer({ min: -2, max: 50 }),
          facts: fc.dictionary(factKey, fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()))),
        }),
      );
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const r = await p.app.inject({
            method: "PUT",
            url: `/api/enterprises/${aId}/facts`,
            headers: { cookie: a.cookie, "x-csrf-token": a.csrf, "content-type": "application/json" },
            payload: JSON.stringify(b),
          });
          expect(r.statusCode, `${JSON.stringify(b)} → ${r.body}`).toBeLessThan(500);
        }),
        { numRuns: kind === "pglite" ? 150 : 100 },
      );
    }, 120_000);
  });
}

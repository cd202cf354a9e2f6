import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerEnterprise } from "../enterprises/test-fixtures.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { publicationChanged } from "./cache.ts";
import { CALCULATE_BODY_LIMIT } from "./calculate.ts";

/** examples/banan-manufacturer.json without the identity facts. */
const FACTS = {
  size: "small",
  employees: 186,
  aboveScale: true,
  aboveScaleFirstYear: 2021,
  revenue: { "2020": 18500000, "2021": 32600000 },
  rdExpense: { "2020": 980000, "2021": 1360000 },
  rdIntensityMeetsIndustryAverage: { "2021": true },
  certifications: [{ kind: "srdi", level: "municipal", date: "2022-04-18" }],
  loans: [{ kind: "workingCapital", amount: 3000000, rate: 0.0415, date: "2022-03-10" }],
  awardsReceived: [],
};

for (const kind of testDatabaseKinds()) {
  describe(`anonymous calculator POST /api/calculate (${kind})`, () => {
    let p: TestPlatform;
    let ent: Client;
    let id: string;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      ({ client: ent, enterpriseId: id } = await registerEnterprise(p.app, {
        username: "calc-same",
        regionCode: "500113",
        industryCode: "C3484",
        name: "重庆巴渝精工机械有限公司",
      }));
      const r = await ent.put(`/api/enterprises/${id}/facts`, { version: 1, facts: FACTS });
      expect(r.statusCode, r.body).toBe(200);
    }, 60_000);
    afterAll(async () => p?.close());

    it("gives a visitor without a session the same results as the signed-in matches for the same facts", async () => {
      const anon = new Client(p.app);
      const r = await anon.post("/api/calculate", {
        facts: { ...FACTS, regionCode: "500113", industryCode: "C3484" },
        asOf: "2022-11-01",
      });
      expect(r.statusCode, r.body).toBe(200);
      // The anonymous result lists every measure; the enterprise's, with include=ineligible.
      const mine = await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01&include=ineligible`);
      expect(mine.statusCode).toBe(200);
      const { enterpriseId, ...signedIn } = mine.json();
      expect(enterpriseId).toBe(id);
      expect(r.json()).toEqual(signedIn);
      expect(r.json().totals.eligible.min).toBeGreaterThanOrEqual(20_000_000);
    });

    it("stores nothing and audits nothing", async () => {
      const count = async () => {
        const a = await p.ctx.db
          .selectFrom("audit_log")
          .select(p.ctx.db.fn.countAll().as("n"))
          .executeTakeFirst();
        const f = await p.ctx.db
          .selectFrom("enterprise_facts")
          .select(p.ctx.db.fn.countAll().as("n"))
          .executeTakeFirst();
        return [Number(a?.n), Number(f?.n)];
      };
      const before = await count();
      const r = await new Client(p.app).post("/api/calculate", {
        facts: { regionCode: "500112", employees: 3 },
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(await count()).toEqual(before);
    });

    it("refuses bad input with 400, in Chinese, naming the field", async () => {
      const anon = new Client(p.app);
      const cases: [unknown, string][] = [
        [{ facts: { employees: -1 } }, "facts.employees"],
        [{ facts: { revenue: { "2021": "很多" } } }, "facts.revenue.2021"],
        [{ facts: { regionCode: "999999" } }, "facts.regionCode"],
        [{ facts: { noSuchFact: 1 } }, "facts.noSuchFact"],
        [{ facts: { uscc: "91500113MA5U7K3X2H" } }, "facts.uscc"],
        [{ facts: {}, asOf: "2022-02-30" }, "asOf"],
        [{ facts: [] }, "facts"],
        [{}, "facts"],
      ];
      for (const [body, field] of cases) {
        const r = await anon.post("/api/calculate", body);
        expect(r.statusCode, `${JSON.stringify(body)} → ${r.body}`).toBe(400);
        const e = r.json().error;
        expect(e.fields.map((f: { field: string }) => f.field)).toContain(field);
        expect(e.message).toMatch(/[\u4e00-\u9fff]/);
        expect(e.message).not.toContain("Invalid");
      }
    });

    it("refuses an oversized body with 413 before parsing it", async () => {
      const big = {
        facts: { cqProducts: Array.from({ length: 5000 }, () => "重庆某产品名称很长".repeat(2)) },
      };
      expect(JSON.stringify(big).length).toBeGreaterThan(CALCULATE_BODY_LIMIT);
      const r = await new Client(p.app).post("/api/calculate", big);
      expect(r.statusCode).toBe(413);
    });

    it("opens the library to visitors: documents, measures, rules and search without a session, no budget", async () => {
      const anon = new Client(p.app);
      for (const url of [
        "/api/documents",
        "/api/documents/banan-2022-63",
        "/api/measures",
        "/api/measures/banan-2022-63/1",
        "/api/rules",
        `/api/search?q=${encodeURIComponent("研发补贴")}&region=500113&inForce=false`,
      ]) {
        const r = await anon.get(url);
        expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBe(200);
      }
      const m = (await anon.get("/api/measures/banan-2022-63/1")).json();
      expect(m.budgetFen).toBeNull();
    });

    it("hides an unpublished measure from visitors: no detail, no search hit, no calculation", async () => {
      const me = (await ent.get("/api/auth/me")).json();
      await p.ctx.db
        .insertInto("measure_publication")
        .values({
          measure_id: "banan-2022-63/3",
          published: false,
          updated_by: me.actor.id,
          updated_at: new Date(),
        })
        .execute();
      // Written behind the platform's back, as another server process would: its cache re-reads the flags.
      publicationChanged(p.ctx.db);
      try {
        const anon = new Client(p.app);
        expect((await anon.get("/api/measures/banan-2022-63/3")).statusCode).toBe(404);
        const search = (await anon.get(`/api/search?q=${encodeURIComponent("研发补贴")}&pageSize=50`)).json();
        expect(search.hits.map((h: { measureId: string }) => h.measureId)).not.toContain("banan-2022-63/3");
        const doc = (await anon.get("/api/documents/banan-2022-63")).json();
        expect(doc.measures.map((m: { id: string }) => m.id)).not.toContain("banan-2022-63/3");
        const calc = (
          await anon.post("/api/calculate", { facts: { ...FACTS, regionCode: "500113" } })
        ).json();
        expect(calc.results.map((r: { measureId: string }) => r.measureId)).not.toContain("banan-2022-63/3");
      } finally {
        await p.ctx.db
          .deleteFrom("measure_publication")
          .where("measure_id", "=", "banan-2022-63/3")
          .execute();
        publicationChanged(p.ctx.db);
      }
    });

    // Last: it uses up the anonymous read allowance of the test client's address.
    it("limits visitors' library reads per address, but not signed-in users'", async () => {
      const statuses = async (c: Client, n: number) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push((await c.get("/api/documents")).statusCode);
        return out;
      };
      const anon = await statuses(new Client(p.app), 310);
      expect(anon.slice(0, 250).every((s) => s === 200)).toBe(true);
      expect(anon.at(-1)).toBe(429);
      const signedIn = await statuses(ent, 20);
      expect(signedIn.every((s) => s === 200)).toBe(true);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDate } from "../dates.ts";
import { registerEnterprise, staffClient } from "../enterprises/test-fixtures.ts";
import type { Client } from "../test-support.ts";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";

/** examples/banan-manufacturer.json without the identity facts (those come from registration). */
const BANAN_FACTS = {
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

interface MatchRow {
  measureId: string;
  outcome: string;
  amount: { min: number; max: number | null; text: string } | null;
  missing: { fact: string; label: string }[];
  explanation?: unknown;
}

for (const kind of testDatabaseKinds()) {
  describe(`matching (${kind})`, () => {
    let p: TestPlatform;
    let ent: Client;
    let id: string;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      ({ client: ent, enterpriseId: id } = await registerEnterprise(p.app, {
        username: "bayu",
        regionCode: "500113",
        industryCode: "C3484",
        name: "重庆巴渝精工机械有限公司",
      }));
      const r = await ent.put(`/api/enterprises/${id}/facts`, { version: 1, facts: BANAN_FACTS });
      expect(r.statusCode, r.body).toBe(200);
    }, 60_000);
    afterAll(async () => p?.close());

    it("matches a Banan manufacturer as of 2022-11-01: 升规 20万元 eligible, amounts in 分 and in Chinese", async () => {
      const r = await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01`);
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body.asOf).toBe("2022-11-01");
      expect(body.rulesVersion).toBe(p.ctx.engine.version);
      const m1 = (body.results as MatchRow[]).find((x) => x.measureId === "banan-2022-63/1");
      expect(m1).toMatchObject({
        outcome: "eligible",
        amount: { min: 20_000_000, max: 20_000_000, text: "20万元" },
      });
      expect(m1?.explanation).toBeUndefined();
      expect(body.totals.eligible.min).toBeGreaterThanOrEqual(20_000_000);
      expect(typeof body.totals.eligible.text).toBe("string");
      for (const row of body.results as MatchRow[])
        for (const m of row.missing) expect(m.label).not.toBe(m.fact.split(":")[0]);
      expect(Array.isArray(body.questions)).toBe(true);
    });

    it("explains on request, filters by outcome, and defaults asOf to today in Chongqing", async () => {
      const r = await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01&explain=true&outcome=eligible`);
      expect(r.statusCode, r.body).toBe(200);
      const rows = r.json().results as MatchRow[];
      expect(rows.every((x) => x.outcome === "eligible")).toBe(true);
      expect(rows.find((x) => x.measureId === "banan-2022-63/1")?.explanation).toMatchObject({
        measureId: "banan-2022-63/1",
      });
      const today = await ent.get(`/api/enterprises/${id}/matches`);
      expect(today.json().asOf).toBe(localDate(p.ctx.now()));
    });

    it("returns one measure with its explanation; totals still over all measures; unknown measure is 404", async () => {
      const r = await ent.get(
        `/api/enterprises/${id}/matches?asOf=2022-11-01&explain=true&measure=banan-2022-63/3`,
      );
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect((body.results as MatchRow[]).map((x) => x.measureId)).toEqual(["banan-2022-63/3"]);
      expect(body.results[0].explanation).toMatchObject({
        measureId: "banan-2022-63/3",
        outcome: "eligible",
      });
      expect(body.totals.eligible.min).toBeGreaterThanOrEqual(20_000_000);
      const missing = await ent.get(`/api/enterprises/${id}/matches?measure=nope/1`);
      expect(missing.statusCode).toBe(404);
    });

    it("rejects a bad asOf naming the field", async () => {
      for (const bad of ["2022-02-30", "20221101", "yesterday"]) {
        const r = await ent.get(`/api/enterprises/${id}/matches?asOf=${bad}`);
        expect(r.statusCode).toBe(400);
        expect(r.json().error.fields[0].field).toBe("asOf");
      }
    });

    it("audits a coordinator's look at the matches; finance may not run matching", async () => {
      const coord = await staffClient(p.app, p.ctx, {
        username: "banan-fgw",
        role: "coordinator",
        regionCode: "500113",
      });
      const r = await coord.get(`/api/enterprises/${id}/matches?asOf=2022-11-01`);
      expect(r.statusCode).toBe(200);
      const audit = await p.ctx.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "enterprise.read")
        .where("entity_id", "=", id)
        .execute();
      expect(audit.map((a) => (a.after as { view: string }).view)).toContain("matches");
      const fin = await staffClient(p.app, p.ctx, {
        username: "banan-czj",
        role: "finance",
        regionCode: "500113",
      });
      expect((await fin.get(`/api/enterprises/${id}/matches`)).statusCode).toBe(403);
    });
  });
}

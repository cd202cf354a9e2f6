import type { Facts } from "@huiqi/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAudit } from "../audit/audit-log.ts";
import { localDate } from "../dates.ts";
import { loadFacts } from "../enterprises/facts-store.ts";
import { registerEnterprise, staffClient } from "../enterprises/test-fixtures.ts";
import type { Client } from "../test-support.ts";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { cacheStats } from "./cache.ts";
import { MatchBody, presentMatch } from "./present.ts";

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
    let uscc: string;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      ({
        client: ent,
        enterpriseId: id,
        uscc,
      } = await registerEnterprise(p.app, {
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

    it("is compact by default: eligible and undetermined only, the ineligible counted; all on request", async () => {
      const compact = (await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01`)).json();
      const full = (
        await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01&include=ineligible`)
      ).json();
      const rows = compact.results as MatchRow[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((x) => x.outcome !== "ineligible")).toBe(true);
      const ineligible = (full.results as MatchRow[]).filter((x) => x.outcome === "ineligible");
      expect(ineligible.length).toBeGreaterThan(0);
      expect(compact.ineligibleOmitted).toBe(ineligible.length);
      expect(full.ineligibleOmitted).toBeUndefined();
      expect(full.results).toHaveLength(p.ctx.engine.measures.length);
      expect((full.results as MatchRow[]).filter((x) => x.outcome !== "ineligible")).toEqual(rows);
      // Totals, stacking and questions are over all measures either way.
      expect(compact.totals).toEqual(full.totals);
      expect(compact.questions).toEqual(full.questions);
      expect(compact.stacking).toEqual(full.stacking);
      // The precompiled serializer writes exactly what the zod schema (and so the OpenAPI document) declares.
      expect(MatchBody.parse(compact)).toEqual(compact);
      expect(MatchBody.parse(full)).toEqual(full);
      expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(full).length / 2);
      const only = (
        await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01&outcome=ineligible`)
      ).json();
      expect((only.results as MatchRow[]).map((x) => x.measureId)).toEqual(
        ineligible.map((x) => x.measureId),
      );
      const bad = await ent.get(`/api/enterprises/${id}/matches?include=everything`);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].field).toBe("include");
    });

    it("explains one measure at a time, filters by outcome, and defaults asOf to today in Chongqing", async () => {
      const all = await ent.get(
        `/api/enterprises/${id}/matches?asOf=2022-11-01&explain=true&outcome=eligible`,
      );
      expect(all.statusCode).toBe(400);
      expect(all.json().error.fields[0].field).toBe("measure");
      const r = await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01&outcome=eligible`);
      expect(r.statusCode, r.body).toBe(200);
      const rows = r.json().results as MatchRow[];
      expect(rows.every((x) => x.outcome === "eligible")).toBe(true);
      expect(rows.map((x) => x.measureId)).toContain("banan-2022-63/1");
      expect(rows.every((x) => x.explanation === undefined)).toBe(true);
      const today = await ent.get(`/api/enterprises/${id}/matches`);
      expect(today.json().asOf).toBe(localDate(p.ctx.now()));
    });

    it("returns an ineligible measure asked for by id", async () => {
      const full = (
        await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01&include=ineligible`)
      ).json();
      const no = (full.results as MatchRow[]).find((x) => x.outcome === "ineligible") as MatchRow;
      const r = (
        await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01&measure=${no.measureId}`)
      ).json();
      expect(r.results).toEqual([no]);
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
      const reads = () =>
        p.ctx.db
          .selectFrom("audit_log")
          .selectAll()
          .where("action", "=", "enterprise.read")
          .where("entity_id", "=", id)
          .execute();
      const before = (await reads()).length;
      // The enterprise's own reads are not audited; every staff read is, cached facts or not.
      expect((await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01`)).statusCode).toBe(200);
      expect(await reads()).toHaveLength(before);
      for (let i = 0; i < 3; i++) {
        const r = await coord.get(`/api/enterprises/${id}/matches?asOf=2022-11-01`);
        expect(r.statusCode).toBe(200);
      }
      // Concurrent staff reads are committed together (one lock, one insert) and still chain.
      const many = await Promise.all(
        Array.from({ length: 12 }, () => coord.get(`/api/enterprises/${id}/matches?asOf=2022-11-01`)),
      );
      expect(many.every((r) => r.statusCode === 200)).toBe(true);
      const audit = await reads();
      expect(audit).toHaveLength(before + 15);
      expect(audit.map((a) => (a.after as { view: string }).view)).toContain("matches");
      expect((await verifyAudit(p.ctx.db)).ok).toBe(true);
      const fin = await staffClient(p.app, p.ctx, {
        username: "banan-czj",
        role: "finance",
        regionCode: "500113",
      });
      expect((await fin.get(`/api/enterprises/${id}/matches`)).statusCode).toBe(403);
    });

    // Last: the import leaves department data the enterprise cannot change back.
    it("never serves cached facts after a change: profile update, import, a write by another process", async () => {
      const m1 = async () =>
        (
          (await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01&measure=banan-2022-63/1`)).json()
            .results as MatchRow[]
        )[0]?.outcome;
      expect(await m1()).toBe("eligible");
      const version = async () =>
        (
          await p.ctx.db
            .selectFrom("enterprises")
            .select("version")
            .where("id", "=", id)
            .executeTakeFirstOrThrow()
        ).version;
      // 1. The enterprise's own update (PUT …/facts): the year it became 规上 unknown → 升规 undecided.
      let r = await ent.put(`/api/enterprises/${id}/facts`, {
        version: await version(),
        facts: { aboveScaleFirstYear: null },
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(await m1()).toBe("undetermined");
      r = await ent.put(`/api/enterprises/${id}/facts`, {
        version: await version(),
        facts: { aboveScaleFirstYear: 2021 },
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(await m1()).toBe("eligible");

      // 2. A department's import (imports/run-import.ts through POST /api/imports): the next read has it.
      const before = (
        await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01&include=ineligible`)
      ).json();
      const officer = await staffClient(p.app, p.ctx, {
        username: "banan-jxw-cache",
        role: "officer",
        department: "economy-it",
        regionCode: "500113",
      });
      const file = `\uFEFF统一社会信用代码,年份,营业收入（万元）,是否规上,从业人员\n${uscc},2021,150,否,12\n`;
      const imp = await officer.post("/api/imports", {
        kind: "statistics",
        fileName: "stats-cache.csv",
        contentBase64: Buffer.from(file, "utf8").toString("base64"),
      });
      expect(imp.statusCode, imp.body).toBe(200);
      const after = (
        await ent.get(`/api/enterprises/${id}/matches?asOf=2022-11-01&include=ineligible`)
      ).json();
      expect(after.results).not.toEqual(before.results);
      // Exactly what an uncached evaluation of the stored facts gives.
      const facts = (await loadFacts(p.ctx.db, id)) as Facts;
      const published = p.ctx.engine.measures.map((m) => m.def.id);
      const fresh = p.ctx.engine.evaluate(facts, { asOf: "2022-11-01", measures: published });
      expect(after.totals).toEqual(presentMatch(p.ctx, fresh, fresh.results).totals);
      expect((after.results as MatchRow[]).map((x) => x.outcome)).toEqual(
        fresh.results.map((x) => x.outcome),
      );

      // 3. Another server process on the same database: its write bumps the version, this one reloads.
      const stats = cacheStats(p.ctx.db);
      await p.ctx.db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom("enterprise_facts")
          .where("enterprise_id", "=", id)
          .where("fact_id", "=", "aboveScaleFirstYear")
          .execute();
        await trx
          .updateTable("enterprises")
          .set((eb) => ({ version: eb("version", "+", 1) }))
          .where("id", "=", id)
          .execute();
      });
      expect(await m1()).not.toBe("eligible");
      expect(cacheStats(p.ctx.db).misses).toBe(stats.misses + 1);
      // An unchanged enterprise is served from the cache.
      await m1();
      expect(cacheStats(p.ctx.db).misses).toBe(stats.misses + 1);
    });
  });
}

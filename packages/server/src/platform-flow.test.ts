/**
 * The platform end to end over HTTP, as its users would go through it:
 * register → profile → matches → apply → return for correction → resubmit → two-step approval → public
 * notice → disbursement → the enterprise sees the payment → the quarterly report counts it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renewSessions } from "./applications/test-fixtures.ts";
import { verifyAudit } from "./audit/audit-log.ts";
import { staffClient } from "./enterprises/test-fixtures.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "./test-support.ts";

const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

for (const kind of testDatabaseKinds()) {
  describe(`the whole flow (${kind})`, () => {
    let p: TestPlatform;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
    }, 60_000);
    afterAll(async () => p?.close());

    it("goes from registration to a paid award counted in the coordinator's quarterly report", async () => {
      p.setNow(at("2022-10-10"));
      const ent = new Client(p.app);
      const reg = await ent.post("/api/auth/register", {
        uscc: "91500113MA5U7K3X2H",
        name: "重庆巴渝精工机械有限公司",
        regionCode: "500113",
        industryCode: "C3484",
        username: "bayu-jinggong",
        password: "correct-horse-1",
        displayName: "王会计",
      });
      expect(reg.statusCode).toBe(201);
      const enterpriseId = reg.json().actor.enterpriseId as string;

      // Profile: the facts the 升规 award needs.
      const profile = (await ent.get(`/api/enterprises/${enterpriseId}`)).json();
      const put = await ent.put(`/api/enterprises/${enterpriseId}/facts`, {
        version: profile.version,
        facts: {
          aboveScale: true,
          aboveScaleFirstYear: 2021,
          size: "small",
          revenue: { "2021": 32600000 },
          awardsReceived: [],
        },
      });
      expect(put.statusCode).toBe(200);

      // Matches: eligible for 20万元, with the rules version.
      const matches = (await ent.get(`/api/enterprises/${enterpriseId}/matches?asOf=2022-10-10`)).json();
      expect(matches.rulesVersion).toBe(p.ctx.engine.version);
      const m1 = matches.results.find((r: { measureId: string }) => r.measureId === "banan-2022-63/1");
      expect(m1).toMatchObject({ outcome: "eligible", amount: { min: 20000000, max: 20000000 } });

      // Apply, with the form prefilled from the profile.
      const created = await ent.post("/api/applications", { enterpriseId, measureId: "banan-2022-63/1" });
      expect(created.statusCode).toBe(201);
      let app = created.json();
      const id = app.id as string;
      const applicant = {
        contactName: "王会计",
        contactPhone: "13800000000",
        bankName: "重庆农村商业银行巴南支行",
        bankAccount: "6228480000000000001",
      };
      app = (await ent.put(`/api/applications/${id}`, { version: app.version, applicant })).json();
      app = (await ent.post(`/api/applications/${id}/submit`, { version: app.version })).json();
      expect(app.status).toBe("submitted");

      // Lead department: return for correction; the enterprise resubmits.
      const officer = await staffClient(p.app, p.ctx, {
        username: "banan-jxw",
        role: "officer",
        department: "economy-it",
        regionCode: "500113",
      });
      const finance = await staffClient(p.app, p.ctx, {
        username: "banan-czj",
        role: "finance",
        regionCode: "500113",
      });
      const coordinator = await staffClient(p.app, p.ctx, {
        username: "banan-fgw",
        role: "coordinator",
        department: "development-reform",
        regionCode: "500113",
      });
      // Sessions last 12 hours: each business day everyone gets a new session (not through the
      // rate-limited login route, which would see all these test clients as one address).
      const people = await Promise.all(
        [ent, officer, finance, coordinator].map(async (c) =>
          Object.assign(c, { accountId: (await c.get("/api/auth/me")).json().actor.id as string }),
        ),
      );
      const nextDay = async (day: string) => {
        p.setNow(at(day));
        await renewSessions(p, people);
      };
      await nextDay("2022-10-12");
      app = (await officer.get(`/api/applications/${id}`)).json();
      const returned = await officer.post(`/api/applications/${id}/review`, {
        version: app.version,
        decision: "return",
        reason: "请补充统计部门出具的首次纳入规上统计证明",
      });
      expect(returned.json().status).toBe("returned");
      app = (await ent.get(`/api/applications/${id}`)).json();
      app = (await ent.post(`/api/applications/${id}/submit`, { version: app.version })).json();
      expect(app.status).toBe("submitted");

      // Two-step approval: the lead department, then finance, which grants the amount.
      await nextDay("2022-10-14");
      app = (await officer.get(`/api/applications/${id}`)).json();
      app = (
        await officer.post(`/api/applications/${id}/review`, {
          version: app.version,
          decision: "pass",
          reason: "材料齐全",
        })
      ).json();
      const tooMuch = await finance.post(`/api/applications/${id}/review`, {
        version: app.version,
        decision: "pass",
        reason: "复核通过",
        grantedFen: 20000001,
      });
      expect(tooMuch.statusCode).toBe(422);
      app = (
        await finance.post(`/api/applications/${id}/review`, {
          version: app.version,
          decision: "pass",
          reason: "复核通过",
          grantedFen: 20000000,
        })
      ).json();
      expect(app.status).toBe("approved");

      // Public notice, then disbursement after the notice period.
      app = (await officer.post(`/api/applications/${id}/public-notice`, { version: app.version })).json();
      expect(app.status).toBe("publicNotice");
      const early = await finance.post(`/api/applications/${id}/disbursements`, {
        version: app.version,
        batchRef: "BN-2022-041",
      });
      expect(early.statusCode).toBe(409);
      await nextDay("2022-10-25");
      app = (await finance.get(`/api/applications/${id}`)).json();
      app = (
        await finance.post(`/api/applications/${id}/disbursements`, {
          version: app.version,
          batchRef: "BN-2022-041",
        })
      ).json();
      expect(app.status).toBe("disbursing");
      const result = await finance.post(`/api/applications/${id}/disbursements/result`, {
        version: app.version,
        status: "paid",
        date: "2022-10-25",
      });
      expect(result.statusCode, result.body).toBeLessThan(300);
      app = result.json();
      expect(app.status).toBe("closed");

      // The enterprise sees the payment and the history.
      const mine = (await ent.get(`/api/applications/${id}`)).json();
      expect(mine.disbursement).toMatchObject({
        status: "paid",
        amountFen: 20000000,
        batchRef: "BN-2022-041",
      });
      expect(mine.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(
        expect.arrayContaining(["submitted", "returned", "approved", "publicNotice", "disbursing", "closed"]),
      );

      // The coordinator's quarterly report counts it.
      const report = (await coordinator.get("/api/reports/quarterly?year=2022&quarter=4")).json();
      const dept = report.departments.find((d: { department: string }) => d.department === "economy-it");
      expect(dept).toMatchObject({
        received: 1,
        approved: 1,
        returned: 1,
        grantedFen: 20000000,
        paidFen: 20000000,
        enterprisesBenefited: 1,
      });
      const xlsx = await coordinator.get("/api/reports/quarterly.xlsx?year=2022&quarter=4");
      expect(xlsx.statusCode).toBe(200);
      expect(String(xlsx.headers["content-type"])).toContain("spreadsheetml");

      expect(await verifyAudit(p.ctx.db)).toMatchObject({ ok: true });
    });
  });
}

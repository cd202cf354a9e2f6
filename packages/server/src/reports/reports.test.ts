import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/passwords.ts";
import type { Role } from "../db/schema.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";

const PASSWORD = "correct-horse-1";
const M1 = "banan-2022-63/1"; // economy-it
const M5 = "banan-2022-63/5"; // commerce
const M6 = "banan-2022-63/6"; // market-supervision

async function account(p: TestPlatform, username: string, role: Role, region: string | null) {
  await p.ctx.db
    .insertInto("accounts")
    .values({
      id: randomUUID(),
      username,
      password_hash: await hashPassword(PASSWORD),
      display_name: username,
      role,
      department: role === "officer" ? "economy-it" : null,
      region_code: region,
      enterprise_id: null,
      created_at: new Date(),
    })
    .execute();
}

async function enterprise(p: TestPlatform, region: string): Promise<string> {
  const id = randomUUID();
  await p.ctx.db
    .insertInto("enterprises")
    .values({
      id,
      uscc: `R${id.slice(0, 17)}`,
      name: `企业${id.slice(0, 4)}`,
      region_code: region,
      industry_code: "C3484",
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
  return id;
}

/** An application with its status history ([status, ISO instant] in order) and optional paid disbursement. */
async function application(
  p: TestPlatform,
  enterpriseId: string,
  measureId: string,
  history: [string, string][],
  grantedFen: number | null,
  paidAt?: string,
) {
  const id = randomUUID();
  const status = history[history.length - 1]?.[0] ?? "draft";
  await p.ctx.db
    .insertInto("applications")
    .values({
      id,
      enterprise_id: enterpriseId,
      measure_id: measureId,
      rules_version: p.ctx.engine.version,
      status: paidAt ? "closed" : status,
      current_step: 0,
      steps: JSON.stringify([]),
      form: JSON.stringify({}),
      max_fen: grantedFen,
      granted_fen: grantedFen,
      notice_until: null,
      created_at: new Date(history[0]?.[1] ?? 0),
      updated_at: new Date(),
    })
    .execute();
  let from: string | null = "draft";
  for (const [to, at] of history) {
    await p.ctx.db
      .insertInto("application_history")
      .values({ application_id: id, from_status: from, to_status: to, actor_id: null, reason: null, at })
      .execute();
    from = to;
  }
  if (paidAt) {
    await p.ctx.db
      .insertInto("application_history")
      .values({
        application_id: id,
        from_status: from,
        to_status: "closed",
        actor_id: null,
        reason: null,
        at: paidAt,
      })
      .execute();
    await p.ctx.db
      .insertInto("disbursements")
      .values({
        id: randomUUID(),
        application_id: id,
        amount_fen: grantedFen ?? 0,
        batch_ref: "PC-2026-001",
        status: "paid",
        issued_at: paidAt,
        settled_at: paidAt,
        failure_reason: null,
      })
      .execute();
  }
  return id;
}

for (const kind of testDatabaseKinds()) {
  describe(`quarterly report (${kind})`, () => {
    let p: TestPlatform;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await account(p, "coordinator-banan", "coordinator", "500113");
      await account(p, "admin", "policyAdmin", null);
      await account(p, "officer-banan", "officer", "500113");
      const e1 = await enterprise(p, "500113");
      const e2 = await enterprise(p, "500113");
      const e3 = await enterprise(p, "500112");
      // Submitted, approved and paid in Q4.
      await application(
        p,
        e1,
        M1,
        [
          ["submitted", "2026-10-05T02:00:00Z"],
          ["approved", "2026-11-01T02:00:00Z"],
        ],
        20_000_000,
        "2026-12-10T02:00:00Z",
      );
      // Submitted at 01:00 on 1 October in Chongqing (17:00 UTC on 30 September): Q4; still in review.
      await application(p, e2, M1, [["submitted", "2026-09-30T17:00:00Z"]], null);
      // Submitted at 23:59 on 30 September in Chongqing: Q3. Returned, resubmitted, rejected in Q4.
      const rejected = await application(
        p,
        e2,
        M5,
        [
          ["submitted", "2026-09-30T15:59:00Z"],
          ["returned", "2026-10-10T02:00:00Z"],
          ["submitted", "2026-10-12T02:00:00Z"],
          ["rejected", "2026-10-20T02:00:00Z"],
        ],
        null,
      );
      // Approved in Q3; paid at 00:30 on 1 January 2027 in Chongqing: Q1 2027, not Q4.
      await application(
        p,
        e1,
        M5,
        [
          ["submitted", "2026-07-01T02:00:00Z"],
          ["approved", "2026-08-01T02:00:00Z"],
        ],
        5_000_050,
        "2026-12-31T16:30:00Z",
      );
      const m6 = await application(
        p,
        e2,
        M6,
        [
          ["submitted", "2026-10-02T02:00:00Z"],
          ["approved", "2026-10-03T02:00:00Z"],
        ],
        1_000_000,
        "2026-10-15T02:00:00Z",
      );
      // Another district: only in the all-district report.
      await application(
        p,
        e3,
        M1,
        [
          ["submitted", "2026-10-05T02:00:00Z"],
          ["approved", "2026-10-06T02:00:00Z"],
        ],
        20_000_000,
      );
      // 满意度: two ratings in Q4, one in Q1 2027 (00:30 on 1 January in Chongqing).
      await p.ctx.db
        .insertInto("application_ratings")
        .values([
          {
            application_id: rejected,
            enterprise_id: e2,
            score: 2,
            comment: null,
            created_at: "2026-10-21T02:00:00Z",
          },
          {
            application_id: m6,
            enterprise_id: e2,
            score: 5,
            comment: "很快",
            created_at: "2026-12-31T16:30:00Z",
          },
        ])
        .execute();
      await p.ctx.db
        .insertInto("measure_budgets")
        .values({ measure_id: M6, budget_fen: 4_000_000 })
        .execute();
    }, 60_000);
    afterAll(async () => p?.close());

    it("counts a coordinator's district per department and measure, by the Shanghai calendar", async () => {
      const c = await new Client(p.app).login("coordinator-banan", PASSWORD);
      const r = await c.get("/api/reports/quarterly?year=2026&quarter=4");
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body).toMatchObject({ from: "2026-10-01", to: "2026-12-31", regionCode: "500113" });
      const dept = (code: string) =>
        body.departments.find((d: { department: string }) => d.department === code);
      expect(dept("economy-it")).toMatchObject({
        departmentName: "区经济信息委",
        received: 2,
        inReview: 1,
        approved: 1,
        rejected: 0,
        returned: 0,
        grantedFen: 20_000_000,
        paidFen: 20_000_000,
        enterprisesBenefited: 1,
      });
      expect(dept("economy-it").measures).toHaveLength(1);
      expect(dept("economy-it").measures[0]).toMatchObject({ measureId: M1, received: 2 });
      expect(dept("commerce")).toMatchObject({
        received: 0,
        inReview: 0,
        approved: 0,
        rejected: 1,
        returned: 1,
        grantedFen: 0,
        paidFen: 0,
        enterprisesBenefited: 0,
      });
      expect(dept("market-supervision")).toMatchObject({ received: 1, approved: 1, paidFen: 1_000_000 });
      expect(body.totals).toEqual({
        received: 3,
        inReview: 1,
        approved: 2,
        rejected: 1,
        returned: 1,
        grantedFen: 21_000_000,
        paidFen: 21_000_000,
        enterprisesBenefited: 2,
      });

      const q3 = (await c.get("/api/reports/quarterly?year=2026&quarter=3")).json();
      expect(q3.totals).toMatchObject({ received: 2, approved: 1, grantedFen: 5_000_050, inReview: 1 });
      const q1 = (await c.get("/api/reports/quarterly?year=2027&quarter=1")).json();
      expect(q1.totals).toMatchObject({
        received: 0,
        paidFen: 5_000_050,
        enterprisesBenefited: 1,
        inReview: 1,
      });

      const commerce = (await c.get("/api/reports/quarterly?year=2026&quarter=4&department=commerce")).json();
      expect(commerce.departments.map((d: { department: string }) => d.department)).toEqual(["commerce"]);
      expect(commerce.totals.rejected).toBe(1);
    });

    it("reports 兑现率, processing time in working days, satisfaction and budget execution", async () => {
      const c = await new Client(p.app).login("coordinator-banan", PASSWORD);
      const body = (await c.get("/api/reports/quarterly?year=2026&quarter=4")).json();
      expect(body.regionName).toBe("巴南区");
      // Held grants as of 31 December: M1 20万 (paid), M5 50,000.50 (paid only on 1 January), M6 1万 (paid).
      expect(body.overall.fulfilment).toMatchObject({
        approvedCount: 3,
        paidCount: 2,
        approvedFen: 26_000_050,
        paidFen: 21_000_000,
        countRate: 2 / 3,
      });
      expect(body.overall.fulfilment.amountRate).toBeCloseTo(21_000_000 / 26_000_050, 10);
      // Decisions in Q4 (first submission → decision, working days, National Day 1–7 October off, 10 October
      // a make-up Saturday): M1 5 Oct → 1 Nov = 18; M5 30 Sep → 20 Oct = 10 (returns included); M6 2 → 3 Oct = 0.
      expect(body.overall.processing).toEqual({ count: 3, averageDays: 9.3, p90Days: 18 });
      // Payments in Q4: M1 approved 1 Nov, paid 10 Dec = 29; M6 approved 3 Oct, paid 15 Oct = 7.
      expect(body.overall.payment).toEqual({ count: 2, averageDays: 18, p90Days: 29 });
      expect(body.overall.satisfaction).toEqual({ count: 1, average: 2 });
      const dept = (code: string) =>
        body.departments.find((d: { department: string }) => d.department === code);
      expect(dept("commerce").indicators.fulfilment).toMatchObject({ amountRate: 0, countRate: 0 });
      expect(dept("commerce").indicators.processing).toEqual({ count: 1, averageDays: 10, p90Days: 10 });
      expect(dept("commerce").indicators.satisfaction).toEqual({ count: 1, average: 2 });
      expect(dept("economy-it").indicators.fulfilment).toMatchObject({ amountRate: 1, countRate: 1 });
      expect(dept("market-supervision").indicators.satisfaction).toEqual({ count: 0, average: null });
      expect(body.budgets).toEqual([
        {
          measureId: M6,
          title: expect.any(String),
          department: "market-supervision",
          departmentName: "区市场监管局",
          budgetFen: 4_000_000,
          approvedFen: 1_000_000,
          paidFen: 1_000_000,
          approvedRate: 0.25,
          paidRate: 0.25,
        },
      ]);

      const q1 = (await c.get("/api/reports/quarterly?year=2027&quarter=1")).json();
      expect(q1.overall.satisfaction).toEqual({ count: 1, average: 5 });
      expect(q1.overall.fulfilment).toMatchObject({
        approvedFen: 26_000_050,
        paidFen: 26_000_050,
        amountRate: 1,
      });
      expect(q1.overall.processing).toEqual({ count: 0, averageDays: null, p90Days: null });
    });

    it("policy admins see all districts or one; coordinators only theirs; other roles none", async () => {
      const admin = await new Client(p.app).login("admin", PASSWORD);
      const all = (await admin.get("/api/reports/quarterly?year=2026&quarter=4")).json();
      expect(all.regionCode).toBeNull();
      expect(all.totals).toMatchObject({ received: 4, approved: 3, grantedFen: 41_000_000 });
      const yubei = (await admin.get("/api/reports/quarterly?year=2026&quarter=4&regionCode=500112")).json();
      expect(yubei.totals).toMatchObject({ received: 1, approved: 1 });
      const c = await new Client(p.app).login("coordinator-banan", PASSWORD);
      expect((await c.get("/api/reports/quarterly?year=2026&quarter=4&regionCode=500112")).statusCode).toBe(
        403,
      );
      const o = await new Client(p.app).login("officer-banan", PASSWORD);
      expect((await o.get("/api/reports/quarterly?year=2026&quarter=4")).statusCode).toBe(403);
      expect((await o.get("/api/reports/quarterly.xlsx?year=2026&quarter=4")).statusCode).toBe(403);
      const bad = await c.get("/api/reports/quarterly?year=2026&quarter=5");
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].field).toBe("quarter");
    });

    it("downloads the report as .xlsx with Chinese headers and money in 元", async () => {
      const c = await new Client(p.app).login("coordinator-banan", PASSWORD);
      const r = await c.get("/api/reports/quarterly.xlsx?year=2026&quarter=4");
      expect(r.statusCode).toBe(200);
      expect(r.headers["content-type"]).toBe(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      );
      expect(String(r.headers["content-disposition"])).toContain("attachment");
      expect(String(r.headers["content-disposition"])).toContain(
        encodeURIComponent("季度报告-2026Q4-巴南区.xlsx"),
      );
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const ws = wb.getWorksheet("2026年第4季度");
      if (!ws) throw new Error("工作表缺失");
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      expect(header.slice(0, 4)).toEqual(["牵头单位", "措施编号", "文号", "措施名称"]);
      expect(header).toContain("核定金额（元）");
      let found = false;
      ws.eachRow((row) => {
        if (row.getCell(2).value === M1) {
          found = true;
          expect(row.getCell(1).value).toBe("区经济信息委");
          expect(row.getCell(5).value).toBe(2);
          expect(row.getCell(10).value).toBe(200000);
          expect(row.getCell(10).numFmt).toBe("#,##0.00");
        }
      });
      expect(found).toBe(true);
      const q1 = await c.get("/api/reports/quarterly.xlsx?year=2027&quarter=1");
      const wb1 = new ExcelJS.Workbook();
      await wb1.xlsx.load(q1.rawPayload as unknown as ArrayBuffer);
      const last = wb1.getWorksheet("2027年第1季度")?.lastRow;
      expect(last?.getCell(1).value).toBe("合计");
      expect(last?.getCell(11).value).toBe(50000.5);
    });
  });
}

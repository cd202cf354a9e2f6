/** 服务专员 on PGlite (and PostgreSQL when configured): one officer per enterprise, history, officer first, the officer's page. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { staffClient } from "../enterprises/test-fixtures.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";

/** Friday 3 April 2026, before 清明: the 报到 limit is Wednesday 8 April. */
const FRIDAY = new Date("2026-04-03T10:00:00+08:00");
const AFTER_ACCEPT_LIMIT = new Date("2026-04-09T10:00:00+08:00");
const IN_FORCE = new Date("2022-10-17T10:00:00+08:00");

interface Item {
  enterpriseName: string;
  openRequests: number;
  deadlines: { measureId: string; validUntil: string }[];
  unapplied: { measureId: string; amount: { min: number; text: string } | null }[];
}

for (const kind of testDatabaseKinds()) {
  describe(`服务专员 (${kind})`, () => {
    let p: TestPlatform;
    let enterprise: Client;
    let otherEnterprise: Client;
    let coordinator: Client;
    let otherCoordinator: Client;
    let economyOfficer: Client;
    let scienceOfficer: Client;
    let secondScienceOfficer: Client;
    let financeOfficer: Client;
    let enterpriseId = "";
    const ids: Record<string, string> = {};

    const login = (u: string) => new Client(p.app).login(u, DEMO_PASSWORD);
    const accountId = async (username: string) =>
      (
        await p.ctx.db
          .selectFrom("accounts")
          .select("id")
          .where("username", "=", username)
          .executeTakeFirstOrThrow()
      ).id;
    const openAssignments = async () =>
      (
        await p.ctx.db
          .selectFrom("service_officer_assignments")
          .select("officer_id")
          .where("enterprise_id", "=", enterpriseId)
          .where("ended_at", "is", null)
          .execute()
      ).map((r) => r.officer_id);

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await seedDemo(p.ctx);
      enterprise = await login("qiye-banan-manufacturer");
      otherEnterprise = await login("qiye-yubei-smart-factory");
      coordinator = await login("banan-coordinator");
      otherCoordinator = await login("yubei-coordinator");
      economyOfficer = await login("banan-economy-it");
      scienceOfficer = await login("banan-science-tech");
      financeOfficer = await login("banan-finance-office");
      secondScienceOfficer = await staffClient(p.app, p.ctx, {
        username: "banan-science-tech-2",
        displayName: "巴南区科技局第二经办人",
        role: "officer",
        department: "science-tech",
        regionCode: "500113",
      });
      enterpriseId = (
        await p.ctx.db
          .selectFrom("accounts")
          .select("enterprise_id")
          .where("username", "=", "qiye-banan-manufacturer")
          .executeTakeFirstOrThrow()
      ).enterprise_id as string;
      for (const u of [
        "banan-economy-it",
        "banan-science-tech",
        "banan-market-supervision",
        "banan-finance-office",
        "yubei-economy-it",
        "banan-finance",
      ])
        ids[u] = await accountId(u);
      p.setNow(FRIDAY);
    }, 180_000);
    afterAll(async () => p?.close());

    it("an enterprise without an officer sees none, with the measures quoted", async () => {
      const r = await enterprise.get("/api/service-officer/mine");
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().assignment).toBeNull();
      expect(r.json().basis.map((b: { quote: string }) => b.quote)).toContain(
        "按照“一企一策一人”配备服务专员，为企业解决用地、用工、用能、配套等实际困难。",
      );
      expect((await coordinator.get("/api/service-officer/mine")).statusCode).toBe(403);
    });

    it("the district coordinator assigns an officer; the enterprise sees name, department and phone", async () => {
      const r = await coordinator.put(`/api/enterprises/${enterpriseId}/service-officer`, {
        officerId: ids["banan-economy-it"],
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().current.officer.name).toBe("巴南区经济信息委经办人");
      const mine = (await enterprise.get("/api/service-officer/mine")).json().assignment;
      expect(mine.officer).toMatchObject({
        name: "巴南区经济信息委经办人",
        departmentName: "区经济信息委",
      });
      expect(mine.officer.phone).toMatch(/^023-\d{8}$/);
      // Another enterprise does not see it.
      expect((await otherEnterprise.get("/api/service-officer/mine")).json().assignment).toBeNull();
      // Audited, without the phone.
      const audit = await p.ctx.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "service.officer.assign")
        .execute();
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(mine.officer.phone);
    });

    it("refuses another district's coordinator, an officer of another district, and non-coordinators", async () => {
      const other = await otherCoordinator.put(`/api/enterprises/${enterpriseId}/service-officer`, {
        officerId: ids["yubei-economy-it"],
      });
      expect(other.statusCode).toBe(403);
      expect(other.json().error.message).toContain("本区县");
      const wrongOfficer = await coordinator.put(`/api/enterprises/${enterpriseId}/service-officer`, {
        officerId: ids["yubei-economy-it"],
      });
      expect(wrongOfficer.statusCode).toBe(400);
      expect(JSON.stringify(wrongOfficer.json())).toContain("本区县");
      const notOfficer = await coordinator.put(`/api/enterprises/${enterpriseId}/service-officer`, {
        officerId: ids["banan-finance"],
      });
      expect(notOfficer.statusCode).toBe(400);
      const byOfficer = await economyOfficer.put(`/api/enterprises/${enterpriseId}/service-officer`, {
        officerId: ids["banan-science-tech"],
      });
      expect(byOfficer.statusCode).toBe(403);
      expect(
        (await otherCoordinator.get(`/api/enterprises/${enterpriseId}/service-officer`)).statusCode,
      ).toBe(403);
      expect(await openAssignments()).toEqual([ids["banan-economy-it"]]);
    });

    it("concurrent assigns leave exactly one open assignment; history keeps every officer", async () => {
      // Two different officers at once: they serialise on the enterprise row, one stays open.
      const race = [ids["banan-market-supervision"], ids["banan-finance-office"]] as string[];
      const results = await Promise.all(
        race.map((officerId) =>
          coordinator.put(`/api/enterprises/${enterpriseId}/service-officer`, { officerId }),
        ),
      );
      for (const r of results) expect(r.statusCode, r.body).toBe(200);
      const open = await openAssignments();
      expect(open).toHaveLength(1);
      expect(race).toContain(open[0]);
      // The same officer twice at once: one assignment, the second changes nothing.
      const same = await Promise.all(
        [1, 2].map(() =>
          coordinator.put(`/api/enterprises/${enterpriseId}/service-officer`, {
            officerId: ids["banan-science-tech"],
          }),
        ),
      );
      for (const r of same) expect(r.statusCode, r.body).toBe(200);
      expect(await openAssignments()).toEqual([ids["banan-science-tech"]]);
      // The database itself refuses a second open assignment.
      await expect(
        p.ctx.db
          .insertInto("service_officer_assignments")
          .values({
            id: randomUUID(),
            enterprise_id: enterpriseId,
            officer_id: ids["banan-economy-it"] as string,
            assigned_by: null,
            assigned_at: new Date(),
            ended_at: null,
            ended_by: null,
          })
          .execute(),
      ).rejects.toThrow();
      const h = (await coordinator.get(`/api/enterprises/${enterpriseId}/service-officer`)).json();
      expect(h.current.officer.name).toBe("巴南区科技局经办人");
      const rows = h.history as { officerName: string; until: string | null }[];
      expect(rows[0]).toMatchObject({ officerName: "巴南区科技局经办人", until: null });
      expect(rows.slice(1).every((x) => x.until !== null)).toBe(true);
      expect(rows.map((x) => x.officerName).sort()).toEqual(
        [
          "巴南区科技局经办人",
          "巴南区经济信息委经办人",
          "巴南区市场监管局经办人",
          "巴南区金融事务中心经办人",
        ].sort(),
      );
      const reassigned = await p.ctx.db
        .selectFrom("audit_log")
        .select("action")
        .where("action", "=", "service.officer.reassign")
        .execute();
      expect(reassigned).toHaveLength(3);
    });

    it("a request goes to the officer first: their department, named, told alone, top of their queue", async () => {
      // 融资 normally goes to the 金融事务中心; with an officer it goes to the officer's 科技局.
      const r = await enterprise.post("/api/service-requests", {
        category: "融资",
        description: "流动资金紧张，希望对接银行贷款",
      });
      expect(r.statusCode, r.body).toBe(201);
      const req = r.json();
      expect(req.departmentName).toBe("区科技局");
      expect(req.officerName).toBe("巴南区科技局经办人");
      expect(req.acceptDue).toBe("2026-04-08");
      const msgs = await p.ctx.db
        .selectFrom("outbox")
        .select("payload")
        .where("topic", "=", "message.send")
        .execute();
      const to = msgs.filter((m) => String(m.payload.title).includes(req.number)).map((m) => m.payload.to);
      expect(to).toEqual(["banan-science-tech"]);
      // Not in the routing table's department.
      expect((await financeOfficer.get(`/api/service-requests/${req.id}`)).statusCode).toBe(404);

      // An older open request of the department without an officer, due earlier, stays below the officer's.
      const queue = (await scienceOfficer.get("/api/service-requests/queue")).json().items;
      expect(queue[0].id).toBe(req.id);
      expect(queue[0].can.accept).toBe(true);

      // Another officer of the department sees it but cannot accept within the limit.
      const second = (await secondScienceOfficer.get(`/api/service-requests/${req.id}`)).json();
      expect(second.can.accept).toBe(false);
      const early = await secondScienceOfficer.post(`/api/service-requests/${req.id}/accept`);
      expect(early.statusCode).toBe(403);
      expect(early.json().error.message).toContain("服务专员");

      // From the day after the limit, the department may accept.
      p.setNow(AFTER_ACCEPT_LIMIT);
      const late = await secondScienceOfficer.post(`/api/service-requests/${req.id}/accept`);
      expect(late.statusCode, late.body).toBe(200);
      expect(late.json().statusLabel).not.toBe("待部门报到");
      p.setNow(FRIDAY);
    });

    it("the officer accepts within the limit; reassigning passes open requests or drops the name", async () => {
      const r = (
        await enterprise.post("/api/service-requests", {
          category: "用地",
          description: "厂房扩建用地指标不足",
        })
      ).json();
      expect(r.officerName).toBe("巴南区科技局经办人");
      // Reassigned to the 经济信息委: the open request stays with the 科技局 but loses the officer's name.
      const put = await coordinator.put(`/api/enterprises/${enterpriseId}/service-officer`, {
        officerId: ids["banan-economy-it"],
      });
      expect(put.statusCode).toBe(200);
      const after = (await secondScienceOfficer.get(`/api/service-requests/${r.id}`)).json();
      expect(after.officerName).toBeNull();
      expect(after.can.accept).toBe(true);
      // New requests go to the new officer.
      const next = (
        await enterprise.post("/api/service-requests", {
          category: "审批",
          description: "技改项目环评审批较慢",
        })
      ).json();
      expect(next.departmentName).toBe("区经济信息委");
      expect(next.officerName).toBe("巴南区经济信息委经办人");
      const accepted = await economyOfficer.post(`/api/service-requests/${next.id}/accept`);
      expect(accepted.statusCode, accepted.body).toBe(200);
    });

    it("the officer's page: their enterprises, open requests, next deadlines, matches not applied for", async () => {
      // In 2022 the demo documents are in force (their measures end 2022-12-31 and later).
      p.setNow(IN_FORCE);
      const page = await economyOfficer.get("/api/service-officer/enterprises");
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json();
      expect(body.total).toBe(1);
      const item = body.items[0] as Item;
      const e = await p.ctx.db
        .selectFrom("enterprises")
        .select("name")
        .where("id", "=", enterpriseId)
        .executeTakeFirstOrThrow();
      expect(item.enterpriseName).toBe(e.name);
      // Open: the 审批 request (accepted) — the 科技局 ones are counted too: all open requests of the enterprise.
      const open = await p.ctx.db
        .selectFrom("service_requests")
        .select("id")
        .where("enterprise_id", "=", enterpriseId)
        .where("status", "in", ["submitted", "accepted", "reopened"])
        .execute();
      expect(item.openRequests).toBe(open.length);
      expect(item.openRequests).toBeGreaterThan(0);
      expect(item.deadlines.length).toBeLessThanOrEqual(3);
      const dates = item.deadlines.map((d) => d.validUntil);
      expect([...dates].sort()).toEqual(dates);
      expect(dates.length).toBeGreaterThan(0);
      for (const d of dates) expect(d >= "2022-10-17").toBe(true);
      // The demo enterprise has applied for every measure paying money it fits.
      expect(item.unapplied).toEqual([]);

      // Back to drafts: they count as not applied for; a submitted one does not.
      const setStatus = (status: string, measureId?: string) => {
        let q = p.ctx.db
          .updateTable("applications")
          .set({ status })
          .where("enterprise_id", "=", enterpriseId);
        if (measureId) q = q.where("measure_id", "=", measureId);
        return q.execute();
      };
      await setStatus("draft");
      const drafts = (await economyOfficer.get("/api/service-officer/enterprises")).json().items[0] as Item;
      const m1 = drafts.unapplied.find((m) => m.measureId === "banan-2022-63/1");
      expect(m1?.amount?.text).toMatch(/元/);
      expect(m1?.amount?.min).toBeGreaterThan(0);
      await setStatus("submitted", "banan-2022-63/1");
      const again = (await economyOfficer.get("/api/service-officer/enterprises")).json().items[0] as Item;
      const left = again.unapplied.map((m) => m.measureId);
      expect(left).not.toContain("banan-2022-63/1");
      expect(left.length).toBe(drafts.unapplied.length - 1);

      // The former officer no longer has the enterprise; enterprises and coordinators cannot open the page.
      expect((await scienceOfficer.get("/api/service-officer/enterprises")).json().items).toEqual([]);
      expect((await enterprise.get("/api/service-officer/enterprises")).statusCode).toBe(403);
      expect((await coordinator.get("/api/service-officer/enterprises")).statusCode).toBe(403);
      p.setNow(FRIDAY);
    });

    it("the coordinator's list: search by name, officers of the district only; ending keeps the history", async () => {
      const list = (
        await coordinator.get(`/api/service-officers/assignments?q=${encodeURIComponent("巴南")}`)
      ).json();
      const row = list.items.find((x: { enterpriseId: string }) => x.enterpriseId === enterpriseId);
      if (row) expect(row.officer.name).toBe("巴南区经济信息委经办人");
      expect(list.officers.length).toBeGreaterThanOrEqual(4);
      expect(list.officers.every((o: { name: string }) => !o.name.startsWith("渝北"))).toBe(true);
      const all = (await coordinator.get("/api/service-officers/assignments")).json();
      expect(all.items.find((x: { enterpriseId: string }) => x.enterpriseId === enterpriseId)).toBeTruthy();
      const none = (
        await coordinator.get(`/api/service-officers/assignments?q=${encodeURIComponent("不存在的企业名")}`)
      ).json();
      expect(none.items).toEqual([]);

      const end = await coordinator.request("DELETE", `/api/enterprises/${enterpriseId}/service-officer`);
      expect(end.statusCode, end.body).toBe(200);
      expect(end.json().current).toBeNull();
      expect(end.json().history).toHaveLength(5);
      expect(end.json().history.every((x: { until: string | null }) => x.until !== null)).toBe(true);
      expect(await openAssignments()).toEqual([]);
      expect((await enterprise.get("/api/service-officer/mine")).json().assignment).toBeNull();
      // Without an officer, requests follow the routing table again.
      const r = (
        await enterprise.post("/api/service-requests", { category: "融资", description: "希望对接担保公司" })
      ).json();
      expect(r.departmentName).toBe("区金融办（金融事务中心）");
      expect(r.officerName).toBeNull();
      expect(
        (await coordinator.request("DELETE", `/api/enterprises/${enterpriseId}/service-officer`)).statusCode,
      ).toBe(404);
    });
  });
}

/** 企业吹哨·部门报到 on PGlite (and PostgreSQL when configured): routing, the state machine, working-day limits, escalation. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { escalateOverdueRequests } from "./escalation.ts";

/** Friday 3 April 2026, before 清明 (4–6 April off): two working days on is Wednesday 8 April, not Tuesday 7. */
const FRIDAY_BEFORE_QINGMING = new Date("2026-04-03T10:00:00+08:00");

for (const kind of testDatabaseKinds()) {
  describe(`企业吹哨·部门报到 (${kind})`, () => {
    let p: TestPlatform;
    let enterprise: Client;
    let officer: Client;
    let otherDepartment: Client;
    let otherDistrictOfficer: Client;
    let otherEnterprise: Client;
    let coordinator: Client;
    let otherCoordinator: Client;
    let finance: Client;
    let admin: Client;

    const login = (u: string) => new Client(p.app).login(u, DEMO_PASSWORD);

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await seedDemo(p.ctx);
      enterprise = await login("qiye-banan-manufacturer");
      officer = await login("banan-economy-it");
      otherDepartment = await login("banan-science-tech");
      otherDistrictOfficer = await login("yubei-economy-it");
      otherEnterprise = await login("qiye-yubei-smart-factory");
      coordinator = await login("banan-coordinator");
      otherCoordinator = await login("yubei-coordinator");
      finance = await login("banan-finance");
      admin = await login("policy-admin");
      // Signed in at today's date, so the sessions stay valid at the earlier dates the tests move to.
      p.setNow(FRIDAY_BEFORE_QINGMING);
    }, 180_000);
    afterAll(async () => p?.close());

    async function raise(category: string, description = "招工困难，需要对接职业院校") {
      const r = await enterprise.post("/api/service-requests", { category, description });
      expect(r.statusCode, r.body).toBe(201);
      return r.json();
    }

    it("a 用工 request reaches the district's 经济信息委 with a 2-working-day 报到 limit across 清明", async () => {
      const r = await raise("用工");
      expect(r.departmentName).toBe("区经济信息委");
      expect(r.regionName).toBe("巴南区");
      expect(r.number).toMatch(/^500113-2026-\d{6}$/);
      expect(r.statusLabel).toBe("待部门报到");
      expect(r.acceptDue).toBe("2026-04-08");
      expect(r.timeLimit).toMatchObject({ stageLabel: "报到时限", label: "时限内", workingDaysLeft: 2 });
      expect(r.events.map((e: { what: string }) => e.what)).toEqual(["企业提出诉求"]);

      const queue = (await officer.get("/api/service-requests/queue")).json().items;
      expect(queue.map((x: { id: string }) => x.id)).toContain(r.id);
      expect(queue.find((x: { id: string }) => x.id === r.id).can.accept).toBe(true);
      // Another department, another district, another enterprise: not theirs.
      expect((await otherDepartment.get("/api/service-requests/queue")).json().items).toEqual([]);
      expect((await otherDepartment.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
      expect((await otherDistrictOfficer.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
      expect((await otherDistrictOfficer.post(`/api/service-requests/${r.id}/accept`)).statusCode).toBe(404);
      expect((await otherEnterprise.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
      expect((await finance.get("/api/service-requests/queue")).statusCode).toBe(403);
      expect((await enterprise.post(`/api/service-requests/${r.id}/accept`)).statusCode).toBe(403);
      // The staff side is told through the message channel.
      const msgs = await p.ctx.db
        .selectFrom("outbox")
        .select("payload")
        .where("topic", "=", "message.send")
        .execute();
      expect(msgs.some((m) => m.payload.to === "banan-economy-it")).toBe(true);
    });

    it("refuses steps out of turn in Chinese; accepts, forwards, replies, reopens, closes and rates once", async () => {
      const r = await raise("用工");
      const url = `/api/service-requests/${r.id}`;
      const early = await enterprise.post(`${url}/confirm`);
      expect(early.statusCode).toBe(409);
      expect(early.json().error.message).toBe("诉求当前为「待部门报到」，不能确认办结");
      expect((await officer.post(`${url}/reply`, { text: "已协调" })).json().error.message).toContain(
        "不能答复",
      );

      p.setNow(new Date("2026-04-07T09:00:00+08:00"));
      const accepted = await officer.post(`${url}/accept`);
      expect(accepted.statusCode, accepted.body).toBe(200);
      expect(accepted.json()).toMatchObject({
        statusLabel: "办理中",
        replyDue: "2026-04-21",
        acceptedLate: false,
      });
      expect((await officer.post(`${url}/accept`)).statusCode).toBe(409);

      const badForward = await officer.post(`${url}/forward`, { department: "economy-it" });
      expect(badForward.statusCode).toBe(400);
      expect(badForward.json().error.fields[0].field).toBe("department");
      const fwd = await officer.post(`${url}/forward`, {
        department: "municipal-hr-social-security",
        note: "需市级统筹",
      });
      expect(fwd.json().forwardedToName).toBe("市人力社保局");

      const empty = await officer.post(`${url}/reply`, { text: " " });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.fields[0].field).toBe("text");
      const replied = await officer.post(`${url}/reply`, { text: "已对接区职教中心，下周组织专场招聘" });
      expect(replied.json().statusLabel).toBe("已答复，待企业确认");
      expect((await enterprise.post(`${url}/rate`, { score: 5 })).statusCode).toBe(409);

      const reopened = await enterprise.post(`${url}/reopen`, { reason: "专场时间太晚" });
      expect(reopened.json()).toMatchObject({ statusLabel: "企业重新打开，办理中", replyDue: "2026-04-14" });
      await officer.post(`${url}/reply`, { text: "已提前到本周五" });
      const closed = await enterprise.post(`${url}/confirm`);
      expect(closed.json().statusLabel).toBe("已办结");
      const rated = await enterprise.post(`${url}/rate`, { score: 4, comment: "响应及时" });
      expect(rated.json().rating).toEqual({ score: 4, comment: "响应及时" });
      expect((await enterprise.post(`${url}/rate`, { score: 5 })).statusCode).toBe(409);
      const bad = await enterprise.post(`${url}/rate`, { score: 9 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].field).toBe("score");

      const detail = (await enterprise.get(url)).json();
      expect(detail.events.map((e: { what: string }) => e.what)).toEqual([
        "企业提出诉求",
        "部门报到受理",
        "转报市级部门（市区联动）",
        "部门答复",
        "企业重新打开",
        "部门答复",
        "企业确认办结",
        "企业评价",
      ]);
      const notes = await p.ctx.db
        .selectFrom("notifications")
        .select("title")
        .where("kind", "=", "service.changed")
        .where("link", "=", `/services?id=${r.id}`)
        .execute();
      expect(notes.map((n) => n.title)).toEqual(
        expect.arrayContaining([`诉求已受理：${r.number}`, `诉求已答复：${r.number}`]),
      );
      const audit = await p.ctx.db
        .selectFrom("audit_log")
        .select("action")
        .where("entity_id", "=", r.id)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining([
          "service.create",
          "service.accept",
          "service.reply",
          "service.confirm",
          "service.rate",
        ]),
      );
    });

    it("an overdue request shows 即将超时 then 已超时 and escalates to the district coordinator once", async () => {
      p.setNow(FRIDAY_BEFORE_QINGMING);
      const r = await raise("用能", "变压器扩容审批慢，影响新产线投产");
      const stateOn = async (at: string) => {
        p.setNow(new Date(at));
        const q = (await officer.get("/api/service-requests/queue")).json().items;
        return q.find((x: { id: string }) => x.id === r.id).timeLimit.label;
      };
      expect(await stateOn("2026-04-06T09:00:00+08:00")).toBe("时限内");
      expect(await stateOn("2026-04-07T09:00:00+08:00")).toBe("即将超时");
      expect(await stateOn("2026-04-09T09:00:00+08:00")).toBe("已超时");

      const first = await escalateOverdueRequests(p.ctx);
      expect(first).toBeGreaterThanOrEqual(1);
      expect(await escalateOverdueRequests(p.ctx)).toBe(0);
      const overdue = (await coordinator.get("/api/service-requests/overdue")).json().items;
      const mine = overdue.find((x: { id: string }) => x.id === r.id);
      expect(mine).toMatchObject({ escalated: true, departmentName: "区经济信息委" });
      expect((await otherCoordinator.get("/api/service-requests/overdue")).json().items).toEqual([]);
      const events = (await coordinator.get(`/api/service-requests/${r.id}`)).json().events;
      expect(events.filter((e: { what: string }) => e.what === "超时升级至区发展改革委")).toHaveLength(1);
      const told = await p.ctx.db
        .selectFrom("outbox")
        .select("payload")
        .where("dedupe_key", "like", `service:${r.id}:escalate:%`)
        .execute();
      expect(told.map((t) => t.payload.to)).toEqual(["banan-coordinator"]);

      // Accepted late: recorded as such, and the reply stage has its own limit (not escalated yet).
      const acc = (await officer.post(`/api/service-requests/${r.id}/accept`)).json();
      expect(acc.acceptedLate).toBe(true);
      expect(acc.timeLimit.label).toBe("时限内");
    });

    it("the routing table is data: a coordinator re-routes its own district only", async () => {
      p.setNow(new Date("2026-04-20T10:00:00+08:00"));
      const other = await coordinator.put("/api/service-routes", {
        category: "用工",
        regionCode: "500112",
        department: "science-tech",
      });
      expect(other.statusCode).toBe(403);
      const set = await coordinator.put("/api/service-routes", {
        category: "用工",
        regionCode: "500113",
        department: "science-tech",
      });
      expect(set.statusCode, set.body).toBe(200);
      const r = await raise("用工");
      expect(r.departmentName).toBe("区科技局");
      expect((await otherDepartment.get(`/api/service-requests/${r.id}`)).statusCode).toBe(200);
      expect((await officer.get(`/api/service-requests/${r.id}`)).statusCode).toBe(404);
      const bad = await admin.put("/api/service-routes", {
        category: "用工",
        regionCode: "*",
        department: "nowhere",
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].field).toBe("department");
      const badCategory = await enterprise.post("/api/service-requests", {
        category: "其它",
        description: "随便说说看",
      });
      expect(badCategory.statusCode).toBe(400);
      expect(badCategory.json().error.fields[0].field).toBe("category");
    });

    it("the coordinator's quarterly report counts received, in time, closed, escalated and satisfaction", async () => {
      const r = await coordinator.get("/api/reports/quarterly?year=2026&quarter=2");
      expect(r.statusCode, r.body).toBe(200);
      const s = r.json().serviceRequests;
      expect(s.departments).toEqual([
        {
          department: "economy-it",
          departmentName: "区经济信息委",
          received: 3,
          acceptedInTime: 1,
          closed: 1,
          escalated: 2,
          ratings: 1,
          averageScore: 4,
        },
        expect.objectContaining({
          departmentName: "区科技局",
          received: 1,
          escalated: 0,
          averageScore: null,
        }),
      ]);
      expect(s.totals).toMatchObject({ received: 4, escalated: 2, closed: 1 });
      const q1 = (await coordinator.get("/api/reports/quarterly?year=2026&quarter=1")).json().serviceRequests;
      expect(q1.totals.received).toBe(0);
      const yubei = (await otherCoordinator.get("/api/reports/quarterly?year=2026&quarter=2")).json();
      expect(yubei.serviceRequests.totals.received).toBe(0);
    });
  });
}

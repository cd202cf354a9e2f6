import { randomUUID } from "node:crypto";
import { compileRules, type MeasureDef } from "@huiqi/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/passwords.ts";
import type { TestPlatform } from "../test-support.ts";
import { Client, startTestPlatform, testDatabaseKinds } from "../test-support.ts";
import { LogChannel } from "./channels.ts";
import { enqueueDailyReminders, enqueueMeasureChanges } from "./handlers.ts";
import { createJobQueue } from "./jobs.ts";
import { DEFAULT_SETTINGS, saveSettings } from "./settings.ts";
import type { OutboxQueue } from "./worker.ts";

const MEASURE = "banan-2022-63/1"; // 升规奖励 20 万元, 巴南区, until 2022-12-31
const PASSWORD = "correct-horse-1";

async function seedEnterprise(
  p: TestPlatform,
  name: string,
  region: string,
  facts: Record<string, unknown>,
  username?: string,
): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  await p.ctx.db
    .insertInto("enterprises")
    .values({
      id,
      uscc: `TEST${id.slice(0, 14)}`,
      name,
      region_code: region,
      industry_code: "C3484",
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const [factId, value] of Object.entries(facts))
    await p.ctx.db
      .insertInto("enterprise_facts")
      .values({
        enterprise_id: id,
        fact_id: factId,
        period: "",
        value: JSON.stringify(value),
        source: "self",
        verified_by: null,
        updated_at: now,
      })
      .execute();
  if (username)
    await p.ctx.db
      .insertInto("accounts")
      .values({
        id: randomUUID(),
        username,
        password_hash: await hashPassword(PASSWORD),
        display_name: name,
        role: "enterprise",
        department: null,
        region_code: region,
        enterprise_id: id,
        created_at: now,
      })
      .execute();
  return id;
}

async function notificationsOf(p: TestPlatform, enterpriseId: string) {
  return p.ctx.db
    .selectFrom("notifications")
    .selectAll()
    .where("enterprise_id", "=", enterpriseId)
    .orderBy("created_at")
    .execute();
}

async function drain(q: OutboxQueue): Promise<void> {
  while ((await q.runDue(50)) > 0) {
    /* until nothing is due */
  }
}

for (const kind of testDatabaseKinds()) {
  describe(`targeted push (${kind})`, () => {
    let p: TestPlatform;
    let q: OutboxQueue;
    let sms: LogChannel;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(new Date("2022-11-01T02:00:00Z"));
      sms = new LogChannel("sms");
      q = createJobQueue(p.ctx, { channels: { sms } });
      ids.a = await seedEnterprise(p, "升规企业甲", "500113", { aboveScaleFirstYear: 2021 }, "jia");
      ids.b = await seedEnterprise(p, "老规上企业乙", "500113", { aboveScaleFirstYear: 2019 }, "yi");
      ids.c = await seedEnterprise(p, "渝北企业丙", "500112", { aboveScaleFirstYear: 2021 });
      ids.d = await seedEnterprise(p, "未填升规年份企业丁", "500113", {});
    }, 60_000);
    afterAll(async () => p?.close());

    it("measure.changed tells the matching enterprise, and an undetermined one with money at stake, in a digest", async () => {
      await enqueueMeasureChanges(p.ctx, p.ctx.engine.version, [MEASURE]);
      await drain(q);
      const a = await notificationsOf(p, ids.a as string);
      expect(a).toHaveLength(1);
      expect(a[0]).toMatchObject({ kind: "matches.digest", measure_id: MEASURE, link: "/calculator" });
      expect(a[0]?.title).toBe("1 项新措施适合您");
      expect(a[0]?.body).toContain("升规奖励");
      expect(a[0]?.body).toContain("20万元");
      // Undetermined (whether it already had this award is unknown), with money at stake.
      expect(a[0]?.body).toContain("可能符合 1 项");
      expect(await notificationsOf(p, ids.b as string)).toHaveLength(0); // ineligible
      expect(await notificationsOf(p, ids.c as string)).toHaveLength(0); // another district
      const d = await notificationsOf(p, ids.d as string);
      expect(d).toHaveLength(1);
      expect(d[0]?.body).toContain("可能符合");
    });

    it("re-running the job, or enqueueing it again, does not duplicate", async () => {
      await p.ctx.db
        .updateTable("outbox")
        .set({ status: "pending", available_at: new Date(0) })
        .where("topic", "in", ["measure.changed", "matches.digest"])
        .execute();
      await enqueueMeasureChanges(p.ctx, "another-version", [MEASURE]);
      await drain(q);
      expect(await notificationsOf(p, ids.a as string)).toHaveLength(1);
      expect(await notificationsOf(p, ids.d as string)).toHaveLength(1);
    });

    it("a changed measure is pushed again only where the amount changed: a reworded clause tells no one", async () => {
      const published = p.ctx.engine;
      const withMeasure = (change: (m: MeasureDef) => MeasureDef) =>
        compileRules({
          ...p.ctx.library.rules,
          version: `edited-${randomUUID()}`,
          measures: p.ctx.library.rules.measures.map((m) => (m.id === MEASURE ? change(m) : m)),
        });
      try {
        p.ctx.engine = withMeasure((m) => ({ ...m, clause: `${m.clause}（文字修订）` }));
        await enqueueMeasureChanges(p.ctx, p.ctx.engine.version, [MEASURE]);
        await drain(q);
        expect(await notificationsOf(p, ids.a as string)).toHaveLength(1);
        expect(await notificationsOf(p, ids.d as string)).toHaveLength(1);

        p.ctx.engine = withMeasure((m) => ({
          ...m,
          amount: { fixed: 300000, quote: "给予 30万元一次性奖励" },
        }));
        await enqueueMeasureChanges(p.ctx, p.ctx.engine.version, [MEASURE]);
        await drain(q);
        const a = await notificationsOf(p, ids.a as string);
        expect(a).toHaveLength(2);
        expect(a[1]?.body).toContain("30万元");
        expect(await notificationsOf(p, ids.b as string)).toHaveLength(0); // still ineligible
      } finally {
        p.ctx.engine = published;
      }
    });

    it("profile.changed sends one digest of the newly matched measures, once per measure version", async () => {
      await p.ctx.db
        .updateTable("enterprise_facts")
        .set({ value: JSON.stringify(2021) })
        .where("enterprise_id", "=", ids.b as string)
        .where("fact_id", "=", "aboveScaleFirstYear")
        .execute();
      await q.enqueue("profile.changed", { enterpriseId: ids.b, version: 2 });
      await q.enqueue("profile.changed", { enterpriseId: ids.b, version: 3 });
      await drain(q);
      const b = await notificationsOf(p, ids.b as string);
      expect(b).toHaveLength(1);
      expect(b[0]?.kind).toBe("matches.digest");
      expect(b[0]?.body).toContain("升规奖励");
      // Enterprise A was already told about this measure version by measure.changed: not again.
      const told = async () =>
        (await notificationsOf(p, ids.a as string)).filter((n) => n.body.includes("升规奖励")).length;
      const before = await told();
      await q.enqueue("profile.changed", { enterpriseId: ids.a, version: 2 });
      await drain(q);
      expect(await told()).toBe(before);
    });

    it("a library reload with several changed measures sends each enterprise one digest", async () => {
      const e = await seedEnterprise(p, "新企业戊", "500113", { aboveScaleFirstYear: 2021 });
      const banan = p.ctx.engine.measures
        .filter((m) => m.doc.id === "banan-2022-63" && p.ctx.engine.isInForce(m, "2022-11-01"))
        .map((m) => m.def.id);
      expect(banan.length).toBeGreaterThan(3);
      await enqueueMeasureChanges(p.ctx, "reload-2", banan);
      await drain(q);
      const n = await notificationsOf(p, e);
      expect(n).toHaveLength(1);
      expect(n[0]?.title).toMatch(/^\d+ 项新措施适合您$/);
      expect(Number(n[0]?.title.split(" ")[0])).toBeGreaterThan(1);
      expect(n[0]?.measure_id).toBeNull();
    });

    it("deadline reminders go to matching enterprises that have not applied, once a day", async () => {
      p.setNow(new Date("2022-12-20T01:00:00Z"));
      await p.ctx.db
        .insertInto("applications")
        .values({
          id: randomUUID(),
          enterprise_id: ids.b as string,
          measure_id: MEASURE,
          rules_version: p.ctx.engine.version,
          status: "submitted",
          current_step: 0,
          steps: JSON.stringify([]),
          form: JSON.stringify({}),
          max_fen: 20_000_000,
          granted_fen: null,
          notice_until: null,
          created_at: new Date(),
          updated_at: new Date(),
        })
        .execute();
      // Enterprise D does not want deadline reminders.
      await saveSettings(
        p.ctx.db,
        ids.d as string,
        { ...DEFAULT_SETTINGS, topics: { ...DEFAULT_SETTINGS.topics, deadlines: false } },
        new Date(),
      );
      await enqueueDailyReminders(p.ctx);
      await enqueueDailyReminders(p.ctx);
      await drain(q);
      const reminders = await p.ctx.db
        .selectFrom("notifications")
        .selectAll()
        .where("kind", "=", "deadline.reminder")
        .where("measure_id", "=", MEASURE)
        .execute();
      const who = new Set(reminders.map((r) => r.enterprise_id));
      expect(who.has(ids.a as string)).toBe(true);
      expect(who.has(ids.b as string)).toBe(false); // applied
      expect(who.has(ids.c as string)).toBe(false);
      expect(who.has(ids.d as string)).toBe(false); // switched off
      const a = reminders.find((r) => r.enterprise_id === ids.a);
      expect(a?.body).toContain("2022-12-31");
      expect(a?.body).toContain("还剩 11 天");
      const jobs = await p.ctx.db
        .selectFrom("outbox")
        .select("id")
        .where("topic", "=", "deadline.reminders")
        .execute();
      expect(jobs).toHaveLength(1);
    });

    it("application.changed tells the enterprise its application's new status", async () => {
      const app = await p.ctx.db
        .selectFrom("applications")
        .select("id")
        .where("enterprise_id", "=", ids.b as string)
        .executeTakeFirstOrThrow();
      const payload = {
        applicationId: app.id,
        from: "submitted",
        to: "returned",
        version: 2,
        reason: "缺统计证明。",
      };
      await q.enqueue("application.changed", payload, `application.changed:${app.id}:2`);
      await q.enqueue("application.changed", payload); // a duplicate delivery
      // The enterprise's own draft tells it nothing.
      await q.enqueue("application.changed", { applicationId: app.id, from: null, to: "draft", version: 1 });
      await drain(q);
      const n = (await notificationsOf(p, ids.b as string)).filter((x) => x.kind === "application.changed");
      expect(n).toHaveLength(1);
      expect(n[0]?.body).toContain("退回补正");
      expect(n[0]?.body).toContain("原因：缺统计证明。");
      expect(n[0]?.body).not.toContain("。。");
      expect(n[0]?.link).toBe(`/applications/${app.id}`);

      // Status notices switched off: nothing more.
      await saveSettings(
        p.ctx.db,
        ids.b as string,
        { ...DEFAULT_SETTINGS, topics: { ...DEFAULT_SETTINGS.topics, status: false } },
        new Date(),
      );
      await q.enqueue("application.changed", { ...payload, to: "submitted", version: 3 });
      await drain(q);
      expect(
        (await notificationsOf(p, ids.b as string)).filter((x) => x.kind === "application.changed"),
      ).toHaveLength(1);
      await saveSettings(p.ctx.db, ids.b as string, DEFAULT_SETTINGS, new Date());
    });

    it("keeps each enterprise's subscription: defaults, changes, e-mail not yet connected", async () => {
      const jia = await new Client(p.app).login("jia", PASSWORD);
      const initial = await jia.get("/api/notifications/settings");
      expect(initial.statusCode).toBe(200);
      expect(initial.json()).toEqual({
        topics: { matches: true, deadlines: true, status: true },
        channels: { inApp: true, email: false },
      });
      const off = {
        topics: { matches: false, deadlines: true, status: true },
        channels: { inApp: true, email: false },
      };
      const put = await jia.put("/api/notifications/settings", off);
      expect(put.statusCode, put.body).toBe(200);
      expect((await jia.get("/api/notifications/settings")).json()).toEqual(off);
      const email = await jia.put("/api/notifications/settings", {
        ...off,
        channels: { inApp: true, email: true },
      });
      expect(email.statusCode).toBe(400);
      expect(email.json().error.fields[0].field).toBe("channels.email");
      const bad = await jia.put("/api/notifications/settings", { topics: { matches: "yes" } });
      expect(bad.statusCode).toBe(400);

      // Matches switched off: a profile change marks them seen and sends nothing, and no backlog later.
      const before = (await notificationsOf(p, ids.a as string)).length;
      await p.ctx.db
        .insertInto("enterprise_facts")
        .values({
          enterprise_id: ids.a as string,
          fact_id: "rdExpense",
          period: "2021",
          value: JSON.stringify(1_200_000),
          source: "self",
          verified_by: null,
          updated_at: new Date(),
        })
        .execute();
      await q.enqueue("profile.changed", { enterpriseId: ids.a, version: 9 });
      await drain(q);
      expect(await notificationsOf(p, ids.a as string)).toHaveLength(before);
      expect(
        await p.ctx.db
          .selectFrom("notification_matches")
          .select("measure_id")
          .where("enterprise_id", "=", ids.a as string)
          .where("notified_at", "is", null)
          .execute(),
      ).toHaveLength(0);
      expect(
        (await jia.put("/api/notifications/settings", { ...off, topics: { ...off.topics, matches: true } }))
          .statusCode,
      ).toBe(200);
    });

    it("sends other channels through the MessageChannel interface (log only)", async () => {
      await q.enqueue("message.send", { channel: "sms", to: "13800000000", title: "提醒", body: "正文" });
      await drain(q);
      expect(sms.sent).toEqual([{ channel: "sms", to: "13800000000", title: "提醒", body: "正文" }]);
    });

    it("lists only one's own notifications, newest first, with the unread count and link; marks one read", async () => {
      const jia = await new Client(p.app).login("jia", PASSWORD);
      const yi = await new Client(p.app).login("yi", PASSWORD);
      const list = await jia.get("/api/notifications");
      expect(list.statusCode).toBe(200);
      const body = list.json();
      const own = await notificationsOf(p, ids.a as string);
      expect(body.total).toBe(own.length);
      expect(body.unreadCount).toBe(own.length);
      expect(body.items.map((i: { id: string }) => i.id).sort()).toEqual(own.map((n) => n.id).sort());
      const times = body.items.map((i: { createdAt: string }) => i.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      const first = body.items[0].id as string;

      const others = await yi.get("/api/notifications");
      expect(others.json().items.some((i: { id: string }) => i.id === first)).toBe(false);
      const steal = await yi.post(`/api/notifications/${first}/read`);
      expect(steal.statusCode).toBe(404);

      const read = await jia.post(`/api/notifications/${first}/read`);
      expect(read.statusCode).toBe(200);
      expect((await jia.post(`/api/notifications/${first}/read`)).statusCode).toBe(200);
      const after = (await jia.get("/api/notifications")).json();
      expect(after.unreadCount).toBe(own.length - 1);
      expect((await jia.get("/api/notifications?unread=true")).json().items).toHaveLength(own.length - 1);
    });

    it("refuses anonymous callers and non-enterprise roles", async () => {
      expect((await new Client(p.app).get("/api/notifications")).statusCode).toBe(401);
      await p.ctx.db
        .insertInto("accounts")
        .values({
          id: randomUUID(),
          username: "officer-banan",
          password_hash: await hashPassword(PASSWORD),
          display_name: "经办人",
          role: "officer",
          department: "economy-it",
          region_code: "500113",
          enterprise_id: null,
          created_at: new Date(),
        })
        .execute();
      const officer = await new Client(p.app).login("officer-banan", PASSWORD);
      expect((await officer.get("/api/notifications")).statusCode).toBe(403);
      // The role gate runs before the body and path are validated: an officer learns nothing about the route.
      expect((await officer.post("/api/notifications/not-a-uuid/read")).statusCode).toBe(403);
    });
  });
}

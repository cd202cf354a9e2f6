import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/passwords.ts";
import type { Role } from "../db/schema.ts";
import { makeUscc } from "../enterprises/test-fixtures.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { appendAudit, verifyAudit } from "./audit-log.ts";

const PASSWORD = "correct-horse-1";

async function account(
  p: TestPlatform,
  username: string,
  role: Role,
  region: string | null,
): Promise<string> {
  const id = randomUUID();
  await p.ctx.db
    .insertInto("accounts")
    .values({
      id,
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
  return id;
}

for (const kind of testDatabaseKinds()) {
  describe(`audit log routes and verification (${kind})`, () => {
    let p: TestPlatform;
    let officerId: string;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await account(p, "coordinator-banan", "coordinator", "500113");
      await account(p, "admin", "policyAdmin", null);
      officerId = await account(p, "officer-banan", "officer", "500113");
      await p.ctx.db.transaction().execute(async (trx) => {
        for (let i = 1; i <= 4; i++)
          await appendAudit(
            trx,
            {
              id: officerId,
              role: "officer",
              username: "officer-banan",
              displayName: "经办人",
              department: "economy-it",
              regionCode: "500113",
              enterpriseId: null,
            },
            {
              action: "enterprise.read",
              entity: i % 2 ? "enterprise" : "application",
              entityId: `e${i}`,
              after: { i },
            },
          );
      });
    }, 60_000);
    afterAll(async () => p?.close());

    it("pages and filters the log for coordinators and policy admins, newest first", async () => {
      const c = await new Client(p.app).login("coordinator-banan", PASSWORD);
      const all = (await c.get("/api/audit?limit=3")).json();
      expect(all.total).toBe(4);
      expect(all.items.map((r: { seq: number }) => r.seq)).toEqual([4, 3, 2]);
      const page2 = (await c.get("/api/audit?limit=3&offset=3")).json();
      expect(page2.items.map((r: { seq: number }) => r.seq)).toEqual([1]);
      const apps = (await c.get("/api/audit?entity=application")).json();
      expect(apps.total).toBe(2);
      const one = (await c.get("/api/audit?entity=enterprise&entityId=e3")).json();
      expect(one.items).toHaveLength(1);
      expect(one.items[0]).toMatchObject({ seq: 3, actorId: officerId, after: { i: 3 } });
      const byActor = (await c.get(`/api/audit?actor=${officerId}`)).json();
      expect(byActor.total).toBe(4);
      expect((await c.get("/api/audit?actor=nope")).statusCode).toBe(400);
      const admin = await new Client(p.app).login("admin", PASSWORD);
      expect((await admin.get("/api/audit")).statusCode).toBe(200);
    });

    it("refuses other roles", async () => {
      const o = await new Client(p.app).login("officer-banan", PASSWORD);
      expect((await o.get("/api/audit")).statusCode).toBe(403);
      expect((await o.get("/api/audit/verify")).statusCode).toBe(403);
      expect((await new Client(p.app).get("/api/audit/verify")).statusCode).toBe(401);
    });

    it("verifies a clean chain, then names a changed row, then a deleted row", async () => {
      const admin = await new Client(p.app).login("admin", PASSWORD);
      expect((await admin.get("/api/audit/verify")).json()).toEqual({ ok: true, rows: 4 });
      await sql`update audit_log set after = '{"x":1}' where seq = 2`.execute(p.ctx.db);
      const changed = (await admin.get("/api/audit/verify")).json();
      expect(changed).toMatchObject({ ok: false, problem: { seq: 2 } });
      expect(changed.problem.reason).toContain("第 2 行");
      expect(await verifyAudit(p.ctx.db)).toMatchObject({ ok: false, problem: { seq: 2 } });
      await sql`update audit_log set after = '{"i":2}' where seq = 2`.execute(p.ctx.db);
      expect((await admin.get("/api/audit/verify")).json()).toEqual({ ok: true, rows: 4 });
      await sql`delete from audit_log where seq = 3`.execute(p.ctx.db);
      const deleted = (await admin.get("/api/audit/verify")).json();
      expect(deleted).toMatchObject({ ok: false, problem: { seq: 3 } });
    });
  });
}

for (const kind of testDatabaseKinds()) {
  describe(`audit log scope by district (${kind})`, () => {
    let p: TestPlatform;
    const BANAN = "500113";
    const YUBEI = "500112";
    const ids = {
      bananEnterprise: randomUUID(),
      yubeiEnterprise: randomUUID(),
      bananApplication: randomUUID(),
      yubeiApplication: randomUUID(),
      yubeiOfficer: "",
      bananFinance: "",
    };
    const staff = (id: string, role: Role, regionCode: string | null) => ({
      id,
      role,
      username: id,
      displayName: id,
      department: null,
      regionCode,
      enterpriseId: null,
    });

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await account(p, "coordinator-banan", "coordinator", BANAN);
      await account(p, "coordinator-yubei", "coordinator", YUBEI);
      await account(p, "admin", "policyAdmin", null);
      ids.yubeiOfficer = await account(p, "officer-yubei", "officer", YUBEI);
      ids.bananFinance = await account(p, "finance-banan", "finance", BANAN);
      const now = new Date();
      for (const [id, region, app] of [
        [ids.bananEnterprise, BANAN, ids.bananApplication],
        [ids.yubeiEnterprise, YUBEI, ids.yubeiApplication],
      ] as const) {
        await p.ctx.db
          .insertInto("enterprises")
          .values({
            id,
            uscc: makeUscc(region),
            name: `企业${region}`,
            region_code: region,
            industry_code: null,
          })
          .execute();
        await p.ctx.db
          .insertInto("applications")
          .values({
            id: app,
            enterprise_id: id,
            measure_id: "kaizhou-2023-27/8",
            rules_version: p.ctx.engine.version,
            status: "draft",
            current_step: 0,
            steps: JSON.stringify([]),
            form: JSON.stringify({}),
            max_fen: null,
            granted_fen: null,
            notice_until: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
      const officer = staff(ids.yubeiOfficer, "officer", YUBEI);
      await p.ctx.db.transaction().execute(async (trx) => {
        const e = (entity: string, entityId: string | null, action = `${entity}.test`) => ({
          action,
          entity,
          entityId,
          after: { entityId },
        });
        await appendAudit(trx, null, e("enterprise", ids.bananEnterprise, "enterprise.register")); // 1
        await appendAudit(trx, null, e("enterprise", ids.yubeiEnterprise, "enterprise.register")); // 2
        await appendAudit(trx, null, e("application", ids.bananApplication, "application.create")); // 3
        await appendAudit(trx, officer, e("application", ids.yubeiApplication, "application.read")); // 4
        await appendAudit(trx, staff(randomUUID(), "policyAdmin", null), e("measure", "banan-2022-63/1")); // 5
        await appendAudit(trx, officer, e("enterprise", null, "enterprise.list")); // 6
        await appendAudit(trx, staff(ids.bananFinance, "finance", BANAN), e("measure", "banan-2022-63/2")); // 7
        // A Banan account's row about a Yubei application concerns Yubei only.
        await appendAudit(
          trx,
          staff(ids.bananFinance, "finance", BANAN),
          e("application", ids.yubeiApplication, "application.read"),
        ); // 8
        await appendAudit(
          trx,
          staff(ids.yubeiOfficer, "officer", YUBEI),
          e("application", ids.bananApplication, "application.review.return"),
        ); // 9
      });
      // Seq 1 happened on 1 October 2026 at 07:30 in Chongqing (23:30 UTC the day before).
      await sql`update audit_log set at = '2026-09-30T23:30:00.000Z' where seq = 1`.execute(p.ctx.db);
    }, 60_000);
    afterAll(async () => p?.close());

    const seqs = (body: { items: { seq: number }[] }) => body.items.map((r) => r.seq).sort((a, b) => a - b);

    it("a coordinator sees only its district's rows, whatever the filters", async () => {
      const banan = await new Client(p.app).login("coordinator-banan", PASSWORD);
      const all = (await banan.get("/api/audit")).json();
      expect(seqs(all)).toEqual([1, 3, 7, 9]);
      expect(all.total).toBe(4);
      const other = (await banan.get(`/api/audit?entityId=${ids.yubeiEnterprise}`)).json();
      expect(other).toEqual({ items: [], total: 0 });
      const otherApp = (
        await banan.get(`/api/audit?entity=application&entityId=${ids.yubeiApplication}`)
      ).json();
      expect(otherApp.total).toBe(0);
      const apps = (await banan.get("/api/audit?entity=application")).json();
      expect(apps.items.map((r: { entityId: string }) => r.entityId)).toEqual([
        ids.bananApplication,
        ids.bananApplication,
      ]);
      // A Yubei officer's rows show only where they concern a Banan application.
      expect(seqs((await banan.get(`/api/audit?actor=${ids.yubeiOfficer}`)).json())).toEqual([9]);
      expect((await banan.get(`/api/audit?actor=${ids.bananFinance}&entity=application`)).json().total).toBe(
        0,
      );
      expect((await banan.get("/api/audit?entity=measure")).json().items).toMatchObject([{ seq: 7 }]);

      const yubei = await new Client(p.app).login("coordinator-yubei", PASSWORD);
      expect(seqs((await yubei.get("/api/audit")).json())).toEqual([2, 4, 6, 8]);
      expect((await yubei.get(`/api/audit?entityId=${ids.yubeiApplication}`)).json().total).toBe(2);
      expect((await yubei.get(`/api/audit?entityId=${ids.bananEnterprise}`)).json().total).toBe(0);
    });

    it("describes rows in Chinese: action, actor and role, object by name", async () => {
      const banan = await new Client(p.app).login("coordinator-banan", PASSWORD);
      const items = (await banan.get("/api/audit")).json().items as Record<string, unknown>[];
      const bySeq = (n: number) => items.find((r) => r.seq === n);
      expect(bySeq(9)).toMatchObject({
        actionLabel: "退回补正",
        actorName: "officer-yubei",
        actorRoleLabel: "经办人",
        entityLabel: "申报",
      });
      expect(String(bySeq(9)?.objectLabel)).toMatch(/^申报 .+：企业500113 申报「/);
      expect(bySeq(1)).toMatchObject({
        actionLabel: "企业注册",
        actorName: null,
        actorRoleLabel: "系统",
        objectLabel: "企业500113",
      });
      expect(bySeq(7)).toMatchObject({ actorRoleLabel: "财政局", entityLabel: "措施" });
      const kinds = (await banan.get("/api/audit/actions")).json().items;
      expect(kinds).toContainEqual({ kind: "application.review", label: "审核决定" });
    });

    it("filters by action kind and by Chongqing date range", async () => {
      const banan = await new Client(p.app).login("coordinator-banan", PASSWORD);
      expect(seqs((await banan.get("/api/audit?action=application.review")).json())).toEqual([9]);
      expect(seqs((await banan.get("/api/audit?action=application")).json())).toEqual([3, 9]);
      expect(seqs((await banan.get("/api/audit?action=enterprise.register")).json())).toEqual([1]);
      expect(seqs((await banan.get("/api/audit?from=2026-10-01&to=2026-10-01")).json())).toEqual([1]);
      expect(seqs((await banan.get("/api/audit?to=2026-09-30")).json())).toEqual([]);
      const bad = await banan.get("/api/audit?from=2026-13-01");
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain("from");
      const reversed = await banan.get("/api/audit?from=2026-10-02&to=2026-10-01");
      expect(reversed.statusCode).toBe(400);
      expect(reversed.json().error.message).toContain("截止日期不能早于起始日期");
    });

    it("a policy admin sees every row", async () => {
      const admin = await new Client(p.app).login("admin", PASSWORD);
      expect(seqs((await admin.get("/api/audit")).json())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect((await admin.get(`/api/audit?entityId=${ids.yubeiEnterprise}`)).json().total).toBe(1);
    });
  });
}

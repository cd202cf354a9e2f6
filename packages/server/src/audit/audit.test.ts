import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/passwords.ts";
import type { Role } from "../db/schema.ts";
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

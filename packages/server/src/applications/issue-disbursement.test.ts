/** 兑付 retries: the same request replays; the same application under another batch reference is a conflict. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import {
  applicant,
  createEnterprise,
  createStaff,
  GREEN_FACTORY,
  greenFactoryFacts,
  renewSessions,
  TODAY,
} from "./test-fixtures.ts";

for (const kind of testDatabaseKinds()) {
  describe(`disbursement batch references (${kind})`, () => {
    let p: TestPlatform;
    let officer: Awaited<ReturnType<typeof createStaff>>;
    let finance: Awaited<ReturnType<typeof createStaff>>;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(TODAY);
      officer = await createStaff(p, "officer", { department: "economy-it" });
      finance = await createStaff(p, "finance");
    }, 60_000);
    afterAll(async () => p?.close());

    /** An application whose public notice is over, ready to be disbursed. */
    async function readyToDisburse(): Promise<{ id: string; version: number }> {
      p.setNow(TODAY);
      const ent = await createEnterprise(p, greenFactoryFacts);
      await renewSessions(p, [officer, finance]);
      const id = (
        await ent.post("/api/applications", { enterpriseId: ent.enterpriseId, measureId: GREEN_FACTORY })
      ).json().id as string;
      let v = (await ent.put(`/api/applications/${id}`, { version: 1, applicant })).json().version as number;
      v = (await ent.post(`/api/applications/${id}/submit`, { version: v })).json().version;
      v = (await officer.post(`/api/applications/${id}/review`, { version: v, decision: "pass" })).json()
        .version;
      const ok = await finance.post(`/api/applications/${id}/review`, {
        version: v,
        decision: "pass",
        grantedFen: 15_000_000,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const n = await officer.post(`/api/applications/${id}/public-notice`, { version: ok.json().version });
      expect(n.statusCode, n.body).toBe(200);
      p.setNow(new Date(TODAY.getTime() + 30 * 86_400_000));
      await renewSessions(p, [officer, finance]);
      return { id, version: n.json().version };
    }

    it("a retry with the same batch reference replays; another batch reference answers 409 naming both", async () => {
      const { id, version } = await readyToDisburse();
      const first = await finance.post(`/api/applications/${id}/disbursements`, {
        version,
        batchRef: "KZ-2026-04",
      });
      expect(first.statusCode, first.body).toBe(201);
      const retry = await finance.post(`/api/applications/${id}/disbursements`, {
        version,
        batchRef: "KZ-2026-04",
      });
      expect(retry.statusCode).toBe(200);
      expect(retry.json()).toMatchObject({ replayed: true, disbursement: { batchRef: "KZ-2026-04" } });
      const other = await finance.post(`/api/applications/${id}/disbursements`, {
        version,
        batchRef: "KZ-2026-05",
      });
      expect(other.statusCode).toBe(409);
      expect(other.json().error).toMatchObject({ code: "CONFLICT", fields: [{ field: "batchRef" }] });
      expect(other.json().error.message).toContain("KZ-2026-04");
      expect(other.json().error.message).toContain("KZ-2026-05");
      const rows = await p.ctx.db
        .selectFrom("disbursements")
        .selectAll()
        .where("application_id", "=", id)
        .execute();
      expect(rows.map((r) => r.batch_ref)).toEqual(["KZ-2026-04"]);
    });

    it("with an Idempotency-Key: the key's own batch replays, even after a failure and a re-issue in another batch", async () => {
      const { id, version } = await readyToDisburse();
      const issue = (batchRef: string, v: number, key: string) =>
        finance.app.inject({
          method: "POST",
          url: `/api/applications/${id}/disbursements`,
          headers: { cookie: finance.cookie, "x-csrf-token": finance.csrf, "idempotency-key": key },
          payload: { version: v, batchRef },
        });
      expect((await issue("KZ-A", version, "disburse-key-a")).statusCode).toBe(201);
      expect((await issue("KZ-B", version, "disburse-key-a")).statusCode).toBe(409);
      const failed = await finance.post(`/api/applications/${id}/disbursements/result`, {
        version: version + 1,
        status: "failed",
        date: "2026-04-01",
        reason: "收款账户已销户",
      });
      expect(failed.statusCode, failed.body).toBe(200);
      const reissued = await issue("KZ-B", failed.json().version, "disburse-key-b");
      expect(reissued.statusCode, reissued.body).toBe(201);
      const late = await issue("KZ-A", version, "disburse-key-a");
      expect(late.statusCode, late.body).toBe(200);
      expect(late.json()).toMatchObject({ replayed: true, disbursement: { batchRef: "KZ-B" } });
      expect((await issue("KZ-C", version, "disburse-key-a")).statusCode).toBe(409);
    });
  });
}

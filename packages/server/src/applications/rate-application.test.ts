/** 满意度评价: closed applications rated once by their enterprise; validation and refusals in Chinese. */
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
  describe(`satisfaction rating (${kind})`, () => {
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

    async function submitted() {
      p.setNow(TODAY);
      const ent = await createEnterprise(p, greenFactoryFacts);
      await renewSessions(p, [officer, finance]);
      const id = (
        await ent.post("/api/applications", { enterpriseId: ent.enterpriseId, measureId: GREEN_FACTORY })
      ).json().id as string;
      let v = (await ent.put(`/api/applications/${id}`, { version: 1, applicant })).json().version as number;
      v = (await ent.post(`/api/applications/${id}/submit`, { version: v })).json().version;
      return { ent, id, version: v };
    }

    it("an open application cannot be rated yet", async () => {
      const { ent, id } = await submitted();
      const state = await ent.get(`/api/applications/${id}/rating`);
      expect(state.json()).toEqual({ rating: null, canRate: false, closed: false });
      const early = await ent.post(`/api/applications/${id}/rating`, { score: 5 });
      expect(early.statusCode).toBe(409);
      expect(early.json().error.message).toContain("办结");
      expect(early.json().error.message).toContain("审核中");
    });

    it("a rejected application is rated once; a second rating answers 409; staff read it", async () => {
      const { ent, id, version } = await submitted();
      const rej = await officer.post(`/api/applications/${id}/review`, {
        version,
        decision: "reject",
        reason: "不符合申报条件",
      });
      expect(rej.statusCode, rej.body).toBe(200);
      expect((await ent.get(`/api/applications/${id}/rating`)).json()).toMatchObject({
        rating: null,
        canRate: true,
        closed: true,
      });

      const bad = await ent.post(`/api/applications/${id}/rating`, { score: 6 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain("score");
      expect(bad.json().error.message).toContain("1～5");
      const long = await ent.post(`/api/applications/${id}/rating`, { score: 3, comment: "慢".repeat(501) });
      expect(long.statusCode).toBe(400);
      expect(long.json().error.message).toContain("最多 500 个字");

      const ok = await ent.post(`/api/applications/${id}/rating`, { score: 4, comment: "  审核很及时  " });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ canRate: false, rating: { score: 4, comment: "审核很及时" } });

      const again = await ent.post(`/api/applications/${id}/rating`, { score: 1 });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toBe("该申报已评价，评价提交后不可修改");
      expect((await ent.get(`/api/applications/${id}/rating`)).json().rating.score).toBe(4);

      const seen = await officer.get(`/api/applications/${id}/rating`);
      expect(seen.json()).toMatchObject({ canRate: false, rating: { score: 4 } });
      const staffRate = await officer.post(`/api/applications/${id}/rating`, { score: 5 });
      expect(staffRate.statusCode).toBe(403);

      const audit = await p.ctx.db
        .selectFrom("audit_log")
        .select(["action", "after"])
        .where("entity_id", "=", id)
        .where("action", "=", "application.rate")
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]?.after).toEqual({ score: 4, withComment: true });
    });

    it("another enterprise neither sees nor rates it", async () => {
      const { id, version } = await submitted();
      await officer.post(`/api/applications/${id}/review`, { version, decision: "reject", reason: "不符合" });
      const other = await createEnterprise(p, greenFactoryFacts);
      expect((await other.get(`/api/applications/${id}/rating`)).statusCode).toBe(404);
      expect((await other.post(`/api/applications/${id}/rating`, { score: 1 })).statusCode).toBe(404);
    });
  });
}

/** GET/POST /api/match-runs: coordinators and policy admins start a full run and follow its progress. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerEnterprise, staffClient } from "../enterprises/test-fixtures.ts";
import { createJobQueue } from "../notifications/jobs.ts";
import { type Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { closeCopyPools } from "./copy-writer.ts";

for (const kind of testDatabaseKinds()) {
  describe(`match runs API (${kind})`, () => {
    let p: TestPlatform;
    let coordinator: Client;
    let officer: Client;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      coordinator = await staffClient(p.app, p.ctx, {
        username: "batch-coordinator",
        role: "coordinator",
        regionCode: "500113",
      });
      officer = await staffClient(p.app, p.ctx, {
        username: "batch-officer",
        role: "officer",
        regionCode: "500113",
      });
      await registerEnterprise(p.app, { username: "batch-enterprise-a", regionCode: "500113" });
      await registerEnterprise(p.app, { username: "batch-enterprise-b", regionCode: "500112" });
    }, 60_000);
    afterAll(async () => {
      await closeCopyPools();
      await p?.close();
    });

    it("starts a full run (a second start returns the same), shows progress, and the job worker finishes it", async () => {
      const started = await coordinator.post("/api/match-runs");
      expect(started.statusCode).toBe(200);
      const run = started.json();
      expect(run).toMatchObject({
        reason: "manual",
        reasonLabel: "手动",
        state: "pending",
        stateLabel: "等待中",
        measureCount: null,
        enterprises: 2,
        enterprisesDone: 0,
        percent: 0,
      });
      expect((await coordinator.post("/api/match-runs")).json().id).toBe(run.id);
      const q = createJobQueue(p.ctx, { channels: {} });
      while ((await q.runDue(50)) > 0) {
        /* until nothing is due */
      }
      const one = await coordinator.get(`/api/match-runs/${run.id}`);
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({
        state: "done",
        stateLabel: "已完成",
        percent: 100,
        enterprisesDone: 2,
      });
      const list = (await coordinator.get("/api/match-runs")).json();
      expect(list.items[0]).toMatchObject({ id: run.id, state: "done" });
      // Registering enterprises refreshed their lists already; the run wrote them again.
      expect(one.json().rowsWritten).toBeGreaterThan(0);
    });

    it("refuses other roles, unknown runs and malformed ids (in Chinese)", async () => {
      expect((await officer.get("/api/match-runs")).statusCode).toBe(403);
      expect((await officer.post("/api/match-runs")).statusCode).toBe(403);
      const missing = await coordinator.get("/api/match-runs/00000000-0000-4000-8000-000000000000");
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.message).toBe("批量匹配不存在");
      const bad = await coordinator.get("/api/match-runs/nope");
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0]).toMatchObject({ field: "id" });
    });
  });
}

/**
 * A large import (more than 2,000 changed enterprises) is re-matched by one batch run over the enterprises it
 * changed: the run is created with the import's counts, its profile.changed jobs leave the lists to it, and once
 * the job worker has run, every imported enterprise has its lists. A small import refreshes per enterprise.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticFiles } from "../../../../bench/http-data.ts";
import { runImport } from "../imports/run-import.ts";
import { handleProfileChanged } from "../notifications/handlers.ts";
import { createJobQueue } from "../notifications/jobs.ts";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { closeCopyPools } from "./copy-writer.ts";
import { IMPORT_RUN_THRESHOLD } from "./runs.ts";

const N = IMPORT_RUN_THRESHOLD + 1;

for (const kind of testDatabaseKinds()) {
  describe(`a large import becomes one batch run (${kind})`, () => {
    let p: TestPlatform;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
    }, 60_000);
    afterAll(async () => {
      await closeCopyPools();
      await p?.close();
    });

    const importFile = (kindName: "registry" | "statistics", bytes: Uint8Array, fileName: string) =>
      runImport(
        {
          db: p.ctx.db,
          vocabulary: p.ctx.library.rules.vocabulary,
          measureIds: new Set(p.ctx.engine.byId.keys()),
          now: p.ctx.now,
        },
        { kind: kindName, fileName, bytes, district: null, actor: null },
      );

    it("creates a run over the changed enterprises and leaves the lists to it", async () => {
      const files = syntheticFiles(N, [2024, 2025]);
      const report = await importFile("registry", files.registry, "名录.csv");
      expect(report.counts.changed).toBe(N);
      const runs = await p.ctx.db.selectFrom("match_runs").selectAll().execute();
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        reason: "import",
        import_id: report.importId,
        enterprises: N,
        partitions: 2,
        measure_ids: null,
        rules_version: p.ctx.engine.version,
      });
      // A profile.changed job of the import leaves the lists to the run (it still tells the enterprise).
      const job = await p.ctx.db
        .selectFrom("outbox")
        .select(["id", "payload"])
        .where("topic", "=", "profile.changed")
        .orderBy("id")
        .executeTakeFirstOrThrow();
      expect(job.payload.importId).toBe(report.importId);
      await handleProfileChanged(p.ctx, {
        id: Number(job.id),
        topic: "profile.changed",
        payload: job.payload,
        attempts: 1,
      });
      const first = await p.ctx.db
        .selectFrom("match_lists")
        .select("measure_id")
        .where("enterprise_id", "=", String(job.payload.enterpriseId))
        .execute();
      expect(first).toHaveLength(0);
      // The digests are push's business (notifications/push.test.ts); here only the run's jobs are drained.
      await p.ctx.db
        .updateTable("outbox")
        .set({ status: "done" })
        .where("topic", "=", "profile.changed")
        .execute();
      const q = createJobQueue(p.ctx, { channels: {} });
      while ((await q.runDue(200)) > 0) {
        /* until nothing is due */
      }
      const run = await p.ctx.db.selectFrom("match_runs").selectAll().executeTakeFirstOrThrow();
      expect(run).toMatchObject({ state: "done", partitions_done: 2, enterprises_done: N });
      // Every imported enterprise has its lists (all of them written by the run: one computed_at per partition).
      const listed = await p.ctx.db
        .selectFrom("match_lists")
        .select(["enterprise_id", "computed_at"])
        .distinct()
        .execute();
      expect(new Set(listed.map((r) => r.enterprise_id)).size).toBe(N);
      expect(new Set(listed.map((r) => String(r.computed_at))).size).toBeLessThanOrEqual(2);
    }, 300_000);

    it("a small import refreshes per enterprise (no run)", async () => {
      const files = syntheticFiles(3, [2024]);
      const report = await importFile("statistics", files.statistics, "统计.csv");
      expect(report.counts.changed).toBe(3);
      expect(await p.ctx.db.selectFrom("match_runs").select("id").execute()).toHaveLength(1);
    });
  });
}

/**
 * Batch runs on PGlite and PostgreSQL: a run writes the same lists as refreshMatchLists; a fact change re-run
 * changes only that enterprise's rows; a run over some measures replaces only theirs; a crashed claim (lease
 * expired) is claimed again and finished once, and the stalled claimer's late write is refused; the job worker
 * drains a run through "match.run" jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobQueue } from "../notifications/jobs.ts";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { closeCopyPools } from "./copy-writer.ts";
import { refreshMatchLists } from "./lists.ts";
import { createInlinePool } from "./pool.ts";
import {
  claimPartition,
  createRun,
  drainRuns,
  ensureListsBuilt,
  getRun,
  LeaseLostError,
  latestRuns,
  processPartition,
} from "./runs.ts";
import { insertPopulation, listSnapshot } from "./test-population.ts";

const N = 240;

for (const kind of testDatabaseKinds()) {
  describe(`batch matching runs (${kind})`, () => {
    let p: TestPlatform;
    let ids: string[];
    const asOf = "2022-11-01";
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(new Date("2022-11-01T02:00:00Z"));
      ids = await insertPopulation(p.ctx.db, p.ctx.library.rules.vocabulary, N);
    }, 120_000);
    afterAll(async () => {
      await closeCopyPools();
      await p?.close();
    });

    const run = (o: { measureIds?: string[]; enterpriseIds?: string[]; partitionSize?: number } = {}) =>
      createRun(p.ctx.db, {
        rulesVersion: p.ctx.engine.version,
        asOf,
        reason: "manual",
        measureIds: o.measureIds ?? null,
        ...(o.enterpriseIds ? { enterpriseIds: o.enterpriseIds } : {}),
        now: p.ctx.now(),
        partitionSize: o.partitionSize ?? 50,
        enqueueJobs: false,
      });

    it("a full run writes the same lists as refreshMatchLists, partition by partition", async () => {
      const r = await run();
      expect(r.partitions).toBe(Math.ceil(N / 50));
      expect(r.enterprises).toBe(N);
      const pool = createInlinePool(p.ctx.engine);
      const done = await drainRuns(p.ctx, { pool, runId: r.id });
      expect(done).toBe(r.partitions);
      const summary = await getRun(p.ctx.db, r.id);
      expect(summary).toMatchObject({
        state: "done",
        stateLabel: "已完成",
        reasonLabel: "手动",
        partitionsDone: r.partitions,
        enterprisesDone: N,
      });
      const batch = await listSnapshot(p.ctx.db);
      expect(batch.length).toBeGreaterThan(N);
      expect(summary?.rowsWritten).toBe(batch.length);
      await p.ctx.db.deleteFrom("match_lists").execute();
      await refreshMatchLists(p.ctx, ids);
      expect(await listSnapshot(p.ctx.db)).toEqual(batch);
      const parts = await p.ctx.db
        .selectFrom("match_partitions")
        .selectAll()
        .where("run_id", "=", r.id)
        .execute();
      expect(parts.every((x) => x.state === "done" && x.attempts === 1)).toBe(true);
      expect((await latestRuns(p.ctx.db))[0]?.id).toBe(r.id);
    });

    it("after a fact change, a re-run changes only that enterprise's rows", async () => {
      const before = await listSnapshot(p.ctx.db);
      const target = ids[7] as string;
      // Make it a freshly 规上 enterprise of 巴南 with a known revenue: its rows change, nobody else's.
      await p.ctx.db
        .updateTable("enterprises")
        .set({ region_code: "500113" })
        .where("id", "=", target)
        .execute();
      await p.ctx.db
        .deleteFrom("enterprise_facts")
        .where("enterprise_id", "=", target)
        .where("fact_id", "=", "aboveScaleFirstYear")
        .execute();
      await p.ctx.db
        .insertInto("enterprise_facts")
        .values({
          enterprise_id: target,
          fact_id: "aboveScaleFirstYear",
          period: "",
          value: JSON.stringify(2021),
          source: "self",
          verified_by: null,
          updated_at: new Date(),
        })
        .execute();
      const r = await run();
      await drainRuns(p.ctx, { pool: createInlinePool(p.ctx.engine), runId: r.id });
      const after = await listSnapshot(p.ctx.db);
      const others = (xs: string[]) => xs.filter((l) => !l.includes(`|${target}|`));
      expect(others(after)).toEqual(others(before));
      expect(after).not.toEqual(before);
      // A run over just that enterprise (an import's changed set) gives the same rows.
      await p.ctx.db.deleteFrom("match_lists").where("enterprise_id", "=", target).execute();
      const one = await run({ enterpriseIds: [target] });
      expect(one.partitions).toBe(1);
      await drainRuns(p.ctx, { pool: createInlinePool(p.ctx.engine), runId: one.id });
      expect(await listSnapshot(p.ctx.db)).toEqual(after);
    });

    it("a run over some measures replaces only those measures' rows", async () => {
      const measure = "banan-2022-63/1";
      const before = await listSnapshot(p.ctx.db);
      await p.ctx.db.updateTable("match_lists").set({ rules_version: "stale" }).execute();
      const r = await run({ measureIds: [measure] });
      await drainRuns(p.ctx, { pool: createInlinePool(p.ctx.engine), runId: r.id });
      const rows = await p.ctx.db.selectFrom("match_lists").select(["measure_id", "rules_version"]).execute();
      expect(rows.filter((x) => x.measure_id === measure).every((x) => x.rules_version !== "stale")).toBe(
        true,
      );
      expect(rows.filter((x) => x.measure_id !== measure).every((x) => x.rules_version === "stale")).toBe(
        true,
      );
      await p.ctx.db.updateTable("match_lists").set({ rules_version: p.ctx.engine.version }).execute();
      expect(await listSnapshot(p.ctx.db)).toEqual(before);
    });

    it("a crashed claim is claimed again after its lease and finished once; the late writer is refused", async () => {
      const before = await listSnapshot(p.ctx.db);
      const r = await run({ partitionSize: 100 });
      const pool = createInlinePool(p.ctx.engine);
      const dead = await claimPartition(p.ctx.db, {
        owner: "crashed-process",
        rulesVersion: p.ctx.engine.version,
        runId: r.id,
        leaseMs: 60_000,
      });
      expect(dead?.number).toBe(1);
      // While the lease holds, nobody else takes partition 1.
      expect(await drainRuns(p.ctx, { pool, runId: r.id })).toBe(r.partitions - 1);
      expect((await getRun(p.ctx.db, r.id))?.state).toBe("running");
      // The lease runs out (the process died): the next drainer takes it over.
      await p.ctx.db
        .updateTable("match_partitions")
        .set({ lease_until: new Date(Date.now() - 1000) })
        .where("run_id", "=", r.id)
        .where("number", "=", 1)
        .execute();
      expect(await drainRuns(p.ctx, { pool, runId: r.id })).toBe(1);
      const part = await p.ctx.db
        .selectFrom("match_partitions")
        .selectAll()
        .where("run_id", "=", r.id)
        .where("number", "=", 1)
        .executeTakeFirstOrThrow();
      expect(part).toMatchObject({ state: "done", attempts: 2 });
      expect(part.claimed_by).not.toBe("crashed-process");
      // The first claimer wakes up and writes: refused, nothing changes.
      await expect(processPartition(p.ctx, dead as NonNullable<typeof dead>, pool)).rejects.toBeInstanceOf(
        LeaseLostError,
      );
      const summary = await getRun(p.ctx.db, r.id);
      expect(summary).toMatchObject({ state: "done", partitionsDone: r.partitions, enterprisesDone: N });
      expect(await listSnapshot(p.ctx.db)).toEqual(before);
    });

    it("the job worker drains a run through its match.run jobs", async () => {
      const before = await listSnapshot(p.ctx.db);
      await p.ctx.db.deleteFrom("match_lists").execute();
      const r = await createRun(p.ctx.db, {
        rulesVersion: p.ctx.engine.version,
        asOf,
        reason: "manual",
        now: p.ctx.now(),
        partitionSize: 80,
      });
      const q = createJobQueue(p.ctx, { channels: {} });
      while ((await q.runDue(50)) > 0) {
        /* until nothing is due */
      }
      expect((await getRun(p.ctx.db, r.id))?.state).toBe("done");
      const jobs = await p.ctx.db
        .selectFrom("outbox")
        .select(["status"])
        .where("topic", "=", "match.run")
        .execute();
      expect(jobs.length).toBe(r.partitions);
      expect(jobs.every((j) => j.status === "done")).toBe(true);
      expect(await listSnapshot(p.ctx.db)).toEqual(before);
    });
  });
}

for (const kind of testDatabaseKinds()) {
  describe(`lists never built (${kind})`, () => {
    let p: TestPlatform;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(new Date("2022-11-01T02:00:00Z"));
    }, 120_000);
    afterAll(async () => {
      await closeCopyPools();
      await p?.close();
    });

    it("a database with enterprises and no full run gets one at start-up, once; the worker builds the lists", async () => {
      expect(await ensureListsBuilt(p.ctx)).toBeUndefined(); // no enterprises yet
      await insertPopulation(p.ctx.db, p.ctx.library.rules.vocabulary, 30);
      const id = await ensureListsBuilt(p.ctx);
      expect(id).toBeDefined();
      expect(await ensureListsBuilt(p.ctx)).toBeUndefined();
      const q = createJobQueue(p.ctx, { channels: {} });
      while ((await q.runDue(50)) > 0) {
        /* drain the run's match.run jobs */
      }
      const r = await getRun(p.ctx.db, id as string);
      expect(r).toMatchObject({
        state: "done",
        reasonLabel: "首次建立名单",
        enterprises: 30,
        enterprisesDone: 30,
      });
      const rows = await p.ctx.db.selectFrom("match_lists").select("enterprise_id").execute();
      expect(new Set(rows.map((x) => x.enterprise_id)).size).toBeGreaterThan(0);
    });
  });
}

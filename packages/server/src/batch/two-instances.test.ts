/**
 * Two platform instances (two database pools, two contexts, as two server processes would have) on one
 * PostgreSQL share one batch run: both drain partitions at the same time, every partition is matched exactly
 * once (one claim each, completed once), and the lists equal an in-process computation. They share the outbox
 * too: each "match.run" job is run by exactly one of them. PostgreSQL only (PGlite is single-writer).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDate } from "../dates.ts";
import { allEnterpriseFacts } from "../enterprises/facts-store.ts";
import { createJobQueue } from "../notifications/jobs.ts";
import { publishedMeasureIds } from "../policies/publication.ts";
import { createPlatform, type Platform } from "../server.ts";
import { startTestPlatform, type TestPlatform } from "../test-support.ts";
import { closeCopyPools } from "./copy-writer.ts";
import { matchRowsFor } from "./lists.ts";
import { createInlinePool } from "./pool.ts";
import { createRun, drainRuns, getRun } from "./runs.ts";
import { insertPopulation, listSnapshot } from "./test-population.ts";

const N = 2000;

describe.skipIf(!process.env.HUIQI_TEST_DATABASE_URL)("two instances on one PostgreSQL", () => {
  let a: TestPlatform;
  let b: Platform;
  const now = new Date("2022-11-01T02:00:00Z");
  beforeAll(async () => {
    a = await startTestPlatform("postgres");
    a.setNow(now);
    // The second instance: its own connection pool and context on the same database.
    b = await createPlatform({ ...a.ctx.config }, { inMemory: true, now: () => now });
    await insertPopulation(a.ctx.db, a.ctx.library.rules.vocabulary, N);
  }, 180_000);
  afterAll(async () => {
    await closeCopyPools();
    await b?.close();
    await a?.close();
  });

  async function expected(): Promise<string[]> {
    const measures = await publishedMeasureIds(a.ctx);
    const lines: string[] = [];
    for await (const batch of allEnterpriseFacts(a.ctx.db))
      for (const e of batch)
        for (const r of matchRowsFor(a.ctx.engine, e.id, e.facts, localDate(now), measures))
          lines.push(
            `${r.measureId}|${r.enterpriseId}|${r.outcome}|${r.amountMin ?? ""}|${r.amountMax ?? ""}|${JSON.stringify(
              r.missing,
            )}|${a.ctx.engine.version}`,
          );
    return lines.sort();
  }

  it("both drain one run concurrently; every partition is matched exactly once; lists are complete", async () => {
    expect(b.ctx.engine.version).toBe(a.ctx.engine.version);
    const run = await createRun(a.ctx.db, {
      rulesVersion: a.ctx.engine.version,
      asOf: localDate(now),
      reason: "manual",
      now,
      partitionSize: 200,
      enqueueJobs: false,
    });
    expect(run.partitions).toBe(N / 200);
    const [doneA, doneB] = await Promise.all([
      drainRuns(a.ctx, { pool: createInlinePool(a.ctx.engine), runId: run.id, owner: "instance-a" }),
      drainRuns(b.ctx, { pool: createInlinePool(b.ctx.engine), runId: run.id, owner: "instance-b" }),
    ]);
    expect(doneA + doneB).toBe(run.partitions);
    expect(doneA).toBeGreaterThan(0);
    expect(doneB).toBeGreaterThan(0);
    const parts = await a.ctx.db
      .selectFrom("match_partitions")
      .selectAll()
      .where("run_id", "=", run.id)
      .execute();
    expect(parts).toHaveLength(run.partitions);
    for (const p of parts) expect(p).toMatchObject({ state: "done", attempts: 1 });
    expect(parts.filter((p) => p.claimed_by === "instance-a")).toHaveLength(doneA);
    expect(parts.filter((p) => p.claimed_by === "instance-b")).toHaveLength(doneB);
    const summary = await getRun(a.ctx.db, run.id);
    expect(summary).toMatchObject({ state: "done", partitionsDone: run.partitions, enterprisesDone: N });
    const lists = await listSnapshot(a.ctx.db);
    expect(summary?.rowsWritten).toBe(lists.length);
    expect(lists).toEqual(await expected());
  }, 180_000);

  it("share the outbox: each match.run job runs on exactly one instance, and the run completes", async () => {
    await a.ctx.db.deleteFrom("match_lists").execute();
    const run = await createRun(a.ctx.db, {
      rulesVersion: a.ctx.engine.version,
      asOf: localDate(now),
      reason: "manual",
      now,
      partitionSize: 300,
    });
    const qa = createJobQueue(a.ctx, { channels: {} });
    const qb = createJobQueue(b.ctx, { channels: {} });
    const ran = { a: 0, b: 0 };
    const loop = async (q: typeof qa, who: "a" | "b") => {
      for (;;) {
        const n = await q.runDue(2);
        if (n === 0) return;
        ran[who] += n;
      }
    };
    await Promise.all([loop(qa, "a"), loop(qb, "b")]);
    const jobs = await a.ctx.db
      .selectFrom("outbox")
      .select(["status", "attempts"])
      .where("topic", "=", "match.run")
      .where("dedupe_key", "like", `match.run:${run.id}:%`)
      .execute();
    expect(jobs).toHaveLength(run.partitions);
    expect(ran.a + ran.b).toBe(run.partitions);
    expect(ran.a).toBeGreaterThan(0);
    expect(ran.b).toBeGreaterThan(0);
    for (const j of jobs) expect(j).toMatchObject({ status: "done", attempts: 1 });
    const parts = await a.ctx.db
      .selectFrom("match_partitions")
      .selectAll()
      .where("run_id", "=", run.id)
      .execute();
    for (const p of parts) expect(p).toMatchObject({ state: "done", attempts: 1 });
    expect((await getRun(a.ctx.db, run.id))?.state).toBe("done");
    expect(await listSnapshot(a.ctx.db)).toEqual(await expected());
  }, 180_000);
});

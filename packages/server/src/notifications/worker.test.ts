import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { type Job, OutboxQueue } from "./worker.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of testDatabaseKinds()) {
  describe(`outbox job worker (${kind})`, () => {
    let p: TestPlatform;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
    }, 60_000);
    afterAll(async () => p?.close());

    it("claims each job once even when two workers run in parallel", async () => {
      const seen: number[] = [];
      const handler = async (_: unknown, job: Job) => {
        await sleep(5);
        seen.push(job.id);
      };
      const a = new OutboxQueue(p.ctx, { handlers: { "message.send": handler } });
      const b = new OutboxQueue(p.ctx, { handlers: { "message.send": handler } });
      for (let i = 0; i < 30; i++) await a.enqueue("message.send", { i }, `parallel-${i}`);
      await a.enqueue("message.send", { i: 0 }, "parallel-0"); // same dedupe key: not enqueued twice
      let total = 0;
      for (;;) {
        const [x, y] = await Promise.all([a.runDue(7), b.runDue(7)]);
        if (x + y === 0) break;
        total += x + y;
      }
      expect(total).toBe(30);
      expect(seen).toHaveLength(30);
      expect(new Set(seen).size).toBe(30);
      const rows = await p.ctx.db
        .selectFrom("outbox")
        .select(["status", "attempts"])
        .where("dedupe_key", "like", "parallel-%")
        .execute();
      expect(rows).toHaveLength(30);
      expect(rows.every((r) => r.status === "done" && r.attempts === 1)).toBe(true);
    });

    it("retries a failing handler with backoff, then marks the job failed with the error", async () => {
      let clock = new Date("2030-01-01T00:00:00Z");
      let calls = 0;
      const q = new OutboxQueue(p.ctx, {
        handlers: {
          "deadline.reminders": async () => {
            calls++;
            throw new Error("短信网关不可用");
          },
        },
        maxAttempts: 3,
        clock: () => clock,
      });
      await q.enqueue("deadline.reminders", { date: "2030-01-01" }, "failing-job");
      expect(await q.runDue()).toBe(1);
      const after1 = await p.ctx.db
        .selectFrom("outbox")
        .selectAll()
        .where("dedupe_key", "=", "failing-job")
        .executeTakeFirstOrThrow();
      expect(after1).toMatchObject({ status: "pending", attempts: 1 });
      expect(after1.last_error).toContain("短信网关不可用");
      expect(new Date(after1.available_at).getTime()).toBe(clock.getTime() + 10_000);
      expect(await q.runDue()).toBe(0); // backing off
      clock = new Date(clock.getTime() + 10_000);
      expect(await q.runDue()).toBe(1);
      clock = new Date(clock.getTime() + 20_000);
      expect(await q.runDue()).toBe(1);
      clock = new Date(clock.getTime() + 3_600_000);
      expect(await q.runDue()).toBe(0);
      expect(calls).toBe(3);
      const last = await p.ctx.db
        .selectFrom("outbox")
        .selectAll()
        .where("dedupe_key", "=", "failing-job")
        .executeTakeFirstOrThrow();
      expect(last).toMatchObject({ status: "failed", attempts: 3 });
    });

    it("a job whose worker died is claimed again after its lease (at least once)", async () => {
      let clock = new Date("2031-01-01T00:00:00Z");
      const ran: number[] = [];
      const q = new OutboxQueue(p.ctx, {
        handlers: { "profile.changed": async (_c, job) => void ran.push(job.id) },
        leaseMs: 60_000,
        clock: () => clock,
      });
      await q.enqueue("profile.changed", { enterpriseId: "x" }, "lease-job");
      await p.ctx.db
        .updateTable("outbox")
        .set({ available_at: clock })
        .where("dedupe_key", "=", "lease-job")
        .execute();
      const claimed = await q.claim(10); // claimed, then the "worker" dies without finishing
      expect(claimed.map((j) => j.topic)).toEqual(["profile.changed"]);
      expect(await q.runDue()).toBe(0);
      clock = new Date(clock.getTime() + 60_001);
      expect(await q.runDue()).toBe(1);
      expect(ran).toEqual([claimed[0]?.id]);
    });
  });
}

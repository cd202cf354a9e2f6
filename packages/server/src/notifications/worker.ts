/**
 * The job worker over the transactional outbox (see outbox.ts for why an outbox and not pg-boss).
 *
 * Claiming: one short transaction selects due rows `for update skip locked`, increments `attempts` and
 * pushes `available_at` forward by a lease; so a second worker (another runDue, another Node instance)
 * skips the locked rows while the claim commits and finds them not due afterwards. The handler then runs
 * outside that transaction; on success the row is marked done, on error it records the error and backs
 * off, and after `maxAttempts` it is marked failed. A worker that dies mid-handler leaves the row pending
 * with an expired lease, so it is claimed again: delivery is at least once, and every handler is idempotent
 * (notifications have a unique dedupe key; inserts are `on conflict do nothing`).
 *
 * The queue clock is the real clock (enqueue stamps `available_at` with it); handlers read the business
 * date from ctx.now().
 */
import { sql, type Transaction } from "kysely";
import type { AppContext } from "../context.ts";
import type { Database } from "../db/schema.ts";
import { enqueue, type Topic } from "./outbox.ts";

export interface Job {
  id: number;
  topic: Topic;
  payload: Record<string, unknown>;
  attempts: number;
}

export type JobHandler = (ctx: AppContext, job: Job) => Promise<void>;
export type JobHandlers = Partial<Record<Topic, JobHandler>>;

/** One interface for the job queue, so pg-boss (or another Postgres-backed queue) can replace the outbox. */
export interface JobQueue {
  enqueue(topic: Topic, payload: Record<string, unknown>, dedupeKey?: string): Promise<void>;
  /** Claims and runs up to `limit` due jobs; returns how many were run (succeeded or failed). */
  runDue(limit?: number): Promise<number>;
}

export interface OutboxQueueOptions {
  handlers: JobHandlers;
  /** Attempts before a job is marked failed. */
  maxAttempts?: number;
  /** How long a claimed job stays invisible to other workers while its handler runs. */
  leaseMs?: number;
  /** Delay before retry number `attempts` (1-based). Default: 10 s × 2^(attempts−1), at most 1 hour. */
  backoffMs?: (attempts: number) => number;
  /** Queue clock; the real clock by default. */
  clock?: () => Date;
  onError?: (job: Job, error: unknown) => void;
}

export const defaultBackoff = (attempts: number) => Math.min(10_000 * 2 ** (attempts - 1), 3_600_000);

function errorText(e: unknown): string {
  const s = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return s.slice(0, 2000);
}

export class OutboxQueue implements JobQueue {
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly backoffMs: (attempts: number) => number;
  private readonly clock: () => Date;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: OutboxQueueOptions,
  ) {
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.backoffMs = opts.backoffMs ?? defaultBackoff;
    this.clock = opts.clock ?? (() => new Date());
  }

  async enqueue(topic: Topic, payload: Record<string, unknown>, dedupeKey?: string): Promise<void> {
    await this.ctx.db.transaction().execute((trx) => enqueue(trx, topic, payload, dedupeKey));
  }

  /** Claims due jobs in one short transaction (for update skip locked) and leases them. */
  async claim(limit: number): Promise<Job[]> {
    return this.ctx.db.transaction().execute(async (trx: Transaction<Database>) => {
      const now = this.clock();
      const rows = await trx
        .selectFrom("outbox")
        .select(["id", "topic", "payload", "attempts"])
        .where("status", "=", "pending")
        .where("available_at", "<=", now)
        .orderBy("available_at")
        .orderBy("id")
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return [];
      const ids = rows.map((r) => Number(r.id));
      await trx
        .updateTable("outbox")
        .set({
          attempts: sql`attempts + 1`,
          available_at: new Date(now.getTime() + this.leaseMs),
        })
        .where("id", "in", ids)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        topic: r.topic as Topic,
        payload: r.payload,
        attempts: r.attempts + 1,
      }));
    });
  }

  async runDue(limit = 20): Promise<number> {
    const jobs = await this.claim(limit);
    for (const job of jobs) await this.run(job);
    return jobs.length;
  }

  private async run(job: Job): Promise<void> {
    try {
      const handler = this.opts.handlers[job.topic];
      if (!handler) throw new Error(`没有处理「${job.topic}」的任务处理器`);
      await handler(this.ctx, job);
      await this.ctx.db
        .updateTable("outbox")
        .set({ status: "done", last_error: null })
        .where("id", "=", job.id)
        .execute();
    } catch (e) {
      this.opts.onError?.(job, e);
      const failed = job.attempts >= this.maxAttempts;
      await this.ctx.db
        .updateTable("outbox")
        .set({
          status: failed ? "failed" : "pending",
          last_error: errorText(e),
          available_at: new Date(this.clock().getTime() + (failed ? 0 : this.backoffMs(job.attempts))),
        })
        .where("id", "=", job.id)
        .execute();
    }
  }
}

export interface WorkerLoop {
  stop(): Promise<void>;
}

/**
 * Runs the queue on an interval (the server does this when started for real; tests call runDue). Each tick
 * first calls `tick` (e.g. enqueue today's deadline reminders), then drains due jobs in batches.
 */
export function startWorker(
  queue: JobQueue,
  opts: {
    intervalMs?: number;
    batch?: number;
    tick?: () => Promise<void>;
    onError?: (e: unknown) => void;
  } = {},
): WorkerLoop {
  const intervalMs = opts.intervalMs ?? 2_000;
  const batch = opts.batch ?? 20;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const once = async () => {
    try {
      await opts.tick?.();
      while (!stopped && (await queue.runDue(batch)) === batch) {
        /* keep draining while batches come back full */
      }
    } catch (e) {
      opts.onError?.(e);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = once().finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  running = once().finally(schedule);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** Wiring: the platform's job queue with the push handlers, and the background loop for a real server. */
import type { AppContext } from "../context.ts";
import { escalateOverdueRequests } from "../services/escalation.ts";
import { sweepWhitelistValidity } from "../services/whitelists.ts";
import { defaultChannels, type MessageChannel } from "./channels.ts";
import { enqueueDailyReminders, pushHandlers } from "./handlers.ts";
import { OutboxQueue, type OutboxQueueOptions, startWorker, type WorkerLoop } from "./worker.ts";

export function createJobQueue(
  ctx: AppContext,
  opts: Omit<OutboxQueueOptions, "handlers"> & { channels?: Record<string, MessageChannel> } = {},
): OutboxQueue {
  const { channels, ...rest } = opts;
  return new OutboxQueue(ctx, { ...rest, handlers: pushHandlers(channels ?? defaultChannels()) });
}

/**
 * Starts the worker loop: every tick enqueues today's deadline reminders (once per day by dedupe key) and
 * drains due jobs. Call `stop()` before closing the database.
 */
export function startJobs(
  ctx: AppContext,
  opts: {
    intervalMs?: number;
    log?: (line: string) => void;
    onError?: (e: unknown) => void;
  } = {},
): WorkerLoop {
  const queue = createJobQueue(ctx, {
    channels: defaultChannels(opts.log),
    onError: (job, e) => opts.onError?.(new Error(`任务 ${job.id}（${job.topic}）失败：${String(e)}`)),
  });
  return startWorker(queue, {
    ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
    tick: async () => {
      await enqueueDailyReminders(ctx);
      // 企业吹哨: overdue requests escalate to the district coordinator (idempotent per stage and due date).
      await escalateOverdueRequests(ctx);
      // 白名单: lists that expired or came into force today change their members' whitelist fact.
      await sweepWhitelistValidity(ctx);
    },
    ...(opts.onError ? { onError: opts.onError } : {}),
  });
}

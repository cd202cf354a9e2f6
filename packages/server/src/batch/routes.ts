/**
 * Batch matching runs in the API: the latest runs with their progress (GET /api/match-runs), one run
 * (GET /api/match-runs/{id}), and starting a full run (POST /api/match-runs) — district coordinators and policy
 * admins. The run itself is drained by the job workers of every process (batch/runs.ts).
 */
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { errorResponses, IdParam } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { createFullRun, getRun, latestRuns, type RunSummary } from "./runs.ts";

const Run = z.object({
  id: z.string(),
  rulesVersion: z.string().meta({ description: "规则版本" }),
  asOf: z.string().meta({ description: "测算日" }),
  reason: z.enum(["publish", "import", "manual", "startup"]),
  reasonLabel: z.string().meta({ description: "发布｜导入｜手动｜首次建立名单" }),
  measureCount: z
    .number()
    .nullable()
    .meta({ description: "只匹配部分措施时的措施数；null = 全部已发布措施" }),
  state: z.enum(["pending", "running", "done", "failed"]),
  stateLabel: z.string().meta({ description: "等待中｜进行中｜已完成｜失败" }),
  partitions: z.number(),
  partitionsDone: z.number(),
  enterprises: z.number(),
  enterprisesDone: z.number(),
  rowsWritten: z.number().meta({ description: "写入名单的行数（符合与待确认）" }),
  percent: z.number().meta({ description: "按企业数的进度，0–100" }),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

function present(r: RunSummary) {
  const { measureIds, ...rest } = r;
  return {
    ...rest,
    measureCount: measureIds ? measureIds.length : null,
    percent:
      r.state === "done"
        ? 100
        : r.enterprises === 0
          ? 0
          : Math.min(99, Math.floor((r.enterprisesDone / r.enterprises) * 100)),
  };
}

export async function registerMatchRunRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/match-runs",
    {
      config: { action: "matchRun.read" },
      schema: {
        tags: ["批量匹配"],
        summary: "区发展改革委、政策管理员：最近的批量匹配（最多 20 次）及进度",
        response: { 200: z.object({ items: z.array(Run) }), ...errorResponses },
      },
    },
    async (req) => {
      authorize(requireActor(req), "matchRun.read");
      return { items: (await latestRuns(ctx.db, 20)).map(present) };
    },
  );

  app.get(
    "/api/match-runs/:id",
    {
      config: { action: "matchRun.read" },
      schema: {
        tags: ["批量匹配"],
        summary: "区发展改革委、政策管理员：一次批量匹配的进度",
        params: IdParam,
        response: { 200: Run, ...errorResponses },
      },
    },
    async (req) => {
      authorize(requireActor(req), "matchRun.read");
      const r = await getRun(ctx.db, req.params.id);
      if (!r) throw notFound("批量匹配");
      return present(r);
    },
  );

  app.post(
    "/api/match-runs",
    {
      config: { action: "matchRun.start" },
      schema: {
        tags: ["批量匹配"],
        summary:
          "区发展改革委、政策管理员：用现行规则对全部企业、全部已发布措施做一次批量匹配（已有进行中的全量匹配时返回它）",
        body: z.object({}).optional(),
        response: { 200: Run, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "matchRun.start");
      // One full run at a time per rules version: a second click shows the one under way.
      const active = (await latestRuns(ctx.db, 20)).find(
        (r) =>
          r.measureIds === null &&
          r.reason === "manual" &&
          r.rulesVersion === ctx.engine.version &&
          (r.state === "pending" || r.state === "running"),
      );
      if (active) return present(active);
      const created = await createFullRun(ctx, "manual", actor.id);
      return present((await getRun(ctx.db, created.id)) as RunSummary);
    },
  );
}

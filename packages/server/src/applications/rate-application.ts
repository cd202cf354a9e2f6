/**
 * 满意度评价: once an application is closed, its enterprise rates the handling 1–5 with an optional comment.
 *
 * Decisions:
 * - "Closed" (办结) means a final status the enterprise can no longer act on: `closed` (已兑付办结) and
 *   `rejected` (不予通过). The workflow has no withdrawal; `disbursementFailed` is not final (finance
 *   re-issues), nor is anything before it.
 * - One rating per application, given once: a second rating answers 409 (评价提交后不可修改), so the
 *   quarterly satisfaction figures cannot be nudged after the fact.
 * - Only the applicant enterprise rates (permission application.rate); everyone who may read the
 *   application may read its rating. The rating is audited (score only, the comment stays in its table).
 */
import { z } from "zod";
import { requireActor } from "../app.ts";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { AppError, forbidden } from "../errors.ts";
import { errorResponses, IdParam, Text } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { visibleApplication } from "./get-application.ts";
import { STATUS_LABELS, type Status } from "./model.ts";
import { lockApplication } from "./store.ts";

/** Statuses after which an application can be rated. */
export const RATEABLE_STATUSES: readonly Status[] = ["closed", "rejected"];
export const RATING_COMMENT_MAX = 500;

export const SCORE_LABELS = ["很不满意", "不满意", "一般", "满意", "很满意"] as const;

export const RatingBody = z.object({
  score: z
    .number({ error: "应为 1～5 的整数" })
    .int({ error: "应为 1～5 的整数" })
    .min(1, { error: "应为 1～5 的整数" })
    .max(5, { error: "应为 1～5 的整数" })
    .meta({ description: "满意度：1 很不满意 … 5 很满意" }),
  comment: Text(RATING_COMMENT_MAX, { tooLong: `评价意见最多 ${RATING_COMMENT_MAX} 个字` })
    .optional()
    .meta({ description: "评价意见（可不填）" }),
});

const Rating = z.object({
  score: z.number().int(),
  comment: z.string().nullable(),
  createdAt: z.string(),
});

const RatingState = z.object({
  rating: Rating.nullable(),
  canRate: z.boolean().meta({ description: "当前账户现在可以评价（已办结、未评价、是申报企业）" }),
  closed: z.boolean().meta({ description: "申报已办结（已兑付办结或不予通过）" }),
});

type RatingState = z.infer<typeof RatingState>;

async function ratingOf(ctx: AppContext, id: string) {
  const r = await ctx.db
    .selectFrom("application_ratings")
    .select(["score", "comment", "created_at"])
    .where("application_id", "=", id)
    .executeTakeFirst();
  return r
    ? { score: Number(r.score), comment: r.comment, createdAt: new Date(r.created_at).toISOString() }
    : null;
}

export async function getRating(ctx: AppContext, actor: Actor, id: string): Promise<RatingState> {
  const a = await visibleApplication(ctx, actor, id);
  const rating = await ratingOf(ctx, id);
  const closed = RATEABLE_STATUSES.includes(a.status as Status);
  return { rating, closed, canRate: closed && rating === null && actor.role === "enterprise" };
}

export async function rateApplication(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof RatingBody>,
): Promise<RatingState> {
  authorize(actor, "application.rate");
  await ctx.db.transaction().execute(async (trx) => {
    const { row } = await lockApplication(trx, ctx, actor, id);
    if (actor.enterpriseId !== row.enterprise_id) throw forbidden("只有申报企业可以评价");
    if (!RATEABLE_STATUSES.includes(row.status))
      throw new AppError(
        "INVALID_STATE",
        `申报当前为「${STATUS_LABELS[row.status]}」，办结（已兑付办结或不予通过）后才能评价`,
        [{ field: "status", message: "申报尚未办结" }],
      );
    const existing = await trx
      .selectFrom("application_ratings")
      .select("application_id")
      .where("application_id", "=", id)
      .executeTakeFirst();
    if (existing)
      throw new AppError("CONFLICT", "该申报已评价，评价提交后不可修改", [
        { field: "score", message: "已评价" },
      ]);
    const comment = input.comment?.trim() ? input.comment.trim() : null;
    await trx
      .insertInto("application_ratings")
      .values({
        application_id: id,
        enterprise_id: row.enterprise_id,
        score: input.score,
        comment,
        rated_by: actor.id,
        created_at: ctx.now(),
      })
      .execute();
    await appendAudit(trx, actor, {
      action: "application.rate",
      entity: "application",
      entityId: id,
      after: { score: input.score, withComment: comment !== null },
    });
  });
  return getRating(ctx, actor, id);
}

export async function registerRatingRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/applications/:id/rating",
    {
      config: { action: "application.read" },
      schema: {
        tags: ["线上申报与审批"],
        summary: "申报的满意度评价（办结后企业可评价一次）",
        params: IdParam,
        response: { 200: RatingState, ...errorResponses },
      },
    },
    async (req) => getRating(ctx, requireActor(req), req.params.id),
  );

  app.post(
    "/api/applications/:id/rating",
    {
      config: { action: "application.rate" },
      schema: {
        tags: ["线上申报与审批"],
        summary: "企业对已办结的申报作满意度评价（1～5 分，可附意见；每件申报一次，再次提交返回 409）",
        security: [{ session: [], csrf: [] }],
        params: IdParam,
        body: RatingBody,
        response: { 201: RatingState, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await rateApplication(ctx, requireActor(req), req.params.id, req.body)),
  );
}

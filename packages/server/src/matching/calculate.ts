/**
 * 匿名政策计算器: POST /api/calculate — the engine on facts a visitor sends, without an account.
 *
 * Same validation as the enterprise profile (the zod schema built from the fact vocabulary, the same length and
 * count limits), same published measures, same presentation as GET /api/enterprises/{id}/matches: the figures a
 * visitor sees are the figures the enterprise sees after registering with the same answers. Nothing is stored
 * and nothing is audited or logged about the facts (the request log carries method and path only).
 */
import { type Facts, isIsoDate, ProfileValidationError } from "@huiqi/engine";
import { z } from "zod";
import { engineAsOf } from "../authoring/rules-as-of.ts";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { FACT_LIMITS, factLimitProblems, validatorFor } from "../enterprises/update-facts.ts";
import { AppError, type FieldError } from "../errors.ts";
import { errorResponses, Text } from "../http/schemas.ts";
import type { TypedApp } from "../routes.ts";
import { publishedSet } from "./cache.ts";
import { MatchBody, presentMatch } from "./present.ts";
import { precompiledOk } from "./serialize.ts";

/** The anonymous result: the enterprise's shape without its id, every measure (the page lists the ineligible). */
const CalculateBody = MatchBody.omit({ enterpriseId: true });

/** A profile of realistic size is a few KiB; the limits of FACT_LIMITS fit well within this. */
export const CALCULATE_BODY_LIMIT = 64 * 1024;

/** Per client address: the page recalculates after each saved step, never in a loop. */
export const CALCULATE_RATE_LIMIT = { max: 60, timeWindow: "1 minute" } as const;

/** Identity facts a visitor has no reason to send: refused, so no personal identifier reaches the server. */
const IDENTITY: Record<string, string> = {
  uscc: "匿名测算不需要统一社会信用代码，请不要填写",
  name: "匿名测算不需要企业名称，请不要填写",
};

function refuse(fields: FieldError[]): never {
  throw new AppError("VALIDATION", fields.map((f) => `${f.field}：${f.message}`).join("；"), fields);
}

/** Validates a visitor's facts as the profile validator does; null (a cleared answer) is left out: unknown. */
export function parseVisitorFacts(ctx: AppContext, input: Record<string, unknown>): Facts {
  const tooLarge = factLimitProblems(input);
  if (tooLarge.length > 0) refuse(tooLarge);
  const fields: FieldError[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (Object.hasOwn(IDENTITY, key))
      fields.push({ field: `facts.${key}`, message: IDENTITY[key] as string });
    else if (value !== null) values[key] = value;
  }
  if (fields.length > 0) refuse(fields);
  try {
    return validatorFor(ctx)(values);
  } catch (e) {
    if (!(e instanceof ProfileValidationError)) throw e;
    return refuse(
      e.issues.map((i) => ({
        field: `facts.${i.field}`,
        message: i.label ? `${i.label}：${i.message}` : i.message,
      })),
    );
  }
}

export function registerCalculateRoute(app: TypedApp, ctx: AppContext): void {
  app.post(
    "/api/calculate",
    {
      bodyLimit: CALCULATE_BODY_LIMIT,
      config: { public: true, rateLimit: CALCULATE_RATE_LIMIT },
      serializerCompiler: precompiledOk(CalculateBody),
      schema: {
        tags: ["智能匹配"],
        summary:
          "匿名政策计算器：不登录，按提交的企业情况测算（不保存、不记审计），结果与企业的匹配结果同一格式",
        description:
          "facts 为部分企业画像（字段见 huiqi schema profile，与 PUT /api/enterprises/{id}/facts 同一校验），金额单位为元；不接受统一社会信用代码和企业名称。请求体最多 64 KiB，每个客户端地址每分钟 60 次。",
        body: z.object(
          {
            facts: z
              .record(Text(FACT_LIMITS.keyChars), z.unknown(), { error: "facts 应为对象（部分企业画像）" })
              .refine((f) => Object.keys(f).length <= FACT_LIMITS.keys, {
                error: `facts 最多 ${FACT_LIMITS.keys} 项`,
              })
              .meta({ description: "部分企业画像", maxProperties: FACT_LIMITS.keys }),
            asOf: Text(10, { tooLong: "测算日 asOf 应为真实存在的日期，格式 YYYY-MM-DD" })
              .refine(isIsoDate, { error: "测算日 asOf 应为真实存在的日期，格式 YYYY-MM-DD" })
              .optional()
              .meta({ description: "测算日 YYYY-MM-DD；缺省为重庆当日" }),
          },
          { error: "请求体应为对象：{ facts, asOf }" },
        ),
        response: { 200: CalculateBody, ...errorResponses },
      },
    },
    async (req) => {
      const facts = parseVisitorFacts(ctx, req.body.facts);
      const asOf = req.body.asOf ?? localDate(ctx.now());
      const engine = await engineAsOf(ctx, asOf);
      const published = await publishedSet(ctx.db, engine);
      const result = engine.evaluatePrepared(engine.prepare(facts), published.measures, { asOf });
      return presentMatch(ctx, result, result.results);
    },
  );
}

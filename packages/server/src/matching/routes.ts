/** Matching: the engine run on the stored profile as of a date (政策计算器). */
import { isIsoDate } from "@huiqi/engine";
import { z } from "zod";
import { requireActor } from "../app.ts";
import { engineAsOf } from "../authoring/rules-as-of.ts";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { auditRead, enterpriseInScope } from "../enterprises/access.ts";
import { AppError, notFound } from "../errors.ts";
import { errorResponses, IdParam, Text } from "../http/schemas.ts";
import type { TypedApp } from "../routes.ts";
import { cachedBody, enterpriseFacts, publishedSet, storeBody } from "./cache.ts";
import { registerCalculateRoute } from "./calculate.ts";
import { MatchBody, presentMatch } from "./present.ts";
import { compileSerializer, precompiledOk } from "./serialize.ts";

/** The 200 body, compiled once (serialize.ts). */
const serializeMatch = compileSerializer(MatchBody);

export async function registerMatchingRoutes(app: TypedApp, ctx: AppContext) {
  registerCalculateRoute(app, ctx);
  app.get(
    "/api/enterprises/:id/matches",
    {
      config: { action: "match.read" },
      // The 200 body is written by a precompiled serializer, not validated per request (serialize.ts).
      serializerCompiler: precompiledOk(MatchBody),
      schema: {
        tags: ["智能匹配"],
        summary: "智能匹配：按测算日对企业画像运行规则引擎（结果、金额、缺失事实、从高不重复、待答问题）",
        description:
          "金额以整数“分”给出并附中文金额。asOf 缺省为重庆当日（UTC+8）。默认只返回符合与待确认的措施（不符合的只给项数 ineligibleOmitted，include=ineligible 时全部返回）；解释树按措施取（explain=true 须同时给 measure）。部门人员的查询记入审计（enterprise.read）。",
        params: IdParam,
        querystring: z.object({
          asOf: Text(10, { tooLong: "测算日 asOf 应为真实存在的日期，格式 YYYY-MM-DD" })
            .refine(isIsoDate, { error: "测算日 asOf 应为真实存在的日期，格式 YYYY-MM-DD" })
            .optional()
            .meta({ description: "测算日 YYYY-MM-DD" }),
          include: z
            .enum(["ineligible"], { error: "include 只能为 ineligible（同时返回不符合的措施）" })
            .optional()
            .meta({ description: "ineligible：同时返回不符合的措施（含原因），如政策计算器的“不符合”一栏" }),
          explain: z
            .enum(["true", "false"], { error: "explain 应为 true 或 false" })
            .optional()
            .meta({ description: "true 时附带所指措施（measure）的解释树" }),
          outcome: z
            .enum(["eligible", "ineligible", "undetermined"], {
              error: "outcome 应为 eligible、ineligible 或 undetermined",
            })
            .optional()
            .meta({ description: "只返回该结论的措施（合计与问题仍按全部措施）" }),
          measure: Text(100, { tooLong: "measure 过长" })
            .min(3, { error: "measure 应为措施编号，如 banan-2022-63/3" })
            .max(100, { error: "measure 过长" })
            .optional()
            .meta({
              description:
                "只返回这一项措施（不论结论；解释树也只算这一项；合计、从高不重复与问题仍按全部措施）。不存在的编号返回 404",
            }),
        }),
        response: { 200: MatchBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const q = req.query;
      const only = q.measure;
      const explain = q.explain === "true";
      // Explanations are hundreds of KB for all measures together: one measure at a time.
      if (explain && only === undefined)
        throw new AppError("VALIDATION", "explain=true 时须同时指定 measure（每次解释一项措施）", [
          { field: "measure", message: "explain=true 时须指定措施编号" },
        ]);
      const e = await enterpriseInScope(ctx, actor, "match.read", req.params.id);
      const asOf = q.asOf ?? localDate(ctx.now());
      // Today's rules are ctx.engine (no query); a past date uses the rules published then (rules-as-of.ts).
      const engine = await engineAsOf(ctx, asOf);
      if (only !== undefined && !engine.byId.has(only)) throw notFound("措施");
      // Unpublished measures (policy admin) take no part: not in results, totals, stacking or questions.
      const published = await publishedSet(ctx.db, engine);
      const wanted = q.outcome;
      const withIneligible = q.include === "ineligible" || wanted === "ineligible" || only !== undefined;
      // The two lists pages read again and again are cached with the facts' version (cache.ts).
      const cacheKey =
        only === undefined && wanted === undefined
          ? `${published.key}|${ctx.engine.version}|${asOf}|${withIneligible ? "all" : "compact"}`
          : undefined;
      let json = cacheKey === undefined ? undefined : cachedBody(ctx.db, e, cacheKey);
      let rulesVersion = engine.version;
      if (json === undefined) {
        const { facts, slots } = await enterpriseFacts(ctx.db, e, engine);
        const result = engine.evaluatePrepared(slots, published.measures, { asOf });
        rulesVersion = result.rulesVersion;
        if (explain && only !== undefined) {
          const r = result.results.find((x) => x.measureId === only);
          if (r) r.explanation = engine.explain(only, facts, asOf);
        }
        let omitted = 0;
        const results = result.results.filter((r) => {
          if (only !== undefined) return r.measureId === only;
          if (wanted !== undefined) return r.outcome === wanted;
          if (r.outcome === "ineligible" && !withIneligible) {
            omitted++;
            return false;
          }
          return true;
        });
        json = serializeMatch({
          enterpriseId: e.id,
          ...presentMatch(ctx, result, results),
          ...(withIneligible ? {} : { ineligibleOmitted: omitted }),
        });
        if (cacheKey !== undefined) storeBody(ctx.db, e, cacheKey, json);
      }
      await auditRead(ctx, actor, e.id, { view: "matches", asOf, rulesVersion });
      // Already JSON (of MatchBody's shape): fastify sends a string with a JSON content type as it is.
      return reply.type("application/json; charset=utf-8").send(json as unknown as z.infer<typeof MatchBody>);
    },
  );
}

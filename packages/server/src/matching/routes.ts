/** Matching: the engine run on the stored profile as of a date (政策计算器). */
import { isIsoDate } from "@huiqi/engine";
import { z } from "zod";
import { requireActor } from "../app.ts";
import { engineAsOf } from "../authoring/rules-as-of.ts";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { auditRead, enterpriseInScope } from "../enterprises/access.ts";
import { loadFacts } from "../enterprises/facts-store.ts";
import { notFound } from "../errors.ts";
import { errorResponses, IdParam, Text } from "../http/schemas.ts";
import { publishedMeasureIds } from "../policies/publication.ts";
import type { TypedApp } from "../routes.ts";
import { registerCalculateRoute } from "./calculate.ts";
import { MatchBody, presentMatch } from "./present.ts";

export async function registerMatchingRoutes(app: TypedApp, ctx: AppContext) {
  registerCalculateRoute(app, ctx);
  app.get(
    "/api/enterprises/:id/matches",
    {
      config: { action: "match.read" },
      schema: {
        tags: ["智能匹配"],
        summary: "智能匹配：按测算日对企业画像运行规则引擎（结果、金额、缺失事实、从高不重复、待答问题）",
        description:
          "金额以整数“分”给出并附中文金额。asOf 缺省为重庆当日（UTC+8）。部门人员的查询记入审计（enterprise.read）。",
        params: IdParam,
        querystring: z.object({
          asOf: Text(10, { tooLong: "测算日 asOf 应为真实存在的日期，格式 YYYY-MM-DD" })
            .refine(isIsoDate, { error: "测算日 asOf 应为真实存在的日期，格式 YYYY-MM-DD" })
            .optional()
            .meta({ description: "测算日 YYYY-MM-DD" }),
          explain: z
            .enum(["true", "false"], { error: "explain 应为 true 或 false" })
            .optional()
            .meta({ description: "true 时附带每项措施的解释树" }),
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
                "只返回这一项措施（解释树也只算这一项；合计、从高不重复与问题仍按全部措施）。不存在的编号返回 404",
            }),
        }),
        response: { 200: MatchBody, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const e = await enterpriseInScope(ctx, actor, "match.read", req.params.id);
      const facts = await loadFacts(ctx.db, e.id);
      if (!facts) throw notFound("企业");
      const asOf = req.query.asOf ?? localDate(ctx.now());
      const explain = req.query.explain === "true";
      // A past date uses the rules published then (authoring/rules-as-of.ts).
      const engine = await engineAsOf(ctx, asOf);
      // Unpublished measures (policy admin) take no part: not in results, totals, stacking or questions.
      const measures = await publishedMeasureIds(ctx, engine);
      const only = req.query.measure;
      if (only !== undefined && !engine.byId.has(only)) throw notFound("措施");
      const result = engine.evaluate(facts, { asOf, explain: explain && only === undefined, measures });
      if (explain && only !== undefined) {
        const r = result.results.find((x) => x.measureId === only);
        if (r) r.explanation = engine.explain(only, facts, asOf);
      }
      await auditRead(ctx, actor, e.id, { view: "matches", asOf, rulesVersion: result.rulesVersion });
      const results = result.results.filter(
        (r) =>
          (!req.query.outcome || r.outcome === req.query.outcome) &&
          (only === undefined || r.measureId === only),
      );
      return { enterpriseId: e.id, ...presentMatch(ctx, result, results) };
    },
  );
}

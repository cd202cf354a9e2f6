/**
 * 免申即享 routes: the public list of flagged measures (library tags), the policy admin's flag, the lead
 * department's lists, evidence, confirmations and exclusions, and the enterprise's 收款账户 confirmation.
 */
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { errorResponses, IdParam, Text } from "../http/schemas.ts";
import type { TypedApp } from "../routes.ts";
import { currentFlags, setFlag } from "./flags.ts";
import {
  confirmAccount,
  confirmGrants,
  detailFor,
  excludeEnterprises,
  listPageFor,
  measuresForOfficer,
  restoreEnterprises,
} from "./grants.ts";

const MeasureParams = z.object({
  documentId: Text(60).regex(/^[a-z0-9-]{1,60}$/, { error: "documentId 应为文件编号，如 kaizhou-2023-27" }),
  item: Text(20).regex(/^[0-9A-Za-z.-]{1,20}$/, { error: "item 应为原文序号，如 2.1" }),
});
const EnterpriseParams = MeasureParams.extend({ enterpriseId: z.uuid({ error: "enterpriseId 应为 UUID" }) });
const measureIdOf = (p: { documentId: string; item: string }) => `${p.documentId}/${p.item}`;

const Tags = ["免申即享"];

const Evidence = z.object({
  key: z.string(),
  label: z.string(),
  value: z.unknown(),
  unit: z.string().nullable(),
  source: z.enum(["import", "self", "verified", "registry", "platform", "derived"]),
  sourceLabel: z
    .string()
    .meta({ description: "部门数据／企业填报／已核实／登记信息／平台兑现记录／由其他事实推算" }),
  importFile: z.string().nullable(),
  importRow: z.number().nullable(),
  at: z.string().nullable().meta({ description: "部门数据的导入时间，或核实、填报的时间" }),
});

const Row = z.object({
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  uscc: z.string(),
  state: z.enum(["confirmable", "refused", "excluded", "granted", "applied"]),
  stateLabel: z.string(),
  amountFen: z.number().nullable().meta({ description: "可确认（或已兑现）的确定金额，分" }),
  amountMin: z.number().nullable(),
  amountMax: z.number().nullable(),
  reason: z.string().nullable().meta({ description: "不能确认、已排除或已申报的中文说明" }),
  exclusion: z.object({ reason: z.string(), at: z.string(), byName: z.string().nullable() }).nullable(),
  application: z
    .object({
      id: z.string(),
      number: z.string(),
      status: z.string(),
      statusLabel: z.string(),
      channel: z.string(),
      version: z.number(),
    })
    .nullable(),
  evidence: z.array(Evidence),
  listedAsOf: z.string().nullable(),
});

const ConfirmBody = z.object({
  items: z
    .array(
      z.object({
        enterpriseId: z.uuid({ error: "enterpriseId 应为 UUID" }),
        amountFen: z
          .number({ error: "amountFen 应为整数（分）" })
          .int({ error: "amountFen 应为整数（分）" })
          .min(1, { error: "amountFen 应大于 0" })
          .max(Number.MAX_SAFE_INTEGER, { error: "amountFen 过大" }),
      }),
      { error: "items 应为企业与金额的列表" },
    )
    .min(1, { error: "请至少选择一家企业" })
    .max(200, { error: "一次最多确认 200 家企业" }),
});

/** The enterprises selected on a list, and why (排除 or 恢复). */
const selectionBody = (verb: "排除" | "恢复") =>
  z.object({
    enterpriseIds: z
      .array(z.uuid({ error: "enterpriseIds 应为 UUID 列表" }), { error: "enterpriseIds 应为 UUID 列表" })
      .min(1, { error: "请至少选择一家企业" })
      .max(200, { error: `一次最多${verb} 200 家企业` }),
    reason: Text(500, { type: `${verb}理由应为文字`, tooLong: `${verb}理由最多 500 个字` })
      .trim()
      .min(2, { error: `请写明${verb}理由（至少 2 个字）` }),
  });
const ExcludeBody = selectionBody("排除");
const RestoreBody = selectionBody("恢复");

const AccountBody = z.object({
  contactName: Text(50, { tooLong: "联系人最多 50 个字" }).trim().min(1, { error: "请填写联系人" }),
  contactPhone: Text(20, { tooLong: "联系电话最多 20 个字符" })
    .trim()
    .regex(/^[0-9+\-() ]{7,20}$/, { error: "联系电话应为 7～20 位数字" }),
  bankName: Text(100, { tooLong: "开户银行最多 100 个字" }).trim().min(2, { error: "请填写开户银行" }),
  bankAccount: Text(30, { tooLong: "银行账号应为 8～30 位数字" })
    .trim()
    .regex(/^[0-9 ]{8,30}$/, { error: "银行账号应为 8～30 位数字" }),
});

export async function registerExemptionRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/exemption/flags",
    {
      config: { public: true },
      schema: {
        tags: Tags,
        summary: "标为免申即享的措施（政策库、措施页的标签；无需登录）",
        response: {
          200: z.object({ items: z.array(z.object({ measureId: z.string(), since: z.string() })) }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const flags = await currentFlags(ctx);
      return {
        items: [...flags.values()]
          .filter((f) => f.flagged)
          .map((f) => ({ measureId: f.measureId, since: f.at })),
      };
    },
  );

  app.put(
    "/api/exemption/measures/:documentId/:item/flag",
    {
      config: { action: "exemption.flag" },
      schema: {
        tags: Tags,
        summary: "政策管理员：把资金类措施标为免申即享，或取消（保留历史，记审计）",
        params: MeasureParams,
        body: z.object({
          flagged: z.boolean({ error: "flagged 应为 true 或 false" }),
          note: Text(500, { tooLong: "说明最多 500 个字" }).trim().optional(),
        }),
        response: {
          200: z.object({ measureId: z.string(), flagged: z.boolean(), changed: z.boolean() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const measureId = measureIdOf(req.params);
      const r = await setFlag(ctx, actor, measureId, req.body.flagged, req.body.note || null);
      return { measureId, flagged: req.body.flagged, changed: r.changed };
    },
  );

  app.get(
    "/api/exemption/measures",
    {
      config: { action: "exemption.list" },
      schema: {
        tags: Tags,
        summary: "牵头单位经办人：本部门牵头、适用于本区县的免申即享措施，名单人数和已兑现",
        response: {
          200: z.object({
            items: z.array(
              z.object({
                measureId: z.string(),
                title: z.string(),
                docNumber: z.string(),
                leadDepartment: z.string(),
                leadDepartmentName: z.string(),
                inForce: z.boolean(),
                listed: z.number(),
                granted: z.number(),
                grantedFen: z.number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({ items: await measuresForOfficer(ctx, requireActor(req)) }),
  );

  app.get(
    "/api/exemption/measures/:documentId/:item/enterprises",
    {
      config: { action: "exemption.list" },
      schema: {
        tags: Tags,
        summary:
          "牵头单位经办人：本区县符合该免申即享措施的企业（分页），逐家按当前数据重新测算，附依据事实及来源",
        description: "已排除、已兑现、企业已自行申报的企业标出，不省略。每家企业的读取记审计。",
        params: MeasureParams,
        querystring: z.object({
          after: z.uuid({ error: "after 应为上一页最后一家企业的编号" }).optional(),
          limit: z.coerce
            .number({ error: "limit 应为 1～200 的整数" })
            .int({ error: "limit 应为 1～200 的整数" })
            .min(1, { error: "limit 应为 1～200 的整数" })
            .max(200, { error: "limit 应为 1～200 的整数" })
            .optional(),
        }),
        response: {
          200: z.object({ items: z.array(Row), nextAfter: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      listPageFor(ctx, requireActor(req), measureIdOf(req.params), {
        after: req.query.after,
        limit: req.query.limit ?? 50,
      }),
  );

  app.get(
    "/api/exemption/measures/:documentId/:item/enterprises/:enterpriseId",
    {
      config: { action: "exemption.list" },
      schema: {
        tags: Tags,
        summary: "牵头单位经办人：一家企业的测算、依据事实与引擎解释",
        params: EnterpriseParams,
        response: {
          200: z.object({
            enterpriseId: z.string(),
            enterpriseName: z.string(),
            asOf: z.string(),
            rulesVersion: z.string(),
            outcome: z.string(),
            amountFen: z.number().nullable(),
            reason: z.string().nullable(),
            evidence: z.array(Evidence),
            explanation: z.unknown().meta({ description: "引擎解释树（与审核页相同）" }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => detailFor(ctx, requireActor(req), measureIdOf(req.params), req.params.enterpriseId),
  );

  app.post(
    "/api/exemption/measures/:documentId/:item/confirm",
    {
      config: { action: "exemption.confirm" },
      schema: {
        tags: Tags,
        summary:
          "牵头单位经办人：确认所选企业，生成已通过的免申即享兑现（逐家重新测算，不符合的逐家说明原因；重复确认不重复生成）",
        params: MeasureParams,
        body: ConfirmBody,
        response: {
          200: z.object({
            results: z.array(
              z.object({
                enterpriseId: z.string(),
                enterpriseName: z.string(),
                result: z.enum(["granted", "already", "refused"]),
                applicationId: z.string().nullable(),
                number: z.string().nullable(),
                amountFen: z.number().nullable(),
                reason: z.string().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({
      results: await confirmGrants(ctx, requireActor(req), measureIdOf(req.params), req.body.items),
    }),
  );

  app.post(
    "/api/exemption/measures/:documentId/:item/exclude",
    {
      config: { action: "exemption.confirm" },
      schema: {
        tags: Tags,
        summary: "牵头单位经办人：把所选企业排除出免申即享名单（须写理由，记审计）",
        params: MeasureParams,
        body: ExcludeBody,
        response: {
          200: z.object({
            results: z.array(
              z.object({
                enterpriseId: z.string(),
                result: z.enum(["excluded", "refused"]),
                reason: z.string().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({
      results: await excludeEnterprises(
        ctx,
        requireActor(req),
        measureIdOf(req.params),
        req.body.enterpriseIds,
        req.body.reason,
      ),
    }),
  );

  app.post(
    "/api/exemption/measures/:documentId/:item/restore",
    {
      config: { action: "exemption.confirm" },
      schema: {
        tags: Tags,
        summary: "牵头单位经办人：把已排除的企业恢复到免申即享名单（须写理由，记审计，保留原排除理由）",
        params: MeasureParams,
        body: RestoreBody,
        response: {
          200: z.object({
            results: z.array(
              z.object({
                enterpriseId: z.string(),
                result: z.enum(["restored", "refused"]),
                reason: z.string().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({
      results: await restoreEnterprises(
        ctx,
        requireActor(req),
        measureIdOf(req.params),
        req.body.enterpriseIds,
        req.body.reason,
      ),
    }),
  );

  app.post(
    "/api/exemption/grants/:id/account",
    {
      config: { action: "exemption.account" },
      schema: {
        tags: Tags,
        summary: "企业：确认免申即享兑现的收款账户（确认前财政局不能兑付）",
        params: IdParam,
        body: AccountBody,
        response: { 200: z.object({ ok: z.boolean() }), ...errorResponses },
      },
    },
    async (req) => {
      await confirmAccount(ctx, requireActor(req), req.params.id, req.body);
      return { ok: true };
    },
  );
}

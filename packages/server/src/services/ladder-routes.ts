/** HTTP routes of the “专精特新” ladder (ladder.ts) and the 白名单 lists (whitelists.ts). */
import { isIsoDate } from "@huiqi/engine";
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { errorResponses, IdParam, Text } from "../http/schemas.ts";
import { tableFormat } from "../imports/table.ts";
import type { TypedApp } from "../routes.ts";
import { districtLadder, districtTargets, myLadder, TIERS } from "./ladder.ts";
import {
  addMembers,
  createWhitelist,
  getWhitelist,
  importMembers,
  listWhitelists,
  myWhitelists,
  removeMember,
  updateWhitelist,
  WHITELIST_BASIS,
  WHITELIST_KIND_IDS,
  WHITELIST_KINDS,
} from "./whitelists.ts";

const LADDER_TAGS = ["梯度培育"];
const LIST_TAGS = ["白名单"];
const WRITE = [{ session: [], csrf: [] }];

const District = Text(6, { type: "区县代码应为 6 位数字", tooLong: "区县代码应为 6 位数字" })
  .regex(/^\d{6}$/, { error: "区县代码应为 6 位数字" })
  .optional()
  .meta({ description: "区县代码（政策管理员选择；经办人、区发展改革委只能看本区县）" });

const Tier = z.enum(TIERS).meta({
  description:
    "reserve 储备｜innovativeSme 创新型中小企业｜srdi 市级专精特新｜littleGiant 国家级“小巨人”｜listing 上市培育",
});

const Gap = z.object({
  kind: z
    .enum(["short", "unmet", "unknown"])
    .meta({ description: "short 数值差距｜unmet 未满足｜unknown 待补充" }),
  text: z
    .string()
    .meta({ description: "中文说明，如“上年度研发费用总额占营业收入总额比重还差 0.6 个百分点”" }),
});

const Candidate = z.object({
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  tier: Tier,
  tierLabel: z.string(),
  nextTier: Tier,
  nextTierLabel: z.string(),
  status: z.enum(["eligible", "undetermined", "ineligible", "unranked"]),
  statusLabel: z.string(),
  distance: z
    .number()
    .nullable()
    .meta({ description: "离下一级的距离（0 = 已符合；越小越近）；未编码标准的为空" }),
  gaps: z.array(Gap),
  missing: z.array(z.string()).meta({ description: "待补充的资料（中文）" }),
  indicator: z.object({ label: z.string(), value: z.string() }).nullable(),
  basis: z.string().nullable().meta({ description: "测算依据的标准" }),
});

const Ladder = z.object({
  district: z.string(),
  districtName: z.string(),
  asOf: z.string(),
  criteriaNote: z.string(),
  tiers: z.array(z.object({ tier: Tier, label: z.string(), count: z.number().int() })),
  enterprises: z.array(
    z.object({
      enterpriseId: z.string(),
      name: z.string(),
      tier: Tier,
      tierLabel: z.string(),
      since: z.string().nullable().meta({ description: "取得该级认定的日期" }),
    }),
  ),
  candidates: z.array(Candidate),
});

const Targets = z.object({
  district: z.string(),
  districtName: z.string(),
  documents: z.array(
    z.object({
      documentId: z.string(),
      docNumber: z.string(),
      title: z.string(),
      targets: z.array(
        z.object({
          id: z.string(),
          tier: Tier,
          label: z.string(),
          quote: z.string().meta({ description: "文件原文" }),
          year: z.number().int(),
          value: z.number(),
          unit: z.string(),
          actual: z.array(z.object({ year: z.number().int(), count: z.number().int() })),
          reached: z.number().int().meta({ description: "目标年末（尚未到时为今天）的实际数" }),
        }),
      ),
    }),
  ),
});

const MyLadder = z.object({
  tier: Tier,
  tierLabel: z.string(),
  since: z.string().nullable(),
  candidate: Candidate.nullable(),
  criteriaNote: z.string(),
});

const Kind = z.enum(WHITELIST_KIND_IDS, { error: "请选择白名单类别" }).meta({
  description: Object.entries(WHITELIST_KINDS)
    .map(([k, v]) => `${k} ${v}`)
    .join("｜"),
});
const Day = (field: string) =>
  Text(10, { type: `${field}应为 YYYY-MM-DD 格式的日期`, tooLong: `${field}应为 YYYY-MM-DD 格式的日期` })
    .refine(isIsoDate, {
      error: `${field}应为真实存在的日期，格式 YYYY-MM-DD`,
    })
    .meta({ description: `${field}（YYYY-MM-DD）` });

const ListBody = z.object({
  name: Text(100, { tooLong: "名称最多 100 个字" }).trim().min(1, { error: "请填写白名单名称" }),
  kind: Kind,
  validFrom: Day("有效期起始日"),
  validUntil: Day("有效期截止日").nullable().optional(),
  basis: Text(500, { tooLong: "依据最多 500 个字" })
    .nullable()
    .optional()
    .meta({ description: "设立依据（文号等）" }),
});
const CreateBody = ListBody.extend({
  regionCode: Text(6, { type: "区县代码应为 6 位数字", tooLong: "区县代码应为 6 位数字" })
    .regex(/^\d{6}$/, { error: "区县代码应为 6 位数字" })
    .optional()
    .meta({
      description: "适用区县；500000 为全市（政策管理员）。不填：区发展改革委为本区县，政策管理员为全市",
    }),
});

const Status = z
  .enum(["active", "pending", "expired"])
  .meta({ description: "active 有效｜pending 尚未生效｜expired 已过期" });

const ListView = z.object({
  id: z.string(),
  name: z.string(),
  kind: Kind,
  kindLabel: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  status: Status,
  statusLabel: z.string(),
  basis: z.string().nullable(),
  members: z.number().int(),
  canManage: z.boolean(),
});

const Basis = z.array(
  z.object({ measureId: z.string(), docNumber: z.string(), ordinal: z.number().int(), quote: z.string() }),
);

const Detail = z.object({
  list: ListView,
  members: z.array(
    z.object({
      enterpriseId: z.string(),
      name: z.string(),
      uscc: z.string(),
      regionName: z.string(),
      addedAt: z.string(),
      sourceFile: z.string().nullable(),
      sourceRow: z.number().int().nullable(),
    }),
  ),
});

const AddResult = z.object({
  added: z.number().int(),
  already: z.number().int(),
  problems: z
    .array(z.object({ row: z.number().int().nullable(), uscc: z.string(), reason: z.string() }))
    .max(200),
  summary: z.string(),
});

const BASE64_MAX = 14_000_000;
const IMPORT_LIMIT = BASE64_MAX + 64 * 1024;

const MembersBody = z.object({
  usccs: z
    .array(Text(18, { tooLong: "统一社会信用代码应为 18 位" }), { error: "请提供统一社会信用代码" })
    .min(1, { error: "请至少填写一个统一社会信用代码" })
    .max(1000, { error: "一次最多加入 1000 家，更多请用文件导入" }),
});

const ImportBody = z.object({
  fileName: Text(200)
    .trim()
    .min(1, { error: "请提供文件名" })
    .refine((n) => tableFormat(n) !== null, { error: "只能导入 .xlsx 或 .csv 文件" }),
  contentBase64: Text(BASE64_MAX)
    .min(1, { error: "文件是空的" })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: "应为 base64 编码的文件内容" }),
});

const MemberParams = z.object({
  id: z.uuid({ error: "应为 UUID" }),
  enterpriseId: z.uuid({ error: "应为 UUID" }),
});

const Mine = z.object({
  lists: z.array(
    z.object({
      name: z.string(),
      kindLabel: z.string(),
      regionName: z.string(),
      validFrom: z.string(),
      validUntil: z.string().nullable(),
      status: Status,
      statusLabel: z.string(),
      basis: z.string().nullable(),
    }),
  ),
  basis: Basis,
});

export async function registerLadderRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/ladder",
    {
      config: { action: "ladder.read" },
      schema: {
        tags: LADDER_TAGS,
        summary: "本区县“专精特新”梯度培育：每家企业所在梯度、各级企业数，以及下一级的候选企业（按差距排序）",
        querystring: z.object({ district: District }),
        response: { 200: Ladder, ...errorResponses },
      },
    },
    async (req) => districtLadder(ctx, requireActor(req), req.query.district),
  );

  app.get(
    "/api/ladder/targets",
    {
      config: { action: "ladder.read" },
      schema: {
        tags: LADDER_TAGS,
        summary: "本区县文件设定的梯度培育目标（如武隆 2025 年目标）与逐年实际数",
        querystring: z.object({ district: District }),
        response: { 200: Targets, ...errorResponses },
      },
    },
    async (req) => districtTargets(ctx, requireActor(req), req.query.district),
  );

  app.get(
    "/api/ladder/mine",
    {
      config: { action: "ladder.mine" },
      schema: {
        tags: LADDER_TAGS,
        summary: "本企业所在梯度，以及离下一级还差什么",
        response: { 200: MyLadder, ...errorResponses },
      },
    },
    async (req) => myLadder(ctx, requireActor(req)),
  );

  app.get(
    "/api/whitelists",
    {
      config: { action: "whitelist.read" },
      schema: {
        tags: LIST_TAGS,
        summary: "白名单：本区县与全市的名单（政策管理员：全部），含类别、有效期、企业数",
        response: { 200: z.object({ lists: z.array(ListView), basis: Basis }), ...errorResponses },
      },
    },
    async (req) => ({
      lists: await listWhitelists(ctx, requireActor(req)),
      basis: WHITELIST_BASIS.map((b) => ({ ...b })),
    }),
  );

  app.post(
    "/api/whitelists",
    {
      config: { action: "whitelist.manage" },
      schema: {
        tags: LIST_TAGS,
        summary: "新建白名单（区发展改革委：本区县；政策管理员：全市或任一区县）",
        security: WRITE,
        body: CreateBody,
        response: { 200: ListView, ...errorResponses },
      },
    },
    async (req) => createWhitelist(ctx, requireActor(req), req.body),
  );

  app.get(
    "/api/whitelists/:id",
    {
      config: { action: "whitelist.read" },
      schema: {
        tags: LIST_TAGS,
        summary: "一份白名单及其企业（区县人员只看到本区县的企业）",
        params: IdParam,
        response: { 200: Detail, ...errorResponses },
      },
    },
    async (req) => getWhitelist(ctx, requireActor(req), req.params.id),
  );

  app.put(
    "/api/whitelists/:id",
    {
      config: { action: "whitelist.manage" },
      schema: {
        tags: LIST_TAGS,
        summary: "修改白名单的名称、类别、有效期和依据（名单内企业的“所在白名单”随之更新）",
        security: WRITE,
        params: IdParam,
        body: ListBody,
        response: { 200: ListView, ...errorResponses },
      },
    },
    async (req) => updateWhitelist(ctx, requireActor(req), req.params.id, req.body),
  );

  app.post(
    "/api/whitelists/:id/members",
    {
      config: { action: "whitelist.manage" },
      schema: {
        tags: LIST_TAGS,
        summary: "按统一社会信用代码加入企业（逐个列出有问题的代码）",
        security: WRITE,
        params: IdParam,
        body: MembersBody,
        response: { 200: AddResult, ...errorResponses },
      },
    },
    async (req) => addMembers(ctx, requireActor(req), req.params.id, req.body.usccs),
  );

  app.post(
    "/api/whitelists/:id/import",
    {
      config: { action: "whitelist.manage" },
      bodyLimit: IMPORT_LIMIT,
      schema: {
        tags: LIST_TAGS,
        summary: "从 .xlsx／.csv 文件加入企业：“统一社会信用代码”一列，每行一家；问题行逐行列出",
        security: WRITE,
        params: IdParam,
        body: ImportBody,
        response: { 200: AddResult, ...errorResponses },
      },
    },
    async (req) =>
      importMembers(
        ctx,
        requireActor(req),
        req.params.id,
        req.body.fileName,
        new Uint8Array(Buffer.from(req.body.contentBase64, "base64")),
      ),
  );

  app.delete(
    "/api/whitelists/:id/members/:enterpriseId",
    {
      config: { action: "whitelist.manage" },
      schema: {
        tags: LIST_TAGS,
        summary: "把企业移出白名单",
        security: WRITE,
        params: MemberParams,
        response: { 200: z.object({ removed: z.literal(true) }), ...errorResponses },
      },
    },
    async (req) => {
      await removeMember(ctx, requireActor(req), req.params.id, req.params.enterpriseId);
      return { removed: true as const };
    },
  );

  app.get(
    "/api/whitelists/mine",
    {
      config: { action: "whitelist.mine" },
      schema: {
        tags: LIST_TAGS,
        summary: "本企业所在的白名单（有效的在前）及政策依据",
        response: { 200: Mine, ...errorResponses },
      },
    },
    async (req) => ({
      lists: await myWhitelists(ctx, requireActor(req)),
      basis: WHITELIST_BASIS.map((b) => ({ ...b })),
    }),
  );
}

/** HTTP routes of 企业吹哨·部门报到 (service.ts has the rules). */
import { departmentCodes } from "@huiqi/policies";
import { z } from "zod";
import { requireActor } from "../app.ts";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { forbidden, invalid } from "../errors.ts";
import { FileParams, FileQuery, sendStoredFile, UploadBody, wantsInline } from "../files/upload.ts";
import { uploadBodyLimit } from "../http/limits.ts";
import { errorResponses, IdParam, Text } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import { regionName } from "../reports/regions.ts";
import type { TypedApp } from "../routes.ts";
import { attachToRequest, getRequestAttachment } from "./attachments.ts";
import {
  DEFAULT_DISTRICT,
  MUNICIPAL_DEPARTMENTS,
  SERVICE_BASIS,
  SERVICE_CATEGORIES,
  SERVICE_LIMITS,
} from "./data.ts";
import { escalateOverdueRequests } from "./escalation.ts";
import {
  acceptRequest,
  confirmRequest,
  createRequest,
  departmentLabel,
  forwardRequest,
  getRequest,
  listMine,
  listOverdue,
  listQueue,
  rateRequest,
  reopenRequest,
  replyRequest,
} from "./service.ts";

const TAGS = ["企业吹哨·部门报到"];
const WRITE = [{ session: [], csrf: [] }];

const Category = z.enum(SERVICE_CATEGORIES, {
  error: "诉求类别应为 用地、用工、用能、融资、配套、审批、其他 之一",
});

const TimeLimit = z.object({
  stage: z.enum(["accept", "reply"]),
  stageLabel: z.string().meta({ description: "报到时限或答复时限" }),
  due: z.string().meta({ description: "截止日期（重庆日期，按工作日计算）" }),
  state: z.enum(["ok", "soon", "overdue"]),
  label: z.string().meta({ description: "时限内、即将超时、已超时" }),
  workingDaysLeft: z.number().int(),
});

const View = z.object({
  id: z.string(),
  number: z.string().meta({ description: "诉求编号 区县码-年份-序号" }),
  enterpriseName: z.string(),
  category: z.string(),
  description: z.string(),
  regionName: z.string(),
  departmentName: z.string(),
  forwardedToName: z.string().nullable(),
  officerName: z.string().nullable().meta({ description: "诉求先交给的该企业服务专员" }),
  status: z.enum(["submitted", "accepted", "replied", "closed", "reopened"]),
  statusLabel: z.string(),
  acceptDue: z.string(),
  replyDue: z.string().nullable(),
  timeLimit: TimeLimit.nullable(),
  escalated: z.boolean(),
  acceptedLate: z.boolean().nullable(),
  reply: z.string().nullable(),
  rating: z.object({ score: z.number().int(), comment: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  can: z.object({
    accept: z.boolean(),
    reply: z.boolean(),
    forward: z.boolean(),
    confirm: z.boolean(),
    reopen: z.boolean(),
    rate: z.boolean(),
    attach: z.boolean().meta({ description: "现在可以上传附件" }),
  }),
});

const Detail = View.extend({
  events: z.array(
    z.object({ at: z.string(), who: z.string(), what: z.string(), text: z.string().nullable() }),
  ),
  attachments: z.array(
    z.object({
      id: z.string(),
      fileName: z.string(),
      contentType: z.string(),
      size: z.number().int().meta({ description: "字节数" }),
      uploadedBy: z.string().meta({ description: "上传者：企业名称或部门经办人姓名" }),
      createdAt: z.string(),
    }),
  ),
});

const List = z.object({ items: z.array(View) });

const Option = z.object({ value: z.string(), label: z.string() });

const Options = z.object({
  categories: z.array(z.string()),
  municipalDepartments: z.array(Option),
  limits: z.object({
    acceptWorkingDays: z.number().int(),
    replyWorkingDays: z.number().int(),
    reopenReplyWorkingDays: z.number().int(),
  }),
  basis: z.object({
    docNumber: z.string(),
    ordinal: z.number().int(),
    quote: z.string(),
    measureId: z.string(),
  }),
});

const CreateBody = z.object({
  category: Category.meta({ description: "诉求类别" }),
  description: Text(2000, { tooLong: "诉求说明最多 2000 个字" })
    .trim()
    .min(5, { error: "请用至少 5 个字说明诉求" })
    .meta({ description: "诉求说明" }),
});

const ReplyBody = z.object({
  text: Text(2000, { tooLong: "答复最多 2000 个字" }).trim().min(2, { error: "请填写答复内容" }),
});

const ForwardBody = z.object({
  department: Text(60).meta({ description: "市级部门" }),
  note: Text(500, { tooLong: "转报说明最多 500 个字" }).optional(),
});

const ReopenBody = z.object({
  reason: Text(500, { tooLong: "原因最多 500 个字" }).trim().min(2, { error: "请说明重新打开的原因" }),
});

const RateBody = z.object({
  score: z
    .number({ error: "应为 1～5 的整数" })
    .int({ error: "应为 1～5 的整数" })
    .min(1, { error: "应为 1～5 的整数" })
    .max(5, { error: "应为 1～5 的整数" }),
  comment: Text(500, { tooLong: "评价意见最多 500 个字" }).optional(),
});

const RouteRow = z.object({
  category: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  department: z.string(),
  departmentName: z.string(),
});

const RoutesView = z.object({
  rows: z.array(RouteRow),
  departments: z.array(Option),
  districts: z.array(Option),
});

const RouteBody = z.object({
  category: Category,
  regionCode: Text(6)
    .regex(/^(\d{6}|\*)$/, { error: "应为 6 位区县代码，或 * 表示全市默认" })
    .meta({ description: "区县代码；* 为未单独设置的区县的默认" }),
  department: Text(60).meta({ description: "负责部门" }),
});

async function routesView(ctx: AppContext, actor: Actor): Promise<z.infer<typeof RoutesView>> {
  let q = ctx.db.selectFrom("service_routes").select(["category", "region_code", "department"]);
  if (actor.role === "coordinator")
    q = q.where("region_code", "in", [actor.regionCode ?? "", DEFAULT_DISTRICT]);
  const rows = await q.orderBy("region_code").orderBy("category").execute();
  const districts =
    actor.role === "coordinator"
      ? [{ value: actor.regionCode ?? "", label: regionName(ctx, actor.regionCode ?? "") }]
      : [
          { value: DEFAULT_DISTRICT, label: "全市默认" },
          ...[
            ...new Set(
              (await ctx.db.selectFrom("enterprises").select("region_code").distinct().execute()).map(
                (r) => r.region_code,
              ),
            ),
          ]
            .sort()
            .map((c) => ({ value: c, label: regionName(ctx, c) })),
        ];
  return {
    rows: rows.map((r) => ({
      category: r.category,
      regionCode: r.region_code,
      regionName: r.region_code === DEFAULT_DISTRICT ? "全市默认" : regionName(ctx, r.region_code),
      department: r.department,
      departmentName: departmentLabel(r.department),
    })),
    departments: departmentCodes()
      .filter((c) => !c.startsWith("municipal-"))
      .map((c) => ({ value: c, label: departmentLabel(c) })),
    districts,
  };
}

export async function registerServiceRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/service-requests/options",
    {
      config: { action: "service.read" },
      schema: {
        tags: TAGS,
        summary: "企业吹哨的诉求类别、办理时限（工作日）、可转报的市级部门和政策依据",
        response: { 200: Options, ...errorResponses },
      },
    },
    async () => ({
      categories: [...SERVICE_CATEGORIES],
      municipalDepartments: Object.entries(MUNICIPAL_DEPARTMENTS).map(([value, label]) => ({ value, label })),
      limits: {
        acceptWorkingDays: SERVICE_LIMITS.acceptWorkingDays,
        replyWorkingDays: SERVICE_LIMITS.replyWorkingDays,
        reopenReplyWorkingDays: SERVICE_LIMITS.reopenReplyWorkingDays,
      },
      basis: { ...SERVICE_BASIS },
    }),
  );

  app.post(
    "/api/service-requests",
    {
      config: { action: "service.request" },
      schema: {
        tags: TAGS,
        summary: "企业提出诉求（企业吹哨）：按类别和所在区县分派到负责部门，2 个工作日内报到",
        security: WRITE,
        body: CreateBody,
        response: { 201: Detail, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const id = await createRequest(ctx, actor, req.body);
      return reply.status(201).send(await getRequest(ctx, actor, id));
    },
  );

  app.get(
    "/api/service-requests",
    {
      config: { action: "service.request" },
      schema: { tags: TAGS, summary: "本企业的诉求", response: { 200: List, ...errorResponses } },
    },
    async (req) => ({ items: await listMine(ctx, requireActor(req)) }),
  );

  app.get(
    "/api/service-requests/queue",
    {
      config: { action: "service.handle" },
      schema: {
        tags: TAGS,
        summary: "本部门（本区县）的诉求办理队列，含办理时限状态（时限内、即将超时、已超时）",
        response: { 200: List, ...errorResponses },
      },
    },
    async (req) => ({ items: await listQueue(ctx, requireActor(req)) }),
  );

  app.get(
    "/api/service-requests/overdue",
    {
      config: { action: "service.oversee" },
      schema: {
        tags: TAGS,
        summary: "本区县超时和已升级的诉求（先补做到期的超时升级）",
        response: { 200: List, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await escalateOverdueRequests(ctx, actor.regionCode ?? "");
      return { items: await listOverdue(ctx, actor) };
    },
  );

  app.get(
    "/api/service-requests/:id",
    {
      config: { action: "service.read" },
      schema: {
        tags: TAGS,
        summary: "一件诉求及其办理经过",
        params: IdParam,
        response: { 200: Detail, ...errorResponses },
      },
    },
    async (req) => getRequest(ctx, requireActor(req), req.params.id),
  );

  const step = <B extends z.ZodType>(
    path: string,
    action: "service.handle" | "service.request",
    summary: string,
    body: B,
    run: (actor: Actor, id: string, body: z.infer<B>) => Promise<void>,
  ) =>
    app.post(
      `/api/service-requests/:id/${path}`,
      {
        config: { action },
        schema: {
          tags: TAGS,
          summary,
          security: WRITE,
          params: IdParam,
          body,
          response: { 200: Detail, ...errorResponses },
        },
      },
      async (req) => {
        const actor = requireActor(req);
        await run(actor, req.params.id, req.body as z.infer<B>);
        return getRequest(ctx, actor, req.params.id);
      },
    );

  const Empty = z.object({});
  step("accept", "service.handle", "部门报到：受理诉求（答复时限 10 个工作日）", Empty, (a, id) =>
    acceptRequest(ctx, a, id),
  );
  step("reply", "service.handle", "部门答复诉求", ReplyBody, (a, id, b) => replyRequest(ctx, a, id, b.text));
  step("forward", "service.handle", "转报市级部门协同办理（市区联动）", ForwardBody, (a, id, b) =>
    forwardRequest(ctx, a, id, b),
  );
  step("confirm", "service.request", "企业确认诉求办结", Empty, (a, id) => confirmRequest(ctx, a, id));
  step("reopen", "service.request", "企业对答复不满意，重新打开诉求", ReopenBody, (a, id, b) =>
    reopenRequest(ctx, a, id, b.reason),
  );
  step("rate", "service.request", "企业对已办结的诉求作满意度评价（1～5 分，一次）", RateBody, (a, id, b) =>
    rateRequest(ctx, a, id, b),
  );

  app.post(
    "/api/service-requests/:id/attachments",
    {
      config: { action: "service.read" },
      bodyLimit: uploadBodyLimit(ctx.config.maxAttachmentBytes),
      schema: {
        tags: TAGS,
        summary:
          "上传诉求附件（JSON：文件名、类型、Base64 内容；PDF/JPG/PNG/DOCX/XLSX，每件最多 10 个）：企业在办结前，责任部门在受理后、答复前",
        security: WRITE,
        params: IdParam,
        body: UploadBody,
        response: { 201: Detail, ...errorResponses, 413: errorResponses[400] },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      await attachToRequest(ctx, actor, req.params.id, req.body);
      return reply.status(201).send(await getRequest(ctx, actor, req.params.id));
    },
  );

  app.get(
    "/api/service-requests/:id/attachments/:attachmentId",
    {
      config: { action: "service.read" },
      schema: {
        tags: TAGS,
        summary:
          "下载或预览诉求附件（能看到诉求的人均可；部门人员的读取记入审计）；inline=1 时 PDF、PNG、JPG 在浏览器中显示",
        params: FileParams,
        querystring: FileQuery,
        response: { 200: z.any().meta({ description: "附件文件，按上传时的类型" }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { id, attachmentId } = req.params;
      const file = await getRequestAttachment(
        ctx,
        requireActor(req),
        id,
        attachmentId,
        wantsInline(req.query),
      );
      return sendStoredFile(reply, file);
    },
  );

  app.get(
    "/api/service-routes",
    {
      config: { action: "service.route" },
      schema: {
        tags: TAGS,
        summary: "诉求分派规则（类别 × 区县 → 负责部门）",
        response: { 200: RoutesView, ...errorResponses },
      },
    },
    async (req) => routesView(ctx, requireActor(req)),
  );

  app.put(
    "/api/service-routes",
    {
      config: { action: "service.route" },
      schema: {
        tags: TAGS,
        summary: "设置一类诉求在一个区县的负责部门（区发展改革委只能设置本区县）",
        security: WRITE,
        body: RouteBody,
        response: { 200: RoutesView, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "service.route");
      const { category, regionCode, department } = req.body;
      if (actor.role === "coordinator" && regionCode !== actor.regionCode)
        throw forbidden("区发展改革委只能设置本区县的分派规则");
      if (department.startsWith("municipal-") || !departmentCodes().includes(department))
        throw invalid("department", "请选择一个区县部门");
      await ctx.db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom("service_routes")
          .select("department")
          .where("category", "=", category)
          .where("region_code", "=", regionCode)
          .executeTakeFirst();
        await trx
          .insertInto("service_routes")
          .values({
            category,
            region_code: regionCode,
            department,
            updated_by: actor.id,
            updated_at: ctx.now(),
          })
          .onConflict((oc) =>
            oc
              .columns(["category", "region_code"])
              .doUpdateSet({ department, updated_by: actor.id, updated_at: ctx.now() }),
          )
          .execute();
        await appendAudit(trx, actor, {
          action: "service.routes",
          entity: "service_routes",
          entityId: `${category}:${regionCode}`,
          before: before ? { department: before.department } : null,
          after: { department },
        });
      });
      return routesView(ctx, actor);
    },
  );
}

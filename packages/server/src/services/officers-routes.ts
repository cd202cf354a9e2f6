/** HTTP routes of 服务专员 (officers.ts has the rules). */
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { errorResponses, IdParam, Text } from "../http/schemas.ts";
import type { TypedApp } from "../routes.ts";
import {
  assignmentHistory,
  assignOfficer,
  districtAssignments,
  endAssignment,
  myOfficer,
  OFFICER_BASIS,
  officerEnterprises,
} from "./officers.ts";

const TAGS = ["服务专员"];
const WRITE = [{ session: [], csrf: [] }];

const Basis = z.array(
  z.object({ measureId: z.string(), docNumber: z.string(), ordinal: z.number().int(), quote: z.string() }),
);

const OfficerRef = z.object({ id: z.string(), name: z.string(), departmentName: z.string() });

const Assignment = z.object({
  officer: OfficerRef.extend({
    phone: z.string().nullable().meta({ description: "办公电话" }),
  }),
  since: z.string().meta({ description: "指定时间（ISO 8601）" }),
});

const Mine = z.object({ assignment: Assignment.nullable(), basis: Basis });

const History = z.object({
  enterpriseName: z.string(),
  current: Assignment.nullable(),
  history: z.array(
    z.object({
      officerName: z.string(),
      departmentName: z.string(),
      since: z.string(),
      until: z.string().nullable(),
    }),
  ),
});

const Page = z.coerce
  .number({ error: "页码应为正整数" })
  .int({ error: "页码应为正整数" })
  .min(1, { error: "页码应为正整数" })
  .max(10_000, { error: "页码过大" })
  .optional();

const DistrictList = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(
    z.object({
      enterpriseId: z.string(),
      enterpriseName: z.string(),
      officer: OfficerRef.nullable(),
      since: z.string().nullable(),
    }),
  ),
  officers: z.array(OfficerRef),
});

const Money = z.object({
  min: z.number().int().meta({ description: "分（整数）" }),
  max: z.number().int().nullable().meta({ description: "分（整数）；null 表示无上限" }),
  text: z.string().meta({ description: "中文金额" }),
});

const MyEnterprises = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(
    z.object({
      enterpriseId: z.string(),
      enterpriseName: z.string(),
      since: z.string(),
      openRequests: z.number().int().meta({ description: "未办结的诉求数" }),
      deadlines: z
        .array(
          z.object({
            measureId: z.string(),
            title: z.string(),
            docNumber: z.string(),
            validUntil: z.string().meta({ description: "措施有效期截止日 YYYY-MM-DD" }),
          }),
        )
        .meta({ description: "企业符合的措施中最近到期的（至多 3 项）" }),
      unapplied: z
        .array(
          z.object({
            measureId: z.string(),
            title: z.string(),
            docNumber: z.string(),
            amount: Money.nullable(),
          }),
        )
        .meta({ description: "企业符合但尚未提交申报的措施" }),
    }),
  ),
});

const AssignBody = z.object({
  officerId: z.uuid({ error: "请选择服务专员" }).meta({ description: "本区县一名部门经办人的账户" }),
});

export async function registerOfficerRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    "/api/service-officer/mine",
    {
      config: { action: "service.myOfficer" },
      schema: {
        tags: TAGS,
        summary: "本企业的服务专员（姓名、部门、办公电话、指定时间）及政策依据",
        response: { 200: Mine, ...errorResponses },
      },
    },
    async (req) => ({
      assignment: await myOfficer(ctx, requireActor(req)),
      basis: OFFICER_BASIS.map((b) => ({ ...b })),
    }),
  );

  app.get(
    "/api/service-officer/enterprises",
    {
      config: { action: "service.officerPage" },
      schema: {
        tags: TAGS,
        summary: "我服务的企业：未办结诉求、所符合措施的最近截止日、符合但未申报的措施（每页 20 家）",
        querystring: z.object({ page: Page }),
        response: { 200: MyEnterprises, ...errorResponses },
      },
    },
    async (req) => officerEnterprises(ctx, requireActor(req), req.query.page ?? 1),
  );

  app.get(
    "/api/service-officers/assignments",
    {
      config: { action: "service.assignOfficer" },
      schema: {
        tags: TAGS,
        summary: "本区县企业及其服务专员（可按企业名称搜索，每页 50 家），以及可指定的经办人",
        querystring: z.object({
          q: Text(50, { tooLong: "搜索词最多 50 个字" }).optional().meta({ description: "企业名称中的字" }),
          page: Page,
        }),
        response: { 200: DistrictList, ...errorResponses },
      },
    },
    async (req) => districtAssignments(ctx, requireActor(req), req.query),
  );

  app.get(
    "/api/enterprises/:id/service-officer",
    {
      config: { action: "service.assignOfficer" },
      schema: {
        tags: TAGS,
        summary: "一家企业的服务专员及历次指定记录",
        params: IdParam,
        response: { 200: History, ...errorResponses },
      },
    },
    async (req) => assignmentHistory(ctx, requireActor(req), req.params.id),
  );

  app.put(
    "/api/enterprises/:id/service-officer",
    {
      config: { action: "service.assignOfficer" },
      schema: {
        tags: TAGS,
        summary: "为本区县企业指定或更换服务专员（一企一专员；原专员不再收到该企业的诉求）",
        security: WRITE,
        params: IdParam,
        body: AssignBody,
        response: { 200: History, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await assignOfficer(ctx, actor, req.params.id, req.body.officerId);
      return assignmentHistory(ctx, actor, req.params.id);
    },
  );

  app.delete(
    "/api/enterprises/:id/service-officer",
    {
      config: { action: "service.assignOfficer" },
      schema: {
        tags: TAGS,
        summary: "解除企业的服务专员（记录保留；之后的诉求按分派规则交部门办理）",
        security: WRITE,
        params: IdParam,
        response: { 200: History, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await endAssignment(ctx, actor, req.params.id);
      return assignmentHistory(ctx, actor, req.params.id);
    },
  );
}

/** HTTP routes of 线上申报 → 线上审批 → 公示 → 兑付: thin handlers (validate → authorize → use case → present). */

import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { sendStoredFile, wantsInline } from "../files/upload.ts";
import { uploadBodyLimit } from "../http/limits.ts";
import { errorResponses, IdParam } from "../http/schemas.ts";
import type { TypedApp } from "../routes.ts";
import { addAttachment } from "./add-attachment.ts";
import { createApplication } from "./create-application.ts";
import { applicationsWorkbook, XLSX_TYPE } from "./export-xlsx.ts";
import { getApplication } from "./get-application.ts";
import { getAttachment } from "./get-attachment.ts";
import { issueDisbursement } from "./issue-disbursement.ts";
import { listAllApplications, listApplications } from "./list-applications.ts";
import { localDate } from "./model.ts";
import { publishNotice } from "./publish-notice.ts";
import { registerRatingRoutes } from "./rate-application.ts";
import { reconcileDisbursements } from "./reconcile-disbursements.ts";
import { recordDisbursementResult } from "./record-disbursement-result.ts";
import { reviewApplication } from "./review-application.ts";
import {
  AttachmentBody,
  AttachmentParams,
  AttachmentQuery,
  CreateBody,
  DetailSchema,
  DisburseBody,
  ExportQuery,
  IdempotencyHeaders,
  ListQuery,
  ListSchema,
  NoticeBody,
  ReconcileBody,
  ReconcileReport,
  ResultBody,
  ReviewBody,
  SubmitBody,
  UpdateBody,
} from "./schemas.ts";
import { submitApplication } from "./submit-application.ts";
import { updateApplication } from "./update-application.ts";

const TAGS = ["线上申报与审批"];
const security = [{ session: [], csrf: [] }];

export async function registerApplicationRoutes(app: TypedApp, ctx: AppContext) {
  await registerRatingRoutes(app, ctx);

  app.post(
    "/api/applications",
    {
      config: { action: "application.create" },
      schema: {
        tags: TAGS,
        summary: "企业创建申报草稿（按企业画像预填措施所需事实、测算结果与金额区间）",
        security,
        body: CreateBody,
        response: { 201: DetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const id = await createApplication(ctx, actor, req.body);
      return reply.status(201).send(await getApplication(ctx, actor, id));
    },
  );

  app.get(
    "/api/applications",
    {
      config: { action: "application.list" },
      schema: {
        tags: TAGS,
        summary: "申报列表（企业：本企业；经办人：本部门牵头措施、本区县；财政、发改：本区县）",
        querystring: ListQuery,
        response: { 200: ListSchema, ...errorResponses },
      },
    },
    async (req) => listApplications(ctx, requireActor(req), req.query),
  );

  app.get(
    "/api/applications.xlsx",
    {
      config: { action: "application.list" },
      schema: {
        tags: TAGS,
        summary: "申报列表导出 Excel（与列表相同的筛选与权限；金额单位：元）",
        querystring: ExportQuery,
        produces: [XLSX_TYPE],
        response: { 200: z.any().meta({ description: "xlsx 文件" }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const items = await listAllApplications(ctx, actor, req.query);
      const buf = await applicationsWorkbook(items, ctx.now());
      const date = localDate(ctx.now());
      return reply
        .header("content-type", XLSX_TYPE)
        .header(
          "content-disposition",
          `attachment; filename="applications-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(`申报列表-${date}.xlsx`)}`,
        )
        .send(buf);
    },
  );

  app.get(
    "/api/applications/:id/attachments/:attachmentId",
    {
      config: { action: "application.read" },
      schema: {
        tags: TAGS,
        summary:
          "下载或预览申报材料（与申报详情相同的权限；部门人员的读取记入审计）；inline=1 时 PDF、PNG、JPG 在浏览器中显示，其他类型仍为下载",
        params: AttachmentParams,
        querystring: AttachmentQuery,
        response: { 200: z.any().meta({ description: "附件文件，按上传时的类型" }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const f = await getAttachment(
        ctx,
        requireActor(req),
        req.params.id,
        req.params.attachmentId,
        wantsInline(req.query),
      );
      return sendStoredFile(reply, f);
    },
  );

  app.post(
    "/api/disbursements/reconcile",
    {
      config: { action: "application.disburse" },
      bodyLimit: uploadBodyLimit(ctx.config.maxAttachmentBytes),
      schema: {
        tags: TAGS,
        summary:
          "导入银行结果文件对账（csv 或 xlsx：批次号或申报编号、金额、状态 成功/失败、日期、原因）：逐行匹配兑付中的申报并登记结果，返回对账报告",
        security,
        body: ReconcileBody,
        response: { 200: ReconcileReport, ...errorResponses, 413: errorResponses[400] },
      },
    },
    async (req) => reconcileDisbursements(ctx, requireActor(req), req.body),
  );

  app.get(
    "/api/applications/:id",
    {
      config: { action: "application.read" },
      schema: {
        tags: TAGS,
        summary: "申报详情：审核步骤、状态历史、附件、兑付结果",
        params: IdParam,
        response: { 200: DetailSchema, ...errorResponses },
      },
    },
    async (req) => getApplication(ctx, requireActor(req), req.params.id),
  );

  app.put(
    "/api/applications/:id",
    {
      config: { action: "application.update" },
      schema: {
        tags: TAGS,
        summary: "修改申报表（草稿或退回补正时）",
        security,
        params: IdParam,
        body: UpdateBody,
        response: { 200: DetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await updateApplication(ctx, actor, req.params.id, req.body);
      return getApplication(ctx, actor, req.params.id);
    },
  );

  app.post(
    "/api/applications/:id/attachments",
    {
      config: { action: "application.update" },
      bodyLimit: uploadBodyLimit(ctx.config.maxAttachmentBytes),
      schema: {
        tags: TAGS,
        summary: "上传申报材料（JSON：文件名、类型、Base64 内容；PDF/JPG/PNG/DOCX/XLSX）",
        security,
        params: IdParam,
        body: AttachmentBody,
        response: { 201: DetailSchema, ...errorResponses, 413: errorResponses[400] },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      await addAttachment(ctx, actor, req.params.id, req.body);
      return reply.status(201).send(await getApplication(ctx, actor, req.params.id));
    },
  );

  app.post(
    "/api/applications/:id/submit",
    {
      config: { action: "application.submit" },
      schema: {
        tags: TAGS,
        summary: "提交或补正后重新提交（幂等：Idempotency-Key 或同一 version 的重试不重复执行）",
        security,
        params: IdParam,
        headers: IdempotencyHeaders.loose(),
        body: SubmitBody,
        response: { 200: DetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { replayed } = await submitApplication(ctx, actor, req.params.id, {
        version: req.body.version,
        idempotencyKey: req.headers["idempotency-key"],
      });
      return getApplication(ctx, actor, req.params.id, replayed);
    },
  );

  app.post(
    "/api/applications/:id/review",
    {
      config: { action: "application.review" },
      schema: {
        tags: TAGS,
        summary: "审核当前步骤：通过、退回补正或不予通过；最后一步通过时核定金额（分）",
        security,
        params: IdParam,
        body: ReviewBody,
        response: { 200: DetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await reviewApplication(ctx, actor, req.params.id, req.body);
      return getApplication(ctx, actor, req.params.id);
    },
  );

  app.post(
    "/api/applications/:id/public-notice",
    {
      config: { action: "application.publishNotice" },
      schema: {
        tags: TAGS,
        summary: "发布公示（公示期满后方可兑付）",
        security,
        params: IdParam,
        body: NoticeBody,
        response: { 200: DetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await publishNotice(ctx, actor, req.params.id, req.body);
      return getApplication(ctx, actor, req.params.id);
    },
  );

  app.post(
    "/api/applications/:id/disbursements",
    {
      config: { action: "application.disburse" },
      schema: {
        tags: TAGS,
        summary: "发起兑付（财政；公示期满后；幂等）",
        security,
        params: IdParam,
        headers: IdempotencyHeaders.loose(),
        body: DisburseBody,
        response: { 201: DetailSchema, 200: DetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const { replayed } = await issueDisbursement(ctx, actor, req.params.id, {
        version: req.body.version,
        batchRef: req.body.batchRef,
        idempotencyKey: req.headers["idempotency-key"],
      });
      return reply
        .status(replayed ? 200 : 201)
        .send(await getApplication(ctx, actor, req.params.id, replayed));
    },
  );

  app.post(
    "/api/applications/:id/disbursements/result",
    {
      config: { action: "application.disburse" },
      schema: {
        tags: TAGS,
        summary: "登记兑付结果：已到账（办结）或失败（可重新发起兑付）",
        security,
        params: IdParam,
        body: ResultBody,
        response: { 200: DetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await recordDisbursementResult(ctx, actor, req.params.id, req.body);
      return getApplication(ctx, actor, req.params.id);
    },
  );
}

/**
 * 企业吹哨·部门报到: an enterprise raises a request; the routing table sends it to the responsible department
 * of its district; the department 报到 (accepts) within the time limit, works it (may forward to a municipal
 * department, 市区联动), replies; the enterprise confirms (办结) or reopens, and rates a closed request once.
 *
 * State machine: submitted → accepted → replied → closed; replied → reopened → replied. A step out of turn
 * answers 409 in Chinese naming the current status. Every step is one transaction: the row (locked), a
 * timeline event, the audit entry, and the notification to the other side (in-app for the enterprise; a
 * message job to the department's officers or the coordinator — staff have no in-app inbox, their queue and
 * the overdue list are it).
 *
 * Who sees a request: its enterprise; officers of its department in its district; its district coordinator.
 * Anyone else gets 404 (the request's existence is not revealed).
 */
import { randomUUID } from "node:crypto";
import { departmentName } from "@huiqi/policies";
import type { Selectable, Transaction, Updateable } from "kysely";
import { appendAudit } from "../audit/audit-log.ts";
import { toChongqingDate } from "../calendar/working-days.ts";
import type { Actor, AppContext } from "../context.ts";
import type { Database, ServiceRequestStatus, ServiceRequestTable } from "../db/schema.ts";
import { AppError, forbidden, invalid, notFound } from "../errors.ts";
import { notify } from "../notifications/notify.ts";
import { enqueue } from "../notifications/outbox.ts";
import { settingsFor, wantsInApp } from "../notifications/settings.ts";
import { authorize } from "../permissions.ts";
import { regionName } from "../reports/regions.ts";
import { DEFAULT_DISTRICT, MUNICIPAL_DEPARTMENTS, type ServiceCategory } from "./data.ts";
import {
  acceptDue,
  EVENT_LABELS,
  OPEN_STATUSES,
  reopenReplyDue,
  replyDue,
  SERVICE_STATUS_LABELS,
  type TimeLimit,
  timeLimit,
} from "./model.ts";

type Row = Selectable<ServiceRequestTable>;
type Db = Transaction<Database>;

export interface ServiceRequestView {
  id: string;
  number: string;
  enterpriseName: string;
  category: string;
  description: string;
  regionName: string;
  departmentName: string;
  forwardedToName: string | null;
  /** The enterprise's 服务专员 the request went to first (services/officers.ts), if any. */
  officerName: string | null;
  status: ServiceRequestStatus;
  statusLabel: string;
  acceptDue: string;
  replyDue: string | null;
  timeLimit: TimeLimit | null;
  escalated: boolean;
  acceptedLate: boolean | null;
  reply: string | null;
  rating: { score: number; comment: string | null } | null;
  createdAt: string;
  can: {
    accept: boolean;
    reply: boolean;
    forward: boolean;
    confirm: boolean;
    reopen: boolean;
    rate: boolean;
    /** May upload a file now (services/attachments.ts). */
    attach: boolean;
  };
}

export interface RequestAttachmentView {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  /** The enterprise's name, or the officer's display name. */
  uploadedBy: string;
  createdAt: string;
}

export interface TimelineEvent {
  at: string;
  who: string;
  what: string;
  text: string | null;
}

export function departmentLabel(code: string): string {
  return MUNICIPAL_DEPARTMENTS[code] ?? departmentName(code);
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function canSee(actor: Actor, r: Pick<Row, "enterprise_id" | "region_code" | "department">): boolean {
  if (actor.role === "enterprise") return actor.enterpriseId === r.enterprise_id;
  if (actor.role === "officer")
    return actor.regionCode === r.region_code && actor.department === r.department;
  if (actor.role === "coordinator") return actor.regionCode === r.region_code;
  return false;
}

export function isHandler(actor: Actor, r: Row): boolean {
  return actor.role === "officer" && actor.regionCode === r.region_code && actor.department === r.department;
}

/**
 * May upload a file now: the owning enterprise until the request is closed; the handling department while it
 * works the request (accepted or reopened). services/attachments.ts has the rest of the rules.
 */
export function mayAttach(actor: Actor, r: Row): boolean {
  if (actor.role === "enterprise") return actor.enterpriseId === r.enterprise_id && r.status !== "closed";
  return isHandler(actor, r) && (r.status === "accepted" || r.status === "reopened");
}

/** Officer first: during the 报到 limit only the named 服务专员 may accept; from the day after, the department. */
function officerFirst(r: Row, actor: Actor, now: Date): boolean {
  return r.officer_id !== null && r.officer_id !== actor.id && toChongqingDate(now) <= r.accept_due;
}

export function present(
  ctx: AppContext,
  actor: Actor,
  r: Row,
  enterpriseName: string,
  officerName: string | null = null,
): ServiceRequestView {
  const own = actor.role === "enterprise" && actor.enterpriseId === r.enterprise_id;
  const handler = isHandler(actor, r);
  return {
    id: r.id,
    number: r.number,
    enterpriseName,
    category: r.category,
    description: r.description,
    regionName: regionName(ctx, r.region_code),
    departmentName: departmentLabel(r.department),
    forwardedToName: r.forwarded_to ? departmentLabel(r.forwarded_to) : null,
    officerName,
    status: r.status,
    statusLabel: SERVICE_STATUS_LABELS[r.status],
    acceptDue: r.accept_due,
    replyDue: r.reply_due,
    timeLimit: timeLimit(r, ctx.now()),
    escalated: r.escalated_at !== null,
    acceptedLate: r.accepted_late,
    reply: r.reply,
    rating: r.rating_score === null ? null : { score: Number(r.rating_score), comment: r.rating_comment },
    createdAt: iso(r.created_at) as string,
    can: {
      accept: handler && r.status === "submitted" && !officerFirst(r, actor, ctx.now()),
      reply: handler && (r.status === "accepted" || r.status === "reopened"),
      forward: handler && (r.status === "accepted" || r.status === "reopened") && r.forwarded_to === null,
      confirm: own && r.status === "replied",
      reopen: own && r.status === "replied",
      rate: own && r.status === "closed" && r.rating_score === null,
      attach: mayAttach(actor, r),
    },
  };
}

/** The responsible department for a category in a district: the district's row, else the default row. */
export async function routeFor(db: Db | AppContext["db"], category: string, regionCode: string) {
  const rows = await db
    .selectFrom("service_routes")
    .select(["region_code", "department"])
    .where("category", "=", category)
    .where("region_code", "in", [regionCode, DEFAULT_DISTRICT])
    .execute();
  const row = rows.find((r) => r.region_code === regionCode) ?? rows.find((r) => r.region_code === "*");
  if (!row) throw invalid("category", `「${category}」类诉求尚未设置负责部门，请联系区发展改革委`);
  return row.department;
}

async function nextNumber(trx: Db, regionCode: string, at: Date): Promise<string> {
  const year = Number(toChongqingDate(at).slice(0, 4));
  const r = await trx
    .insertInto("service_request_counters")
    .values({ region_code: regionCode, year, last_seq: 1 })
    .onConflict((oc) =>
      oc
        .columns(["region_code", "year"])
        .doUpdateSet((eb) => ({ last_seq: eb("service_request_counters.last_seq", "+", 1) })),
    )
    .returning("last_seq")
    .executeTakeFirstOrThrow();
  return `${regionCode}-${year}-${String(r.last_seq).padStart(6, "0")}`;
}

export async function addEvent(
  trx: Db,
  actor: Actor | null,
  requestId: string,
  kind: string,
  text: string | null,
  at: Date,
) {
  await trx
    .insertInto("service_request_events")
    .values({
      request_id: requestId,
      actor_id: actor?.id ?? null,
      actor_role: actor?.role ?? null,
      kind,
      text,
      at,
    })
    .execute();
}

/** Tells the enterprise in-app (its status subscription honoured). */
async function tellEnterprise(ctx: AppContext, trx: Db, r: Row, title: string, body: string, key: string) {
  if (!wantsInApp(await settingsFor(trx, r.enterprise_id), "status")) return;
  await notify(
    trx,
    {
      enterpriseId: r.enterprise_id,
      kind: "service.changed",
      title,
      body,
      dedupeKey: `service:${r.id}:${key}`,
      link: `/services?id=${r.id}`,
    },
    ctx.now(),
  );
}

/** Tells staff (the department's officers in the district, or the coordinator) through the message channel. */
export async function tellStaff(
  trx: Db,
  who: { role: "officer" | "coordinator"; regionCode: string; department?: string },
  title: string,
  body: string,
  key: string,
) {
  let q = trx
    .selectFrom("accounts")
    .select("username")
    .where("role", "=", who.role)
    .where("region_code", "=", who.regionCode);
  if (who.department) q = q.where("department", "=", who.department);
  for (const a of await q.execute())
    await enqueue(
      trx,
      "message.send",
      { channel: "email", to: a.username, title, body },
      `${key}:${a.username}`,
    );
}

export async function lock(trx: Db, actor: Actor, id: string): Promise<Row> {
  const r = await trx
    .selectFrom("service_requests")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!r || !canSee(actor, r)) throw notFound("诉求");
  return r;
}

export function refuse(r: Row, what: string): never {
  throw new AppError("INVALID_STATE", `诉求当前为「${SERVICE_STATUS_LABELS[r.status]}」，不能${what}`, [
    { field: "status", message: `当前状态不能${what}` },
  ]);
}

async function save(trx: Db, r: Row, set: Updateable<ServiceRequestTable>, now: Date) {
  await trx
    .updateTable("service_requests")
    .set({ ...set, updated_at: now, version: r.version + 1 })
    .where("id", "=", r.id)
    .execute();
}

export async function createRequest(
  ctx: AppContext,
  actor: Actor,
  input: { category: ServiceCategory; description: string },
): Promise<string> {
  authorize(actor, "service.request");
  if (!actor.enterpriseId) throw forbidden("只有企业账户可以提出诉求");
  const description = input.description.trim();
  if (description.length < 5) throw invalid("description", "请用至少 5 个字说明诉求");
  const enterpriseId = actor.enterpriseId;
  const id = randomUUID();
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const e = await trx
      .selectFrom("enterprises")
      .select(["name", "region_code"])
      .where("id", "=", enterpriseId)
      .executeTakeFirstOrThrow();
    // Officer first: an enterprise with a 服务专员 of its district sends its requests to the officer.
    const officer = await trx
      .selectFrom("service_officer_assignments as s")
      .innerJoin("accounts as a", "a.id", "s.officer_id")
      .select(["a.id", "a.username", "a.department", "a.region_code"])
      .where("s.enterprise_id", "=", enterpriseId)
      .where("s.ended_at", "is", null)
      .executeTakeFirst();
    const viaOfficer = officer?.department && officer.region_code === e.region_code ? officer : null;
    const department = viaOfficer?.department ?? (await routeFor(trx, input.category, e.region_code));
    const number = await nextNumber(trx, e.region_code, now);
    const due = acceptDue(now);
    await trx
      .insertInto("service_requests")
      .values({
        id,
        number,
        enterprise_id: enterpriseId,
        region_code: e.region_code,
        category: input.category,
        description,
        department,
        forwarded_to: null,
        status: "submitted",
        accept_due: due,
        reply_due: null,
        accepted_at: null,
        accepted_late: null,
        replied_at: null,
        reply: null,
        closed_at: null,
        escalated_at: null,
        escalated_stage: null,
        rating_score: null,
        rating_comment: null,
        rated_at: null,
        officer_id: viaOfficer?.id ?? null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await addEvent(trx, actor, id, "create", `${input.category}：${description}`, now);
    await appendAudit(trx, actor, {
      action: "service.create",
      entity: "service_request",
      entityId: id,
      after: { number, category: input.category, department, officer: viaOfficer?.id ?? null },
    });
    if (viaOfficer)
      await enqueue(
        trx,
        "message.send",
        {
          channel: "email",
          to: viaOfficer.username,
          title: `您服务的企业提出诉求：${number}`,
          body: `${e.name}提出「${input.category}」类诉求（编号 ${number}），您是该企业的服务专员，请于 ${due} 前报到受理。`,
        },
        `service:${id}:create:${viaOfficer.username}`,
      );
    else
      await tellStaff(
        trx,
        { role: "officer", regionCode: e.region_code, department },
        `新诉求待报到：${number}`,
        `${e.name}提出「${input.category}」类诉求（编号 ${number}），请于 ${due} 前报到受理。`,
        `service:${id}:create`,
      );
  });
  return id;
}

export async function acceptRequest(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, "service.handle");
  await ctx.db.transaction().execute(async (trx) => {
    const r = await lock(trx, actor, id);
    if (!isHandler(actor, r)) throw forbidden("只有责任部门可以报到受理");
    if (r.status !== "submitted") refuse(r, "报到受理");
    const now = ctx.now();
    if (officerFirst(r, actor, now))
      throw forbidden(
        `该企业有服务专员，报到时限（${r.accept_due}）内由服务专员受理，逾期后本部门其他经办人可受理`,
      );
    const late = toChongqingDate(now) > r.accept_due;
    const due = replyDue(now);
    await save(trx, r, { status: "accepted", accepted_at: now, accepted_late: late, reply_due: due }, now);
    await addEvent(trx, actor, id, "accept", `答复时限：${due}`, now);
    await appendAudit(trx, actor, {
      action: "service.accept",
      entity: "service_request",
      entityId: id,
      before: { status: r.status },
      after: { status: "accepted", late, replyDue: due },
    });
    await tellEnterprise(
      ctx,
      trx,
      r,
      `诉求已受理：${r.number}`,
      `${departmentLabel(r.department)}已报到受理您的「${r.category}」类诉求（编号 ${r.number}），将于 ${due} 前答复。`,
      "accept",
    );
  });
}

export async function replyRequest(ctx: AppContext, actor: Actor, id: string, text: string): Promise<void> {
  authorize(actor, "service.handle");
  const reply = text.trim();
  if (reply.length < 2) throw invalid("text", "请填写答复内容");
  await ctx.db.transaction().execute(async (trx) => {
    const r = await lock(trx, actor, id);
    if (!isHandler(actor, r)) throw forbidden("只有责任部门可以答复");
    if (r.status !== "accepted" && r.status !== "reopened") refuse(r, "答复");
    const now = ctx.now();
    await save(trx, r, { status: "replied", replied_at: now, reply }, now);
    await addEvent(trx, actor, id, "reply", reply, now);
    await appendAudit(trx, actor, {
      action: "service.reply",
      entity: "service_request",
      entityId: id,
      before: { status: r.status },
      after: { status: "replied" },
    });
    await tellEnterprise(
      ctx,
      trx,
      r,
      `诉求已答复：${r.number}`,
      `${departmentLabel(r.department)}已答复您的「${r.category}」类诉求（编号 ${r.number}），请查看并确认办结或重新打开。`,
      `reply:${r.version}`,
    );
  });
}

export async function forwardRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { department: string; note?: string | undefined },
): Promise<void> {
  authorize(actor, "service.handle");
  const target = MUNICIPAL_DEPARTMENTS[input.department];
  if (!target) throw invalid("department", "请选择一个市级部门");
  await ctx.db.transaction().execute(async (trx) => {
    const r = await lock(trx, actor, id);
    if (!isHandler(actor, r)) throw forbidden("只有责任部门可以转报");
    if (r.status !== "accepted" && r.status !== "reopened") refuse(r, "转报市级部门（请先报到受理）");
    if (r.forwarded_to)
      throw new AppError("CONFLICT", `诉求已转报${departmentLabel(r.forwarded_to)}，不能再次转报`, [
        { field: "department", message: "已转报" },
      ]);
    const now = ctx.now();
    const note = input.note?.trim() || null;
    await save(trx, r, { forwarded_to: input.department }, now);
    await addEvent(trx, actor, id, "forward", note ? `转报${target}：${note}` : `转报${target}`, now);
    await appendAudit(trx, actor, {
      action: "service.forward",
      entity: "service_request",
      entityId: id,
      after: { forwardedTo: input.department },
    });
    await tellEnterprise(
      ctx,
      trx,
      r,
      `诉求已转报市级部门：${r.number}`,
      `您的「${r.category}」类诉求（编号 ${r.number}）已由${departmentLabel(r.department)}转报${target}协同办理，答复仍由${departmentLabel(r.department)}送达。`,
      "forward",
    );
  });
}

async function enterpriseStep(
  ctx: AppContext,
  actor: Actor,
  id: string,
  step: (trx: Db, r: Row, now: Date) => Promise<void>,
) {
  authorize(actor, "service.request");
  await ctx.db.transaction().execute(async (trx) => {
    const r = await lock(trx, actor, id);
    await step(trx, r, ctx.now());
  });
}

export async function confirmRequest(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  await enterpriseStep(ctx, actor, id, async (trx, r, now) => {
    if (r.status !== "replied") refuse(r, "确认办结");
    await save(trx, r, { status: "closed", closed_at: now }, now);
    await addEvent(trx, actor, id, "confirm", null, now);
    await appendAudit(trx, actor, {
      action: "service.confirm",
      entity: "service_request",
      entityId: id,
      before: { status: r.status },
      after: { status: "closed" },
    });
    await tellStaff(
      trx,
      { role: "officer", regionCode: r.region_code, department: r.department },
      `诉求已办结：${r.number}`,
      `企业已确认诉求 ${r.number} 办结。`,
      `service:${id}:confirm`,
    );
  });
}

export async function reopenRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reason: string,
): Promise<void> {
  const why = reason.trim();
  if (why.length < 2) throw invalid("reason", "请说明重新打开的原因");
  await enterpriseStep(ctx, actor, id, async (trx, r, now) => {
    if (r.status !== "replied") refuse(r, "重新打开");
    const due = reopenReplyDue(now);
    await save(trx, r, { status: "reopened", reply_due: due }, now);
    await addEvent(trx, actor, id, "reopen", why, now);
    await appendAudit(trx, actor, {
      action: "service.reopen",
      entity: "service_request",
      entityId: id,
      before: { status: r.status },
      after: { status: "reopened", replyDue: due },
    });
    await tellStaff(
      trx,
      { role: "officer", regionCode: r.region_code, department: r.department },
      `诉求被重新打开：${r.number}`,
      `企业对诉求 ${r.number} 的答复不满意并重新打开，原因：${why}。请于 ${due} 前再次答复。`,
      `service:${id}:reopen:${r.version}`,
    );
  });
}

export async function rateRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { score: number; comment?: string | undefined },
): Promise<void> {
  await enterpriseStep(ctx, actor, id, async (trx, r, now) => {
    if (r.status !== "closed") refuse(r, "评价（办结后才能评价）");
    if (r.rating_score !== null)
      throw new AppError("CONFLICT", "该诉求已评价，评价提交后不可修改", [
        { field: "score", message: "已评价" },
      ]);
    const comment = input.comment?.trim() || null;
    await save(trx, r, { rating_score: input.score, rating_comment: comment, rated_at: now }, now);
    await addEvent(trx, actor, id, "rate", `${input.score} 分${comment ? `：${comment}` : ""}`, now);
    await appendAudit(trx, actor, {
      action: "service.rate",
      entity: "service_request",
      entityId: id,
      after: { score: input.score, withComment: comment !== null },
    });
  });
}

async function withNames(ctx: AppContext, actor: Actor, rows: Row[]): Promise<ServiceRequestView[]> {
  const ids = [...new Set(rows.map((r) => r.enterprise_id))];
  const names = new Map<string, string>();
  if (ids.length > 0)
    for (const e of await ctx.db
      .selectFrom("enterprises")
      .select(["id", "name"])
      .where("id", "in", ids)
      .execute())
      names.set(e.id, e.name);
  const officerIds = [...new Set(rows.flatMap((r) => (r.officer_id ? [r.officer_id] : [])))];
  const officers = new Map<string, string>();
  if (officerIds.length > 0)
    for (const a of await ctx.db
      .selectFrom("accounts")
      .select(["id", "display_name"])
      .where("id", "in", officerIds)
      .execute())
      officers.set(a.id, a.display_name);
  return rows.map((r) =>
    present(
      ctx,
      actor,
      r,
      names.get(r.enterprise_id) ?? "企业",
      r.officer_id ? (officers.get(r.officer_id) ?? null) : null,
    ),
  );
}

export async function listMine(ctx: AppContext, actor: Actor): Promise<ServiceRequestView[]> {
  authorize(actor, "service.request");
  const rows = await ctx.db
    .selectFrom("service_requests")
    .selectAll()
    .where("enterprise_id", "=", actor.enterpriseId ?? "")
    .orderBy("created_at", "desc")
    .limit(200)
    .execute();
  return withNames(ctx, actor, rows);
}

/**
 * The department's queue in its district: open requests first — those of the officer's own enterprises
 * (服务专员) at the top — earliest due first, then the rest.
 */
export async function listQueue(ctx: AppContext, actor: Actor): Promise<ServiceRequestView[]> {
  authorize(actor, "service.handle");
  const rows = await ctx.db
    .selectFrom("service_requests")
    .selectAll()
    .where("region_code", "=", actor.regionCode ?? "")
    .where("department", "=", actor.department ?? "")
    .orderBy("created_at", "desc")
    .limit(500)
    .execute();
  const open = (r: Row) => (OPEN_STATUSES as readonly string[]).includes(r.status);
  const due = (r: Row) => (r.status === "submitted" ? r.accept_due : (r.reply_due ?? ""));
  const mine = (r: Row) => open(r) && r.officer_id === actor.id;
  rows.sort(
    (a, b) =>
      Number(open(b)) - Number(open(a)) ||
      Number(mine(b)) - Number(mine(a)) ||
      (open(a) ? due(a).localeCompare(due(b)) : 0),
  );
  return withNames(ctx, actor, rows);
}

/** The coordinator's overdue list: open requests of its district past their limit, and those escalated. */
export async function listOverdue(ctx: AppContext, actor: Actor): Promise<ServiceRequestView[]> {
  authorize(actor, "service.oversee");
  const rows = await ctx.db
    .selectFrom("service_requests")
    .selectAll()
    .where("region_code", "=", actor.regionCode ?? "")
    .where((eb) => eb.or([eb("escalated_at", "is not", null), eb("status", "in", [...OPEN_STATUSES])]))
    .orderBy("created_at")
    .limit(500)
    .execute();
  const views = await withNames(ctx, actor, rows);
  return views.filter((v) => v.escalated || v.timeLimit?.state === "overdue");
}

export async function getRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<ServiceRequestView & { events: TimelineEvent[]; attachments: RequestAttachmentView[] }> {
  authorize(actor, "service.read");
  const r = await ctx.db.selectFrom("service_requests").selectAll().where("id", "=", id).executeTakeFirst();
  if (!r || !canSee(actor, r)) throw notFound("诉求");
  const [view] = await withNames(ctx, actor, [r]);
  const events = await ctx.db
    .selectFrom("service_request_events as e")
    .leftJoin("accounts as a", "a.id", "e.actor_id")
    .select(["e.kind", "e.text", "e.at", "e.actor_role", "a.display_name", "a.role"])
    .where("e.request_id", "=", id)
    .orderBy("e.id")
    .execute();
  const enterpriseName = view?.enterpriseName ?? "企业";
  const files = await ctx.db
    .selectFrom("service_request_attachments as f")
    .leftJoin("accounts as a", "a.id", "f.uploaded_by")
    .select([
      "f.id",
      "f.file_name",
      "f.content_type",
      "f.size",
      "f.uploader_role",
      "f.created_at",
      "a.display_name",
    ])
    .where("f.request_id", "=", id)
    .orderBy("f.created_at")
    .orderBy("f.id")
    .execute();
  return {
    ...(view as ServiceRequestView),
    events: events.map((e) => ({
      at: iso(e.at) as string,
      who:
        e.actor_role === null
          ? "系统"
          : e.role === "enterprise"
            ? enterpriseName
            : (e.display_name ?? "工作人员"),
      what: EVENT_LABELS[e.kind] ?? "其他",
      text: e.text,
    })),
    attachments: files.map((f) => ({
      id: f.id,
      fileName: f.file_name,
      contentType: f.content_type,
      size: Number(f.size),
      uploadedBy: f.uploader_role === "enterprise" ? enterpriseName : (f.display_name ?? "工作人员"),
      createdAt: iso(f.created_at) as string,
    })),
  };
}

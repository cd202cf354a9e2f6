/**
 * 服务专员 (一企一专员; 一企一策一人): the district coordinator assigns one officer of the district to an
 * enterprise of the district; reassigning ends the open assignment (history kept, ended_at set) and opens a
 * new one. The database holds at most one open assignment per enterprise (partial unique index), and an
 * assignment locks the enterprise row so concurrent assigns serialise (the last one wins, one stays open).
 *
 * Officer first (service.ts): a request from an enterprise with an officer goes to the officer's department
 * with the officer named on it; only the officer is told, the request tops the officer's queue, and during
 * the 报到 limit only the officer may accept it. From the day after the 报到 limit the department's other
 * officers may accept it too; after acceptance the department works it as before. On reassignment the open
 * requests named to the old officer pass to the new one if in the same department, else they lose the name
 * (the department handles them as usual).
 *
 * Staff work phones are personal data in logs: they are never logged (not in audit entries either).
 */
import { randomUUID } from "node:crypto";
import { type AmountRange, formatRange } from "@huiqi/engine";
import type { Kysely, Transaction } from "kysely";
import { appendAudit } from "../audit/audit-log.ts";
import { engineAsOf } from "../authoring/rules-as-of.ts";
import type { Actor, AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import type { Database } from "../db/schema.ts";
import { loadFacts } from "../enterprises/facts-store.ts";
import { forbidden, invalid, notFound } from "../errors.ts";
import { authorize } from "../permissions.ts";
import { publishedMeasureIds } from "../policies/publication.ts";
import { OPEN_STATUSES } from "./model.ts";
import { departmentLabel } from "./service.ts";

/** Migration 009. */
export const SERVICE_OFFICERS_SQL: string[] = [
  `alter table accounts add column phone text`,
  `create table service_officer_assignments (
    id uuid primary key,
    enterprise_id uuid not null references enterprises(id),
    officer_id uuid not null references accounts(id),
    assigned_by uuid references accounts(id),
    assigned_at timestamptz not null default now(),
    ended_at timestamptz,
    ended_by uuid references accounts(id)
  )`,
  `create unique index service_officer_one_open on service_officer_assignments (enterprise_id) where ended_at is null`,
  `create index service_officer_by_officer on service_officer_assignments (officer_id) where ended_at is null`,
  `create index service_officer_history on service_officer_assignments (enterprise_id, assigned_at)`,
  `alter table service_requests add column officer_id uuid references accounts(id)`,
  `create index service_requests_officer on service_requests (officer_id, status)`,
];

/** The measures the service implements, quoted exactly (clause text). */
export const OFFICER_BASIS = [
  {
    measureId: "cq-jxw-2022-6/19",
    docNumber: "渝经信规范〔2022〕6号",
    ordinal: 19,
    quote: "“一链一策”、“一企一专员”，日监测、日报告、日调度重点企业供应链运行和保障情况。",
  },
  {
    measureId: "wulong-2022-48/23",
    docNumber: "武隆府办发〔2022〕48号",
    ordinal: 23,
    quote: "按照“一企一策一人”配备服务专员，为企业解决用地、用工、用能、配套等实际困难。",
  },
] as const;

type Db = Kysely<Database> | Transaction<Database>;

export interface OfficerRef {
  id: string;
  name: string;
  departmentName: string;
}

export interface AssignmentView {
  officer: OfficerRef & { phone: string | null };
  since: string;
}

/** The enterprise's open assignment with its officer, if any. */
export async function currentOfficer(db: Db, enterpriseId: string) {
  return db
    .selectFrom("service_officer_assignments as s")
    .innerJoin("accounts as a", "a.id", "s.officer_id")
    .select([
      "s.id as assignmentId",
      "s.assigned_at",
      "a.id",
      "a.username",
      "a.display_name",
      "a.department",
      "a.region_code",
      "a.phone",
    ])
    .where("s.enterprise_id", "=", enterpriseId)
    .where("s.ended_at", "is", null)
    .executeTakeFirst();
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** GET /api/service-officer/mine: the enterprise's own officer. */
export async function myOfficer(ctx: AppContext, actor: Actor): Promise<AssignmentView | null> {
  authorize(actor, "service.myOfficer");
  if (!actor.enterpriseId) return null;
  const o = await currentOfficer(ctx.db, actor.enterpriseId);
  if (!o) return null;
  return {
    officer: {
      id: o.id,
      name: o.display_name,
      departmentName: departmentLabel(o.department ?? ""),
      phone: o.phone,
    },
    since: iso(o.assigned_at),
  };
}

async function enterpriseOfDistrict(db: Db, actor: Actor, enterpriseId: string, lock: boolean) {
  let q = db.selectFrom("enterprises").select(["id", "name", "region_code"]).where("id", "=", enterpriseId);
  if (lock) q = q.forUpdate();
  const e = await q.executeTakeFirst();
  if (!e) throw notFound("企业");
  if (e.region_code !== actor.regionCode) throw forbidden("只能为本区县的企业指定服务专员");
  return e;
}

/** PUT /api/enterprises/:id/service-officer: assign or reassign (coordinator of the enterprise's district). */
export async function assignOfficer(
  ctx: AppContext,
  actor: Actor,
  enterpriseId: string,
  officerId: string,
): Promise<void> {
  authorize(actor, "service.assignOfficer");
  await ctx.db.transaction().execute(async (trx) => {
    const e = await enterpriseOfDistrict(trx, actor, enterpriseId, true);
    const officer = await trx
      .selectFrom("accounts")
      .select(["id", "display_name", "department", "region_code", "role"])
      .where("id", "=", officerId)
      .executeTakeFirst();
    if (officer?.role !== "officer" || officer.region_code !== e.region_code)
      throw invalid("officerId", "请选择本区县部门的一名经办人作为服务专员");
    const before = await currentOfficer(trx, e.id);
    if (before?.id === officer.id) return; // already the officer: nothing changes
    const now = ctx.now();
    if (before)
      await trx
        .updateTable("service_officer_assignments")
        .set({ ended_at: now, ended_by: actor.id })
        .where("id", "=", before.assignmentId)
        .execute();
    await trx
      .insertInto("service_officer_assignments")
      .values({
        id: randomUUID(),
        enterprise_id: e.id,
        officer_id: officer.id,
        assigned_by: actor.id,
        assigned_at: now,
        ended_at: null,
        ended_by: null,
      })
      .execute();
    if (before) await passOpenRequests(trx, e.id, before.id, officer);
    await appendAudit(trx, actor, {
      action: before ? "service.officer.reassign" : "service.officer.assign",
      entity: "enterprise",
      entityId: e.id,
      before: before ? { officer: before.username } : null,
      after: { officer: officer.id, department: officer.department },
    });
  });
}

/** Open requests named to the old officer pass to the new one in the same department, else lose the name. */
async function passOpenRequests(
  trx: Db,
  enterpriseId: string,
  oldOfficerId: string,
  next: { id: string; department: string | null } | null,
) {
  const named = trx
    .updateTable("service_requests")
    .where("enterprise_id", "=", enterpriseId)
    .where("officer_id", "=", oldOfficerId)
    .where("status", "in", [...OPEN_STATUSES]);
  if (next?.department)
    await named.set({ officer_id: next.id }).where("department", "=", next.department).execute();
  await trx
    .updateTable("service_requests")
    .set({ officer_id: null })
    .where("enterprise_id", "=", enterpriseId)
    .where("officer_id", "=", oldOfficerId)
    .where("status", "in", [...OPEN_STATUSES])
    .execute();
}

/** DELETE /api/enterprises/:id/service-officer: end the open assignment (history kept). */
export async function endAssignment(ctx: AppContext, actor: Actor, enterpriseId: string): Promise<void> {
  authorize(actor, "service.assignOfficer");
  await ctx.db.transaction().execute(async (trx) => {
    const e = await enterpriseOfDistrict(trx, actor, enterpriseId, true);
    const before = await currentOfficer(trx, e.id);
    if (!before) throw notFound("该企业的服务专员");
    await trx
      .updateTable("service_officer_assignments")
      .set({ ended_at: ctx.now(), ended_by: actor.id })
      .where("id", "=", before.assignmentId)
      .execute();
    await passOpenRequests(trx, e.id, before.id, null);
    await appendAudit(trx, actor, {
      action: "service.officer.end",
      entity: "enterprise",
      entityId: e.id,
      before: { officer: before.username },
      after: null,
    });
  });
}

export interface HistoryRow {
  officerName: string;
  departmentName: string;
  since: string;
  until: string | null;
}

/** GET /api/enterprises/:id/service-officer: the current officer and the history (coordinator). */
export async function assignmentHistory(
  ctx: AppContext,
  actor: Actor,
  enterpriseId: string,
): Promise<{ enterpriseName: string; current: AssignmentView | null; history: HistoryRow[] }> {
  authorize(actor, "service.assignOfficer");
  const e = await enterpriseOfDistrict(ctx.db, actor, enterpriseId, false);
  const rows = await ctx.db
    .selectFrom("service_officer_assignments as s")
    .innerJoin("accounts as a", "a.id", "s.officer_id")
    .select(["s.assigned_at", "s.ended_at", "a.id", "a.display_name", "a.department", "a.phone"])
    .where("s.enterprise_id", "=", e.id)
    .orderBy("s.assigned_at", "desc")
    .orderBy("s.ended_at", "desc") // the open one (null) first when assigned at the same instant
    .limit(100)
    .execute();
  const open = rows.find((r) => r.ended_at === null);
  return {
    enterpriseName: e.name,
    current: open
      ? {
          officer: {
            id: open.id,
            name: open.display_name,
            departmentName: departmentLabel(open.department ?? ""),
            phone: open.phone,
          },
          since: iso(open.assigned_at),
        }
      : null,
    history: rows.map((r) => ({
      officerName: r.display_name,
      departmentName: departmentLabel(r.department ?? ""),
      since: iso(r.assigned_at),
      until: r.ended_at === null ? null : iso(r.ended_at),
    })),
  };
}

/** GET /api/service-officers/assignments: the district's enterprises with their officer, and its officers. */
export async function districtAssignments(
  ctx: AppContext,
  actor: Actor,
  query: { q?: string | undefined; page?: number | undefined },
) {
  authorize(actor, "service.assignOfficer");
  const region = actor.regionCode ?? "";
  const pageSize = 50;
  const page = query.page ?? 1;
  let q = ctx.db
    .selectFrom("enterprises as e")
    .leftJoin("service_officer_assignments as s", (j) =>
      j.onRef("s.enterprise_id", "=", "e.id").on("s.ended_at", "is", null),
    )
    .leftJoin("accounts as a", "a.id", "s.officer_id")
    .where("e.region_code", "=", region);
  const text = query.q?.trim();
  if (text) q = q.where("e.name", "like", `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const [{ total } = { total: 0 }] = await q
    .select((eb) => eb.fn.countAll<string | number>().as("total"))
    .execute();
  const rows = await q
    .select([
      "e.id",
      "e.name",
      "s.assigned_at",
      "a.id as officerId",
      "a.display_name as officerName",
      "a.department as officerDepartment",
    ])
    .orderBy("e.name")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const officers = await ctx.db
    .selectFrom("accounts")
    .select(["id", "display_name", "department"])
    .where("role", "=", "officer")
    .where("region_code", "=", region)
    .orderBy("display_name")
    .execute();
  return {
    total: Number(total),
    page,
    pageSize,
    items: rows.map((r) => ({
      enterpriseId: r.id,
      enterpriseName: r.name,
      officer:
        r.officerId && r.officerName
          ? {
              id: r.officerId,
              name: r.officerName,
              departmentName: departmentLabel(r.officerDepartment ?? ""),
            }
          : null,
      since: r.assigned_at ? iso(r.assigned_at) : null,
    })),
    officers: officers.map((o) => ({
      id: o.id,
      name: o.display_name,
      departmentName: departmentLabel(o.department ?? ""),
    })),
  };
}

export interface MoneyView {
  min: number;
  max: number | null;
  text: string;
}

export interface OfficerEnterpriseView {
  enterpriseId: string;
  enterpriseName: string;
  since: string;
  openRequests: number;
  deadlines: { measureId: string; title: string; docNumber: string; validUntil: string }[];
  unapplied: { measureId: string; title: string; docNumber: string; amount: MoneyView | null }[];
}

const money = (a: AmountRange | null): MoneyView | null =>
  a ? { min: a.min, max: a.max, text: formatRange(a) } : null;

/**
 * GET /api/service-officer/enterprises: the officer's enterprises (a page of 20), each with its open
 * requests, the next (at most 3) deadlines of measures it fits (eligible, validUntil today or later) and the
 * eligible measures paying money it has not applied for beyond a draft (services such as 一企一专员 need no
 * application). Matching is the calculator's: the rules as of
 * today, published measures only. One query for open requests, one for applications.
 */
export async function officerEnterprises(
  ctx: AppContext,
  actor: Actor,
  page = 1,
): Promise<{ total: number; page: number; pageSize: number; items: OfficerEnterpriseView[] }> {
  authorize(actor, "service.officerPage");
  const pageSize = 20;
  const base = ctx.db
    .selectFrom("service_officer_assignments as s")
    .innerJoin("enterprises as e", "e.id", "s.enterprise_id")
    .where("s.officer_id", "=", actor.id)
    .where("s.ended_at", "is", null);
  const [{ total } = { total: 0 }] = await base
    .select((eb) => eb.fn.countAll<string | number>().as("total"))
    .execute();
  const rows = await base
    .select(["e.id", "e.name", "s.assigned_at"])
    .orderBy("e.name")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return { total: Number(total), page, pageSize, items: [] };

  const openCounts = new Map<string, number>();
  for (const r of await ctx.db
    .selectFrom("service_requests")
    .select((eb) => ["enterprise_id", eb.fn.countAll<string | number>().as("n")])
    .where("enterprise_id", "in", ids)
    .where("status", "in", [...OPEN_STATUSES])
    .groupBy("enterprise_id")
    .execute())
    openCounts.set(r.enterprise_id, Number(r.n));

  const applied = new Set<string>();
  for (const a of await ctx.db
    .selectFrom("applications")
    .select(["enterprise_id", "measure_id"])
    .where("enterprise_id", "in", ids)
    .where("status", "!=", "draft")
    .execute())
    applied.add(`${a.enterprise_id}|${a.measure_id}`);

  const asOf = localDate(ctx.now());
  const engine = await engineAsOf(ctx, asOf);
  const measures = await publishedMeasureIds(ctx, engine);
  const items: OfficerEnterpriseView[] = [];
  for (const r of rows) {
    const facts = await loadFacts(ctx.db, r.id);
    const eligible = facts
      ? engine.evaluate(facts, { asOf, measures }).results.filter((m) => m.outcome === "eligible")
      : [];
    items.push({
      enterpriseId: r.id,
      enterpriseName: r.name,
      since: iso(r.assigned_at),
      openRequests: openCounts.get(r.id) ?? 0,
      deadlines: eligible
        .filter((m): m is typeof m & { validUntil: string } => !!m.validUntil && m.validUntil >= asOf)
        .sort((a, b) => a.validUntil.localeCompare(b.validUntil))
        .slice(0, 3)
        .map((m) => ({
          measureId: m.measureId,
          title: m.title,
          docNumber: m.docNumber,
          validUntil: m.validUntil,
        })),
      unapplied: eligible
        .filter((m) => m.monetary && !applied.has(`${r.id}|${m.measureId}`))
        .map((m) => ({
          measureId: m.measureId,
          title: m.title,
          docNumber: m.docNumber,
          amount: money(m.amount),
        })),
    });
  }
  // Enterprises with open requests first.
  items.sort((a, b) => b.openRequests - a.openRequests);
  return { total: Number(total), page, pageSize, items };
}

/**
 * Applications an actor may see: an enterprise its own; an officer those to measures its department leads
 * (or reviews as a step) in its district; finance and the coordinator all of their district.
 * `mine` narrows to what waits for this account: the current review step is its to decide (officer: its
 * department's step; finance: the finance step), and for an officer also approved applications of measures its
 * department leads (publishing the notice is its next move).
 */
import { sql } from "kysely";
import type { Actor, AppContext } from "../context.ts";
import { authorize } from "../permissions.ts";
import { localDate, REVIEW_LIMIT_WORKING_DAYS, type Status, workingDaysBetween } from "./model.ts";
import { presentSummary } from "./present.ts";
import type { Summary } from "./schemas.ts";

/** From this many working days an application under review is 临近时限 (the queue page's orange band). */
export const REVIEW_WARN_WORKING_DAYS = 10;

export type AgeBand = "ok" | "warn" | "over";

/** 时限内 (< 10 working days), 临近时限 (10–15), 已超时 (> 15): the bands of the queue page's filter. */
export function ageBand(days: number): AgeBand {
  if (days > REVIEW_LIMIT_WORKING_DAYS) return "over";
  if (days >= REVIEW_WARN_WORKING_DAYS) return "warn";
  return "ok";
}

export interface ListFilter {
  status?: Status | undefined;
  measureId?: string | undefined;
  /** 申报编号, enterprise name or 统一社会信用代码 containing this text (case-insensitive). */
  q?: string | undefined;
  mine?: "true" | "false" | undefined;
  limit: number;
  offset: number;
}

function scopedQuery(ctx: AppContext, actor: Actor, f: Omit<ListFilter, "limit" | "offset">) {
  let q = ctx.db
    .selectFrom("applications")
    .innerJoin("enterprises", "enterprises.id", "applications.enterprise_id")
    .leftJoin("disbursements", "disbursements.application_id", "applications.id");
  const dept = actor.department ?? "";
  const led = ctx.engine.measures.filter((m) => m.def.leadDepartment === dept).map((m) => m.def.id);
  if (actor.role === "enterprise") q = q.where("applications.enterprise_id", "=", actor.enterpriseId ?? "");
  else {
    q = q.where("enterprises.region_code", "=", actor.regionCode ?? "");
    if (actor.role === "officer") {
      const asStep = JSON.stringify([{ role: "officer", department: dept }]);
      q = q.where((eb) =>
        eb.or([
          ...(led.length ? [eb("applications.measure_id", "in", led)] : []),
          eb(sql<boolean>`applications.steps @> ${asStep}::jsonb`, "=", true),
        ]),
      );
    }
  }
  if (f.status) q = q.where("applications.status", "=", f.status);
  if (f.measureId) q = q.where("applications.measure_id", "=", f.measureId);
  const needle = f.q?.trim();
  if (needle) {
    const like = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb("applications.number", "ilike", like),
        eb("enterprises.name", "ilike", like),
        eb("enterprises.uscc", "ilike", like),
      ]),
    );
  }
  if (f.mine === "true") {
    const stepRole = sql<string>`(applications.steps -> applications.current_step ->> 'role')`;
    const stepDept = sql<string>`(applications.steps -> applications.current_step ->> 'department')`;
    const stepStatus = sql<string>`(applications.steps -> applications.current_step ->> 'status')`;
    if (actor.role === "officer" || actor.role === "finance") {
      const role = actor.role;
      q = q.where((eb) =>
        eb.or([
          eb.and([
            eb("applications.status", "=", "submitted"),
            eb(stepStatus, "=", "pending"),
            eb(stepRole, "=", role),
            ...(role === "officer" ? [eb(stepDept, "=", dept)] : []),
          ]),
          ...(role === "officer" && led.length
            ? [eb.and([eb("applications.status", "=", "approved"), eb("applications.measure_id", "in", led)])]
            : []),
        ]),
      );
    } else q = q.where(sql<boolean>`false`);
  }
  return q;
}

function selectSummaries(ctx: AppContext, actor: Actor, f: Omit<ListFilter, "limit" | "offset">) {
  return scopedQuery(ctx, actor, f)
    .selectAll("applications")
    .select([
      "enterprises.name as enterprise_name",
      "disbursements.batch_ref as batch_ref",
      "disbursements.status as disbursement_status",
    ])
    .select((eb) =>
      eb
        .selectFrom("application_history as h")
        .select((e) => e.fn.max("h.at").as("at"))
        .whereRef("h.application_id", "=", "applications.id")
        .where("h.to_status", "=", "submitted")
        .where("h.from_status", "in", ["draft", "returned"])
        .as("submitted_at"),
    )
    .orderBy("applications.updated_at", "desc")
    .orderBy("applications.id");
}

export async function listApplications(
  ctx: AppContext,
  actor: Actor,
  f: ListFilter,
): Promise<{ items: Summary[]; total: number }> {
  authorize(actor, "application.list");
  const total = await scopedQuery(ctx, actor, f)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  const rows = await selectSummaries(ctx, actor, f).limit(f.limit).offset(f.offset).execute();
  return { items: rows.map((r) => presentSummary(ctx, r)), total: Number(total.n) };
}

/**
 * Every application the list would show for these filters (no paging), for the Excel export; `age` narrows
 * to applications under review whose working days since the latest submission fall in that band, as the
 * queue page's 办理时限 filter does.
 */
export async function listAllApplications(
  ctx: AppContext,
  actor: Actor,
  f: Omit<ListFilter, "limit" | "offset"> & { age?: AgeBand | undefined },
  cap = 10_000,
): Promise<Summary[]> {
  authorize(actor, "application.list");
  const rows = await selectSummaries(ctx, actor, f).limit(cap).execute();
  const items = rows.map((r) => presentSummary(ctx, r));
  if (!f.age) return items;
  const today = localDate(ctx.now());
  return items.filter((a) => {
    if (a.status !== "submitted" || !a.submittedAt) return false;
    return ageBand(workingDaysBetween(localDate(new Date(a.submittedAt)), today)) === f.age;
  });
}

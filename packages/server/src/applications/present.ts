/** Database rows → API shapes (money as integer 分 numbers, times as ISO strings). */
import type { Kysely, Transaction } from "kysely";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import type { Database, ReviewStep } from "../db/schema.ts";
import { notFound } from "../errors.ts";
import { accountConfirmed } from "../exemption/grants.ts";
import { fenFromDb, STATUS_LABELS, type Status, workingDaysBetween } from "./model.ts";
import type { Detail, Summary } from "./schemas.ts";

type Db = Kysely<Database> | Transaction<Database>;

export const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

export interface SummaryRow {
  id: string;
  number: string;
  enterprise_id: string;
  enterprise_name: string;
  measure_id: string;
  status: string;
  current_step: number;
  max_fen: string | null;
  granted_fen: string | null;
  notice_until: string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  submitted_at?: Date | string | null;
  batch_ref?: string | null;
  disbursement_status?: string | null;
  /** 免申即享 (migration 011); absent = an ordinary application. */
  channel?: string | null;
  form?: unknown;
}

export function presentSummary(ctx: AppContext, r: SummaryRow): Summary {
  const def = ctx.engine.byId.get(r.measure_id)?.def;
  const status = r.status as Status;
  return {
    id: r.id,
    number: r.number,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    measureId: r.measure_id,
    measureTitle: def?.title ?? r.measure_id,
    leadDepartment: def?.leadDepartment ?? "",
    status,
    statusLabel: STATUS_LABELS[status] ?? status,
    currentStep: Number(r.current_step),
    maxFen: fenFromDb(r.max_fen),
    grantedFen: fenFromDb(r.granted_fen),
    noticeUntil: r.notice_until,
    submittedAt: r.submitted_at ? iso(r.submitted_at) : null,
    // The time limit runs while the application waits for a decision; the server owns the holiday calendar.
    reviewWorkingDays:
      status === "submitted" && r.submitted_at
        ? workingDaysBetween(localDate(new Date(r.submitted_at)), localDate(ctx.now()))
        : null,
    batchRef: r.batch_ref ?? null,
    disbursementStatus: (r.disbursement_status as Summary["disbursementStatus"]) ?? null,
    version: Number(r.version),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    channel: r.channel === "exemption" ? "exemption" : "application",
    accountConfirmed: accountConfirmed((r.form as Record<string, unknown> | undefined) ?? {}),
  };
}

export async function loadDetail(db: Db, ctx: AppContext, id: string, replayed = false): Promise<Detail> {
  const r = await db
    .selectFrom("applications")
    .innerJoin("enterprises", "enterprises.id", "applications.enterprise_id")
    .selectAll("applications")
    .select("enterprises.name as enterprise_name")
    .where("applications.id", "=", id)
    .executeTakeFirst();
  if (!r) throw notFound("申报");
  const history = await db
    .selectFrom("application_history")
    .selectAll()
    .where("application_id", "=", id)
    .orderBy("id")
    .execute();
  const attachments = await db
    .selectFrom("attachments")
    .select(["id", "file_name", "content_type", "size", "created_at"])
    .where("application_id", "=", id)
    .orderBy("created_at")
    .execute();
  const d = await db
    .selectFrom("disbursements")
    .selectAll()
    .where("application_id", "=", id)
    .executeTakeFirst();
  const submitted = history.filter(
    (h) => h.to_status === "submitted" && (h.from_status === "draft" || h.from_status === "returned"),
  );
  return {
    ...presentSummary(ctx, {
      ...r,
      submitted_at: submitted.at(-1)?.at ?? null,
      batch_ref: d?.batch_ref ?? null,
      disbursement_status: d?.status ?? null,
    }),
    rulesVersion: r.rules_version,
    steps: r.steps as ReviewStep[],
    form: r.form,
    history: history.map((h) => ({
      fromStatus: h.from_status,
      toStatus: h.to_status,
      actorId: h.actor_id,
      reason: h.reason,
      at: iso(h.at),
    })),
    attachments: attachments.map((a) => ({
      id: a.id,
      fileName: a.file_name,
      contentType: a.content_type,
      size: Number(a.size),
      createdAt: iso(a.created_at),
    })),
    disbursement: d
      ? {
          id: d.id,
          amountFen: fenFromDb(d.amount_fen) ?? 0,
          batchRef: d.batch_ref,
          status: d.status,
          issuedAt: iso(d.issued_at),
          settledAt: d.settled_at ? iso(d.settled_at) : null,
          failureReason: d.failure_reason,
        }
      : null,
    replayed,
  };
}

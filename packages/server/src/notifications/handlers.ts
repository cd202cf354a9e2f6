/**
 * Targeted push (精准推送): the job handlers that turn state changes into in-app notifications.
 *
 * "Matched" means eligible, or undetermined with money at stake (an upper bound above zero, or none).
 * Matches are told as a digest, never one notification per measure: each matched measure version is
 * recorded once per enterprise (notification_matches, key enterprise × measure × content hash of the
 * measure's data, so an unrelated measure's edit does not re-notify), and the pending ones go out together
 * as one "N 项新措施适合您" message linking to the calculator. A profile change flushes at once; a policy
 * library reload records per changed measure and queues one digest job per enterprise and rules version,
 * which runs after the reload's measure jobs (the queue runs jobs in the order they became due). A changed
 * measure reaches only enterprises it newly fits or whose outcome or amount changed (a reworded clause tells
 * no one again).
 *
 * Every handler is idempotent (at-least-once delivery): recording is `on conflict do nothing`, a digest marks
 * its rows in the same transaction, and other notifications have a unique dedupe key:
 * - deadline reminders: `deadline:${measureId}:${validUntil}:${enterpriseId}`.
 * - application status: `application:${applicationId}:${version or job id}`.
 * Each enterprise's subscription (settings.ts) is honoured: a topic switched off, or the in-app channel
 * switched off, sends nothing (matches are then marked as seen, so switching back on brings no backlog).
 */

import { createHash } from "node:crypto";
import { AMOUNT_UNSTATED_TEXT, type CompiledMeasure, formatRange, type MeasureResult } from "@huiqi/engine";
import { STATUS_LABELS } from "../applications/model.ts";
import { type ListedEnterprise, listPage, refreshMatchLists } from "../batch/lists.ts";
import {
  batchPool,
  createRun,
  drainRuns,
  finishRun,
  getRun,
  importHasRun,
  type RunSummary,
  runCovering,
} from "../batch/runs.ts";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { loadFacts } from "../enterprises/facts-store.ts";
import { handleExemptionGranted } from "../exemption/notify.ts";
import { publishedMeasureIds } from "../policies/publication.ts";
import { measureHash } from "../policies/sync-library.ts";
import type { MessageChannel } from "./channels.ts";
import { notify } from "./notify.ts";
import { enqueue } from "./outbox.ts";
import { settingsFor, settingsOf, wantsInApp } from "./settings.ts";
import type { Job, JobHandlers } from "./worker.ts";

const DAY = 86_400_000;
/** Measures named in a digest's body; the rest are counted ("等 N 项"). */
const DIGEST_NAMES = 5;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** What deciding "matched" and naming the money need of a result (a MeasureResult, or a row of a match list). */
type MatchFacts = Pick<MeasureResult, "outcome" | "monetary" | "amount" | "amountUnstated">;

export function isMatched(r: MatchFacts): boolean {
  if (r.outcome === "eligible") return true;
  if (r.outcome !== "undetermined" || !r.monetary || !r.amount) return false;
  return r.amount.max === null || r.amount.max > 0;
}

function str(payload: Record<string, unknown>, key: string): string {
  const v = payload[key];
  if (typeof v !== "string" || !v) throw new Error(`任务参数 ${key} 缺失或不是字符串`);
  return v;
}

/** A free-text reason as one sentence: no trailing punctuation of its own (the message adds "。"). */
export function sentence(text: string): string {
  return text.trim().replace(/[。．.，,；;、\s]+$/u, "");
}

/** Enterprises (of the given ones) that already have an application for the measure beyond a draft. */
async function appliedAmong(ctx: AppContext, measureId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await ctx.db
    .selectFrom("applications")
    .select("enterprise_id")
    .where("measure_id", "=", measureId)
    .where("enterprise_id", "in", ids)
    .where("status", "<>", "draft")
    .execute();
  return new Set(rows.map((r) => r.enterprise_id));
}

function measureLabel(m: CompiledMeasure): string {
  return `${m.doc.docNumber}第${m.def.ordinal}条「${m.def.title}」`;
}

/** 「title」（20万元）: how a matched measure is named in a digest. */
function matchSummary(m: CompiledMeasure, r: MatchFacts): string {
  const money =
    r.monetary && r.amount ? formatRange(r.amount) : r.amountUnstated ? AMOUNT_UNSTATED_TEXT : null;
  return `「${m.def.title}」${money ? `（${money}）` : ""}`;
}

/** The money part of a match summary: what follows the quoted title (「title」（20万元） → （20万元）). */
function moneyOf(summary: string): string {
  return summary.slice(summary.lastIndexOf("」") + 1);
}

/**
 * A changed measure is pushed only to enterprises it newly fits or whose amount changed: an enterprise last
 * told the same outcome and amount for an earlier version of the measure (a reworded clause, a new case) is
 * not told again.
 */
function toldAlready(
  last: { eligible: boolean; summary: string; content_hash: string } | undefined,
  m: CompiledMeasure,
  r: MatchFacts,
): boolean {
  if (!last || last.content_hash === measureHash(m.def)) return false;
  return (
    last.eligible === (r.outcome === "eligible") && moneyOf(last.summary) === moneyOf(matchSummary(m, r))
  );
}

/** The last recorded match of the measure for each of these enterprises (one query per page). */
async function lastMatches(
  ctx: AppContext,
  measureId: string,
  ids: string[],
): Promise<Map<string, { eligible: boolean; summary: string; content_hash: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .selectFrom("notification_matches")
    .select(["enterprise_id", "eligible", "summary", "content_hash", "matched_at"])
    .where("measure_id", "=", measureId)
    .where("enterprise_id", "in", ids)
    .orderBy("enterprise_id")
    .orderBy("matched_at", "desc")
    .execute();
  const out = new Map<string, { eligible: boolean; summary: string; content_hash: string }>();
  for (const r of rows) if (!out.has(r.enterprise_id)) out.set(r.enterprise_id, r);
  return out;
}

/** A stored list row as the result the push decisions read (amount null ⇔ no amount: min is always a number). */
function fromListRow(m: CompiledMeasure, row: ListedEnterprise): MatchFacts {
  return {
    outcome: row.outcome,
    monetary: m.def.monetary,
    amount: row.amountMin === null ? null : { min: row.amountMin, max: row.amountMax },
    amountUnstated: m.def.amountUnstated !== undefined ? true : undefined,
  };
}

interface MatchRow {
  measure_id: string;
  content_hash: string;
  eligible: boolean;
  monetary: boolean;
  summary: string;
}

function names(rows: MatchRow[]): string {
  const shown = rows.slice(0, DIGEST_NAMES).map((r) => r.summary);
  return `${shown.join("、")}${rows.length > DIGEST_NAMES ? ` 等 ${rows.length} 项` : ""}`;
}

export function digestText(rows: MatchRow[]): { title: string; body: string } {
  const eligible = rows.filter((r) => r.eligible);
  const possible = rows.filter((r) => !r.eligible);
  const parts = [
    eligible.length > 0 ? `符合申报条件 ${eligible.length} 项：${names(eligible)}` : null,
    possible.length > 0 ? `可能符合 ${possible.length} 项（补充企业画像后确定）：${names(possible)}` : null,
  ].filter((x): x is string => x !== null);
  return {
    title: `${rows.length} 项新措施适合您`,
    body: `根据贵企业的画像测算，${parts.join("；")}。金额、条件和截止日期请在政策计算器中查看。`,
  };
}

/**
 * Sends the enterprise's pending matches as one digest, in one transaction with marking them told. When the
 * enterprise does not want match notices in-app, they are marked as seen and nothing is sent.
 */
export async function flushMatches(ctx: AppContext, enterpriseId: string): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("notification_matches")
      .select(["measure_id", "content_hash", "eligible", "monetary", "summary"])
      .where("enterprise_id", "=", enterpriseId)
      .where("notified_at", "is", null)
      .orderBy("matched_at")
      .orderBy("measure_id")
      .forUpdate()
      .execute();
    if (rows.length === 0) return false;
    const now = ctx.now();
    for (const r of rows)
      await trx
        .updateTable("notification_matches")
        .set({ notified_at: now })
        .where("enterprise_id", "=", enterpriseId)
        .where("measure_id", "=", r.measure_id)
        .where("content_hash", "=", r.content_hash)
        .execute();
    if (!wantsInApp(await settingsFor(trx, enterpriseId), "matches")) return false;
    // Eligible first, and within each, measures that pay money before services.
    const ordered = [...rows].sort(
      (a, b) => Number(b.eligible) - Number(a.eligible) || Number(b.monetary) - Number(a.monetary),
    );
    const { title, body } = digestText(ordered);
    const key = createHash("sha256")
      .update(rows.map((r) => `${r.measure_id}:${r.content_hash}`).join(","))
      .digest("hex")
      .slice(0, 16);
    return notify(
      trx,
      {
        enterpriseId,
        kind: "matches.digest",
        measureId: rows.length === 1 ? (rows[0]?.measure_id ?? null) : null,
        title,
        body,
        dedupeKey: `digest:${enterpriseId}:${key}`,
        link: "/calculator",
      },
      now,
    );
  });
}

/** Enterprises per page of a measure's list read by push. */
const LIST_PAGE = 1000;

/**
 * The run whose lists a measure.changed job reads: the one named in the job (created with it, same rules and
 * date), else the newest covering run of the current rules and today, else a new run over this measure.
 */
async function runFor(ctx: AppContext, measureId: string, asOf: string, runId: unknown): Promise<RunSummary> {
  const named = typeof runId === "string" ? await getRun(ctx.db, runId) : undefined;
  if (named && named.rulesVersion === ctx.engine.version && named.asOf === asOf && named.state !== "failed")
    return named;
  const covering = await runCovering(ctx.db, { rulesVersion: ctx.engine.version, asOf, measureId });
  if (covering) return covering;
  const created = await createRun(ctx.db, {
    rulesVersion: ctx.engine.version,
    asOf,
    reason: "publish",
    measureIds: [measureId],
    now: ctx.now(),
    enqueueJobs: false,
  });
  return (await getRun(ctx.db, created.id)) as RunSummary;
}

/**
 * One changed (or new) measure after a library reload: record who it now fits, queue their digests. Nothing is
 * evaluated here: the batch run for this rules version writes the measure's list (this job helps drain it, and
 * waits for partitions other processes hold), then the list is read in pages of 1,000.
 */
export async function handleMeasureChanged(ctx: AppContext, job: Job): Promise<void> {
  const measureId = str(job.payload, "measureId");
  const m = ctx.engine.byId.get(measureId);
  if (!m) return; // withdrawn from the current rules: nothing to push
  const asOf = localDate(ctx.now());
  if (!ctx.engine.isInForce(m, asOf)) return;
  const p = job.payload;
  const version =
    typeof p.rulesVersion === "string"
      ? p.rulesVersion
      : typeof p.version === "string"
        ? p.version
        : ctx.engine.version;
  const run = await runFor(ctx, measureId, asOf, p.runId);
  await finishRun(ctx, run.id, { pool: batchPool(ctx) });
  let after: string | undefined;
  for (;;) {
    const page = await listPage(ctx.db, measureId, { limit: LIST_PAGE, ...(after ? { after } : {}) });
    if (page.length === 0) return;
    after = page[page.length - 1]?.enterpriseId;
    const ids = page.map((r) => r.enterpriseId);
    const applied = await appliedAmong(ctx, measureId, ids);
    const last = await lastMatches(ctx, measureId, ids);
    const fresh = page
      .filter((row) => !applied.has(row.enterpriseId))
      .map((row) => ({ id: row.enterpriseId, r: fromListRow(m, row) }))
      .filter(({ id, r }) => isMatched(r) && !toldAlready(last.get(id), m, r));
    if (fresh.length > 0) {
      const hash = measureHash(m.def);
      const now = ctx.now();
      await ctx.db.transaction().execute(async (trx) => {
        const recorded = await trx
          .insertInto("notification_matches")
          .values(
            fresh.map(({ id, r }) => ({
              enterprise_id: id,
              measure_id: measureId,
              content_hash: hash,
              eligible: r.outcome === "eligible",
              monetary: r.monetary,
              summary: matchSummary(m, r),
              matched_at: now,
              notified_at: null,
            })),
          )
          .onConflict((oc) => oc.columns(["enterprise_id", "measure_id", "content_hash"]).doNothing())
          .returning("enterprise_id")
          .execute();
        for (const { enterprise_id: id } of recorded)
          await enqueue(trx, "matches.digest", { enterpriseId: id }, `matches.digest:${id}:${version}`);
      });
    }
    if (page.length < LIST_PAGE) return;
  }
}

/** "match.run" {runId}: drains the run's claimable partitions here, for up to two minutes (other jobs go on). */
export async function handleMatchRun(ctx: AppContext, job: Job): Promise<void> {
  const runId = str(job.payload, "runId");
  await drainRuns(ctx, { pool: batchPool(ctx), runId, deadline: Date.now() + 120_000 });
}

/** "matches.digest" {enterpriseId}: the pending matches of one enterprise as one message. */
export async function handleMatchesDigest(ctx: AppContext, job: Job): Promise<void> {
  await flushMatches(ctx, str(job.payload, "enterpriseId"));
}

/** The profile changed: the measures it now fits that it was never told about, as one digest. */
export async function handleProfileChanged(ctx: AppContext, job: Job): Promise<void> {
  const enterpriseId = str(job.payload, "enterpriseId");
  const facts = await loadFacts(ctx.db, enterpriseId);
  if (!facts) return;
  // Its per-measure lists first (免申即享 and push read them), then the digest — unless it came with a large
  // import, whose batch run writes the lists of all its enterprises at once.
  const importId = job.payload.importId;
  if (typeof importId !== "string" || !(await importHasRun(ctx.db, importId)))
    await refreshMatchLists(ctx, [enterpriseId]);
  const asOf = localDate(ctx.now());
  // Unpublished measures are nobody's match (as on the calculator).
  const result = ctx.engine.evaluate(facts, { asOf, measures: await publishedMeasureIds(ctx) });
  const matched = result.results.filter(isMatched);
  if (matched.length > 0) {
    const applied = await ctx.db
      .selectFrom("applications")
      .select("measure_id")
      .where("enterprise_id", "=", enterpriseId)
      .where("status", "<>", "draft")
      .execute();
    const appliedSet = new Set(applied.map((a) => a.measure_id));
    // One insert for all of them: a large import runs this job once per enterprise.
    const rows = matched.flatMap((r) => {
      const m = ctx.engine.byId.get(r.measureId);
      if (!m || appliedSet.has(r.measureId)) return [];
      return [
        {
          enterprise_id: enterpriseId,
          measure_id: m.def.id,
          content_hash: measureHash(m.def),
          eligible: r.outcome === "eligible",
          monetary: r.monetary,
          summary: matchSummary(m, r),
          matched_at: ctx.now(),
          notified_at: null,
        },
      ];
    });
    if (rows.length > 0)
      await ctx.db
        .insertInto("notification_matches")
        .values(rows)
        .onConflict((oc) => oc.columns(["enterprise_id", "measure_id", "content_hash"]).doNothing())
        .execute();
  }
  // Also sends what a library reload recorded and has not told yet.
  await flushMatches(ctx, enterpriseId);
}

export async function handleDeadlineReminders(ctx: AppContext, job: Job): Promise<void> {
  const date = str(job.payload, "date");
  const horizon = addDays(date, ctx.config.reminderDays);
  const due = ctx.engine.measures.filter(
    (m) => m.validUntil !== undefined && m.validUntil >= date && m.validUntil <= horizon,
  );
  for (const m of due) {
    if (!ctx.engine.isInForce(m, date)) continue;
    const until = m.validUntil as string;
    const daysLeft = Math.round((Date.parse(until) - Date.parse(date)) / DAY);
    // The measure's list as of the reminder date (a run over it when none covers that date), read in pages.
    const run = await runFor(ctx, m.def.id, date, undefined);
    await finishRun(ctx, run.id, { pool: batchPool(ctx) });
    let after: string | undefined;
    for (;;) {
      const page = await listPage(ctx.db, m.def.id, { limit: LIST_PAGE, ...(after ? { after } : {}) });
      if (page.length === 0) break;
      after = page[page.length - 1]?.enterpriseId;
      const ids = page.map((row) => row.enterpriseId);
      const applied = await appliedAmong(ctx, m.def.id, ids);
      const settings = await settingsOf(ctx.db, ids);
      for (const row of page) {
        const id = row.enterpriseId;
        if (applied.has(id)) continue;
        const s = settings.get(id);
        if (s && !wantsInApp(s, "deadlines")) continue;
        const r = fromListRow(m, row);
        if (!isMatched(r)) continue;
        const money = r.monetary && r.amount ? `（可得金额${formatRange(r.amount)}）` : "";
        await notify(
          ctx.db,
          {
            enterpriseId: id,
            kind: "deadline.reminder",
            measureId: m.def.id,
            title: `申报即将截止：${m.def.title}`,
            body: `${measureLabel(m)}${money}将于 ${until} 截止（还剩 ${daysLeft} 天），贵企业可能符合条件但尚未申报，请尽快办理。`,
            dedupeKey: `deadline:${m.def.id}:${until}:${id}`,
          },
          ctx.now(),
        );
      }
    }
  }
}

export async function handleApplicationChanged(ctx: AppContext, job: Job): Promise<void> {
  const applicationId = str(job.payload, "applicationId");
  const app = await ctx.db
    .selectFrom("applications")
    .select(["id", "number", "enterprise_id", "measure_id", "status", "version"])
    .where("id", "=", applicationId)
    .executeTakeFirst();
  if (!app) return;
  const p = job.payload;
  const toStatus = typeof p.toStatus === "string" ? p.toStatus : typeof p.to === "string" ? p.to : app.status;
  // The enterprise opened the draft itself: nothing to tell it.
  if (toStatus === "draft") return;
  if (!wantsInApp(await settingsFor(ctx.db, app.enterprise_id), "status")) return;
  const fromStatus =
    typeof p.fromStatus === "string" ? p.fromStatus : typeof p.from === "string" ? p.from : null;
  const m = ctx.engine.byId.get(app.measure_id);
  const title = m ? m.def.title : app.measure_id;
  const why = typeof p.reason === "string" ? sentence(p.reason) : "";
  const reason = why ? `原因：${why}。` : "";
  const labels: Record<string, string> = STATUS_LABELS;
  // A review step passed with more steps to go keeps the status "submitted".
  const label =
    fromStatus === toStatus && toStatus === "submitted"
      ? "本环节审核通过，进入下一审核环节"
      : (labels[toStatus] ?? toStatus);
  const version = p.version;
  const key =
    typeof version === "number" || typeof version === "string" ? `v${version}:${toStatus}` : `job${job.id}`;
  await notify(
    ctx.db,
    {
      enterpriseId: app.enterprise_id,
      kind: "application.changed",
      measureId: app.measure_id,
      title: `申报进度：${title}——${label}`,
      body: `贵企业申报的「${title}」（申报编号 ${app.number}）状态更新为：${label}。${reason}`,
      dedupeKey: `application:${applicationId}:${key}`,
      link: `/applications/${applicationId}`,
    },
    ctx.now(),
  );
}

/** "message.send" {channel, to, title, body}: delivers through a MessageChannel (log-only by default). */
export function messageHandler(channels: Record<string, MessageChannel>) {
  return async (_ctx: AppContext, job: Job): Promise<void> => {
    const name = str(job.payload, "channel");
    const channel = channels[name];
    if (!channel) throw new Error(`消息渠道「${name}」未配置`);
    await channel.send(str(job.payload, "to"), str(job.payload, "title"), str(job.payload, "body"));
  };
}

export function pushHandlers(channels: Record<string, MessageChannel>): JobHandlers {
  return {
    "measure.changed": handleMeasureChanged,
    "profile.changed": handleProfileChanged,
    "matches.digest": handleMatchesDigest,
    "deadline.reminders": handleDeadlineReminders,
    "application.changed": handleApplicationChanged,
    "message.send": messageHandler(channels),
    "exemption.granted": handleExemptionGranted,
    "match.run": handleMatchRun,
  };
}

/** Enqueues today's (Asia/Shanghai) reminder run; the dedupe key makes this cheap to call every tick. */
export async function enqueueDailyReminders(ctx: AppContext): Promise<void> {
  const date = localDate(ctx.now());
  await ctx.db
    .transaction()
    .execute((trx) => enqueue(trx, "deadline.reminders", { date }, `deadline.reminders:${date}`));
}

/**
 * After a policy library sync: one batch run over the new or changed measures (current rules, today), and one
 * measure.changed job per measure naming it — all in one transaction. Measures whose job was queued already
 * (same measure and version) are left out, so calling this twice starts no second run.
 */
export async function enqueueMeasureChanges(ctx: AppContext, version: string, measureIds: string[]) {
  if (measureIds.length === 0) return;
  await ctx.db.transaction().execute(async (trx) => {
    const key = (id: string) => `measure.changed:${id}:${version}`;
    const queued = new Set(
      (
        await trx
          .selectFrom("outbox")
          .select("dedupe_key")
          .where("dedupe_key", "in", measureIds.map(key))
          .execute()
      ).map((r) => r.dedupe_key),
    );
    const fresh = measureIds.filter((id) => !queued.has(key(id)));
    if (fresh.length === 0) return;
    const run = await createRun(trx, {
      rulesVersion: ctx.engine.version,
      asOf: localDate(ctx.now()),
      reason: "publish",
      measureIds: fresh,
      now: ctx.now(),
    });
    for (const measureId of fresh)
      await enqueue(trx, "measure.changed", { measureId, version, runId: run.id }, key(measureId));
  });
}

/**
 * Targeted push (精准推送): the job handlers that turn state changes into in-app notifications.
 *
 * "Matched" means eligible, or undetermined with money at stake (an upper bound above zero, or none).
 * Every notification has a dedupe key, so a handler run twice (at-least-once delivery) notifies once:
 * - matches: `match:${measureId}:${contentHash}:${enterpriseId}` — one per enterprise and measure version
 *   (content hash of the measure's data, not the global rules version, so an unrelated measure's edit does
 *   not re-notify). measure.changed and profile.changed share the key space: whichever comes first notifies.
 * - deadline reminders: `deadline:${measureId}:${validUntil}:${enterpriseId}`.
 * - application status: `application:${applicationId}:${version or job id}`.
 */

import { type CompiledMeasure, formatRange, type MeasureResult } from "@huiqi/engine";
import { departmentName } from "@huiqi/policies";
import { STATUS_LABELS } from "../applications/model.ts";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { loadFacts } from "../enterprises/facts-store.ts";
import { measureHash } from "../policies/sync-library.ts";
import type { MessageChannel } from "./channels.ts";
import { notify } from "./notify.ts";
import { enqueue } from "./outbox.ts";
import type { Job, JobHandlers } from "./worker.ts";

const PAGE = 200;
const DAY = 86_400_000;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

export function isMatched(r: MeasureResult): boolean {
  if (r.outcome === "eligible") return true;
  if (r.outcome !== "undetermined" || !r.monetary || !r.amount) return false;
  return r.amount.max === null || r.amount.max > 0;
}

function str(payload: Record<string, unknown>, key: string): string {
  const v = payload[key];
  if (typeof v !== "string" || !v) throw new Error(`任务参数 ${key} 缺失或不是字符串`);
  return v;
}

/** Enterprises in a measure's region, page by page (keyset on id), so batch matching never loads everyone. */
async function* enterprisesFor(ctx: AppContext, m: CompiledMeasure): AsyncGenerator<string[]> {
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    let q = ctx.db.selectFrom("enterprises").select("id").where("id", ">", after);
    q = m.regionExact
      ? q.where("region_code", "=", m.regionPrefix)
      : q.where("region_code", "like", `${m.regionPrefix}%`);
    const rows = await q.orderBy("id").limit(PAGE).execute();
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    after = rows[rows.length - 1]?.id ?? after;
    if (rows.length < PAGE) return;
  }
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

function matchBody(m: CompiledMeasure, r: MeasureResult, lead: string): string {
  const money = r.monetary && r.amount ? `，可得金额${formatRange(r.amount)}` : "";
  const status =
    r.outcome === "eligible"
      ? "根据贵企业的画像测算，符合申报条件"
      : `根据贵企业的画像测算，可能符合申报条件（还需补充 ${r.missing.length} 项信息后确定）`;
  const until = m.validUntil ? `执行期限至 ${m.validUntil}。` : "";
  return `${measureLabel(m)}：${status}${money}。${until}牵头单位：${lead}。`;
}

function leadName(m: CompiledMeasure): string {
  try {
    return departmentName(m.def.leadDepartment);
  } catch {
    return m.def.leadDepartment;
  }
}

/** "measure.new" when no earlier version of the measure was ever loaded, else "measure.changed". */
async function measureKind(ctx: AppContext, m: CompiledMeasure, hash: string): Promise<string> {
  const earlier = await ctx.db
    .selectFrom("measures")
    .select("id")
    .where("id", "=", m.def.id)
    .where("content_hash", "<>", hash)
    .limit(1)
    .executeTakeFirst();
  return earlier ? "measure.changed" : "measure.new";
}

export async function handleMeasureChanged(ctx: AppContext, job: Job): Promise<void> {
  const measureId = str(job.payload, "measureId");
  const m = ctx.engine.byId.get(measureId);
  if (!m) return; // withdrawn from the current rules: nothing to push
  const asOf = localDate(ctx.now());
  if (!ctx.engine.isInForce(m, asOf)) return;
  const hash = measureHash(m.def);
  const kind = await measureKind(ctx, m, hash);
  const lead = leadName(m);
  for await (const ids of enterprisesFor(ctx, m)) {
    const applied = await appliedAmong(ctx, measureId, ids);
    for (const id of ids) {
      if (applied.has(id)) continue;
      const facts = await loadFacts(ctx.db, id);
      if (!facts) continue;
      const r = ctx.engine.evaluateMeasure(m, facts, asOf);
      if (!isMatched(r)) continue;
      await notify(
        ctx.db,
        {
          enterpriseId: id,
          kind,
          measureId,
          title: `${kind === "measure.new" ? "新政策" : "政策更新"}：${m.def.title}`,
          body: matchBody(m, r, lead),
          dedupeKey: `match:${measureId}:${hash}:${id}`,
        },
        ctx.now(),
      );
    }
  }
}

export async function handleProfileChanged(ctx: AppContext, job: Job): Promise<void> {
  const enterpriseId = str(job.payload, "enterpriseId");
  const facts = await loadFacts(ctx.db, enterpriseId);
  if (!facts) return;
  const asOf = localDate(ctx.now());
  const result = ctx.engine.evaluate(facts, { asOf });
  const matched = result.results.filter(isMatched);
  if (matched.length === 0) return;
  const applied = await ctx.db
    .selectFrom("applications")
    .select("measure_id")
    .where("enterprise_id", "=", enterpriseId)
    .where("status", "<>", "draft")
    .execute();
  const appliedSet = new Set(applied.map((a) => a.measure_id));
  for (const r of matched) {
    const m = ctx.engine.byId.get(r.measureId);
    if (!m || appliedSet.has(r.measureId)) continue;
    await notify(
      ctx.db,
      {
        enterpriseId,
        kind: "profile.matched",
        measureId: r.measureId,
        title: `可申报政策：${m.def.title}`,
        body: matchBody(m, r, leadName(m)),
        dedupeKey: `match:${r.measureId}:${measureHash(m.def)}:${enterpriseId}`,
      },
      ctx.now(),
    );
  }
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
    for await (const ids of enterprisesFor(ctx, m)) {
      const applied = await appliedAmong(ctx, m.def.id, ids);
      for (const id of ids) {
        if (applied.has(id)) continue;
        const facts = await loadFacts(ctx.db, id);
        if (!facts) continue;
        const r = ctx.engine.evaluateMeasure(m, facts, date);
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
    .select(["id", "enterprise_id", "measure_id", "status", "version"])
    .where("id", "=", applicationId)
    .executeTakeFirst();
  if (!app) return;
  const p = job.payload;
  const toStatus = typeof p.toStatus === "string" ? p.toStatus : typeof p.to === "string" ? p.to : app.status;
  const fromStatus =
    typeof p.fromStatus === "string" ? p.fromStatus : typeof p.from === "string" ? p.from : null;
  const m = ctx.engine.byId.get(app.measure_id);
  const title = m ? m.def.title : app.measure_id;
  const reason = typeof p.reason === "string" && p.reason ? `原因：${p.reason}。` : "";
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
      body: `贵企业申报的「${title}」状态更新为：${label}。${reason}`,
      dedupeKey: `application:${applicationId}:${key}`,
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
    "deadline.reminders": handleDeadlineReminders,
    "application.changed": handleApplicationChanged,
    "message.send": messageHandler(channels),
  };
}

/** Enqueues today's (Asia/Shanghai) reminder run; the dedupe key makes this cheap to call every tick. */
export async function enqueueDailyReminders(ctx: AppContext): Promise<void> {
  const date = localDate(ctx.now());
  await ctx.db
    .transaction()
    .execute((trx) => enqueue(trx, "deadline.reminders", { date }, `deadline.reminders:${date}`));
}

/** After a policy library sync: one measure.changed job per new or changed measure. */
export async function enqueueMeasureChanges(ctx: AppContext, version: string, measureIds: string[]) {
  if (measureIds.length === 0) return;
  await ctx.db.transaction().execute(async (trx) => {
    for (const measureId of measureIds)
      await enqueue(
        trx,
        "measure.changed",
        { measureId, version },
        `measure.changed:${measureId}:${version}`,
      );
  });
}

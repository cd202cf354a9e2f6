/**
 * 免申即享 for the lead department: the eligible list of a flagged measure in the officer's district (paged,
 * re-judged row by row with evidence), bulk confirmation into approved grants, exclusion with a reason, and
 * the enterprise's confirmation of its 收款账户.
 *
 * A confirmation creates, in one transaction per enterprise (the enterprise row locked, so concurrent or
 * repeated confirmations give one grant), an application with channel "exemption", status approved, the
 * granted amount the engine gives after 从高不重复 (which must equal what the officer saw), one review step
 * "牵头单位确认（免申即享）" decided by the confirming officer, a history row naming the evidence, the audit
 * row, and an outbox job that notifies the enterprise. From there it is an ordinary approved application:
 * public notice, disbursement, reconciliation.
 *
 * Bank account (chosen): the grant is prefilled with the account of the enterprise's latest application, and
 * the enterprise confirms (or corrects) it in 我的申报; finance cannot issue the payment before that.
 */
import { randomUUID } from "node:crypto";
import type { CompiledMeasure } from "@huiqi/engine";
import { departmentName } from "@huiqi/policies";
import { sql, type Transaction } from "kysely";
import {
  GRANTED_STATUSES,
  OPEN_OR_DONE_STATUSES,
  STATUS_LABELS,
  type Status,
} from "../applications/model.ts";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import type { Database, ReviewStep } from "../db/schema.ts";
import { AppError, forbidden, invalid, notFound } from "../errors.ts";
import { enqueue } from "../notifications/outbox.ts";
import { authorize } from "../permissions.ts";
import { publishedMeasureIds } from "../policies/publication.ts";
import { type Evidence, judge, loadForExemption, yuanText } from "./evaluate.ts";
import { flaggedMeasureIds, isFlagged } from "./flags.ts";

export const EXEMPTION_STEP = "牵头单位确认（免申即享）";

/** The officer may act on this measure's list: lead department, measure flagged, in force in its district. */
export async function measureForOfficer(
  ctx: AppContext,
  actor: Actor,
  measureId: string,
): Promise<CompiledMeasure> {
  const m = ctx.engine.byId.get(measureId);
  if (!m) throw notFound("措施");
  if (actor.role !== "officer" || actor.department !== m.def.leadDepartment)
    throw forbidden("只有该措施牵头单位的经办人可以查看和确认免申即享名单");
  if (!actor.regionCode?.startsWith(m.regionPrefix)) throw forbidden("该措施不适用于您所在的区县");
  if (!(await isFlagged(ctx, measureId))) throw invalid("measureId", "该措施没有标为免申即享");
  return m;
}

export interface ListedRow {
  enterpriseId: string;
  enterpriseName: string;
  uscc: string;
  /** confirmable | refused (re-judged: no longer eligible, amount not exact…) | excluded | granted | applied */
  state: "confirmable" | "refused" | "excluded" | "granted" | "applied";
  stateLabel: string;
  amountFen: number | null;
  amountMin: number | null;
  amountMax: number | null;
  reason: string | null;
  exclusion: { reason: string; at: string; byName: string | null } | null;
  application: {
    id: string;
    number: string;
    status: string;
    statusLabel: string;
    channel: string;
    version: number;
  } | null;
  evidence: Evidence[];
  listedAsOf: string | null;
}

const STATE_LABELS: Record<ListedRow["state"], string> = {
  confirmable: "可确认",
  refused: "不能确认",
  excluded: "已排除",
  granted: "已生成兑现",
  applied: "企业已申报",
};

/**
 * One page of the measure's 免申即享 list in the officer's district, keyset by enterprise id: enterprises the
 * batch lists hold as eligible (or waiting only on 已享受的奖补, see evaluate.ts), plus those excluded or
 * already granted (marked, never dropped). Each row is judged again now, as a confirmation would.
 */
export async function listPageFor(
  ctx: AppContext,
  actor: Actor,
  measureId: string,
  opts: { after?: string | undefined; limit: number },
): Promise<{ items: ListedRow[]; nextAfter: string | null }> {
  authorize(actor, "exemption.list");
  const m = await measureForOfficer(ctx, actor, measureId);
  const region = actor.regionCode ?? "";
  let q = ctx.db
    .selectFrom("enterprises as e")
    .leftJoin("match_lists as l", (j) =>
      j.onRef("l.enterprise_id", "=", "e.id").on("l.measure_id", "=", measureId),
    )
    .select(["e.id", "e.name", "e.uscc", sql<string | null>`to_char(l.as_of, 'YYYY-MM-DD')`.as("as_of")])
    .where("e.region_code", "=", region)
    .where((eb) =>
      eb.or([
        eb("l.outcome", "=", "eligible"),
        eb.and([
          eb("l.outcome", "=", "undetermined"),
          eb(sql`l.missing`, "=", sql`'["awardsReceived"]'::jsonb`),
        ]),
        eb.exists(
          eb
            .selectFrom("exemption_exclusions as x")
            .select("x.enterprise_id")
            .whereRef("x.enterprise_id", "=", "e.id")
            .where("x.measure_id", "=", measureId),
        ),
        eb.exists(
          eb
            .selectFrom("applications as a")
            .select("a.id")
            .whereRef("a.enterprise_id", "=", "e.id")
            .where("a.measure_id", "=", measureId)
            .where("a.channel", "=", "exemption"),
        ),
      ]),
    );
  if (opts.after) q = q.where("e.id", ">", opts.after);
  const rows = await q
    .orderBy("e.id")
    .limit(opts.limit + 1)
    .execute();
  const more = rows.length > opts.limit;
  const page = rows.slice(0, opts.limit);
  const ids = page.map((r) => r.id);
  if (ids.length === 0) return { items: [], nextAfter: null };
  const exclusions = await ctx.db
    .selectFrom("exemption_exclusions as x")
    .leftJoin("accounts as a", "a.id", "x.actor_id")
    .select(["x.enterprise_id", "x.reason", "x.at", "a.display_name"])
    .where("x.measure_id", "=", measureId)
    .where("x.enterprise_id", "in", ids)
    .execute();
  const apps = await ctx.db
    .selectFrom("applications")
    .select(["id", "number", "status", "channel", "enterprise_id", "version", "granted_fen"])
    .where("measure_id", "=", measureId)
    .where("enterprise_id", "in", ids)
    .where("status", "in", OPEN_OR_DONE_STATUSES)
    .execute();
  const loaded = await loadForExemption(ctx.db, ids);
  const today = localDate(ctx.now());
  const measures = await publishedMeasureIds(ctx);
  const items: ListedRow[] = [];
  for (const r of page) {
    const l = loaded.get(r.id);
    if (!l) continue;
    const j = judge(ctx, m, l, today, measures);
    const x = exclusions.find((e) => e.enterprise_id === r.id);
    const a = apps.find((e) => e.enterprise_id === r.id);
    const state: ListedRow["state"] = a
      ? a.channel === "exemption"
        ? "granted"
        : "applied"
      : x
        ? "excluded"
        : j.refusal
          ? "refused"
          : "confirmable";
    const amount = j.result?.amount ?? null;
    items.push({
      enterpriseId: r.id,
      enterpriseName: r.name,
      uscc: r.uscc,
      state,
      stateLabel: STATE_LABELS[state],
      amountFen: a?.channel === "exemption" && a.granted_fen !== null ? Number(a.granted_fen) : j.amountFen,
      amountMin: amount?.min ?? null,
      amountMax: amount?.max ?? null,
      reason:
        state === "applied"
          ? `企业已自行申报（${a?.number ?? ""}），按申报办理`
          : state === "excluded"
            ? `已排除：${x?.reason ?? ""}`
            : j.refusal,
      exclusion: x
        ? { reason: x.reason, at: new Date(x.at).toISOString(), byName: x.display_name ?? null }
        : null,
      application: a
        ? {
            id: a.id,
            number: a.number,
            status: a.status,
            statusLabel: STATUS_LABELS[a.status as Status] ?? a.status,
            channel: a.channel,
            version: Number(a.version),
          }
        : null,
      evidence: j.evidence,
      listedAsOf: r.as_of,
    });
  }
  // Staff reads of enterprise data leave their audit row, one per enterprise shown.
  await ctx.db.transaction().execute(async (trx) => {
    for (const id of ids)
      await appendAudit(trx, actor, {
        action: "enterprise.read",
        entity: "enterprise",
        entityId: id,
        after: { view: "exemption", measureId },
      });
  });
  return { items, nextAfter: more ? (page.at(-1)?.id ?? null) : null };
}

/** One enterprise's judgement with the engine's explanation (the evidence panel). */
export async function detailFor(ctx: AppContext, actor: Actor, measureId: string, enterpriseId: string) {
  authorize(actor, "exemption.list");
  const m = await measureForOfficer(ctx, actor, measureId);
  const loaded = (await loadForExemption(ctx.db, [enterpriseId])).get(enterpriseId);
  if (!loaded || loaded.enterprise.region_code !== actor.regionCode) throw notFound("企业");
  const j = judge(ctx, m, loaded, localDate(ctx.now()), await publishedMeasureIds(ctx), true);
  await ctx.db.transaction().execute((trx) =>
    appendAudit(trx, actor, {
      action: "enterprise.read",
      entity: "enterprise",
      entityId: enterpriseId,
      after: { view: "exemption.detail", measureId },
    }),
  );
  return {
    enterpriseId,
    enterpriseName: loaded.enterprise.name,
    asOf: j.asOf,
    rulesVersion: j.rulesVersion,
    outcome: j.result?.outcome ?? "ineligible",
    amountFen: j.amountFen,
    reason: j.refusal,
    evidence: j.evidence,
    explanation: j.explanation ?? null,
  };
}

export interface ConfirmResult {
  enterpriseId: string;
  enterpriseName: string;
  /** granted: created now; already: an earlier confirmation's grant (nothing written); refused: see reason. */
  result: "granted" | "already" | "refused";
  applicationId: string | null;
  number: string | null;
  amountFen: number | null;
  reason: string | null;
}

function evidenceWords(evidence: Evidence[]): string {
  const parts = evidence
    .filter((e) => e.source !== "derived")
    .slice(0, 6)
    .map((e) => {
      const where =
        e.source === "import" && e.importFile
          ? `${e.sourceLabel}：${e.importFile}${e.importRow ? ` 第 ${e.importRow} 行` : ""}`
          : e.sourceLabel;
      return `${e.label}（${where}）`;
    });
  return parts.length ? parts.join("；") : "企业登记信息";
}

/** The account the enterprise gave on its latest application, to prefill (it still confirms it). */
async function lastAccount(
  trx: Transaction<Database>,
  enterpriseId: string,
): Promise<Record<string, string> | null> {
  const rows = await trx
    .selectFrom("applications")
    .select(["form"])
    .where("enterprise_id", "=", enterpriseId)
    .orderBy("updated_at", "desc")
    .limit(20)
    .execute();
  for (const r of rows) {
    const a = (r.form as { applicant?: Record<string, unknown> | null }).applicant;
    if (a && typeof a.bankAccount === "string" && a.bankAccount.trim() && typeof a.bankName === "string")
      return {
        contactName: String(a.contactName ?? ""),
        contactPhone: String(a.contactPhone ?? ""),
        bankName: a.bankName,
        bankAccount: a.bankAccount,
      };
  }
  return null;
}

/**
 * Confirms the given enterprises (each with the amount in 分 the officer saw) into approved grants. Each row
 * is decided in its own transaction and reported; a refusal never stops the others.
 */
export async function confirmGrants(
  ctx: AppContext,
  actor: Actor,
  measureId: string,
  items: readonly { enterpriseId: string; amountFen: number }[],
): Promise<ConfirmResult[]> {
  authorize(actor, "exemption.confirm");
  const m = await measureForOfficer(ctx, actor, measureId);
  const today = localDate(ctx.now());
  if (!ctx.engine.isInForce(m, today))
    throw invalid("measureId", `该措施不在执行期限内（${m.validFrom} 至 ${m.validUntil ?? "新政策替代"}）`);
  const measures = await publishedMeasureIds(ctx);
  if (!measures.includes(measureId)) throw invalid("measureId", "该措施已由政策管理员撤下");
  const out: ConfirmResult[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.enterpriseId)) continue;
    seen.add(item.enterpriseId);
    out.push(await confirmOne(ctx, actor, m, item, today, measures));
  }
  return out;
}

async function confirmOne(
  ctx: AppContext,
  actor: Actor,
  m: CompiledMeasure,
  item: { enterpriseId: string; amountFen: number },
  today: string,
  measures: string[],
): Promise<ConfirmResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const base = { enterpriseId: item.enterpriseId, applicationId: null, number: null, amountFen: null };
    const e = await trx
      .selectFrom("enterprises")
      .select(["id", "name", "region_code"])
      .where("id", "=", item.enterpriseId)
      .forUpdate()
      .executeTakeFirst();
    if (!e || e.region_code !== actor.regionCode)
      return { ...base, enterpriseName: "", result: "refused", reason: "不是本区县的企业" } as ConfirmResult;
    const refuse = (reason: string): ConfirmResult => ({
      ...base,
      enterpriseName: e.name,
      result: "refused",
      reason,
    });
    const existing = await trx
      .selectFrom("applications")
      .select(["id", "number", "channel", "granted_fen"])
      .where("enterprise_id", "=", e.id)
      .where("measure_id", "=", m.def.id)
      .where("status", "in", OPEN_OR_DONE_STATUSES)
      .executeTakeFirst();
    if (existing?.channel === "exemption")
      return {
        enterpriseId: e.id,
        enterpriseName: e.name,
        result: "already",
        applicationId: existing.id,
        number: existing.number,
        amountFen: existing.granted_fen === null ? null : Number(existing.granted_fen),
        reason: `此前已确认（${existing.number}），未重复生成`,
      };
    if (existing) return refuse(`企业已有该措施的申报（${existing.number}），按申报办理，不重复兑现`);
    const excluded = await trx
      .selectFrom("exemption_exclusions")
      .select("reason")
      .where("measure_id", "=", m.def.id)
      .where("enterprise_id", "=", e.id)
      .executeTakeFirst();
    if (excluded) return refuse(`已排除（${excluded.reason}），不能确认`);
    const loaded = (await loadForExemption(trx, [e.id])).get(e.id);
    if (!loaded) return refuse("企业不存在");
    const j = judge(ctx, m, loaded, today, measures);
    if (j.refusal || j.amountFen === null) return refuse(j.refusal ?? "金额未能确定");
    const amount = j.amountFen;
    if (amount !== item.amountFen)
      return refuse(
        `按当前数据金额为 ${yuanText(amount)}，与名单上的 ${yuanText(item.amountFen)} 不同，请刷新后重新确认`,
      );
    const budget = await trx
      .selectFrom("measure_budgets")
      .select("budget_fen")
      .where("measure_id", "=", m.def.id)
      .forUpdate()
      .executeTakeFirst();
    if (budget) {
      const used = await trx
        .selectFrom("applications")
        .select(sql<string>`coalesce(sum(granted_fen), 0)::text`.as("used"))
        .where("measure_id", "=", m.def.id)
        .where("status", "in", GRANTED_STATUSES)
        .executeTakeFirstOrThrow();
      const remaining = BigInt(budget.budget_fen) - BigInt(used.used);
      if (BigInt(amount) > remaining)
        return refuse(`预算剩余 ${yuanText(Number(remaining))}，不足以兑现 ${yuanText(amount)}`);
    }
    const id = randomUUID();
    const now = ctx.now();
    const evidence = evidenceWords(j.evidence);
    const reason =
      `免申即享：${actor.displayName}依据部门数据确认，核定 ${yuanText(amount)}。依据：${evidence}`.slice(
        0,
        1000,
      );
    const steps: ReviewStep[] = [
      {
        name: EXEMPTION_STEP,
        role: "officer",
        department: m.def.leadDepartment,
        status: "passed",
        reason,
        actorId: actor.id,
        decidedAt: now.toISOString(),
      },
    ];
    const r = j.result;
    const { number } = await trx
      .insertInto("applications")
      .values({
        id,
        enterprise_id: e.id,
        measure_id: m.def.id,
        rules_version: ctx.engine.version,
        status: "approved",
        current_step: 0,
        steps: JSON.stringify(steps),
        form: JSON.stringify({
          assessment: {
            asOf: today,
            rulesVersion: ctx.engine.version,
            outcome: r?.outcome ?? "eligible",
            reason: r?.reason ?? null,
            amount: r?.amount ?? null,
            missing: [],
            facts: Object.fromEntries(
              j.evidence.map((f) => [f.key, { label: f.label, value: f.value, unit: f.unit }]),
            ),
          },
          applicant: await lastAccount(trx, e.id),
          statement: "",
          exemption: {
            confirmedBy: actor.id,
            confirmedByName: actor.displayName,
            confirmedAt: now.toISOString(),
            evidence: j.evidence,
            stacking: r?.stacking ?? [],
            accountConfirmedAt: null,
          },
        }),
        max_fen: amount,
        granted_fen: amount,
        notice_until: null,
        channel: "exemption",
        created_at: now,
        updated_at: now,
      })
      .returning("number")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("application_history")
      .values({
        application_id: id,
        from_status: null,
        to_status: "approved",
        actor_id: actor.id,
        reason,
        at: now,
      })
      .execute();
    await appendAudit(trx, actor, {
      action: "application.exemption.confirm",
      entity: "application",
      entityId: id,
      after: {
        number,
        measureId: m.def.id,
        enterpriseId: e.id,
        status: "approved",
        grantedFen: amount,
        channel: "exemption",
        evidence: j.evidence.map((f) => ({
          key: f.key,
          source: f.source,
          file: f.importFile,
          row: f.importRow,
        })),
      },
    });
    await enqueue(trx, "exemption.granted", { applicationId: id }, `exemption.granted:${id}`);
    return {
      enterpriseId: e.id,
      enterpriseName: e.name,
      result: "granted",
      applicationId: id,
      number,
      amountFen: amount,
      reason: null,
    } satisfies ConfirmResult;
  });
}

/** Excludes enterprises from the measure's list with a reason (an existing exclusion's reason is replaced). */
type Selected<R extends string> = { enterpriseId: string; result: R | "refused"; reason: string | null };

/**
 * Runs `work` for each selected enterprise in its own transaction, the enterprise row locked; one of another
 * district is refused without running it. A refusal never stops the others.
 */
async function eachOwnEnterprise<R extends string>(
  ctx: AppContext,
  actor: Actor,
  enterpriseIds: readonly string[],
  work: (trx: Transaction<Database>, enterpriseId: string) => Promise<Selected<R>>,
): Promise<Selected<R>[]> {
  const out: Selected<R>[] = [];
  for (const enterpriseId of new Set(enterpriseIds))
    out.push(
      await ctx.db.transaction().execute(async (trx) => {
        const e = await trx
          .selectFrom("enterprises")
          .select(["id", "region_code"])
          .where("id", "=", enterpriseId)
          .forUpdate()
          .executeTakeFirst();
        if (!e || e.region_code !== actor.regionCode)
          return { enterpriseId, result: "refused" as const, reason: "不是本区县的企业" };
        return work(trx, enterpriseId);
      }),
    );
  return out;
}

/** Excludes enterprises from the measure's list with a reason (an existing exclusion's reason is replaced). */
export async function excludeEnterprises(
  ctx: AppContext,
  actor: Actor,
  measureId: string,
  enterpriseIds: readonly string[],
  reason: string,
): Promise<Selected<"excluded">[]> {
  authorize(actor, "exemption.confirm");
  await measureForOfficer(ctx, actor, measureId);
  return eachOwnEnterprise<"excluded">(ctx, actor, enterpriseIds, async (trx, enterpriseId) => {
    const granted = await trx
      .selectFrom("applications")
      .select("number")
      .where("enterprise_id", "=", enterpriseId)
      .where("measure_id", "=", measureId)
      .where("channel", "=", "exemption")
      .where("status", "in", OPEN_OR_DONE_STATUSES)
      .executeTakeFirst();
    if (granted)
      return { enterpriseId, result: "refused", reason: `已生成兑现（${granted.number}），不能排除` };
    await trx
      .insertInto("exemption_exclusions")
      .values({
        measure_id: measureId,
        enterprise_id: enterpriseId,
        reason,
        actor_id: actor.id,
        at: ctx.now(),
      })
      .onConflict((oc) =>
        oc
          .columns(["measure_id", "enterprise_id"])
          .doUpdateSet({ reason, actor_id: actor.id, at: ctx.now() }),
      )
      .execute();
    await appendAudit(trx, actor, {
      action: "exemption.exclude",
      entity: "enterprise",
      entityId: enterpriseId,
      after: { measureId, reason },
    });
    return { enterpriseId, result: "excluded", reason: null };
  });
}

/**
 * Puts excluded enterprises back on the measure's list (an exclusion made by mistake, or whose reason no longer
 * holds): the exclusion row is removed and the audit entry keeps its former reason and who made it.
 * Enterprises of another district, or not excluded, are reported as refused.
 */
export async function restoreEnterprises(
  ctx: AppContext,
  actor: Actor,
  measureId: string,
  enterpriseIds: readonly string[],
  reason: string,
): Promise<Selected<"restored">[]> {
  authorize(actor, "exemption.confirm");
  await measureForOfficer(ctx, actor, measureId);
  return eachOwnEnterprise<"restored">(ctx, actor, enterpriseIds, async (trx, enterpriseId) => {
    const removed = await trx
      .deleteFrom("exemption_exclusions")
      .where("measure_id", "=", measureId)
      .where("enterprise_id", "=", enterpriseId)
      .returning(["reason", "actor_id", "at"])
      .executeTakeFirst();
    if (!removed) return { enterpriseId, result: "refused", reason: "该企业未被排除" };
    await appendAudit(trx, actor, {
      action: "exemption.restore",
      entity: "enterprise",
      entityId: enterpriseId,
      before: { measureId, reason: removed.reason, by: removed.actor_id, at: removed.at },
      after: { measureId, reason },
    });
    return { enterpriseId, result: "restored", reason: null };
  });
}

/** Flagged measures this officer confirms (its department leads them and they apply in its district). */
export async function measuresForOfficer(ctx: AppContext, actor: Actor) {
  authorize(actor, "exemption.list");
  const flagged = await flaggedMeasureIds(ctx);
  const region = actor.regionCode ?? "";
  const mine = ctx.engine.measures.filter(
    (m) =>
      flagged.has(m.def.id) && m.def.leadDepartment === actor.department && region.startsWith(m.regionPrefix),
  );
  const out = [];
  for (const m of mine) {
    const counts = await ctx.db
      .selectFrom("applications as a")
      .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
      .select([
        sql<string>`count(*)::text`.as("n"),
        sql<string>`coalesce(sum(a.granted_fen), 0)::text`.as("fen"),
      ])
      .where("a.measure_id", "=", m.def.id)
      .where("a.channel", "=", "exemption")
      .where("a.status", "in", GRANTED_STATUSES)
      .where("e.region_code", "=", region)
      .executeTakeFirstOrThrow();
    const listed = await ctx.db
      .selectFrom("match_lists as l")
      .innerJoin("enterprises as e", "e.id", "l.enterprise_id")
      .select(sql<string>`count(*)::text`.as("n"))
      .where("l.measure_id", "=", m.def.id)
      .where("e.region_code", "=", region)
      .where((eb) =>
        eb.or([
          eb("l.outcome", "=", "eligible"),
          eb.and([
            eb("l.outcome", "=", "undetermined"),
            eb(sql`l.missing`, "=", sql`'["awardsReceived"]'::jsonb`),
          ]),
        ]),
      )
      .executeTakeFirstOrThrow();
    out.push({
      measureId: m.def.id,
      title: m.def.title,
      docNumber: m.doc.docNumber,
      leadDepartment: m.def.leadDepartment,
      leadDepartmentName: departmentName(m.def.leadDepartment) || m.def.leadDepartment,
      inForce: ctx.engine.isInForce(m, localDate(ctx.now())),
      listed: Number(listed.n),
      granted: Number(counts.n),
      grantedFen: Number(counts.fen),
    });
  }
  return out;
}

/**
 * The enterprise confirms (or corrects) the 收款账户 of a 免申即享 grant; until then finance cannot issue it.
 * Possible until the payment has been issued (and again after a failed payment).
 */
export async function confirmAccount(
  ctx: AppContext,
  actor: Actor,
  applicationId: string,
  input: { contactName: string; contactPhone: string; bankName: string; bankAccount: string },
) {
  authorize(actor, "exemption.account");
  await ctx.db.transaction().execute(async (trx) => {
    const a = await trx
      .selectFrom("applications")
      .select(["id", "enterprise_id", "status", "channel", "form", "version", "number"])
      .where("id", "=", applicationId)
      .forUpdate()
      .executeTakeFirst();
    if (!a || a.enterprise_id !== actor.enterpriseId) throw notFound("申报");
    if (a.channel !== "exemption") throw invalid("id", "只有免申即享的兑现需要在这里确认收款账户");
    if (!["approved", "publicNotice", "disbursementFailed"].includes(a.status))
      throw new AppError(
        "INVALID_STATE",
        `当前状态为「${STATUS_LABELS[a.status as Status] ?? a.status}」，不能修改收款账户`,
        [{ field: "status", message: "已发起兑付或已办结" }],
      );
    const form = a.form as Record<string, unknown>;
    const exemption = { ...((form.exemption as Record<string, unknown> | undefined) ?? {}) };
    exemption.accountConfirmedAt = ctx.now().toISOString();
    await trx
      .updateTable("applications")
      .set({
        form: JSON.stringify({ ...form, applicant: input, exemption }),
        version: Number(a.version) + 1,
        updated_at: ctx.now(),
      })
      .where("id", "=", a.id)
      .execute();
    await appendAudit(trx, actor, {
      action: "application.exemption.account",
      entity: "application",
      entityId: a.id,
      after: { number: a.number, accountConfirmed: true },
    });
  });
}

/** Has the enterprise confirmed the account of this 免申即享 grant? (Other applications: always true.) */
export function accountConfirmed(form: Record<string, unknown>): boolean {
  const ex = form.exemption as { accountConfirmedAt?: string | null } | undefined;
  return !ex || Boolean(ex.accountConfirmedAt);
}

/**
 * 白名单 lists (市经信委 20: 动态调整“白名单”企业清单; 武隆 16: 落实“白名单”制度). A list has a name, a kind, an
 * area (a district, or 500000 for the whole city) and validity dates; coordinators keep their district's lists,
 * policy admins keep city-wide ones (and may keep any). Members are added by credit code, one by one or from a
 * .csv/.xlsx file (imports/table.ts reads it).
 *
 * Membership is a fact the engine reads: the vocabulary's `whitelist` (a list of names, the names measure
 * cq-jxw-2022-6/20 tests). After every change the affected enterprises' `whitelist` fact is rewritten from the
 * lists in force today that hold them, stored as source 'import' with the provenance "白名单：<list names>", so
 * matching, batch lists and the profile see it without special code, and the enterprise cannot overwrite it.
 * A value a department verified is never replaced; a value the enterprise declared itself is replaced once a
 * list holds it (precedence verified > import > self). Validity is judged on the day of the rewrite: the fact of
 * an enterprise is rewritten again when a list holding it changes, when the enterprise opens its lists, when
 * an admin opens the lists page, and in the worker's daily pass (sweepWhitelistValidity), so a list that has
 * expired stops counting on the day after its last day. A rewrite that changes the fact bumps the
 * enterprise's version and queues profile.changed, like a profile edit (match cache, lists, digest).
 *
 * Logs never carry credit codes: problems name the file row, and are returned to the admin only.
 */
import { randomUUID } from "node:crypto";
import { usccProblem } from "@huiqi/engine";
import type { Kysely, Transaction } from "kysely";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import type { Database } from "../db/schema.ts";
import { forbidden, invalid, notFound } from "../errors.ts";
import { normalizeHeader, readTable, TableError } from "../imports/table.ts";
import { enqueue } from "../notifications/outbox.ts";
import { authorize } from "../permissions.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** The whole city: lists kept by the policy office apply in every district. */
export const CITY = "500000";

/** Kinds of list; the label is the name the `whitelist` fact carries (cq-jxw-2022-6/20 reads the first four). */
export const WHITELIST_KINDS = {
  cityOperation: "城市运行保障企业",
  supplyChainKey: "产业链供应链重点企业",
  epidemicSupplies: "防疫物资生产企业",
  continuousProduction: "连续生产企业",
  srdiFinancing: "“专精特新”企业融资支持白名单",
} as const;
export type WhitelistKind = keyof typeof WHITELIST_KINDS;
export const WHITELIST_KIND_IDS = Object.keys(WHITELIST_KINDS) as [WhitelistKind, ...WhitelistKind[]];

/** The measures the lists implement, quoted exactly. */
export const WHITELIST_BASIS = [
  {
    measureId: "cq-jxw-2022-6/20",
    docNumber: "渝经信规范〔2022〕6号",
    ordinal: 20,
    quote:
      "落实“白名单”制度。动态调整城市运行保障企业、产业链供应链重点企业、防疫物资生产企业、连续生产企业等“白名单”企业清单，细化实化服务措施。",
  },
  {
    measureId: "wulong-2022-48/16",
    docNumber: "武隆府办发〔2022〕48号",
    ordinal: 16,
    quote:
      "加大“专精特新”企业中长期融资支持力度，落实“白名单”制度，鼓励金融机构为符合条件的“专精特新”企业技术改造和转型升级提供金融支持。",
  },
] as const;

export type ListStatus = "active" | "pending" | "expired";
export const STATUS_LABELS: Record<ListStatus, string> = {
  active: "有效",
  pending: "尚未生效",
  expired: "已过期",
};

export function listStatus(l: { valid_from: string; valid_until: string | null }, today: string): ListStatus {
  if (today < l.valid_from) return "pending";
  if (l.valid_until !== null && today > l.valid_until) return "expired";
  return "active";
}

/** The fact provenance that marks a `whitelist` value as written here. */
const PROVENANCE = "白名单：";

function regionLabel(ctx: AppContext, code: string): string {
  if (code === CITY) return "全市";
  return ctx.engine.facts.get("regionCode")?.values?.find((v) => v.value === code)?.label ?? code;
}

/** Who sees a list: its district's staff, everyone for city-wide ones, policy admins all. */
function canSee(actor: Actor, regionCode: string): boolean {
  if (actor.role === "policyAdmin") return true;
  return regionCode === CITY || regionCode === actor.regionCode;
}

/** Who keeps a list: policy admins any, coordinators their district's. */
function canManage(actor: Actor, regionCode: string): boolean {
  if (actor.role === "policyAdmin") return true;
  return actor.role === "coordinator" && actor.regionCode !== null && regionCode === actor.regionCode;
}

/** May this actor add this enterprise to a list: a coordinator only enterprises of the district. */
function canEnrol(actor: Actor, enterpriseRegion: string): boolean {
  return actor.role === "policyAdmin" || enterpriseRegion === actor.regionCode;
}

/**
 * A fact of the enterprise changed here: bump its version (the matching cache checks it) and queue
 * profile.changed (its match lists and digest), as a profile edit does.
 */
async function factChanged(trx: Transaction<Database>, enterpriseId: string, now: Date): Promise<void> {
  const bumped = await trx
    .updateTable("enterprises")
    .set((eb) => ({ version: eb("version", "+", 1), updated_at: now }))
    .where("id", "=", enterpriseId)
    .returning("version")
    .executeTakeFirst();
  if (bumped) await enqueue(trx, "profile.changed", { enterpriseId, version: bumped.version });
}

/** Rewrites the enterprise's `whitelist` fact from the lists in force on `today` that hold it. */
export async function syncWhitelistFact(
  trx: Transaction<Database>,
  enterpriseId: string,
  today: string,
  now: Date,
): Promise<void> {
  const rows = await trx
    .selectFrom("whitelist_members as m")
    .innerJoin("whitelists as w", "w.id", "m.whitelist_id")
    .select(["w.name", "w.kind", "w.valid_from", "w.valid_until"])
    .where("m.enterprise_id", "=", enterpriseId)
    .execute();
  const active = rows.filter((r) => listStatus(r, today) === "active");
  const names = [...new Set(active.map((r) => WHITELIST_KINDS[r.kind as WhitelistKind] ?? r.kind))].sort();
  const current = await trx
    .selectFrom("enterprise_facts")
    .select(["source", "value", "import_file"])
    .where("enterprise_id", "=", enterpriseId)
    .where("fact_id", "=", "whitelist")
    .where("period", "=", "")
    .executeTakeFirst();
  if (current?.source === "verified") return;
  const ours = current?.source === "import" && (current.import_file ?? "").startsWith(PROVENANCE);
  if (names.length === 0) {
    if (ours) {
      await trx
        .deleteFrom("enterprise_facts")
        .where("enterprise_id", "=", enterpriseId)
        .where("fact_id", "=", "whitelist")
        .where("period", "=", "")
        .execute();
      await factChanged(trx, enterpriseId, now);
    }
    return;
  }
  const file = `${PROVENANCE}${[...new Set(active.map((r) => r.name))].sort().join("、")}`.slice(0, 500);
  if (ours && JSON.stringify(current?.value) === JSON.stringify(names) && current?.import_file === file)
    return;
  const values = {
    value: JSON.stringify(names),
    source: "import" as const,
    verified_by: null,
    updated_at: now,
    import_id: null,
    import_file: file,
    import_row: null,
  };
  await trx
    .insertInto("enterprise_facts")
    .values({ enterprise_id: enterpriseId, fact_id: "whitelist", period: "", ...values })
    .onConflict((oc) => oc.columns(["enterprise_id", "fact_id", "period"]).doUpdateSet(values))
    .execute();
  await factChanged(trx, enterpriseId, now);
}

async function syncMembers(
  trx: Transaction<Database>,
  whitelistId: string,
  today: string,
  now: Date,
): Promise<void> {
  const members = await trx
    .selectFrom("whitelist_members")
    .select("enterprise_id")
    .where("whitelist_id", "=", whitelistId)
    .execute();
  for (const m of members) await syncWhitelistFact(trx, m.enterprise_id, today, now);
}

export interface WhitelistInput {
  name: string;
  kind: WhitelistKind;
  regionCode?: string | undefined;
  validFrom: string;
  validUntil?: string | null | undefined;
  basis?: string | null | undefined;
}

function checkDates(validFrom: string, validUntil: string | null | undefined): void {
  if (validUntil && validUntil < validFrom) throw invalid("validUntil", "有效期截止日不能早于起始日");
}

export interface WhitelistView {
  id: string;
  name: string;
  kind: WhitelistKind;
  kindLabel: string;
  regionCode: string;
  regionName: string;
  validFrom: string;
  validUntil: string | null;
  status: ListStatus;
  statusLabel: string;
  basis: string | null;
  members: number;
  canManage: boolean;
}

interface ListRow {
  id: string;
  name: string;
  kind: string;
  region_code: string;
  valid_from: string;
  valid_until: string | null;
  basis: string | null;
}

function view(ctx: AppContext, actor: Actor, w: ListRow, members: number): WhitelistView {
  const status = listStatus(w, localDate(ctx.now()));
  return {
    id: w.id,
    name: w.name,
    kind: w.kind as WhitelistKind,
    kindLabel: WHITELIST_KINDS[w.kind as WhitelistKind] ?? "其他",
    regionCode: w.region_code,
    regionName: regionLabel(ctx, w.region_code),
    validFrom: w.valid_from,
    validUntil: w.valid_until,
    status,
    statusLabel: STATUS_LABELS[status],
    basis: w.basis,
    members,
    canManage: canManage(actor, w.region_code),
  };
}

/** Lists whose members' facts may be stale on `today`: not in force, or coming into force today. */
function mayBeStale(rows: readonly ListRow[], today: string): ListRow[] {
  return rows.filter((r) => listStatus(r, today) !== "active" || r.valid_from === today);
}

const swept = new WeakMap<object, string>();

/**
 * The worker's daily pass (notifications/jobs.ts): once per Chongqing day per process, rewrites the facts of the
 * members of lists that expired or came into force, so a list stops (or starts) counting on its date, not when
 * someone next opens a page. Idempotent: a fact already right is not written again.
 */
export async function sweepWhitelistValidity(ctx: AppContext): Promise<void> {
  const today = localDate(ctx.now());
  if (swept.get(ctx.db) === today) return;
  const rows = mayBeStale(await ctx.db.selectFrom("whitelists").selectAll().execute(), today);
  if (rows.length)
    await ctx.db.transaction().execute(async (trx) => {
      for (const r of rows) await syncMembers(trx, r.id, today, ctx.now());
    });
  swept.set(ctx.db, today);
}

/** The lists the actor sees, newest first, with member counts; rewrites members' facts of lists whose status changed. */
export async function listWhitelists(ctx: AppContext, actor: Actor): Promise<WhitelistView[]> {
  authorize(actor, "whitelist.read");
  let q = ctx.db.selectFrom("whitelists").selectAll();
  if (actor.role !== "policyAdmin") q = q.where("region_code", "in", [CITY, actor.regionCode ?? "-"]);
  const rows = await q.orderBy("created_at", "desc").orderBy("id").execute();
  const counts = await ctx.db
    .selectFrom("whitelist_members")
    .select(["whitelist_id", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("whitelist_id")
    .execute();
  const byList = new Map(counts.map((c) => [c.whitelist_id, Number(c.n)]));
  // A list that has expired (or come into force) since its members' facts were written counts from now on.
  const today = localDate(ctx.now());
  const stale = mayBeStale(rows, today);
  if (stale.length)
    await ctx.db.transaction().execute(async (trx) => {
      for (const r of stale) await syncMembers(trx, r.id, today, ctx.now());
    });
  return rows.map((r) => view(ctx, actor, r, byList.get(r.id) ?? 0));
}

async function loadList(db: Db, actor: Actor, id: string) {
  const row = await db.selectFrom("whitelists").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row || !canSee(actor, row.region_code)) throw notFound("白名单");
  return row;
}

export async function createWhitelist(
  ctx: AppContext,
  actor: Actor,
  input: WhitelistInput,
): Promise<WhitelistView> {
  authorize(actor, "whitelist.manage");
  const regionCode = input.regionCode ?? (actor.role === "policyAdmin" ? CITY : (actor.regionCode ?? ""));
  if (!canManage(actor, regionCode)) throw forbidden("区发展改革委只能建立本区县的白名单");
  if (regionCode !== CITY && !ctx.engine.facts.get("regionCode")?.values?.some((v) => v.value === regionCode))
    throw invalid("regionCode", "不是重庆市的区县代码");
  checkDates(input.validFrom, input.validUntil);
  const id = randomUUID();
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("whitelists")
      .values({
        id,
        name: input.name,
        kind: input.kind,
        region_code: regionCode,
        valid_from: input.validFrom,
        valid_until: input.validUntil ?? null,
        basis: input.basis ?? null,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await appendAudit(trx, actor, {
      action: "whitelist.create",
      entity: "whitelist",
      entityId: id,
      after: {
        name: input.name,
        kind: input.kind,
        regionCode,
        validFrom: input.validFrom,
        validUntil: input.validUntil ?? null,
      },
    });
  });
  return (await getWhitelist(ctx, actor, id)).list;
}

export async function updateWhitelist(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: Omit<WhitelistInput, "regionCode">,
): Promise<WhitelistView> {
  authorize(actor, "whitelist.manage");
  checkDates(input.validFrom, input.validUntil);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadList(trx, actor, id);
    if (!canManage(actor, before.region_code)) throw forbidden("只能修改本区县的白名单");
    await trx
      .updateTable("whitelists")
      .set({
        name: input.name,
        kind: input.kind,
        valid_from: input.validFrom,
        valid_until: input.validUntil ?? null,
        basis: input.basis ?? null,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    await appendAudit(trx, actor, {
      action: "whitelist.update",
      entity: "whitelist",
      entityId: id,
      before: {
        name: before.name,
        kind: before.kind,
        validFrom: before.valid_from,
        validUntil: before.valid_until,
      },
      after: {
        name: input.name,
        kind: input.kind,
        validFrom: input.validFrom,
        validUntil: input.validUntil ?? null,
      },
    });
    await syncMembers(trx, id, localDate(now), now);
  });
  return (await getWhitelist(ctx, actor, id)).list;
}

export interface MemberView {
  enterpriseId: string;
  name: string;
  uscc: string;
  regionName: string;
  addedAt: string;
  sourceFile: string | null;
  sourceRow: number | null;
}

/** One list with its members (a coordinator sees the district's members of a city-wide list). */
export async function getWhitelist(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ list: WhitelistView; members: MemberView[] }> {
  authorize(actor, "whitelist.read");
  const row = await loadList(ctx.db, actor, id);
  let q = ctx.db
    .selectFrom("whitelist_members as m")
    .innerJoin("enterprises as e", "e.id", "m.enterprise_id")
    .select(["e.id", "e.name", "e.uscc", "e.region_code", "m.added_at", "m.source_file", "m.source_row"])
    .where("m.whitelist_id", "=", id);
  if (actor.role !== "policyAdmin") q = q.where("e.region_code", "=", actor.regionCode ?? "-");
  const members = await q.orderBy("e.name").orderBy("e.id").execute();
  const total = await ctx.db
    .selectFrom("whitelist_members")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("whitelist_id", "=", id)
    .executeTakeFirstOrThrow();
  return {
    list: view(ctx, actor, row, Number(total.n)),
    members: members.map((m) => ({
      enterpriseId: m.id,
      name: m.name,
      uscc: m.uscc,
      regionName: regionLabel(ctx, m.region_code),
      addedAt: new Date(m.added_at).toISOString(),
      sourceFile: m.source_file,
      sourceRow: m.source_row,
    })),
  };
}

export interface MemberProblem {
  row: number | null;
  uscc: string;
  reason: string;
}

export interface AddResult {
  added: number;
  already: number;
  problems: MemberProblem[];
  summary: string;
}

const MAX_PROBLEMS = 200;

/** Adds enterprises by credit code; each bad code is a problem with its reason (unknown, other district…). */
async function addByUscc(
  ctx: AppContext,
  actor: Actor,
  id: string,
  entries: { uscc: string; row: number | null }[],
  file: string | null,
): Promise<AddResult> {
  authorize(actor, "whitelist.manage");
  const now = ctx.now();
  const out: AddResult = { added: 0, already: 0, problems: [], summary: "" };
  const problem = (p: MemberProblem) => {
    if (out.problems.length < MAX_PROBLEMS) out.problems.push(p);
  };
  await ctx.db.transaction().execute(async (trx) => {
    const list = await loadList(trx, actor, id);
    if (!canManage(actor, list.region_code) && !(list.region_code === CITY && actor.role === "coordinator"))
      throw forbidden("只能维护本区县的白名单");
    const seen = new Set<string>();
    const touched: string[] = [];
    for (const { uscc: raw, row } of entries) {
      const uscc = raw.trim().toUpperCase();
      if (!uscc) continue;
      const bad = usccProblem(uscc);
      if (bad) {
        problem({ row, uscc, reason: bad });
        continue;
      }
      if (seen.has(uscc)) continue;
      seen.add(uscc);
      const e = await trx
        .selectFrom("enterprises")
        .select(["id", "region_code"])
        .where("uscc", "=", uscc)
        .executeTakeFirst();
      if (!e) {
        problem({ row, uscc, reason: "平台上没有这家企业（请先导入企业名录）" });
        continue;
      }
      if (!canEnrol(actor, e.region_code)) {
        problem({ row, uscc, reason: "不是本区县的企业" });
        continue;
      }
      if (list.region_code !== CITY && e.region_code !== list.region_code) {
        problem({ row, uscc, reason: `不是${regionLabel(ctx, list.region_code)}的企业` });
        continue;
      }
      const r = await trx
        .insertInto("whitelist_members")
        .values({
          whitelist_id: id,
          enterprise_id: e.id,
          added_by: actor.id,
          added_at: now,
          source_file: file,
          source_row: row,
        })
        .onConflict((oc) => oc.columns(["whitelist_id", "enterprise_id"]).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) {
        out.added++;
        touched.push(e.id);
      } else out.already++;
    }
    if (touched.length) {
      await appendAudit(trx, actor, {
        action: "whitelist.members.add",
        entity: "whitelist",
        entityId: id,
        after: { added: touched.length, file },
      });
      for (const enterpriseId of touched) await syncWhitelistFact(trx, enterpriseId, localDate(now), now);
    }
  });
  const bad = entries.length - out.added - out.already;
  out.summary = `加入 ${out.added} 家，已在名单中 ${out.already} 家${bad > 0 ? `，有问题 ${out.problems.length} 行` : ""}`;
  return out;
}

export function addMembers(ctx: AppContext, actor: Actor, id: string, usccs: string[]): Promise<AddResult> {
  return addByUscc(
    ctx,
    actor,
    id,
    usccs.map((uscc) => ({ uscc, row: null })),
    null,
  );
}

const USCC_HEADERS = ["统一社会信用代码", "社会信用代码", "信用代码"].map(normalizeHeader);

/** Adds the enterprises of a .csv/.xlsx file: one credit code per row, in a column named 统一社会信用代码. */
export async function importMembers(
  ctx: AppContext,
  actor: Actor,
  id: string,
  fileName: string,
  bytes: Uint8Array,
): Promise<AddResult> {
  authorize(actor, "whitelist.manage");
  await loadList(ctx.db, actor, id);
  const entries: { uscc: string; row: number | null }[] = [];
  try {
    let header: string | undefined;
    for await (const r of readTable(bytes, fileName)) {
      header ??= USCC_HEADERS.find((h) => r.cells.has(h));
      if (!header) throw invalid("file", "文件缺少“统一社会信用代码”列");
      entries.push({ uscc: r.cells.get(header) ?? "", row: r.row });
      if (entries.length > 50_000) throw invalid("file", "一次最多导入 50,000 行");
    }
  } catch (e) {
    if (e instanceof TableError) throw invalid("file", e.message);
    throw e;
  }
  if (entries.length === 0) throw invalid("file", "文件里没有企业（只有表头）");
  return addByUscc(ctx, actor, id, entries, fileName);
}

export async function removeMember(
  ctx: AppContext,
  actor: Actor,
  id: string,
  enterpriseId: string,
): Promise<void> {
  authorize(actor, "whitelist.manage");
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const list = await loadList(trx, actor, id);
    const e = await trx
      .selectFrom("enterprises")
      .select("region_code")
      .where("id", "=", enterpriseId)
      .executeTakeFirst();
    if (!e) throw notFound("企业");
    if (!canManage(actor, list.region_code) && !(list.region_code === CITY && actor.role === "coordinator"))
      throw forbidden("只能维护本区县的白名单");
    if (!canEnrol(actor, e.region_code)) throw forbidden("只能移出本区县的企业");
    const r = await trx
      .deleteFrom("whitelist_members")
      .where("whitelist_id", "=", id)
      .where("enterprise_id", "=", enterpriseId)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound("名单中的这家企业");
    await appendAudit(trx, actor, {
      action: "whitelist.members.remove",
      entity: "whitelist",
      entityId: id,
      before: { enterpriseId },
    });
    await syncWhitelistFact(trx, enterpriseId, localDate(now), now);
  });
}

export interface MyWhitelist {
  name: string;
  kindLabel: string;
  regionName: string;
  validFrom: string;
  validUntil: string | null;
  status: ListStatus;
  statusLabel: string;
  basis: string | null;
}

/** The lists the enterprise is on (in force first), and its fact rewritten for today. */
export async function myWhitelists(ctx: AppContext, actor: Actor): Promise<MyWhitelist[]> {
  authorize(actor, "whitelist.mine");
  if (!actor.enterpriseId) throw forbidden();
  const today = localDate(ctx.now());
  const enterpriseId = actor.enterpriseId;
  await ctx.db.transaction().execute((trx) => syncWhitelistFact(trx, enterpriseId, today, ctx.now()));
  const rows = await ctx.db
    .selectFrom("whitelist_members as m")
    .innerJoin("whitelists as w", "w.id", "m.whitelist_id")
    .select(["w.name", "w.kind", "w.region_code", "w.valid_from", "w.valid_until", "w.basis"])
    .where("m.enterprise_id", "=", enterpriseId)
    .orderBy("w.valid_from", "desc")
    .orderBy("w.name")
    .execute();
  const order: Record<ListStatus, number> = { active: 0, pending: 1, expired: 2 };
  return rows
    .map((r) => {
      const status = listStatus(r, today);
      return {
        name: r.name,
        kindLabel: WHITELIST_KINDS[r.kind as WhitelistKind] ?? "其他",
        regionName: regionLabel(ctx, r.region_code),
        validFrom: r.valid_from,
        validUntil: r.valid_until,
        status,
        statusLabel: STATUS_LABELS[status],
        basis: r.basis,
      };
    })
    .sort((a, b) => order[a.status] - order[b.status]);
}

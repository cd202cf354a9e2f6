/**
 * The enterprise updates its own facts: a partial profile, validated by the engine's profile validator;
 * `null` removes a fact (or one year of a per-year fact). One transaction: optimistic version check and
 * bump, facts saved as self-declared, audit with before/after, and a "profile.changed" job for targeted push.
 */
import { type Facts, makeProfileValidator, ProfileValidationError } from "@huiqi/engine";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { AppError, type FieldError } from "../errors.ts";
import { isCleanText, UNCLEAN_TEXT } from "../http/schemas.ts";
import { enqueue } from "../notifications/outbox.ts";
import type { EnterpriseRow } from "./access.ts";
import { importedValueConflicts, loadStoredFacts, saveFacts } from "./facts-store.ts";

/** Identity facts the enterprise may not change here: the USCC identifies it, the region decides who serves it. */
const NOT_UPDATABLE: Record<string, string> = Object.freeze({
  uscc: "统一社会信用代码是企业的身份标识，不能修改；如登记有误请联系所在区县经济信息委",
  regionCode: "所在区县决定受理部门，不能自行修改；迁址请联系所在区县经济信息委",
});

const validators = new WeakMap<object, (input: unknown) => Facts>();

/** The profile validator of the current vocabulary (built once per vocabulary; also used by the anonymous calculator). */
export function validatorFor(ctx: AppContext): (input: unknown) => Facts {
  const vocabulary = ctx.library.rules.vocabulary;
  let v = validators.get(vocabulary);
  if (!v) {
    v = makeProfileValidator(vocabulary);
    validators.set(vocabulary, v);
  }
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Bounds of one facts change, checked before the profile validator sees it. */
export const FACT_LIMITS = {
  /** Facts in one change. */
  keys: 200,
  /** Characters of a fact or field name. */
  keyChars: 64,
  /** Characters of a text fact or a text field of a list item. */
  textChars: 200,
  /** Items of a list fact (certifications, loans, projects…) or of a text list. */
  listItems: 200,
  /** Years of a per-year fact (2000—2099). */
  years: 100,
  /** Fields of one list item. */
  itemFields: 50,
} as const;

/**
 * Length and count limits on the values of a facts change: text length and no NUL / lone surrogate, list
 * items, per-year keys, fields of a list item; nothing nests deeper than fact → year or item → field → list.
 */
export function factLimitProblems(input: Record<string, unknown>): FieldError[] {
  const fields: FieldError[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (fields.length >= 20) return;
    if (typeof v === "string") {
      if (v.length > FACT_LIMITS.textChars)
        fields.push({ field: path, message: `最多 ${FACT_LIMITS.textChars} 个字符` });
      else if (!isCleanText(v)) fields.push({ field: path, message: UNCLEAN_TEXT });
      return;
    }
    if (v === null || typeof v !== "object") return;
    if (depth >= 4) {
      fields.push({ field: path, message: "嵌套过深：事实最多为 年度 → 值 或 列表 → 项 → 字段 → 文字列表" });
      return;
    }
    if (Array.isArray(v)) {
      if (v.length > FACT_LIMITS.listItems)
        fields.push({ field: path, message: `最多 ${FACT_LIMITS.listItems} 项` });
      else for (const [i, x] of v.entries()) walk(x, `${path}[${i}]`, depth + 1);
      return;
    }
    const keys = Object.keys(v);
    const max = depth === 1 ? FACT_LIMITS.years : FACT_LIMITS.itemFields;
    if (keys.length > max) {
      fields.push({ field: path, message: depth === 1 ? `最多 ${max} 个年度` : `最多 ${max} 个字段` });
      return;
    }
    for (const k of keys) {
      if (k.length > FACT_LIMITS.keyChars || !isCleanText(k)) {
        fields.push({ field: path, message: `键应为不超过 ${FACT_LIMITS.keyChars} 个字符的有效文字` });
        return;
      }
      walk((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1);
    }
  };
  for (const [key, value] of Object.entries(input)) walk(value, `facts.${key}`, 1);
  return fields;
}

export interface FactsChange {
  /** Facts to write (validated values, per-year facts only with the years given). */
  set: Record<string, unknown>;
  /** Facts (or fact years) to remove: value null. */
  remove: Record<string, unknown>;
  /** Identity columns of the enterprise row to change. */
  identity: { name?: string; industryCode?: string | null };
}

/** Splits the body into writes and removals and validates the writes; field paths are prefixed with "facts.". */
export function parseFactsChange(ctx: AppContext, input: Record<string, unknown>): FactsChange {
  const tooLarge = factLimitProblems(input);
  if (tooLarge.length > 0)
    throw new AppError("VALIDATION", tooLarge.map((f) => `${f.field}：${f.message}`).join("；"), tooLarge);
  const perYear = new Set(ctx.library.rules.vocabulary.facts.filter((f) => f.perYear).map((f) => f.id));
  const fields: FieldError[] = [];
  const values: Record<string, unknown> = {};
  const remove: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (Object.hasOwn(NOT_UPDATABLE, key)) {
      fields.push({ field: `facts.${key}`, message: NOT_UPDATABLE[key] as string });
      continue;
    }
    if (value === null) {
      if (key === "name") fields.push({ field: "facts.name", message: "企业名称不能删除" });
      else remove[key] = null;
      continue;
    }
    if (perYear.has(key) && isPlainObject(value)) {
      const years: Record<string, unknown> = {};
      const gone: Record<string, unknown> = {};
      for (const [y, v] of Object.entries(value)) (v === null ? gone : years)[y] = v;
      if (Object.keys(gone).length > 0) remove[key] = gone;
      if (Object.keys(years).length > 0 || Object.keys(gone).length === 0) values[key] = years;
      continue;
    }
    values[key] = value;
  }
  let validated: Facts = {};
  try {
    validated = validatorFor(ctx)(values);
  } catch (e) {
    if (!(e instanceof ProfileValidationError)) throw e;
    for (const i of e.issues)
      fields.push({ field: `facts.${i.field}`, message: i.label ? `${i.label}：${i.message}` : i.message });
  }
  // Year keys of removals are checked like the year keys of values.
  for (const [key, gone] of Object.entries(remove))
    if (isPlainObject(gone))
      for (const y of Object.keys(gone))
        if (!/^20\d{2}$/.test(y))
          fields.push({ field: `facts.${key}.${y}`, message: '年度键应为 2000—2099 的四位年份，如 "2021"' });
  for (const key of Object.keys(remove))
    if (!ctx.engine.facts.has(key))
      fields.push({ field: `facts.${key}`, message: "不认识的字段（请查看企业画像的字段表）" });
  if (fields.length > 0)
    throw new AppError("VALIDATION", fields.map((f) => `${f.field}：${f.message}`).join("；"), fields);
  const set: Record<string, unknown> = {};
  const identity: FactsChange["identity"] = {};
  for (const key of Object.keys(values)) {
    if (key === "name") identity.name = validated.name as string;
    else if (key === "industryCode") identity.industryCode = validated.industryCode as string;
    else set[key] = validated[key];
  }
  if ("industryCode" in remove) {
    identity.industryCode = null;
    delete remove.industryCode;
  }
  return { set, remove, identity };
}

type Snapshot = Record<string, unknown>;

function snapshot(rows: { factId: string; period: string; value: unknown }[], keys: Set<string>): Snapshot {
  const out: Snapshot = {};
  for (const r of rows) {
    if (!keys.has(r.factId)) continue;
    if (r.period) {
      const series = (out[r.factId] as Record<string, unknown> | undefined) ?? {};
      series[r.period] = r.value;
      out[r.factId] = series;
    } else out[r.factId] = r.value;
  }
  return out;
}

export async function updateFacts(
  ctx: AppContext,
  actor: Actor,
  enterprise: EnterpriseRow,
  expectedVersion: number,
  change: FactsChange,
): Promise<number> {
  const perYear = new Set(ctx.library.rules.vocabulary.facts.filter((f) => f.perYear).map((f) => f.id));
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const identity: { name?: string; industry_code?: string | null } = {};
    if (change.identity.name !== undefined) identity.name = change.identity.name;
    if (change.identity.industryCode !== undefined) identity.industry_code = change.identity.industryCode;
    const bumped = await trx
      .updateTable("enterprises")
      .set((eb) => ({ version: eb("version", "+", 1), updated_at: now, ...identity }))
      .where("id", "=", enterprise.id)
      .where("version", "=", expectedVersion)
      .returning("version")
      .executeTakeFirst();
    if (!bumped) {
      const current = await trx
        .selectFrom("enterprises")
        .select("version")
        .where("id", "=", enterprise.id)
        .executeTakeFirst();
      throw new AppError(
        "VERSION_MISMATCH",
        `企业画像已被修改（当前版本 ${current?.version ?? "?"}，请求基于版本 ${expectedVersion}），请刷新后重试`,
        [{ field: "version", message: "版本不一致" }],
      );
    }
    // Precedence (imports/precedence.ts): values imported from government data are not the enterprise's to change.
    const locked = await importedValueConflicts(trx, enterprise.id, change.set, change.remove, perYear);
    if (locked.length > 0) {
      const fields = locked.map((f) => ({
        field: f.period ? `facts.${f.factId}.${f.period}` : `facts.${f.factId}`,
        message: `「${ctx.engine.factLabel(f.period ? `${f.factId}:${f.period}` : f.factId)}」来自政府部门的数据${f.importFile ? `（${f.importFile}${f.importRow ? ` 第 ${f.importRow} 行` : ""}）` : ""}，企业不能自行修改或删除；如有误，请联系所在区县经济信息委核实更正`,
      }));
      throw new AppError("VALIDATION", fields.map((f) => `${f.field}：${f.message}`).join("；"), fields);
    }
    const keys = new Set([...Object.keys(change.set), ...Object.keys(change.remove)]);
    const before = snapshot(await loadStoredFacts(trx, enterprise.id), keys);
    for (const [factId, gone] of Object.entries(change.remove)) {
      if (gone === null)
        // The whole fact, every period of it.
        await trx
          .deleteFrom("enterprise_facts")
          .where("enterprise_id", "=", enterprise.id)
          .where("fact_id", "=", factId)
          .execute();
      else await saveFacts(trx, enterprise.id, { [factId]: gone }, perYear, "self", actor.id, now);
    }
    await saveFacts(trx, enterprise.id, change.set, perYear, "self", actor.id, now);
    const after = snapshot(await loadStoredFacts(trx, enterprise.id), keys);
    const identityBefore: Record<string, unknown> = {};
    if (identity.name !== undefined) identityBefore.name = enterprise.name;
    if (identity.industry_code !== undefined) identityBefore.industryCode = enterprise.industry_code;
    await appendAudit(trx, actor, {
      action: "enterprise.updateFacts",
      entity: "enterprise",
      entityId: enterprise.id,
      before: { ...identityBefore, ...before },
      after: { ...change.identity, ...after, version: bumped.version },
    });
    await enqueue(trx, "profile.changed", { enterpriseId: enterprise.id, version: bumped.version });
    return bumped.version;
  });
}

/**
 * cases.yaml through the `yaml` Document API: read the cases, add / replace / delete one case while the
 * comments, blank lines and every other case stay as they were. Money stays exact: the form's decimal text
 * becomes 分 by digits (money.ts) and is written as the 元 number whose decimal text is that amount.
 */
import { isMap, isSeq, parseDocument, type YAMLMap } from "yaml";
import { fenToYamlYuan, formatMoney, parseMoney, yamlYuanToFen } from "./money";

export type CaseOutcome = "eligible" | "ineligible" | "undetermined";

/** One case as the form edits it. */
export interface CaseForm {
  name: string;
  measure: string;
  asOf: string;
  /** Fact key ("id" or "id:year") → value, in the profile's JSON form (money in 元). */
  facts: { key: string; value: unknown }[];
  outcome: CaseOutcome;
  /** "none": amount not checked; "zero": 无金额 (null); exact; range (max "" = 上限未定). */
  amountMode: "none" | "zero" | "exact" | "range";
  /** 元, as typed ("200000", "1234.56"). */
  exact: string;
  min: string;
  max: string;
  missing: string[];
  reason: string;
}

export interface CaseRow {
  index: number;
  name: string;
  measure: string | null;
  form: CaseForm;
  /** Keys the form does not edit (stacking, afterStacking, note) — kept as they are on save. */
  extra: string[];
}

const STRINGIFY = { lineWidth: 0, minContentWidth: 0 } as const;

export function emptyCase(measure: string, asOf: string): CaseForm {
  return {
    name: "",
    measure,
    asOf,
    facts: [],
    outcome: "eligible",
    amountMode: "exact",
    exact: "",
    min: "",
    max: "",
    missing: [],
    reason: "",
  };
}

/** A profile object → fact rows: a per-year fact ({ "2021": v }) gives one row per year ("id:2021"). */
export function profileRows(profile: Record<string, unknown>, perYear: (id: string) => boolean) {
  const rows: { key: string; value: unknown }[] = [];
  for (const [id, v] of Object.entries(profile)) {
    if (perYear(id) && v && typeof v === "object" && !Array.isArray(v))
      for (const [year, y] of Object.entries(v as Record<string, unknown>))
        rows.push({ key: `${id}:${year}`, value: y });
    else rows.push({ key: id, value: v });
  }
  return rows;
}

/** Fact rows → the profile object of cases.yaml. */
export function rowsProfile(rows: { key: string; value: unknown }[]): Record<string, unknown> {
  const profile: Record<string, unknown> = {};
  for (const { key, value } of rows) {
    if (value === undefined) continue;
    const [id = "", year] = key.split(":");
    if (year) {
      const series = (profile[id] as Record<string, unknown> | undefined) ?? {};
      series[year] = value;
      profile[id] = series;
    } else profile[id] = value;
  }
  return profile;
}

const yuanText = (v: unknown) => {
  const fen = yamlYuanToFen(v);
  return fen === undefined ? "" : formatMoney(fen, "元");
};

function toForm(c: Record<string, unknown>, perYear: (id: string) => boolean): CaseForm {
  const expect = (c.expect ?? {}) as Record<string, unknown>;
  const amount = expect.amount;
  const form = emptyCase(
    typeof c.measure === "string" ? c.measure : "",
    typeof c.asOf === "string" ? c.asOf : "",
  );
  form.name = typeof c.name === "string" ? c.name : "";
  form.facts = profileRows((c.profile ?? {}) as Record<string, unknown>, perYear);
  form.outcome = (["eligible", "ineligible", "undetermined"] as const).includes(expect.outcome as CaseOutcome)
    ? (expect.outcome as CaseOutcome)
    : "eligible";
  if (amount === undefined) form.amountMode = "none";
  else if (amount === null) form.amountMode = "zero";
  else if (Array.isArray(amount)) {
    form.amountMode = "range";
    form.min = yuanText(amount[0]);
    form.max = amount[1] === null ? "" : yuanText(amount[1]);
  } else {
    form.amountMode = "exact";
    form.exact = yuanText(amount);
  }
  form.missing = Array.isArray(expect.missing) ? expect.missing.map(String) : [];
  form.reason = typeof expect.reason === "string" ? expect.reason : "";
  return form;
}

/** The cases of a cases.yaml text; ok false when the YAML does not parse. */
export function readCases(
  text: string | undefined,
  perYear: (id: string) => boolean,
): { ok: boolean; cases: CaseRow[] } {
  const doc = parseDocument(text ?? "");
  if (doc.errors.length > 0) return { ok: false, cases: [] };
  const js = doc.toJS() as { cases?: unknown } | null;
  const list = Array.isArray(js?.cases) ? (js.cases as unknown[]) : [];
  return {
    ok: true,
    cases: list.map((raw, index) => {
      const c = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
      return {
        index,
        name: typeof c.name === "string" ? c.name : "",
        measure: typeof c.measure === "string" ? c.measure : null,
        form: toForm(c, perYear),
        extra: Object.keys(c).filter((k) => !["name", "measure", "asOf", "profile", "expect"].includes(k)),
      };
    }),
  };
}

/** What is wrong with the form, in Chinese, by field; empty when it can be saved. */
export function caseProblems(f: CaseForm, otherNames: string[]): Record<string, string> {
  const p: Record<string, string> = {};
  if (!f.name.trim()) p.name = "请填写用例名称";
  else if (otherNames.includes(f.name.trim())) p.name = "已有同名用例，请换一个名称";
  if (!f.measure) p.measure = "请选择措施";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.asOf)) p.asOf = "请选择测算日";
  const money = (t: string) => parseMoney(t, "元");
  if (f.amountMode === "exact" && money(f.exact) === undefined)
    p.exact = "金额应为不小于 0 的数字，最多两位小数（单位：元）";
  if (f.amountMode === "range") {
    const lo = money(f.min);
    const hi = f.max.trim() === "" ? null : money(f.max);
    if (lo === undefined) p.min = "最低金额应为不小于 0 的数字，最多两位小数（单位：元）";
    if (hi === undefined) p.max = "最高金额应为数字，最多两位小数；不填表示上限未定";
    else if (lo !== undefined && hi !== null && hi < lo) p.max = "最高金额不能低于最低金额";
  }
  const keys = f.facts.map((r) => r.key);
  if (keys.some((k, i) => keys.indexOf(k) !== i)) p.facts = "同一项企业信息只能填一次";
  if (f.facts.some((r) => !r.key)) p.facts = "请为每一行选择企业信息项";
  return p;
}

/** The `expect` object of cases.yaml for the form (money exact: from the typed digits). */
function expectOf(f: CaseForm): Record<string, unknown> {
  const e: Record<string, unknown> = { outcome: f.outcome };
  const fen = (t: string) => parseMoney(t, "元") ?? 0;
  if (f.amountMode === "zero") e.amount = null;
  if (f.amountMode === "exact") e.amount = fenToYamlYuan(fen(f.exact));
  if (f.amountMode === "range")
    e.amount = [fenToYamlYuan(fen(f.min)), f.max.trim() === "" ? null : fenToYamlYuan(fen(f.max))];
  if (f.missing.length > 0) e.missing = f.missing;
  if (f.reason.trim()) e.reason = f.reason.trim();
  return e;
}

/**
 * Writes the form as case `index` (null: appended) and returns the new cases.yaml text. Keys the form does
 * not edit stay; comments and other cases are kept.
 */
export function saveCase(text: string | undefined, index: number | null, f: CaseForm): string {
  const doc = parseDocument(text?.trim() ? text : "cases: []\n");
  let list = doc.get("cases", true);
  if (!isSeq(list)) {
    doc.set("cases", doc.createNode([]));
    list = doc.get("cases", true);
  }
  if (!isSeq(list)) return text ?? "";
  if (list.flow) list.flow = false;
  const existing = index === null ? undefined : list.items[index];
  const item: YAMLMap = isMap(existing) ? existing : (doc.createNode({}) as YAMLMap);
  item.set("name", f.name.trim());
  item.set("measure", f.measure);
  item.set("asOf", f.asOf);
  const profile = doc.createNode(rowsProfile(f.facts));
  item.set("profile", profile);
  const expect = doc.createNode(expectOf(f));
  if (isMap(expect)) expect.flow = true;
  item.set("expect", expect);
  if (!isMap(existing)) list.items.push(item);
  return doc.toString(STRINGIFY);
}

/** Removes case `index` and returns the new cases.yaml text. */
export function deleteCase(text: string | undefined, index: number): string {
  const doc = parseDocument(text ?? "");
  const list = doc.get("cases", true);
  if (!isSeq(list)) return text ?? "";
  list.items.splice(index, 1);
  return doc.toString(STRINGIFY);
}

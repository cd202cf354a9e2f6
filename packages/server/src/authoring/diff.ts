/**
 * Field-level differences between a document's draft files and its published revision (问题 10, 差异):
 * document fields, each measure added / removed / changed with the changed fields in Chinese words
 * (amounts and conditions rendered as sentences), and the cases added / removed / changed. Pure.
 */
import {
  type AmountDef,
  articleText,
  type ConditionDef,
  dateText,
  type ExprEnv,
  type Glossary,
  listNoun,
  type MeasureDef,
  type PolicyDocument,
  rateText,
  renderCondition,
  renderValue,
  yuanText,
} from "@huiqi/engine";
import type { LoadedDocument } from "@huiqi/policies";

export interface FieldChange {
  /** 标题, 金额, 申报条件, 牵头单位, 有效期至, … */
  label: string;
  /** In words; "" when the field is absent on that side. */
  before: string;
  after: string;
}

export interface MeasureDiff {
  measureId: string;
  /** "第1条 鼓励工业企业做大做强（升规奖励）". */
  title: string;
  change: "added" | "removed" | "changed";
  fields: FieldChange[];
}

export interface DocumentDiff {
  /** Whether a published revision exists (otherwise everything is 新增). */
  published: boolean;
  document: FieldChange[];
  measures: MeasureDiff[];
  cases: { added: string[]; removed: string[]; changed: string[] };
}

/** What the diff reads of one side: the loaded document, its extra facts and source text. */
export interface DiffSide {
  doc: LoadedDocument;
  /** The glossary of the library this side belongs to (fact labels, departments, regions). */
  g: Glossary;
  /** Labels of the document's own facts (facts.yaml), by id. */
  facts?: Record<string, string>;
  source?: string;
}

const LEVEL: Record<string, string> = { national: "国家级", municipal: "市级", district: "区县级" };
const BENEFIT: Record<string, string> = {
  award: "奖励",
  subsidy: "补助",
  interestSubsidy: "贴息",
  matching: "配套资金",
  insurance: "保险",
  training: "培训",
  voucher: "服务券",
  service: "服务",
  financing: "融资支持",
  taxRelief: "税费减免",
  talent: "人才支持",
  coordination: "协调服务",
  target: "发展目标",
};

const yesNo = (v: boolean | undefined) => (v === undefined ? "" : v ? "是" : "否");
const date = (v: string | undefined) => (v ? dateText(v) : "");

/** Canonical JSON (keys sorted) so that key order in YAML is not a difference. */
export function stable(v: unknown): string {
  if (v === undefined) return "";
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** A condition tree in words: each requirement as a sentence, combinations spelled out. */
export function conditionWords(c: ConditionDef | undefined, env: ExprEnv): string {
  if (!c) return "无条件";
  const part = (x: ConditionDef) => {
    const t = conditionWords(x, env);
    return x.all || x.any ? `（${t}）` : t;
  };
  if (c.all)
    return c.all.length === 1 ? part(c.all[0] as ConditionDef) : `同时满足：${c.all.map(part).join("；")}`;
  if (c.any)
    return c.any.length === 1 ? part(c.any[0] as ConditionDef) : `满足其一：${c.any.map(part).join("；")}`;
  if (c.not) return `不属于：${part(c.not)}`;
  if (c.expr !== undefined) return renderCondition(c.expr, env);
  if (c.exists) {
    const def = env.g.facts.get(c.exists.list);
    const noun = def ? listNoun(def) : "记录";
    const list = def?.label ?? "记录";
    if (!c.exists.where) return `${list}中至少有一项`;
    return `${list}中有一项${noun}满足：${renderCondition(c.exists.where, { ...env, itemOf: def })}`;
  }
  return c.label ?? "";
}

const valueWords = (text: string, env: ExprEnv) => renderValue(text, env).text;

/** An amount rule (元) in words: "20万元", "10万元～20万元", "按设备投资额的10%计算，最高100万元". */
export function amountWords(a: AmountDef | number | undefined, env: ExprEnv): string {
  if (a === undefined) return "";
  if (typeof a === "number") return yuanText(a);
  const caps = [
    a.floor !== undefined ? `最低${yuanText(a.floor)}` : "",
    a.cap !== undefined ? `最高${yuanText(a.cap)}` : "",
  ]
    .filter(Boolean)
    .join("，");
  const withCaps = (s: string) => (caps ? `${s}，${caps}` : s);
  const list = (xs: (AmountDef | number)[]) => xs.map((x) => amountWords(x, env)).join("；");
  if (a.fixed !== undefined) return withCaps(yuanText(a.fixed));
  if (a.range)
    return withCaps(
      a.range[1] === null
        ? `不低于${yuanText(a.range[0])}（上限未定）`
        : `${yuanText(a.range[0])}～${yuanText(a.range[1])}`,
    );
  if (a.upTo !== undefined) return withCaps(`最高${yuanText(a.upTo)}`);
  if (a.rate !== undefined)
    return withCaps(`按${a.base ? valueWords(a.base, env) : "基数"}的${rateText(a.rate)}计算`);
  if (a.perUnit !== undefined)
    return withCaps(
      `每${a.count ? `${valueWords(a.count, env)}中的一个` : "一个"}给予${yuanText(a.perUnit)}`,
    );
  if (a.tiers)
    return withCaps(
      `按${valueWords(a.tiers.value, env)}分档：${a.tiers.steps
        .map((s) => `${s.label ?? `达到${s.atLeast}`}时${amountWords(s.amount, env)}`)
        .join("；")}`,
    );
  if (a.cases)
    return withCaps(
      `${a.cases.map((c) => `${conditionWords(c.when, env)}时${amountWords(c.amount, env)}`).join("；")}${
        a.otherwise !== undefined ? `；其他情形${amountWords(a.otherwise, env)}` : ""
      }`,
    );
  if (a.forEach) {
    const def = env.g.facts.get(a.forEach.list);
    const inner = { ...env, itemOf: def };
    return withCaps(
      `${def?.label ?? "每条记录"}中${a.forEach.where ? `满足「${renderCondition(a.forEach.where, inner)}」的` : ""}每一项：${amountWords(a.forEach.amount, inner)}${
        a.forEach.subjectCap !== undefined ? `（同一对象合计最高${yuanText(a.forEach.subjectCap)}）` : ""
      }`,
    );
  }
  if (a.topUp !== undefined) return withCaps(`补足到${amountWords(a.topUp, env)}`);
  if (a.max) return withCaps(`取较高者：${list(a.max)}`);
  if (a.min) return withCaps(`取较低者：${list(a.min)}`);
  if (a.sum) return withCaps(`合计：${list(a.sum)}`);
  if (a.readings) return withCaps(`按不同理解：${list(a.readings)}`);
  if (a.expr !== undefined) return withCaps(valueWords(a.expr, env));
  if (a.amount !== undefined) return withCaps(amountWords(a.amount, env));
  return a.label ?? "";
}

type Field<T> = [label: string, words: (x: T, g: Glossary) => string, raw: (x: T) => unknown];

const MEASURE_FIELDS: Field<MeasureDef>[] = [
  ["条款", (m) => articleText(m.ordinal, m.sub), (m) => [m.ordinal, m.sub]],
  ["标题", (m) => m.title, (m) => m.title],
  ["待遇类型", (m) => BENEFIT[m.benefitType] ?? "其他", (m) => m.benefitType],
  ["资金类措施", (m) => yesNo(m.monetary), (m) => m.monetary],
  ["一次性", (m) => yesNo(m.oneTime), (m) => m.oneTime],
  ["条款原文", (m) => m.clause, (m) => m.clause],
  ["牵头单位", (m, g) => g.departmentName(m.leadDepartment), (m) => m.leadDepartment],
  [
    "配合单位",
    (m, g) => (m.coDepartments ?? []).map(g.departmentName).join("、"),
    (m) => m.coDepartments ?? [],
  ],
  ["联系人与热线", (m) => [m.contact?.name, m.contact?.hotline].filter(Boolean).join(" "), (m) => m.contact],
  ["生效日期", (m) => date(m.validFrom), (m) => m.validFrom],
  ["有效期至", (m) => date(m.validUntil), (m) => m.validUntil],
  ["有效期原文", (m) => m.validityQuote ?? "", (m) => m.validityQuote],
  ["申报条件", (m, g) => conditionWords(m.eligibility, { g }), (m) => m.eligibility],
  ["金额", (m, g) => amountWords(m.amount, { g }), (m) => m.amount],
  ["金额未写明时的原文", (m) => m.amountUnstated ?? "", (m) => m.amountUnstated],
  ["受益对象", (m) => m.beneficiary ?? "", (m) => m.beneficiary],
  ["适用对象（解读）", (m) => m.interpretation.who, (m) => m.interpretation.who],
  ["支持内容（解读）", (m) => m.interpretation.what, (m) => m.interpretation.what],
  ["申报期限（解读）", (m) => m.interpretation.deadline ?? "", (m) => m.interpretation.deadline],
  ["申报材料", (m) => (m.interpretation.materials ?? []).join("、"), (m) => m.interpretation.materials],
  ["申报方式", (m) => m.interpretation.howToApply ?? "", (m) => m.interpretation.howToApply],
  ["口径说明", (m) => (m.notes ?? []).map((n) => `${n.topic}：${n.reading}`).join("\n"), (m) => m.notes],
];

const DOCUMENT_FIELDS: Field<PolicyDocument>[] = [
  ["文件标题", (d) => d.title, (d) => d.title],
  ["文号", (d) => d.docNumber, (d) => d.docNumber],
  ["发文机关", (d) => d.issuer, (d) => d.issuer],
  ["发文日期", (d) => date(d.issuedOn), (d) => d.issuedOn],
  ["层级", (d) => LEVEL[d.level] ?? "", (d) => d.level],
  ["适用地区", (d, g) => g.regionName(d.regionCode), (d) => d.regionCode],
  ["生效日期", (d) => date(d.validFrom), (d) => d.validFrom],
  ["有效期至", (d) => date(d.validUntil), (d) => d.validUntil],
  ["有效期原文", (d) => d.validityQuote ?? "", (d) => d.validityQuote],
  ["原文所列条数", (d) => String(d.numberedMeasures), (d) => d.numberedMeasures],
  ["发展目标", (d) => (d.targets ?? []).map((t) => t.label).join("、"), (d) => d.targets],
  ["口径说明", (d) => (d.notes ?? []).map((n) => `${n.topic}：${n.reading}`).join("\n"), (d) => d.notes],
];

/** The fields whose raw value differs, in words; "（写法调整，含义相同）" when only the writing changed. */
function fieldChanges<T>(
  fields: Field<T>[],
  a: T | null,
  b: T | null,
  ga: Glossary,
  gb: Glossary,
): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [label, words, raw] of fields) {
    const ra = a === null ? "" : stable(raw(a));
    const rb = b === null ? "" : stable(raw(b));
    if (ra === rb) continue;
    const before = a === null ? "" : words(a, ga);
    let after = b === null ? "" : words(b, gb);
    if (before === "" && after === "") continue;
    if (before === after) after = `${after}（写法调整，含义相同）`;
    out.push({ label, before, after });
  }
  return out;
}

function measureTitle(m: MeasureDef): string {
  return `${articleText(m.ordinal, m.sub)} ${m.title}`;
}

/** The differences of `after` (the draft) from `before` (the published revision; null when never published). */
export function diffDocuments(before: DiffSide | null, after: DiffSide): DocumentDiff {
  const ga = before?.g ?? after.g;
  const gb = after.g;
  const document = fieldChanges(DOCUMENT_FIELDS, before?.doc.document ?? null, after.doc.document, ga, gb);
  const factsBefore = before?.facts ?? {};
  const factsAfter = after.facts ?? {};
  if (stable(factsBefore) !== stable(factsAfter)) {
    const words = (f: Record<string, string>) => Object.values(f).join("、");
    document.push({ label: "本文件专用的企业信息项", before: words(factsBefore), after: words(factsAfter) });
  }
  if ((before?.source ?? "") !== (after.source ?? "")) {
    const len = (s: string | undefined) => (s === undefined ? "" : `共 ${[...s].length} 字`);
    document.push({
      label: "文件原文",
      before: len(before?.source),
      after: `${len(after.source)}${before?.source !== undefined && after.source !== undefined ? "（内容有改动）" : ""}`,
    });
  }

  const old = new Map((before?.doc.measures ?? []).map((m) => [m.id, m]));
  const now = new Map(after.doc.measures.map((m) => [m.id, m]));
  const measures: MeasureDiff[] = [];
  for (const m of after.doc.measures) {
    const p = old.get(m.id);
    const fields = fieldChanges(MEASURE_FIELDS, p ?? null, m, ga, gb);
    if (!p) measures.push({ measureId: m.id, title: measureTitle(m), change: "added", fields });
    else if (fields.length > 0)
      measures.push({ measureId: m.id, title: measureTitle(m), change: "changed", fields });
  }
  for (const m of before?.doc.measures ?? [])
    if (!now.has(m.id))
      measures.push({ measureId: m.id, title: measureTitle(m), change: "removed", fields: [] });

  const casesBefore = new Map((before?.doc.cases ?? []).map((c) => [c.name, stable(c)]));
  const casesAfter = new Map(after.doc.cases.map((c) => [c.name, stable(c)]));
  const cases: DocumentDiff["cases"] = { added: [], removed: [], changed: [] };
  for (const [name, c] of casesAfter) {
    const p = casesBefore.get(name);
    if (p === undefined) cases.added.push(name);
    else if (p !== c) cases.changed.push(name);
  }
  for (const name of casesBefore.keys()) if (!casesAfter.has(name)) cases.removed.push(name);

  return { published: before !== null, document, measures, cases };
}

/** Whether the diff finds nothing. */
export function isEmptyDiff(d: DocumentDiff): boolean {
  return (
    d.document.length === 0 &&
    d.measures.length === 0 &&
    d.cases.added.length + d.cases.removed.length + d.cases.changed.length === 0
  );
}

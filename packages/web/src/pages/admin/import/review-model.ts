/**
 * The review of an imported notice: every extracted field with its proposal, its span in the cleaned text,
 * the ingester's reasons to check it, and the editor's decision (采纳 / 修改 / 不采纳). Pure.
 */
import type { paths } from "../../../api/schema";
import { LEVEL_LABELS } from "../../../components/policy";
import {
  amountWords,
  defaultBenefitType,
  defaultWho,
  firstSentence,
  type Level,
  type ReviewedDocument,
  type ReviewedMeasure,
  usableAmount,
} from "./to-files";

export type Ingested =
  paths["/api/policy-documents/ingest"]["post"]["responses"]["200"]["content"]["application/json"];
export type IngestedMeasure = Ingested["measures"][number];
/** [start, end) in the cleaned text (a pair; OpenAPI types it as a list). */
export type Span = number[];

export type Status = "pending" | "accepted" | "edited" | "rejected";

export interface AmountInput {
  kind: "fixed" | "upTo" | "range";
  /** 元 */
  a?: number | null;
  b?: number | null;
}

export interface Decision {
  status: Status;
  value?: string;
  amount?: AmountInput;
  /** A required field whose proposal was rejected: what must be filled instead. */
  note?: string;
}

export type FieldKind = "text" | "date" | "select" | "amount" | "yesno";

export interface FieldSpec {
  key: string;
  label: string;
  /** The extracted value as stored ("2024-03-15", "economy-it", JSON for amounts). */
  proposed?: string;
  /** The extracted value in words for a person. */
  shown?: string;
  span?: Span;
  required: boolean;
  kind: FieldKind;
  options?: { value: string; label: string }[];
  flags: string[];
  /** False when the proposal cannot be saved as is (an amount whose base is still in words). */
  canAccept: boolean;
  /** What 不采纳 means for this field. */
  rejectMeaning: string;
}

/** Per-measure choices that are not extracted fields. */
export interface MeasureExtras {
  dropped?: boolean;
  benefitType?: string;
  who?: string;
  what?: string;
}

export interface ReviewState {
  decisions: Record<string, Decision>;
  extras: Record<number, MeasureExtras>;
}

export function dateWords(d: string | undefined): string | undefined {
  const m = d ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(d) : null;
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : d;
}

const FLAG_FIELDS: Record<string, string> = {
  amount: "amount",
  leadDepartment: "leadDepartment",
  leadUnit: "leadDepartment",
  validUntil: "validUntil",
  validFrom: "validUntil",
  title: "title",
  monetary: "monetary",
};

/** The flag's field on the card, or undefined for flags shown under the measure as a whole. */
export function flagField(field: string): string | undefined {
  return FLAG_FIELDS[field.split(".")[0] ?? ""];
}

export function documentFields(r: Ingested): FieldSpec[] {
  const d = r.document;
  const regionName = (c?: string) => r.regions.find((x) => x.code === c)?.name;
  const text = (key: string, label: string, v: { value: string; span: Span } | undefined): FieldSpec => ({
    key: `doc.${key}`,
    label,
    ...(v ? { proposed: v.value, shown: v.value, span: v.span } : {}),
    required: true,
    kind: "text",
    flags: [],
    canAccept: true,
    rejectMeaning: `${label}必填：不采纳识别结果时，请填写正确的${label}`,
  });
  const date = (
    key: string,
    label: string,
    v: { value: string; span: Span } | undefined,
    required: boolean,
  ): FieldSpec => ({
    ...text(key, label, v),
    ...(v ? { shown: dateWords(v.value) } : {}),
    kind: "date",
    required,
    rejectMeaning: required
      ? `${label}必填：不采纳识别结果时，请选择正确的日期`
      : `不设${label}（长期有效，直到被新文件替代）`,
  });
  return [
    text("docNumber", "文号", d.docNumber),
    text("title", "标题", d.title),
    text("issuer", "发文机关", d.issuer),
    date("issuedOn", "成文日期", d.issuedOn, true),
    date("validFrom", "施行日期", d.validFrom, true),
    date("validUntil", "有效期至", d.validUntil, false),
    {
      key: "doc.level",
      label: "文件层级",
      ...(d.level ? { proposed: d.level, shown: LEVEL_LABELS[d.level] } : {}),
      required: true,
      kind: "select",
      options: Object.entries(LEVEL_LABELS).map(([value, label]) => ({ value, label })),
      flags: [],
      canAccept: true,
      rejectMeaning: "文件层级必填：请选择",
    },
    {
      key: "doc.regionCode",
      label: "区县",
      ...(d.regionCode ? { proposed: d.regionCode, shown: regionName(d.regionCode) } : {}),
      ...(d.issuer ? { span: d.issuer.span } : {}),
      required: true,
      kind: "select",
      options: r.regions.map((x) => ({ value: x.code, label: x.name })),
      flags: d.regionCode ? [] : ["发文机关没有对应到区县，请选择"],
      canAccept: true,
      rejectMeaning: "区县必填：请选择",
    },
  ];
}

export function measureFields(r: Ingested, m: IngestedMeasure, i: number, monetary: boolean): FieldSpec[] {
  const flags = (f: string) => m.review.filter((x) => flagField(x.field) === f).map((x) => x.reason);
  const dept = (c?: string) => r.departments.find((x) => x.code === c)?.name;
  const k = (f: string) => `m.${i}.${f}`;
  const out: FieldSpec[] = [
    {
      key: k("ordinal"),
      label: "序号",
      proposed: String(m.ordinal),
      shown: `第 ${m.ordinal} 项`,
      span: m.span,
      required: true,
      kind: "text",
      flags: [],
      canAccept: true,
      rejectMeaning: "序号必填：请填写正确的序号（正整数）",
    },
    {
      key: k("title"),
      label: "标题",
      proposed: m.title,
      shown: m.title,
      ...(m.titleSpan ? { span: m.titleSpan } : {}),
      required: true,
      kind: "text",
      flags: flags("title"),
      canAccept: true,
      rejectMeaning: "标题必填：请填写这项措施的标题",
    },
    {
      key: k("leadDepartment"),
      label: "牵头单位",
      ...(m.leadDepartment
        ? {
            proposed: m.leadDepartment,
            shown: `${dept(m.leadDepartment) ?? "未知单位"}${m.leadUnit && m.leadUnit !== dept(m.leadDepartment) ? `（原文：${m.leadUnit}）` : ""}`,
          }
        : m.leadUnit
          ? { shown: `原文：${m.leadUnit}（没有对应到部门）` }
          : {}),
      ...(m.unitsSpan ? { span: m.unitsSpan } : {}),
      required: true,
      kind: "select",
      options: r.departments.map((x) => ({ value: x.code, label: x.name })),
      flags: [
        ...flags("leadDepartment"),
        ...(m.leadDepartment ? [] : ["没有识别出牵头单位，请从列表中选择"]),
      ],
      canAccept: m.leadDepartment !== undefined,
      rejectMeaning: "牵头单位必填：请从列表中选择",
    },
    {
      key: k("monetary"),
      label: "资金类",
      proposed: String(m.monetary),
      shown: m.monetary ? "是（给予资金）" : "否（非资金支持）",
      required: true,
      kind: "yesno",
      flags: flags("monetary"),
      canAccept: true,
      rejectMeaning: "资金类必填：请选择是或否",
    },
  ];
  if (monetary) {
    const usable = m.amount !== undefined && usableAmount(m.amount);
    out.push({
      key: k("amount"),
      label: "金额",
      ...(m.amount !== undefined ? { proposed: JSON.stringify(m.amount), shown: amountWords(m.amount) } : {}),
      ...(m.amountSpan ? { span: m.amountSpan } : {}),
      required: false,
      kind: "amount",
      flags: [
        ...flags("amount"),
        ...(m.amount !== undefined && !usable
          ? ["计算基数还没有对应到企业信息，不能直接采纳：请填写金额，或不采纳后在编辑器中补写"]
          : []),
      ],
      canAccept: usable,
      rejectMeaning: "不写金额结构，按“金额以申报通知为准”保存，可在编辑器中补写",
    });
  }
  out.push({
    key: k("validUntil"),
    label: "执行期限",
    ...(m.validUntil ? { proposed: m.validUntil, shown: `至 ${dateWords(m.validUntil)}` } : {}),
    ...(m.validitySpan ? { span: m.validitySpan } : {}),
    required: false,
    kind: "date",
    flags: flags("validUntil"),
    canAccept: true,
    rejectMeaning: "不单独设执行期限，按文件的有效期",
  });
  return out;
}

/** Review flags of a measure that belong to no field on its card. */
export function otherFlags(m: IngestedMeasure): string[] {
  return m.review.filter((x) => flagField(x.field) === undefined).map((x) => x.reason);
}

/** The status a field has before the editor touched it. */
export function effectiveStatus(f: FieldSpec, d: Decision | undefined): Status {
  if (d) return d.status;
  if (f.proposed === undefined && !f.required && f.flags.length === 0) return "rejected";
  return "pending";
}

/** The value a field resolves to, or undefined (rejected, or still pending without a proposal). */
export function resolved(f: FieldSpec, d: Decision | undefined): string | undefined {
  const s = effectiveStatus(f, d);
  if (s === "accepted") return f.proposed;
  if (s === "edited") return d?.value?.trim() || undefined;
  return undefined;
}

export function amountFromInput(a: AmountInput, quote?: string): Record<string, unknown> | undefined {
  const q = quote ? { quote } : {};
  if (a.a === undefined || a.a === null || a.a < 0) return undefined;
  if (a.kind === "fixed") return { fixed: a.a, ...q };
  if (a.kind === "upTo") return { upTo: a.a, ...q };
  if (a.b === undefined || a.b === null || a.b < a.a) return undefined;
  return { range: [a.a, a.b], ...q };
}

export interface AllFields {
  document: FieldSpec[];
  measures: { m: IngestedMeasure; index: number; fields: FieldSpec[]; dropped: boolean }[];
}

export function allFields(r: Ingested, s: ReviewState): AllFields {
  return {
    document: documentFields(r),
    measures: r.measures.map((m, index) => {
      const probe = measureFields(r, m, index, false);
      const monetaryField = probe.find((f) => f.key === `m.${index}.monetary`);
      const monetary = monetaryField
        ? (resolved(monetaryField, s.decisions[monetaryField.key]) ?? String(m.monetary)) === "true"
        : m.monetary;
      return {
        m,
        index,
        fields: measureFields(r, m, index, monetary),
        dropped: s.extras[index]?.dropped === true,
      };
    }),
  };
}

export function pendingCount(all: AllFields, s: ReviewState): number {
  const live = [...all.document, ...all.measures.filter((x) => !x.dropped).flatMap((x) => x.fields)];
  return live.filter((f) => {
    const st = effectiveStatus(f, s.decisions[f.key]);
    return st === "pending" || (st === "edited" && f.required && !s.decisions[f.key]?.value?.trim());
  }).length;
}

/** The reviewed document for to-files, from the decisions. */
export function reviewedDocument(r: Ingested, s: ReviewState, id: string): ReviewedDocument {
  const all = allFields(r, s);
  const get = (fields: FieldSpec[], key: string) => {
    const f = fields.find((x) => x.key === key);
    return f ? resolved(f, s.decisions[key]) : undefined;
  };
  const doc = (k: string) => get(all.document, `doc.${k}`);
  const regionCode = doc("regionCode") ?? "";
  const regionName = r.regions.find((x) => x.code === regionCode)?.name;
  const validUntil = doc("validUntil");
  const validityQuote = validUntil ? r.document.validUntil?.quote : r.document.validFrom?.quote;
  const measures: ReviewedMeasure[] = all.measures
    .filter((x) => !x.dropped)
    .map(({ m, index, fields }) => {
      const f = (k: string) => get(fields, `m.${index}.${k}`);
      const e = s.extras[index] ?? {};
      const monetary = (f("monetary") ?? String(m.monetary)) === "true";
      const amountKey = `m.${index}.amount`;
      const amountDecision = s.decisions[amountKey];
      const amountSpec = fields.find((x) => x.key === amountKey);
      const amountStatus = amountSpec ? effectiveStatus(amountSpec, amountDecision) : "rejected";
      const quote = m.amountSpan ? r.text.slice(m.amountSpan[0], m.amountSpan[1]) : undefined;
      const amount =
        !monetary || amountStatus === "rejected" || amountStatus === "pending"
          ? undefined
          : amountStatus === "accepted"
            ? m.amount
            : amountDecision?.amount
              ? amountFromInput(amountDecision.amount, quote)
              : undefined;
      const validUntilM = f("validUntil");
      return {
        ordinal: Number(f("ordinal") ?? Number.NaN),
        title: f("title") ?? "",
        ...(m.group ? { group: m.group } : {}),
        benefitType: e.benefitType ?? defaultBenefitType(m.clause, monetary),
        monetary,
        clause: m.clause,
        leadDepartment: f("leadDepartment") ?? "",
        coDepartments: m.coDepartments,
        ...(m.contact ? { contact: m.contact } : {}),
        ...(validUntilM ? { validUntil: validUntilM } : {}),
        ...(validUntilM && m.validityQuote ? { validityQuote: m.validityQuote } : {}),
        who: e.who ?? defaultWho(regionName),
        what: e.what ?? firstSentence(m.clause),
        ...(amount !== undefined ? { amount } : {}),
        ...(monetary && amount === undefined
          ? { amountUnstated: quote ?? m.amountUnstated ?? m.clause }
          : {}),
      };
    });
  return {
    id,
    docNumber: doc("docNumber") ?? "",
    title: doc("title") ?? "",
    issuer: doc("issuer") ?? "",
    issuedOn: doc("issuedOn") ?? "",
    level: (doc("level") ?? "") as Level,
    regionCode,
    validFrom: doc("validFrom") ?? "",
    ...(validUntil ? { validUntil } : {}),
    ...(validityQuote ? { validityQuote } : {}),
    source: r.text,
    measures,
  };
}

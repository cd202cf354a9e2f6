/** Shapes of an ingestion result. Spans are [start, end) offsets into the cleaned text. */

export type Span = [number, number];

export interface ReviewFlag {
  /** Which field of the draft the editor must look at, e.g. `amount`, `leadDepartment`, `validUntil`. */
  field: string;
  /** Why, in Chinese. */
  reason: string;
  span?: Span;
}

export interface UnitNote {
  lead: string[];
  co: string[];
  /** How the units were printed: 牵头单位, 责任单位, bare (a parenthesised list of unit names), … */
  label: string;
  span: Span;
  /** The note stands alone after several measures and was applied to all of them. */
  group?: boolean;
}

export type MoneyRole = "benefit" | "threshold" | "other";

export interface MoneyCandidate {
  kind: "money";
  text: string;
  span: Span;
  /** 分; for a range both ends, `max` null = no upper bound. */
  min: number;
  max: number | null;
  /** How the text bounds the figure: 不超过／最高 (cap), 不低于／及以上 (floor), a range, or exact. */
  bound: "exact" | "cap" | "floor" | "range";
  role: MoneyRole;
  /** Comparator for thresholds: 以上/以下 include the number (民法典第1259条), 超过/不满 do not. */
  comparator?: ">=" | "<=" | ">" | "<";
  /** 每户、每个、单个项目、/年 … */
  per?: string;
}

export interface RateCandidate {
  kind: "rate";
  text: string;
  span: Span;
  /** Percent as printed, e.g. "10%", "0.1‰". */
  rate: string;
  bound: "exact" | "cap" | "floor";
  role: MoneyRole;
  /** The base words (按设备投入的10% → 设备投入). */
  base?: string;
}

export interface DateCandidate {
  kind: "date";
  text: string;
  span: Span;
  /** YYYY-MM-DD, or --MM-DD for a yearly date (每年3月31日前). */
  date: string;
  role: "deadline" | "from" | "yearly" | "mention";
}

export interface YearCandidate {
  kind: "year";
  text: string;
  span: Span;
  from: number;
  to?: number;
}

export interface StackingCandidate {
  kind: "stacking";
  text: string;
  span: Span;
}

export interface Contact {
  unit?: string;
  person?: string;
  phone: string;
  /** 序号 of the table row, when printed. */
  row?: number;
  /** Policy name in the row, when printed. */
  name?: string;
  span: Span;
}

export interface ClauseCandidates {
  amounts: MoneyCandidate[];
  rates: RateCandidate[];
  dates: DateCandidate[];
  years: YearCandidate[];
  units: UnitNote[];
  stacking: StackingCandidate[];
}

export type MarkerKind =
  | "chapter"
  | "article"
  | "cn"
  | "paren-cn"
  | "decimal"
  | "paren-num"
  | "circled"
  | "annex";

export interface ClauseNode {
  kind: MarkerKind | "root" | "text";
  /** The marker as printed: 一、 （一） 1. 第三条 … */
  marker: string;
  /** Value of the number (（十一） → 11). */
  ordinal: number;
  /** Heading words: the text up to the first 。 when it is short, else empty. */
  heading: string;
  span: Span;
  text: string;
  children: ClauseNode[];
  candidates: ClauseCandidates;
  /** Inside the covering notice (关于印发…的通知) rather than the policy itself. */
  inNotice: boolean;
}

export interface Annex {
  number?: number;
  title: string;
  span: Span;
}

export interface DocumentMetadata {
  docNumber?: { value: string; span: Span };
  title?: { value: string; span: Span };
  issuers: { value: string; span: Span }[];
  /** 成文日期 (the date under the signature). */
  issuedOn?: { value: string; span: Span };
  /** 印发日期 (…印发). */
  printedOn?: { value: string; span: Span };
  recipients: { value: string; span: Span }[];
  validFrom?: { value: string; span: Span; quote: string };
  validUntil?: { value: string; span: Span; quote: string };
  /** 申报截止 of a call for applications (申报时间：…至2024年6月15日). */
  applicationDeadline?: { value: string; span: Span; quote: string };
  annexes: Annex[];
}

/** A measure in the packages/policies YAML shape, plus what the editor must check. */
export interface DraftMeasure {
  id: string;
  ordinal: number;
  title: string;
  group?: string;
  monetary: boolean;
  clause: string;
  span: Span;
  /** Unit names as printed; `leadDepartment` is the code when a department list was given, else the name. */
  leadDepartment?: string;
  leadUnit?: string;
  coDepartments?: string[];
  coUnits?: string[];
  contact?: { name?: string; hotline?: string };
  validFrom?: string;
  validUntil?: string;
  validityQuote?: string;
  amount?: Record<string, unknown>;
  amountUnstated?: string;
  candidates: ClauseCandidates;
  review: ReviewFlag[];
}

export interface DocumentDraft {
  fileName?: string;
  metadata: DocumentMetadata;
  clauses: ClauseNode;
  /** The numbering level read as the measures (e.g. `paren-cn` for （一）（二）…). */
  measureKind?: MarkerKind;
  measures: DraftMeasure[];
  contacts: Contact[];
  stacking: StackingCandidate[];
  review: ReviewFlag[];
}

export interface CleanText {
  text: string;
  /** map[i] = offset in the original of cleaned character i; map[text.length] = original length. */
  map: Int32Array;
}

export interface IngestResult {
  original: string;
  cleaned: CleanText;
  draft: DocumentDraft;
}

export interface IngestOptions {
  fileName?: string;
  /** Prefix of measure ids (default: "draft"). */
  docId?: string;
  /** Department code → Chinese name; when given, lead and co-units are mapped to codes. */
  departments?: Record<string, string>;
}

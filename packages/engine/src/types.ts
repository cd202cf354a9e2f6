/** Rule-set data shapes: what policy YAML parses into. Money in 元 here; the compiler turns it into 分. */

export type Level = "national" | "municipal" | "district";

export type FactType =
  | "boolean"
  | "integer"
  | "money"
  | "ratio"
  | "year"
  | "date"
  | "enum"
  | "string"
  | "stringList"
  | "list";

export interface EnumValue {
  value: string;
  label: string;
}

export interface FieldDefinition {
  id: string;
  type: Exclude<FactType, "list">;
  label: string;
  unit?: string;
  values?: EnumValue[];
  required?: boolean;
  /** The value an item that does not state this field has (otherwise such a field is unknown). */
  default?: boolean | number | string | null;
  description?: string;
}

export interface FactDefinition {
  id: string;
  type: FactType;
  label: string;
  /** The question the platform asks to learn this fact. */
  question: string;
  unit?: string;
  /** One value per calendar year: `{ "2021": 123 }`. */
  perYear?: boolean;
  values?: EnumValue[];
  /** For `list` facts: the record's fields. */
  fields?: FieldDefinition[];
  description?: string;
  /** Identity facts (name, uscc) never decide eligibility and are never asked as questions. */
  identity?: boolean;
}

export interface Vocabulary {
  facts: FactDefinition[];
}

/** Condition node, as written in YAML. Exactly one of all/any/not/expr/exists. */
export interface ConditionDef {
  all?: ConditionDef[];
  any?: ConditionDef[];
  not?: ConditionDef;
  expr?: string;
  exists?: { list: string; where?: string };
  /** Plain Chinese statement of the requirement, shown in explanations. */
  label?: string;
  /** The words of the document this condition encodes. */
  quote?: string;
}

export interface TierStep {
  atLeast: number;
  amount: AmountDef | number;
  label?: string;
}

export interface CaseDef {
  when: ConditionDef;
  amount: AmountDef | number;
}

/** Amount node, as written in YAML (元). Exactly one form key. */
export interface AmountDef {
  fixed?: number;
  /** [min, max]; max null = the text sets no upper bound ("100万元及以上"). */
  range?: [number, number | null];
  upTo?: number;
  rate?: string | number;
  base?: string;
  cap?: number;
  floor?: number;
  amount?: AmountDef | number;
  max?: (AmountDef | number)[];
  min?: (AmountDef | number)[];
  sum?: (AmountDef | number)[];
  /** Defensible readings that give different money: the amount spans them all. */
  readings?: (AmountDef | number)[];
  tiers?: { value: string; steps: TierStep[] };
  cases?: CaseDef[];
  otherwise?: AmountDef | number;
  topUp?: AmountDef | number;
  received?: string;
  /** Per list item, summed; `subjectCap` caps the records of one subject (same id or name) together. */
  forEach?: { list: string; where?: string; amount: AmountDef | number; subjectCap?: number };
  perUnit?: number;
  count?: string;
  expr?: string;
  label?: string;
  quote?: string;
}

export type BenefitType =
  | "award"
  | "subsidy"
  | "interestSubsidy"
  | "matching"
  | "insurance"
  | "training"
  | "voucher"
  | "service"
  | "financing"
  | "taxRelief"
  | "talent"
  | "coordination"
  | "target";

export interface Interpretation {
  who: string;
  what: string;
  deadline?: string;
  materials?: string[];
  /** Whether the document itself lists `materials`; false = 常见材料（文件未列明）, shown with that label. */
  materialsFromDocument?: boolean;
  howToApply?: string;
}

export interface ReadingNote {
  topic: string;
  quote: string;
  reading: string;
}

export interface Contact {
  name?: string;
  hotline?: string;
}

export interface MeasureDef {
  id: string;
  ordinal: number;
  sub?: number;
  title: string;
  group?: string;
  benefitType: BenefitType;
  /** Gives money (or a money-valued benefit) with an amount, rate or cap in the text. */
  monetary: boolean;
  clause: string;
  leadDepartment: string;
  coDepartments?: string[];
  contact?: Contact;
  validFrom?: string;
  validUntil?: string;
  validityQuote?: string;
  interpretation: Interpretation;
  notes?: ReadingNote[];
  eligibility?: ConditionDef;
  amount?: AmountDef | number;
  /**
   * The measure pays money but the text states no figure ("给予资金支持"): these words. Such a measure is
   * monetary with no amount — shown as "金额以申报通知为准", excluded from totals, never 0.
   */
  amountUnstated?: string;
  /**
   * "一次性" once per enterprise: a grant of this measure listed in awardsReceived makes it ineligible, and
   * while awardsReceived is unknown the measure is undetermined (the question is asked).
   */
  oneTime?: boolean;
  /** Who the benefit goes to when it is not the enterprise itself (consumers, towns, platforms). */
  beneficiary?: string;
}

export interface PolicyDocument {
  id: string;
  docNumber: string;
  title: string;
  issuer: string;
  issuedOn: string;
  level: Level;
  regionCode: string;
  validFrom: string;
  validUntil?: string;
  validityQuote?: string;
  /** How many numbered measures the text prints (checked against the measures recorded). */
  numberedMeasures: number;
  sourceFile: string;
  targets?: Target[];
  notes?: ReadingNote[];
}

export interface Target {
  id: string;
  label: string;
  year: number;
  value: number;
  unit: string;
  quote: string;
}

export interface StackingGroup {
  id: string;
  rule: "highestOnly";
  title: string;
  /** Which document's clause gives this rule, and its words. */
  document: string;
  quote: string;
  reading: string;
  /**
   * What the group nets on: `subject` — only support for the same project, certificate or loan competes
   * (different subjects each keep their measure); `enterprise` (default) — whole measures compete.
   */
  nets?: "subject" | "enterprise";
  members: string[];
}

export interface RuleSet {
  version: string;
  vocabulary: Vocabulary;
  documents: PolicyDocument[];
  measures: MeasureDef[];
  stackingGroups: StackingGroup[];
  /** Department code → Chinese name (packages/policies/vocabulary/departments.yaml), for explanations. */
  departments?: Record<string, string> | undefined;
}

/** zod schemas for the policy YAML, so an editor's typo gets a precise message before compile. */
import type { BenefitType, Level } from "@huiqi/engine";
import { z } from "zod";

export const BENEFIT_TYPES = [
  "award",
  "subsidy",
  "interestSubsidy",
  "matching",
  "insurance",
  "training",
  "voucher",
  "service",
  "financing",
  "taxRelief",
  "talent",
  "coordination",
  "target",
] as const satisfies readonly BenefitType[];

export const LEVELS = ["national", "municipal", "district"] as const satisfies readonly Level[];

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期应为 YYYY-MM-DD");
const quote = z.string().min(1);

const condition: z.ZodType = z.lazy(() =>
  z.strictObject({
    all: z.array(condition).optional(),
    any: z.array(condition).optional(),
    not: condition.optional(),
    expr: z.string().optional(),
    exists: z.strictObject({ list: z.string(), where: z.string().optional() }).optional(),
    label: z.string().optional(),
    quote: z.string().optional(),
  }),
);

const amount: z.ZodType = z.lazy(() =>
  z.union([
    z.number(),
    z.strictObject({
      fixed: z.number().optional(),
      range: z.tuple([z.number(), z.number().nullable()]).optional(),
      upTo: z.number().optional(),
      rate: z.union([z.string(), z.number()]).optional(),
      base: z.string().optional(),
      cap: z.number().optional(),
      floor: z.number().optional(),
      amount: amount.optional(),
      max: z.array(amount).optional(),
      min: z.array(amount).optional(),
      sum: z.array(amount).optional(),
      readings: z.array(amount).optional(),
      tiers: z
        .strictObject({
          value: z.string(),
          steps: z.array(z.strictObject({ atLeast: z.number(), amount, label: z.string().optional() })),
        })
        .optional(),
      cases: z.array(z.strictObject({ when: condition, amount })).optional(),
      otherwise: amount.optional(),
      topUp: amount.optional(),
      received: z.string().optional(),
      forEach: z
        .strictObject({
          list: z.string(),
          where: z.string().optional(),
          amount,
          subjectCap: z.number().optional(),
        })
        .optional(),
      perUnit: z.number().optional(),
      count: z.string().optional(),
      expr: z.string().optional(),
      label: z.string().optional(),
      quote: z.string().optional(),
    }),
  ]),
);

const note = z.strictObject({ topic: z.string(), quote, reading: z.string() });

export const measureSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9-]+\/\d+(\.\d+)?$/, "措施编号应为 文件编号/序号[.子项]，如 yubei-2021-13/9.1"),
  ordinal: z.number().int().positive(),
  sub: z.number().int().positive().optional(),
  title: z.string().min(1),
  group: z.string().optional(),
  benefitType: z.enum(BENEFIT_TYPES),
  monetary: z.boolean(),
  clause: quote,
  leadDepartment: z.string().min(1),
  coDepartments: z.array(z.string()).optional(),
  contact: z.strictObject({ name: z.string().optional(), hotline: z.string().optional() }).optional(),
  validFrom: date.optional(),
  validUntil: date.optional(),
  validityQuote: z.string().optional(),
  interpretation: z
    .strictObject({
      who: z.string().min(1),
      what: z.string().min(1),
      deadline: z.string().optional(),
      materials: z.array(z.string()).optional(),
      /** false: the list is 常见材料（文件未列明）, not the document's own list. */
      materialsFromDocument: z.boolean().optional(),
      howToApply: z.string().optional(),
    })
    .refine((i) => i.materials === undefined || i.materialsFromDocument !== undefined, {
      message: "有 materials 时须写明 materialsFromDocument（文件是否列明申报材料）",
      path: ["materialsFromDocument"],
    }),
  notes: z.array(note).optional(),
  eligibility: condition.optional(),
  amount: amount.optional(),
  amountUnstated: z.string().optional(),
  oneTime: z.boolean().optional(),
  beneficiary: z.string().optional(),
});

export const documentSchema = z.strictObject({
  id: z.string(),
  docNumber: z.string(),
  title: z.string(),
  issuer: z.string(),
  issuedOn: date,
  level: z.enum(LEVELS),
  regionCode: z.string().regex(/^\d{6}$/),
  validFrom: date,
  validUntil: date.optional(),
  validityQuote: z.string().optional(),
  numberedMeasures: z.number().int().positive(),
  sourceFile: z.string(),
  targets: z
    .array(
      z.strictObject({
        id: z.string(),
        label: z.string(),
        year: z.number().int(),
        value: z.number(),
        unit: z.string(),
        quote,
      }),
    )
    .optional(),
  notes: z.array(note).optional(),
});

export const stackingSchema = z.strictObject({
  groups: z.array(
    z.strictObject({
      id: z.string(),
      rule: z.literal("highestOnly"),
      title: z.string(),
      document: z.string(),
      quote,
      reading: z.string(),
      nets: z.enum(["subject", "enterprise"]).optional(),
      members: z.array(z.string()).min(2),
    }),
  ),
});

const expectAmount = z.union([z.number(), z.tuple([z.number(), z.number().nullable()])]);

export const caseSchema = z.strictObject({
  name: z.string().min(1),
  measure: z.string().optional(),
  asOf: date,
  profile: z.record(z.string(), z.unknown()),
  expect: z
    .strictObject({
      outcome: z.enum(["eligible", "ineligible", "undetermined"]),
      /** 元: a number for an exact amount, [min, max] for a range (max null = unbounded). */
      amount: expectAmount.nullable().optional(),
      /** Exactly these missing fact keys (order ignored). */
      missing: z.array(z.string()).optional(),
      /** A substring of the ineligibility reason. */
      reason: z.string().optional(),
    })
    .optional(),
  /**
   * Stacking decisions expected from a whole evaluation. `subject` picks the decision about one subject of a
   * group that nets per subject; no `recommended` means the group must make no such decision.
   */
  stacking: z
    .array(
      z.strictObject({
        group: z.string(),
        subject: z.string().optional(),
        recommended: z.string().optional(),
        notAdded: z.array(z.string()).default([]),
      }),
    )
    .optional(),
  /** Amounts (元) measures give after stacking, in a whole evaluation. */
  afterStacking: z.record(z.string(), expectAmount.nullable()).optional(),
  note: z.string().optional(),
});

export const casesFileSchema = z.strictObject({ cases: z.array(caseSchema) });
export type PolicyCase = z.infer<typeof caseSchema>;

/**
 * Enterprise profile: validated against a zod schema built from the fact
 * vocabulary (so the JSON Schema `huiqi schema profile` prints is generated from
 * the very schema the code validates with), then normalised with derived facts.
 */
import { z } from "zod";
import type { Facts } from "./expression.ts";
import { fractionDigits } from "./money.ts";
import type { FactDefinition, FieldDefinition, Vocabulary } from "./types.ts";

export interface ProfileIssue {
  /** JSON path, e.g. `revenue.2021` or `certifications[0].date`. */
  field: string;
  /** Chinese label of the field, when the vocabulary has one. */
  label?: string | undefined;
  message: string;
}

export class ProfileValidationError extends Error {
  constructor(readonly issues: ProfileIssue[]) {
    super(issues.map((i) => `${i.field}${i.label ? `（${i.label}）` : ""}：${i.message}`).join("\n"));
    this.name = "ProfileValidationError";
  }
}

const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015 check character; returns null when the first 17 characters are invalid. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17[i] ?? "");
    if (v < 0) return null;
    sum += v * (USCC_WEIGHTS[i] as number);
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31] ?? null;
}

export function usccProblem(code: string): string | null {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return "应为18位，由数字和大写字母组成（不含 I、O、Z、S、V）";
  const expected = usccCheckChar(code.slice(0, 17));
  if (expected === null) return "前17位含有无效字符";
  if (code[17] !== expected)
    return `校验码错误：按 GB 32100-2015 第18位应为「${expected}」，实际为「${code[17]}」`;
  return null;
}

function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

const money = () =>
  z
    .number({ error: "应为数字（单位：元）" })
    .min(0, { error: "金额不能为负数" })
    .refine((v) => fractionDigits(v) <= 2, { error: "金额最多两位小数（精确到分）" });

function scalarSchema(def: FactDefinition | FieldDefinition): z.ZodType {
  switch (def.type) {
    case "boolean":
      return z.boolean({ error: "应为 true 或 false" });
    case "integer":
      return z.number({ error: "应为整数" }).int({ error: "应为整数" }).min(0, { error: "不能为负数" });
    case "money":
      return money();
    case "ratio":
      return z.number({ error: "应为数字（比例，如 0.035 表示 3.5%）" }).min(0, { error: "不能为负数" });
    case "year":
      return z
        .number({ error: "应为年份数字，如 2022" })
        .int({ error: "应为整数年份" })
        .min(1949, { error: "年份过早" })
        .max(2100, { error: "年份过晚" });
    case "date":
      return z
        .string({ error: "应为日期字符串 YYYY-MM-DD" })
        .refine(isRealDate, { error: "不是有效日期（格式 YYYY-MM-DD，且须为真实存在的日期）" });
    case "enum": {
      const values = (def.values ?? []).map((v) => v.value);
      const allowed = (def.values ?? []).map((v) => `${v.value}（${v.label}）`).join("、");
      return z
        .string({ error: `应为以下之一：${allowed}` })
        .refine((v) => values.includes(v), { error: `取值无效，应为以下之一：${allowed}` });
    }
    case "string":
      if (def.id === "uscc")
        return z.string({ error: "应为字符串" }).superRefine((v, ctx) => {
          const p = usccProblem(v);
          if (p) ctx.addIssue({ code: "custom", message: p });
        });
      if (def.id === "industryCode")
        return z.string({ error: "应为字符串" }).regex(/^[A-T](\d{2}|\d{3}|\d{4})?$/, {
          error: "应为 GB/T 4754-2017 行业代码，如 C3670（门类字母加2～4位数字）",
        });
      return z.string({ error: "应为字符串" }).min(1, { error: "不能为空" });
    case "stringList":
      return z.array(z.string({ error: "应为字符串" }), { error: "应为字符串数组" });
    default:
      throw new Error(`未知事实类型 ${String(def.type)}`);
  }
}

function factSchema(def: FactDefinition): z.ZodType {
  let inner: z.ZodType;
  if (def.type === "list") {
    const shape: Record<string, z.ZodType> = {};
    for (const field of def.fields ?? []) {
      const s = scalarSchema(field).meta({
        title: field.label,
        ...(field.description ? { description: field.description } : {}),
      });
      // An optional field may be stated as null: known to be absent (a project not yet completed), unlike
      // a field left out, which is unknown.
      shape[field.id] = field.required ? s : s.nullable().optional();
    }
    inner = z.array(z.strictObject(shape, { error: "应为对象" }), { error: "应为数组" });
  } else {
    inner = scalarSchema(def);
  }
  if (def.perYear) {
    inner = z.record(
      z.string().regex(/^20\d{2}$/, { error: '年度键应为 2000—2099 的四位年份，如 "2021"' }),
      inner,
      {
        error: '应为按年度的对象，如 {"2021": 数值}',
      },
    );
  }
  return inner.meta({ title: def.label, description: def.question });
}

export function buildProfileSchema(vocabulary: Vocabulary) {
  const shape: Record<string, z.ZodType> = {};
  for (const def of vocabulary.facts) shape[def.id] = factSchema(def).optional();
  return z.strictObject(shape).meta({
    title: "企业画像 EnterpriseProfile",
    description:
      "惠企平台的企业画像：每个事实都可缺省，缺省即“未知”，绝不当作 0 或否。金额单位为元，最多两位小数。",
  });
}

export function profileJsonSchema(vocabulary: Vocabulary): unknown {
  return z.toJSONSchema(buildProfileSchema(vocabulary), { unrepresentable: "any" });
}

function pathString(path: PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(根)";
}

export function labelFor(vocabulary: Vocabulary, path: PropertyKey[]): string | undefined {
  const def = vocabulary.facts.find((f) => f.id === path[0]);
  if (!def) return undefined;
  const rest = path.slice(1).filter((p) => typeof p === "string" && !/^\d{4}$/.test(p));
  if (def.type === "list" && rest.length > 0) {
    const field = def.fields?.find((x) => x.id === rest[0]);
    return field ? `${def.label}·${field.label}` : def.label;
  }
  const year = path.find((p) => typeof p === "string" && /^\d{4}$/.test(p));
  return year ? `${String(year)}年${def.label}` : def.label;
}

/** Validates a parsed profile; returns engine facts (derived facts added) or throws ProfileValidationError. */
export function makeProfileValidator(vocabulary: Vocabulary) {
  const schema = buildProfileSchema(vocabulary);
  return (input: unknown): Facts => {
    if (input === null || typeof input !== "object" || Array.isArray(input))
      throw new ProfileValidationError([{ field: "(根)", message: "企业画像应为 JSON 对象" }]);
    const r = schema.safeParse(input);
    if (!r.success) {
      const issues: ProfileIssue[] = r.error.issues.map((i) => {
        const unknownKeys = i.code === "unrecognized_keys" ? (i as { keys: string[] }).keys : undefined;
        if (unknownKeys) {
          const path = [...i.path];
          return {
            field: pathString([...path, unknownKeys[0] ?? ""]),
            label: undefined,
            message: `不认识的字段：${unknownKeys.join("、")}（请查看 huiqi schema profile）`,
          };
        }
        return { field: pathString(i.path), label: labelFor(vocabulary, i.path), message: i.message };
      });
      throw new ProfileValidationError(issues);
    }
    return deriveFacts(r.data as Facts);
  };
}

/** GB/T 4754-2017 sections B (mining), C (manufacturing), D (utilities) are 工业. */
export function deriveFacts(input: Facts): Facts {
  const f: Facts = { ...input };
  const code = typeof f.industryCode === "string" ? f.industryCode : undefined;
  if (code) {
    const section = code[0];
    if (f.industrial === undefined) f.industrial = section === "B" || section === "C" || section === "D";
    if (f.manufacturing === undefined) f.manufacturing = section === "C";
    if (f.softwareEnterprise === undefined && code.startsWith("I"))
      f.softwareEnterprise = code.startsWith("I65");
  }
  const rd = f.rdExpense as Record<string, number> | undefined;
  const rev = f.revenue as Record<string, number> | undefined;
  if (rd && rev && f.rdIntensity === undefined) {
    const intensity: Record<string, number> = {};
    for (const y of Object.keys(rd)) {
      const r = rev[y];
      const e = rd[y];
      if (r && e !== undefined) intensity[y] = e / r;
    }
    f.rdIntensity = intensity;
  }
  return f;
}

/** Shared zod schemas for request and response bodies. */
import { usccProblem } from "@huiqi/engine";
import { z } from "zod";

declare global {
  interface String {
    /** ES2024 (Node 20): false when the string holds a lone UTF-16 surrogate. */
    isWellFormed(): boolean;
  }
}

/** Why a text is refused: PostgreSQL text cannot hold NUL, and a lone surrogate is not Unicode. */
export const UNCLEAN_TEXT = "不能包含空字符或无效字符";

/** No NUL (\u0000) and no lone UTF-16 surrogate. */
export function isCleanText(v: string): boolean {
  return !v.includes("\u0000") && v.isWellFormed();
}

/**
 * The one string type at the edge: every text field, query and path parameter of a request. Bounded
 * length (checked first, and nothing else runs on a too-long string), no NUL, no lone surrogate; chain
 * .trim() / .min() / .regex() / .refine() for the field's own rules.
 */
export function Text(max: number, messages: { type?: string; tooLong?: string } = {}) {
  return z
    .string({ error: messages.type ?? "应为文字" })
    .max(max, { error: messages.tooLong ?? `最多 ${max} 个字符`, abort: true })
    .refine(isCleanText, { error: UNCLEAN_TEXT, abort: true });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ field: z.string(), message: z.string() })),
    }),
  })
  .meta({ description: "错误：稳定的错误码、中文说明、出错字段" });

export const UsccSchema = Text(18, {
  type: "统一社会信用代码应为文字",
  tooLong: "统一社会信用代码应为 18 位",
})
  .superRefine((v, c) => {
    const p = usccProblem(v);
    if (p) c.addIssue({ code: "custom", message: `统一社会信用代码${p}` });
  })
  .meta({ description: "统一社会信用代码（GB 32100-2015，含校验位）", example: "91500113MA5U7K3X2H" });

export const IdParam = z.object({ id: z.uuid({ error: "应为 UUID" }) });

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  422: ErrorSchema,
  429: ErrorSchema,
};

/** Shared zod schemas for request and response bodies. */
import { usccProblem } from "@huiqi/engine";
import { z } from "zod";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ field: z.string(), message: z.string() })),
    }),
  })
  .meta({ description: "错误：稳定的错误码、中文说明、出错字段" });

export const UsccSchema = z
  .string()
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

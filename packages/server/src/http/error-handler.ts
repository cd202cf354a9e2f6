/**
 * The central error handler: every error becomes `{"error": {code, message, fields}}` with a Chinese message
 * naming the field; the response is bounded (at most ERROR_LIMITS.maxFields fields, cut messages), so it never
 * echoes a large input back. Database refusals the client caused (unique violations…) become 409/400 and are
 * logged by SQLSTATE and constraint only; anything else is a logged 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import {
  AppError,
  type ErrorBody,
  type ErrorCode,
  type FieldError,
  fromDatabaseRefusal,
  HTTP_STATUS,
} from "../errors.ts";
import { ERROR_LIMITS, truncate } from "./limits.ts";
import { isDatabaseError } from "./logging.ts";

const WHERE: Record<string, string> = { querystring: "查询参数", params: "路径参数", headers: "请求头" };

/** The error body, bounded: the first fields, cut paths and messages, the rest counted. */
export function boundedBody(
  code: ErrorCode,
  message: string,
  fields: FieldError[],
  total = fields.length,
): ErrorBody {
  const shown = fields.slice(0, ERROR_LIMITS.maxFields).map((f) => ({
    field: truncate(f.field, ERROR_LIMITS.maxFieldChars),
    message: truncate(f.message, ERROR_LIMITS.maxFieldChars),
  }));
  const more = total > shown.length ? `（另有 ${total - shown.length} 处错误未列出）` : "";
  return {
    error: {
      code,
      message: truncate(message, ERROR_LIMITS.maxMessageChars - more.length) + more,
      fields: shown,
    },
  };
}

function validationFields(err: FastifyError & { validation: { instancePath: string; message?: string }[] }) {
  const where = WHERE[err.validationContext ?? ""] ?? "";
  const fields = err.validation.slice(0, ERROR_LIMITS.maxFields).map((v) => {
    const path = v.instancePath.replace(/^\//, "").replace(/\//g, ".");
    return { field: path || "(请求体)", message: `${where}${v.message ?? "无效"}` };
  });
  return { fields, total: err.validation.length };
}

function fastifyClientError(err: { code?: unknown; statusCode?: number }, req: FastifyRequest) {
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE": {
      const limit = req.routeOptions.bodyLimit;
      const message = limit ? `请求体过大：此接口最多 ${Math.floor(limit / 1024)} KiB` : "请求体过大";
      return { status: 413, code: "PAYLOAD_TOO_LARGE" as const, message, field: "(请求体)" };
    }
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        status: 415,
        code: "UNSUPPORTED_MEDIA_TYPE" as const,
        message: "不支持的请求体类型：请使用 Content-Type: application/json",
        field: "(请求体)",
      };
    case "FST_ERR_BAD_URL":
      return {
        status: 400,
        code: "VALIDATION" as const,
        message: "路径不是有效的 URL 编码",
        field: "(路径)",
      };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return {
        status: 400,
        code: "VALIDATION" as const,
        message: "请求体不是有效的 JSON，或长度与 Content-Length 不符",
        field: "(请求体)",
      };
    default:
      return {
        status: err.statusCode ?? 400,
        code: "VALIDATION" as const,
        message: "请求无效",
        field: "(请求)",
      };
  }
}

export function errorReply(err: unknown, req: FastifyRequest): { status: number; body: ErrorBody } {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const { fields, total } = validationFields(err);
    const message = fields.map((f) => `${f.field}：${f.message}`).join("；");
    return { status: 400, body: boundedBody("VALIDATION", message, fields, total) };
  }
  if (err instanceof AppError)
    return { status: HTTP_STATUS[err.code], body: boundedBody(err.code, err.message, err.fields) };
  if (isDatabaseError(err)) {
    const refusal = fromDatabaseRefusal(err as Error & { code: string; constraint?: string; table?: string });
    if (refusal) {
      req.log.warn({ err }, "数据库拒绝了请求的写入");
      return {
        status: HTTP_STATUS[refusal.code],
        body: boundedBody(refusal.code, refusal.message, refusal.fields),
      };
    }
  }
  const status = (err as { statusCode?: unknown }).statusCode;
  if (status === 429)
    return { status: 429, body: boundedBody("RATE_LIMITED", "请求过于频繁，请稍后再试", []) };
  if (typeof status === "number" && status >= 400 && status < 500) {
    const e = fastifyClientError(err as { code?: unknown; statusCode?: number }, req);
    return {
      status: e.status,
      body: boundedBody(e.code, `${e.field}：${e.message}`, [{ field: e.field, message: e.message }]),
    };
  }
  req.log.error({ err }, "请求处理失败");
  return { status: 500, body: boundedBody("INTERNAL", "服务器内部错误，请稍后再试", []) };
}

export function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = errorReply(err, req);
  void reply.status(status).send(body);
}

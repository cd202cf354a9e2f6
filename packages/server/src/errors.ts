/** One typed error taxonomy with stable codes; the HTTP layer maps codes to statuses. Messages are Chinese. */

export type ErrorCode =
  | "VALIDATION"
  | "UNAUTHENTICATED"
  | "CSRF"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INVALID_STATE"
  | "VERSION_MISMATCH"
  | "BUDGET_EXCEEDED"
  | "AMOUNT_EXCEEDS_MAXIMUM"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "INTERNAL";

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  CSRF: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  VERSION_MISMATCH: 409,
  BUDGET_EXCEEDED: 422,
  AMOUNT_EXCEEDS_MAXIMUM: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what}不存在`);
export const forbidden = (why = "没有权限执行此操作") => new AppError("FORBIDDEN", why);
export const invalid = (field: string, message: string) =>
  new AppError("VALIDATION", `${field}：${message}`, [{ field, message }]);

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields: FieldError[] };
}

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
  | "UNSUPPORTED_MEDIA_TYPE"
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
  UNSUPPORTED_MEDIA_TYPE: 415,
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

/** What the database says about a refused write: SQLSTATE, and the constraint and table when it names them. */
export interface DatabaseRefusal {
  code: string;
  constraint?: string | undefined;
  table?: string | undefined;
}

/** Unique constraints users can run into, with the field they concern and what to tell them. */
const UNIQUE_FIELDS: Record<string, FieldError> = {
  enterprises_uscc_key: { field: "uscc", message: "该统一社会信用代码已注册" },
  accounts_username_key: { field: "username", message: "用户名已被使用" },
  disbursements_application_id_key: { field: "id", message: "该申报已发起兑付" },
};

/** "applications_enterprise_id_fkey" of table "applications" → "enterpriseId". */
function constraintField(c: DatabaseRefusal): string {
  let name = c.constraint ?? "";
  if (c.table && name.startsWith(`${c.table}_`)) name = name.slice(c.table.length + 1);
  name = name.replace(/_(key|pkey|fkey)$/, "");
  if (name === "" || name === "pkey") return "id";
  return name.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase());
}

/**
 * A database refusal the client caused (a duplicate racing past the handler's check, a concurrent change,
 * a value the database cannot store) as an AppError; null for a server fault.
 */
export function fromDatabaseRefusal(e: DatabaseRefusal): AppError | null {
  if (e.code === "23505") {
    const f = (e.constraint && UNIQUE_FIELDS[e.constraint]) || {
      field: constraintField(e),
      message: "与已有记录重复",
    };
    return new AppError("CONFLICT", `${f.field}：${f.message}`, [f]);
  }
  if (e.code === "23503") {
    const field = constraintField(e);
    return new AppError("CONFLICT", `${field}：引用的记录不存在或已被删除`, [
      { field, message: "引用的记录不存在或已被删除" },
    ]);
  }
  if (e.code === "40001" || e.code === "40P01")
    return new AppError("CONFLICT", "与其他请求同时修改了同一记录，请重试");
  // Data exceptions (22xxx): NUL or invalid text, a number out of range — the edge should have said so.
  if (e.code.startsWith("22")) {
    const message = "含有数据库无法保存的值（如空字符、无效字符或超出范围的数字）";
    return new AppError("VALIDATION", `(请求)：${message}`, [{ field: "(请求)", message }]);
  }
  return null;
}

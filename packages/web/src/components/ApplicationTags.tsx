/**
 * Shared bits of the department and finance consoles: the application status tag, the review-age tag
 * (working days against the 15-working-day time limit), downloads of server files with a busy state.
 */

import { Tag, Tooltip } from "antd";
import type { ReactNode } from "react";
import { ApiError } from "../api/client";

export const STATUS_COLORS: Record<string, string> = {
  draft: "default",
  submitted: "processing",
  returned: "warning",
  rejected: "error",
  approved: "cyan",
  publicNotice: "purple",
  disbursing: "blue",
  disbursementFailed: "red",
  closed: "success",
};

export const STATUS_OPTIONS = [
  { value: "submitted", label: "审核中" },
  { value: "returned", label: "退回补正" },
  { value: "rejected", label: "不予通过" },
  { value: "approved", label: "审批通过" },
  { value: "publicNotice", label: "公示中" },
  { value: "disbursing", label: "兑付中" },
  { value: "disbursementFailed", label: "兑付失败" },
  { value: "closed", label: "已兑付办结" },
];

/** Tag colours with text at ≥ 4.5:1 contrast (antd's preset tags fall short of WCAG AA for small text). */
const PALETTE: Record<string, [string, string, string]> = {
  default: ["#262626", "#fafafa", "#d9d9d9"],
  success: ["#135200", "#f6ffed", "#b7eb8f"],
  green: ["#135200", "#f6ffed", "#b7eb8f"],
  processing: ["#003a8c", "#e6f4ff", "#91caff"],
  blue: ["#003a8c", "#e6f4ff", "#91caff"],
  warning: ["#873800", "#fff7e6", "#ffd591"],
  error: ["#a8071a", "#fff1f0", "#ffa39e"],
  red: ["#a8071a", "#fff1f0", "#ffa39e"],
  cyan: ["#00474f", "#e6fffb", "#87e8de"],
  purple: ["#22075e", "#f9f0ff", "#d3adf7"],
};

export function SafeTag({
  color = "default",
  children,
}: {
  color?: string | undefined;
  children: ReactNode;
}) {
  const [fg, bg, border] = PALETTE[color] ?? PALETTE.default ?? ["#262626", "#fafafa", "#d9d9d9"];
  return <Tag style={{ color: fg, background: bg, borderColor: border }}>{children}</Tag>;
}

/** Link colour with ≥ 4.5:1 contrast on white and on hovered table rows. */
export const LINK = "#a8071a";

export function StatusTag({ status, label }: { status: string; label: string }) {
  return <SafeTag color={STATUS_COLORS[status] ?? "default"}>{label}</SafeTag>;
}

/** 承诺办结时限：提交（或补正后重新提交）后 15 个工作日（按法定节假日和调休，由服务端计算）。 */
export const REVIEW_LIMIT_WORKING_DAYS = 15;
/** From this many working days the tag turns orange (临近时限). */
export const REVIEW_WARN_WORKING_DAYS = 10;

/** Review age in working days of a submitted application (the server's count), or null when the clock does not run. */
export function reviewAge(a: { status: string; reviewWorkingDays: number | null }): number | null {
  return a.status === "submitted" ? a.reviewWorkingDays : null;
}

export type AgeBand = "ok" | "warn" | "over";
export function ageBand(days: number): AgeBand {
  if (days > REVIEW_LIMIT_WORKING_DAYS) return "over";
  if (days >= REVIEW_WARN_WORKING_DAYS) return "warn";
  return "ok";
}

export function AgeTag({ days }: { days: number | null }) {
  if (days === null) return <span>—</span>;
  const band = ageBand(days);
  const color = band === "over" ? "error" : band === "warn" ? "warning" : "success";
  const text =
    band === "over"
      ? `已超时 ${days - REVIEW_LIMIT_WORKING_DAYS} 个工作日`
      : `已用 ${days}/${REVIEW_LIMIT_WORKING_DAYS} 个工作日`;
  return (
    <Tooltip
      title={`办理时限 ${REVIEW_LIMIT_WORKING_DAYS} 个工作日（自提交次日起，法定节假日不计，调休上班日计入）`}
    >
      <SafeTag color={color}>{text}</SafeTag>
    </Tooltip>
  );
}

/** GET a file from the API and save it under the server's file name; errors as ApiError (Chinese). */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const r = await fetch(url, { credentials: "same-origin" });
  if (!r.ok) {
    let e: { code?: string; message?: string } | undefined;
    try {
      e = ((await r.json()) as { error?: { code: string; message: string } }).error;
    } catch {
      e = undefined;
    }
    throw new ApiError(r.status, e?.code ?? "INTERNAL", e?.message ?? `下载失败（${r.status}）`);
  }
  const cd = r.headers.get("content-disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)?.[1];
  const name = star ? decodeURIComponent(star) : fallbackName;
  const blob = await r.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Department codes of the review steps → Chinese names (packages/policies/vocabulary/departments.yaml). */
export const DEPARTMENT_LABELS: Record<string, string> = {
  "economy-it": "区经济信息委",
  finance: "区财政局",
  "development-reform": "区发展改革委",
  commerce: "区商务委",
  "market-supervision": "区市场监管局",
  "hr-social-security": "区人力社保局",
  "science-tech": "区科技局",
  "big-data": "区大数据发展局",
  "finance-office": "区金融办（金融事务中心）",
  "finance-service-center": "区金融服务中心",
  tax: "区税务局",
  education: "区教委",
  agriculture: "区农业农村委",
  "ecology-environment": "区生态环境局",
  "investment-promotion": "区招商中心",
};

export const departmentLabel = (code: string) => DEPARTMENT_LABELS[code] ?? code;

/** Secondary text colour with at least 4.5:1 contrast on white (antd’s secondary text is lighter). */
export const MUTED = "#595959";

/** 免申即享: granted on government data, confirmed by the lead department, without an application. */
export function ExemptionTag({ title }: { title?: string }) {
  return (
    <span title={title ?? "免申即享：依据部门数据确认，企业无需申请"}>
      <SafeTag color="purple">免申即享</SafeTag>
    </span>
  );
}

/** Service requests' words and time limits: status labels, the stage whose limit runs, 办理时限 status. */
import { addWorkingDays, toChongqingDate, workingDaysBetween } from "../calendar/working-days.ts";
import type { ServiceRequestStatus } from "../db/schema.ts";
import { SERVICE_LIMITS } from "./data.ts";

export const SERVICE_STATUS_LABELS: Record<ServiceRequestStatus, string> = {
  submitted: "待部门报到",
  accepted: "办理中",
  replied: "已答复，待企业确认",
  closed: "已办结",
  reopened: "企业重新打开，办理中",
};

/** Statuses in which a department still owes a step. */
export const OPEN_STATUSES: readonly ServiceRequestStatus[] = ["submitted", "accepted", "reopened"];

export const EVENT_LABELS: Record<string, string> = {
  create: "企业提出诉求",
  accept: "部门报到受理",
  reply: "部门答复",
  forward: "转报市级部门（市区联动）",
  confirm: "企业确认办结",
  reopen: "企业重新打开",
  rate: "企业评价",
  escalate: "超时升级至区发展改革委",
  attach: "上传附件",
};

export type LimitState = "ok" | "soon" | "overdue";
export const LIMIT_LABELS: Record<LimitState, string> = { ok: "时限内", soon: "即将超时", overdue: "已超时" };

export interface TimeLimit {
  stage: "accept" | "reply";
  stageLabel: string;
  due: string;
  state: LimitState;
  label: string;
  /** Working days left after today up to the due date; 0 on the due date and after it. */
  workingDaysLeft: number;
}

interface Row {
  status: ServiceRequestStatus;
  accept_due: string;
  reply_due: string | null;
}

/** The stage whose limit runs now: 报到 before acceptance, 答复 while being worked; none otherwise. */
export function currentStage(r: Row): { stage: "accept" | "reply"; due: string } | null {
  if (r.status === "submitted") return { stage: "accept", due: r.accept_due };
  if ((r.status === "accepted" || r.status === "reopened") && r.reply_due)
    return { stage: "reply", due: r.reply_due };
  return null;
}

/** 办理时限: overdue after the due date's end; "soon" with at most SERVICE_LIMITS.soonWorkingDays left. */
export function timeLimit(r: Row, now: Date): TimeLimit | null {
  const s = currentStage(r);
  if (!s) return null;
  const today = toChongqingDate(now);
  const state: LimitState =
    today > s.due
      ? "overdue"
      : workingDaysBetween(today, s.due) <= SERVICE_LIMITS.soonWorkingDays
        ? "soon"
        : "ok";
  return {
    stage: s.stage,
    stageLabel: s.stage === "accept" ? "报到时限" : "答复时限",
    due: s.due,
    state,
    label: LIMIT_LABELS[state],
    workingDaysLeft: today > s.due ? 0 : workingDaysBetween(today, s.due),
  };
}

export const acceptDue = (submittedAt: Date) => addWorkingDays(submittedAt, SERVICE_LIMITS.acceptWorkingDays);
export const replyDue = (acceptedAt: Date) => addWorkingDays(acceptedAt, SERVICE_LIMITS.replyWorkingDays);
export const reopenReplyDue = (at: Date) => addWorkingDays(at, SERVICE_LIMITS.reopenReplyWorkingDays);

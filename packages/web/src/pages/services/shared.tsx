/** 企业吹哨·部门报到: the pieces the enterprise, officer and coordinator pages share. */
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Descriptions, Space, Timeline, Typography } from "antd";
import type { ReactNode } from "react";
import { api, ok } from "../../api/client";
import type { paths } from "../../api/schema";
import { MUTED, SafeTag } from "../../components/ApplicationTags";
import { dateTime } from "../../dates";

export type ServiceRequest =
  paths["/api/service-requests/{id}"]["get"]["responses"][200]["content"]["application/json"];
export type ServiceListItem =
  paths["/api/service-requests"]["get"]["responses"][200]["content"]["application/json"]["items"][number];

const STATUS_COLOR: Record<string, string> = {
  submitted: "processing",
  accepted: "cyan",
  replied: "purple",
  closed: "success",
  reopened: "warning",
};

const LIMIT_COLOR: Record<string, string> = { ok: "success", soon: "warning", overdue: "error" };

export function useServiceOptions() {
  return useQuery({
    queryKey: ["service-options"],
    queryFn: () => ok(api.GET("/api/service-requests/options")),
    staleTime: 3_600_000,
  });
}

export function StatusTag({ r }: { r: ServiceListItem }) {
  return <SafeTag color={STATUS_COLOR[r.status]}>{r.statusLabel}</SafeTag>;
}

/** 办理时限: "报到时限 2026-04-08 · 即将超时". */
export function LimitTag({ r }: { r: ServiceListItem }) {
  if (!r.timeLimit) return null;
  const t = r.timeLimit;
  const left = t.state === "overdue" ? "" : `，还剩 ${t.workingDaysLeft} 个工作日`;
  return (
    <SafeTag color={LIMIT_COLOR[t.state]}>
      {t.stageLabel} {t.due}（{t.label}
      {left}）
    </SafeTag>
  );
}

/** Where the service comes from: 渝经信规范〔2022〕6号第23条. */
export function Basis() {
  const o = useServiceOptions();
  if (!o.data) return null;
  const { basis, limits } = o.data;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      title="企业吹哨、部门报到"
      description={
        <>
          <div>
            依据{basis.docNumber}第{basis.ordinal}条：“{basis.quote}”
          </div>
          <div style={{ marginTop: 4 }}>
            诉求按类别和所在区县分派到负责部门。部门应在 {limits.acceptWorkingDays} 个工作日内报到受理，受理后{" "}
            {limits.replyWorkingDays} 个工作日内答复；对答复不满意可重新打开，部门须在{" "}
            {limits.reopenReplyWorkingDays} 个工作日内再次答复。超时的诉求升级至区发展改革委督办。
          </div>
        </>
      }
    />
  );
}

export function RequestSummary({ r, extra }: { r: ServiceListItem; extra?: ReactNode }) {
  return (
    <Space orientation="vertical" size={4} style={{ width: "100%" }}>
      <Space wrap size={4}>
        <StatusTag r={r} />
        <LimitTag r={r} />
        {r.escalated && <SafeTag color="red">已升级督办</SafeTag>}
        {r.forwardedToName && <SafeTag color="blue">已转报{r.forwardedToName}</SafeTag>}
      </Space>
      <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 2 }}>
        {r.description}
      </Typography.Paragraph>
      <Typography.Text style={{ color: MUTED }}>
        诉求编号 {r.number} · {r.category} · {r.departmentName} · 提出于 {dateTime(r.createdAt)}
      </Typography.Text>
      {extra}
    </Space>
  );
}

/** The request with its whole timeline (办理经过). */
export function RequestDetail({ r, actions }: { r: ServiceRequest; actions?: ReactNode }) {
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size="middle">
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          { key: "n", label: "诉求编号", children: r.number },
          { key: "e", label: "企业", children: r.enterpriseName },
          { key: "c", label: "类别", children: r.category },
          {
            key: "d",
            label: "诉求说明",
            children: <span style={{ whiteSpace: "pre-wrap" }}>{r.description}</span>,
          },
          { key: "dep", label: "负责部门", children: `${r.regionName}${r.departmentName}` },
          ...(r.officerName ? [{ key: "o", label: "服务专员", children: r.officerName }] : []),
          ...(r.forwardedToName
            ? [{ key: "f", label: "市区联动", children: `已转报${r.forwardedToName}` }]
            : []),
          {
            key: "s",
            label: "状态",
            children: (
              <Space wrap size={4}>
                <StatusTag r={r} />
                <LimitTag r={r} />
                {r.escalated && <SafeTag color="red">已升级督办</SafeTag>}
              </Space>
            ),
          },
          ...(r.reply
            ? [
                {
                  key: "r",
                  label: "部门答复",
                  children: <span style={{ whiteSpace: "pre-wrap" }}>{r.reply}</span>,
                },
              ]
            : []),
          ...(r.rating
            ? [
                {
                  key: "rt",
                  label: "满意度",
                  children: `${r.rating.score} 分（${SCORE_LABELS[r.rating.score - 1] ?? ""}）${r.rating.comment ? `：${r.rating.comment}` : ""}`,
                },
              ]
            : []),
        ]}
      />
      {actions}
      <Card size="small" title="办理经过">
        <Timeline
          items={r.events.map((e, i) => ({
            key: String(i),
            content: (
              <div>
                <Typography.Text strong>{e.what}</Typography.Text>
                <Typography.Text style={{ color: MUTED }}>
                  {" "}
                  · {e.who} · {dateTime(e.at)}
                </Typography.Text>
                {e.text && <div style={{ whiteSpace: "pre-wrap" }}>{e.text}</div>}
              </div>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}

export const SCORE_LABELS = ["很不满意", "不满意", "一般", "满意", "很满意"];

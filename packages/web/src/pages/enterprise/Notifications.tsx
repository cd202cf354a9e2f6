/** 消息通知: the enterprise's inbox; unread count; mark one or all as read; each leads where it is about. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Badge, Button, Card, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import { api, errorText, ok } from "../../api/client";
import { Page } from "../../components/Page";
import { dateTime, measurePath } from "./common";

const KINDS: Record<string, string> = {
  "matches.digest": "新措施适合您",
  "measure.new": "新措施适配",
  "measure.changed": "措施更新",
  "profile.matched": "画像更新后适配",
  "deadline.reminder": "截止提醒",
  "application.changed": "申报进度",
  "service.changed": "诉求办理",
};

/** Where a notification leads, and the link's words. */
function target(n: { link: string | null; measureId: string | null }): { to: string; text: string } | null {
  if (n.link === "/calculator") return { to: n.link, text: "查看政策计算器" };
  if (n.link?.startsWith("/applications/")) return { to: n.link, text: "查看申报" };
  if (n.link) return { to: n.link, text: "查看详情" };
  return n.measureId ? { to: measurePath(n.measureId), text: "查看措施" } : null;
}

export default function Notifications() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ["notifications"],
    queryFn: () => ok(api.GET("/api/notifications", { params: { query: { limit: 200 } } })),
  });
  const [busy, setBusy] = useState<string | null>(null);
  const items = q.data?.items ?? [];
  const markRead = async (ids: string[]) => {
    setBusy(ids.length === 1 ? (ids[0] ?? null) : "all");
    try {
      for (const id of ids) await ok(api.POST("/api/notifications/{id}/read", { params: { path: { id } } }));
      await qc.invalidateQueries({ queryKey: ["notifications"] });
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const unread = items.filter((n) => !n.read);
  return (
    <Page
      title="消息通知"
      loading={q.isLoading}
      error={q.error}
      empty={items.length === 0}
      emptyText="暂无通知"
      extra={
        <Space wrap>
          <Badge count={q.data?.unreadCount ?? 0} showZero overflowCount={999} color="#c8102e">
            <Typography.Text style={{ paddingRight: 12 }}>未读 {q.data?.unreadCount ?? 0} 条</Typography.Text>
          </Badge>
          <Link to="/notifications/settings">通知设置</Link>
          <Button
            disabled={unread.length === 0}
            loading={busy === "all"}
            onClick={() => markRead(unread.map((n) => n.id))}
          >
            全部标为已读
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: "100%" }}>
        {items.map((n) => (
          <Card
            key={n.id}
            size="small"
            style={{ borderLeft: n.read ? undefined : "4px solid #c8102e" }}
            title={
              <Space wrap size={4}>
                {!n.read && <Badge status="error" text="未读" />}
                <Tag>{KINDS[n.kind] ?? n.kind}</Tag>
                <span style={{ fontWeight: n.read ? 400 : 600, whiteSpace: "normal" }}>{n.title}</span>
              </Space>
            }
            extra={
              !n.read && (
                <Button
                  size="small"
                  loading={busy === n.id}
                  aria-label={`标为已读：${n.title}`}
                  onClick={() => markRead([n.id])}
                >
                  标为已读
                </Button>
              )
            }
          >
            <Typography.Paragraph style={{ marginBottom: 4, whiteSpace: "pre-wrap" }}>
              {n.body}
            </Typography.Paragraph>
            <Space wrap size={12}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {dateTime(n.createdAt)}
              </Typography.Text>
              {(() => {
                const t = target(n);
                return t ? (
                  <Link to={t.to} onClick={() => !n.read && void markRead([n.id])}>
                    {t.text}
                  </Link>
                ) : null;
              })()}
            </Space>
          </Card>
        ))}
      </Space>
    </Page>
  );
}

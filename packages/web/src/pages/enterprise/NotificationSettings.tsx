/**
 * 通知设置: which notices the enterprise wants (新措施适合我, 截止提醒, 申报状态) and through which channel (站内;
 * 邮件 is not connected yet). Stored on the server; the push jobs honour it.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Checkbox, Form, Space, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import { api, errorText, ok } from "../../api/client";
import type { paths } from "../../api/schema";
import { Page } from "../../components/Page";

type Settings = paths["/api/notifications/settings"]["get"]["responses"][200]["content"]["application/json"];

const TOPICS: { key: keyof Settings["topics"]; label: string; help: string }[] = [
  {
    key: "matches",
    label: "新措施适合我",
    help: "政策库新增或修改的措施、画像更新后新适合的措施，汇总成一条消息",
  },
  { key: "deadlines", label: "截止提醒", help: "可能符合、尚未申报的措施即将截止时提醒" },
  { key: "status", label: "申报状态", help: "申报被受理、退回补正、审批通过、公示、兑付等进度" },
];

export default function NotificationSettings() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ["notifications", "settings"],
    queryFn: () => ok(api.GET("/api/notifications/settings")),
  });
  const [draft, setDraft] = useState<Settings | null>(null);
  const [busy, setBusy] = useState(false);
  const s = draft ?? q.data;
  const save = async () => {
    if (!s) return;
    setBusy(true);
    try {
      const next = await ok(api.PUT("/api/notifications/settings", { body: s }));
      qc.setQueryData(["notifications", "settings"], next);
      setDraft(null);
      void message.success("通知设置已保存，之后的通知按此发送");
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const set = (next: Settings) => setDraft(next);
  return (
    <Page title="通知设置" loading={q.isLoading} error={q.error}>
      {s && (
        <Card>
          <Form layout="vertical" onFinish={save}>
            <Form.Item label="通知内容">
              <Space orientation="vertical">
                {TOPICS.map((t) => (
                  <Checkbox
                    key={t.key}
                    id={`topic-${t.key}`}
                    checked={s.topics[t.key]}
                    onChange={(e) => set({ ...s, topics: { ...s.topics, [t.key]: e.target.checked } })}
                  >
                    {t.label}
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
                      {t.help}
                    </Typography.Text>
                  </Checkbox>
                ))}
              </Space>
            </Form.Item>
            <Form.Item label="通知渠道">
              <Space orientation="vertical">
                <Checkbox
                  id="channel-inApp"
                  checked={s.channels.inApp}
                  onChange={(e) => set({ ...s, channels: { ...s.channels, inApp: e.target.checked } })}
                >
                  站内通知
                  <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
                    在「消息通知」中查看，菜单上显示未读数
                  </Typography.Text>
                </Checkbox>
                <Checkbox id="channel-email" checked={false} disabled>
                  邮件（待接入）
                  <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
                    平台尚未接入邮件发送，暂不能开启
                  </Typography.Text>
                </Checkbox>
              </Space>
            </Form.Item>
            {!s.channels.inApp && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 16 }}
                title="关闭站内通知后，您将收不到任何通知"
                description="邮件尚未接入；截止提醒和申报进度也不会再送达。申报进度仍可在「我的申报」中查看。"
              />
            )}
            <Space wrap>
              <Button type="primary" htmlType="submit" loading={busy} disabled={!draft}>
                保存设置
              </Button>
              <Link to="/notifications">返回消息通知</Link>
            </Space>
          </Form>
        </Card>
      )}
    </Page>
  );
}

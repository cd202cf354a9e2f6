import { App, Button, Form, Input, Typography } from "antd";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, errorText, ok, setCsrfToken } from "../api/client";
import { Panel } from "../components/Brand";
import { Page } from "../components/Page";
import { useSession } from "../session";

export default function Login() {
  const nav = useNavigate();
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  return (
    <Page title="登录">
      <Panel style={{ maxWidth: 420, margin: "0 auto" }}>
        <Form
          layout="vertical"
          onFinish={async (v: { username: string; password: string }) => {
            setBusy(true);
            try {
              const me = await ok(api.POST("/api/auth/login", { body: v }));
              setCsrfToken(me.csrfToken);
              await refresh();
              nav("/");
            } catch (e) {
              void message.error(errorText(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: "请输入用户名" }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: "请输入密码" }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16 }}>
          还没有账户？<Link to="/register">企业注册</Link>
        </Typography.Paragraph>
        <Typography.Paragraph>
          不登录也可以<Link to="/library">查看政策库</Link>，或用<Link to="/calculator">政策计算器</Link>
          试算能拿多少（答案只存在本机浏览器，注册时一并带入）。
        </Typography.Paragraph>
      </Panel>
    </Page>
  );
}

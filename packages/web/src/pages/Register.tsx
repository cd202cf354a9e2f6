import { App, Button, Card, Form, Input, Select } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ApiError, api, errorText, ok, setCsrfToken } from "../api/client";
import { Page } from "../components/Page";
import { useSession } from "../session";

export const DISTRICTS = [
  { value: "500113", label: "巴南区" },
  { value: "500112", label: "渝北区" },
  { value: "500154", label: "开州区" },
  { value: "500156", label: "武隆区" },
];

export default function Register() {
  const nav = useNavigate();
  const { refresh } = useSession();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  return (
    <Page title="企业注册">
      <Card style={{ maxWidth: 520, margin: "0 auto" }}>
        <Form
          form={form}
          layout="vertical"
          onFinish={async (v) => {
            setBusy(true);
            try {
              const me = await ok(api.POST("/api/auth/register", { body: v }));
              setCsrfToken(me.csrfToken);
              await refresh();
              nav("/profile");
            } catch (e) {
              if (e instanceof ApiError && e.fields.length)
                form.setFields(e.fields.map((f) => ({ name: f.field, errors: [f.message] })));
              void message.error(errorText(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item
            label="统一社会信用代码"
            name="uscc"
            rules={[{ required: true, len: 18, message: "请输入18位统一社会信用代码" }]}
          >
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item label="企业名称" name="name" rules={[{ required: true, message: "请输入企业名称" }]}>
            <Input />
          </Form.Item>
          <Form.Item
            label="所在区县"
            name="regionCode"
            rules={[{ required: true, message: "请选择所在区县" }]}
          >
            <Select options={DISTRICTS} placeholder="请选择" />
          </Form.Item>
          <Form.Item label="国民经济行业代码（GB/T 4754，如 C3670）" name="industryCode">
            <Input />
          </Form.Item>
          <Form.Item
            label="联系人姓名"
            name="displayName"
            rules={[{ required: true, message: "请输入联系人姓名" }]}
          >
            <Input />
          </Form.Item>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: "请输入用户名" }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item
            label="密码（至少 8 位）"
            name="password"
            rules={[{ required: true, min: 8, message: "密码至少 8 位" }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            注册并登录
          </Button>
        </Form>
      </Card>
    </Page>
  );
}

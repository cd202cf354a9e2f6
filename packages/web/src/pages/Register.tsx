import { Alert, App, Button, Card, Form, Input, Select } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ApiError, api, errorText, ok, setCsrfToken } from "../api/client";
import type { paths } from "../api/schema";
import { Page } from "../components/Page";
import { useSession } from "../session";
import { clearAnswers, factsForProfile, loadAnswers } from "./public/answers";

export const DISTRICTS = [
  { value: "500113", label: "巴南区" },
  { value: "500112", label: "渝北区" },
  { value: "500154", label: "开州区" },
  { value: "500156", label: "武隆区" },
];

type RegisterBody = paths["/api/auth/register"]["post"]["requestBody"]["content"]["application/json"];

export default function Register() {
  const nav = useNavigate();
  const { refresh } = useSession();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  // Answers given in the anonymous calculator (this browser only): prefill the district and industry, and
  // write the rest into the new profile right after registering.
  const [answers] = useState(() => loadAnswers());
  const answerCount = Object.keys(answers).length;
  const initial = {
    ...(typeof answers.regionCode === "string" ? { regionCode: answers.regionCode } : {}),
    ...(typeof answers.industryCode === "string" ? { industryCode: answers.industryCode } : {}),
  };
  /** The saved answers into the new profile (the facts update API: validated, audited, pushed); then cleared. */
  const saveAnswersToProfile = async (enterpriseId: string, industryCode: string | undefined) => {
    const facts = factsForProfile(answers, industryCode);
    if (Object.keys(facts).length === 0) {
      clearAnswers();
      return true;
    }
    try {
      const e = await ok(api.GET("/api/enterprises/{id}", { params: { path: { id: enterpriseId } } }));
      await ok(
        api.PUT("/api/enterprises/{id}/facts", {
          params: { path: { id: enterpriseId } },
          body: { version: e.version, facts },
        }),
      );
      clearAnswers();
      return true;
    } catch (err) {
      void message.error(
        `注册成功，但测算时的回答未能存入企业画像：${errorText(err)}。回答仍保存在本机，可在企业画像中重新填写。`,
      );
      return false;
    }
  };
  return (
    <Page title="企业注册">
      <Card style={{ maxWidth: 520, margin: "0 auto" }}>
        {answerCount > 0 && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`您在政策计算器中的 ${answerCount} 项回答将存入企业画像`}
            description="注册成功后，这些回答写入新企业的画像，本机浏览器中的副本随即清除。"
          />
        )}
        <Form
          form={form}
          layout="vertical"
          initialValues={initial}
          onFinish={async (v: RegisterBody) => {
            setBusy(true);
            try {
              const me = await ok(api.POST("/api/auth/register", { body: v }));
              setCsrfToken(me.csrfToken);
              const enterpriseId = me.actor.enterpriseId;
              const carried = answerCount > 0 && enterpriseId !== null;
              const saved = carried ? await saveAnswersToProfile(enterpriseId, v.industryCode) : false;
              await refresh();
              // With the calculator's answers: back to the calculator, now the enterprise's own, same figures.
              nav(saved ? "/calculator" : "/profile");
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

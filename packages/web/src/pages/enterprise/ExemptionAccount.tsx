/**
 * 免申即享 on the enterprise's application page: what happened (granted without applying, on whose
 * confirmation and which data), and the 收款账户 to confirm — finance issues the payment only after that.
 */
import { Alert, App, Button, Card, Form, Input } from "antd";
import { useState } from "react";
import { api, errorText, ok, yuanExact } from "../../api/client";
import type { AppDetail } from "./common";

interface Account {
  contactName: string;
  contactPhone: string;
  bankName: string;
  bankAccount: string;
}

export function ExemptionAccount({ detail, onSaved }: { detail: AppDetail; onSaved: () => void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const form = detail.form as {
    applicant?: Partial<Account> | null;
    exemption?: { confirmedByName?: string; confirmedAt?: string; accountConfirmedAt?: string | null };
  };
  const ex = form.exemption ?? {};
  const editable = ["approved", "publicNotice", "disbursementFailed"].includes(detail.status);

  async function save(v: Account) {
    setBusy(true);
    try {
      await ok(
        api.POST("/api/exemption/grants/{id}/account", { params: { path: { id: detail.id } }, body: v }),
      );
      void message.success("收款账户已确认");
      onSaved();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={<h4 style={{ margin: 0, fontSize: 16 }}>免申即享：确认收款账户</h4>}>
      <Alert
        type={detail.accountConfirmed ? "success" : "warning"}
        showIcon
        style={{ marginBottom: 16 }}
        title={
          detail.accountConfirmed
            ? "收款账户已确认，公示期满后由区财政局兑付。"
            : `您已获得免申即享政策兑现 ${yuanExact(detail.grantedFen)}，无需申请。请确认收款账户，确认后公示期满即可兑付。`
        }
        description={`由${ex.confirmedByName ?? "牵头单位经办人"}依据部门数据确认。`}
      />
      {editable && (
        <Form<Account>
          layout="vertical"
          initialValues={form.applicant ?? {}}
          onFinish={(v) => void save(v)}
          style={{ maxWidth: 480 }}
        >
          <Form.Item name="contactName" label="联系人" rules={[{ required: true, message: "请填写联系人" }]}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label="联系电话"
            rules={[{ required: true, pattern: /^[0-9+\-() ]{7,20}$/, message: "联系电话应为 7～20 位数字" }]}
          >
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="bankName" label="开户银行" rules={[{ required: true, message: "请填写开户银行" }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="bankAccount"
            label="银行账号"
            rules={[{ required: true, pattern: /^[0-9 ]{8,30}$/, message: "银行账号应为 8～30 位数字" }]}
          >
            <Input maxLength={30} inputMode="numeric" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} autoInsertSpace={false}>
            {detail.accountConfirmed ? "修改收款账户" : "确认收款账户"}
          </Button>
        </Form>
      )}
    </Card>
  );
}

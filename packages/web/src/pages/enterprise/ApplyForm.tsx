/**
 * The application form of a draft or a returned application: the prefilled assessment, contact and bank
 * fields, a statement, attachments; saved with PUT, then submitted (POST …/submit).
 */
import { PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, Descriptions, Form, Input, Space, Typography, Upload } from "antd";
import { useState } from "react";
import { ApiError, api, errorText, ok, yuanShort } from "../../api/client";
import { type AppDetail, OutcomeTag } from "./common";

type ContentType =
  | "application/pdf"
  | "image/jpeg"
  | "image/png"
  | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
  | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const TYPES: Record<string, ContentType> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

interface Assessment {
  asOf?: string;
  outcome?: "eligible" | "ineligible" | "undetermined";
  reason?: string | null;
  amount?: { min: number; max: number | null } | null;
  missing?: string[];
  facts?: Record<string, { label: string; value: unknown; unit: string | null }>;
}

interface Applicant {
  contactName?: string;
  contactPhone?: string;
  bankName?: string;
  bankAccount?: string;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(new Error("读取文件失败"));
    r.readAsDataURL(file);
  });
}

function amountText(a: Assessment["amount"]): string {
  if (!a) return "—";
  if (a.max === null) return a.min > 0 ? `${yuanShort(a.min)} 起（上限未定）` : "上限未定";
  return a.min === a.max ? yuanShort(a.max) : `${yuanShort(a.min)} ～ ${yuanShort(a.max)}`;
}

function factText(v: unknown, unit: string | null): string {
  if (v === true) return "是";
  if (v === false) return "否";
  if (v === "未知" || v === undefined) return "未知";
  if (typeof v === "number") return `${v.toLocaleString("zh-CN")}${unit ? ` ${unit}` : ""}`;
  if (Array.isArray(v)) return `${v.length} 条记录`;
  return String(v);
}

/** The prefilled part: what the engine assessed from the profile when the draft was opened. */
export function AssessmentView({ detail }: { detail: AppDetail }) {
  const a = (detail.form.assessment ?? {}) as Assessment;
  const facts = Object.entries(a.facts ?? {});
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      items={[
        { key: "measure", label: "申报措施", children: detail.measureTitle },
        {
          key: "outcome",
          label: "画像测算",
          children: (
            <Space wrap>
              {a.outcome && <OutcomeTag outcome={a.outcome} />}
              {a.asOf ? `测算日 ${a.asOf}` : ""}
            </Space>
          ),
        },
        { key: "amount", label: "测算金额区间", children: amountText(a.amount) },
        {
          key: "facts",
          label: "预填事实",
          children: facts.length ? (
            <div>
              {facts.map(([k, f]) => (
                <div key={k}>
                  {f.label}：{factText(f.value, f.unit)}
                </div>
              ))}
            </div>
          ) : (
            "—"
          ),
        },
        ...(a.missing?.length ? [{ key: "missing", label: "尚缺事实", children: a.missing.join("、") }] : []),
      ]}
    />
  );
}

export function ApplyForm({
  detail,
  submitText,
  onSubmitted,
}: {
  detail: AppDetail;
  submitText: string;
  onSubmitted: (d: AppDetail) => void;
}) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [current, setCurrent] = useState(detail);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const applicant = (current.form.applicant ?? {}) as Applicant;
  const id = current.id;

  const upload = async (file: File) => {
    const ext = file.name.split(".").pop()?.toLowerCase() ?? "";
    const contentType = TYPES[ext];
    if (!contentType) {
      void message.error("只接受 PDF、JPG、PNG、DOCX、XLSX 文件");
      return;
    }
    setUploading(true);
    const hide = message.loading(`正在上传 ${file.name}…`, 0);
    try {
      const contentBase64 = await readBase64(file);
      const next = await ok(
        api.POST("/api/applications/{id}/attachments", {
          params: { path: { id } },
          body: { fileName: file.name, contentType, contentBase64 },
        }),
      );
      setCurrent(next);
      void message.success(`已上传 ${file.name}`);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      hide();
      setUploading(false);
    }
  };

  const submit = async (v: Applicant & { statement?: string; refreshFacts?: boolean }) => {
    setBusy(true);
    const hide = message.loading("正在提交申报…", 0);
    try {
      const body = {
        version: current.version,
        applicant: {
          contactName: v.contactName ?? "",
          contactPhone: (v.contactPhone ?? "").trim(),
          ...(v.bankName?.trim() ? { bankName: v.bankName.trim() } : {}),
          ...(v.bankAccount?.trim() ? { bankAccount: v.bankAccount.trim() } : {}),
        },
        statement: v.statement ?? "",
        ...(v.refreshFacts ? { refreshFacts: true } : {}),
      };
      const saved = await ok(api.PUT("/api/applications/{id}", { params: { path: { id } }, body }));
      setCurrent(saved);
      const done = await ok(
        api.POST("/api/applications/{id}/submit", {
          params: { path: { id } },
          body: { version: saved.version },
        }),
      );
      qc.setQueryData(["application", id], done);
      await qc.invalidateQueries({ queryKey: ["applications"] });
      void message.success("申报已提交，请留意审核进度");
      onSubmitted(done);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length)
        form.setFields(
          e.fields
            .map((f) => ({ name: f.field.replace(/^applicant\./, ""), errors: [f.message] }))
            .filter((f) =>
              ["contactName", "contactPhone", "bankName", "bankAccount", "statement"].includes(f.name),
            ),
        );
      void message.error(errorText(e));
    } finally {
      hide();
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ ...applicant, statement: (current.form.statement as string | undefined) ?? "" }}
      onFinish={submit}
    >
      <Form.Item
        label="联系人"
        name="contactName"
        rules={[{ required: true, whitespace: true, message: "请填写联系人" }]}
      >
        <Input maxLength={50} autoComplete="name" />
      </Form.Item>
      <Form.Item
        label="联系电话"
        name="contactPhone"
        rules={[
          { required: true, message: "请填写联系电话" },
          { pattern: /^[0-9+\- ]{7,20}$/, message: "联系电话应为 7～20 位数字" },
        ]}
      >
        <Input maxLength={20} inputMode="tel" autoComplete="tel" />
      </Form.Item>
      <Form.Item label="开户银行（选填）" name="bankName">
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        label="银行账号（选填）"
        name="bankAccount"
        rules={[{ pattern: /^\d{8,30}$/, message: "银行账号应为 8～30 位数字" }]}
      >
        <Input maxLength={30} inputMode="numeric" />
      </Form.Item>
      <Form.Item label="申报说明（选填）" name="statement">
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      <Card size="small" title="申报材料（选填）" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          支持 PDF、JPG、PNG、DOCX、XLSX，单个文件不超过 10 MB。
        </Typography.Paragraph>
        {current.attachments.map((a) => (
          <div key={a.id}>
            <PaperClipOutlined aria-hidden /> {a.fileName}（{Math.ceil(a.size / 1024)} KB）
          </div>
        ))}
        <Upload
          accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
          showUploadList={false}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={uploading} style={{ marginTop: 8 }}>
            上传材料
          </Button>
        </Upload>
      </Card>
      {current.status === "returned" && (
        <Form.Item name="refreshFacts" valuePropName="checked">
          <Checkbox>按当前企业画像重新预填事实（补正时已修改画像的请勾选）</Checkbox>
        </Form.Item>
      )}
      <Form.Item
        name="declaration"
        valuePropName="checked"
        rules={[
          {
            validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error("请阅读并勾选声明"))),
          },
        ]}
      >
        <Checkbox>声明：本企业承诺所填信息和所附材料真实、准确、完整，如有不实愿承担相应责任</Checkbox>
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {submitText}
      </Button>
    </Form>
  );
}

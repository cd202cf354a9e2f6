/**
 * The application form of a draft or a returned application: the prefilled assessment, contact (prefilled
 * from the enterprise's last application or its registration) and the required receiving bank account, a
 * statement, the measure's materials as a checklist beside the upload; saved with PUT, then reviewed on a
 * confirmation step that lists what will be submitted, then submitted (POST …/submit).
 */
import { PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  Row,
  Space,
  Steps,
  Typography,
  Upload,
} from "antd";
import { useEffect, useState } from "react";
import { ApiError, api, errorText, ok, yuanShort } from "../../api/client";
import { readBase64, UPLOAD_ACCEPT, uploadContentType } from "../../files";
import { useSession } from "../../session";
import { type AppDetail, OutcomeTag } from "./common";
import { preventEnterSubmit } from "./FactInput";

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

/** The measure's materials (interpretation.materials) and whether the document itself lists them. */
function useMaterials(measureId: string) {
  const [documentId = "", item = ""] = measureId.split("/");
  const q = useQuery({
    queryKey: ["measure", measureId],
    queryFn: () =>
      ok(api.GET("/api/measures/{documentId}/{item}", { params: { path: { documentId, item } } })),
    staleTime: 600_000,
  });
  const i = q.data?.data.interpretation as
    | { materials?: string[]; materialsFromDocument?: boolean }
    | undefined;
  return {
    materials: i?.materials ?? [],
    fromDocument: i?.materialsFromDocument !== false,
    loading: q.isLoading,
  };
}

/**
 * What to prefill when the draft has no applicant yet: the contact and bank account of the enterprise's most
 * recent other application, else the contact person given at registration.
 */
function usePrefill(currentId: string, enabled: boolean): Applicant | null {
  const { me } = useSession();
  const list = useQuery({
    queryKey: ["applications", "recent"],
    queryFn: () => ok(api.GET("/api/applications", { params: { query: { limit: 5 } } })),
    enabled,
  });
  const prevId = list.data?.items.find((a) => a.id !== currentId)?.id;
  const prev = useQuery({
    queryKey: ["application", prevId],
    queryFn: () => ok(api.GET("/api/applications/{id}", { params: { path: { id: prevId ?? "" } } })),
    enabled: enabled && Boolean(prevId),
  });
  if (!enabled || list.isLoading || prev.isLoading) return null;
  const earlier = (prev.data?.form.applicant ?? null) as Applicant | null;
  return earlier ?? (me?.actor.displayName ? { contactName: me.actor.displayName } : null);
}

const APPLICANT_FIELDS = ["contactName", "contactPhone", "bankName", "bankAccount"] as const;

/** Bank account shown for checking: groups of four digits. */
function groupDigits(v: string | undefined): string {
  return v ? v.replace(/(\d{4})(?=\d)/g, "$1 ") : "—";
}

/**
 * Two steps: fill in (contact, receiving bank account, statement, materials against the measure's checklist,
 * declaration), saved as the draft; then a review of exactly what will be submitted, and 提交.
 */
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
  const [stage, setStage] = useState<"fill" | "review">("fill");
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [have, setHave] = useState<string[]>([]);
  const applicant = (current.form.applicant ?? {}) as Applicant;
  const id = current.id;
  const { materials, fromDocument } = useMaterials(current.measureId);
  const prefill = usePrefill(id, !current.form.applicant);
  const assessment = (current.form.assessment ?? {}) as Assessment;

  // Prefill only what the user has not typed yet.
  useEffect(() => {
    if (!prefill) return;
    const patch: Record<string, string> = {};
    for (const k of APPLICANT_FIELDS)
      if (prefill[k] && !form.getFieldValue(k)) patch[k] = prefill[k] as string;
    if (Object.keys(patch).length > 0) form.setFieldsValue(patch);
  }, [prefill, form]);

  const upload = async (file: File) => {
    const contentType = uploadContentType(file.name);
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

  const showFieldErrors = (e: unknown) => {
    if (e instanceof ApiError && e.fields.length)
      form.setFields(
        e.fields
          .map((f) => ({ name: f.field.replace(/^applicant\./, ""), errors: [f.message] }))
          .filter((f) => [...APPLICANT_FIELDS, "statement"].includes(f.name)),
      );
  };

  /** Step 1 → 2: save the form as the draft, so the review shows what the server holds. */
  const toReview = async (v: Applicant & { statement?: string; refreshFacts?: boolean }) => {
    setBusy(true);
    const hide = message.loading("正在保存申报表…", 0);
    try {
      const body = {
        version: current.version,
        applicant: {
          contactName: (v.contactName ?? "").trim(),
          contactPhone: (v.contactPhone ?? "").trim(),
          bankName: (v.bankName ?? "").trim(),
          bankAccount: (v.bankAccount ?? "").trim(),
        },
        statement: v.statement ?? "",
        ...(v.refreshFacts ? { refreshFacts: true } : {}),
      };
      const saved = await ok(api.PUT("/api/applications/{id}", { params: { path: { id } }, body }));
      setCurrent(saved);
      setStage("review");
    } catch (e) {
      showFieldErrors(e);
      void message.error(errorText(e));
    } finally {
      hide();
      setBusy(false);
    }
  };

  const submit = async () => {
    setBusy(true);
    const hide = message.loading("正在提交申报…", 0);
    try {
      const done = await ok(
        api.POST("/api/applications/{id}/submit", {
          params: { path: { id } },
          body: { version: current.version },
        }),
      );
      qc.setQueryData(["application", id], done);
      await qc.invalidateQueries({ queryKey: ["applications"] });
      void message.success("申报已提交，请留意审核进度");
      onSubmitted(done);
    } catch (e) {
      showFieldErrors(e);
      if (e instanceof ApiError && e.fields.length) setStage("fill");
      void message.error(errorText(e));
    } finally {
      hide();
      setBusy(false);
    }
  };

  const saved = (current.form.applicant ?? {}) as Applicant;
  const statement = (current.form.statement as string | undefined) ?? "";

  return (
    <div>
      <Steps
        size="small"
        current={stage === "fill" ? 0 : 1}
        style={{ marginBottom: 16 }}
        items={[{ title: "填写申报表" }, { title: "核对并提交" }]}
      />
      <div hidden={stage !== "fill"}>
        <Form
          form={form}
          layout="vertical"
          initialValues={{ ...applicant, statement }}
          onFinish={toReview}
          onKeyDown={preventEnterSubmit}
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
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
            收款账户：奖补资金拨付到这个账户，须为本企业的对公账户。
          </Typography.Paragraph>
          <Form.Item
            label="开户银行"
            name="bankName"
            rules={[
              { required: true, whitespace: true, message: "请填写开户银行（开户行）" },
              { min: 2, message: "开户银行至少 2 个字" },
            ]}
          >
            <Input maxLength={100} placeholder="如 重庆农村商业银行开州支行" />
          </Form.Item>
          <Form.Item
            label="银行账号"
            name="bankAccount"
            normalize={(v: unknown) => (typeof v === "string" ? v.replace(/\s/g, "") : v)}
            rules={[
              { required: true, message: "请填写银行账号" },
              { pattern: /^\d{8,30}$/, message: "银行账号应为 8～30 位数字" },
            ]}
          >
            <Input maxLength={30} inputMode="numeric" autoComplete="off" />
          </Form.Item>
          <Form.Item label="申报说明（选填）" name="statement">
            <Input.TextArea rows={3} maxLength={5000} />
          </Form.Item>
          <Card size="small" title="申报材料" style={{ marginBottom: 16 }}>
            <Row gutter={[16, 8]}>
              <Col xs={24} sm={12}>
                <Typography.Text strong id="materials-title">
                  {fromDocument ? "文件列明的申报材料" : "常见材料（文件未列明）"}
                </Typography.Text>
                <fieldset
                  aria-labelledby="materials-title"
                  style={{ border: 0, padding: 0, margin: "4px 0 0", minWidth: 0 }}
                >
                  {materials.length === 0 ? (
                    <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                      文件未列明材料，请按牵头单位的申报通知准备。
                    </Typography.Paragraph>
                  ) : (
                    <Checkbox.Group
                      style={{ display: "grid", gap: 4 }}
                      value={have}
                      onChange={(v) => setHave(v as string[])}
                      options={materials.map((m) => ({ value: m, label: m }))}
                    />
                  )}
                </fieldset>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: "4px 0 0" }}>
                  勾选已准备好的材料（只用于自查，不随申报提交）。
                </Typography.Paragraph>
              </Col>
              <Col xs={24} sm={12}>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                  支持 PDF、JPG、PNG、DOCX、XLSX，单个文件不超过 10 MB。
                </Typography.Paragraph>
                {current.attachments.map((a) => (
                  <div key={a.id}>
                    <PaperClipOutlined aria-hidden /> {a.fileName}（{Math.ceil(a.size / 1024)} KB）
                  </div>
                ))}
                <Upload
                  accept={UPLOAD_ACCEPT}
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
              </Col>
            </Row>
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
          <Button type="primary" htmlType="button" loading={busy} onClick={() => form.submit()}>
            下一步：核对申报内容
          </Button>
        </Form>
      </div>
      {stage === "review" && (
        <div>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title="请核对以下内容，确认无误后提交"
            description="提交后申报进入牵头单位审核，审核期间不能修改；如被退回补正，可修改后重新提交。奖补资金核定后拨付到下列收款账户。"
          />
          <Descriptions
            size="small"
            bordered
            column={1}
            items={[
              { key: "measure", label: "申报措施", children: current.measureTitle },
              { key: "amount", label: "测算金额区间", children: amountText(assessment.amount) },
              { key: "contact", label: "联系人", children: saved.contactName ?? "—" },
              { key: "phone", label: "联系电话", children: saved.contactPhone ?? "—" },
              { key: "bank", label: "开户银行", children: saved.bankName ?? "—" },
              { key: "account", label: "银行账号", children: groupDigits(saved.bankAccount) },
              { key: "statement", label: "申报说明", children: statement || "（未填写）" },
              {
                key: "files",
                label: "已上传材料",
                children: current.attachments.length
                  ? current.attachments.map((a) => <div key={a.id}>{a.fileName}</div>)
                  : "（未上传）",
              },
              ...(materials.length
                ? [
                    {
                      key: "checklist",
                      label: fromDocument ? "材料自查" : "材料自查（常见材料）",
                      children: `已勾选 ${have.length} / ${materials.length} 项${
                        have.length < materials.length
                          ? `；未勾选：${materials.filter((m) => !have.includes(m)).join("、")}`
                          : ""
                      }`,
                    },
                  ]
                : []),
              { key: "declaration", label: "声明", children: "已承诺所填信息和所附材料真实、准确、完整" },
            ]}
          />
          <Space wrap style={{ marginTop: 16 }}>
            <Button onClick={() => setStage("fill")} disabled={busy}>
              返回修改
            </Button>
            <Button type="primary" loading={busy} onClick={submit}>
              {submitText}
            </Button>
          </Space>
        </div>
      )}
    </div>
  );
}

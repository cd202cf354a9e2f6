/**
 * 审核申报: one application (by its 申报编号) for the officer or finance reviewer — the application and
 * applicant, the enterprise's facts as a Chinese table (labels, units; 企业自报 or 已核实, and 标记已核实 for
 * officers) beside the engine's explanation for this measure, attachments (预览 PDF and images, 下载),
 * review steps and history; the decision (通过 / 退回补正 / 不予通过) with a required 审核意见 and, on the
 * approving step, the 核定金额 (元, ≤ the engine's maximum); after approval the officer's 发起公示.
 * Writes carry the version read here (optimistic lock); a 409 asks to reload.
 */

import { failureText, formatYuanPlain, type MeasureExplanation, parseYuan } from "@huiqi/engine";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Image,
  Input,
  InputNumber,
  Modal,
  Row,
  Space,
  Steps,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError, api, errorText, ok, yuanExact } from "../../api/client";
import type { paths } from "../../api/schema";
import {
  AgeTag,
  departmentLabel,
  downloadFile,
  LINK,
  MUTED,
  reviewAge,
  SafeTag,
  StatusTag,
} from "../../components/ApplicationTags";
import { AsOfBar } from "../../components/AsOf";
import { Page } from "../../components/Page";
import { dateTime, today } from "../../dates";
import { useSession } from "../../session";
import { Explanation as ExplanationLines, useGlossary } from "../enterprise/ExplainTree";
import { type AssessedFact, FactsTable } from "./FactsTable";

type Detail = paths["/api/applications/{id}"]["get"]["responses"][200]["content"]["application/json"];

interface Assessment {
  asOf: string;
  outcome: "eligible" | "ineligible" | "undetermined";
  reason: string | null;
  amount: { min: number; max: number | null } | null;
  missing: string[];
  facts: Record<string, AssessedFact>;
}

const OUTCOME: Record<string, { text: string; color: string }> = {
  eligible: { text: "符合", color: "success" },
  ineligible: { text: "不符合", color: "error" },
  undetermined: { text: "待确认", color: "warning" },
};

const ROLE_STEP: Record<string, string> = { officer: "经办人", finance: "财政局" };

const rangeText = (a: { min: number; max: number | null }) =>
  a.max === null
    ? `${yuanExact(a.min)} 起（无上限）`
    : a.min === a.max
      ? yuanExact(a.max)
      : `${yuanExact(a.min)}～${yuanExact(a.max)}`;

function Explanation({
  enterpriseId,
  measureId,
  asOf,
}: {
  enterpriseId: string;
  measureId: string;
  asOf: string;
}) {
  const glossary = useGlossary();
  const q = useQuery({
    queryKey: ["matches", enterpriseId, asOf, measureId, "explain"],
    queryFn: () =>
      ok(
        api.GET("/api/enterprises/{id}/matches", {
          params: { path: { id: enterpriseId }, query: { asOf, measure: measureId, explain: "true" } },
        }),
      ),
  });
  if (q.isLoading) return <Typography.Text style={{ color: MUTED }}>正在按企业当前画像测算…</Typography.Text>;
  if (q.error) return <Alert type="error" showIcon title="测算失败" description={errorText(q.error)} />;
  const m = q.data?.results.find((r) => r.measureId === measureId);
  if (!m) return <Typography.Text style={{ color: MUTED }}>没有该措施的测算结果</Typography.Text>;
  const e = m.explanation as unknown as MeasureExplanation | undefined;
  const reason = (e && glossary ? failureText(e, glossary) : undefined) ?? m.reason;
  return (
    <div>
      <Space wrap style={{ marginBottom: 8 }}>
        <span>按企业当前画像（测算日 {asOf}）：</span>
        <SafeTag color={OUTCOME[m.outcome]?.color}>{OUTCOME[m.outcome]?.text}</SafeTag>
        {m.amount && <SafeTag color="blue">{rangeText(m.amount)}</SafeTag>}
      </Space>
      {reason && <Alert type="warning" showIcon title={reason} style={{ marginBottom: 8 }} />}
      {m.missing.length > 0 && (
        <Alert
          type="info"
          showIcon
          title={`尚缺事实：${m.missing.map((x) => x.label).join("、")}`}
          style={{ marginBottom: 8 }}
        />
      )}
      {e && <ExplanationLines ex={e} header notes />}
    </div>
  );
}

/** Bytes as KB / MB with one decimal; "小于 0.1 KB" for tiny files. */
function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const kb = (bytes / 1024).toFixed(1);
  return kb === "0.0" ? "小于 0.1 KB" : `${kb} KB`;
}

type Attachment = Detail["attachments"][number];

/** Types the server shows inline (?inline=1); others are downloads only. */
const PREVIEWABLE = new Set(["application/pdf", "image/png", "image/jpeg"]);

/**
 * 预览: an image in the dialog, a PDF in a same-origin frame (the inline response alone allows our pages to
 * frame it), with a link to open it in a new tab where the browser shows no PDFs in frames.
 */
function PreviewModal({
  applicationId,
  file,
  onClose,
}: {
  applicationId: string;
  file: Attachment | null;
  onClose: () => void;
}) {
  const src = file ? `/api/applications/${applicationId}/attachments/${file.id}?inline=1` : "";
  const pdf = file?.contentType === "application/pdf";
  return (
    <Modal
      open={file !== null}
      onCancel={onClose}
      footer={null}
      width={pdf ? 960 : 720}
      title={file ? `预览：${file.fileName}（${fileSize(file.size)}）` : "预览"}
      destroyOnHidden
    >
      {file &&
        (pdf ? (
          <>
            <iframe
              title={`${file.fileName}（PDF 预览）`}
              src={src}
              style={{ width: "100%", height: "70vh", border: "1px solid #d9d9d9" }}
            />
            <a href={src} target="_blank" rel="noopener noreferrer" style={{ color: LINK }}>
              在新标签页中打开
            </a>
          </>
        ) : (
          <div style={{ textAlign: "center" }}>
            <Image
              src={src}
              alt={file.fileName}
              preview={false}
              style={{ maxWidth: "100%", maxHeight: "70vh" }}
            />
          </div>
        ))}
    </Modal>
  );
}

function Decision({ d, onDone }: { d: Detail; onDone: (next: Detail) => void }) {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ reason: string; granted?: string }>();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const qc = useQueryClient();
  const last = d.currentStep === d.steps.length - 1;
  const step = d.steps[d.currentStep];

  async function decide(decision: "pass" | "return" | "reject") {
    setError(null);
    let v: { reason: string; granted?: string };
    try {
      v = await form.validateFields(decision === "pass" && last ? ["reason", "granted"] : ["reason"]);
    } catch {
      return;
    }
    // 不予通过 ends the application: say so, and ask.
    if (
      decision === "reject" &&
      !(await new Promise<boolean>((resolve) => {
        modal.confirm({
          title: "确认不予通过",
          content: "不予通过后申报办结，企业不能再补正；如只是材料不全或需修改，请选择「退回补正」。",
          okText: "确认不予通过",
          okButtonProps: { danger: true, autoInsertSpace: false },
          cancelText: "取消",
          cancelButtonProps: { autoInsertSpace: false },
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        });
      }))
    )
      return;
    // The amount as typed, read exactly from its decimal text (the validator has checked it parses).
    const grantedFen = v.granted === undefined ? undefined : parseYuan(v.granted);
    setBusy(decision);
    try {
      const next = await ok(
        api.POST("/api/applications/{id}/review", {
          params: { path: { id: d.id } },
          body: {
            version: d.version,
            decision,
            reason: v.reason.trim(),
            ...(decision === "pass" && last && grantedFen !== undefined ? { grantedFen } : {}),
          },
        }),
      );
      void message.success(
        decision === "pass"
          ? last
            ? "已审批通过"
            : "已通过，转下一步审核"
          : decision === "return"
            ? "已退回补正"
            : "已不予通过",
      );
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ["applications"] });
      onDone(next);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card title={`审核：${step?.name ?? ""}`} style={{ marginBottom: 16 }}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ granted: d.maxFen !== null ? formatYuanPlain(d.maxFen) : undefined }}
      >
        {last && (
          <Form.Item
            label="核定金额（元）"
            name="granted"
            extra={
              d.maxFen !== null
                ? `按政策测算的最高可得：${yuanExact(d.maxFen)}；通过时填写，不得超过最高可得`
                : "测算无上限，请按政策核定"
            }
            rules={[
              { required: true, message: "请填写核定金额" },
              {
                validator: (_, text: string | null | undefined) =>
                  text === null || text === undefined || text === "" || parseYuan(text) !== undefined
                    ? Promise.resolve()
                    : Promise.reject(new Error("核定金额应为元，最多两位小数")),
              },
            ]}
          >
            <InputNumber<string>
              stringMode
              style={{ width: 240 }}
              min="0.01"
              {...(d.maxFen !== null ? { max: formatYuanPlain(d.maxFen) } : {})}
              precision={2}
              step={1000}
              suffix="元"
            />
          </Form.Item>
        )}
        <Form.Item
          label="审核意见"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: "请填写审核意见" },
            { min: 2, message: "审核意见至少 2 个字" },
            { max: 1000, message: "审核意见最多 1000 字" },
          ]}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount placeholder="通过、退回补正或不予通过的理由" />
        </Form.Item>
        {error ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={
              error instanceof ApiError && error.code === "VERSION_MISMATCH"
                ? "申报已被他人修改"
                : "操作未成功"
            }
            description={errorText(error)}
            action={
              error instanceof ApiError &&
              (error.code === "VERSION_MISMATCH" || error.code === "INVALID_STATE") ? (
                <Button
                  size="small"
                  onClick={() => {
                    setError(null);
                    void qc.invalidateQueries({ queryKey: ["application", d.id] });
                  }}
                >
                  重新加载
                </Button>
              ) : undefined
            }
          />
        ) : null}
        <Space wrap>
          <Button
            autoInsertSpace={false}
            type="primary"
            loading={busy === "pass"}
            disabled={busy !== null}
            onClick={() => decide("pass")}
          >
            通过
          </Button>
          <Button loading={busy === "return"} disabled={busy !== null} onClick={() => decide("return")}>
            退回补正
          </Button>
          <Button
            danger
            style={{ color: "#a8071a", borderColor: "#a8071a" }}
            loading={busy === "reject"}
            disabled={busy !== null}
            onClick={() => decide("reject")}
          >
            不予通过
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

function PublishNotice({ d, onDone }: { d: Detail; onDone: (next: Detail) => void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const qc = useQueryClient();
  return (
    <Card title="公示" style={{ marginBottom: 16 }}>
      <Typography.Paragraph>
        已审批通过，核定金额 {yuanExact(d.grantedFen)}。发起公示后，公示期满次日起财政局方可兑付。
      </Typography.Paragraph>
      {error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title="发起公示未成功"
          description={errorText(error)}
        />
      ) : null}
      <Button
        type="primary"
        loading={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const next = await ok(
              api.POST("/api/applications/{id}/public-notice", {
                params: { path: { id: d.id } },
                body: { version: d.version },
              }),
            );
            void message.success(`已发起公示，公示至 ${next.noticeUntil ?? ""}`);
            void qc.invalidateQueries({ queryKey: ["applications"] });
            onDone(next);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        发起公示
      </Button>
    </Card>
  );
}

export default function ReviewDetail() {
  const { message } = App.useApp();
  const { id = "" } = useParams();
  const { me, can, asOfInUrl, setAsOf } = useSession();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ["application", id],
    queryFn: () => ok(api.GET("/api/applications/{id}", { params: { path: { id } } })),
    enabled: Boolean(id),
  });
  const d = q.data;
  const assessment = d?.form.assessment as Assessment | undefined;
  // The explanation's policy date: ?asOf= when chosen, else the date the application was assessed.
  const explainAsOf = asOfInUrl ?? assessment?.asOf ?? today();
  const applicant = d?.form.applicant as
    | { contactName?: string; contactPhone?: string; bankName?: string; bankAccount?: string }
    | null
    | undefined;
  const statement = d?.form.statement as string | undefined;
  const step = d?.steps[d.currentStep];
  const actor = me?.actor;
  const myStep =
    d?.status === "submitted" &&
    step?.status === "pending" &&
    actor !== undefined &&
    step.role === actor.role &&
    (actor.role === "finance" || step.department === actor.department);
  const canPublish =
    d?.status === "approved" && can("application.publishNotice") && actor?.department === d.leadDepartment;
  const setDetail = (next: Detail) => qc.setQueryData(["application", id], next);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState<Attachment | null>(null);

  return (
    <Page
      title={d ? `审核申报 ${d.number}` : "审核申报"}
      loading={q.isLoading}
      error={q.error}
      extra={
        <Link style={{ color: LINK }} to="/review">
          返回待审申报
        </Link>
      }
    >
      {d && (
        <Row gutter={16}>
          <Col xs={24} xl={12}>
            <Card title="申报信息" style={{ marginBottom: 16 }}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label="申报编号">{d.number}</Descriptions.Item>
                <Descriptions.Item label="企业">{d.enterpriseName}</Descriptions.Item>
                <Descriptions.Item label="措施">{d.measureTitle}</Descriptions.Item>
                <Descriptions.Item label="牵头单位">{departmentLabel(d.leadDepartment)}</Descriptions.Item>
                <Descriptions.Item label="状态">
                  <Space wrap>
                    <StatusTag status={d.status} label={d.statusLabel} />
                    {d.status === "submitted" && <AgeTag days={reviewAge(d)} />}
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label="测算最高可得">
                  {d.maxFen === null ? "无上限或待定" : yuanExact(d.maxFen)}
                  {assessment?.amount && assessment.amount.min !== assessment.amount.max
                    ? `（区间 ${rangeText(assessment.amount)}）`
                    : ""}
                </Descriptions.Item>
                {d.grantedFen !== null && (
                  <Descriptions.Item label="核定金额">{yuanExact(d.grantedFen)}</Descriptions.Item>
                )}
                <Descriptions.Item label="提交时间">
                  {d.submittedAt ? dateTime(d.submittedAt) : "未提交"}
                </Descriptions.Item>
                {d.noticeUntil && <Descriptions.Item label="公示截止">{d.noticeUntil}</Descriptions.Item>}
                <Descriptions.Item label="联系人">
                  {applicant?.contactName ?? "—"} {applicant?.contactPhone ?? ""}
                </Descriptions.Item>
                <Descriptions.Item label="收款账户">
                  {applicant?.bankName ?? ""} {applicant?.bankAccount ?? "—"}
                </Descriptions.Item>
                <Descriptions.Item label="申报说明">{statement || "—"}</Descriptions.Item>
                {d.disbursement && (
                  <Descriptions.Item label="兑付">
                    批次 {d.disbursement.batchRef}，{yuanExact(d.disbursement.amountFen)}，
                    {d.disbursement.status === "paid"
                      ? "已到账"
                      : d.disbursement.status === "failed"
                        ? `失败：${d.disbursement.failureReason ?? ""}`
                        : "已发出"}
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>

            <Card title="审核步骤" style={{ marginBottom: 16 }}>
              <Steps
                orientation="vertical"
                size="small"
                current={d.status === "submitted" ? d.currentStep : d.steps.length}
                status={d.status === "rejected" ? "error" : d.status === "returned" ? "error" : undefined}
                items={d.steps.map((s) => ({
                  title: s.name,
                  content: `${departmentLabel(s.department)}（${ROLE_STEP[s.role] ?? s.role}）${
                    s.status === "passed"
                      ? " · 通过"
                      : s.status === "returned"
                        ? " · 退回补正"
                        : s.status === "rejected"
                          ? " · 不予通过"
                          : s.status === "pending"
                            ? " · 待审核"
                            : ""
                  }${s.reason ? `：${s.reason}` : ""}`,
                }))}
              />
            </Card>

            {myStep && <Decision d={d} onDone={setDetail} />}
            {canPublish && <PublishNotice d={d} onDone={setDetail} />}
            {d.status === "submitted" && !myStep && step && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                title={`当前步骤「${step.name}」由${departmentLabel(step.department)}审核，不是您的待办`}
              />
            )}

            <Card title="附件" style={{ marginBottom: 16 }}>
              {d.attachments.length === 0 ? (
                <Typography.Text style={{ color: MUTED }}>企业未上传附件</Typography.Text>
              ) : (
                <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
                  {d.attachments.map((a) => (
                    <li
                      key={a.id}
                      style={{ display: "flex", justifyContent: "space-between", gap: 8, padding: "6px 0" }}
                    >
                      <span>
                        {a.fileName}
                        <Typography.Text style={{ color: MUTED, fontSize: 12, marginLeft: 8 }}>
                          {fileSize(a.size)} · {dateTime(a.createdAt)}
                        </Typography.Text>
                      </span>
                      <Space size={4}>
                        {PREVIEWABLE.has(a.contentType) && (
                          <Button
                            autoInsertSpace={false}
                            size="small"
                            aria-label={`预览 ${a.fileName}`}
                            onClick={() => setPreviewing(a)}
                          >
                            预览
                          </Button>
                        )}
                        <Button
                          autoInsertSpace={false}
                          size="small"
                          loading={downloading === a.id}
                          aria-label={`下载 ${a.fileName}`}
                          onClick={async () => {
                            setDownloading(a.id);
                            try {
                              await downloadFile(`/api/applications/${d.id}/attachments/${a.id}`, a.fileName);
                            } catch (e) {
                              void message.error(errorText(e));
                            } finally {
                              setDownloading(null);
                            }
                          }}
                        >
                          下载
                        </Button>
                      </Space>
                    </li>
                  ))}
                </ul>
              )}
            </Card>

            <PreviewModal applicationId={d.id} file={previewing} onClose={() => setPreviewing(null)} />

            <Card title="办理历史" style={{ marginBottom: 16 }}>
              <Timeline
                items={d.history.map((h, i) => ({
                  key: `${h.at}-${i}`,
                  color:
                    h.toStatus === "rejected" || h.toStatus === "disbursementFailed"
                      ? "red"
                      : h.toStatus === "returned"
                        ? "orange"
                        : h.toStatus === "closed"
                          ? "green"
                          : "blue",
                  content: (
                    <div>
                      <div>
                        {dateTime(h.at)}　
                        {h.fromStatus === "submitted" && h.toStatus === "submitted"
                          ? "审核通过，转下一步"
                          : (HISTORY_LABELS[h.toStatus] ?? h.toStatus)}
                      </div>
                      {h.reason && <Typography.Text style={{ color: MUTED }}>{h.reason}</Typography.Text>}
                    </div>
                  ),
                }))}
              />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title="企业申报的事实" style={{ marginBottom: 16 }}>
              {assessment && (
                <Space wrap style={{ marginBottom: 8 }}>
                  <span>申报时测算（{assessment.asOf}）：</span>
                  <SafeTag color={OUTCOME[assessment.outcome]?.color}>
                    {OUTCOME[assessment.outcome]?.text}
                  </SafeTag>
                  {assessment.amount && <SafeTag color="blue">{rangeText(assessment.amount)}</SafeTag>}
                </Space>
              )}
              <FactsTable
                enterpriseId={d.enterpriseId}
                asOf={assessment?.asOf}
                facts={assessment?.facts ?? {}}
                canVerify={can("enterprise.verifyFact")}
              />
            </Card>
            <Card title="引擎解释" style={{ marginBottom: 16 }}>
              {can("match.read") ? (
                <>
                  <AsOfBar
                    value={explainAsOf}
                    onChange={(v) => setAsOf(v, assessment?.asOf)}
                    defaultDate={assessment?.asOf}
                    defaultNote="申报时测算日"
                    description={`下面的解释按 ${explainAsOf} 当天有效的政策和企业当前画像计算。`}
                  />
                  <Explanation enterpriseId={d.enterpriseId} measureId={d.measureId} asOf={explainAsOf} />
                </>
              ) : (
                <Typography.Paragraph style={{ color: MUTED }}>
                  {assessment?.reason ?? "申报时引擎测算结论见左侧；完整解释由牵头单位经办人查看。"}
                </Typography.Paragraph>
              )}
            </Card>
          </Col>
        </Row>
      )}
    </Page>
  );
}

const HISTORY_LABELS: Record<string, string> = {
  draft: "创建草稿",
  submitted: "提交／审核中",
  returned: "退回补正",
  rejected: "不予通过",
  approved: "审批通过",
  publicNotice: "发起公示",
  disbursing: "发起兑付",
  disbursementFailed: "兑付失败",
  closed: "已兑付办结",
};

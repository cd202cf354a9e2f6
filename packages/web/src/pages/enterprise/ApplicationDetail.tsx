/** 申报详情 (enterprise view): status timeline, review steps, correction requests, attachments, payment result. */
import { PaperClipOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Input,
  Rate,
  Space,
  Steps,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api, errorText, ok, yuanExact, yuanShort } from "../../api/client";
import { ExemptionTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { useSession } from "../../session";
import { ApplyForm, AssessmentView } from "./ApplyForm";
import { type AppDetail, dateTime, measurePath, STATUS_LABELS, StatusTag } from "./common";
import { ExemptionAccount } from "./ExemptionAccount";

const STEP_STATUS: Record<string, { text: string; status: "wait" | "process" | "finish" | "error" }> = {
  pending: { text: "审核中", status: "process" },
  waiting: { text: "待审核", status: "wait" },
  passed: { text: "已通过", status: "finish" },
  returned: { text: "退回补正", status: "error" },
  rejected: { text: "不予通过", status: "error" },
};

function who(d: AppDetail, actorId: string | null, myId: string | undefined): string {
  if (!actorId) return "系统";
  if (actorId === myId) return "本企业";
  const step = d.steps.find((s) => s.actorId === actorId);
  if (step) return step.name;
  return "审核部门";
}

const SCORE_WORDS = ["很不满意", "不满意", "一般", "满意", "很满意"];
const COMMENT_MAX = 500;

/**
 * 满意度评价: once the application is closed (已兑付办结 or 不予通过) the enterprise rates it 1–5 with an optional
 * comment, once; afterwards the card shows the rating given.
 */
function RatingCard({ id }: { id: string }) {
  const rating = useQuery({
    queryKey: ["application", id, "rating"],
    queryFn: () => ok(api.GET("/api/applications/{id}/rating", { params: { path: { id } } })),
  });
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const r = rating.data;
  if (!r || (!r.rating && !r.canRate)) return null;
  const submit = async () => {
    if (score < 1) {
      setError("请先选择满意度（1～5 星）");
      return;
    }
    setSending(true);
    setError(null);
    try {
      await ok(
        api.POST("/api/applications/{id}/rating", {
          params: { path: { id } },
          body: { score, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        }),
      );
      await rating.refetch();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSending(false);
    }
  };
  return (
    <Card title={<h4 style={{ margin: 0, fontSize: 16 }}>满意度评价</h4>}>
      {r.rating ? (
        <div>
          <Space wrap>
            <Rate disabled value={r.rating.score} aria-label={`评分 ${r.rating.score} 分`} />
            <strong>{SCORE_WORDS[r.rating.score - 1]}</strong>
          </Space>
          {r.rating.comment && (
            <Typography.Paragraph style={{ marginTop: 8 }}>{r.rating.comment}</Typography.Paragraph>
          )}
          <Typography.Text type="secondary" style={{ display: "block", marginTop: 4, fontSize: 13 }}>
            已于 {dateTime(r.rating.createdAt)} 评价，感谢您的反馈
          </Typography.Text>
        </div>
      ) : (
        <div>
          <Typography.Paragraph>
            本申报已办结，请对办理过程评价（每件申报可评价一次，提交后不可修改）。
          </Typography.Paragraph>
          <div id="rating-score-label" style={{ marginBottom: 4 }}>
            满意度
          </div>
          <Space wrap>
            <Rate
              value={score}
              onChange={(v) => {
                setScore(v);
                setError(null);
              }}
              tooltips={SCORE_WORDS}
              aria-labelledby="rating-score-label"
            />
            {score > 0 && <span>{SCORE_WORDS[score - 1]}</span>}
          </Space>
          <label htmlFor="rating-comment" style={{ display: "block", margin: "12px 0 4px" }}>
            评价意见（选填）
          </label>
          <Input.TextArea
            id="rating-comment"
            rows={3}
            maxLength={COMMENT_MAX}
            showCount
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="如办理是否及时、材料要求是否清楚"
          />
          {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
          <Button type="primary" onClick={() => void submit()} loading={sending} style={{ marginTop: 12 }}>
            提交评价
          </Button>
        </div>
      )}
    </Card>
  );
}

export default function ApplicationDetail() {
  const { id = "" } = useParams();
  const { me } = useSession();
  const q = useQuery({
    queryKey: ["application", id],
    queryFn: () => ok(api.GET("/api/applications/{id}", { params: { path: { id } } })),
  });
  const d = q.data;
  const returned = d ? [...d.history].reverse().find((h) => h.toStatus === "returned") : undefined;
  const rejected = d ? [...d.history].reverse().find((h) => h.toStatus === "rejected") : undefined;
  const disb = d?.disbursement;
  return (
    <Page title="申报详情" loading={q.isLoading} error={q.error}>
      {d && (
        <Space orientation="vertical" size={16} style={{ width: "100%" }}>
          <Card>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                { key: "no", label: "申报编号", children: d.number },
                {
                  key: "m",
                  label: "申报措施",
                  children: <Link to={measurePath(d.measureId)}>{d.measureTitle}</Link>,
                },
                {
                  key: "s",
                  label: "状态",
                  children: (
                    <>
                      <StatusTag status={d.status} />
                      {d.channel === "exemption" && <ExemptionTag />}
                    </>
                  ),
                },
                { key: "e", label: "申报企业", children: d.enterpriseName },
                {
                  key: "max",
                  label: "测算最高可得",
                  children: d.maxFen === null ? "未定" : yuanShort(d.maxFen),
                },
                {
                  key: "g",
                  label: "核定金额",
                  children: d.grantedFen === null ? "尚未核定" : yuanExact(d.grantedFen),
                },
                ...(d.noticeUntil ? [{ key: "n", label: "公示截止", children: d.noticeUntil }] : []),
                { key: "c", label: "创建时间", children: dateTime(d.createdAt) },
                { key: "u", label: "最近更新", children: dateTime(d.updatedAt) },
              ]}
            />
          </Card>

          {d.status === "returned" && (
            <Alert
              type="error"
              showIcon
              title="申报被退回补正"
              description={
                <div>
                  <div>
                    退回理由：
                    <Typography.Text strong mark>
                      {returned?.reason ?? "（未写明）"}
                    </Typography.Text>
                  </div>
                  <div style={{ fontSize: 12 }}>
                    {who(d, returned?.actorId ?? null, me?.actor.id)} · {dateTime(returned?.at)}
                    。请按要求修改后重新提交；如需更新企业事实，请先到 <Link to="/profile">企业画像</Link>{" "}
                    修改。
                  </div>
                </div>
              }
            />
          )}
          {d.status === "rejected" && (
            <Alert
              type="error"
              showIcon
              title="不予通过"
              description={`理由：${rejected?.reason ?? "（未写明）"}`}
            />
          )}

          {disb && (
            <Card title={<h4 style={{ margin: 0, fontSize: 16 }}>兑付结果</h4>}>
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2 }}
                items={[
                  {
                    key: "st",
                    label: "兑付状态",
                    children:
                      disb.status === "paid" ? (
                        <Tag color="success">已支付</Tag>
                      ) : disb.status === "failed" ? (
                        <Tag color="error">兑付失败</Tag>
                      ) : (
                        <Tag color="processing">兑付中</Tag>
                      ),
                  },
                  { key: "amt", label: "兑付金额", children: yuanExact(disb.amountFen) },
                  { key: "batch", label: "兑付批次", children: disb.batchRef },
                  { key: "issued", label: "发起日期", children: dateTime(disb.issuedAt) },
                  ...(disb.settledAt
                    ? [{ key: "settled", label: "到账/结果日期", children: dateTime(disb.settledAt) }]
                    : []),
                  ...(disb.failureReason
                    ? [{ key: "why", label: "失败原因", children: disb.failureReason }]
                    : []),
                ]}
              />
            </Card>
          )}

          {(d.status === "draft" || d.status === "returned") && (
            <Card
              title={
                <h4 style={{ margin: 0, fontSize: 16 }}>
                  {d.status === "returned" ? "修改申报表" : "填写申报表"}
                </h4>
              }
            >
              <AssessmentView detail={d} />
              <div style={{ marginTop: 16 }}>
                <ApplyForm
                  key={d.version}
                  detail={d}
                  submitText={d.status === "returned" ? "修改后重新提交" : "提交申报"}
                  onSubmitted={() => void q.refetch()}
                />
              </div>
            </Card>
          )}

          {d.channel === "exemption" && <ExemptionAccount detail={d} onSaved={() => void q.refetch()} />}

          {(d.status === "closed" || d.status === "rejected") && <RatingCard id={d.id} />}

          <Card title={<h4 style={{ margin: 0, fontSize: 16 }}>审核步骤</h4>}>
            <Steps
              orientation="vertical"
              size="small"
              current={d.currentStep}
              items={d.steps.map((s) => ({
                title: s.name,
                status: STEP_STATUS[s.status]?.status ?? "wait",
                content: (
                  <span>
                    {STEP_STATUS[s.status]?.text ?? s.status}
                    {s.decidedAt ? ` · ${dateTime(s.decidedAt)}` : ""}
                    {s.reason ? ` · 意见：${s.reason}` : ""}
                  </span>
                ),
              }))}
            />
          </Card>

          <Card title={<h4 style={{ margin: 0, fontSize: 16 }}>办理记录</h4>}>
            <Timeline
              items={d.history.map((h, i) => ({
                key: `${h.at}-${i}`,
                color:
                  h.toStatus === "returned" ||
                  h.toStatus === "rejected" ||
                  h.toStatus === "disbursementFailed"
                    ? "red"
                    : h.toStatus === "closed"
                      ? "green"
                      : "blue",
                content: (
                  <div>
                    <div>
                      <StatusTag status={h.toStatus} />
                      {h.fromStatus ? `${STATUS_LABELS[h.fromStatus] ?? h.fromStatus} → ` : ""}
                      {STATUS_LABELS[h.toStatus] ?? h.toStatus}
                    </div>
                    <div style={{ fontSize: 12, color: "#666" }}>
                      {who(d, h.actorId, me?.actor.id)} · {dateTime(h.at)}
                    </div>
                    {h.reason && <div style={{ fontSize: 12 }}>理由：{h.reason}</div>}
                  </div>
                ),
              }))}
            />
          </Card>

          <Card title={<h4 style={{ margin: 0, fontSize: 16 }}>申报材料</h4>}>
            {d.attachments.length === 0 ? (
              <Typography.Text type="secondary">未上传材料</Typography.Text>
            ) : (
              d.attachments.map((a) => (
                <div key={a.id}>
                  <PaperClipOutlined aria-hidden /> {a.fileName}（{Math.ceil(a.size / 1024)} KB，
                  {dateTime(a.createdAt)}）
                </div>
              ))
            )}
          </Card>
        </Space>
      )}
    </Page>
  );
}

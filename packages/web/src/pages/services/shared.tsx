/** 企业吹哨·部门报到: the pieces the enterprise, officer and coordinator pages share. */
import { PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Descriptions, Space, Timeline, Typography, Upload } from "antd";
import { type ReactNode, useState } from "react";
import { api, errorText, ok } from "../../api/client";
import type { paths } from "../../api/schema";
import { downloadFile, MUTED, SafeTag } from "../../components/ApplicationTags";
import { dateTime } from "../../dates";
import { readBase64, UPLOAD_ACCEPT, uploadContentType } from "../../files";

export type ServiceRequest =
  paths["/api/service-requests/{id}"]["get"]["responses"][200]["content"]["application/json"];
export type ServiceListItem =
  paths["/api/service-requests"]["get"]["responses"][200]["content"]["application/json"]["items"][number];

const STATUS_COLOR: Record<string, string> = {
  submitted: "processing",
  accepted: "cyan",
  replied: "purple",
  closed: "success",
  reopened: "warning",
};

const LIMIT_COLOR: Record<string, string> = { ok: "success", soon: "warning", overdue: "error" };

export function useServiceOptions() {
  return useQuery({
    queryKey: ["service-options"],
    queryFn: () => ok(api.GET("/api/service-requests/options")),
    staleTime: 3_600_000,
  });
}

export function StatusTag({ r }: { r: ServiceListItem }) {
  return <SafeTag color={STATUS_COLOR[r.status]}>{r.statusLabel}</SafeTag>;
}

/** 办理时限: "报到时限 2026-04-08 · 即将超时". */
export function LimitTag({ r }: { r: ServiceListItem }) {
  if (!r.timeLimit) return null;
  const t = r.timeLimit;
  const left = t.state === "overdue" ? "" : `，还剩 ${t.workingDaysLeft} 个工作日`;
  return (
    <SafeTag color={LIMIT_COLOR[t.state]}>
      {t.stageLabel} {t.due}（{t.label}
      {left}）
    </SafeTag>
  );
}

/** Where the service comes from: 渝经信规范〔2022〕6号第23条. */
export function Basis() {
  const o = useServiceOptions();
  if (!o.data) return null;
  const { basis, limits } = o.data;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      title="企业吹哨、部门报到"
      description={
        <>
          <div>
            依据{basis.docNumber}第{basis.ordinal}条：“{basis.quote}”
          </div>
          <div style={{ marginTop: 4 }}>
            诉求按类别和所在区县分派到负责部门。部门应在 {limits.acceptWorkingDays} 个工作日内报到受理，受理后{" "}
            {limits.replyWorkingDays} 个工作日内答复；对答复不满意可重新打开，部门须在{" "}
            {limits.reopenReplyWorkingDays} 个工作日内再次答复。超时的诉求升级至区发展改革委督办。
          </div>
        </>
      }
    />
  );
}

export function RequestSummary({ r, extra }: { r: ServiceListItem; extra?: ReactNode }) {
  return (
    <Space orientation="vertical" size={4} style={{ width: "100%" }}>
      <Space wrap size={4}>
        <StatusTag r={r} />
        <LimitTag r={r} />
        {r.escalated && <SafeTag color="red">已升级督办</SafeTag>}
        {r.forwardedToName && <SafeTag color="blue">已转报{r.forwardedToName}</SafeTag>}
      </Space>
      <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 2 }}>
        {r.description}
      </Typography.Paragraph>
      <Typography.Text style={{ color: MUTED }}>
        诉求编号 {r.number} · {r.category} · {r.departmentName} · 提出于 {dateTime(r.createdAt)}
      </Typography.Text>
      {extra}
    </Space>
  );
}

/** 诉求附件: at most this many per request (the server refuses the 11th). */
export const MAX_REQUEST_FILES = 10;
export const REQUEST_FILES_HINT = "支持 PDF、JPG、PNG、DOCX、XLSX，单个文件不超过 10 MB";

/** Uploads one file to a request; a refusal is an Error whose Chinese message names the file. */
export async function uploadRequestFile(id: string, file: File): Promise<ServiceRequest> {
  const contentType = uploadContentType(file.name);
  if (!contentType) throw new Error(`附件「${file.name}」上传失败：只接受 PDF、JPG、PNG、DOCX、XLSX 文件`);
  try {
    const contentBase64 = await readBase64(file);
    return await ok(
      api.POST("/api/service-requests/{id}/attachments", {
        params: { path: { id } },
        body: { fileName: file.name, contentType, contentBase64 },
      }),
    );
  } catch (e) {
    throw new Error(`附件「${file.name}」上传失败：${errorText(e)}`);
  }
}

/** The request's files: name, size, who and when, 下载; 上传附件 when the viewer may attach now. */
function Attachments({ r }: { r: ServiceRequest }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const download = async (a: ServiceRequest["attachments"][number]) => {
    setBusy(a.id);
    try {
      await downloadFile(`/api/service-requests/${r.id}/attachments/${a.id}`, a.fileName);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const upload = async (file: File) => {
    setBusy("upload");
    try {
      await uploadRequestFile(r.id, file);
      void message.success(`已上传 ${file.name}`);
      await qc.invalidateQueries({ queryKey: ["service-request"] });
      await qc.invalidateQueries({ queryKey: ["service-requests"] });
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  /** The picked file is sent at once; false keeps antd from uploading it itself. */
  const pick = (file: File) => {
    void upload(file);
    return false;
  };
  if (r.attachments.length === 0 && !r.can.attach) return null;
  return (
    <Card size="small" title={<h3 style={{ margin: 0, fontSize: 15 }}>附件</h3>}>
      {r.attachments.length === 0 ? (
        <Typography.Text style={{ color: MUTED }}>还没有附件。</Typography.Text>
      ) : (
        <ul aria-label="诉求附件" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {r.attachments.map((a) => (
            <li key={a.id} style={{ padding: "4px 0" }}>
              <Space wrap size={8}>
                <span>
                  <PaperClipOutlined aria-hidden /> {a.fileName}（{Math.ceil(a.size / 1024)} KB）
                </span>
                <Typography.Text style={{ color: MUTED }}>
                  {a.uploadedBy} · {dateTime(a.createdAt)}
                </Typography.Text>
                <Button
                  autoInsertSpace={false}
                  size="small"
                  loading={busy === a.id}
                  aria-label={`下载 ${a.fileName}`}
                  onClick={() => void download(a)}
                >
                  下载
                </Button>
              </Space>
            </li>
          ))}
        </ul>
      )}
      {r.can.attach && r.attachments.length < MAX_REQUEST_FILES && (
        <div style={{ marginTop: 8 }}>
          <Upload accept={UPLOAD_ACCEPT} showUploadList={false} beforeUpload={pick}>
            <Button icon={<UploadOutlined />} loading={busy === "upload"}>
              上传附件
            </Button>
          </Upload>
          <Typography.Paragraph style={{ color: MUTED, fontSize: 12, margin: "4px 0 0" }}>
            {REQUEST_FILES_HINT}，每件诉求最多 {MAX_REQUEST_FILES} 个。
          </Typography.Paragraph>
        </div>
      )}
    </Card>
  );
}

/** The request with its whole timeline (办理经过). */
export function RequestDetail({ r, actions }: { r: ServiceRequest; actions?: ReactNode }) {
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size="middle">
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          { key: "n", label: "诉求编号", children: r.number },
          { key: "e", label: "企业", children: r.enterpriseName },
          { key: "c", label: "类别", children: r.category },
          {
            key: "d",
            label: "诉求说明",
            children: <span style={{ whiteSpace: "pre-wrap" }}>{r.description}</span>,
          },
          {
            key: "dep",
            label: "负责部门",
            children: `${r.regionName}${r.departmentName.replace(/^[区县]/, "")}`,
          },
          ...(r.officerName ? [{ key: "o", label: "服务专员", children: r.officerName }] : []),
          ...(r.forwardedToName
            ? [{ key: "f", label: "市区联动", children: `已转报${r.forwardedToName}` }]
            : []),
          {
            key: "s",
            label: "状态",
            children: (
              <Space wrap size={4}>
                <StatusTag r={r} />
                <LimitTag r={r} />
                {r.escalated && <SafeTag color="red">已升级督办</SafeTag>}
              </Space>
            ),
          },
          ...(r.reply
            ? [
                {
                  key: "r",
                  label: "部门答复",
                  children: <span style={{ whiteSpace: "pre-wrap" }}>{r.reply}</span>,
                },
              ]
            : []),
          ...(r.rating
            ? [
                {
                  key: "rt",
                  label: "满意度",
                  children: `${r.rating.score} 分（${SCORE_LABELS[r.rating.score - 1] ?? ""}）${r.rating.comment ? `：${r.rating.comment}` : ""}`,
                },
              ]
            : []),
        ]}
      />
      <Attachments r={r} />
      {actions}
      <Card size="small" title="办理经过">
        <Timeline
          items={r.events.map((e, i) => ({
            key: String(i),
            content: (
              <div>
                <Typography.Text strong>{e.what}</Typography.Text>
                <Typography.Text style={{ color: MUTED }}>
                  {" "}
                  · {e.who} · {dateTime(e.at)}
                </Typography.Text>
                {e.text && <div style={{ whiteSpace: "pre-wrap" }}>{e.text}</div>}
              </div>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}

export const SCORE_LABELS = ["很不满意", "不满意", "一般", "满意", "很满意"];

/**
 * 企业吹哨 (enterprise): raise a request (category + description + optional files, uploaded one by one after
 * the request is created — a failed upload is reported by name, the request stays), follow each one's status and time limit,
 * open one (?id=) to see its timeline, then confirm it closed or reopen it, and rate a closed one.
 */
import { UploadOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Typography,
  Upload,
  type UploadFile,
} from "antd";
import { type ReactNode, useState } from "react";
import { useSearchParams } from "react-router";
import { api, errorText, ok } from "../../api/client";
import { Page } from "../../components/Page";
import { useNarrow } from "../../components/useNarrow";
import { UPLOAD_ACCEPT } from "../../files";
import { MyOfficer } from "./MyOfficer";
import {
  Basis,
  MAX_REQUEST_FILES,
  REQUEST_FILES_HINT,
  RequestDetail,
  RequestSummary,
  SCORE_LABELS,
  uploadRequestFile,
  useServiceOptions,
} from "./shared";

function RaiseForm({ onDone }: { onDone: (id: string) => void }) {
  const { message } = App.useApp();
  const options = useServiceOptions();
  const [form] = Form.useForm<{ category: string; description: string }>();
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const submit = async (v: { category: string; description: string }) => {
    setBusy(true);
    try {
      const r = await ok(
        api.POST("/api/service-requests", {
          body: { category: v.category as "用工", description: v.description },
        }),
      );
      void message.success(`诉求已提交，编号 ${r.number}，已分派至${r.departmentName}`);
      // The request stands; each file is uploaded on its own and a failure names the file.
      for (const f of files) {
        if (!f.originFileObj) continue;
        try {
          await uploadRequestFile(r.id, f.originFileObj);
        } catch (e) {
          void message.error(e instanceof Error ? e.message : String(e));
        }
      }
      form.resetFields();
      setFiles([]);
      onDone(r.id);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      size="small"
      title={<h2 style={{ margin: 0, fontSize: 16 }}>提出诉求</h2>}
      style={{ marginBottom: 16 }}
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional">
        <Form.Item name="category" label="诉求类别" rules={[{ required: true, message: "请选择诉求类别" }]}>
          <Select
            placeholder="请选择"
            options={(options.data?.categories ?? []).map((c) => ({ value: c, label: c }))}
            style={{ maxWidth: 240 }}
          />
        </Form.Item>
        <Form.Item
          name="description"
          label="诉求说明"
          rules={[
            { required: true, message: "请说明诉求" },
            { min: 5, message: "请用至少 5 个字说明诉求" },
            { max: 2000, message: "诉求说明最多 2000 个字" },
          ]}
        >
          <Input.TextArea
            rows={4}
            placeholder="遇到什么问题、希望部门帮助解决什么"
            showCount
            maxLength={2000}
          />
        </Form.Item>
        <Form.Item label="附件" extra={`${REQUEST_FILES_HINT}，最多 ${MAX_REQUEST_FILES} 个`}>
          <Upload
            accept={UPLOAD_ACCEPT}
            multiple
            maxCount={MAX_REQUEST_FILES}
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList }) => setFiles(fileList.slice(0, MAX_REQUEST_FILES))}
          >
            <Button icon={<UploadOutlined />} disabled={files.length >= MAX_REQUEST_FILES}>
              选择附件
            </Button>
          </Upload>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          提交诉求
        </Button>
      </Form>
    </Card>
  );
}

function Actions({ id, onChanged }: { id: string; onChanged: () => Promise<void> }) {
  const { message } = App.useApp();
  const q = useQuery({
    queryKey: ["service-request", id],
    queryFn: () => ok(api.GET("/api/service-requests/{id}", { params: { path: { id } } })),
  });
  const [reopen, setReopen] = useState(false);
  const [reason, setReason] = useState("");
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const r = q.data;
  if (!r) return null;
  const run = async (what: string, call: () => Promise<unknown>, done: string) => {
    setBusy(what);
    try {
      await call();
      void message.success(done);
      await onChanged();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const path = { params: { path: { id } } };
  return (
    <>
      {(r.can.confirm || r.can.reopen) && (
        <Space wrap>
          <Popconfirm
            title="确认诉求已解决并办结？"
            description="办结后不能再重新打开，可以评价。"
            okText="确认办结"
            cancelText="取消"
            onConfirm={() =>
              run(
                "confirm",
                () => ok(api.POST("/api/service-requests/{id}/confirm", { ...path, body: {} })),
                "诉求已办结",
              )
            }
          >
            <Button type="primary" loading={busy === "confirm"}>
              确认办结
            </Button>
          </Popconfirm>
          <Button onClick={() => setReopen(true)}>不满意，重新打开</Button>
        </Space>
      )}
      {r.can.rate && (
        <Card size="small" title={<h3 style={{ margin: 0, fontSize: 15 }}>满意度评价</h3>}>
          <Space orientation="vertical" style={{ width: "100%" }}>
            <Radio.Group
              aria-label="满意度"
              value={score}
              onChange={(e) => setScore(Number(e.target.value))}
              options={SCORE_LABELS.map((l, i) => ({ value: i + 1, label: `${i + 1} 分 ${l}` }))}
            />
            <label htmlFor="service-rating-comment">评价意见（可不填）</label>
            <Input.TextArea
              id="service-rating-comment"
              rows={2}
              maxLength={500}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
            <Button
              type="primary"
              disabled={score === null}
              loading={busy === "rate"}
              onClick={() =>
                run(
                  "rate",
                  () =>
                    ok(
                      api.POST("/api/service-requests/{id}/rate", {
                        ...path,
                        body: { score: score ?? 0, ...(comment.trim() ? { comment: comment.trim() } : {}) },
                      }),
                    ),
                  "感谢评价",
                )
              }
            >
              提交评价
            </Button>
          </Space>
        </Card>
      )}
      <Modal
        open={reopen}
        title="重新打开诉求"
        okText="重新打开"
        cancelText="取消"
        okButtonProps={{ disabled: reason.trim().length < 2, loading: busy === "reopen" }}
        onCancel={() => setReopen(false)}
        onOk={() =>
          run(
            "reopen",
            () =>
              ok(api.POST("/api/service-requests/{id}/reopen", { ...path, body: { reason: reason.trim() } })),
            "诉求已重新打开，部门将再次答复",
          ).then(() => {
            setReopen(false);
            setReason("");
          })
        }
      >
        <label htmlFor="service-reopen-reason">对答复不满意的原因</label>
        <Input.TextArea
          id="service-reopen-reason"
          rows={3}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}

export function RequestDrawer({
  id,
  onClose,
  actions,
}: {
  id: string | null;
  onClose: () => void;
  actions?: (id: string) => ReactNode;
}) {
  const narrow = useNarrow();
  const q = useQuery({
    queryKey: ["service-request", id],
    queryFn: () => ok(api.GET("/api/service-requests/{id}", { params: { path: { id: id ?? "" } } })),
    enabled: id !== null,
  });
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      title={q.data ? `诉求 ${q.data.number}` : "诉求详情"}
      size={narrow ? "100%" : 640}
      destroyOnHidden
    >
      {q.error ? (
        <Typography.Text>{errorText(q.error)}</Typography.Text>
      ) : q.data ? (
        <RequestDetail r={q.data} actions={id ? actions?.(id) : null} />
      ) : null}
    </Drawer>
  );
}

export default function Services() {
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const open = params.get("id");
  const list = useQuery({
    queryKey: ["service-requests", "mine"],
    queryFn: () => ok(api.GET("/api/service-requests")),
  });
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ["service-requests"] });
    await qc.invalidateQueries({ queryKey: ["service-request"] });
  };
  const items = list.data?.items ?? [];
  return (
    <Page title="企业吹哨" loading={list.isLoading} error={list.error}>
      <Basis />
      <MyOfficer />
      <RaiseForm
        onDone={(id) => {
          void refresh();
          setParams({ id });
        }}
      />
      <h2 style={{ fontSize: 16 }}>我的诉求</h2>
      {items.length === 0 ? (
        <Typography.Text>还没有提出过诉求。</Typography.Text>
      ) : (
        <Space orientation="vertical" style={{ width: "100%" }}>
          {items.map((r) => (
            <Card key={r.id} size="small">
              <RequestSummary
                r={r}
                extra={
                  <Button onClick={() => setParams({ id: r.id })} aria-label={`查看诉求 ${r.number}`}>
                    查看办理经过
                  </Button>
                }
              />
            </Card>
          ))}
        </Space>
      )}
      <RequestDrawer
        id={open}
        onClose={() => setParams({})}
        actions={(id) => <Actions id={id} onChanged={refresh} />}
      />
    </Page>
  );
}

/**
 * 诉求办理 (officer): the department's requests in its district, open ones first with their 办理时限 (时限内 /
 * 即将超时 / 已超时, working days); open one to 报到 (accept), reply, or forward to a municipal department
 * (市区联动). Accepting and forwarding cannot be undone and ask for confirmation; so does sending a reply.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Input, Popconfirm, Segmented, Select, Space, Typography } from "antd";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api, errorText, ok } from "../../api/client";
import { Page } from "../../components/Page";
import { RequestDrawer } from "./Services";
import { Basis, RequestSummary, useServiceOptions } from "./shared";

function Actions({ id, onChanged }: { id: string; onChanged: () => Promise<void> }) {
  const { message } = App.useApp();
  const options = useServiceOptions();
  const q = useQuery({
    queryKey: ["service-request", id],
    queryFn: () => ok(api.GET("/api/service-requests/{id}", { params: { path: { id } } })),
  });
  const [text, setText] = useState("");
  const [dept, setDept] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const r = q.data;
  if (!r) return null;
  const path = { params: { path: { id } } };
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
  if (!r.can.accept && !r.can.reply && !r.can.forward) return null;
  return (
    <Space orientation="vertical" style={{ width: "100%" }}>
      {r.can.accept && (
        <Popconfirm
          title="报到受理这件诉求？"
          description="受理后开始计算答复时限，不能撤回。"
          okText="报到受理"
          cancelText="取消"
          onConfirm={() =>
            run(
              "accept",
              () => ok(api.POST("/api/service-requests/{id}/accept", { ...path, body: {} })),
              "已报到受理",
            )
          }
        >
          <Button type="primary" loading={busy === "accept"}>
            报到受理
          </Button>
        </Popconfirm>
      )}
      {r.can.reply && (
        <Card size="small" title={<h3 style={{ margin: 0, fontSize: 15 }}>答复企业</h3>}>
          <label htmlFor="service-reply-text">答复内容</label>
          <Input.TextArea
            id="service-reply-text"
            rows={4}
            maxLength={2000}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <Popconfirm
            title="发送答复？"
            description="答复发送后由企业确认办结或重新打开。"
            okText="发送"
            cancelText="取消"
            disabled={text.trim().length < 2}
            onConfirm={() =>
              run(
                "reply",
                () =>
                  ok(api.POST("/api/service-requests/{id}/reply", { ...path, body: { text: text.trim() } })),
                "答复已发送",
              ).then(() => setText(""))
            }
          >
            <Button
              type="primary"
              style={{ marginTop: 8 }}
              disabled={text.trim().length < 2}
              loading={busy === "reply"}
            >
              发送答复
            </Button>
          </Popconfirm>
        </Card>
      )}
      {r.can.forward && (
        <Card size="small" title={<h3 style={{ margin: 0, fontSize: 15 }}>转报市级部门（市区联动）</h3>}>
          <Space orientation="vertical" style={{ width: "100%" }}>
            <label htmlFor="service-forward-dept">市级部门</label>
            <Select
              id="service-forward-dept"
              placeholder="请选择"
              value={dept}
              onChange={setDept}
              options={options.data?.municipalDepartments ?? []}
              style={{ maxWidth: 280 }}
            />
            <label htmlFor="service-forward-note">转报说明（可不填）</label>
            <Input.TextArea
              id="service-forward-note"
              rows={2}
              maxLength={500}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
            <Popconfirm
              title="转报市级部门？"
              description="每件诉求只能转报一次；答复仍由本部门送达企业。"
              okText="转报"
              cancelText="取消"
              disabled={dept === null}
              onConfirm={() =>
                run(
                  "forward",
                  () =>
                    ok(
                      api.POST("/api/service-requests/{id}/forward", {
                        ...path,
                        body: { department: dept ?? "", ...(note.trim() ? { note: note.trim() } : {}) },
                      }),
                    ),
                  "已转报市级部门",
                )
              }
            >
              <Button disabled={dept === null} loading={busy === "forward"}>
                转报
              </Button>
            </Popconfirm>
          </Space>
        </Card>
      )}
    </Space>
  );
}

export default function Queue() {
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useState<"open" | "all">("open");
  const list = useQuery({
    queryKey: ["service-requests", "queue"],
    queryFn: () => ok(api.GET("/api/service-requests/queue")),
  });
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ["service-requests"] });
    await qc.invalidateQueries({ queryKey: ["service-request"] });
  };
  const all = list.data?.items ?? [];
  const items = filter === "open" ? all.filter((r) => r.timeLimit !== null) : all;
  return (
    <Page
      title="诉求办理"
      loading={list.isLoading}
      error={list.error}
      extra={
        <Segmented
          aria-label="显示范围"
          value={filter}
          onChange={(v) => setFilter(v as "open" | "all")}
          options={[
            { value: "open", label: `待办（${all.filter((r) => r.timeLimit !== null).length}）` },
            { value: "all", label: `全部（${all.length}）` },
          ]}
        />
      }
    >
      <Basis />
      {items.length === 0 ? (
        <Typography.Text>{filter === "open" ? "没有待办的诉求。" : "本部门还没有收到诉求。"}</Typography.Text>
      ) : (
        <Space orientation="vertical" style={{ width: "100%" }}>
          {items.map((r) => (
            <Card
              key={r.id}
              size="small"
              title={r.enterpriseName}
              extra={r.officerName ? `服务专员：${r.officerName}` : undefined}
            >
              <RequestSummary
                r={r}
                extra={
                  <Button onClick={() => setParams({ id: r.id })} aria-label={`办理诉求 ${r.number}`}>
                    办理
                  </Button>
                }
              />
            </Card>
          ))}
        </Space>
      )}
      <RequestDrawer
        id={params.get("id")}
        onClose={() => setParams({})}
        actions={(id) => <Actions id={id} onChanged={refresh} />}
      />
    </Page>
  );
}

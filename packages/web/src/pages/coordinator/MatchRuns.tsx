/**
 * 批量匹配 (/match-runs): district coordinators and policy admins see the latest batch matching runs (started
 * by a rules release, a large import or by hand) with a progress bar each — polled every two seconds while one
 * is under way — and can start a full run (every enterprise × every published measure) after a confirmation.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Progress, Table, Typography } from "antd";
import { useState } from "react";
import { api, errorText, ok } from "../../api/client";
import type { paths } from "../../api/schema";
import { MUTED, SafeTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";

type Run = paths["/api/match-runs"]["get"]["responses"][200]["content"]["application/json"]["items"][number];

const STATE_COLORS: Record<Run["state"], string> = {
  pending: "default",
  running: "processing",
  done: "success",
  failed: "error",
};

function chongqingTime(iso: string | null): string {
  if (!iso) return "—";
  const t = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

const count = (n: number) => n.toLocaleString("zh-CN");

export default function MatchRuns() {
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const runs = useQuery({
    queryKey: ["match-runs"],
    queryFn: () => ok(api.GET("/api/match-runs")),
    // Poll while a run is under way, so the bars move; stop when all are finished.
    refetchInterval: (q) =>
      q.state.data?.items.some((r) => r.state === "pending" || r.state === "running") ? 2000 : false,
  });

  const start = () =>
    modal.confirm({
      title: "开始全量匹配",
      content:
        "将用现行规则对平台上的全部企业、全部已发布措施重新匹配，完成后各措施的名单随之更新。匹配在后台进行，可离开本页。",
      okText: "开始匹配",
      cancelText: "取消",
      okButtonProps: { autoInsertSpace: false },
      cancelButtonProps: { autoInsertSpace: false },
      onOk: async () => {
        setError(null);
        try {
          await ok(api.POST("/api/match-runs", { body: {} }));
          message.success("已开始全量匹配");
          await qc.invalidateQueries({ queryKey: ["match-runs"] });
        } catch (e) {
          setError(e);
        }
      },
    });

  const items = runs.data?.items ?? [];
  return (
    <Page
      title="批量匹配"
      loading={runs.isLoading}
      error={runs.error}
      extra={
        <Button type="primary" onClick={start} autoInsertSpace={false}>
          开始全量匹配
        </Button>
      }
    >
      <Typography.Paragraph style={{ color: MUTED }}>
        {
          "批量匹配把每家企业与每项已发布措施逐一测算，结果写入各措施的名单（符合的附可确定与最高金额，待确认的附还缺的数据），精准推送和免申即享都从名单读取。发布新的规则版本、一次导入超过 2000 家企业的数据时自动进行；也可在此手动开始。"
        }
      </Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} /> : null}
      <Table<Run>
        rowKey="id"
        dataSource={items}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: "还没有批量匹配记录" }}
        columns={[
          { title: "开始时间", key: "createdAt", render: (_, r) => chongqingTime(r.createdAt), width: 150 },
          { title: "原因", dataIndex: "reasonLabel", width: 70 },
          {
            title: "范围",
            key: "scope",
            render: (_, r) => (r.measureCount === null ? "全部措施" : `${r.measureCount} 项措施`),
            width: 100,
          },
          { title: "测算日", dataIndex: "asOf", width: 110 },
          {
            title: "状态",
            key: "state",
            render: (_, r) => <SafeTag color={STATE_COLORS[r.state]}>{r.stateLabel}</SafeTag>,
            width: 90,
          },
          {
            title: "进度",
            key: "progress",
            render: (_, r) => (
              <div style={{ minWidth: 160 }}>
                <Progress
                  percent={r.percent}
                  size="small"
                  status={r.state === "failed" ? "exception" : r.state === "done" ? "success" : "active"}
                  aria-label={`批量匹配进度 ${r.percent}%`}
                />
                <span style={{ color: MUTED, fontSize: 12 }}>
                  企业 {count(r.enterprisesDone)} / {count(r.enterprises)}，分区 {r.partitionsDone} /{" "}
                  {r.partitions}
                </span>
              </div>
            ),
          },
          { title: "名单行数", key: "rows", render: (_, r) => count(r.rowsWritten), width: 100 },
          { title: "完成时间", key: "finishedAt", render: (_, r) => chongqingTime(r.finishedAt), width: 150 },
        ]}
      />
    </Page>
  );
}

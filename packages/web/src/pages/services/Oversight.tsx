/**
 * 诉求督办 (coordinator): the district's overdue and escalated requests, and this quarter's 企业吹哨 figures
 * per responsible department from the quarterly report (received, accepted in time, closed, escalated,
 * average satisfaction).
 */
import { useQuery } from "@tanstack/react-query";
import { Button, Card, Descriptions, Space, Table, Typography } from "antd";
import { useSearchParams } from "react-router";
import { api, ok } from "../../api/client";
import { Page } from "../../components/Page";
import { useNarrow } from "../../components/useNarrow";
import { today } from "../../dates";
import { OfficerAssignments } from "./OfficerAssignments";
import { RoutesEditor } from "./RoutesEditor";
import { RequestDrawer } from "./Services";
import { RequestSummary } from "./shared";

function currentQuarter(): { year: number; quarter: 1 | 2 | 3 | 4 } {
  const date = today();
  const month = Number(date.slice(5, 7));
  return { year: Number(date.slice(0, 4)), quarter: (Math.floor((month - 1) / 3) + 1) as 1 | 2 | 3 | 4 };
}

function score(v: number | null, ratings: number): string {
  return v === null ? "暂无评价" : `${v.toFixed(2)} 分（${ratings} 条评价）`;
}

function QuarterFigures() {
  const narrow = useNarrow();
  const { year, quarter } = currentQuarter();
  const q = useQuery({
    queryKey: ["reports", "quarterly", year, quarter, "services"],
    queryFn: () => ok(api.GET("/api/reports/quarterly", { params: { query: { year, quarter } } })),
  });
  const s = q.data?.serviceRequests;
  const rows = s ? [...s.departments, { ...s.totals, department: "total", departmentName: "合计" }] : [];
  return (
    <Card
      size="small"
      title={<h2 style={{ margin: 0, fontSize: 16 }}>{`${year} 年第 ${quarter} 季度诉求办理情况`}</h2>}
      style={{ marginTop: 16 }}
      loading={q.isLoading}
    >
      {narrow ? (
        // Phones: one short list per department (a wide table would need a scrolling region).
        rows.map((r) => (
          <Descriptions
            key={r.department}
            size="small"
            column={1}
            title={r.departmentName}
            style={{ marginBottom: 12 }}
            items={[
              { key: "received", label: "受理诉求", children: r.received },
              { key: "inTime", label: "按时报到", children: r.acceptedInTime },
              { key: "closed", label: "办结", children: r.closed },
              { key: "escalated", label: "超时升级", children: r.escalated },
              { key: "score", label: "平均满意度", children: score(r.averageScore, r.ratings) },
            ]}
          />
        ))
      ) : (
        <Table
          size="small"
          rowKey="department"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: "负责部门", dataIndex: "departmentName" },
            { title: "受理诉求", dataIndex: "received" },
            { title: "按时报到", dataIndex: "acceptedInTime" },
            { title: "办结", dataIndex: "closed" },
            { title: "超时升级", dataIndex: "escalated" },
            {
              title: "平均满意度",
              dataIndex: "averageScore",
              render: (v: number | null, r) => score(v, r.ratings),
            },
          ]}
        />
      )}
    </Card>
  );
}

export default function Oversight() {
  const [params, setParams] = useSearchParams();
  const list = useQuery({
    queryKey: ["service-requests", "overdue"],
    queryFn: () => ok(api.GET("/api/service-requests/overdue")),
  });
  const items = list.data?.items ?? [];
  return (
    <Page title="诉求督办" loading={list.isLoading} error={list.error}>
      <h2 style={{ fontSize: 16 }}>超时和已升级的诉求</h2>
      {items.length === 0 ? (
        <Typography.Text>本区县没有超时的诉求。</Typography.Text>
      ) : (
        <Space orientation="vertical" style={{ width: "100%" }}>
          {items.map((r) => (
            <Card key={r.id} size="small" title={r.enterpriseName}>
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
      <QuarterFigures />
      <OfficerAssignments />
      <RoutesEditor />
      <RequestDrawer id={params.get("id")} onClose={() => setParams({})} />
    </Page>
  );
}

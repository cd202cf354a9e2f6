/** 我的申报: the enterprise's applications with status, amounts and dates. */
import { useQuery } from "@tanstack/react-query";
import { Table, Typography } from "antd";
import { Link } from "react-router";
import { api, ok, yuanExact, yuanShort } from "../../api/client";
import { Page } from "../../components/Page";
import { dateTime, StatusTag } from "./common";

export default function Applications() {
  const q = useQuery({
    queryKey: ["applications", "mine"],
    queryFn: () => ok(api.GET("/api/applications", { params: { query: { limit: 200 } } })),
  });
  const items = q.data?.items ?? [];
  return (
    <Page
      title="我的申报"
      loading={q.isLoading}
      error={q.error}
      empty={items.length === 0}
      emptyText="还没有申报。可在政策计算器中打开符合条件的资金类措施，点击「申报」"
    >
      <Typography.Paragraph type="secondary">共 {q.data?.total ?? 0} 件</Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        dataSource={items}
        scroll={{ x: "max-content" }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          {
            title: "申报措施",
            key: "measure",
            render: (_, a) => (
              <Link to={`/applications/${a.id}`} style={{ whiteSpace: "normal" }}>
                {a.measureTitle}
              </Link>
            ),
          },
          { title: "状态", key: "status", render: (_, a) => <StatusTag status={a.status} /> },
          {
            title: "金额",
            key: "amount",
            render: (_, a) =>
              a.grantedFen !== null
                ? `核定 ${yuanExact(a.grantedFen)}`
                : `测算最高 ${a.maxFen === null ? "未定" : yuanShort(a.maxFen)}`,
          },
          { title: "创建时间", key: "created", render: (_, a) => dateTime(a.createdAt) },
          { title: "最近更新", key: "updated", render: (_, a) => dateTime(a.updatedAt) },
        ]}
      />
    </Page>
  );
}

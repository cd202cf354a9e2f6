/** 我的申报: the enterprise's applications with status, amounts and dates — a table, or cards on phones. */
import { useQuery } from "@tanstack/react-query";
import { Card, Table, Typography } from "antd";
import { Link } from "react-router";
import { api, ok, yuanExact, yuanShort } from "../../api/client";
import { ExemptionTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { useNarrow } from "../../components/useNarrow";
import { dateTime, StatusTag } from "./common";

const amountText = (a: { grantedFen: number | null; maxFen: number | null }) =>
  a.grantedFen !== null
    ? `核定 ${yuanExact(a.grantedFen)}`
    : `测算最高 ${a.maxFen === null ? "未定" : yuanShort(a.maxFen)}`;

export default function Applications() {
  const q = useQuery({
    queryKey: ["applications", "mine"],
    queryFn: () => ok(api.GET("/api/applications", { params: { query: { limit: 200 } } })),
  });
  const items = q.data?.items ?? [];
  const narrow = useNarrow();
  return (
    <Page
      title="我的申报"
      loading={q.isLoading}
      error={q.error}
      empty={items.length === 0}
      emptyText="还没有申报。可在政策计算器中打开符合条件的资金类措施，点击「申报」"
    >
      <Typography.Paragraph type="secondary">共 {q.data?.total ?? 0} 件</Typography.Paragraph>
      {narrow ? (
        <ul className="hq-cards" aria-label="申报列表">
          {items.map((a) => (
            <li key={a.id}>
              <Card size="small">
                <Link to={`/applications/${a.id}`} style={{ fontWeight: 600 }}>
                  {a.measureTitle}
                </Link>
                <Typography.Text type="secondary" style={{ display: "block", fontSize: 13 }}>
                  申报编号 {a.number}
                </Typography.Text>
                <div
                  style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 8, marginTop: 6 }}
                >
                  <StatusTag status={a.status} />
                  {a.channel === "exemption" && <ExemptionTag />}
                  <span>{amountText(a)}</span>
                </div>
                <Typography.Text type="secondary" style={{ display: "block", marginTop: 4, fontSize: 13 }}>
                  最近更新 {dateTime(a.updatedAt)}
                </Typography.Text>
              </Card>
            </li>
          ))}
        </ul>
      ) : (
        <Table
          rowKey="id"
          size="small"
          dataSource={items}
          scroll={{ x: "max-content" }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            {
              title: "申报编号",
              key: "number",
              render: (_, a) => <span style={{ whiteSpace: "nowrap" }}>{a.number}</span>,
            },
            {
              title: "申报措施",
              key: "measure",
              render: (_, a) => (
                <Link to={`/applications/${a.id}`} style={{ whiteSpace: "normal" }}>
                  {a.measureTitle}
                </Link>
              ),
            },
            {
              title: "状态",
              key: "status",
              render: (_, a) => (
                <>
                  <StatusTag status={a.status} />
                  {a.channel === "exemption" && <ExemptionTag />}
                </>
              ),
            },
            { title: "金额", key: "amount", render: (_, a) => amountText(a) },
            { title: "创建时间", key: "created", render: (_, a) => dateTime(a.createdAt) },
            { title: "最近更新", key: "updated", render: (_, a) => dateTime(a.updatedAt) },
          ]}
        />
      )}
    </Page>
  );
}

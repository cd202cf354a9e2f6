/**
 * 我的企业 (officer, 服务专员): the enterprises the district assigned to this officer, those with open
 * requests first; for each, the open requests (to the queue), the next deadlines of measures it fits, and
 * the measures paying money it fits but has not applied for, with amounts.
 */
import { useQuery } from "@tanstack/react-query";
import { Card, List, Pagination, Space, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import { api, ok } from "../../api/client";
import { MUTED, SafeTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { dateOf } from "../../dates";

export default function MyEnterprises() {
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ["service-officer", "enterprises", page],
    queryFn: () => ok(api.GET("/api/service-officer/enterprises", { params: { query: { page } } })),
  });
  const data = q.data;
  return (
    <Page
      title="我的企业"
      loading={q.isLoading}
      error={q.error}
      empty={data?.total === 0}
      emptyText="区发展改革委还没有指定您为哪家企业的服务专员。"
    >
      <Typography.Paragraph>
        您是以下企业的服务专员（一企一专员）：企业提出的诉求先交给您，请在报到时限内受理。
      </Typography.Paragraph>
      <Space orientation="vertical" style={{ width: "100%" }}>
        {(data?.items ?? []).map((e) => (
          <Card
            key={e.enterpriseId}
            size="small"
            title={<h2 style={{ margin: 0, fontSize: 16 }}>{e.enterpriseName}</h2>}
          >
            <Space orientation="vertical" style={{ width: "100%" }} size="small">
              <Space wrap size={4}>
                {e.openRequests > 0 ? (
                  <SafeTag color="orange">{`未办结诉求 ${e.openRequests} 件`}</SafeTag>
                ) : (
                  <SafeTag color="success">没有未办结的诉求</SafeTag>
                )}
                <Typography.Text style={{ color: MUTED }}>{`自 ${dateOf(e.since)} 起服务`}</Typography.Text>
              </Space>
              {e.openRequests > 0 && <Link to="/services/queue">去诉求办理受理和答复</Link>}
              <h3 style={{ margin: "4px 0 0", fontSize: 15 }}>即将截止的措施</h3>
              {e.deadlines.length === 0 ? (
                <Typography.Text>企业符合的措施中没有即将截止的。</Typography.Text>
              ) : (
                <List
                  size="small"
                  dataSource={e.deadlines}
                  renderItem={(d) => (
                    <List.Item key={d.measureId}>
                      {`${d.title}（${d.docNumber}）`}
                      <Typography.Text strong>{`${d.validUntil} 截止`}</Typography.Text>
                    </List.Item>
                  )}
                />
              )}
              <h3 style={{ margin: "4px 0 0", fontSize: 15 }}>符合但尚未申报</h3>
              {e.unapplied.length === 0 ? (
                <Typography.Text>没有符合但尚未申报的资金类措施。</Typography.Text>
              ) : (
                <List
                  size="small"
                  dataSource={e.unapplied}
                  renderItem={(m) => (
                    <List.Item key={m.measureId}>
                      {`${m.title}（${m.docNumber}）`}
                      <Typography.Text strong>
                        {m.amount ? m.amount.text : "金额以申报通知为准"}
                      </Typography.Text>
                    </List.Item>
                  )}
                />
              )}
            </Space>
          </Card>
        ))}
      </Space>
      {data && data.total > data.pageSize && (
        <Pagination
          style={{ marginTop: 16 }}
          current={page}
          pageSize={data.pageSize}
          total={data.total}
          onChange={setPage}
          showSizeChanger={false}
        />
      )}
    </Page>
  );
}

/**
 * 免申即享 (/exemption, officer): the flagged measures the officer's department leads in its district, with
 * how many enterprises the batch lists hold and how many grants were confirmed; each opens its list.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, List, Space, Typography } from "antd";
import { Link } from "react-router";
import { api, ok, yuanExact } from "../../api/client";
import { ExemptionTag, LINK, MUTED, SafeTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";

export const EXEMPTION_MEANING =
  "免申即享：政策管理员把可由政府数据判定条件的资金类措施标为免申即享。牵头单位经办人依据部门数据（统计、税务、认定名单等）核对本区县符合条件的企业，确认后直接生成已通过的兑现，企业无需申请；随后照常公示、兑付、对账，企业在「我的申报」中确认收款账户。";

export default function ExemptionMeasures() {
  const q = useQuery({
    queryKey: ["exemption", "measures"],
    queryFn: () => ok(api.GET("/api/exemption/measures")),
  });
  const items = q.data?.items ?? [];
  return (
    <Page title="免申即享" loading={q.isLoading} error={q.error}>
      <Alert type="info" showIcon title={EXEMPTION_MEANING} style={{ marginBottom: 16 }} />
      <Card>
        <List
          dataSource={items}
          locale={{ emptyText: "本部门牵头的措施中，暂无标为免申即享的措施" }}
          renderItem={(m) => (
            <List.Item>
              <div style={{ width: "100%" }}>
                <Space wrap>
                  <ExemptionTag />
                  <Link style={{ color: LINK, fontWeight: 500 }} to={`/exemption/${m.measureId}`}>
                    {m.title}
                  </Link>
                  {!m.inForce && <SafeTag color="warning">不在执行期限内</SafeTag>}
                </Space>
                <div>
                  <Typography.Text style={{ color: MUTED, fontSize: 12 }}>
                    {m.docNumber} · 牵头单位 {m.leadDepartmentName}
                  </Typography.Text>
                </div>
                <div style={{ marginTop: 4 }}>
                  名单上 {m.listed} 家企业；已确认兑现 {m.granted} 家，共 {yuanExact(m.grantedFen)}
                </div>
              </div>
            </List.Item>
          )}
        />
      </Card>
    </Page>
  );
}

/**
 * 措施详情 for visitors without an account: 解读, the clause, money, validity, lead unit and contact (public
 * library data only), with the way on to the anonymous calculator and to registration for applying.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Collapse, Descriptions, Space, Typography } from "antd";
import { Link, useParams } from "react-router";
import { api, ok } from "../../api/client";
import { Accessible } from "../../components/Accessible";
import { Interpretation } from "../../components/Interpretation";
import { Page } from "../../components/Page";
import {
  BENEFIT_LABELS,
  LEVEL_LABELS,
  type MeasureData,
  measureAnchor,
  REGION_LABELS,
} from "../../components/policy";
import { ExemptionFlag } from "../../components/useExemptionFlags";
import { ToneTag, ValidityTag } from "../../components/ValidityTag";
import { useSession } from "../../session";
import { type AmountData, measureAmountText } from "../library/amount";

const blockquote = {
  margin: "8px 0",
  padding: "8px 12px",
  borderLeft: "4px solid #c8102e",
  background: "#fafafa",
} as const;

export default function PublicMeasure() {
  const { doc = "", item = "" } = useParams();
  const { asOf } = useSession();
  const q = useQuery({
    queryKey: ["measure", doc, item],
    queryFn: () =>
      ok(api.GET("/api/measures/{documentId}/{item}", { params: { path: { documentId: doc, item } } })),
  });
  const m = q.data;
  const data = m?.data as unknown as (MeasureData & AmountData) | undefined;
  const i = data?.interpretation;
  const amount = data ? measureAmountText({ ...data, monetary: m?.monetary ?? false }) : null;
  return (
    <Accessible>
      <Page
        title={m?.title ?? "措施详情"}
        loading={q.isLoading}
        error={q.error}
        extra={<Link to="/library">返回政策库</Link>}
      >
        {m && (
          <Space orientation="vertical" size={16} style={{ width: "100%" }}>
            <Card size="small">
              <Space wrap size={4} style={{ marginBottom: 8 }}>
                <ToneTag tone="blue">{BENEFIT_LABELS[m.benefitType] ?? m.benefitType}</ToneTag>
                {m.monetary && <ToneTag tone="red">资金类</ToneTag>}
                <ToneTag tone="purple">{LEVEL_LABELS[m.level] ?? m.level}</ToneTag>
                <ExemptionFlag measureId={m.id} />
              </Space>
              <Descriptions
                size="small"
                column={1}
                items={[
                  ...(amount
                    ? [{ key: "amount", label: "支持金额", children: <strong>{amount}</strong> }]
                    : []),
                  {
                    key: "doc",
                    label: "政策文件",
                    children: (
                      <Link to={`/documents/${m.documentId}#${measureAnchor(m.id)}`}>
                        {m.docNumber}（{REGION_LABELS[m.regionCode] ?? m.regionCode}）
                      </Link>
                    ),
                  },
                  {
                    key: "validity",
                    label: "执行期限",
                    children: <ValidityTag asOf={asOf} validFrom={m.validFrom} validUntil={m.validUntil} />,
                  },
                  { key: "lead", label: "牵头单位", children: m.leadDepartmentName },
                  ...(data?.contact?.name || data?.contact?.hotline
                    ? [
                        {
                          key: "contact",
                          label: "联系人",
                          children: `${data.contact.name ?? "—"}${data.contact.hotline ? `，电话 ${data.contact.hotline}` : ""}`,
                        },
                      ]
                    : []),
                ]}
              />
            </Card>
            {m.monetary && (
              <Alert
                type="info"
                showIcon
                title="能拿多少？"
                description="用免登录的政策计算器回答几个问题，即可测算贵企业可得的金额；注册后可在线申报。"
                action={
                  <Space orientation="vertical">
                    <Link to="/calculator">
                      <Button type="primary" size="small">
                        去测算
                      </Button>
                    </Link>
                    <Link to="/register">注册后申报</Link>
                  </Space>
                }
              />
            )}
            {data && (
              <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>原文条款</h2>}>
                <blockquote style={blockquote}>{data.clause}</blockquote>
              </Card>
            )}
            {i && (
              <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>政策解读</h2>}>
                <Interpretation i={i} />
              </Card>
            )}
            {data?.notes && data.notes.length > 0 && (
              <Collapse
                items={[
                  {
                    key: "notes",
                    label: `口径说明（${data.notes.length}）`,
                    children: data.notes.map((n) => (
                      <div key={n.topic} style={{ marginBottom: 8 }}>
                        <Typography.Text strong>{n.topic}</Typography.Text>
                        <blockquote style={blockquote}>{n.quote}</blockquote>
                        <Typography.Paragraph style={{ margin: 0 }}>{n.reading}</Typography.Paragraph>
                      </div>
                    )),
                  },
                ]}
              />
            )}
          </Space>
        )}
      </Page>
    </Accessible>
  );
}

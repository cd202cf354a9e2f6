/** 政策文件: document facts, its numbered clauses in order (clause, 解读, contacts), targets and notes. */
import { useQuery } from "@tanstack/react-query";
import { Card, Collapse, Descriptions, Space, Table, Typography } from "antd";
import { useEffect } from "react";
import { Link, useLocation, useParams } from "react-router";
import { api, ok } from "../../api/client";
import { Accessible } from "../../components/Accessible";
import { Interpretation } from "../../components/Interpretation";
import { Page } from "../../components/Page";
import {
  BENEFIT_LABELS,
  LEVEL_LABELS,
  type MeasureData,
  measureAnchor,
  ordinalText,
  REGION_LABELS,
  useRules,
} from "../../components/policy";
import { ToneTag, ValidityTag } from "../../components/ValidityTag";
import { useSession } from "../../session";
import { type AmountData, measureAmountText } from "./amount";

interface Target {
  id: string;
  label: string;
  year: number;
  value: number;
  unit: string;
  quote: string;
}

type Doc = Awaited<ReturnType<typeof fetchDocument>>;
type Summary = Doc["measures"][number];

function fetchDocument(id: string) {
  return ok(api.GET("/api/documents/{id}", { params: { path: { id } } }));
}

const blockquote = {
  margin: "8px 0",
  padding: "8px 12px",
  borderLeft: "4px solid #c8102e",
  background: "#fafafa",
} as const;

function Clause({
  m,
  data,
  asOf,
  enterprise,
}: {
  m: Summary;
  data?: MeasureData;
  asOf: string;
  /** true: the enterprise's 测算与申报; null: a visitor (措施详情); false: staff (no measure page). */
  enterprise: boolean | null;
}) {
  const amount = m.monetary ? measureAmountText(data as AmountData | undefined) : null;
  const i = data?.interpretation;
  return (
    <Card
      id={measureAnchor(m.id)}
      size="small"
      style={{ marginBottom: 12, scrollMarginTop: 16 }}
      title={
        <span style={{ whiteSpace: "normal" }}>
          {data ? `${ordinalText(data)} ` : ""}
          {m.title}
        </span>
      }
      extra={
        enterprise !== false ? (
          <Link to={`/measures/${m.id}`}>{enterprise ? "测算与申报" : "措施详情"}</Link>
        ) : undefined
      }
    >
      <Space wrap size={4} style={{ marginBottom: 8 }}>
        <ToneTag tone="blue">{BENEFIT_LABELS[m.benefitType] ?? m.benefitType}</ToneTag>
        {m.monetary && <ToneTag tone="red">资金类</ToneTag>}
        {!m.published && <ToneTag tone="orange">未发布</ToneTag>}
        {amount && <Typography.Text strong>支持金额：{amount}</Typography.Text>}
      </Space>
      {data && (
        <blockquote style={blockquote}>
          <Typography.Text type="secondary">原文：</Typography.Text>
          {data.clause}
        </blockquote>
      )}
      {i && <Interpretation i={i} title="解读" />}
      <Space orientation="vertical" size={2} style={{ marginTop: 8 }}>
        <span>
          执行期限：
          <ValidityTag asOf={asOf} validFrom={m.validFrom} validUntil={m.validUntil} />
        </span>
        <span>牵头单位：{m.leadDepartmentName}</span>
        {(data?.contact?.name || data?.contact?.hotline) && (
          <span>
            联系人：{data.contact.name ?? "—"}
            {data.contact.hotline ? `，电话 ${data.contact.hotline}` : ""}
          </span>
        )}
      </Space>
      {data?.notes && data.notes.length > 0 && (
        <Collapse
          size="small"
          style={{ marginTop: 8 }}
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
    </Card>
  );
}

export default function DocumentView() {
  const { id = "" } = useParams();
  const { asOf, me } = useSession();
  const loc = useLocation();
  const doc = useQuery({ queryKey: ["document", id], queryFn: () => fetchDocument(id) });
  const rules = useRules();
  const d = doc.data;

  useEffect(() => {
    if (!d || !rules.data || !loc.hash) return;
    const el = document.getElementById(decodeURIComponent(loc.hash.slice(1)));
    el?.scrollIntoView({ block: "start" });
  }, [d, rules.data, loc.hash]);

  const targets = (d?.targets ?? []) as unknown as Target[];
  return (
    <Accessible>
      <Page
        title={d ? d.docNumber : "政策文件"}
        loading={doc.isLoading || rules.isLoading}
        error={doc.error ?? rules.error}
        extra={<Link to="/library">返回政策库</Link>}
      >
        {d && (
          <>
            <Typography.Title level={4} style={{ marginTop: 0 }}>
              {d.title}
            </Typography.Title>
            <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} style={{ marginBottom: 16 }}>
              <Descriptions.Item label="文号">{d.docNumber}</Descriptions.Item>
              <Descriptions.Item label="发文机关">{d.issuer}</Descriptions.Item>
              <Descriptions.Item label="印发日期">{d.issuedOn}</Descriptions.Item>
              <Descriptions.Item label="层级">
                {LEVEL_LABELS[d.level] ?? d.level}（{REGION_LABELS[d.regionCode] ?? d.regionCode}）
              </Descriptions.Item>
              <Descriptions.Item label="执行期限">
                <ValidityTag asOf={asOf} validFrom={d.validFrom} validUntil={d.validUntil} />
              </Descriptions.Item>
              <Descriptions.Item label="措施">
                原文编号 {d.numberedMeasures} 条，已录入 {d.measureCount} 项（资金类 {d.monetaryCount} 项）
              </Descriptions.Item>
              {d.validityQuote && (
                <Descriptions.Item label="期限原文" span={2}>
                  {d.validityQuote}
                </Descriptions.Item>
              )}
            </Descriptions>

            <Typography.Title level={4}>条款</Typography.Title>
            {d.measures.length === 0 ? (
              <Typography.Paragraph>本文件没有可查阅的措施。</Typography.Paragraph>
            ) : (
              d.measures.map((m) => (
                <Clause
                  key={m.id}
                  m={m}
                  data={rules.data?.byId.get(m.id)}
                  asOf={asOf}
                  enterprise={me ? me.actor.role === "enterprise" : null}
                />
              ))
            )}

            {targets.length > 0 && (
              <>
                <Typography.Title level={4}>发展目标</Typography.Title>
                <Table<Target>
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={targets}
                  style={{ marginBottom: 16 }}
                  columns={[
                    { title: "目标", dataIndex: "label" },
                    { title: "年份", dataIndex: "year", width: 80 },
                    { title: "目标值", key: "value", width: 100, render: (_, t) => `${t.value} ${t.unit}` },
                    { title: "原文", dataIndex: "quote" },
                  ]}
                />
              </>
            )}

            {d.notes && d.notes.length > 0 && (
              <>
                <Typography.Title level={4}>文件说明</Typography.Title>
                <Collapse
                  items={d.notes.map((n) => ({
                    key: n.topic,
                    label: n.topic,
                    children: (
                      <>
                        <blockquote style={blockquote}>{n.quote}</blockquote>
                        <Typography.Paragraph style={{ margin: 0 }}>{n.reading}</Typography.Paragraph>
                      </>
                    ),
                  }))}
                />
              </>
            )}
          </>
        )}
      </Page>
    </Accessible>
  );
}

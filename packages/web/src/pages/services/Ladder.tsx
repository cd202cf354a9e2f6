/**
 * “专精特新”梯度培育 (officer, coordinator, policy admin): every enterprise of the district on its tier
 * (储备 → 创新型中小企业 → 市级专精特新 → 国家级“小巨人” → 上市培育), the candidates for the next tier ranked by
 * the engine's gaps in plain Chinese, and the targets the district's document sets (武隆 2025) against the
 * actual counts by year. Policy admins choose the district.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Descriptions, List, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { api, ok } from "../../api/client";
import type { paths } from "../../api/schema";
import { MUTED, SafeTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { useSession } from "../../session";

type LadderData = paths["/api/ladder"]["get"]["responses"][200]["content"]["application/json"];
type Candidate = LadderData["candidates"][number];
type TargetsData = paths["/api/ladder/targets"]["get"]["responses"][200]["content"]["application/json"];

const DISTRICTS = [
  { value: "500156", label: "武隆区" },
  { value: "500113", label: "巴南区" },
  { value: "500112", label: "渝北区" },
  { value: "500154", label: "开州区" },
];

const STATUS_COLOR: Record<Candidate["status"], string> = {
  eligible: "green",
  undetermined: "warning",
  ineligible: "red",
  unranked: "default",
};

export function CandidateGaps({ c }: { c: Candidate }) {
  return (
    <div>
      <SafeTag color={STATUS_COLOR[c.status]}>{c.statusLabel}</SafeTag>
      {c.gaps.length > 0 && (
        <ul style={{ margin: "6px 0 0", paddingLeft: 20 }}>
          {c.gaps.map((g) => (
            <li key={g.text}>{g.text}</li>
          ))}
        </ul>
      )}
      {c.missing.length > 0 && (
        <Typography.Paragraph style={{ margin: "6px 0 0" }}>
          待补充资料：{c.missing.join("、")}
        </Typography.Paragraph>
      )}
      {c.indicator && (
        <Typography.Paragraph style={{ margin: "6px 0 0" }}>
          {c.indicator.label}：{c.indicator.value}
        </Typography.Paragraph>
      )}
      {c.basis && (
        <Typography.Paragraph style={{ margin: "6px 0 0", color: MUTED }}>
          测算依据：{c.basis}
        </Typography.Paragraph>
      )}
    </div>
  );
}

function Targets({ data }: { data: TargetsData | undefined }) {
  if (!data) return null;
  if (data.documents.length === 0)
    return (
      <Card
        size="small"
        title={<h2 style={{ margin: 0, fontSize: 16 }}>培育目标</h2>}
        style={{ marginBottom: 16 }}
      >
        <Typography.Text>{data.districtName}的政策文件没有设定梯度培育的数量目标。</Typography.Text>
      </Card>
    );
  return (
    <>
      {data.documents.map((d) => (
        <Card
          key={d.documentId}
          size="small"
          title={<h2 style={{ margin: 0, fontSize: 16 }}>{`培育目标与实际（${d.docNumber}）`}</h2>}
          style={{ marginBottom: 16 }}
        >
          <List
            dataSource={d.targets}
            renderItem={(t) => (
              <List.Item key={t.id} aria-label={t.label}>
                <div style={{ width: "100%" }}>
                  <Typography.Text strong>{t.label}</Typography.Text>
                  <div>
                    {`${t.year}年目标 ${t.value} ${t.unit}，实际 ${t.reached} ${t.unit}`}
                    {t.reached >= t.value ? (
                      <SafeTag color="green">已达到</SafeTag>
                    ) : (
                      <SafeTag color="warning">{`还差 ${t.value - t.reached} ${t.unit}`}</SafeTag>
                    )}
                  </div>
                  <div>逐年实际：{t.actual.map((a) => `${a.year}年 ${a.count} ${t.unit}`).join("；")}</div>
                  <Typography.Paragraph style={{ margin: "4px 0 0", color: MUTED }}>
                    文件原文：“{t.quote}”
                  </Typography.Paragraph>
                </div>
              </List.Item>
            )}
          />
        </Card>
      ))}
    </>
  );
}

export default function Ladder() {
  const { me } = useSession();
  const isAdmin = me?.actor.role === "policyAdmin";
  const [district, setDistrict] = useState<string>("500156");
  const query = isAdmin ? { district } : {};
  const ladder = useQuery({
    queryKey: ["ladder", query],
    queryFn: () => ok(api.GET("/api/ladder", { params: { query } })),
  });
  const targets = useQuery({
    queryKey: ["ladder", "targets", query],
    queryFn: () => ok(api.GET("/api/ladder/targets", { params: { query } })),
  });
  const d = ladder.data;
  const byNext = (tier: string) => (d?.candidates ?? []).filter((c) => c.nextTier === tier);
  return (
    <Page
      title="梯度培育"
      loading={ladder.isLoading}
      error={ladder.error}
      extra={
        isAdmin ? (
          <Select
            aria-label="选择区县"
            value={district}
            onChange={setDistrict}
            options={DISTRICTS}
            style={{ width: 140 }}
          />
        ) : null
      }
    >
      {d && (
        <>
          <Alert type="info" showIcon title={d.criteriaNote} style={{ marginBottom: 16 }} />
          <Card
            size="small"
            title={<h2 style={{ margin: 0, fontSize: 16 }}>{`${d.districtName}各级企业（${d.asOf}）`}</h2>}
            style={{ marginBottom: 16 }}
          >
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2, md: 5 }}
              items={d.tiers.map((t) => ({ key: t.tier, label: t.label, children: `${t.count} 家` }))}
            />
          </Card>
          <Targets data={targets.data} />
          <Card
            size="small"
            title={<h2 style={{ margin: 0, fontSize: 16 }}>下一级候选企业</h2>}
            style={{ marginBottom: 16 }}
          >
            <Typography.Paragraph style={{ color: MUTED }}>
              按离下一级的差距排序：已符合认定条件的在前，其次是资料不全的，再按差距由小到大。
            </Typography.Paragraph>
            {(["innovativeSme", "srdi", "littleGiant", "listing"] as const).map((tier) => {
              const list = byNext(tier);
              if (list.length === 0) return null;
              return (
                <section key={tier} style={{ marginBottom: 16 }}>
                  <h3
                    style={{ fontSize: 15 }}
                  >{`晋级${list[0]?.nextTierLabel ?? ""}（${list.length} 家）`}</h3>
                  <List
                    bordered
                    dataSource={list}
                    renderItem={(c) => (
                      <List.Item key={c.enterpriseId}>
                        <Space orientation="vertical" size={4} style={{ width: "100%" }}>
                          <Typography.Text
                            strong
                          >{`${c.enterpriseName}（现为${c.tierLabel}）`}</Typography.Text>
                          <CandidateGaps c={c} />
                        </Space>
                      </List.Item>
                    )}
                  />
                </section>
              );
            })}
          </Card>
          <Card size="small" title={<h2 style={{ margin: 0, fontSize: 16 }}>企业所在梯度</h2>}>
            <Table
              size="small"
              rowKey="enterpriseId"
              pagination={false}
              dataSource={d.enterprises}
              columns={[
                { title: "企业", dataIndex: "name" },
                { title: "所在梯度", dataIndex: "tierLabel" },
                { title: "认定日期", dataIndex: "since", render: (v: string | null) => v ?? "—" },
              ]}
            />
          </Card>
        </>
      )}
    </Page>
  );
}

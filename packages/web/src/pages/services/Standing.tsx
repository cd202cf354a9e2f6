/**
 * 梯度与白名单 (enterprise): the enterprise's “专精特新” tier and what it still lacks for the next one (the engine's
 * gaps from the encoded criteria), and the 白名单 lists it is on with their validity and the measures behind them.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Descriptions, List, Typography } from "antd";
import { api, ok } from "../../api/client";
import { MUTED, SafeTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { CandidateGaps } from "./Ladder";

const STATUS_COLOR: Record<string, string> = { active: "green", pending: "blue", expired: "default" };

export default function Standing() {
  const ladder = useQuery({ queryKey: ["ladder", "mine"], queryFn: () => ok(api.GET("/api/ladder/mine")) });
  const lists = useQuery({
    queryKey: ["whitelists", "mine"],
    queryFn: () => ok(api.GET("/api/whitelists/mine")),
  });
  const l = ladder.data;
  return (
    <Page
      title="梯度与白名单"
      loading={ladder.isLoading || lists.isLoading}
      error={ladder.error ?? lists.error}
    >
      {l && (
        <Card
          size="small"
          title={<h2 style={{ margin: 0, fontSize: 16 }}>“专精特新”梯度培育</h2>}
          style={{ marginBottom: 16 }}
        >
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: "tier", label: "目前梯度", children: l.tierLabel },
              { key: "since", label: "认定日期", children: l.since ?? "—" },
              ...(l.candidate ? [{ key: "next", label: "下一级", children: l.candidate.nextTierLabel }] : []),
            ]}
          />
          {l.candidate && (
            <div style={{ marginTop: 8 }}>
              <CandidateGaps c={l.candidate} />
            </div>
          )}
          <Alert type="info" showIcon title={l.criteriaNote} style={{ marginTop: 12 }} />
        </Card>
      )}
      {lists.data && (
        <Card size="small" title={<h2 style={{ margin: 0, fontSize: 16 }}>所在白名单</h2>}>
          {lists.data.lists.length === 0 ? (
            // antd's empty text is too light for contrast: plain text instead.
            <Typography.Paragraph>本企业目前不在任何白名单中。</Typography.Paragraph>
          ) : (
            <List
              dataSource={lists.data.lists}
              renderItem={(w) => (
                <List.Item key={`${w.name}-${w.validFrom}`}>
                  <div>
                    <Typography.Text strong>{w.name}</Typography.Text>{" "}
                    <SafeTag color={STATUS_COLOR[w.status]}>{w.statusLabel}</SafeTag>
                    <div>{`${w.kindLabel} · ${w.regionName} · 有效期 ${w.validFrom} 至 ${w.validUntil ?? "长期"}`}</div>
                    {w.basis && <div style={{ color: MUTED }}>依据：{w.basis}</div>}
                  </div>
                </List.Item>
              )}
            />
          )}
          {lists.data.basis.map((b) => (
            <Typography.Paragraph key={b.measureId} style={{ margin: "8px 0 0", color: MUTED }}>
              依据{b.docNumber}第{b.ordinal}条：“{b.quote}”
            </Typography.Paragraph>
          ))}
        </Card>
      )}
    </Page>
  );
}

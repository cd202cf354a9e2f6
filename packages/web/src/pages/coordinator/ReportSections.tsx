/**
 * The quarterly report's sections beyond applications: 企业吹哨·部门报到 per responsible department,
 * 免申即享 grants per lead department, and the “专精特新” ladder (counts per tier against the district
 * document's targets). Shown whether or not the quarter had applications: services and the ladder have
 * their own activity.
 */
import { Table, Typography } from "antd";
import { yuanExact } from "../../api/client";
import type { paths } from "../../api/schema";

type Report = paths["/api/reports/quarterly"]["get"]["responses"][200]["content"]["application/json"];

type ServiceLine = Report["serviceRequests"]["departments"][number];
type ExemptionLine = Report["exemption"]["departments"][number];
type TierLine = Report["ladder"]["tiers"][number];

/** Mean 满意度 with the number of ratings, or 暂无评价. */
const satisfaction = (c: { ratings: number; averageScore: number | null }) =>
  c.ratings && c.averageScore !== null ? `${c.averageScore.toFixed(2)} 分（${c.ratings} 条）` : "暂无评价";

/** A table's 合计 row: the label, then the given cells right-aligned. */
function TotalsRow({ cells }: { cells: (string | number)[] }) {
  return (
    <Table.Summary.Row>
      <Table.Summary.Cell index={0}>
        <strong>合计</strong>
      </Table.Summary.Cell>
      {cells.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns, never reordered
        <Table.Summary.Cell key={i} index={i + 1} align="right">
          <strong>{c}</strong>
        </Table.Summary.Cell>
      ))}
    </Table.Summary.Row>
  );
}

function ServiceSection({ r }: { r: Report }) {
  const s = r.serviceRequests;
  const t = s.totals;
  return (
    <section aria-labelledby="services-title">
      <Typography.Title level={4} id="services-title">
        企业吹哨·部门报到
      </Typography.Title>
      {s.departments.length === 0 ? (
        <Typography.Paragraph type="secondary">本季度没有企业诉求。</Typography.Paragraph>
      ) : (
        <Table<ServiceLine>
          size="small"
          rowKey="department"
          pagination={false}
          dataSource={s.departments}
          scroll={{ x: 800 }}
          style={{ marginBottom: 8 }}
          columns={[
            { title: "负责部门", dataIndex: "departmentName" },
            { title: "受理", dataIndex: "received", align: "right" },
            {
              title: "按时报到",
              key: "inTime",
              align: "right",
              render: (_, d) => `${d.acceptedInTime}/${d.received}`,
            },
            { title: "办结", dataIndex: "closed", align: "right" },
            { title: "超时升级", dataIndex: "escalated", align: "right" },
            {
              title: "满意度",
              key: "score",
              align: "right",
              render: (_, d) => satisfaction(d),
            },
          ]}
          summary={() => (
            <TotalsRow
              cells={[
                t.received,
                `${t.acceptedInTime}/${t.received}`,
                t.closed,
                t.escalated,
                satisfaction(t),
              ]}
            />
          )}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        受理：本季度提出的诉求；按时报到：其中在报到时限内受理的；办结：本季度企业确认办结的；超时升级：本季度提出、因超时升级到区发展改革委的；满意度：本季度企业评价的平均分（5
        分为很满意）。
      </Typography.Paragraph>
    </section>
  );
}

function ExemptionSection({ r }: { r: Report }) {
  const e = r.exemption;
  return (
    <section aria-labelledby="exemption-title">
      <Typography.Title level={4} id="exemption-title">
        免申即享
      </Typography.Title>
      {e.departments.length === 0 ? (
        <Typography.Paragraph type="secondary">本季度没有免申即享兑现。</Typography.Paragraph>
      ) : (
        <Table<ExemptionLine>
          size="small"
          rowKey="department"
          pagination={false}
          dataSource={e.departments}
          scroll={{ x: 600 }}
          style={{ marginBottom: 8 }}
          columns={[
            { title: "牵头单位", dataIndex: "departmentName" },
            { title: "兑现件数", dataIndex: "grants", align: "right" },
            {
              title: "核定金额",
              dataIndex: "grantedFen",
              align: "right",
              render: (v: number) => yuanExact(v),
            },
            { title: "兑付金额", dataIndex: "paidFen", align: "right", render: (v: number) => yuanExact(v) },
          ]}
          summary={() => (
            <TotalsRow
              cells={[e.totals.grants, yuanExact(e.totals.grantedFen), yuanExact(e.totals.paidFen)]}
            />
          )}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        牵头单位按政府数据确认、企业无需申请的兑现，另计，不含在上方申报统计中。
      </Typography.Paragraph>
    </section>
  );
}

function LadderSection({ r }: { r: Report }) {
  const l = r.ladder;
  const targeted = l.tiers.some((t) => t.target !== null);
  return (
    <section aria-labelledby="ladder-title">
      <Typography.Title level={4} id="ladder-title">
        “专精特新”梯度培育
      </Typography.Title>
      <Table<TierLine>
        size="small"
        rowKey="tier"
        pagination={false}
        dataSource={l.tiers}
        scroll={{ x: 700 }}
        style={{ marginBottom: 8 }}
        columns={[
          { title: "梯度", dataIndex: "label" },
          { title: "最高梯度为此级", dataIndex: "count", align: "right", render: (v: number) => `${v} 家` },
          {
            title: "持有此级认定",
            key: "holding",
            align: "right",
            render: (_, t) => (t.tier === "reserve" ? "—" : `${t.holding} 家`),
          },
          {
            title: "文件目标",
            key: "target",
            render: (_, t) =>
              t.target === null ? (
                "—"
              ) : (
                <span title={t.targetQuote ?? undefined}>
                  {t.targetYear ? `${t.targetYear}年` : ""}目标 {t.target} 家（实际 {t.holding} 家）
                </span>
              ),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        统计日 {l.asOf}。
        {targeted
          ? `目标出自${l.documentNumber ?? "区县文件"}，按持有该级认定的企业数计。`
          : "本报告范围内的区县文件没有设定梯度培育目标（选定武隆区可看目标对比）。"}
        认定以主管部门的审核结果为准。
      </Typography.Paragraph>
    </section>
  );
}

export function ReportSections({ r }: { r: Report }) {
  return (
    <>
      <ServiceSection r={r} />
      <ExemptionSection r={r} />
      <LadderSection r={r} />
    </>
  );
}

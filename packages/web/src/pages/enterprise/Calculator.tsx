/** 政策计算器: every measure's outcome as of the policy date, amounts, deadlines, contacts and stacking notes. */
import { type Facts, parseItemFieldKey } from "@huiqi/engine";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Col, Collapse, Row, Space, Spin, Statistic, Tag, Typography } from "antd";
import { type ReactNode, useMemo } from "react";
import { Link } from "react-router";
import { api, ok } from "../../api/client";
import { Page } from "../../components/Page";
import { useSession } from "../../session";
import {
  amountText,
  CountdownTag,
  daysLeft,
  type MatchBody,
  type MatchRow,
  measurePath,
  OutcomeTag,
  rawProfile,
  StackingNotes,
  stakeText,
  todayInChongqing,
  useEnterprise,
  useEnterpriseId,
  useMatches,
  validityProblem,
} from "./common";
import { otherIndustryFacts } from "./planning";

const ORDER = { eligible: 0, undetermined: 1, ineligible: 2 } as const;

/** What an undetermined measure could still bring: its ceiling (unbounded first); unstated amounts last. */
function atStake(r: MatchRow): number {
  if (!r.amount) return -1;
  return r.amount.max ?? Number.POSITIVE_INFINITY;
}

/**
 * Eligible first, by the amount they guarantee (minimum, then ceiling); then undetermined, by the money at
 * stake; measures whose text states no figure after those with one.
 */
function byOutcome(a: MatchRow, b: MatchRow) {
  const o = ORDER[a.outcome] - ORDER[b.outcome];
  if (o !== 0) return o;
  if (a.outcome === "eligible")
    return (
      (b.amount?.min ?? -1) - (a.amount?.min ?? -1) ||
      atStake(b) - atStake(a) ||
      a.title.localeCompare(b.title)
    );
  const d = atStake(b) - atStake(a);
  return Number.isNaN(d) || d === 0 ? a.title.localeCompare(b.title) : d;
}

function MeasureCard({ row, asOf }: { row: MatchRow; asOf: string }) {
  const validity = validityProblem(row, asOf);
  return (
    <Card size="small" style={{ marginBottom: 8 }}>
      <Space wrap size={4} style={{ marginBottom: 4 }}>
        <OutcomeTag outcome={row.outcome} />
        {validity === "expired" && <Tag color="default">已过执行期限</Tag>}
        {validity === "notStarted" && <Tag color="default">尚未开始执行</Tag>}
        {!validity && <CountdownTag days={daysLeft(row, asOf)} />}
        <Link to={measurePath(row.measureId)} style={{ fontWeight: 600 }}>
          {row.title}
        </Link>
      </Space>
      <Row gutter={[12, 4]}>
        {row.monetary && (
          <Col xs={24} sm={12}>
            <Typography.Text type="secondary">金额：</Typography.Text>
            <Typography.Text strong style={{ color: row.outcome === "eligible" ? "#c8102e" : undefined }}>
              {amountText(row)}
            </Typography.Text>
          </Col>
        )}
        <Col xs={24} sm={12}>
          <Typography.Text type="secondary">执行期限：</Typography.Text>
          {row.validFrom} 至 {row.validUntil ?? "新政策替代"}
        </Col>
        <Col xs={24} sm={12}>
          <Typography.Text type="secondary">牵头单位：</Typography.Text>
          {row.leadDepartmentName}
        </Col>
        {row.contact && (
          <Col xs={24} sm={12}>
            <Typography.Text type="secondary">咨询：</Typography.Text>
            {row.contact.name ?? ""} {row.contact.hotline ? `☎ ${row.contact.hotline}` : ""}
          </Col>
        )}
        <Col xs={24} sm={12}>
          <Typography.Text type="secondary">{row.docNumber}</Typography.Text>
        </Col>
      </Row>
      {row.outcome === "ineligible" && row.reason && (
        <div style={{ marginTop: 4 }}>
          <Typography.Text type="secondary">原因：</Typography.Text>
          {row.reason}
        </div>
      )}
      {row.outcome === "undetermined" && row.missing.length > 0 && (
        <div style={{ marginTop: 4 }}>
          <Typography.Text type="secondary">还需回答：</Typography.Text>
          {row.missing.map((m) => m.label).join("、")}
        </div>
      )}
      <StackingNotes row={row} compact />
    </Card>
  );
}

type Member = { id: string; role: "recommended" | "notAdded" | "pending" };

const ROLE_TAGS = {
  recommended: { color: "green", text: "推荐享受" },
  notAdded: { color: "red", text: "不叠加" },
  pending: { color: "gold", text: "待确认" },
} as const;

/**
 * 从高不重复, once per group (and per project or certificate when the group compares those): the measures
 * by title with their amounts, the recommended one marked, and the reason with the document's words.
 */
function StackingCard({ data }: { data: CalculatorData }) {
  const rows = new Map(data.results.map((r) => [r.measureId, r]));
  const groups: { key: string; title: string; members: Member[]; reason: string }[] = data.stacking.map(
    (s) => ({
      key: `${s.groupId}:${s.subject ?? ""}`,
      title: s.subjectLabel ? `${s.title}（${s.subjectLabel}）` : s.title,
      members: [
        { id: s.recommended, role: "recommended" as const },
        ...s.notAdded.map((id) => ({ id, role: "notAdded" as const })),
        ...s.pending.map((id) => ({ id, role: "pending" as const })),
      ],
      reason: s.reason,
    }),
  );
  // Groups where no member is eligible yet: only the undetermined members' notes say so.
  const decided = new Set(groups.map((g) => g.key));
  const open = new Map<string, Set<string>>();
  for (const r of data.results)
    for (const n of r.stacking ?? []) {
      const key = `${n.groupId}:${n.subject ?? ""}`;
      if (n.decision !== "pending" || decided.has(key)) continue;
      open.set(key, (open.get(key) ?? new Set()).add(r.measureId));
    }
  for (const [key, ids] of open)
    if (ids.size >= 2)
      groups.push({
        key,
        title: "同类措施（尚待确认）",
        members: [...ids].map((id) => ({ id, role: "pending" as const })),
        reason: "这些措施从高不重复：若都符合，只享受金额较高的一项。",
      });
  if (groups.length === 0) return null;
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>从高不重复：同类措施只享受一项</h2>}>
      {groups.map((g) => (
        <section key={g.key} aria-label={g.title} style={{ marginBottom: 12 }}>
          <Typography.Text strong>{g.title}</Typography.Text>
          <ul style={{ margin: "4px 0", paddingLeft: 18 }}>
            {g.members.map((m) => {
              const r = rows.get(m.id);
              return (
                <li key={m.id}>
                  <Tag color={ROLE_TAGS[m.role].color}>{ROLE_TAGS[m.role].text}</Tag>
                  {r ? <Link to={measurePath(m.id)}>{r.title}</Link> : m.id}
                  {r?.monetary && (
                    <Typography.Text type="secondary" style={{ marginLeft: 6 }}>
                      {amountText(r)}
                    </Typography.Text>
                  )}
                </li>
              );
            })}
          </ul>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {g.reason}
          </Typography.Text>
        </section>
      ))}
    </Card>
  );
}

function ServiceRow({ row, asOf }: { row: MatchRow; asOf: string }) {
  const validity = validityProblem(row, asOf);
  return (
    <div style={{ padding: "6px 0", borderBottom: "1px solid #f0f0f0" }}>
      <Space wrap size={4}>
        <OutcomeTag outcome={row.outcome} />
        {validity === "expired" && <Tag>已过执行期限</Tag>}
        <Link to={measurePath(row.measureId)}>{row.title}</Link>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {row.leadDepartmentName}
          {row.contact?.hotline ? ` ☎ ${row.contact.hotline}` : ""}
          {row.validUntil ? ` · 至 ${row.validUntil}` : ""}
        </Typography.Text>
      </Space>
      {row.outcome === "ineligible" && row.reason && (
        <div style={{ fontSize: 12, color: "#666" }}>原因：{row.reason}</div>
      )}
    </div>
  );
}

/** The figures of the anonymous calculation or of the enterprise's matches (the same shape). */
export type CalculatorData = Omit<MatchBody, "enterpriseId">;

/**
 * The calculator's results: totals, the most valuable open questions, 从高不重复, money and service measures,
 * expired ones and the ineligible (collapsed). Shared by the enterprise's calculator and the anonymous one.
 */
export function CalculatorResults(props: {
  data: CalculatorData;
  asOf: string;
  /** The enterprise's district: which documents apply to it (its own and the municipal ones). */
  region: string;
  /** The raw profile (for leaving out other industries' questions). */
  profile: Facts | undefined;
  /** Where the questions are answered. */
  questionsAction: ReactNode;
}) {
  const { data, asOf, region } = props;
  // The wizard's rule: no questions about industries the enterprise is not in (医药, 软件…).
  const otherIndustry = props.profile ? otherIndustryFacts(props.profile) : new Set<string>();
  const questions = data.questions.filter(
    (x) => !otherIndustry.has(parseItemFieldKey(x.fact)?.list ?? x.factId),
  );
  const docs = useQuery({
    queryKey: ["documents"],
    queryFn: () => ok(api.GET("/api/documents")),
    staleTime: 600_000,
  });
  /** Documents that apply to this enterprise's district (its own and the municipal ones). */
  const mine = new Set(
    (docs.data?.items ?? [])
      .filter((d) =>
        d.regionCode.endsWith("0000") ? region.startsWith(d.regionCode.slice(0, 2)) : d.regionCode === region,
      )
      .map((d) => d.id),
  );
  if (docs.isLoading)
    return (
      <div role="status" style={{ padding: 48, textAlign: "center" }}>
        <Spin size="large" />
      </div>
    );
  const rows = data.results;
  const inForce = rows.filter((r) => !validityProblem(r, asOf));
  const open = inForce.filter((r) => r.outcome !== "ineligible").sort(byOutcome);
  const money = open.filter((r) => r.monetary);
  const services = open.filter((r) => !r.monetary);
  const expired = rows.filter((r) => validityProblem(r, asOf) && mine.has(r.documentId));
  const ineligibleMine = inForce.filter((r) => r.outcome === "ineligible" && mine.has(r.documentId));
  const otherRegions = rows.filter((r) => !mine.has(r.documentId)).length;
  const eligibleCount = rows.filter((r) => r.outcome === "eligible").length;
  const pendingCount = rows.filter((r) => r.outcome === "undetermined").length;

  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }}>
      <Card>
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Statistic title="符合条件可得（已按从高不重复）" value={data.totals.eligible.text} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="若待确认措施都符合，最高可达" value={data.totals.potentialMaxText} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="符合的措施" value={`${eligibleCount} 项`} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="待确认的措施" value={`${pendingCount} 项`} />
          </Col>
        </Row>
        <Typography.Paragraph type="secondary" style={{ margin: "8px 0 0", fontSize: 12 }}>
          按 {data.asOf} 有效的已发布政策测算。金额为按政策原文测算的可得范围，以牵头单位审核核定为准。
        </Typography.Paragraph>
      </Card>

      {questions.length > 0 && (
        <Card title={<h4 style={{ fontSize: 16, margin: 0 }}>回答这些问题，结果更准确</h4>}>
          {questions.slice(0, 5).map((qq) => (
            <div key={qq.fact} style={{ padding: "4px 0" }}>
              <Tag color={qq.moneyAtStake === null ? "orange" : "red"}>{stakeText(qq)}</Tag>
              {qq.label}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                （影响 {qq.measures.length} 项措施）
              </Typography.Text>
            </div>
          ))}
          <div style={{ marginTop: 8 }}>{props.questionsAction}</div>
        </Card>
      )}

      <StackingCard data={data} />

      <section aria-labelledby="h-money">
        <h4 id="h-money" style={{ fontSize: 18 }}>
          资金类措施（{money.length} 项符合或待确认）
        </h4>
        {money.length === 0 ? (
          <Alert
            type="warning"
            showIcon
            title={`测算日 ${asOf} 没有符合或待确认的资金类措施`}
            description="可能是本区县措施已过执行期限；可在页面顶部把测算日改为政策执行期内的日期查看。"
          />
        ) : (
          money.map((r) => <MeasureCard key={r.measureId} row={r} asOf={asOf} />)
        )}
      </section>

      <section aria-labelledby="h-service">
        <h4 id="h-service" style={{ fontSize: 18 }}>
          服务类措施（{services.length} 项）
        </h4>
        <Card size="small">
          {services.length === 0 ? (
            <Typography.Text type="secondary">暂无符合或待确认的服务类措施</Typography.Text>
          ) : (
            services.map((r) => <ServiceRow key={r.measureId} row={r} asOf={asOf} />)
          )}
        </Card>
      </section>

      {expired.length > 0 && (
        <section aria-labelledby="h-expired">
          <h4 id="h-expired" style={{ fontSize: 18 }}>
            已过执行期限或尚未开始（{expired.length} 项）
          </h4>
          <Typography.Paragraph type="secondary">
            这些措施适用于本区县，但在测算日 {asOf} 不在执行期限内；把测算日改到执行期内可查看当时的结果。
          </Typography.Paragraph>
          <Card size="small">
            {expired.map((r) => (
              <ServiceRow key={r.measureId} row={r} asOf={asOf} />
            ))}
          </Card>
        </section>
      )}

      <Collapse
        items={[
          {
            key: "ineligible",
            label: `不符合条件的措施（本区县及市级 ${ineligibleMine.length} 项；其他区县措施 ${otherRegions} 项不适用）`,
            forceRender: true,
            children: ineligibleMine.map((r) => <ServiceRow key={r.measureId} row={r} asOf={asOf} />),
          },
        ]}
      />
    </Space>
  );
}

export default function Calculator() {
  const id = useEnterpriseId();
  const { asOf, me } = useSession();
  // The page lists the ineligible and expired measures too (collapsed): the full list.
  const q = useMatches(id, asOf, undefined, { ineligible: true });
  const ent = useEnterprise(id);
  const profile = useMemo(() => (ent.data ? rawProfile(ent.data) : undefined), [ent.data]);
  return (
    <Page
      title="政策计算器"
      loading={q.isLoading}
      error={q.error}
      extra={
        <Space wrap>
          <Typography.Text type="secondary">测算日：{asOf}（可在页面顶部修改）</Typography.Text>
          <Link to={asOf === todayInChongqing() ? "/calendar" : `/calendar?asOf=${asOf}`}>申报日历</Link>
        </Space>
      }
    >
      {q.data && (
        <CalculatorResults
          data={q.data}
          asOf={asOf}
          region={me?.actor.regionCode ?? ""}
          profile={profile}
          questionsAction={
            <Link to="/profile">
              <Button type="primary">去完善企业画像</Button>
            </Link>
          }
        />
      )}
    </Page>
  );
}

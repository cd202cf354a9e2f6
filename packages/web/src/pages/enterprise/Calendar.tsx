/**
 * 申报日历: the measures that fit the enterprise (符合 or 待确认 as of the policy date) by the month their
 * application window closes (validUntil), with the days left; then those whose window is not open yet, and
 * those the documents give no closing date (their 申报期限 as the interpretation words it). Dates are
 * Chongqing calendar dates (dates.ts).
 */
import { Card, Empty, Space, Tag, Typography } from "antd";
import { Link } from "react-router";
import { AsOfBar } from "../../components/AsOf";
import { Page } from "../../components/Page";
import { daysBetween } from "../../dates";
import { useSession } from "../../session";
import {
  amountText,
  CountdownTag,
  daysLeft,
  type MatchRow,
  measurePath,
  OutcomeTag,
  useEnterpriseId,
  useMatches,
  useRules,
  validityProblem,
} from "./common";

function monthLabel(ym: string): string {
  return `${ym.slice(0, 4)}年${Number(ym.slice(5, 7))}月`;
}

function Entry({
  row,
  asOf,
  deadline,
  opens,
}: {
  row: MatchRow;
  asOf: string;
  deadline?: string;
  opens?: boolean;
}) {
  const left = row.validUntil ? daysBetween(asOf, row.validUntil) : null;
  return (
    <li style={{ padding: "8px 0", borderBottom: "1px solid #f0f0f0" }}>
      <Space wrap size={4}>
        <OutcomeTag outcome={row.outcome === "ineligible" ? "undetermined" : row.outcome} />
        {!opens && <CountdownTag days={daysLeft(row, asOf)} />}
        <Link to={measurePath(row.measureId)} style={{ fontWeight: 600 }}>
          {row.title}
        </Link>
        {row.monetary && <Typography.Text strong>{amountText(row)}</Typography.Text>}
      </Space>
      <div style={{ fontSize: 13 }}>
        {opens ? (
          <>
            申报窗口：{row.validFrom} 起（还有 {daysBetween(asOf, row.validFrom)} 天开始）
          </>
        ) : row.validUntil ? (
          <>
            申报窗口：{row.validFrom} 至 {row.validUntil}
            {left !== null && left > 90 ? `（还剩 ${left} 天）` : ""}
          </>
        ) : (
          <>执行期限：{row.validFrom} 起，未设截止日期</>
        )}
        <Typography.Text type="secondary">
          {" · "}
          {row.leadDepartmentName}
          {row.contact?.hotline ? ` ☎ ${row.contact.hotline}` : ""}
        </Typography.Text>
      </div>
      {deadline && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          申报期限：{deadline}
        </Typography.Text>
      )}
    </li>
  );
}

export default function Calendar() {
  const id = useEnterpriseId();
  const { asOf, setAsOf, me } = useSession();
  const q = useMatches(id, asOf);
  const rules = useRules();
  const region = me?.actor.regionCode ?? "";
  const engine = rules.compiled?.engine;
  const deadlineOf = (r: MatchRow) => engine?.byId.get(r.measureId)?.def.interpretation?.deadline;
  /** The enterprise's district and the municipal documents (another district's measures never apply). */
  const ours = (r: MatchRow) => {
    const m = engine?.byId.get(r.measureId);
    return m ? (m.regionExact ? region === m.regionPrefix : region.startsWith(m.regionPrefix)) : false;
  };
  const rows = q.data?.results ?? [];
  const open = rows.filter((r) => r.outcome !== "ineligible");
  const dated = open
    .filter((r) => r.validUntil)
    .sort((a, b) => (a.validUntil ?? "").localeCompare(b.validUntil ?? "") || a.title.localeCompare(b.title));
  const months = new Map<string, MatchRow[]>();
  for (const r of dated) {
    const ym = (r.validUntil ?? "").slice(0, 7);
    months.set(ym, [...(months.get(ym) ?? []), r]);
  }
  const upcoming = rows
    .filter((r) => validityProblem(r, asOf) === "notStarted" && ours(r))
    .sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  const undated = open
    .filter((r) => !r.validUntil)
    .sort((a, b) => Number(b.monetary) - Number(a.monetary) || a.title.localeCompare(b.title));

  return (
    <Page title="申报日历" loading={q.isLoading || rules.isLoading} error={q.error ?? rules.error}>
      <AsOfBar value={asOf} onChange={(d) => setAsOf(d)} />
      <Space orientation="vertical" size={16} style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          按测算日 {asOf} 适合贵企业（符合或待确认）的措施，按申报截止的月份排列；90 天内截止的标出剩余天数。
          日期按重庆时间计算。
        </Typography.Paragraph>
        {dated.length === 0 && upcoming.length === 0 && (
          <Card>
            <Empty description={`测算日 ${asOf} 起没有设有截止日期的适合措施`} />
          </Card>
        )}
        {[...months].map(([ym, list]) => (
          <Card
            key={ym}
            size="small"
            title={
              <h2 id={`m-${ym}`} style={{ fontSize: 16, margin: 0 }}>
                {monthLabel(ym)}截止 <Tag>{list.length} 项</Tag>
              </h2>
            }
          >
            <ul aria-labelledby={`m-${ym}`} style={{ listStyle: "none", margin: 0, padding: 0 }}>
              {list.map((r) => (
                <Entry key={r.measureId} row={r} asOf={asOf} deadline={deadlineOf(r)} />
              ))}
            </ul>
          </Card>
        ))}
        {upcoming.length > 0 && (
          <Card
            size="small"
            title={<h2 style={{ fontSize: 16, margin: 0 }}>尚未开始申报（{upcoming.length} 项）</h2>}
          >
            <ul style={{ listStyle: "none", margin: 0, padding: 0 }}>
              {upcoming.map((r) => (
                <Entry key={r.measureId} row={r} asOf={asOf} deadline={deadlineOf(r)} opens />
              ))}
            </ul>
          </Card>
        )}
        {undated.length > 0 && (
          <Card
            size="small"
            title={
              <h2 style={{ fontSize: 16, margin: 0 }}>未设截止日期，以申报通知为准（{undated.length} 项）</h2>
            }
          >
            <ul style={{ listStyle: "none", margin: 0, padding: 0 }}>
              {undated.map((r) => (
                <Entry key={r.measureId} row={r} asOf={asOf} deadline={deadlineOf(r)} />
              ))}
            </ul>
          </Card>
        )}
      </Space>
    </Page>
  );
}

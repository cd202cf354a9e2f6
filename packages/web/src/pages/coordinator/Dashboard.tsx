/**
 * 季度报告 (coordinator: own district; policy admin: any district or all): by department and measure, with
 * charts (applications by state, granted vs paid, trend by quarter, by district), then the service requests,
 * 免申即享 and ladder sections (ReportSections.tsx), Excel download and print.
 */
import { useQueries, useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Col, Empty, Form, Row, Select, Space, Spin, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { api, ok, yuanExact } from "../../api/client";
import { Accessible } from "../../components/Accessible";
import { EChart } from "../../components/EChart";
import { Page } from "../../components/Page";
import { DISTRICTS, REGION_LABELS } from "../../components/policy";
import { currentQuarter } from "../../dates";
import { useSession } from "../../session";
import { ReportSections } from "./ReportSections";

type Report = Awaited<ReturnType<typeof fetchReport>>;
type Counts = Report["totals"];
type DeptLine = Report["departments"][number];
type MeasureLine = DeptLine["measures"][number];
type Indicators = Report["overall"];
type BudgetLine = Report["budgets"][number];

/** A ratio (0–1) as a percentage with one decimal; "—" when there is nothing to divide by. */
const percent = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
const workDays = (v: number | null) => (v === null ? "—" : `${v} 个工作日`);
const score = (v: number | null) => (v === null ? "—" : `${v.toFixed(2)} 分`);

function indicatorColumns<T extends { indicators: Indicators }>() {
  const i = (t: T) => t.indicators;
  return [
    {
      title: "兑现率（金额）",
      key: "amountRate",
      align: "right" as const,
      render: (_: unknown, t: T) => percent(i(t).fulfilment.amountRate),
    },
    {
      title: "兑现率（件数）",
      key: "countRate",
      align: "right" as const,
      render: (_: unknown, t: T) =>
        `${percent(i(t).fulfilment.countRate)}（${i(t).fulfilment.paidCount}/${i(t).fulfilment.approvedCount}）`,
    },
    {
      title: "累计核定 / 已兑付",
      key: "fulfilledFen",
      align: "right" as const,
      render: (_: unknown, t: T) =>
        `${yuanExact(i(t).fulfilment.approvedFen)} / ${yuanExact(i(t).fulfilment.paidFen)}`,
    },
    {
      title: "处理时长 平均 / 90%",
      key: "processing",
      align: "right" as const,
      render: (_: unknown, t: T) =>
        i(t).processing.count === 0
          ? "—"
          : `${workDays(i(t).processing.averageDays)} / ${workDays(i(t).processing.p90Days)}`,
    },
    {
      title: "兑付时长 平均 / 90%",
      key: "payment",
      align: "right" as const,
      render: (_: unknown, t: T) =>
        i(t).payment.count === 0
          ? "—"
          : `${workDays(i(t).payment.averageDays)} / ${workDays(i(t).payment.p90Days)}`,
    },
    {
      title: "满意度",
      key: "satisfaction",
      align: "right" as const,
      render: (_: unknown, t: T) =>
        i(t).satisfaction.count === 0
          ? "暂无评价"
          : `${score(i(t).satisfaction.average)}（${i(t).satisfaction.count} 条）`,
    },
  ];
}

/** 兑现率, 处理时长, 预算执行 and 满意度 of the quarter: headline figures, per department, per budgeted measure. */
function Performance({ r }: { r: Report }) {
  const o = r.overall;
  const figures: [string, string, string][] = [
    [
      "兑现率（按金额）",
      percent(o.fulfilment.amountRate),
      `截至季度末累计已兑付 ${yuanExact(o.fulfilment.paidFen)}，核定 ${yuanExact(o.fulfilment.approvedFen)}`,
    ],
    [
      "兑现率（按件数）",
      percent(o.fulfilment.countRate),
      `已兑付 ${o.fulfilment.paidCount} 件，核定 ${o.fulfilment.approvedCount} 件`,
    ],
    [
      "平均处理时长",
      workDays(o.processing.averageDays),
      o.processing.count
        ? `本季度审批决定 ${o.processing.count} 件，90% 在 ${o.processing.p90Days} 个工作日内`
        : "本季度没有审批决定",
    ],
    [
      "平均兑付时长",
      workDays(o.payment.averageDays),
      o.payment.count
        ? `本季度兑付到账 ${o.payment.count} 件，90% 在 ${o.payment.p90Days} 个工作日内`
        : "本季度没有兑付到账",
    ],
    [
      "企业满意度",
      o.satisfaction.count ? score(o.satisfaction.average) : "暂无评价",
      `本季度收到评价 ${o.satisfaction.count} 条（5 分为很满意）`,
    ],
  ];
  return (
    <section aria-labelledby="performance-title">
      <Typography.Title level={4} id="performance-title">
        兑现率、处理时长与满意度
      </Typography.Title>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {figures.map(([k, v, note]) => (
          <Col key={k} xs={24} sm={12} xl={8} xxl={4}>
            <Card size="small" style={{ height: "100%" }}>
              <div style={{ color: "#595959" }}>{k}</div>
              <div style={{ fontSize: 20, fontWeight: 600 }}>{v}</div>
              <div style={{ color: "#595959", fontSize: 12 }}>{note}</div>
            </Card>
          </Col>
        ))}
      </Row>
      <Table<DeptLine>
        size="small"
        rowKey="department"
        pagination={false}
        dataSource={r.departments}
        scroll={{ x: 1000 }}
        style={{ marginBottom: 8 }}
        columns={[{ title: "牵头单位", dataIndex: "departmentName" }, ...indicatorColumns<DeptLine>()]}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        兑现率：截至季度末累计已兑付 ÷
        已核定（审批通过且仍有效的申报）。处理时长：本季度作出审批决定的申报，自首次提交次日起至决定日的工作日（含退回补正期间）；兑付时长：自审批通过次日起至到账日。工作日按国务院公布的法定节假日和调休安排计。
      </Typography.Paragraph>

      <Typography.Title level={4}>预算执行</Typography.Title>
      {r.budgets.length === 0 ? (
        <Typography.Paragraph type="secondary">本报告范围内的措施均未设置预算。</Typography.Paragraph>
      ) : (
        <Table<BudgetLine>
          size="small"
          rowKey="measureId"
          pagination={false}
          dataSource={r.budgets}
          scroll={{ x: 1000 }}
          style={{ marginBottom: 16 }}
          columns={[
            { title: "措施", dataIndex: "title", width: 260 },
            { title: "牵头单位", dataIndex: "departmentName", width: 140 },
            { title: "预算", key: "budget", align: "right", render: (_, b) => yuanExact(b.budgetFen) },
            {
              title: "累计核定（占预算）",
              key: "approved",
              align: "right",
              render: (_, b) => `${yuanExact(b.approvedFen)}（${percent(b.approvedRate)}）`,
            },
            {
              title: "累计兑付（占预算）",
              key: "paid",
              align: "right",
              render: (_, b) => `${yuanExact(b.paidFen)}（${percent(b.paidRate)}）`,
            },
          ]}
        />
      )}
    </section>
  );
}

interface Quarter {
  year: number;
  quarter: number;
}

function fetchReport(q: Quarter, regionCode?: string) {
  return ok(
    api.GET("/api/reports/quarterly", {
      params: { query: { year: q.year, quarter: q.quarter, ...(regionCode ? { regionCode } : {}) } },
    }),
  );
}

const reportKey = (q: Quarter, regionCode?: string) => ["report", q.year, q.quarter, regionCode ?? "all"];

function addQuarters(q: Quarter, n: number): Quarter {
  const i = q.year * 4 + (q.quarter - 1) + n;
  return { year: Math.floor(i / 4), quarter: (i % 4) + 1 };
}

const label = (q: Quarter) => `${q.year}年第${q.quarter}季度`;
const short = (q: Quarter) => `${q.year}Q${q.quarter}`;

/** The first quarter the platform's policies cover (the earliest documents are from 2021). */
const FIRST: Quarter = { year: 2021, quarter: 1 };

/**
 * Activity in the quarter (applications still under review at its end carry over, so they do not count;
 * satisfaction ratings received do).
 */
function hasData(r: Report | undefined): boolean {
  const c = r?.totals;
  return Boolean(
    c &&
      (c.received ||
        c.approved ||
        c.rejected ||
        c.returned ||
        c.grantedFen ||
        c.paidFen ||
        r.overall.satisfaction.count ||
        r.serviceRequests.totals.received ||
        r.serviceRequests.totals.closed ||
        r.exemption.totals.grants),
  );
}

const STATES = [
  { key: "received", name: "受理" },
  { key: "inReview", name: "审核中" },
  { key: "approved", name: "通过" },
  { key: "rejected", name: "不予通过" },
  { key: "returned", name: "退回补正" },
] as const;

const COLORS = ["#c8102e", "#fa8c16", "#389e0d", "#595959", "#1677ff"];

function countColumns<T extends Counts>() {
  return [
    { title: "受理", dataIndex: "received", align: "right" as const },
    { title: "审核中", dataIndex: "inReview", align: "right" as const },
    { title: "通过", dataIndex: "approved", align: "right" as const },
    { title: "不予通过", dataIndex: "rejected", align: "right" as const },
    { title: "退回补正", dataIndex: "returned", align: "right" as const },
    {
      title: "核定金额",
      dataIndex: "grantedFen",
      align: "right" as const,
      render: (v: number) => yuanExact(v),
    },
    { title: "兑付金额", dataIndex: "paidFen", align: "right" as const, render: (v: number) => yuanExact(v) },
    { title: "受益企业", dataIndex: "enterprisesBenefited", align: "right" as const },
  ] as { title: string; dataIndex: keyof T & string; align: "right"; render?: (v: number) => string }[];
}

/** A chart with a text alternative: role="img" + aria-label summarising it (the tables give the numbers). */
function Chart({ title, summary, option }: { title: string; summary: string; option: object }) {
  return (
    <Card size="small" title={title} className="report-chart">
      <div role="img" aria-label={`${title}：${summary}`}>
        <EChart option={{ aria: { enabled: true }, animation: false, ...option }} />
      </div>
      <Typography.Paragraph type="secondary" style={{ margin: "4px 0 0", fontSize: 12 }}>
        {summary}
      </Typography.Paragraph>
    </Card>
  );
}

const PRINT_CSS = `
@media print {
  .ant-layout-sider, .ant-layout-header, .no-print { display: none !important; }
  .ant-layout-content { padding: 0 !important; }
  .report-chart { break-inside: avoid; }
  body { background: #fff !important; }
}`;

export default function Dashboard() {
  const { me } = useSession();
  const admin = me?.actor.role === "policyAdmin";
  const now = currentQuarter();
  const [picked, setPicked] = useState<Quarter | null>(null);
  const [region, setRegion] = useState<string | undefined>(undefined);
  const regionCode = admin ? region : undefined;

  // Every quarter since the policies began: finds the latest quarter with data, and feeds the trend chart.
  const all = useMemo(() => {
    const out: Quarter[] = [];
    for (let q = FIRST; q.year * 4 + q.quarter <= now.year * 4 + now.quarter; q = addQuarters(q, 1))
      out.push(q);
    return out;
  }, [now.year, now.quarter]);
  const scan = useQueries({
    queries: all.map((q) => ({
      queryKey: reportKey(q, regionCode),
      queryFn: () => fetchReport(q, regionCode),
    })),
  });
  const scanning = scan.some((s) => s.isLoading);
  const withData = all.filter((_, i) => hasData(scan[i]?.data));
  const latest = withData[withData.length - 1];
  const selected: Quarter = picked ?? latest ?? now;

  const report = useQuery({
    queryKey: reportKey(selected, regionCode),
    queryFn: () => fetchReport(selected, regionCode),
    enabled: !scanning || picked !== null,
  });

  const byDistrict = useQueries({
    queries: (admin ? DISTRICTS : []).map((r) => ({
      queryKey: reportKey(selected, r),
      queryFn: () => fetchReport(selected, r),
      enabled: !scanning || picked !== null,
    })),
  });

  const trendQuarters = useMemo(() => {
    const out: Quarter[] = [];
    for (let i = -7; i <= 0; i++) {
      const q = addQuarters(selected, i);
      if (q.year * 4 + q.quarter >= FIRST.year * 4 + FIRST.quarter) out.push(q);
    }
    return out;
  }, [selected]);
  const trend = trendQuarters.map(
    (q) => scan[all.findIndex((a) => a.year === q.year && a.quarter === q.quarter)]?.data?.totals,
  );

  const r = report.data;
  const years = [];
  for (let y = now.year; y >= FIRST.year; y--) years.push(y);
  const xlsxHref = `/api/reports/quarterly.xlsx?year=${selected.year}&quarter=${selected.quarter}${
    regionCode ? `&regionCode=${regionCode}` : ""
  }`;
  const scopeText = admin
    ? region
      ? REGION_LABELS[region]
      : "全部区县"
    : (report.data?.regionName ??
      (me?.actor.regionCode ? (REGION_LABELS[me.actor.regionCode] ?? me.actor.regionCode) : "本区"));

  const measureRows: (MeasureLine & { departmentName: string })[] = (r?.departments ?? []).flatMap((d) =>
    d.measures.map((m) => ({ ...m, departmentName: d.departmentName })),
  );
  const depts = r?.departments ?? [];

  return (
    <Accessible>
      <Page
        title="季度报告"
        loading={scanning && picked === null}
        error={report.error}
        extra={
          <Space className="no-print" wrap>
            <Button href={xlsxHref} download>
              下载 Excel
            </Button>
            <Button onClick={() => window.print()}>打印</Button>
          </Space>
        }
      >
        <style>{PRINT_CSS}</style>
        <Form layout="inline" className="no-print" style={{ marginBottom: 16, rowGap: 8 }}>
          <Form.Item label="年度" htmlFor="report-year">
            <Select
              id="report-year"
              style={{ width: 110 }}
              value={selected.year}
              onChange={(year) => setPicked({ year, quarter: selected.quarter })}
              options={years.map((y) => ({ value: y, label: `${y}年` }))}
            />
          </Form.Item>
          <Form.Item label="季度" htmlFor="report-quarter">
            <Select
              id="report-quarter"
              style={{ width: 120 }}
              value={selected.quarter}
              onChange={(quarter) => setPicked({ year: selected.year, quarter })}
              options={[1, 2, 3, 4].map((q) => ({ value: q, label: `第${q}季度` }))}
            />
          </Form.Item>
          {admin && (
            <Form.Item label="区县" htmlFor="report-region">
              <Select
                id="report-region"
                style={{ width: 140 }}
                allowClear
                placeholder="全部区县"
                value={region}
                onChange={(v) => setRegion(v)}
                options={DISTRICTS.map((c) => ({ value: c, label: REGION_LABELS[c] }))}
              />
            </Form.Item>
          )}
          {withData.length > 0 && (
            <Form.Item label="有数据的季度">
              <Space wrap size={4}>
                {withData.map((q) => (
                  <Button key={short(q)} size="small" type="link" onClick={() => setPicked(q)}>
                    {short(q)}
                  </Button>
                ))}
              </Space>
            </Form.Item>
          )}
        </Form>

        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {scopeText} · {label(selected)}
          {r ? `（${r.from} 至 ${r.to}）` : ""}
        </Typography.Title>

        {report.isLoading ? (
          <div style={{ padding: 48, textAlign: "center" }}>
            <Spin description="报告生成中…" size="large">
              <div style={{ height: 48 }} />
            </Spin>
          </div>
        ) : !r || !hasData(r) ? (
          <Empty
            description={
              <span>
                {label(selected)}没有申报、审核或兑付记录。
                {latest ? `最近有数据的季度是${label(latest)}。` : "目前还没有任何季度的数据。"}
              </span>
            }
          >
            {latest && (
              <Button type="primary" onClick={() => setPicked(latest)} className="no-print">
                查看{label(latest)}
              </Button>
            )}
          </Empty>
        ) : (
          <>
            <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
              {[
                ["受理", `${r.totals.received} 件`],
                ["审核中", `${r.totals.inReview} 件`],
                ["通过", `${r.totals.approved} 件`],
                ["核定金额", yuanExact(r.totals.grantedFen)],
                ["兑付金额", yuanExact(r.totals.paidFen)],
                ["受益企业", `${r.totals.enterprisesBenefited} 家`],
              ].map(([k, v]) => (
                <Col key={k} xs={12} md={8} xl={4}>
                  <Card size="small">
                    <div style={{ color: "#595959" }}>{k}</div>
                    <div style={{ fontSize: 20, fontWeight: 600 }}>{v}</div>
                  </Card>
                </Col>
              ))}
            </Row>

            <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
              <Col xs={24} lg={12}>
                <Chart
                  title="各牵头单位申报状态"
                  summary={depts
                    .map(
                      (d) => `${d.departmentName}：${STATES.map((s) => `${s.name}${d[s.key]}件`).join("，")}`,
                    )
                    .join("；")}
                  option={{
                    color: COLORS,
                    tooltip: { trigger: "axis" },
                    legend: { top: 0 },
                    grid: { left: 40, right: 16, top: 40, bottom: 60 },
                    xAxis: {
                      type: "category",
                      data: depts.map((d) => d.departmentName),
                      axisLabel: { interval: 0, rotate: depts.length > 3 ? 20 : 0 },
                    },
                    yAxis: { type: "value", minInterval: 1, name: "件" },
                    series: STATES.map((s) => ({
                      name: s.name,
                      type: "bar",
                      data: depts.map((d) => d[s.key]),
                    })),
                  }}
                />
              </Col>
              <Col xs={24} lg={12}>
                <Chart
                  title="核定金额与兑付金额"
                  summary={depts
                    .map(
                      (d) =>
                        `${d.departmentName}：核定${yuanExact(d.grantedFen)}，兑付${yuanExact(d.paidFen)}`,
                    )
                    .join("；")}
                  option={{
                    color: ["#c8102e", "#389e0d"],
                    tooltip: { trigger: "axis" },
                    legend: { top: 0 },
                    grid: { left: 60, right: 16, top: 40, bottom: 60 },
                    xAxis: {
                      type: "category",
                      data: depts.map((d) => d.departmentName),
                      axisLabel: { interval: 0, rotate: depts.length > 3 ? 20 : 0 },
                    },
                    yAxis: { type: "value", name: "万元" },
                    series: [
                      { name: "核定金额", type: "bar", data: depts.map((d) => d.grantedFen / 1_000_000) },
                      { name: "兑付金额", type: "bar", data: depts.map((d) => d.paidFen / 1_000_000) },
                    ],
                  }}
                />
              </Col>
              <Col xs={24} lg={admin ? 12 : 24}>
                <Chart
                  title="近八个季度趋势"
                  summary={trendQuarters
                    .map((q, i) => {
                      const t = trend[i];
                      return t
                        ? `${short(q)}：受理${t.received}件，通过${t.approved}件，兑付${yuanExact(t.paidFen)}`
                        : `${short(q)}：加载中`;
                    })
                    .join("；")}
                  option={{
                    color: ["#c8102e", "#389e0d", "#1677ff"],
                    tooltip: { trigger: "axis" },
                    legend: { top: 0 },
                    grid: { left: 40, right: 60, top: 40, bottom: 40 },
                    xAxis: { type: "category", data: trendQuarters.map(short) },
                    yAxis: [
                      { type: "value", minInterval: 1, name: "件" },
                      { type: "value", name: "万元" },
                    ],
                    series: [
                      { name: "受理", type: "line", data: trend.map((t) => t?.received ?? null) },
                      { name: "通过", type: "line", data: trend.map((t) => t?.approved ?? null) },
                      {
                        name: "兑付金额（万元）",
                        type: "bar",
                        yAxisIndex: 1,
                        data: trend.map((t) => (t ? t.paidFen / 1_000_000 : null)),
                      },
                    ],
                  }}
                />
              </Col>
              {admin && (
                <Col xs={24} lg={12}>
                  <Chart
                    title="各区县对比"
                    summary={DISTRICTS.map((c, i) => {
                      const t = byDistrict[i]?.data?.totals;
                      return `${REGION_LABELS[c]}：${t ? `受理${t.received}件，通过${t.approved}件，兑付${yuanExact(t.paidFen)}` : "加载中"}`;
                    }).join("；")}
                    option={{
                      color: ["#c8102e", "#389e0d", "#1677ff"],
                      tooltip: { trigger: "axis" },
                      legend: { top: 0 },
                      grid: { left: 40, right: 60, top: 40, bottom: 40 },
                      xAxis: { type: "category", data: DISTRICTS.map((c) => REGION_LABELS[c]) },
                      yAxis: [
                        { type: "value", minInterval: 1, name: "件" },
                        { type: "value", name: "万元" },
                      ],
                      series: [
                        {
                          name: "受理",
                          type: "bar",
                          data: byDistrict.map((q) => q.data?.totals.received ?? 0),
                        },
                        {
                          name: "通过",
                          type: "bar",
                          data: byDistrict.map((q) => q.data?.totals.approved ?? 0),
                        },
                        {
                          name: "兑付金额（万元）",
                          type: "bar",
                          yAxisIndex: 1,
                          data: byDistrict.map((q) => (q.data ? q.data.totals.paidFen / 1_000_000 : 0)),
                        },
                      ],
                    }}
                  />
                </Col>
              )}
            </Row>

            <Performance r={r} />

            <Typography.Title level={4}>按牵头单位</Typography.Title>
            <Table<DeptLine>
              size="small"
              rowKey="department"
              pagination={false}
              dataSource={depts}
              scroll={{ x: 900 }}
              style={{ marginBottom: 16 }}
              columns={[{ title: "牵头单位", dataIndex: "departmentName" }, ...countColumns<DeptLine>()]}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>
                    <strong>合计</strong>
                  </Table.Summary.Cell>
                  {countColumns<Counts>().map((c, i) => (
                    <Table.Summary.Cell key={c.dataIndex} index={i + 1} align="right">
                      <strong>{c.render ? c.render(r.totals[c.dataIndex]) : r.totals[c.dataIndex]}</strong>
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              )}
            />

            <Typography.Title level={4}>按措施</Typography.Title>
            <Table<MeasureLine & { departmentName: string }>
              size="small"
              rowKey="measureId"
              pagination={false}
              dataSource={measureRows}
              scroll={{ x: 1100 }}
              columns={[
                { title: "措施", dataIndex: "title", width: 260 },
                { title: "文号", dataIndex: "docNumber", width: 180 },
                { title: "牵头单位", dataIndex: "departmentName", width: 140 },
                ...countColumns<MeasureLine>(),
              ]}
            />
          </>
        )}
        {r && <ReportSections r={r} />}
        {!scanning && withData.length === 0 && (
          <Alert
            className="no-print"
            style={{ marginTop: 16 }}
            type="info"
            showIcon
            message={`${scopeText}自 ${label(FIRST)} 以来还没有任何申报数据。`}
          />
        )}
      </Page>
    </Accessible>
  );
}

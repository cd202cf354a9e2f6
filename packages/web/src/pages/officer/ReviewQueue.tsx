/**
 * 待审申报: the review queue of my department / my role. Tabs: what waits for me (current step is mine;
 * for officers also approvals waiting for 发起公示), everything I may see, 公示中, 退回补正. Filters by
 * measure, status and age against the 15-working-day time limit; search by 申报编号 (区县码-年份-序号, or part
 * of it), enterprise name or 统一社会信用代码 (over the loaded list; a code is looked up in the district's
 * enterprise list); sortable; export to Excel of what the tab, the search and the filters show.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, App, Button, Card, Input, Select, Space, Spin, Table, Tabs, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { api, errorText, ok, yuanExact } from "../../api/client";
import {
  AgeTag,
  ageBand,
  downloadFile,
  LINK,
  MUTED,
  REVIEW_LIMIT_WORKING_DAYS,
  reviewAge,
  STATUS_OPTIONS,
  StatusTag,
} from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { useNarrow } from "../../components/useNarrow";
import { dateOf } from "../../dates";
import { useSession } from "../../session";

type Summary = {
  id: string;
  number: string;
  enterpriseId: string;
  enterpriseName: string;
  measureId: string;
  measureTitle: string;
  status: string;
  statusLabel: string;
  maxFen: number | null;
  grantedFen: number | null;
  noticeUntil: string | null;
  submittedAt: string | null;
  updatedAt: string;
};
type Row = Summary & { age: number | null };

type TabKey = "mine" | "all" | "publicNotice" | "returned";

/** Looks like (part of) a 统一社会信用代码: letters and digits only, at least 4. */
const CODE_LIKE = /^[0-9A-Za-z]{4,18}$/;

const TABS: { key: TabKey; label: string }[] = [
  { key: "mine", label: "待我处理" },
  { key: "all", label: "全部" },
  { key: "publicNotice", label: "公示中" },
  { key: "returned", label: "退回补正" },
];

function serverFilter(tab: TabKey, status: string | undefined) {
  if (tab === "mine") return { mine: "true" as const };
  if (tab === "publicNotice") return { status: "publicNotice" as const };
  if (tab === "returned") return { status: "returned" as const };
  return status ? { status: status as "submitted" } : {};
}

/** The queue on phones: one card per application, oldest submission first (the table's default order). */
function QueueCards({ rows, loading, emptyText }: { rows: Row[]; loading: boolean; emptyText: string }) {
  if (loading)
    return (
      <div role="status" aria-label="加载中">
        <Spin />
      </div>
    );
  if (rows.length === 0)
    return <Typography.Paragraph style={{ color: MUTED }}>{emptyText}</Typography.Paragraph>;
  const sorted = [...rows].sort((a, b) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? ""));
  return (
    <ul className="hq-cards" aria-label="申报列表">
      {sorted.map((r) => (
        <li key={r.id}>
          <Card size="small">
            <Typography.Text style={{ color: MUTED, fontSize: 12 }}>申报编号 {r.number}</Typography.Text>
            <div style={{ fontWeight: 600 }}>{r.enterpriseName}</div>
            <div>{r.measureTitle}</div>
            <Typography.Text style={{ color: MUTED, fontSize: 12 }}>{r.measureId}</Typography.Text>
            <div style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 8, marginTop: 6 }}>
              <StatusTag status={r.status} label={r.statusLabel} />
              <AgeTag days={r.age} />
            </div>
            <div style={{ marginTop: 4 }}>
              测算最高 {r.maxFen === null ? "无上限或待定" : yuanExact(r.maxFen)}
              {r.grantedFen !== null && `，核定 ${yuanExact(r.grantedFen)}`}
            </div>
            <div style={{ display: "flex", justifyContent: "space-between", marginTop: 4 }}>
              <Typography.Text style={{ color: MUTED, fontSize: 12 }}>
                提交 {dateOf(r.submittedAt)}
                {r.noticeUntil && r.status === "publicNotice" ? `，公示至 ${r.noticeUntil}` : ""}
              </Typography.Text>
              <Link
                style={{ color: LINK }}
                to={`/review/${r.id}`}
                aria-label={`审核 ${r.enterpriseName} 的申报`}
              >
                审核
              </Link>
            </div>
          </Card>
        </li>
      ))}
    </ul>
  );
}

export default function ReviewQueue() {
  const { message } = App.useApp();
  const { me, can } = useSession();
  const [tab, setTab] = useState<TabKey>("mine");
  const [measure, setMeasure] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [age, setAge] = useState<"ok" | "warn" | "over" | undefined>();
  const [exporting, setExporting] = useState(false);
  // The search box: names filter as typed; a credit code is looked up when searched (Enter / the button).
  const [search, setSearch] = useState("");
  const [codeTerm, setCodeTerm] = useState("");
  const narrow = useNarrow();
  const filter = serverFilter(tab, status);
  const q = useQuery({
    queryKey: ["applications", "queue", filter],
    queryFn: () => ok(api.GET("/api/applications", { params: { query: { ...filter, limit: 200 } } })),
    enabled: Boolean(me),
  });
  const byCode = useQuery({
    queryKey: ["enterprises", "search", codeTerm],
    queryFn: () => ok(api.GET("/api/enterprises", { params: { query: { q: codeTerm, pageSize: 100 } } })),
    enabled: Boolean(me) && can("enterprise.list") && CODE_LIKE.test(codeTerm),
  });
  const rows: Row[] = useMemo(
    () => (q.data?.items ?? []).map((a) => ({ ...a, age: reviewAge(a) })),
    [q.data],
  );
  const measures = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of rows) m.set(r.measureId, r.measureTitle);
    return [...m].map(([value, title]) => ({ value, label: title }));
  }, [rows]);
  const needle = search.trim().toLowerCase();
  const codeIds = useMemo(
    () =>
      new Set(needle && needle === codeTerm.toLowerCase() ? (byCode.data?.items ?? []).map((e) => e.id) : []),
    [byCode.data, needle, codeTerm],
  );
  const shown = rows.filter(
    (r) =>
      (!measure || r.measureId === measure) &&
      (!age || (r.age !== null && ageBand(r.age) === age)) &&
      (!needle ||
        r.number.includes(needle) ||
        r.enterpriseName.toLowerCase().includes(needle) ||
        codeIds.has(r.enterpriseId)),
  );

  const columns: ColumnsType<Row> = [
    {
      title: "申报编号",
      dataIndex: "number",
      width: 170,
      render: (v: string) => <span style={{ whiteSpace: "nowrap" }}>{v}</span>,
      sorter: (a, b) => a.number.localeCompare(b.number),
    },
    {
      title: "企业",
      dataIndex: "enterpriseName",
      sorter: (a, b) => a.enterpriseName.localeCompare(b.enterpriseName, "zh-CN"),
    },
    {
      title: "措施",
      dataIndex: "measureTitle",
      render: (_, r) => (
        <div>
          <div>{r.measureTitle}</div>
          <Typography.Text style={{ color: MUTED, fontSize: 12 }}>{r.measureId}</Typography.Text>
        </div>
      ),
      sorter: (a, b) => a.measureId.localeCompare(b.measureId),
    },
    {
      title: "申请金额（测算最高）",
      dataIndex: "maxFen",
      align: "right",
      render: (_, r) => (
        <div>
          <div>{r.maxFen === null ? "无上限或待定" : yuanExact(r.maxFen)}</div>
          {r.grantedFen !== null && (
            <Typography.Text style={{ color: MUTED, fontSize: 12 }}>
              核定 {yuanExact(r.grantedFen)}
            </Typography.Text>
          )}
        </div>
      ),
      sorter: (a, b) => (a.maxFen ?? Number.MAX_SAFE_INTEGER) - (b.maxFen ?? Number.MAX_SAFE_INTEGER),
    },
    {
      title: "提交日期",
      dataIndex: "submittedAt",
      width: 120,
      render: (v: string | null) => dateOf(v),
      sorter: (a, b) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? ""),
      defaultSortOrder: "ascend",
    },
    {
      title: `办理时限（${REVIEW_LIMIT_WORKING_DAYS} 个工作日）`,
      dataIndex: "age",
      width: 190,
      render: (v: number | null) => <AgeTag days={v} />,
      sorter: (a, b) => (a.age ?? -1) - (b.age ?? -1),
    },
    {
      title: "状态",
      dataIndex: "status",
      width: 120,
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <StatusTag status={r.status} label={r.statusLabel} />
          {r.noticeUntil && r.status === "publicNotice" && (
            <Typography.Text style={{ color: MUTED, fontSize: 12 }}>公示至 {r.noticeUntil}</Typography.Text>
          )}
        </Space>
      ),
      sorter: (a, b) => a.status.localeCompare(b.status),
    },
    {
      title: "操作",
      key: "action",
      width: 80,
      render: (_, r) => (
        <Link style={{ color: LINK }} to={`/review/${r.id}`} aria-label={`审核 ${r.enterpriseName} 的申报`}>
          审核
        </Link>
      ),
    },
  ];

  const emptyText = needle
    ? CODE_LIKE.test(needle) && needle !== codeTerm.toLowerCase()
      ? `没有编号或名称含「${search.trim()}」的申报；按回车可按统一社会信用代码查找`
      : `没有与「${search.trim()}」匹配的申报${byCode.error ? `（按信用代码查找失败：${errorText(byCode.error)}）` : ""}`
    : tab === "mine"
      ? "没有等待您处理的申报"
      : "暂无申报";

  async function exportXlsx() {
    setExporting(true);
    try {
      // The workbook holds what the page shows: the tab, the search, the measure and time-limit filters.
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({
        ...filter,
        ...(measure ? { measureId: measure } : {}),
        ...(needle ? { q: search.trim() } : {}),
        ...(age ? { age } : {}),
      }))
        params.set(k, String(v));
      await downloadFile(`/api/applications.xlsx?${params}`, "申报列表.xlsx");
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  }

  return (
    <Page
      title="待审申报"
      extra={
        <Button onClick={exportXlsx} loading={exporting}>
          导出 Excel
        </Button>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          setTab(k as TabKey);
          setStatus(undefined);
        }}
        items={TABS.map((t) => ({ key: t.key, label: t.label }))}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          aria-label="搜索申报编号、企业名称或统一社会信用代码"
          placeholder="申报编号、企业名称或统一社会信用代码"
          allowClear
          maxLength={50}
          style={{ width: 320, maxWidth: "100%" }}
          value={search}
          loading={byCode.isFetching}
          onChange={(e) => {
            setSearch(e.target.value);
            if (!e.target.value.trim()) setCodeTerm("");
          }}
          onSearch={(v) => setCodeTerm(v.trim())}
        />
        <Select
          aria-label="按措施筛选"
          style={{ width: 320, maxWidth: "100%" }}
          value={measure ?? ""}
          onChange={(v) => setMeasure(v || undefined)}
          options={[{ value: "", label: "全部措施" }, ...measures]}
          showSearch
          optionFilterProp="label"
        />
        {tab === "all" && (
          <Select
            aria-label="按状态筛选"
            style={{ width: 160 }}
            value={status ?? ""}
            onChange={(v) => setStatus(v || undefined)}
            options={[{ value: "", label: "全部状态" }, ...STATUS_OPTIONS]}
          />
        )}
        <Select
          aria-label="按办理时限筛选"
          style={{ width: 240 }}
          value={age ?? ""}
          onChange={(v: string) => setAge((v || undefined) as typeof age)}
          options={[
            { value: "", label: "全部时限" },
            { value: "ok", label: "时限内（少于 10 个工作日）" },
            { value: "warn", label: "临近时限（10～15 个工作日）" },
            { value: "over", label: `已超时（超过 ${REVIEW_LIMIT_WORKING_DAYS} 个工作日）` },
          ]}
        />
        <Typography.Text style={{ color: MUTED }}>
          共 {shown.length} 件{q.data && q.data.total > rows.length ? `（仅显示最近 ${rows.length} 件）` : ""}
        </Typography.Text>
      </Space>
      {q.error ? (
        <Alert type="error" showIcon title="加载失败" description={errorText(q.error)} />
      ) : narrow ? (
        <QueueCards rows={shown} loading={q.isLoading} emptyText={emptyText} />
      ) : (
        <Table<Row>
          rowKey="id"
          loading={q.isLoading}
          columns={columns}
          dataSource={shown}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: <span style={{ color: MUTED }}>{emptyText}</span> }}
        />
      )}
    </Page>
  );
}

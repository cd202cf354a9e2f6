/** 政策库: Chinese full-text search (clause-level hits), filters, measure cards with contacts. */
import { useQuery } from "@tanstack/react-query";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Form,
  Input,
  Pagination,
  Row,
  Select,
  Space,
  Spin,
  Typography,
} from "antd";
import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, errorText, ok } from "../../api/client";
import { Accessible } from "../../components/Accessible";
import { Highlighted } from "../../components/Highlighted";
import { Page } from "../../components/Page";
import {
  BENEFIT_LABELS,
  LEVEL_LABELS,
  type MeasureData,
  measureAnchor,
  periodText,
  REGION_LABELS,
  useRules,
  validityOn,
} from "../../components/policy";
import { ExemptionFlag } from "../../components/useExemptionFlags";
import { ToneTag, ValidityTag } from "../../components/ValidityTag";
import { daysBetween } from "../../dates";
import { useSession } from "../../session";
import { type AmountData, measureAmountText } from "./amount";

type Summary = Awaited<ReturnType<typeof fetchMeasures>>["items"][number];

async function fetchMeasures() {
  return ok(api.GET("/api/measures", { params: { query: { pageSize: 200 } } }));
}

function measurePath(id: string): string {
  return `/measures/${id}`;
}

function MeasureCard({
  m,
  data,
  asOf,
  enterprise,
}: {
  m: Summary;
  data?: MeasureData;
  asOf: string;
  enterprise: boolean | null;
}) {
  const amount = m.monetary ? measureAmountText(data as AmountData | undefined) : null;
  const expired = validityOn(asOf, m.validFrom, m.validUntil) === "expired";
  return (
    <Card
      size="small"
      title={
        <Link to={`/documents/${m.documentId}#${measureAnchor(m.id)}`} style={{ whiteSpace: "normal" }}>
          {m.title}
        </Link>
      }
      style={{ height: "100%", opacity: expired ? 0.85 : 1 }}
      data-measure-id={m.id}
    >
      <Space orientation="vertical" size={4} style={{ width: "100%" }}>
        <Space wrap size={4}>
          <ToneTag tone="blue">{BENEFIT_LABELS[m.benefitType] ?? m.benefitType}</ToneTag>
          {m.monetary && <ToneTag tone="red">资金类</ToneTag>}
          <ToneTag tone="purple">{LEVEL_LABELS[m.level] ?? m.level}</ToneTag>
          {!m.published && <ToneTag tone="orange">未发布</ToneTag>}
          <ExemptionFlag measureId={m.id} />
        </Space>
        <Typography.Text>文号：{m.docNumber}</Typography.Text>
        {amount && <Typography.Text strong>支持金额：{amount}</Typography.Text>}
        <div>
          执行期限：
          <ValidityTag asOf={asOf} validFrom={m.validFrom} validUntil={m.validUntil} />
        </div>
        <Typography.Text>牵头单位：{m.leadDepartmentName}</Typography.Text>
        {(data?.contact?.name || data?.contact?.hotline) && (
          <Typography.Text>
            联系人：{data.contact.name ?? "—"}
            {data.contact.hotline ? `，电话 ${data.contact.hotline}` : ""}
          </Typography.Text>
        )}
        <Space wrap>
          <Link to={`/documents/${m.documentId}#${measureAnchor(m.id)}`}>查看原文条款</Link>
          {enterprise !== false && (
            <Link to={measurePath(m.id)}>{enterprise ? "测算与申报" : "措施详情"}</Link>
          )}
        </Space>
      </Space>
    </Card>
  );
}

interface Filters {
  level?: string;
  department?: string;
  benefitType?: string;
  monetary?: "true" | "false";
}

/** 已失效 / N 天后到期 / 尚未施行 / 长期有效, as of the page's date. */
export function ExpiryTag({
  asOf,
  validFrom,
  validUntil,
}: {
  asOf: string;
  validFrom: string;
  validUntil: string | null | undefined;
}) {
  const v = validityOn(asOf, validFrom, validUntil);
  if (v === "expired") return <ToneTag tone="grey">已失效</ToneTag>;
  if (v === "notYet") return <ToneTag tone="orange">{daysBetween(asOf, validFrom)} 天后施行</ToneTag>;
  if (!validUntil) return <ToneTag tone="green">长期有效</ToneTag>;
  const days = daysBetween(asOf, validUntil);
  return (
    <ToneTag tone={days <= 30 ? "red" : days <= 90 ? "orange" : "green"}>
      {days === 0 ? "今天到期" : `${days} 天后到期`}
    </ToneTag>
  );
}

interface SearchFilters {
  region?: string | undefined;
  inForce: boolean;
}

function SearchResults({
  q,
  enterprise,
  filters,
  amounts,
}: {
  q: string;
  enterprise: boolean | null;
  filters: SearchFilters;
  amounts: Map<string, MeasureData> | undefined;
}) {
  const { asOf } = useSession();
  const [page, setPage] = useState(1);
  const r = useQuery({
    queryKey: ["search", q, page, filters.region ?? "", filters.inForce],
    queryFn: () =>
      ok(
        api.GET("/api/search", {
          params: {
            query: {
              q,
              page,
              pageSize: 10,
              ...(filters.region ? { region: filters.region } : {}),
              ...(filters.inForce ? { inForce: "true" as const } : {}),
            },
          },
        }),
      ),
  });
  if (r.isLoading)
    return (
      <div style={{ padding: 24, textAlign: "center" }}>
        <Spin description="检索中…">
          <div style={{ height: 32 }} />
        </Spin>
      </div>
    );
  if (r.error) return <Alert type="error" showIcon title="检索失败" description={errorText(r.error)} />;
  const data = r.data;
  const narrowed = filters.region || filters.inForce;
  if (!data || data.total === 0)
    return (
      <Empty
        description={`没有找到与「${q}」相关的条款${narrowed ? "（可放宽区县或“仅看有效”筛选再试）" : ""}`}
      />
    );
  const { open, close } = data.highlight;
  return (
    <section aria-label="检索结果">
      {!data.exact && (
        <Alert
          type="warning"
          showIcon
          role="status"
          style={{ marginBottom: 12 }}
          title="没有完全匹配的措施"
          description={data.notice ?? `没有同时包含「${q}」全部词语的措施，以下为部分匹配的结果`}
        />
      )}
      <Typography.Paragraph>
        共 {data.total} 项措施命中（分词：{data.tokens.join(" / ")}
        {data.concepts.some((c) => c.group)
          ? `；同义词：${data.concepts
              .filter((c) => c.group)
              .map((c) => c.terms.join("、"))
              .join("；")}`
          : ""}
        ）
      </Typography.Paragraph>
      {data.hits.map((h) => (
        <article
          key={h.measureId}
          data-measure-id={h.measureId}
          style={{ padding: "12px 0", borderBottom: "1px solid #f0f0f0" }}
        >
          <Space wrap>
            <Link to={`/documents/${h.documentId}#${measureAnchor(h.measureId)}`} style={{ fontWeight: 600 }}>
              {h.title}
            </Link>
            <ExpiryTag asOf={asOf} validFrom={h.validFrom} validUntil={h.validUntil} />
            {enterprise !== false && (
              <Link to={measurePath(h.measureId)}>{enterprise ? "测算与申报" : "措施详情"}</Link>
            )}
          </Space>
          <div style={{ color: "rgba(0,0,0,0.65)", margin: "2px 0 6px" }}>
            {h.docNumber} · {REGION_LABELS[h.regionCode] ?? h.regionCode} · 执行期限{" "}
            {periodText(h.validFrom, h.validUntil)}
          </div>
          {(() => {
            const amount = measureAmountText(amounts?.get(h.measureId) as AmountData | undefined);
            return amount ? (
              <div style={{ marginBottom: 4 }} data-testid="hit-amount">
                <Typography.Text type="secondary">支持金额：</Typography.Text>
                <Typography.Text strong>{amount}</Typography.Text>
              </div>
            ) : null;
          })()}
          {h.matches.map((s) => (
            <div key={`${s.field}:${s.sentence}`} style={{ marginBottom: 4 }}>
              <Typography.Text type="secondary">{s.fieldLabel}：</Typography.Text>
              <Highlighted text={s.highlighted} open={open} close={close} />
            </div>
          ))}
        </article>
      ))}
      <Pagination
        style={{ marginTop: 12 }}
        current={page}
        pageSize={10}
        total={data.total}
        onChange={setPage}
        showSizeChanger={false}
        hideOnSinglePage
      />
    </section>
  );
}

export default function Library() {
  const { asOf, me } = useSession();
  // true: the enterprise (测算与申报); null: a visitor (措施详情, the public measure page); false: staff.
  const enterprise = me ? me.actor.role === "enterprise" : null;
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const [text, setText] = useState(q);
  const [filters, setFilters] = useState<Filters>({});
  // The search's own filters (区县 incl. municipal documents, 仅看有效 as of today), kept in the address.
  const searchFilters: SearchFilters = {
    region: params.get("region") ?? undefined,
    inForce: params.get("inForce") === "true",
  };
  const [page, setPage] = useState(1);
  const measures = useQuery({ queryKey: ["measures", "all"], queryFn: fetchMeasures });
  const rules = useRules();

  const departments = useMemo(() => {
    const map = new Map<string, string>();
    for (const m of measures.data?.items ?? []) map.set(m.leadDepartment, m.leadDepartmentName);
    return [...map]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label, "zh-CN"));
  }, [measures.data]);

  const shown = useMemo(() => {
    const f = filters;
    return (measures.data?.items ?? []).filter(
      (m) =>
        (!searchFilters.region ||
          m.regionCode === searchFilters.region ||
          m.regionCode === `${searchFilters.region.slice(0, 2)}0000`) &&
        (!f.level || m.level === f.level) &&
        (!f.department || m.leadDepartment === f.department) &&
        (!f.benefitType || m.benefitType === f.benefitType) &&
        (!f.monetary || m.monetary === (f.monetary === "true")) &&
        (!searchFilters.inForce || validityOn(asOf, m.validFrom, m.validUntil) === "inForce"),
    );
  }, [measures.data, filters, asOf, searchFilters.region, searchFilters.inForce]);
  const expiredCount = shown.filter((m) => validityOn(asOf, m.validFrom, m.validUntil) === "expired").length;

  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const search = (value: string, patch: Partial<SearchFilters> = {}) => {
    const v = value.trim();
    const f = { ...searchFilters, ...patch };
    const next: Record<string, string> = {};
    if (v) next.q = v;
    if (f.region) next.region = f.region;
    if (f.inForce) next.inForce = "true";
    setParams(next);
  };

  return (
    <Accessible>
      <Page title="政策库" loading={measures.isLoading} error={measures.error}>
        <Card size="small" style={{ marginBottom: 16 }}>
          <Form layout="vertical" onFinish={() => search(text)}>
            <Form.Item label="检索政策条款" htmlFor="library-search" style={{ marginBottom: 8 }}>
              <Space.Compact style={{ width: "100%", maxWidth: 640 }}>
                <Input
                  id="library-search"
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  placeholder="输入关键词，如：研发费用、专精特新、贷款贴息"
                  allowClear
                />
                <Button type="primary" htmlType="submit">
                  搜索
                </Button>
              </Space.Compact>
            </Form.Item>
            <Space wrap size={[16, 8]} style={{ marginBottom: 8 }}>
              <span>
                <label htmlFor="search-region" style={{ marginRight: 8 }}>
                  区县
                </label>
                <Select
                  id="search-region"
                  style={{ width: 180 }}
                  allowClear
                  placeholder="全部区县"
                  value={searchFilters.region}
                  onChange={(v?: string) => search(q || text, { region: v })}
                  options={Object.entries(REGION_LABELS)
                    .filter(([code]) => !code.endsWith("0000"))
                    .map(([value, label]) => ({ value, label: `${label}（含市级）` }))}
                />
              </span>
              <Checkbox
                checked={searchFilters.inForce}
                onChange={(e) => search(q || text, { inForce: e.target.checked })}
              >
                仅看有效（今天在执行期内）
              </Checkbox>
            </Space>
          </Form>
          {q && (
            <Button
              onClick={() => {
                setText("");
                search("");
              }}
            >
              清除检索，返回措施列表
            </Button>
          )}
        </Card>

        {q ? (
          <SearchResults
            key={`${q}:${searchFilters.region ?? ""}:${searchFilters.inForce}`}
            q={q}
            enterprise={enterprise}
            filters={searchFilters}
            amounts={rules.data?.byId}
          />
        ) : (
          <>
            <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }} aria-label="筛选措施">
              <Form.Item label="层级" htmlFor="f-level">
                <Select
                  id="f-level"
                  style={{ width: 120 }}
                  allowClear
                  placeholder="全部"
                  value={filters.level}
                  onChange={(v) => set({ level: v })}
                  options={Object.entries(LEVEL_LABELS).map(([value, label]) => ({ value, label }))}
                />
              </Form.Item>
              <Form.Item label="牵头单位" htmlFor="f-department">
                <Select
                  id="f-department"
                  style={{ width: 200 }}
                  allowClear
                  showSearch={{ optionFilterProp: "label" }}
                  placeholder="全部"
                  value={filters.department}
                  onChange={(v) => set({ department: v })}
                  options={departments}
                />
              </Form.Item>
              <Form.Item label="支持方式" htmlFor="f-benefit">
                <Select
                  id="f-benefit"
                  style={{ width: 140 }}
                  allowClear
                  placeholder="全部"
                  value={filters.benefitType}
                  onChange={(v) => set({ benefitType: v })}
                  options={Object.entries(BENEFIT_LABELS).map(([value, label]) => ({ value, label }))}
                />
              </Form.Item>
              <Form.Item label="资金类" htmlFor="f-monetary">
                <Select
                  id="f-monetary"
                  style={{ width: 120 }}
                  allowClear
                  placeholder="全部"
                  value={filters.monetary}
                  onChange={(v) => set({ monetary: v })}
                  options={[
                    { value: "true", label: "资金类" },
                    { value: "false", label: "非资金类" },
                  ]}
                />
              </Form.Item>
            </Form>
            <Typography.Paragraph>
              共 {shown.length} 项措施（测算日 {asOf}
              {expiredCount > 0 ? `；其中 ${expiredCount} 项已过执行期限，仍列出供查阅` : ""}）
            </Typography.Paragraph>
            {shown.length === 0 ? (
              <Empty description="没有符合筛选条件的措施" />
            ) : (
              <>
                <Row gutter={[16, 16]}>
                  {shown.slice((page - 1) * 12, page * 12).map((m) => (
                    <Col key={m.id} xs={24} md={12} xl={8} xxl={6}>
                      <MeasureCard
                        m={m}
                        data={rules.data?.byId.get(m.id)}
                        asOf={asOf}
                        enterprise={enterprise}
                      />
                    </Col>
                  ))}
                </Row>
                <Pagination
                  style={{ marginTop: 16 }}
                  current={page}
                  pageSize={12}
                  total={shown.length}
                  onChange={setPage}
                  showSizeChanger={false}
                  hideOnSinglePage
                />
              </>
            )}
          </>
        )}
      </Page>
    </Accessible>
  );
}

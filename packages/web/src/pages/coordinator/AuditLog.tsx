/**
 * 审计日志 (coordinator: rows concerning the own district; policy admin: all): who did what to which
 * enterprise or application, newest first — filters by date range (Chongqing) and action kind, server-side
 * paging; a table on wide screens, cards on phones. Every word comes in Chinese from the server.
 */
import { useQuery } from "@tanstack/react-query";
import { Card, DatePicker, Form, Pagination, Select, Space, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { api, ok } from "../../api/client";
import { Page } from "../../components/Page";
import { useNarrow } from "../../components/useNarrow";
import { dateTime } from "../../dates";

const PAGE_SIZE = 20;

interface Filters {
  from: string | undefined;
  to: string | undefined;
  action: string | undefined;
}

type Row = Awaited<ReturnType<typeof fetchPage>>["items"][number];

function fetchPage(f: Filters, page: number) {
  return ok(
    api.GET("/api/audit", {
      params: {
        query: {
          limit: PAGE_SIZE,
          offset: (page - 1) * PAGE_SIZE,
          ...(f.from ? { from: f.from } : {}),
          ...(f.to ? { to: f.to } : {}),
          ...(f.action ? { action: f.action } : {}),
        },
      },
    }),
  );
}

const actorText = (r: Row) => r.actorName ?? "系统";

const objectText = (r: Row) => r.objectLabel ?? r.entityLabel;

export default function AuditLog() {
  const narrow = useNarrow();
  const [filters, setFilters] = useState<Filters>({ from: undefined, to: undefined, action: undefined });
  const [page, setPage] = useState(1);
  const kinds = useQuery({
    queryKey: ["audit", "actions"],
    queryFn: () => ok(api.GET("/api/audit/actions")),
  });
  const q = useQuery({
    queryKey: ["audit", filters, page],
    queryFn: () => fetchPage(filters, page),
  });
  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const day = (d: Dayjs | null) => (d ? d.format("YYYY-MM-DD") : undefined);
  const items = q.data?.items ?? [];
  const total = q.data?.total ?? 0;
  const filtered = Boolean(filters.from || filters.to || filters.action);

  return (
    <Page title="审计日志" error={q.error}>
      <Typography.Paragraph type="secondary">
        平台上每一次查看、修改、审批和兑付都记入不可篡改的审计日志（按时间倒序）。区发展改革委只看到本区企业、申报和本区账户的记录。
      </Typography.Paragraph>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label="起始日期" htmlFor="audit-from">
          <DatePicker
            id="audit-from"
            inputReadOnly={narrow}
            placeholder="不限"
            onChange={(d) => set({ from: day(d) })}
            style={{ width: 150 }}
          />
        </Form.Item>
        <Form.Item label="截止日期" htmlFor="audit-to">
          <DatePicker
            id="audit-to"
            inputReadOnly={narrow}
            placeholder="不限"
            onChange={(d) => set({ to: day(d) })}
            style={{ width: 150 }}
          />
        </Form.Item>
        <Form.Item label="操作类别" htmlFor="audit-action">
          <Select
            id="audit-action"
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            placeholder="全部操作"
            style={{ width: 220 }}
            value={filters.action}
            onChange={(v: string | undefined) => set({ action: v })}
            options={(kinds.data?.items ?? []).map((k) => ({ value: k.kind, label: k.label }))}
          />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" aria-live="polite">
        {q.isLoading ? "加载中…" : `共 ${total} 条记录${filtered ? "（已筛选）" : ""}`}
        {filters.from && filters.to && filters.from > filters.to ? "：截止日期不能早于起始日期" : ""}
      </Typography.Paragraph>
      {narrow ? (
        <>
          <ul className="hq-cards" aria-label="审计记录">
            {items.map((r) => (
              <li key={r.seq}>
                <Card size="small">
                  <div style={{ display: "flex", flexWrap: "wrap", gap: 8, alignItems: "center" }}>
                    <strong>{r.actionLabel}</strong>
                    <Tag>{r.entityLabel}</Tag>
                  </div>
                  <div style={{ marginTop: 4 }}>{objectText(r)}</div>
                  <Typography.Text type="secondary" style={{ display: "block", marginTop: 4, fontSize: 13 }}>
                    {dateTime(r.at)} · {actorText(r)}（{r.actorRoleLabel}）
                  </Typography.Text>
                </Card>
              </li>
            ))}
          </ul>
          {total > PAGE_SIZE && (
            <Pagination
              simple
              current={page}
              pageSize={PAGE_SIZE}
              total={total}
              onChange={setPage}
              style={{ marginTop: 12 }}
            />
          )}
        </>
      ) : (
        <Table<Row>
          rowKey="seq"
          size="small"
          loading={q.isLoading}
          dataSource={items}
          locale={{ emptyText: filtered ? "没有符合筛选条件的记录" : "暂无记录" }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total,
            showSizeChanger: false,
            hideOnSinglePage: true,
            showTotal: (n) => `共 ${n} 条`,
            onChange: setPage,
          }}
          columns={[
            {
              title: "时间（北京时间）",
              key: "at",
              width: 150,
              render: (_, r) => <span style={{ whiteSpace: "nowrap" }}>{dateTime(r.at)}</span>,
            },
            {
              title: "操作人",
              key: "actor",
              render: (_, r) => (
                <Space size={4} wrap>
                  <span>{actorText(r)}</span>
                  <Tag>{r.actorRoleLabel}</Tag>
                </Space>
              ),
            },
            { title: "操作", key: "action", render: (_, r) => r.actionLabel },
            { title: "对象类型", key: "entity", render: (_, r) => r.entityLabel },
            {
              title: "对象",
              key: "object",
              render: (_, r) => <span style={{ whiteSpace: "normal" }}>{objectText(r)}</span>,
            },
          ]}
        />
      )}
    </Page>
  );
}

/**
 * 政策管理 (policy admin): documents and their measures, publish / unpublish, each measure's YAML test cases
 * run against the current engine, the rules version and reloading the policy library.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Popconfirm,
  Select,
  Space,
  Spin,
  Table,
  Typography,
} from "antd";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { api, errorText, ok } from "../../api/client";
import { Accessible } from "../../components/Accessible";
import { Page } from "../../components/Page";
import { BENEFIT_LABELS, LEVEL_LABELS, measureAnchor, REGION_LABELS } from "../../components/policy";
import { ToneTag, ValidityTag } from "../../components/ValidityTag";
import { useSession } from "../../session";

type Measures = Awaited<ReturnType<typeof fetchMeasures>>;
type Measure = Measures["items"][number];
type Cases = Awaited<ReturnType<typeof fetchCases>>;
type Case = Cases["cases"][number];

const fetchMeasures = () => ok(api.GET("/api/measures", { params: { query: { pageSize: 200 } } }));
const fetchCases = (measureId?: string) =>
  ok(api.GET("/api/policies/cases", { params: { query: measureId ? { measureId } : {} } }));

function CaseTable({ measureId }: { measureId: string }) {
  const q = useQuery({ queryKey: ["cases", measureId], queryFn: () => fetchCases(measureId) });
  if (q.isLoading)
    return (
      <Spin description="正在运行用例…">
        <div style={{ height: 40 }} />
      </Spin>
    );
  if (q.error) return <Alert type="error" showIcon message="用例运行失败" description={errorText(q.error)} />;
  const d = q.data;
  if (!d || d.total === 0) return <Typography.Text>这项措施没有测试用例。</Typography.Text>;
  return (
    <div>
      <Typography.Paragraph>
        用例 {d.total} 个，通过 {d.passed} 个（规则版本 {d.rulesVersion}）
      </Typography.Paragraph>
      <Table<Case>
        size="small"
        rowKey={(c) => `${c.documentId}:${c.name}`}
        pagination={false}
        dataSource={d.cases}
        aria-label={`${measureId} 的测试用例`}
        columns={[
          { title: "用例", dataIndex: "name", width: 240 },
          { title: "测算日", dataIndex: "asOf", width: 110 },
          { title: "期望", dataIndex: "expected" },
          { title: "实际", dataIndex: "actual" },
          {
            title: "结果",
            dataIndex: "pass",
            width: 90,
            render: (pass: boolean, c) =>
              pass ? (
                <ToneTag tone="green">通过</ToneTag>
              ) : (
                <span title={c.problems.join("\n")}>
                  <ToneTag tone="red">未通过</ToneTag>
                </span>
              ),
          },
        ]}
      />
    </div>
  );
}

export default function Policies() {
  const { message } = App.useApp();
  const { asOf } = useSession();
  const qc = useQueryClient();
  const docs = useQuery({ queryKey: ["documents"], queryFn: () => ok(api.GET("/api/documents")) });
  const measures = useQuery({ queryKey: ["measures", "all"], queryFn: fetchMeasures });
  const allCases = useQuery({ queryKey: ["cases", "all"], queryFn: () => fetchCases() });
  const [busy, setBusy] = useState<string | null>(null);
  const [reloading, setReloading] = useState(false);
  const [lastReload, setLastReload] = useState<string | null>(null);
  const [picked, setDocId] = useState<string | undefined>(undefined);
  const docId = picked ?? docs.data?.items[0]?.id;

  const caseCounts = useMemo(() => {
    const m = new Map<string, { total: number; passed: number }>();
    for (const c of allCases.data?.cases ?? []) {
      if (!c.measureId) continue;
      const x = m.get(c.measureId) ?? { total: 0, passed: 0 };
      x.total++;
      if (c.pass) x.passed++;
      m.set(c.measureId, x);
    }
    return m;
  }, [allCases.data]);

  const setPublished = async (m: Measure, published: boolean) => {
    setBusy(m.id);
    try {
      const [documentId, item] = m.id.split("/") as [string, string];
      await ok(
        api.PUT("/api/measures/{documentId}/{item}/publication", {
          params: { path: { documentId, item } },
          body: { published },
        }),
      );
      void message.success(published ? `已发布「${m.title}」` : `已撤下「${m.title}」，企业将看不到这项措施`);
      await qc.invalidateQueries({ queryKey: ["measures"] });
      await qc.invalidateQueries({ queryKey: ["document"] });
      await qc.invalidateQueries({ queryKey: ["search"] });
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const reload = async () => {
    setReloading(true);
    try {
      const r = await ok(api.POST("/api/policies/reload", { body: {} }));
      const text = r.inserted
        ? `已载入新规则版本 ${r.version}，${r.changed.length} 项措施新增或变化${r.changed.length ? "，已为匹配的企业排队推送" : ""}`
        : `政策数据没有变化，规则版本仍为 ${r.version}`;
      setLastReload(text);
      void message.success(text);
      await qc.invalidateQueries();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setReloading(false);
    }
  };

  const totalCases = allCases.data;
  const items = measures.data?.items ?? [];
  const unpublished = items.filter((m) => !m.published).length;

  return (
    <Accessible>
      <Page
        title="政策管理"
        loading={docs.isLoading || measures.isLoading}
        error={docs.error ?? measures.error}
        empty={docs.data?.items.length === 0}
        emptyText="还没有载入任何政策文件"
      >
        <Card size="small" style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label="规则版本">
              <Typography.Text code>{docs.data?.rulesVersion}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="措施">
              {items.length} 项（未发布 {unpublished} 项）
            </Descriptions.Item>
            <Descriptions.Item label="测试用例">
              {allCases.isLoading
                ? "运行中…"
                : allCases.error
                  ? errorText(allCases.error)
                  : totalCases
                    ? `${totalCases.passed} / ${totalCases.total} 通过`
                    : "—"}
            </Descriptions.Item>
          </Descriptions>
          <Space wrap>
            <Popconfirm
              title="重新载入政策库？"
              description="从服务器上的政策数据重新载入；有变化时生成新规则版本，并为变化的措施推送匹配企业。"
              okText="确认载入"
              cancelText="取消"
              onConfirm={reload}
            >
              <Button type="primary" loading={reloading}>
                重新载入政策库
              </Button>
            </Popconfirm>
            {lastReload && <Typography.Text role="status">{lastReload}</Typography.Text>}
          </Space>
        </Card>

        <Form layout="inline" style={{ marginBottom: 12 }}>
          <Form.Item label="政策文件" htmlFor="admin-document">
            <Select
              id="admin-document"
              style={{ width: 420, maxWidth: "80vw" }}
              value={docId}
              onChange={setDocId}
              options={(docs.data?.items ?? []).map((d) => ({
                value: d.id,
                label: `${REGION_LABELS[d.regionCode] ?? d.regionCode} · ${d.docNumber}`,
              }))}
            />
          </Form.Item>
        </Form>
        {(docs.data?.items ?? [])
          .filter((d) => d.id === docId)
          .map((d) => {
            const rows = items.filter((m) => m.documentId === d.id);
            return {
              key: d.id,
              label: `${REGION_LABELS[d.regionCode] ?? d.regionCode} · ${d.docNumber}`,
              children: (
                <div>
                  <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }}>
                    <Descriptions.Item label="文件" span={2}>
                      <Link to={`/documents/${d.id}`}>{d.title}</Link>
                    </Descriptions.Item>
                    <Descriptions.Item label="发文机关">{d.issuer}</Descriptions.Item>
                    <Descriptions.Item label="层级">{LEVEL_LABELS[d.level] ?? d.level}</Descriptions.Item>
                    <Descriptions.Item label="执行期限">
                      <ValidityTag asOf={asOf} validFrom={d.validFrom} validUntil={d.validUntil} />
                    </Descriptions.Item>
                    <Descriptions.Item label="措施">
                      {d.measureCount} 项（资金类 {d.monetaryCount} 项）
                    </Descriptions.Item>
                  </Descriptions>
                  <Table<Measure>
                    size="small"
                    rowKey="id"
                    dataSource={rows}
                    pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
                    scroll={{ x: 900 }}
                    expandable={{
                      expandedRowRender: (m) => <CaseTable measureId={m.id} />,
                      expandRowByClick: false,
                    }}
                    columns={[
                      { title: "编号", dataIndex: "id", width: 170 },
                      {
                        title: "措施",
                        dataIndex: "title",
                        render: (t: string, m) => (
                          <Link to={`/documents/${m.documentId}#${measureAnchor(m.id)}`}>{t}</Link>
                        ),
                      },
                      {
                        title: "支持方式",
                        dataIndex: "benefitType",
                        width: 100,
                        render: (b: string, m) => `${BENEFIT_LABELS[b] ?? b}${m.monetary ? "（资金）" : ""}`,
                      },
                      { title: "牵头单位", dataIndex: "leadDepartmentName", width: 140 },
                      {
                        title: "用例",
                        key: "cases",
                        width: 100,
                        render: (_, m) => {
                          const c = caseCounts.get(m.id);
                          if (allCases.isLoading) return "…";
                          if (!c) return <ToneTag tone="grey">无用例</ToneTag>;
                          return (
                            <ToneTag tone={c.passed === c.total ? "green" : "red"}>
                              {c.passed}/{c.total} 通过
                            </ToneTag>
                          );
                        },
                      },
                      {
                        title: "状态",
                        dataIndex: "published",
                        width: 90,
                        render: (p: boolean) =>
                          p ? (
                            <ToneTag tone="green">已发布</ToneTag>
                          ) : (
                            <ToneTag tone="orange">已撤下</ToneTag>
                          ),
                      },
                      {
                        title: "操作",
                        key: "action",
                        width: 90,
                        render: (_, m) =>
                          m.published ? (
                            <Popconfirm
                              title="撤下这项措施？"
                              description="撤下后企业在政策库和匹配结果中看不到它，已有申报不受影响。"
                              okText="确认撤下"
                              cancelText="取消"
                              onConfirm={() => setPublished(m, false)}
                            >
                              <Button size="small" loading={busy === m.id}>
                                撤下
                              </Button>
                            </Popconfirm>
                          ) : (
                            <Button
                              size="small"
                              type="primary"
                              loading={busy === m.id}
                              onClick={() => setPublished(m, true)}
                            >
                              发布
                            </Button>
                          ),
                      },
                    ]}
                  />
                </div>
              ),
            };
          })
          .map((t) => (
            <div key={t.key}>{t.children}</div>
          ))}
      </Page>
    </Accessible>
  );
}

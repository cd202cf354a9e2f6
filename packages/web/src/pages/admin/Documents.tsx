/**
 * 政策文件版本 (policy admin): every document with its revisions. A policy admin uploads a new version's files
 * as a draft (checked at once: compiles, cases pass, ≥ 2 passing cases per monetary measure), submits it, and a
 * second policy admin publishes or returns it; a published document can be repealed. Publishing takes effect
 * at once (new rules version, targeted push).
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  List,
  Modal,
  Progress,
  Space,
  Spin,
  Table,
  Tabs,
  Typography,
  Upload,
} from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { api, errorText, ok, yuanExact } from "../../api/client";
import type { paths } from "../../api/schema";
import { Page } from "../../components/Page";
import { useNarrow } from "../../components/useNarrow";
import { ToneTag } from "../../components/ValidityTag";
import { dateTime } from "../../dates";
import { EditLink } from "./editor/EditLink";

type Listing = Awaited<ReturnType<typeof fetchDocuments>>;
type Doc = Listing["items"][number];
type Revision = Doc["revisions"][number];

const fetchDocuments = () => ok(api.GET("/api/policy-documents"));

const FILE_NAMES = [
  "document.yaml",
  "measures.yaml",
  "cases.yaml",
  "facts.yaml",
  "stacking.yaml",
  "source.txt",
];

const STATE_TONE: Record<Revision["state"], string> = {
  published: "green",
  inReview: "blue",
  draft: "orange",
  superseded: "grey",
  repealed: "red",
};

const ORIGIN_LABEL: Record<Revision["origin"], string> = {
  seed: "随平台发布",
  import: "命令行导入",
  editor: "政策管理员起草",
};

/** The check that comes back with a saved draft (the generated API type). */
type CheckResult =
  paths["/api/policy-documents/{documentId}/revisions"]["post"]["responses"][201]["content"]["application/json"]["check"];

function CheckSummary({ check }: { check: CheckResult }) {
  const ready = check.failing.length === 0 && check.short.length === 0;
  return (
    <Alert
      type={ready ? "success" : "warning"}
      showIcon
      message={
        ready ? `检查通过：${check.passing} 个用例全部通过，可以提交审核` : "草稿已保存，但还不能提交审核"
      }
      description={
        ready ? undefined : (
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {check.failing.slice(0, 10).map((f) => (
              <li key={f.name}>
                用例「{f.name}」未通过：{f.problems.join("；")}
              </li>
            ))}
            {check.short.map((s) => (
              <li key={s.measureId}>
                「{s.title}」只有 {s.passing} 个通过的用例，至少需要 2 个
              </li>
            ))}
          </ul>
        )
      }
    />
  );
}

/** Upload a new version's files (from `huiqi policies export` or an editor) as a draft. */
function NewDraft({ documentId, onDone }: { documentId: string; onDone: (c: CheckResult) => void }) {
  const { message } = App.useApp();
  const [files, setFiles] = useState<Record<string, string>>({});
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Text>
        选择这份文件的全部文件（{FILE_NAMES.join("、")}），至少包括 document.yaml 和 measures.yaml。
      </Typography.Text>
      <Upload
        multiple
        accept=".yaml,.yml,.txt"
        showUploadList={false}
        beforeUpload={async (file) => {
          if (!FILE_NAMES.includes(file.name)) {
            message.error(`「${file.name}」不是政策文件的组成文件，已忽略`);
            return false;
          }
          const text = await file.text();
          setFiles((f) => ({ ...f, [file.name]: text }));
          return false;
        }}
      >
        <Button>选择文件</Button>
      </Upload>
      {Object.keys(files).length > 0 && (
        <Typography.Text>已选：{Object.keys(files).join("、")}</Typography.Text>
      )}
      <Input.TextArea
        aria-label="修改说明"
        placeholder="修改说明（选填），如：奖励标准按 2026 年新文件调整"
        maxLength={500}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      {error && <Alert type="error" showIcon message="草稿未保存" description={error} />}
      <Button
        type="primary"
        loading={busy}
        disabled={!files["document.yaml"] || !files["measures.yaml"]}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            const r = await ok(
              api.POST("/api/policy-documents/{documentId}/revisions", {
                params: { path: { documentId } },
                body: { files, ...(note.trim() ? { note: note.trim() } : {}) },
              }),
            );
            message.success(`已保存为第 ${r.revision} 版草稿`);
            setFiles({});
            setNote("");
            onDone(r.check);
          } catch (e) {
            setError(errorText(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        保存为草稿并检查
      </Button>
    </Space>
  );
}

const fetchImpact = (documentId: string, revision: number) =>
  ok(
    api.POST("/api/policy-documents/{documentId}/revisions/{revision}/impact", {
      params: { path: { documentId, revision } },
      body: {},
    }),
  );
type Impact = Awaited<ReturnType<typeof fetchImpact>>;
type Totals = Impact["total"]["draft"];
type Compared = Impact["total"];
type Breakdown = Impact["byDistrict"][number];
type ChangeList = Impact["changes"]["amountUp"];

/** A signed money difference: "+100,000.00元", "-…", "0.00元". */
const diff = (fen: number) => (fen > 0 ? `+${yuanExact(fen)}` : yuanExact(fen));
const diffCount = (n: number) => (n > 0 ? `+${n}` : String(n));
const maxText = (t: Totals) =>
  t.maxUnbounded > 0 ? `${yuanExact(t.maxFen)}（另有 ${t.maxUnbounded} 户上限未定）` : yuanExact(t.maxFen);
const range = (a: { min: number; max: number | null } | null) =>
  a === null
    ? "不符合"
    : a.max === a.min
      ? yuanExact(a.min)
      : `${yuanExact(a.min)}～${a.max === null ? "上限未定" : yuanExact(a.max)}`;

/** Draft vs published columns shared by the per-measure and breakdown tables. */
function comparedColumns<T extends Compared>() {
  return [
    {
      title: "符合（现行 → 修订）",
      key: "eligible",
      width: 150,
      render: (_: unknown, r: T) => `${r.published.eligible} → ${r.draft.eligible}`,
    },
    {
      title: "待定（现行 → 修订）",
      key: "undetermined",
      width: 150,
      render: (_: unknown, r: T) => `${r.published.undetermined} → ${r.draft.undetermined}`,
    },
    {
      title: "保底合计：现行",
      key: "gp",
      align: "right" as const,
      render: (_: unknown, r: T) => yuanExact(r.published.guaranteedFen),
    },
    {
      title: "保底合计：修订",
      key: "gd",
      align: "right" as const,
      render: (_: unknown, r: T) => yuanExact(r.draft.guaranteedFen),
    },
    {
      title: "保底差额",
      key: "gdiff",
      align: "right" as const,
      render: (_: unknown, r: T) => diff(r.draft.guaranteedFen - r.published.guaranteedFen),
    },
    {
      title: "最高合计：现行",
      key: "mp",
      align: "right" as const,
      render: (_: unknown, r: T) => maxText(r.published),
    },
    {
      title: "最高合计：修订",
      key: "md",
      align: "right" as const,
      render: (_: unknown, r: T) => maxText(r.draft),
    },
  ];
}

function BreakdownTable({ rows, what }: { rows: Breakdown[]; what: string }) {
  return (
    <Table<Breakdown>
      size="small"
      rowKey="key"
      pagination={rows.length > 20 ? { pageSize: 20 } : false}
      scroll={{ x: 960 }}
      dataSource={rows}
      aria-label={`按${what}`}
      columns={[{ title: what, dataIndex: "label", width: 200 }, ...comparedColumns<Breakdown>()]}
    />
  );
}

function ChangeCard({ title, list, hint }: { title: string; list: ChangeList; hint: string }) {
  return (
    <Card size="small" title={`${title}：${list.count} 户`}>
      {list.count === 0 ? (
        <Typography.Text type="secondary">没有</Typography.Text>
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {hint}
            {list.count > list.examples.length ? `，列出变化最大的 ${list.examples.length} 户` : ""}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey="enterpriseId"
            pagination={false}
            dataSource={list.examples}
            aria-label={title}
            columns={[
              { title: "企业", dataIndex: "name" },
              { title: "区县", dataIndex: "district", width: 110 },
              {
                title: "现行",
                key: "p",
                align: "right",
                render: (_, e) => range(e.published),
              },
              { title: "修订", key: "d", align: "right", render: (_, e) => range(e.draft) },
            ]}
          />
        </>
      )}
    </Card>
  );
}

function ImpactReport({ data }: { data: Impact }) {
  const t = data.total;
  const budgeted = data.measures.filter((m) => m.budgetFen !== null);
  type MeasureRow = Impact["measures"][number];
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Typography.Text type="secondary">
        测算日 {data.asOf}，共 {data.enterprises} 户企业，用时 {(data.elapsedMs / 1000).toFixed(1)}{" "}
        秒。只计算本文件的措施；“保底”是符合条件企业的金额下限之和，“最高”是有上限的金额上限之和（上限未定的另计户数）；
        同一企业按本文件的从高不重复规则合计。
      </Typography.Text>
      <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label="符合的企业">
          现行 {t.published.eligible} 户 → 修订 {t.draft.eligible} 户（
          {diffCount(t.draft.eligible - t.published.eligible)}）
        </Descriptions.Item>
        <Descriptions.Item label="缺少信息、尚不能判断">
          现行 {t.published.undetermined} 户 → 修订 {t.draft.undetermined} 户
        </Descriptions.Item>
        <Descriptions.Item label="上限未定">
          现行 {t.published.maxUnbounded} 户 → 修订 {t.draft.maxUnbounded} 户
        </Descriptions.Item>
        <Descriptions.Item label="保底合计">
          现行 {yuanExact(t.published.guaranteedFen)} → 修订 {yuanExact(t.draft.guaranteedFen)}
        </Descriptions.Item>
        <Descriptions.Item label="最高合计">
          现行 {yuanExact(t.published.maxFen)} → 修订 {yuanExact(t.draft.maxFen)}
        </Descriptions.Item>
        <Descriptions.Item label="资金变化">
          保底 {diff(data.costDifference.guaranteedFen)}，最高 {diff(data.costDifference.maxFen)}
        </Descriptions.Item>
      </Descriptions>
      <Tabs
        items={[
          {
            key: "measures",
            label: "各项措施",
            children: (
              <Table<MeasureRow>
                size="small"
                rowKey="measureId"
                pagination={false}
                scroll={{ x: 1100 }}
                dataSource={data.measures}
                aria-label="各项措施的测算结果"
                columns={[
                  {
                    title: "措施",
                    dataIndex: "title",
                    width: 240,
                    render: (title: string, m) =>
                      !m.inPublished ? `${title}（新增）` : !m.inDraft ? `${title}（删除）` : title,
                  },
                  ...comparedColumns<MeasureRow>(),
                  {
                    title: "预算",
                    dataIndex: "budgetFen",
                    align: "right",
                    render: (b: number | null) => (b === null ? "未设置" : yuanExact(b)),
                  },
                ]}
              />
            ),
          },
          {
            key: "budget",
            label: "预算对比",
            children:
              budgeted.length === 0 ? (
                <Typography.Text type="secondary">本文件的措施都没有设置预算。</Typography.Text>
              ) : (
                <Table<MeasureRow>
                  size="small"
                  rowKey="measureId"
                  pagination={false}
                  scroll={{ x: 800 }}
                  dataSource={budgeted}
                  aria-label="预算对比"
                  columns={[
                    { title: "措施", dataIndex: "title", width: 240 },
                    {
                      title: "预算",
                      dataIndex: "budgetFen",
                      align: "right",
                      render: (b: number) => yuanExact(b),
                    },
                    {
                      title: "修订后保底合计",
                      key: "g",
                      align: "right",
                      render: (_, m) => yuanExact(m.draft.guaranteedFen),
                    },
                    {
                      title: "修订后最高合计",
                      key: "m",
                      align: "right",
                      render: (_, m) => maxText(m.draft),
                    },
                    {
                      title: "判断",
                      key: "verdict",
                      render: (_, m) => {
                        const b = m.budgetFen ?? 0;
                        if (m.draft.guaranteedFen > b)
                          return (
                            <ToneTag tone="red">保底即超预算 {yuanExact(m.draft.guaranteedFen - b)}</ToneTag>
                          );
                        if (m.draft.maxUnbounded > 0 || m.draft.maxFen > b)
                          return <ToneTag tone="orange">可能超预算</ToneTag>;
                        return <ToneTag tone="green">在预算内</ToneTag>;
                      },
                    },
                  ]}
                />
              ),
          },
          {
            key: "district",
            label: "按区县",
            children: <BreakdownTable rows={data.byDistrict} what="区县" />,
          },
          {
            key: "industry",
            label: "按行业门类",
            children: <BreakdownTable rows={data.byIndustry} what="行业门类" />,
          },
          {
            key: "size",
            label: "按企业规模",
            children: <BreakdownTable rows={data.bySize} what="企业规模" />,
          },
          {
            key: "changes",
            label: "增减名单",
            children: (
              <Space direction="vertical" style={{ width: "100%" }}>
                <ChangeCard
                  title="新符合"
                  list={data.changes.newlyEligible}
                  hint="现行版本下不符合本文件任何措施、修订后符合的企业"
                />
                <ChangeCard
                  title="不再符合"
                  list={data.changes.noLongerEligible}
                  hint="现行版本下符合、修订后不再符合本文件任何措施的企业"
                />
                <ChangeCard
                  title="金额增加"
                  list={data.changes.amountUp}
                  hint="两版都符合、修订后金额增加的企业"
                />
                <ChangeCard
                  title="金额减少"
                  list={data.changes.amountDown}
                  hint="两版都符合、修订后金额减少的企业"
                />
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}

/** How far a running impact simulation is: a bar once the server reports a count, a spinner until then. */
function ImpactProgress({ documentId, revision }: { documentId: string; revision: number }) {
  const q = useQuery({
    queryKey: ["impact-progress", documentId, revision],
    queryFn: () =>
      ok(
        api.GET("/api/policy-documents/{documentId}/revisions/{revision}/impact/progress", {
          params: { path: { documentId, revision } },
        }),
      ),
    refetchInterval: 400,
    gcTime: 0,
  });
  const p = q.data;
  return (
    <div style={{ padding: 48, textAlign: "center" }} role="status">
      {p?.running && p.total > 0 ? (
        <>
          <Progress
            percent={Math.floor((p.done / p.total) * 100)}
            status="active"
            aria-label="影响测算进度"
            style={{ maxWidth: 480 }}
          />
          <div>
            正在对全部企业测算：已测算 {p.done.toLocaleString("zh-CN")} / {p.total.toLocaleString("zh-CN")} 家
          </div>
        </>
      ) : (
        <Spin description="正在对全部企业测算…" size="large">
          <div style={{ height: 48 }} />
        </Spin>
      )}
    </div>
  );
}

/** 影响测算: runs a draft / in-review revision against every enterprise and compares with the published one. */
function ImpactButton({ doc, r }: { doc: Doc; r: Revision }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [data, setData] = useState<Impact>();
  const [error, setError] = useState<string>();
  const run = async () => {
    setOpen(true);
    setBusy(true);
    setError(undefined);
    setData(undefined);
    try {
      setData(await fetchImpact(doc.documentId, r.revision));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" onClick={run}>
        影响测算
      </Button>
      <Modal
        title={`影响测算：《${doc.title}》第 ${r.revision} 版与现行版本比较`}
        open={open}
        width={1200}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {busy ? (
          <ImpactProgress documentId={doc.documentId} revision={r.revision} />
        ) : error ? (
          <Alert type="error" showIcon message="测算未完成" description={error} />
        ) : data ? (
          <ImpactReport data={data} />
        ) : null}
      </Modal>
    </>
  );
}

function RevisionActions({ doc, r }: { doc: Doc; r: Revision }) {
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [reason, setReason] = useState("");
  const path = { documentId: doc.documentId, revision: r.revision };
  const run = async (what: string, f: () => Promise<unknown>) => {
    try {
      await f();
      message.success(what);
      await qc.invalidateQueries({ queryKey: ["policy-documents"] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  if (r.state === "draft")
    return (
      <Button
        size="small"
        onClick={() =>
          run("已提交审核", () =>
            ok(
              api.POST("/api/policy-documents/{documentId}/revisions/{revision}/submit", {
                params: { path },
                body: {},
              }),
            ),
          )
        }
      >
        提交审核
      </Button>
    );
  if (r.state !== "inReview") return null;
  if (r.mine) return <Typography.Text type="secondary">待另一位政策管理员审核</Typography.Text>;
  return (
    <Space wrap>
      <Button
        size="small"
        type="primary"
        onClick={() =>
          modal.confirm({
            title: `发布《${doc.title}》第 ${r.revision} 版？`,
            content:
              "发布后立即生效：生成新的规则版本，所有企业的测算按新版本计算，新符合或金额变化的企业会收到推送；原现行版本保留为历史，已受理的申报仍按受理时的版本审核。",
            okText: "确认发布",
            cancelText: "取消",
            onOk: () =>
              run("已发布", () =>
                ok(
                  api.POST("/api/policy-documents/{documentId}/revisions/{revision}/approve", {
                    params: { path },
                    body: {},
                  }),
                ),
              ),
          })
        }
      >
        通过并发布
      </Button>
      <Button
        size="small"
        onClick={() =>
          modal.confirm({
            title: `退回第 ${r.revision} 版`,
            content: (
              <Input.TextArea
                aria-label="退回原因"
                placeholder="退回原因（必填），起草人会看到"
                maxLength={500}
                onChange={(e) => setReason(e.target.value)}
              />
            ),
            okText: "确认退回",
            cancelText: "取消",
            onOk: () =>
              run("已退回起草人", () =>
                ok(
                  api.POST("/api/policy-documents/{documentId}/revisions/{revision}/return", {
                    params: { path },
                    body: { reason: reason.trim() },
                  }),
                ),
              ),
          })
        }
      >
        退回
      </Button>
    </Space>
  );
}

function DocumentCard({ doc }: { doc: Doc }) {
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [check, setCheck] = useState<CheckResult>();
  const [reason, setReason] = useState("");
  const published = doc.revisions.find((r) => r.state === "published");
  const narrow = useNarrow();
  return (
    <Card
      title={doc.title}
      extra={
        <Space wrap>
          <Button size="small" onClick={() => setOpen(true)}>
            上传新版本
          </Button>
          {published && (
            <Button
              size="small"
              danger
              // antd's danger red (#ff4d4f) is 3.3:1 on white; this one meets 4.5:1.
              style={{ color: "#a8071a", borderColor: "#ffa39e" }}
              onClick={() =>
                modal.confirm({
                  title: `废止《${doc.title}》？`,
                  content: (
                    <Space direction="vertical" style={{ width: "100%" }}>
                      <Typography.Text>
                        废止后这份文件的全部措施立即退出政策库和企业的匹配结果；已有申报和历史记录保留。此操作不能在页面上撤销。
                      </Typography.Text>
                      <Input.TextArea
                        aria-label="废止原因"
                        placeholder="废止原因（必填）"
                        maxLength={500}
                        onChange={(e) => setReason(e.target.value)}
                      />
                    </Space>
                  ),
                  okText: "确认废止",
                  okButtonProps: { danger: true },
                  cancelText: "取消",
                  onOk: async () => {
                    try {
                      await ok(
                        api.POST("/api/policy-documents/{documentId}/repeal", {
                          params: { path: { documentId: doc.documentId } },
                          body: { reason: reason.trim() },
                        }),
                      );
                      message.success("已废止");
                      await qc.invalidateQueries({ queryKey: ["policy-documents"] });
                    } catch (e) {
                      message.error(errorText(e));
                    }
                  },
                })
              }
            >
              废止
            </Button>
          )}
        </Space>
      }
    >
      {check && <CheckSummary check={check} />}
      {narrow ? (
        // Phones: one block per version (a wide table would scroll sideways).
        <List
          dataSource={doc.revisions}
          rowKey="revision"
          aria-label={`${doc.title} 的各版本`}
          renderItem={(r) => (
            <List.Item style={{ display: "block" }} data-revision={r.revision}>
              <Space wrap>
                <Typography.Text strong>第 {r.revision} 版</Typography.Text>
                <ToneTag tone={STATE_TONE[r.state]}>{r.stateLabel}</ToneTag>
                <Typography.Text>{ORIGIN_LABEL[r.origin]}</Typography.Text>
              </Space>
              <div>
                起草人 {r.author ?? "—"} · 审核人 {r.reviewer ?? "—"} · {dateTime(r.createdAt)}
              </div>
              {r.note && <div>{r.note}</div>}
              <div style={{ marginTop: 8 }}>
                <Space wrap>
                  <EditLink documentId={doc.documentId} revision={r.revision} state={r.state} />
                  <RevisionActions doc={doc} r={r} />
                </Space>
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table<Revision>
          size="small"
          rowKey="revision"
          pagination={false}
          scroll={{ x: 720 }}
          dataSource={doc.revisions}
          aria-label={`${doc.title} 的各版本`}
          columns={[
            { title: "版本", dataIndex: "revision", width: 70, render: (v: number) => `第 ${v} 版` },
            {
              title: "状态",
              dataIndex: "stateLabel",
              width: 100,
              render: (label: string, r) => <ToneTag tone={STATE_TONE[r.state]}>{label}</ToneTag>,
            },
            {
              title: "来源",
              dataIndex: "origin",
              width: 120,
              render: (o: Revision["origin"]) => ORIGIN_LABEL[o],
            },
            { title: "起草人", dataIndex: "author", width: 110, render: (a: string | null) => a ?? "—" },
            { title: "审核人", dataIndex: "reviewer", width: 110, render: (a: string | null) => a ?? "—" },
            { title: "保存时间", dataIndex: "createdAt", width: 150, render: (d: string) => dateTime(d) },
            { title: "说明", dataIndex: "note", render: (n: string | null) => n ?? "" },
            {
              title: "操作",
              key: "actions",
              width: 280,
              render: (_, r) =>
                r.state === "draft" || r.state === "inReview" ? (
                  <Space wrap>
                    <EditLink documentId={doc.documentId} revision={r.revision} state={r.state} />
                    <ImpactButton doc={doc} r={r} />
                    <RevisionActions doc={doc} r={r} />
                  </Space>
                ) : (
                  <Space wrap>
                    <EditLink documentId={doc.documentId} revision={r.revision} state={r.state} />
                    <RevisionActions doc={doc} r={r} />
                  </Space>
                ),
            },
          ]}
        />
      )}
      <Modal
        title={`上传《${doc.title}》的新版本`}
        open={open}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <NewDraft
          documentId={doc.documentId}
          onDone={async (c) => {
            setCheck(c);
            setOpen(false);
            await qc.invalidateQueries({ queryKey: ["policy-documents"] });
          }}
        />
      </Modal>
    </Card>
  );
}

export default function Documents() {
  const q = useQuery({ queryKey: ["policy-documents"], queryFn: fetchDocuments });
  const navigate = useNavigate();
  return (
    <Page
      title="政策文件版本"
      loading={q.isLoading}
      error={q.error}
      extra={
        <Button type="primary" onClick={() => navigate("/admin/documents/new")}>
          导入通知原文
        </Button>
      }
    >
      <Typography.Paragraph>
        每份政策文件的各个版本。新版本先存为草稿（自动编译并运行用例），起草人提交审核后，由另一位政策管理员通过并发布或退回；
        发布立即生效，原版本保留为历史。现行版本的文件可从命令行导出，修改后在这里上传。
      </Typography.Paragraph>
      <List
        dataSource={q.data?.items ?? []}
        rowKey="documentId"
        renderItem={(doc) => (
          <List.Item style={{ display: "block", border: "none", padding: "0 0 16px" }}>
            <DocumentCard doc={doc} />
          </List.Item>
        )}
      />
    </Page>
  );
}

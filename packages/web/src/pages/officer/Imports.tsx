/**
 * 数据导入 (/imports): an officer or coordinator imports a department's .xlsx/.csv of enterprise data for
 * the own district (POST /api/imports), after a confirmation that says what will happen; sees the report
 * (counts, the bad rows with column and reason, a CSV of them) and the history of past imports
 * (GET /api/imports). Phones get cards instead of tables.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Radio, Space, Spin, Statistic, Table, Typography, Upload } from "antd";
import { useState } from "react";
import { api, errorText, ok } from "../../api/client";
import type { paths } from "../../api/schema";
import { MUTED, SafeTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { REGION_LABELS } from "../../components/policy";
import { useNarrow } from "../../components/useNarrow";
import { useSession } from "../../session";
import {
  COMMON_RULES,
  chongqingTime,
  IMPORT_COLUMNS,
  IMPORT_KIND_OPTIONS,
  type ImportKindValue,
  kindLabel,
  problemsCsv,
} from "./imports-formats";

type Report = paths["/api/imports"]["post"]["responses"][200]["content"]["application/json"];
type History = paths["/api/imports"]["get"]["responses"][200]["content"]["application/json"]["items"];
type HistoryItem = History[number];
type Problem = Report["problems"][number];

const MAX_BYTES = 20 * 1024 * 1024;

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(new Error("读取文件失败，请重新选择"));
    r.readAsDataURL(file);
  });
}

export default function Imports() {
  const { modal } = App.useApp();
  const { me } = useSession();
  const narrow = useNarrow();
  const qc = useQueryClient();
  const [kind, setKind] = useState<ImportKindValue>("registry");
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const regionCode = me?.actor.regionCode ?? null;
  const district = regionCode ? (REGION_LABELS[regionCode] ?? "本区县") : "本区县";
  const history = useQuery({
    queryKey: ["imports"],
    queryFn: () => ok(api.GET("/api/imports")),
  });
  const help = IMPORT_COLUMNS[kind];

  const confirm = (fileName: string) =>
    new Promise<boolean>((resolve) => {
      modal.confirm({
        title: "确认导入",
        content: (
          <div>
            <p style={{ margin: 0 }}>
              将把「{fileName}」作为{kindLabel(kind)}导入到 {district}，已核实的数据不会被覆盖。
            </p>
            <p style={{ margin: "8px 0 0" }}>
              没有问题的行直接入库；有问题的行不导入，逐行列出列名和原因，改正后可再次导入同一文件。
            </p>
          </div>
        ),
        okText: "确认导入",
        cancelText: "取消",
        okButtonProps: { autoInsertSpace: false },
        cancelButtonProps: { autoInsertSpace: false },
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      });
    });

  const upload = async (file: File) => {
    setError(null);
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      setError(new Error(`「${file.name}」不是 .xlsx 或 .csv 文件，请另存为其中一种后再导入`));
      return;
    }
    if (file.size > MAX_BYTES) {
      setError(new Error(`「${file.name}」超过 20 MB，请拆分成几个文件分别导入`));
      return;
    }
    if (!(await confirm(file.name))) return;
    setBusy(true);
    setReport(null);
    try {
      const contentBase64 = await readBase64(file);
      const r = await ok(api.POST("/api/imports", { body: { kind, fileName: file.name, contentBase64 } }));
      setReport(r);
      await qc.invalidateQueries({ queryKey: ["imports"] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="数据导入">
      <Typography.Paragraph>
        导入部门提供的企业名录或企业数据（Excel .xlsx 或
        .csv），导入后企业画像中显示为“部门数据”，企业不能自行修改； 只导入属于{district}的企业。
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space direction="vertical" style={{ width: "100%" }}>
          <Typography.Text strong id="import-kind-label">
            导入类型
          </Typography.Text>
          <Radio.Group
            aria-labelledby="import-kind-label"
            optionType="button"
            value={kind}
            onChange={(e) => setKind(e.target.value as ImportKindValue)}
            options={IMPORT_KIND_OPTIONS.map((o) => ({ value: o.value, label: o.label }))}
            style={{ display: "flex", flexWrap: "wrap", rowGap: 8 }}
          />
          <div>
            <Typography.Text strong>{kindLabel(kind)}需要的列</Typography.Text>
            <ul style={{ margin: "4px 0", paddingLeft: 20 }}>
              {help.columns.map((c) => (
                <li key={c.name}>
                  {c.name}
                  {c.required ? "（必填）" : "（可选）"}
                  {c.note ? <span style={{ color: MUTED }}>：{c.note}</span> : null}
                </li>
              ))}
            </ul>
            {help.note ? (
              <Typography.Paragraph style={{ margin: 0 }}>{help.note}</Typography.Paragraph>
            ) : null}
            <Typography.Paragraph style={{ color: MUTED, margin: 0 }}>
              {COMMON_RULES.join("")}
            </Typography.Paragraph>
          </div>
          <Upload
            accept=".xlsx,.csv"
            showUploadList={false}
            disabled={busy}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button type="primary" autoInsertSpace={false} loading={busy}>
              选择文件并导入
            </Button>
          </Upload>
          <Typography.Text style={{ color: MUTED }}>
            一次一个文件，.xlsx 或 .csv，不超过 20 MB。
          </Typography.Text>
        </Space>
      </Card>

      {busy ? (
        <div role="status" style={{ padding: 24, textAlign: "center" }}>
          <Spin />
          <div style={{ marginTop: 8 }}>正在导入，请稍候…</div>
        </div>
      ) : null}
      {error ? (
        <Alert
          type="error"
          showIcon
          title="导入失败"
          description={errorText(error)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {report ? <ImportReport report={report} narrow={narrow} /> : null}

      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>
        导入记录
      </Typography.Title>
      {history.error ? (
        <Alert type="error" showIcon title="加载失败" description={errorText(history.error)} />
      ) : (
        <HistoryList items={history.data?.items ?? []} loading={history.isLoading} narrow={narrow} />
      )}
    </Page>
  );
}

function ImportReport({ report, narrow }: { report: Report; narrow: boolean }) {
  const c = report.counts;
  if (report.alreadyImported)
    return (
      <Alert
        type="info"
        showIcon
        title="同一文件已导入过"
        description={report.summary}
        style={{ marginBottom: 16 }}
      />
    );
  const stats: [string, number][] = [
    ["新增企业", c.enterprisesCreated],
    // A created enterprise is a written row too; 更新 counts the rows that changed what was there.
    ["更新", c.changed - c.enterprisesCreated],
    ["未变", c.unchanged],
    ["错误行", c.bad],
    ["保留已核实", c.keptVerified],
  ];
  const stem = report.fileName.replace(/\.[^.]*$/, "");
  return (
    <Card size="small" title={`导入结果：${report.fileName}`} style={{ marginBottom: 16 }}>
      <Alert
        type={c.bad > 0 ? "warning" : "success"}
        showIcon
        title={report.summary}
        style={{ marginBottom: 12 }}
      />
      <section aria-label="导入统计" style={{ display: "flex", flexWrap: "wrap", gap: "12px 32px" }}>
        {stats.map(([label, n]) => (
          <Statistic key={label} title={label} value={n} suffix={label === "新增企业" ? "家" : "行"} />
        ))}
      </section>
      {report.problems.length > 0 ? (
        <>
          <div
            style={{
              display: "flex",
              justifyContent: "space-between",
              alignItems: "center",
              flexWrap: "wrap",
              gap: 8,
              margin: "16px 0 8px",
            }}
          >
            <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
              有问题未导入的行
            </Typography.Title>
            <Button
              autoInsertSpace={false}
              href={`data:text/csv;charset=utf-8,${encodeURIComponent(problemsCsv(report.problems))}`}
              download={`${stem}-问题行.csv`}
            >
              下载问题行（CSV）
            </Button>
          </div>
          <ProblemList rows={report.problems} narrow={narrow} label="问题行" />
          {report.problemsOmitted > 0 ? (
            <Typography.Paragraph style={{ color: MUTED, marginTop: 8 }}>
              另有 {report.problemsOmitted} 处问题未列出，请先改正以上各行后再导入。
            </Typography.Paragraph>
          ) : null}
        </>
      ) : null}
      {report.kept.length > 0 ? (
        <>
          <Typography.Title level={3} style={{ fontSize: 16, margin: "16px 0 8px" }}>
            已核实、未覆盖的值
          </Typography.Title>
          <ProblemList rows={report.kept} narrow={narrow} label="保留的核实值" />
        </>
      ) : null}
    </Card>
  );
}

function ProblemList({ rows, narrow, label }: { rows: Problem[]; narrow: boolean; label: string }) {
  const keyed = rows.map((r, i) => ({ ...r, key: `${r.row}-${r.field}-${i}` }));
  if (narrow)
    return (
      <ul className="hq-cards" aria-label={label}>
        {keyed.map((r) => (
          <li key={r.key}>
            <Card size="small">
              <div style={{ fontWeight: 600 }}>
                第 {r.row} 行 · {r.field}
              </div>
              <div>{r.reason}</div>
            </Card>
          </li>
        ))}
      </ul>
    );
  return (
    <Table
      size="small"
      rowKey="key"
      dataSource={keyed}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
      columns={[
        { title: "行号", dataIndex: "row", width: 80 },
        { title: "列", dataIndex: "field", width: 160 },
        { title: "原因", dataIndex: "reason" },
      ]}
    />
  );
}

function countsText(c: HistoryItem["counts"]): string {
  const parts = [`共 ${c.rows} 行`];
  if (c.enterprisesCreated) parts.push(`新增企业 ${c.enterprisesCreated} 家`);
  parts.push(`更新 ${c.changed - c.enterprisesCreated} 行`, `未变 ${c.unchanged} 行`, `错误 ${c.bad} 行`);
  if (c.keptVerified) parts.push(`保留已核实 ${c.keptVerified} 行`);
  return parts.join("，");
}

function StateTag({ item }: { item: HistoryItem }) {
  if (!item.finished) return <SafeTag color="warning">中途中断</SafeTag>;
  return item.counts.bad > 0 ? (
    <SafeTag color="warning">有问题行</SafeTag>
  ) : (
    <SafeTag color="success">完成</SafeTag>
  );
}

function HistoryList({ items, loading, narrow }: { items: History; loading: boolean; narrow: boolean }) {
  if (loading)
    return (
      <div role="status" aria-label="加载中">
        <Spin />
      </div>
    );
  if (items.length === 0)
    return <Typography.Paragraph style={{ color: MUTED }}>本区县还没有导入过数据。</Typography.Paragraph>;
  if (narrow)
    return (
      <ul className="hq-cards" aria-label="导入记录">
        {items.map((i) => (
          <li key={i.id}>
            <Card size="small">
              <div style={{ display: "flex", justifyContent: "space-between", gap: 8 }}>
                <span style={{ fontWeight: 600, wordBreak: "break-all" }}>{i.fileName}</span>
                <StateTag item={i} />
              </div>
              <div>
                {kindLabel(i.kind)} · {chongqingTime(i.importedAt)} · {i.importedByName ?? "命令行导入"}
              </div>
              <Typography.Text style={{ color: MUTED, fontSize: 12 }}>{countsText(i.counts)}</Typography.Text>
            </Card>
          </li>
        ))}
      </ul>
    );
  return (
    <Table<HistoryItem>
      size="small"
      rowKey="id"
      dataSource={items}
      pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      scroll={{ x: 900 }}
      columns={[
        { title: "导入时间", dataIndex: "importedAt", width: 150, render: (v: string) => chongqingTime(v) },
        { title: "类型", dataIndex: "kind", width: 100, render: (v: string) => kindLabel(v) },
        { title: "文件", dataIndex: "fileName" },
        {
          title: "导入人",
          dataIndex: "importedByName",
          width: 120,
          render: (v: string | null) => v ?? "命令行导入",
        },
        { title: "共", width: 60, render: (_: unknown, i) => i.counts.rows },
        { title: "新增企业", width: 80, render: (_: unknown, i) => i.counts.enterprisesCreated },
        {
          title: "更新",
          width: 60,
          render: (_: unknown, i) => i.counts.changed - i.counts.enterprisesCreated,
        },
        { title: "未变", width: 60, render: (_: unknown, i) => i.counts.unchanged },
        { title: "错误行", width: 70, render: (_: unknown, i) => i.counts.bad },
        { title: "保留已核实", width: 90, render: (_: unknown, i) => i.counts.keptVerified },
        { title: "状态", width: 100, render: (_: unknown, i) => <StateTag item={i} /> },
      ]}
    />
  );
}

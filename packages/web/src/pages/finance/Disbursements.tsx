/**
 * 兑付管理 (finance): applications on public notice (disbursable the day after the notice ends) and failed
 * payments to re-issue — 「发放」 with a 批次号 (Idempotency-Key per application and batch); payments in
 * progress grouped by batch — 「登记已支付」 / 「登记失败」 with the date and reason; closed payments; and the
 * import of the bank's result file (csv / xlsx) with the reconciliation report. 「发放」 (one row or the selected
 * rows, issued one by one) asks first with the count, the exact total and the 批次号; the import checks only
 * (仅核对) by default, and posting asks first with the number of receipts it will record. Tabs show counts.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Modal,
  Space,
  Statistic,
  Table,
  Tabs,
  Typography,
  Upload,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { Link } from "react-router";
import { api, errorText, ok, yuanExact } from "../../api/client";
import type { paths } from "../../api/schema";
import { ExemptionTag, LINK, MUTED, SafeTag, StatusTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { today, todayDayjs } from "../../dates";

type Summary =
  paths["/api/applications"]["get"]["responses"][200]["content"]["application/json"]["items"][number];
type Report = paths["/api/disbursements/reconcile"]["post"]["responses"][200]["content"]["application/json"];
type ListStatus = "publicNotice" | "disbursing" | "disbursementFailed" | "closed";

function useList(status: ListStatus) {
  return useQuery({
    queryKey: ["applications", "finance", status],
    queryFn: () => ok(api.GET("/api/applications", { params: { query: { status, limit: 200 } } })),
  });
}

const numberCol: ColumnsType<Summary>[number] = {
  title: "申报编号",
  dataIndex: "number",
  render: (v: string) => <span style={{ whiteSpace: "nowrap" }}>{v}</span>,
  sorter: (a, b) => a.number.localeCompare(b.number),
};
const enterpriseCol: ColumnsType<Summary>[number] = {
  title: "企业",
  dataIndex: "enterpriseName",
  sorter: (a, b) => a.enterpriseName.localeCompare(b.enterpriseName, "zh-CN"),
};
const measureCol: ColumnsType<Summary>[number] = {
  title: "措施",
  dataIndex: "measureTitle",
  render: (_, r) => (
    <div>
      <Link style={{ color: LINK }} to={`/review/${r.id}`}>
        {r.measureTitle}
      </Link>
      {r.channel === "exemption" && <ExemptionTag />}
      {!r.accountConfirmed && <SafeTag color="warning">待企业确认收款账户</SafeTag>}
      <div>
        <Typography.Text style={{ color: MUTED, fontSize: 12 }}>{r.measureId}</Typography.Text>
      </div>
    </div>
  ),
};
const amountCol: ColumnsType<Summary>[number] = {
  title: "核定金额",
  dataIndex: "grantedFen",
  align: "right",
  render: (v: number | null) => yuanExact(v),
  sorter: (a, b) => (a.grantedFen ?? 0) - (b.grantedFen ?? 0),
};

const sumFen = (rows: Summary[]) => rows.reduce((s, r) => s + (r.grantedFen ?? 0), 0);

/** 公示中 and 兑付失败: issue (or re-issue) with a batch reference. */
function IssueTab({ status }: { status: "publicNotice" | "disbursementFailed" }) {
  const { message, modal } = App.useApp();
  const q = useList(status);
  const qc = useQueryClient();
  const [batchRef, setBatchRef] = useState(() => `PC${today().replaceAll("-", "")}-01`);
  const [busy, setBusy] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const todayDate = today();
  const items = q.data?.items ?? [];
  const waitingFor = (r: Summary) =>
    status === "publicNotice" && r.noticeUntil !== null && todayDate <= r.noticeUntil;
  // Only rows still listed and disbursable count (a row may have left the list after a refresh).
  const chosen = items.filter((r) => selected.includes(r.id) && !waitingFor(r));

  /** Issues one payment with the existing API; throws the server's error. */
  async function post(r: Summary, ref: string) {
    await ok(
      api.POST("/api/applications/{id}/disbursements", {
        params: {
          path: { id: r.id },
          header: { "idempotency-key": `disburse:${r.id}:${r.version}:${ref}` },
        },
        body: { version: r.version, batchRef: ref },
      }),
    );
  }

  /** Asks before issuing: the count, the exact total and the batch reference. */
  function confirmIssue(rows: Summary[], run: (ref: string) => Promise<void>) {
    const ref = batchRef.trim();
    if (!ref) {
      void message.error("请填写批次号");
      return;
    }
    modal.confirm({
      title: "确认发放",
      content: `将发放 ${rows.length} 笔（${rows.map((r) => r.number).join("、")}），共 ${yuanExact(sumFen(rows))}，批次号 ${ref}。发放后转入「兑付中」，等待银行结果。`,
      okText: "确认发放",
      cancelText: "取消",
      okButtonProps: { autoInsertSpace: false },
      cancelButtonProps: { autoInsertSpace: false },
      onOk: () => run(ref),
    });
  }

  function issue(r: Summary) {
    confirmIssue([r], async (ref) => {
      setBusy(r.id);
      try {
        await post(r, ref);
        void message.success(`已发放：${r.number} ${r.enterpriseName}，批次 ${ref}`);
        setSelected((s) => s.filter((id) => id !== r.id));
        await qc.invalidateQueries({ queryKey: ["applications"] });
      } catch (e) {
        void message.error(errorText(e));
      } finally {
        setBusy(null);
      }
    });
  }

  function issueSelected() {
    const rows = chosen;
    if (rows.length === 0) return;
    confirmIssue(rows, async (ref) => {
      setBusy("batch");
      const failures: { row: Summary; error: string }[] = [];
      let done = 0;
      try {
        // One by one, so a failure leaves the others issued and is reported by name.
        for (const r of rows) {
          try {
            await post(r, ref);
            done += 1;
          } catch (e) {
            failures.push({ row: r, error: errorText(e) });
          }
        }
        const failedIds = new Set(failures.map((f) => f.row.id));
        setSelected((s) => s.filter((id) => failedIds.has(id)));
        await qc.invalidateQueries({ queryKey: ["applications"] });
      } finally {
        setBusy(null);
      }
      if (failures.length === 0) {
        void message.success(`已发放 ${done} 笔，批次 ${ref}`);
      } else {
        modal.warning({
          title: `发放完成：成功 ${done} 笔，失败 ${failures.length} 笔`,
          okText: "知道了",
          okButtonProps: { autoInsertSpace: false },
          content: (
            <ul style={{ paddingLeft: 20, margin: 0 }}>
              {failures.map((f) => (
                <li key={f.row.id}>
                  {f.row.number} {f.row.enterpriseName}（{yuanExact(f.row.grantedFen)}）：{f.error}
                </li>
              ))}
            </ul>
          ),
        });
      }
    });
  }

  const columns: ColumnsType<Summary> = [
    numberCol,
    enterpriseCol,
    measureCol,
    amountCol,
    status === "publicNotice"
      ? {
          title: "公示截止",
          dataIndex: "noticeUntil",
          sorter: (a, b) => (a.noticeUntil ?? "").localeCompare(b.noticeUntil ?? ""),
          render: (v: string | null) =>
            v ? (
              <Space size={4} wrap>
                <span>{v}</span>
                {todayDate > v ? <SafeTag color="success">可兑付</SafeTag> : <SafeTag>公示期内</SafeTag>}
              </Space>
            ) : (
              "—"
            ),
        }
      : { title: "原批次号", dataIndex: "batchRef", render: (v: string | null) => v ?? "—" },
    {
      title: "操作",
      key: "action",
      render: (_, r) => {
        const waiting = waitingFor(r);
        return (
          <Button
            autoInsertSpace={false}
            type="primary"
            size="small"
            loading={busy === r.id}
            disabled={waiting || (busy !== null && busy !== r.id)}
            title={waiting ? `公示期至 ${r.noticeUntil}，期满后可发放` : undefined}
            aria-label={`发放 ${r.enterpriseName}`}
            onClick={() => issue(r)}
          >
            发放
          </Button>
        );
      },
    },
  ];

  return (
    <>
      <Form layout="inline" style={{ marginBottom: 12 }}>
        <Form.Item label="批次号" htmlFor="batch-ref" required>
          <Input
            id="batch-ref"
            value={batchRef}
            onChange={(e) => setBatchRef(e.target.value)}
            maxLength={64}
            style={{ width: 220 }}
          />
        </Form.Item>
        <Form.Item>
          <Button
            autoInsertSpace={false}
            type="primary"
            disabled={chosen.length === 0 || busy !== null}
            loading={busy === "batch"}
            onClick={issueSelected}
          >
            {chosen.length === 0
              ? "发放所选"
              : `发放所选（${chosen.length} 笔，共 ${yuanExact(sumFen(chosen))}）`}
          </Button>
        </Form.Item>
        <Typography.Text style={{ color: MUTED, lineHeight: "32px" }}>
          勾选多行批量发放，或按行「发放」；同一批次号的兑付归入同一批次
        </Typography.Text>
      </Form>
      {q.error ? (
        <Alert type="error" showIcon title="加载失败" description={errorText(q.error)} />
      ) : (
        <Table<Summary>
          rowKey="id"
          loading={q.isLoading}
          columns={columns}
          dataSource={items}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: (keys) => setSelected(keys.map(String)),
            preserveSelectedRowKeys: false,
            getCheckboxProps: (r) => ({
              disabled: waitingFor(r) || busy !== null,
              "aria-label": `选择 ${r.enterpriseName}`,
            }),
          }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{
            emptyText: (
              <span style={{ color: MUTED }}>
                {status === "publicNotice" ? "没有公示中的申报" : "没有兑付失败的申报"}
              </span>
            ),
          }}
        />
      )}
    </>
  );
}

interface ResultTarget {
  row: Summary;
  status: "paid" | "failed";
}

function ResultModal({ target, onClose }: { target: ResultTarget | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ date: Dayjs; reason?: string }>();
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const failed = target?.status === "failed";
  return (
    <Modal
      open={target !== null}
      title={target ? `${failed ? "登记失败" : "登记已支付"}：${target.row.enterpriseName}` : ""}
      okText="确定"
      cancelText="取消"
      okButtonProps={{ autoInsertSpace: false }}
      cancelButtonProps={{ autoInsertSpace: false }}
      confirmLoading={busy}
      destroyOnHidden
      onCancel={onClose}
      onOk={async () => {
        if (!target) return;
        let v: { date: Dayjs; reason?: string };
        try {
          v = await form.validateFields();
        } catch {
          return;
        }
        setBusy(true);
        try {
          await ok(
            api.POST("/api/applications/{id}/disbursements/result", {
              params: { path: { id: target.row.id } },
              body: {
                version: target.row.version,
                status: target.status,
                date: v.date.format("YYYY-MM-DD"),
                ...(failed && v.reason ? { reason: v.reason.trim() } : {}),
              },
            }),
          );
          void message.success(failed ? "已登记兑付失败" : "已登记支付，申报办结");
          await qc.invalidateQueries({ queryKey: ["applications"] });
          onClose();
        } catch (e) {
          void message.error(errorText(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {target && (
        <Form form={form} layout="vertical" initialValues={{ date: todayDayjs() }} preserve={false}>
          <Typography.Paragraph>
            批次 {target.row.batchRef}，金额 {yuanExact(target.row.grantedFen)}
          </Typography.Paragraph>
          <Form.Item
            label={failed ? "失败日期" : "到账日期"}
            name="date"
            rules={[{ required: true, message: "请选择日期" }]}
          >
            <DatePicker disabledDate={(d) => d.isAfter(todayDayjs(), "day")} />
          </Form.Item>
          {failed && (
            <Form.Item
              label="失败原因"
              name="reason"
              rules={[
                { required: true, whitespace: true, message: "请填写失败原因" },
                { min: 2, message: "至少 2 个字" },
              ]}
            >
              <Input.TextArea rows={3} maxLength={1000} placeholder="如：收款账户已销户" />
            </Form.Item>
          )}
        </Form>
      )}
    </Modal>
  );
}

/** 兑付中: grouped by batch reference. */
function DisbursingTab() {
  const q = useList("disbursing");
  const [target, setTarget] = useState<ResultTarget | null>(null);
  const batches = new Map<string, Summary[]>();
  for (const r of q.data?.items ?? []) {
    const k = r.batchRef ?? "（无批次号）";
    batches.set(k, [...(batches.get(k) ?? []), r]);
  }
  const columns: ColumnsType<Summary> = [
    numberCol,
    enterpriseCol,
    measureCol,
    amountCol,
    {
      title: "操作",
      key: "action",
      render: (_, r) => (
        <Space wrap>
          <Button size="small" type="primary" onClick={() => setTarget({ row: r, status: "paid" })}>
            登记已支付
          </Button>
          <Button
            size="small"
            danger
            style={{ color: "#a8071a", borderColor: "#a8071a" }}
            onClick={() => setTarget({ row: r, status: "failed" })}
          >
            登记失败
          </Button>
        </Space>
      ),
    },
  ];
  if (q.error) return <Alert type="error" showIcon title="加载失败" description={errorText(q.error)} />;
  if (q.isLoading) return <Table loading columns={[]} dataSource={[]} />;
  return (
    <>
      {batches.size === 0 && (
        <Typography.Paragraph style={{ color: MUTED }}>没有兑付中的申报</Typography.Paragraph>
      )}
      {[...batches].map(([ref, rows]) => (
        <Card
          key={ref}
          size="small"
          style={{ marginBottom: 12 }}
          title={`批次 ${ref}`}
          extra={`${rows.length} 笔，合计 ${yuanExact(sumFen(rows))}`}
        >
          <Table<Summary> rowKey="id" size="small" columns={columns} dataSource={rows} pagination={false} />
        </Card>
      ))}
      <ResultModal target={target} onClose={() => setTarget(null)} />
    </>
  );
}

function ClosedTab() {
  const q = useList("closed");
  if (q.error) return <Alert type="error" showIcon title="加载失败" description={errorText(q.error)} />;
  return (
    <Table<Summary>
      rowKey="id"
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: <span style={{ color: MUTED }}>{"没有已办结的兑付"}</span> }}
      columns={[
        numberCol,
        enterpriseCol,
        measureCol,
        amountCol,
        {
          title: "批次号",
          dataIndex: "batchRef",
          render: (v: string | null) => v ?? "—",
          sorter: (a, b) => (a.batchRef ?? "").localeCompare(b.batchRef ?? ""),
        },
        {
          title: "状态",
          key: "status",
          render: (_, r) => <StatusTag status={r.status} label={r.statusLabel} />,
        },
      ]}
      summary={(rows) => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={2}>
            合计（本页）
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            {yuanExact(sumFen([...rows]))}
          </Table.Summary.Cell>
          <Table.Summary.Cell index={3} colSpan={2} />
        </Table.Summary.Row>
      )}
    />
  );
}

const TEMPLATE =
  "\uFEFF批次号,申报编号,收款单位,金额（元）,状态,日期,失败原因\r\nPC20260310-01,,重庆某某有限公司,150000.00,成功,2026-03-11,\r\n";

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(new Error("读取文件失败"));
    r.readAsDataURL(file);
  });
}

function ReconcileTab() {
  const { modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  // 仅核对 by default: posting results cannot be undone.
  const [dryRun, setDryRun] = useState(true);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const qc = useQueryClient();
  const fenCell = (v: number | null) => (v === null ? "—" : yuanExact(v));
  const statusCell = (v: string | null) => (v === "paid" ? "成功" : v === "failed" ? "失败" : "—");
  return (
    <>
      <Typography.Paragraph>
        导入银行返回的结果文件（.csv 或
        .xlsx）。列：批次号或申报编号、金额（元）、状态（成功／失败）、日期、失败原因，可另加收款单位。
        按批次号＋金额（或申报编号）匹配兑付中的申报并登记结果；金额不符、找不到或已登记过的行不登记，列在报告中。
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Upload
          accept=".csv,.xlsx"
          showUploadList={false}
          beforeUpload={async (file) => {
            setBusy(true);
            setError(null);
            try {
              const contentBase64 = await readBase64(file);
              const reconcile = (dry: boolean) =>
                ok(
                  api.POST("/api/disbursements/reconcile", {
                    body: { fileName: file.name, contentBase64, dryRun: dry },
                  }),
                );
              // Always check first; posting asks with the number of receipts it will record.
              const check = await reconcile(true);
              setReport(check);
              // A dry run's totals stay 0 (nothing recorded): add the matched rows' amounts here.
              const fenOf = (st: "paid" | "failed") =>
                check.matched.filter((m) => m.status === st).reduce((t, m) => t + (m.amountFen ?? 0), 0);
              const paid = check.matched.filter((m) => m.status === "paid").length;
              const failed = check.matched.filter((m) => m.status === "failed").length;
              if (dryRun || paid + failed === 0) return false;
              const go = await new Promise<boolean>((resolve) => {
                modal.confirm({
                  title: "确认导入入账",
                  content: `导入入账将把 ${paid + failed} 条回单登记为已支付/失败（已支付 ${paid} 条，共 ${yuanExact(fenOf("paid"))}；失败 ${failed} 条，共 ${yuanExact(fenOf("failed"))}），不能撤销。金额不符和未匹配的行不登记。`,
                  okText: "确认入账",
                  cancelText: "取消",
                  okButtonProps: { autoInsertSpace: false },
                  cancelButtonProps: { autoInsertSpace: false },
                  onOk: () => resolve(true),
                  onCancel: () => resolve(false),
                });
              });
              if (!go) return false;
              setReport(await reconcile(false));
              await qc.invalidateQueries({ queryKey: ["applications"] });
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
            return false;
          }}
        >
          <Button type="primary" loading={busy}>
            导入银行回单
          </Button>
        </Upload>
        <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>
          仅核对，不登记
        </Checkbox>
        <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE)}`} download="银行回单模板.csv">
          下载 CSV 模板
        </a>
      </Space>
      {error ? (
        <Alert
          type="error"
          showIcon
          title="导入失败"
          description={errorText(error)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {report && (
        <Card title={`对账报告：${report.fileName}${report.dryRun ? "（仅核对，未登记）" : ""}`}>
          <Space size={32} wrap style={{ marginBottom: 16 }}>
            <Statistic title="数据行" value={report.rows} />
            <Statistic title="已匹配" value={report.matched.length} />
            <Statistic title="未匹配" value={report.unmatched.length} />
            <Statistic title="金额不符" value={report.mismatches.length} />
            <Statistic title="登记已到账" value={yuanExact(report.totals.paidFen)} />
            <Statistic title="登记失败" value={yuanExact(report.totals.failedFen)} />
          </Space>
          <Typography.Title level={5}>已匹配</Typography.Title>
          <Table
            size="small"
            rowKey="row"
            pagination={false}
            dataSource={report.matched}
            locale={{ emptyText: <span style={{ color: MUTED }}>{"无"}</span> }}
            columns={[
              { title: "行号", dataIndex: "row" },
              { title: "申报编号", dataIndex: "applicationNumber" },
              { title: "企业", dataIndex: "enterpriseName" },
              { title: "批次号", dataIndex: "batchRef" },
              { title: "金额", dataIndex: "amountFen", render: fenCell },
              { title: "结果", dataIndex: "status", render: statusCell },
              { title: "日期", dataIndex: "date" },
              {
                title: "登记",
                dataIndex: "recorded",
                render: (v: boolean) =>
                  v ? <SafeTag color="success">已登记</SafeTag> : <SafeTag>未登记</SafeTag>,
              },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            金额不符
          </Typography.Title>
          <Table
            size="small"
            rowKey="row"
            pagination={false}
            dataSource={report.mismatches}
            locale={{ emptyText: <span style={{ color: MUTED }}>{"无"}</span> }}
            columns={[
              { title: "行号", dataIndex: "row" },
              { title: "申报编号", dataIndex: "applicationNumber" },
              { title: "企业", dataIndex: "enterpriseName" },
              { title: "批次号", dataIndex: "batchRef" },
              { title: "文件金额", dataIndex: "amountFen", render: fenCell },
              { title: "兑付金额", dataIndex: "expectedFen", render: fenCell },
              { title: "说明", dataIndex: "reason" },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            未匹配
          </Typography.Title>
          <Table
            size="small"
            rowKey="row"
            pagination={false}
            dataSource={report.unmatched}
            locale={{ emptyText: <span style={{ color: MUTED }}>{"无"}</span> }}
            columns={[
              { title: "行号", dataIndex: "row" },
              { title: "批次号", dataIndex: "batchRef", render: (v: string | null) => v ?? "—" },
              { title: "申报编号", dataIndex: "applicationId", render: (v: string | null) => v ?? "—" },
              { title: "金额", dataIndex: "amountFen", render: fenCell },
              { title: "结果", dataIndex: "status", render: statusCell },
              { title: "原因", dataIndex: "reason" },
            ]}
          />
        </Card>
      )}
    </>
  );
}

/** A tab's label with its count once loaded, e.g. 兑付中（3）. */
function Counted({ label, status }: { label: string; status: ListStatus }) {
  const q = useList(status);
  return <>{q.data ? `${label}（${q.data.total}）` : label}</>;
}

export default function Disbursements() {
  const [tab, setTab] = useState("publicNotice");
  return (
    <Page title="兑付管理">
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          {
            key: "publicNotice",
            label: <Counted label="公示中" status="publicNotice" />,
            children: <IssueTab status="publicNotice" />,
          },
          {
            key: "disbursing",
            label: <Counted label="兑付中" status="disbursing" />,
            children: <DisbursingTab />,
          },
          {
            key: "disbursementFailed",
            label: <Counted label="兑付失败" status="disbursementFailed" />,
            children: <IssueTab status="disbursementFailed" />,
          },
          { key: "closed", label: <Counted label="已办结" status="closed" />, children: <ClosedTab /> },
          { key: "reconcile", label: "银行回单对账", children: <ReconcileTab /> },
        ]}
      />
    </Page>
  );
}

/**
 * 免申即享名单 (/exemption/:doc/:item, the measure's lead department): the district's enterprises the batch
 * lists hold as eligible, each judged again now — exact amount (元, two decimals), the facts the decision rests
 * on with their source (部门数据 file, row, import date; 企业填报; 已核实), and on expanding the engine's
 * explanation (the renderer of the review page). Excluded, already granted and self-applied enterprises are
 * marked, not dropped. Select → 确认兑现 (a dialog with the count and exact total), 排除 or 恢复 (reason required);
 * confirmed grants still waiting for their public notice can be put on notice from here.
 */
import { factKeyType, type MeasureExplanation } from "@huiqi/engine";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Input, List, Modal, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api, errorText, ok, yuanExact } from "../../api/client";
import type { paths } from "../../api/schema";
import { ExemptionTag, LINK, MUTED, SafeTag, StatusTag } from "../../components/ApplicationTags";
import { Page } from "../../components/Page";
import { dateTime } from "../../dates";
import { Explanation as ExplanationLines, useGlossary } from "../enterprise/ExplainTree";
import { EXEMPTION_MEANING } from "./ExemptionMeasures";
import { FactValue } from "./FactsTable";

type ListBody =
  paths["/api/exemption/measures/{documentId}/{item}/enterprises"]["get"]["responses"][200]["content"]["application/json"];
type Row = ListBody["items"][number];
type Evidence = Row["evidence"][number];
type ConfirmResult =
  paths["/api/exemption/measures/{documentId}/{item}/confirm"]["post"]["responses"][200]["content"]["application/json"]["results"][number];

const STATE_COLORS: Record<Row["state"], string> = {
  confirmable: "success",
  refused: "warning",
  excluded: "default",
  granted: "purple",
  applied: "processing",
};

/** One fact with its value and provenance: 部门数据 statistics.csv 第 15 行 · 导入于 …. */
function EvidenceLine({ e }: { e: Evidence }) {
  const g = useGlossary();
  const source =
    e.source === "import"
      ? `${e.sourceLabel}：${e.importFile ?? "导入文件"}${e.importRow ? ` 第 ${e.importRow} 行` : ""}${e.at ? ` · 导入于 ${dateTime(e.at)}` : ""}`
      : e.source === "verified" && e.at
        ? `${e.sourceLabel} · ${dateTime(e.at)}`
        : e.sourceLabel;
  return (
    <div style={{ marginBottom: 4 }}>
      <span style={{ fontWeight: 500 }}>{e.label}</span>：
      {g ? <FactValue value={e.value} ty={factKeyType(e.key, g)} g={g} /> : String(e.value)}
      {e.unit ? ` ${e.unit}` : ""}
      <div>
        <SafeTag color={e.source === "import" ? "blue" : e.source === "verified" ? "green" : "default"}>
          {e.sourceLabel}
        </SafeTag>
        <span style={{ color: MUTED, fontSize: 12 }}>{source === e.sourceLabel ? "" : source}</span>
      </div>
    </div>
  );
}

/** The expanded row: the engine's explanation for this enterprise, as the review page renders it. */
function Detail({ measureId, enterpriseId }: { measureId: string; enterpriseId: string }) {
  const [documentId = "", item = ""] = measureId.split("/");
  const q = useQuery({
    queryKey: ["exemption", "detail", measureId, enterpriseId],
    queryFn: () =>
      ok(
        api.GET("/api/exemption/measures/{documentId}/{item}/enterprises/{enterpriseId}", {
          params: { path: { documentId, item, enterpriseId } },
        }),
      ),
  });
  if (q.isLoading) return <Typography.Text style={{ color: MUTED }}>正在按当前数据测算…</Typography.Text>;
  if (q.error) return <Alert type="error" showIcon title="测算失败" description={errorText(q.error)} />;
  const d = q.data;
  if (!d) return null;
  return (
    <div>
      <Typography.Paragraph style={{ marginBottom: 8 }}>
        引擎解释（测算日 {d.asOf}，按当日有效的已发布政策）：
      </Typography.Paragraph>
      {d.explanation ? (
        <ExplanationLines ex={d.explanation as unknown as MeasureExplanation} header notes />
      ) : null}
    </div>
  );
}

export default function ExemptionList() {
  const { doc = "", item = "" } = useParams();
  const measureId = `${doc}/${item}`;
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const after = cursors.at(-1);
  const [selected, setSelected] = useState<string[]>([]);
  const [results, setResults] = useState<ConfirmResult[] | null>(null);
  // The reason dialog, for 排除 or 恢复 (putting an excluded enterprise back on the list).
  const [reasonFor, setReasonFor] = useState<"exclude" | "restore" | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const measures = useQuery({
    queryKey: ["exemption", "measures"],
    queryFn: () => ok(api.GET("/api/exemption/measures")),
  });
  const m = measures.data?.items.find((x) => x.measureId === measureId);
  const q = useQuery({
    queryKey: ["exemption", "list", measureId, after ?? ""],
    queryFn: () =>
      ok(
        api.GET("/api/exemption/measures/{documentId}/{item}/enterprises", {
          params: { path: { documentId: doc, item }, query: { limit: 50, ...(after ? { after } : {}) } },
        }),
      ),
  });
  const rows = q.data?.items ?? [];
  const chosen = rows.filter((r) => selected.includes(r.enterpriseId));
  const toConfirm = chosen.filter((r) => r.state === "confirmable" && r.amountFen !== null);
  const toExclude = chosen.filter((r) => r.state === "confirmable" || r.state === "refused");
  const toRestore = chosen.filter((r) => r.state === "excluded");
  const toNotice = chosen.filter((r) => r.state === "granted" && r.application?.status === "approved");
  const total = toConfirm.reduce((s, r) => s + (r.amountFen ?? 0), 0);

  async function refresh() {
    setSelected([]);
    await qc.invalidateQueries({ queryKey: ["exemption"] });
  }

  function confirm() {
    if (toConfirm.length === 0) return;
    modal.confirm({
      title: "确认免申即享兑现",
      width: 560,
      content: (
        <div>
          <p style={{ margin: 0 }}>
            将为 {toConfirm.length} 家企业生成已通过的免申即享兑付，共 {yuanExact(total)}。
          </p>
          <p style={{ margin: "8px 0 0" }}>
            {toConfirm.map((r) => `${r.enterpriseName}（${yuanExact(r.amountFen)}）`).join("、")}
          </p>
          <p style={{ margin: "8px 0 0", color: MUTED }}>
            确认时逐家按当前数据重新测算（含从高不重复），不再符合、金额有变或已有申报的企业不生成并说明原因。生成后通知企业确认收款账户，照常公示、兑付。
          </p>
        </div>
      ),
      okText: "确认兑现",
      cancelText: "取消",
      okButtonProps: { autoInsertSpace: false },
      cancelButtonProps: { autoInsertSpace: false },
      onOk: async () => {
        try {
          const r = await ok(
            api.POST("/api/exemption/measures/{documentId}/{item}/confirm", {
              params: { path: { documentId: doc, item } },
              body: {
                items: toConfirm.map((x) => ({ enterpriseId: x.enterpriseId, amountFen: x.amountFen ?? 0 })),
              },
            }),
          );
          setResults(r.results);
          const n = r.results.filter((x) => x.result === "granted").length;
          void message.success(`已生成 ${n} 笔免申即享兑现`);
          await refresh();
        } catch (e) {
          void message.error(errorText(e));
        }
      },
    });
  }

  async function withReason() {
    const verb = reasonFor === "restore" ? "恢复" : "排除";
    if (reason.trim().length < 2) {
      void message.error(`请写明${verb}理由`);
      return;
    }
    setBusy(true);
    try {
      const body = {
        enterpriseIds: (reasonFor === "restore" ? toRestore : toExclude).map((x) => x.enterpriseId),
        reason: reason.trim(),
      };
      const params = { path: { documentId: doc, item } };
      const r =
        reasonFor === "restore"
          ? await ok(api.POST("/api/exemption/measures/{documentId}/{item}/restore", { params, body }))
          : await ok(api.POST("/api/exemption/measures/{documentId}/{item}/exclude", { params, body }));
      const n = r.results.filter((x) => x.result !== "refused").length;
      void message.success(`已${verb} ${n} 家企业`);
      for (const x of r.results)
        if (x.result === "refused")
          void message.warning(
            `${rows.find((y) => y.enterpriseId === x.enterpriseId)?.enterpriseName ?? "企业"}：${x.reason ?? "未处理"}`,
          );
      setReasonFor(null);
      setReason("");
      await refresh();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  function publishNotice() {
    modal.confirm({
      title: "发起公示",
      content: `将对 ${toNotice.length} 笔已确认的免申即享兑现（${toNotice.map((r) => r.application?.number).join("、")}）发起公示，公示期满后由财政局兑付。`,
      okText: "发起公示",
      cancelText: "取消",
      okButtonProps: { autoInsertSpace: false },
      cancelButtonProps: { autoInsertSpace: false },
      onOk: async () => {
        let done = 0;
        for (const r of toNotice) {
          if (!r.application) continue;
          try {
            await ok(
              api.POST("/api/applications/{id}/public-notice", {
                params: { path: { id: r.application.id } },
                body: { version: r.application.version },
              }),
            );
            done++;
          } catch (e) {
            void message.error(`${r.enterpriseName}：${errorText(e)}`);
          }
        }
        if (done) void message.success(`已发起公示 ${done} 笔`);
        await refresh();
      },
    });
  }

  const columns: ColumnsType<Row> = [
    {
      title: "企业",
      key: "enterprise",
      render: (_, r) => (
        <div>
          <div style={{ fontWeight: 500 }}>{r.enterpriseName}</div>
          <Typography.Text style={{ color: MUTED, fontSize: 12 }}>{r.uscc}</Typography.Text>
        </div>
      ),
    },
    {
      title: "金额",
      key: "amount",
      align: "right",
      render: (_, r) =>
        r.amountFen !== null ? (
          <span style={{ whiteSpace: "nowrap" }}>{yuanExact(r.amountFen)}</span>
        ) : r.amountMin !== null ? (
          <span style={{ color: MUTED }}>
            {r.amountMax === null
              ? `${yuanExact(r.amountMin)} 起`
              : `${yuanExact(r.amountMin)}～${yuanExact(r.amountMax)}`}
          </span>
        ) : (
          "—"
        ),
    },
    {
      title: "状态",
      key: "state",
      render: (_, r) => (
        <div>
          <SafeTag color={STATE_COLORS[r.state]}>{r.stateLabel}</SafeTag>
          {r.application && (
            <div style={{ marginTop: 4 }}>
              <Link style={{ color: LINK }} to={`/review/${r.application.id}`}>
                {r.application.number}
              </Link>{" "}
              <StatusTag status={r.application.status} label={r.application.statusLabel} />
            </div>
          )}
          {r.reason && <div style={{ color: MUTED, fontSize: 12, marginTop: 4 }}>{r.reason}</div>}
        </div>
      ),
    },
    {
      title: "依据（事实与来源）",
      key: "evidence",
      render: (_, r) =>
        r.evidence.length === 0 ? (
          <span style={{ color: MUTED }}>企业登记信息</span>
        ) : (
          r.evidence.map((e) => <EvidenceLine key={e.key} e={e} />)
        ),
    },
  ];

  return (
    <Page title={m ? `免申即享名单：${m.title}` : "免申即享名单"} error={q.error}>
      <Space direction="vertical" style={{ width: "100%" }} size={16}>
        <Alert type="info" showIcon title={EXEMPTION_MEANING} />
        {m && (
          <Card size="small">
            <Space wrap>
              <ExemptionTag />
              <span>{m.docNumber}</span>
              <span>牵头单位 {m.leadDepartmentName}</span>
              <span>
                已确认兑现 {m.granted} 家，共 {yuanExact(m.grantedFen)}
              </span>
            </Space>
          </Card>
        )}
        {results && (
          <Alert
            type={results.some((r) => r.result === "refused") ? "warning" : "success"}
            showIcon
            closable
            onClose={() => setResults(null)}
            title="确认结果"
            description={
              <List
                size="small"
                dataSource={results}
                renderItem={(r) => (
                  <List.Item>
                    {r.enterpriseName}：
                    {r.result === "granted"
                      ? `已生成兑现 ${r.number ?? ""}，${yuanExact(r.amountFen)}`
                      : r.result === "already"
                        ? `已确认过（${r.number ?? ""}），未重复生成`
                        : `未生成：${r.reason ?? ""}`}
                  </List.Item>
                )}
              />
            }
          />
        )}
        <Space wrap>
          <Button type="primary" disabled={toConfirm.length === 0} onClick={confirm} autoInsertSpace={false}>
            确认兑现（{toConfirm.length} 家，{yuanExact(total)}）
          </Button>
          <Button
            disabled={toExclude.length === 0}
            onClick={() => setReasonFor("exclude")}
            autoInsertSpace={false}
            style={toExclude.length ? { color: "#a8071a", borderColor: "#ffa39e" } : undefined}
          >
            排除（{toExclude.length} 家）
          </Button>
          <Button
            disabled={toRestore.length === 0}
            onClick={() => setReasonFor("restore")}
            autoInsertSpace={false}
          >
            恢复（{toRestore.length} 家）
          </Button>
          <Button disabled={toNotice.length === 0} onClick={publishNotice} autoInsertSpace={false}>
            发起公示（{toNotice.length} 笔）
          </Button>
        </Space>
        {/* No scroll.x: antd's hidden measure row then holds the selection checkboxes (axe: aria-hidden-focus). */}
        <div style={{ overflowX: "auto" }}>
          <Table<Row>
            rowKey="enterpriseId"
            size="small"
            loading={q.isLoading}
            dataSource={rows}
            columns={columns}
            pagination={false}
            aria-label="免申即享名单"
            locale={{ emptyText: "本区县暂无符合该措施的企业（导入部门数据后名单随之更新）" }}
            rowSelection={{
              selectedRowKeys: selected,
              onChange: (keys) => setSelected(keys.map(String)),
              getCheckboxProps: (r) => ({
                disabled:
                  r.state === "applied" || (r.state === "granted" && r.application?.status !== "approved"),
                "aria-label": `选择 ${r.enterpriseName}`,
              }),
            }}
            expandable={{
              expandedRowRender: (r) => <Detail measureId={measureId} enterpriseId={r.enterpriseId} />,
              expandIcon: ({ expanded, onExpand, record }) => (
                <Button
                  size="small"
                  type="link"
                  style={{ color: LINK, padding: 0 }}
                  aria-expanded={expanded}
                  onClick={(e) => onExpand(record, e)}
                  autoInsertSpace={false}
                >
                  {expanded ? "收起解释" : "查看解释"}
                </Button>
              ),
            }}
          />
        </div>
        <Space>
          <Button
            disabled={cursors.length <= 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
            autoInsertSpace={false}
          >
            上一页
          </Button>
          <Button
            disabled={!q.data?.nextAfter}
            onClick={() => setCursors((c) => [...c, q.data?.nextAfter ?? undefined])}
            autoInsertSpace={false}
          >
            下一页
          </Button>
        </Space>
      </Space>
      <Modal
        title={reasonFor === "restore" ? "恢复所选企业" : "排除所选企业"}
        open={reasonFor !== null}
        onCancel={() => setReasonFor(null)}
        onOk={withReason}
        okText={reasonFor === "restore" ? "确认恢复" : "确认排除"}
        cancelText="取消"
        okButtonProps={{ autoInsertSpace: false, loading: busy, disabled: reason.trim().length < 2 }}
        cancelButtonProps={{ autoInsertSpace: false }}
      >
        {reasonFor === "restore" ? (
          <p>
            将把 {toRestore.map((r) => r.enterpriseName).join("、")}{" "}
            恢复到本措施的免申即享名单，之后可以确认兑现；原排除理由保留在审计日志中。请写明理由（记入审计）：
          </p>
        ) : (
          <p>
            将把 {toExclude.map((r) => r.enterpriseName).join("、")}{" "}
            排除出本措施的免申即享名单，不生成兑现。请写明理由（记入审计）：
          </p>
        )}
        <Input.TextArea
          aria-label={reasonFor === "restore" ? "恢复理由" : "排除理由"}
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          rows={3}
        />
      </Modal>
    </Page>
  );
}

/**
 * 导入通知原文 (policy admin, /admin/documents/new): upload a notice (.txt, .docx, .pdf) or paste its text →
 * the draft beside the cleaned source, every extracted field highlighted at its span → 采纳 / 修改 / 不采纳
 * per field → saved as a draft revision, then on to the editor.
 */
import { useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Collapse,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Spin,
  Tabs,
  Typography,
  Upload,
} from "antd";
import { type ReactNode, useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { api, errorText, ok } from "../../../api/client";
import { Page } from "../../../components/Page";
import { BENEFIT_LABELS } from "../../../components/policy";
import { useNarrow } from "../../../components/useNarrow";
import { ToneTag } from "../../../components/ValidityTag";
import {
  type AllFields,
  allFields,
  type Decision,
  effectiveStatus,
  type FieldSpec,
  type Ingested,
  type MeasureExtras,
  otherFlags,
  pendingCount,
  type ReviewState,
  reviewedDocument,
  type Span,
} from "./review-model";
import {
  DOCUMENT_ID,
  defaultBenefitType,
  defaultWho,
  firstSentence,
  reviewProblems,
  toDocumentFiles,
} from "./to-files";

const MAX_BYTES = 15 * 1024 * 1024;
const WARN = "#ad4e00";

const STATUS_TAG: Record<string, { tone: string; text: string }> = {
  pending: { tone: "orange", text: "待处理" },
  accepted: { tone: "green", text: "已采纳" },
  edited: { tone: "blue", text: "已修改" },
  rejected: { tone: "grey", text: "不采纳" },
};

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(new Error(`无法读取文件 ${file.name}`));
    r.readAsDataURL(file);
  });
}

/** Step 1: a file or pasted text → the server's draft. */
function Pick({ onDone }: { onDone: (r: Ingested) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [text, setText] = useState("");
  const run = async (body: { fileName: string; contentBase64?: string; text?: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      onDone(await ok(api.POST("/api/policy-documents/ingest", { body })));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card>
      <Spin spinning={busy} tip="正在识别…">
        <Tabs
          items={[
            {
              key: "file",
              label: "上传文件",
              children: (
                <Space direction="vertical">
                  <Typography.Text>
                    选择通知原文：Word（.docx）、PDF（有文字层，扫描件需先做文字识别）或纯文本（.txt），不超过
                    15 MB。
                  </Typography.Text>
                  <Upload
                    accept=".txt,.docx,.pdf"
                    showUploadList={false}
                    beforeUpload={async (file) => {
                      if (file.size > MAX_BYTES) {
                        setError(`文件 ${file.name} 超过 15 MB，请压缩或拆分后再导入`);
                        return false;
                      }
                      try {
                        await run({ fileName: file.name, contentBase64: await readBase64(file) });
                      } catch (e) {
                        setError((e as Error).message);
                      }
                      return false;
                    }}
                  >
                    <Button autoInsertSpace={false} type="primary">
                      选择文件
                    </Button>
                  </Upload>
                </Space>
              ),
            },
            {
              key: "paste",
              label: "粘贴正文",
              children: (
                <Space direction="vertical" style={{ width: "100%" }}>
                  <Input.TextArea
                    aria-label="通知正文"
                    placeholder="把通知全文（含文号、标题、正文各条和落款）粘贴到这里"
                    autoSize={{ minRows: 8, maxRows: 20 }}
                    value={text}
                    onChange={(e) => setText(e.target.value)}
                  />
                  <Button
                    autoInsertSpace={false}
                    type="primary"
                    disabled={!text.trim()}
                    onClick={() => run({ fileName: "粘贴的正文", text })}
                  >
                    识别
                  </Button>
                </Space>
              ),
            },
          ]}
        />
        {error && (
          <Alert type="error" showIcon title="无法导入" description={error} style={{ marginTop: 12 }} />
        )}
      </Spin>
    </Card>
  );
}

/** The cleaned source with every field's span marked; the active span stronger and scrolled to. */
function Source({ text, spans, active }: { text: string; spans: Span[]; active?: Span }) {
  const cuts = new Set<number>([0, text.length]);
  for (const s of [...spans, ...(active ? [active] : [])]) {
    cuts.add(Math.max(0, Math.min(s[0] ?? 0, text.length)));
    cuts.add(Math.max(0, Math.min(s[1] ?? 0, text.length)));
  }
  const points = [...cuts].sort((x, y) => x - y);
  const out: ReactNode[] = [];
  let first = true;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] ?? 0;
    const b = points[i + 1] ?? 0;
    const piece = text.slice(a, b);
    const inActive = active !== undefined && a >= (active[0] ?? 0) && b <= (active[1] ?? 0);
    const marked = spans.some(([x = 0, y = 0]) => a >= x && b <= y);
    if (inActive) {
      out.push(
        <mark
          key={a}
          id={first ? "import-active-span" : undefined}
          style={{ background: "#ffd591", color: "#000", outline: "2px solid #873800" }}
        >
          {piece}
        </mark>,
      );
      first = false;
    } else if (marked)
      out.push(
        <mark key={a} style={{ background: "#fff1b8", color: "#000" }}>
          {piece}
        </mark>,
      );
    else out.push(piece);
  }
  return (
    <section
      aria-label="通知原文（识别出的内容已标出）"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe).
      tabIndex={0}
      style={{
        whiteSpace: "pre-wrap",
        lineHeight: 1.8,
        maxHeight: "75vh",
        overflow: "auto",
        padding: 12,
        border: "1px solid #d9d9d9",
        borderRadius: 6,
        background: "#fff",
      }}
    >
      {out}
    </section>
  );
}

function FieldEditor({ f, d, onChange }: { f: FieldSpec; d: Decision; onChange: (d: Decision) => void }) {
  const label = f.label;
  if (f.kind === "select" || f.kind === "yesno")
    return (
      <Select
        aria-label={label}
        showSearch={{ optionFilterProp: "label" }}
        style={{ width: "100%", maxWidth: 360 }}
        placeholder="请选择"
        value={d.value || undefined}
        options={
          f.kind === "yesno"
            ? [
                { value: "true", label: "是（给予资金）" },
                { value: "false", label: "否（非资金支持）" },
              ]
            : f.options
        }
        onChange={(v: string) => onChange({ ...d, value: v })}
      />
    );
  if (f.kind === "date")
    return (
      <Input
        type="date"
        aria-label={label}
        style={{ maxWidth: 200 }}
        value={d.value ?? ""}
        onChange={(e) => onChange({ ...d, value: e.target.value })}
      />
    );
  if (f.kind === "amount") {
    const a = d.amount ?? { kind: "upTo" as const };
    return (
      <Space wrap>
        <Select
          aria-label="金额形式"
          style={{ width: 130 }}
          value={a.kind}
          options={[
            { value: "fixed", label: "固定金额" },
            { value: "upTo", label: "最高金额" },
            { value: "range", label: "金额区间" },
          ]}
          onChange={(kind) => onChange({ ...d, amount: { ...a, kind } })}
        />
        <InputNumber
          aria-label={a.kind === "range" ? "最低金额（元）" : "金额（元）"}
          min={0}
          precision={2}
          style={{ width: 170 }}
          suffix="元"
          value={a.a ?? null}
          onChange={(v) => onChange({ ...d, amount: { ...a, a: v } })}
        />
        {a.kind === "range" && (
          <InputNumber
            aria-label="最高金额（元）"
            min={0}
            precision={2}
            style={{ width: 170 }}
            suffix="元"
            value={a.b ?? null}
            onChange={(v) => onChange({ ...d, amount: { ...a, b: v } })}
          />
        )}
      </Space>
    );
  }
  return (
    <Input
      aria-label={label}
      style={{ maxWidth: 520 }}
      value={d.value ?? ""}
      onChange={(e) => onChange({ ...d, value: e.target.value })}
    />
  );
}

function startEdit(f: FieldSpec): Decision {
  if (f.kind !== "amount") return { status: "edited", value: f.proposed ?? "" };
  let amount: Decision["amount"] = { kind: "upTo" };
  try {
    const p = f.proposed ? (JSON.parse(f.proposed) as Record<string, unknown>) : {};
    if (typeof p.fixed === "number") amount = { kind: "fixed", a: p.fixed };
    else if (typeof p.upTo === "number") amount = { kind: "upTo", a: p.upTo };
    else if (Array.isArray(p.range))
      amount = { kind: "range", a: p.range[0] as number, b: p.range[1] as number };
    else if (typeof p.cap === "number") amount = { kind: "upTo", a: p.cap };
  } catch {
    // keep the empty form
  }
  return { status: "edited", amount };
}

function FieldRow({
  scope,
  f,
  d,
  onDecide,
  onLocate,
}: {
  scope: string;
  f: FieldSpec;
  d: Decision | undefined;
  onDecide: (d: Decision | undefined) => void;
  onLocate: (s: Span) => void;
}) {
  const status = effectiveStatus(f, d);
  const tag = STATUS_TAG[status] ?? { tone: "grey", text: status };
  const editing = status === "edited";
  return (
    <fieldset
      aria-label={`${scope}${f.label}`}
      style={{ padding: "8px 0", margin: 0, minWidth: 0, border: "none", borderBottom: "1px solid #f0f0f0" }}
    >
      <Space wrap size={4} style={{ width: "100%" }}>
        <Typography.Text strong>{f.label}</Typography.Text>
        {f.required && <Typography.Text type="secondary">（必填）</Typography.Text>}
        <ToneTag tone={tag.tone}>{tag.text}</ToneTag>
      </Space>
      <div style={{ margin: "4px 0" }}>
        {f.shown ? (
          <Typography.Text delete={status === "rejected"}>{f.shown}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">未识别出</Typography.Text>
        )}
      </div>
      {f.flags.map((reason) => (
        <div key={reason} style={{ color: WARN }}>
          待核对：{reason}
        </div>
      ))}
      {status === "rejected" && (f.proposed !== undefined || f.flags.length > 0) && (
        <div style={{ color: "#595959" }}>不采纳：{f.rejectMeaning}</div>
      )}
      {d?.note && <div style={{ color: WARN }}>{d.note}</div>}
      {editing && (
        <div style={{ margin: "6px 0" }}>
          <FieldEditor f={f} d={d ?? { status: "edited" }} onChange={onDecide} />
        </div>
      )}
      <Space wrap size={4} style={{ marginTop: 4 }}>
        {f.span && (
          <Button autoInsertSpace={false} size="small" type="link" onClick={() => f.span && onLocate(f.span)}>
            定位原文
          </Button>
        )}
        {f.canAccept && f.proposed !== undefined && (
          <Button
            autoInsertSpace={false}
            size="small"
            disabled={status === "accepted"}
            onClick={() => onDecide({ status: "accepted" })}
          >
            采纳
          </Button>
        )}
        <Button
          autoInsertSpace={false}
          size="small"
          disabled={editing}
          onClick={() => onDecide(startEdit(f))}
        >
          {f.proposed === undefined ? "填写" : "修改"}
        </Button>
        {(f.proposed !== undefined || editing || !f.required) && (
          <Button
            autoInsertSpace={false}
            size="small"
            disabled={status === "rejected" || (editing && f.required && f.proposed === undefined)}
            onClick={() =>
              onDecide(
                f.required ? { status: "edited", value: "", note: f.rejectMeaning } : { status: "rejected" },
              )
            }
          >
            不采纳
          </Button>
        )}
      </Space>
    </fieldset>
  );
}

function MeasureCard({
  item,
  state,
  regionName,
  setDecision,
  setExtras,
  onLocate,
}: {
  item: AllFields["measures"][number];
  state: ReviewState;
  regionName: string | undefined;
  setDecision: (key: string, d: Decision | undefined) => void;
  setExtras: (e: MeasureExtras) => void;
  onLocate: (s: Span) => void;
}) {
  const { m, index, fields, dropped } = item;
  const e = state.extras[index] ?? {};
  const monetary = fields.some((f) => f.key === `m.${index}.amount`);
  const scope = `第 ${m.ordinal} 项措施 `;
  const other = otherFlags(m);
  const idWho = `who-${index}`;
  const idWhat = `what-${index}`;
  const idType = `type-${index}`;
  return (
    <Card
      size="small"
      style={{ marginBottom: 12, opacity: dropped ? 0.75 : 1 }}
      title={
        <span style={{ whiteSpace: "normal" }}>
          第 {m.ordinal} 项：{m.title}
        </span>
      }
      extra={
        <Space size={4} wrap>
          <Button autoInsertSpace={false} size="small" type="link" onClick={() => onLocate(m.span as Span)}>
            定位原文
          </Button>
          <Button autoInsertSpace={false} size="small" onClick={() => setExtras({ ...e, dropped: !dropped })}>
            {dropped ? "恢复此条" : "不导入此条"}
          </Button>
        </Space>
      }
    >
      {dropped ? (
        <Typography.Text type="secondary">此条不导入（不是一项措施或不需要）。</Typography.Text>
      ) : (
        <>
          {fields.map((f) => (
            <FieldRow
              key={f.key}
              scope={scope}
              f={f}
              d={state.decisions[f.key]}
              onDecide={(d) => setDecision(f.key, d)}
              onLocate={onLocate}
            />
          ))}
          {other.length > 0 && (
            <div style={{ marginTop: 8 }}>
              {other.map((reason) => (
                <div key={reason} style={{ color: WARN }}>
                  待核对：{reason}
                </div>
              ))}
            </div>
          )}
          <div style={{ marginTop: 8, display: "grid", gap: 6 }}>
            <label htmlFor={idType}>支持类型</label>
            <Select
              id={idType}
              style={{ maxWidth: 240 }}
              value={e.benefitType ?? defaultBenefitType(m.clause, monetary)}
              options={Object.entries(BENEFIT_LABELS).map(([value, label]) => ({ value, label }))}
              onChange={(v: string) => setExtras({ ...e, benefitType: v })}
            />
            <label htmlFor={idWho}>适用对象（政策解读）</label>
            <Input
              id={idWho}
              value={e.who ?? defaultWho(regionName)}
              placeholder="先选择区县，或直接填写"
              onChange={(ev) => setExtras({ ...e, who: ev.target.value })}
            />
            <label htmlFor={idWhat}>支持内容（政策解读）</label>
            <Input.TextArea
              id={idWhat}
              autoSize={{ minRows: 2, maxRows: 6 }}
              value={e.what ?? firstSentence(m.clause)}
              onChange={(ev) => setExtras({ ...e, what: ev.target.value })}
            />
          </div>
        </>
      )}
    </Card>
  );
}

function Review({ r, onRestart }: { r: Ingested; onRestart: () => void }) {
  const { message } = App.useApp();
  const narrow = useNarrow();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [state, setState] = useState<ReviewState>({ decisions: {}, extras: {} });
  const [active, setActive] = useState<Span>();
  const [sourceOpen, setSourceOpen] = useState(!narrow);
  const [docId, setDocId] = useState(r.suggestedId);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [tried, setTried] = useState(false);

  const all = useMemo(() => allFields(r, state), [r, state]);
  const pending = pendingCount(all, state);
  const spans = useMemo(
    () =>
      [...all.document, ...all.measures.flatMap((x) => x.fields)]
        .map((f) => f.span)
        .filter((s): s is Span => s !== undefined && (s[1] ?? 0) - (s[0] ?? 0) < 400),
    [all],
  );
  const regionCodeDecision = state.decisions["doc.regionCode"];
  const regionCode =
    regionCodeDecision?.status === "edited" ? regionCodeDecision.value : r.document.regionCode;
  const regionName = r.regions.find((x) => x.code === regionCode)?.name;
  const reviewed = reviewedDocument(r, state, docId.trim());
  const problems = reviewProblems(reviewed);

  const setDecision = (key: string, d: Decision | undefined) =>
    setState((s) => {
      const decisions = { ...s.decisions };
      if (d) decisions[key] = d;
      else delete decisions[key];
      return { ...s, decisions };
    });
  const locate = (s: Span) => {
    setActive(s);
    setSourceOpen(true);
    setTimeout(() => document.getElementById("import-active-span")?.scrollIntoView({ block: "center" }), 50);
  };
  const acceptAllClean = () =>
    setState((s) => {
      const decisions = { ...s.decisions };
      const live = [...all.document, ...all.measures.filter((x) => !x.dropped).flatMap((x) => x.fields)];
      for (const f of live)
        if (
          !decisions[f.key] &&
          f.canAccept &&
          f.proposed !== undefined &&
          f.flags.length === 0 &&
          effectiveStatus(f, undefined) === "pending"
        )
          decisions[f.key] = { status: "accepted" };
      return { ...s, decisions };
    });

  const save = async () => {
    setTried(true);
    setSaveError(undefined);
    if (pending > 0 || problems.length > 0) return;
    setBusy(true);
    try {
      const files = toDocumentFiles(reviewed);
      const res = await ok(
        api.POST("/api/policy-documents/{documentId}/revisions", {
          params: { path: { documentId: reviewed.id } },
          body: { files, note: note.trim() || `导入通知原文：${r.fileName}` },
        }),
      );
      await qc.invalidateQueries({ queryKey: ["policy-documents"] });
      message.success(`已保存为草稿：第 ${res.revision} 版，${reviewed.measures.length} 项措施`);
      navigate(`/admin/documents/${reviewed.id}/edit/${res.revision}`);
    } catch (e) {
      setSaveError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const docScope = "文件信息 ";
  const fieldsColumn = (
    <>
      <Card size="small" title="文件信息" style={{ marginBottom: 12 }}>
        {all.document.map((f) => (
          <FieldRow
            key={f.key}
            scope={docScope}
            f={f}
            d={state.decisions[f.key]}
            onDecide={(d) => setDecision(f.key, d)}
            onLocate={locate}
          />
        ))}
        {r.review.map((x) => (
          <div key={x.reason} style={{ color: WARN, marginTop: 8 }}>
            待核对：{x.reason}
            {x.span && (
              <Button
                autoInsertSpace={false}
                size="small"
                type="link"
                onClick={() => x.span && locate(x.span as Span)}
              >
                定位原文
              </Button>
            )}
          </div>
        ))}
      </Card>
      {all.measures.map((item) => (
        <MeasureCard
          key={item.index}
          item={item}
          state={state}
          regionName={regionName}
          setDecision={setDecision}
          setExtras={(e) => setState((s) => ({ ...s, extras: { ...s.extras, [item.index]: e } }))}
          onLocate={locate}
        />
      ))}
      <Card size="small" title="保存为草稿">
        <Space direction="vertical" style={{ width: "100%" }}>
          <label htmlFor="import-doc-id">文件编号（小写字母、数字和连字符，保存后不能修改）</label>
          <Input
            id="import-doc-id"
            style={{ maxWidth: 320 }}
            value={docId}
            status={DOCUMENT_ID.test(docId.trim()) ? undefined : "error"}
            onChange={(e) => setDocId(e.target.value)}
          />
          <label htmlFor="import-note">修改说明（选填）</label>
          <Input id="import-note" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          {tried && (pending > 0 || problems.length > 0) && (
            <Alert
              type="warning"
              showIcon
              title="还不能保存"
              description={
                <ul style={{ margin: 0, paddingLeft: 20 }}>
                  {pending > 0 && <li>还有 {pending} 项待处理：请逐项采纳、修改或不采纳</li>}
                  {problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              }
            />
          )}
          {saveError && <Alert type="error" showIcon title="保存失败" description={saveError} />}
          <Button autoInsertSpace={false} type="primary" loading={busy} onClick={save}>
            保存为草稿
          </Button>
        </Space>
      </Card>
    </>
  );

  return (
    <>
      <div
        style={{
          position: "sticky",
          top: 0,
          zIndex: 2,
          background: "#fff",
          padding: "8px 0",
          marginBottom: 8,
          display: "flex",
          flexWrap: "wrap",
          gap: 8,
          alignItems: "center",
        }}
      >
        <span role="status" style={{ fontWeight: 600, color: pending > 0 ? WARN : "#135200" }}>
          {pending > 0 ? `待处理 ${pending} 项` : "已全部处理"}
        </span>
        <Button autoInsertSpace={false} size="small" onClick={acceptAllClean}>
          采纳全部未标待核对的项
        </Button>
        <Button autoInsertSpace={false} size="small" onClick={onRestart}>
          重新选择文件
        </Button>
        <Typography.Text type="secondary">
          {r.fileName}：识别出 {r.measures.length} 项措施
        </Typography.Text>
      </div>
      <Row gutter={narrow ? [0, 16] : [16, 16]}>
        <Col xs={24} md={12}>
          <div style={narrow ? undefined : { position: "sticky", top: 48 }}>
            {narrow ? (
              <Collapse
                activeKey={sourceOpen ? ["source"] : []}
                onChange={(k) => setSourceOpen((Array.isArray(k) ? k : [k]).includes("source"))}
                items={[
                  {
                    key: "source",
                    label: "通知原文",
                    children: <Source text={r.text} spans={spans} active={active} />,
                  },
                ]}
              />
            ) : (
              <Source text={r.text} spans={spans} active={active} />
            )}
          </div>
        </Col>
        <Col xs={24} md={12}>
          {fieldsColumn}
        </Col>
      </Row>
    </>
  );
}

export default function ImportNotice() {
  const [result, setResult] = useState<Ingested>();
  return (
    <Page title="导入通知原文">
      <Typography.Paragraph>
        上传或粘贴一份政策通知，系统识别文号、标题、各条措施、金额、牵头单位和期限，并在原文中标出位置。请逐项采纳、修改或不采纳，
        保存后成为一版草稿，再到编辑器中补充条件和用例。
      </Typography.Paragraph>
      {result ? (
        <Review
          key={result.text.length + result.fileName}
          r={result}
          onRestart={() => setResult(undefined)}
        />
      ) : (
        <Pick onDone={setResult} />
      )}
    </Page>
  );
}

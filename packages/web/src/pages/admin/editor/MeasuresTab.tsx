/** 措施: the document's measures as a list, and the form of the one being edited. */
import { Alert, Button, List, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useNarrow } from "../../../components/useNarrow";
import { amountText } from "./AmountForm";
import MeasureForm from "./MeasureForm";
import type { TabProps } from "./types";
import type { Vocabulary } from "./vocabulary";
import { editMeasure, readMeasures, setField } from "./yamlText";

type Obj = Record<string, unknown>;

/** Required texts stay (as "") while being retyped, so the field keeps its place in the file. */
const REQUIRED = new Set(["title", "clause", "interpretation.who", "interpretation.what"]);

const ordinalText = (m: Obj) => `${String(m.ordinal ?? "")}${m.sub !== undefined ? `.${String(m.sub)}` : ""}`;

export default function MeasuresTab(props: TabProps & { vocab: Vocabulary }) {
  const { files, setFile, check, vocab } = props;
  const narrow = useNarrow();
  const [editing, setEditing] = useState<number | null>(null);
  const text = files["measures.yaml"] ?? "";
  const parsed = readMeasures(text);
  if (!parsed.ok)
    return <Alert type="error" showIcon title="措施文件有格式错误，请先在「专家模式」中修正后再用表单编辑" />;
  const errorsOf = (m: Obj) =>
    (check?.errors ?? []).filter((e) => e.measureId !== null && e.measureId === m.id).length;

  if (editing !== null && parsed.measures[editing]) {
    const m = parsed.measures[editing] as Obj;
    const edit = (path: string[], value: unknown) =>
      setFile(
        "measures.yaml",
        editMeasure(text, editing, (node) => {
          setField(node, path, value, REQUIRED.has(path.join(".")));
          // An amount and amountUnstated exclude each other (the engine refuses both): writing an amount in the
          // form replaces the "金额以申报通知为准" an import left.
          if (path.length === 1 && path[0] === "amount" && value !== undefined) node.delete("amountUnstated");
        }),
      );
    const errs = (check?.errors ?? []).filter((e) => e.measureId === m.id);
    return (
      <div>
        <Space wrap style={{ marginBottom: 12 }}>
          <Button onClick={() => setEditing(null)}>返回措施列表</Button>
          <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
            第 {ordinalText(m)} 条：{String(m.title ?? "")}
          </Typography.Title>
        </Space>
        {errs.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title="这一条有错误"
            description={errs.map((e) => (
              <div key={`${e.line}-${e.message}`}>
                {e.line !== null ? `第 ${e.line} 行：` : ""}
                {e.message}
              </div>
            ))}
          />
        )}
        <MeasureForm key={`${props.revision}-${editing}`} measure={m} edit={edit} vocab={vocab} />
      </div>
    );
  }

  if (narrow)
    // Phones: one block per measure (a wide table would scroll sideways).
    return (
      <List
        dataSource={parsed.measures}
        rowKey={(m) => String(m.id ?? m.ordinal)}
        aria-label="措施列表"
        renderItem={(m, i) => (
          <List.Item style={{ display: "block" }} data-measure={String(m.id ?? "")}>
            <Typography.Text strong>
              第 {ordinalText(m)} 条：{String(m.title ?? "")}
            </Typography.Text>
            {errorsOf(m) > 0 && <span style={{ color: "#a8071a" }}>（{errorsOf(m)} 处错误）</span>}
            <div>
              {m.monetary === true ? "资金类" : "非资金类"} · {amountText(m.amount)}
            </div>
            <div>{String((m.interpretation as Obj | undefined)?.what ?? "")}</div>
            <Button
              size="small"
              style={{ marginTop: 4 }}
              onClick={() => setEditing(i)}
              aria-label={`编辑第 ${ordinalText(m)} 条`}
            >
              编辑
            </Button>
          </List.Item>
        )}
      />
    );

  return (
    <Table<Obj>
      size="small"
      rowKey={(m) => String(m.id ?? m.ordinal)}
      pagination={false}
      dataSource={parsed.measures}
      aria-label="措施列表"
      columns={[
        { title: "序号", key: "ordinal", width: 64, render: (_, m) => ordinalText(m) },
        {
          title: "标题",
          key: "title",
          render: (_, m) => (
            <span>
              {String(m.title ?? "")}
              {errorsOf(m) > 0 && <span style={{ color: "#a8071a" }}>（{errorsOf(m)} 处错误）</span>}
            </span>
          ),
        },
        {
          title: "资金类",
          key: "monetary",
          width: 70,
          render: (_, m) => (m.monetary === true ? "是" : "否"),
        },
        { title: "金额", key: "amount", width: 150, render: (_, m) => amountText(m.amount) },
        {
          title: "摘要",
          key: "what",
          ellipsis: true,
          render: (_, m) => String((m.interpretation as Obj | undefined)?.what ?? ""),
        },
        {
          title: "操作",
          key: "edit",
          width: 80,
          render: (_, m, i) => (
            <Button size="small" onClick={() => setEditing(i)} aria-label={`编辑第 ${ordinalText(m)} 条`}>
              编辑
            </Button>
          ),
        },
      ]}
    />
  );
}

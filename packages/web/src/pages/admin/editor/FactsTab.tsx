/**
 * 事实: the facts only this document reads (facts.yaml), and adding one. A new fact needs a label, the question
 * an enterprise is asked, a type, a unit (for numbers) and whether it is one value or one per year; it is
 * reviewed together with the document.
 */
import type { FactType } from "@huiqi/engine";
import { Alert, Button, Card, Input, Radio, Select, Space, Table, Typography } from "antd";
import { useId, useState } from "react";
import type { TabProps } from "./types";
import { TYPE_LABEL, type Vocabulary } from "./vocabulary";
import { addFact, readFacts } from "./yamlText";

const NEW_TYPES: FactType[] = ["boolean", "integer", "money", "ratio", "year", "date"];

/** A fact id from the document id: only the engine reads it, people see the label. */
export function newFactId(documentId: string, taken: Set<string>): string {
  const base = `d${documentId.replace(/[^a-z0-9]/g, "")}F`;
  let n = 1;
  while (taken.has(`${base}${n}`)) n++;
  return `${base}${n}`;
}

export interface NewFact {
  label: string;
  question: string;
  type: FactType;
  unit: string;
  perYear: boolean;
}

/** Field → Chinese reason, empty when the fact may be added. */
export function validateFact(f: NewFact, labels: Set<string>): Record<string, string> {
  const e: Record<string, string> = {};
  if (f.label.trim() === "") e.label = "请填写标签（企业和审核人看到的名称）";
  else if (labels.has(f.label.trim())) e.label = "已有同名的事实，请直接选用或换一个标签";
  if (f.question.trim() === "") e.question = "请填写向企业提出的问题";
  else if (!/[？?]$/.test(f.question.trim())) e.question = "问题应以问号结尾";
  if ((f.type === "integer" || f.type === "ratio") && f.unit.trim() === "")
    e.unit = "数值类事实请填写单位，如 人、个、%";
  return e;
}

export default function FactsTab(props: TabProps & { vocab: Vocabulary }) {
  const { files, setFile, documentId, vocab } = props;
  const id = useId();
  const own = readFacts(files["facts.yaml"]);
  const [f, setF] = useState<NewFact>({ label: "", question: "", type: "boolean", unit: "", perYear: false });
  const [tried, setTried] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const errors = validateFact(f, new Set(vocab.facts.map((x) => x.label)));
  const show = (k: string) => (tried ? errors[k] : undefined);

  const add = () => {
    setTried(true);
    if (Object.keys(errors).length > 0) return;
    const factId = newFactId(documentId, new Set(vocab.byId.keys()));
    const unit = f.type === "money" ? "元" : f.unit.trim();
    setFile(
      "facts.yaml",
      addFact(files["facts.yaml"], {
        id: factId,
        type: f.type,
        label: f.label.trim(),
        question: f.question.trim(),
        ...(unit ? { unit } : {}),
        ...(f.perYear ? { perYear: true } : {}),
      }),
    );
    setAdded(f.label.trim());
    setF({ label: "", question: "", type: "boolean", unit: "", perYear: false });
    setTried(false);
  };

  const err = (k: string) =>
    show(k) ? (
      <div role="alert" style={{ color: "#a8071a", fontSize: 12 }}>
        {show(k)}
      </div>
    ) : null;

  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Typography.Paragraph style={{ margin: 0 }}>
        共用的企业信息（事实）在「措施」的条件和金额中直接选用。只有本文件需要、词汇表中没有的信息才在这里新增；新增的事实随本文件一起审核。
      </Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => String(r.id)}
        dataSource={own}
        aria-label="本文件的事实"
        locale={{ emptyText: "本文件没有自己的事实" }}
        columns={[
          { title: "标签", key: "label", render: (_, r) => String(r.label ?? "") },
          { title: "问题", key: "question", render: (_, r) => String(r.question ?? "") },
          {
            title: "类型",
            key: "type",
            width: 90,
            render: (_, r) => TYPE_LABEL[r.type as FactType] ?? "其他",
          },
          { title: "单位", key: "unit", width: 70, render: (_, r) => String(r.unit ?? "—") },
          { title: "期间", key: "perYear", width: 80, render: (_, r) => (r.perYear ? "按年度" : "单一值") },
        ]}
      />
      <Card size="small" title="新增事实">
        {added && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 8 }}
            title={`已新增「${added}」，可在措施的条件中选用`}
          />
        )}
        <div style={{ marginBottom: 8 }}>
          <label htmlFor={`${id}-label`} style={{ display: "block" }}>
            标签
          </label>
          <Input id={`${id}-label`} value={f.label} onChange={(e) => setF({ ...f, label: e.target.value })} />
          {err("label")}
        </div>
        <div style={{ marginBottom: 8 }}>
          <label htmlFor={`${id}-question`} style={{ display: "block" }}>
            问题（向企业提问）
          </label>
          <Input
            id={`${id}-question`}
            value={f.question}
            placeholder="如：贵企业是否为……？"
            onChange={(e) => setF({ ...f, question: e.target.value })}
          />
          {err("question")}
        </div>
        <Space wrap size="large" align="start">
          <div>
            <label htmlFor={`${id}-type`} style={{ display: "block" }}>
              类型
            </label>
            <Select
              id={`${id}-type`}
              style={{ width: 140 }}
              value={f.type}
              onChange={(type: FactType) => setF({ ...f, type })}
              options={NEW_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))}
            />
          </div>
          <div>
            <label htmlFor={`${id}-unit`} style={{ display: "block" }}>
              单位
            </label>
            <Input
              id={`${id}-unit`}
              style={{ width: 100 }}
              disabled={f.type === "money" || f.type === "boolean" || f.type === "date" || f.type === "year"}
              value={f.type === "money" ? "元" : f.unit}
              onChange={(e) => setF({ ...f, unit: e.target.value })}
            />
            {err("unit")}
          </div>
          <div>
            <span id={`${id}-period`} style={{ display: "block" }}>
              期间
            </span>
            <Radio.Group
              aria-labelledby={`${id}-period`}
              value={f.perYear}
              onChange={(e) => setF({ ...f, perYear: e.target.value as boolean })}
              options={[
                { value: false, label: "单一值" },
                { value: true, label: "按年度（每年一个值）" },
              ]}
            />
          </div>
        </Space>
        <div style={{ marginTop: 8 }}>
          <Button onClick={add}>新增事实</Button>
        </div>
      </Card>
    </Space>
  );
}

/**
 * 申请条件: rows of "事实 · 比较 · 值" joined by 全部满足 / 任一满足. Each new row is written as an expression
 * in the engine's language with a Chinese label and its 原文依据; people only ever see the Chinese.
 */
import type { ConditionDef, FactDefinition, FactType, FieldDefinition } from "@huiqi/engine";
import { Button, Card, Input, Radio, Select, Space, Typography } from "antd";
import { useId, useState } from "react";
import { formatMoney, type MoneyUnit, parseMoney } from "./money";
import type { Vocabulary } from "./vocabulary";

type Op = ">=" | ">" | "<=" | "<" | "==" | "yes" | "no" | "in" | "notIn" | "exists";
type Typed = { type: FactType } & Pick<FieldDefinition, "label" | "unit" | "values">;

const NUMBER_OPS: { value: Op; label: string; words: string }[] = [
  { value: ">=", label: "≥ 不低于", words: "不低于" },
  { value: ">", label: "> 高于", words: "高于" },
  { value: "<=", label: "≤ 不高于", words: "不高于" },
  { value: "<", label: "< 低于", words: "低于" },
  { value: "==", label: "= 等于", words: "等于" },
];
const TIME_OPS: { value: Op; label: string; words: string }[] = [
  { value: ">=", label: "在…之后（含当时）", words: "在{v}或之后" },
  { value: ">", label: "晚于", words: "晚于{v}" },
  { value: "<=", label: "在…之前（含当时）", words: "在{v}或之前" },
  { value: "<", label: "早于", words: "早于{v}" },
  { value: "==", label: "恰为", words: "为{v}" },
];

export function opsFor(t: FactType): { value: Op; label: string }[] {
  switch (t) {
    case "boolean":
      return [
        { value: "yes", label: "是" },
        { value: "no", label: "否" },
      ];
    case "enum":
      return [
        { value: "in", label: "属于" },
        { value: "notIn", label: "不属于" },
      ];
    case "year":
    case "date":
      return TIME_OPS;
    case "integer":
    case "money":
    case "ratio":
      return NUMBER_OPS;
    case "list":
      return [{ value: "exists", label: "有符合条件的记录" }];
    default:
      return [];
  }
}

export interface RowDraft {
  op: Op | null;
  /** Number text (money in `unit`, ratio in %), year, date (YYYY-MM-DD). */
  text: string;
  unit: MoneyUnit;
  values: string[];
}

const quoteStr = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** "5" (%) → "0.05", exactly. */
function percentToDecimal(t: string): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(t.trim());
  if (!m) return undefined;
  const digits = `${m[1]}${m[2] ?? ""}`;
  const scale = (m[2] ?? "").length + 2;
  const padded = digits.padStart(scale + 1, "0");
  const int = padded.slice(0, -scale).replace(/^0+(?=\d)/, "");
  const frac = padded.slice(-scale).replace(/0+$/, "");
  return frac ? `${int}.${frac}` : int;
}

/**
 * One comparison as an expression and its Chinese words, or an error in Chinese. `ref` is how the value is
 * read (`rdExpense[2021]`, `item.kind`), `name` how a person calls it.
 */
export function comparison(
  def: Typed,
  ref: string,
  name: string,
  row: RowDraft,
): { expr: string; label: string } | { error: string } {
  if (!row.op) return { error: "请选择比较方式" };
  switch (def.type) {
    case "boolean":
      return row.op === "yes" ? { expr: ref, label: name } : { expr: `!${ref}`, label: `不是「${name}」` };
    case "enum": {
      if (row.values.length === 0) return { error: "请至少选择一项" };
      const labels = row.values.map((v) => def.values?.find((x) => x.value === v)?.label ?? v).join("、");
      const expr = `oneOf(${ref}, ${row.values.map(quoteStr).join(", ")})`;
      return row.op === "in"
        ? { expr, label: `${name}为${labels}` }
        : { expr: `!${expr}`, label: `${name}不是${labels}` };
    }
    case "year": {
      if (!/^\d{4}$/.test(row.text.trim())) return { error: "年份应为四位数字，如 2021" };
      const words = TIME_OPS.find((o) => o.value === row.op)?.words ?? "";
      return {
        expr: `${ref} ${row.op} ${row.text.trim()}`,
        label: `${name}${words.replace("{v}", `${row.text.trim()}年`)}`,
      };
    }
    case "date": {
      const d = row.text.trim();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return { error: "日期应为 年-月-日，如 2021-06-30" };
      const [y, m, day] = d.split("-").map(Number);
      const words = TIME_OPS.find((o) => o.value === row.op)?.words ?? "";
      return {
        expr: `${ref} ${row.op} ${quoteStr(d)}`,
        label: `${name}${words.replace("{v}", `${y}年${m}月${day}日`)}`,
      };
    }
    case "integer":
    case "money":
    case "ratio": {
      const words = NUMBER_OPS.find((o) => o.value === row.op)?.words ?? "";
      let value: string | undefined;
      let shown: string;
      if (def.type === "money") {
        const fen = parseMoney(row.text, row.unit);
        if (fen === undefined)
          return { error: row.unit === "元" ? "金额应为数字，至多两位小数" : "金额应为数字，至多六位小数" };
        value = formatMoney(fen, "元");
        shown = `${formatMoney(fen, row.unit)}${row.unit}`;
      } else if (def.type === "ratio") {
        value = percentToDecimal(row.text);
        if (value === undefined) return { error: "比例应为百分数，如 3 或 2.5" };
        shown = `${row.text.trim()}%`;
      } else {
        if (!/^\d+$/.test(row.text.trim())) return { error: "应为整数" };
        value = row.text.trim();
        shown = `${value}${def.unit ?? ""}`;
      }
      return { expr: `${ref} ${row.op} ${value}`, label: `${name}${words}${shown}` };
    }
    default:
      return { error: "这类信息不能用表单比较，请在专家模式中编写" };
  }
}

/** The value part of a row: input by type. */
function ValueInput({
  def,
  row,
  set,
  id,
}: {
  def: Typed;
  row: RowDraft;
  set: (r: RowDraft) => void;
  id: string;
}) {
  switch (def.type) {
    case "boolean":
      return null;
    case "enum":
      return (
        <Select
          id={id}
          aria-label="取值"
          mode="multiple"
          style={{ minWidth: 200 }}
          placeholder="选择一项或多项"
          value={row.values}
          onChange={(values: string[]) => set({ ...row, values })}
          options={(def.values ?? []).map((v) => ({ value: v.value, label: v.label }))}
        />
      );
    case "money":
      return (
        <Space.Compact>
          <Input
            id={id}
            aria-label="金额"
            style={{ width: 140 }}
            value={row.text}
            inputMode="decimal"
            onChange={(e) => set({ ...row, text: e.target.value })}
          />
          <Select
            aria-label="金额单位"
            value={row.unit}
            onChange={(unit: MoneyUnit) => set({ ...row, unit })}
            options={[
              { value: "元", label: "元" },
              { value: "万元", label: "万元" },
            ]}
          />
        </Space.Compact>
      );
    default:
      return (
        <Input
          id={id}
          aria-label="取值"
          style={{ width: 160 }}
          value={row.text}
          placeholder={
            def.type === "year"
              ? "如 2021"
              : def.type === "date"
                ? "如 2021-06-30"
                : def.type === "ratio"
                  ? "百分数，如 3"
                  : ""
          }
          suffix={def.type === "ratio" ? "%" : def.unit}
          onChange={(e) => set({ ...row, text: e.target.value })}
        />
      );
  }
}

const emptyRow = (): RowDraft => ({ op: null, text: "", unit: "万元", values: [] });

/** A new condition: pick a fact, a comparison and a value; lists get item conditions on their fields. */
function NewCondition({ vocab, onAdd }: { vocab: Vocabulary; onAdd: (c: ConditionDef) => void }) {
  const id = useId();
  const [factId, setFactId] = useState<string | null>(null);
  const [year, setYear] = useState("");
  const [row, setRow] = useState<RowDraft>(emptyRow());
  const [items, setItems] = useState<{ field: string | null; row: RowDraft }[]>([]);
  const [quote, setQuote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const fact: FactDefinition | undefined = factId ? vocab.byId.get(factId) : undefined;
  const choosable = vocab.facts.filter((f) => f.type !== "string" && f.type !== "stringList");

  const build = (): ConditionDef | string => {
    if (!fact) return "请选择一项企业信息";
    if (fact.type === "list") {
      const parts: { expr: string; label: string }[] = [];
      for (const it of items) {
        const field = fact.fields?.find((f) => f.id === it.field);
        if (!field) return "请为每条记录条件选择字段";
        const r = comparison(field, `item.${field.id}`, field.label, it.row);
        if ("error" in r) return `${field.label}：${r.error}`;
        parts.push(r);
      }
      return {
        exists:
          parts.length > 0
            ? { list: fact.id, where: parts.map((p) => p.expr).join(" && ") }
            : { list: fact.id },
        label:
          parts.length > 0 ? `有${fact.label}：${parts.map((p) => p.label).join("，")}` : `有${fact.label}`,
        ...(quote.trim() ? { quote: quote.trim() } : {}),
      };
    }
    let ref = fact.id;
    let name = fact.label;
    if (fact.perYear) {
      if (!/^\d{4}$/.test(year.trim())) return "这项信息按年度填写，请填写年份，如 2021";
      ref = `${fact.id}[${year.trim()}]`;
      name = `${year.trim()}年${fact.label}`;
    }
    const r = comparison(fact, ref, name, row);
    if ("error" in r) return r.error;
    return { expr: r.expr, label: r.label, ...(quote.trim() ? { quote: quote.trim() } : {}) };
  };

  const add = () => {
    const c = build();
    if (typeof c === "string") {
      setError(c);
      return;
    }
    onAdd(c);
    setFactId(null);
    setRow(emptyRow());
    setItems([]);
    setQuote("");
    setYear("");
    setError(null);
  };

  return (
    <Card size="small" title="添加条件" style={{ marginTop: 8 }}>
      <Space wrap align="start">
        <div>
          <label htmlFor={`${id}-fact`} style={{ display: "block" }}>
            企业信息
          </label>
          <Select
            id={`${id}-fact`}
            showSearch
            optionFilterProp="label"
            style={{ width: 260, maxWidth: "80vw" }}
            placeholder="搜索并选择"
            value={factId}
            onChange={(v: string) => {
              setFactId(v);
              const f = vocab.byId.get(v);
              setRow({ ...emptyRow(), op: f ? (opsFor(f.type)[0]?.value ?? null) : null });
              setItems([]);
              setError(null);
            }}
            options={choosable.map((f) => ({
              value: f.id,
              label: `${f.label}${f.perYear ? "（按年度）" : ""}`,
            }))}
          />
        </div>
        {fact?.perYear && (
          <div>
            <label htmlFor={`${id}-year`} style={{ display: "block" }}>
              年度
            </label>
            <Input
              id={`${id}-year`}
              style={{ width: 90 }}
              value={year}
              onChange={(e) => setYear(e.target.value)}
            />
          </div>
        )}
        {fact && fact.type !== "list" && (
          <>
            <div>
              <label htmlFor={`${id}-op`} style={{ display: "block" }}>
                比较
              </label>
              <Select
                id={`${id}-op`}
                style={{ width: 170 }}
                value={row.op}
                onChange={(op: Op) => setRow({ ...row, op })}
                options={opsFor(fact.type)}
              />
            </div>
            {fact.type !== "boolean" && (
              <div>
                <label htmlFor={`${id}-value`} style={{ display: "block" }}>
                  值
                </label>
                <ValueInput def={fact} row={row} set={setRow} id={`${id}-value`} />
              </div>
            )}
          </>
        )}
      </Space>
      {fact?.type === "list" && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text>至少有一条{fact.label}记录满足：</Typography.Text>
          {items.map((it, i) => {
            const field = fact.fields?.find((f) => f.id === it.field);
            const setIt = (next: { field: string | null; row: RowDraft }) =>
              setItems(items.map((x, j) => (j === i ? next : x)));
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position.
              <Space key={i} wrap style={{ display: "flex", marginTop: 4 }}>
                <Select
                  aria-label="记录字段"
                  style={{ width: 180 }}
                  value={it.field}
                  placeholder="字段"
                  onChange={(f: string) => {
                    const fd = fact.fields?.find((x) => x.id === f);
                    setIt({
                      field: f,
                      row: { ...emptyRow(), op: fd ? (opsFor(fd.type)[0]?.value ?? null) : null },
                    });
                  }}
                  options={(fact.fields ?? [])
                    .filter((f) => f.type !== "string" && f.type !== "stringList")
                    .map((f) => ({ value: f.id, label: f.label }))}
                />
                {field && (
                  <Select
                    aria-label="比较"
                    style={{ width: 150 }}
                    value={it.row.op}
                    onChange={(op: Op) => setIt({ ...it, row: { ...it.row, op } })}
                    options={opsFor(field.type)}
                  />
                )}
                {field && field.type !== "boolean" && (
                  <ValueInput
                    def={field}
                    row={it.row}
                    set={(r) => setIt({ ...it, row: r })}
                    id={`${id}-item-${i}`}
                  />
                )}
                <Button size="small" onClick={() => setItems(items.filter((_, j) => j !== i))}>
                  删除
                </Button>
              </Space>
            );
          })}
          <div style={{ marginTop: 4 }}>
            <Button size="small" onClick={() => setItems([...items, { field: null, row: emptyRow() }])}>
              添加记录条件
            </Button>
          </div>
        </div>
      )}
      <div style={{ marginTop: 8 }}>
        <label htmlFor={`${id}-quote`} style={{ display: "block" }}>
          原文依据
        </label>
        <Input
          id={`${id}-quote`}
          value={quote}
          placeholder="摘录文件中规定这一条件的原话"
          onChange={(e) => setQuote(e.target.value)}
        />
      </div>
      {error && (
        <Typography.Paragraph role="alert" style={{ color: "#a8071a", margin: "8px 0 0" }}>
          {error}
        </Typography.Paragraph>
      )}
      <Button style={{ marginTop: 8 }} onClick={add} disabled={!fact}>
        添加这一条件
      </Button>
    </Card>
  );
}

/** The Chinese of a stored condition: its label, or a plain description of its shape. */
export function conditionText(c: ConditionDef): string {
  if (c.label) return c.label;
  if (c.all) return `同时满足：${c.all.map(conditionText).join("；")}`;
  if (c.any) return `满足其一：${c.any.map(conditionText).join("；")}`;
  if (c.not) return `不满足：${conditionText(c.not)}`;
  return "（未写说明的条件，请在专家模式中查看）";
}

export default function ConditionBuilder({
  value,
  onChange,
  vocab,
}: {
  value: ConditionDef | undefined;
  onChange: (next: ConditionDef | undefined) => void;
  vocab: Vocabulary;
}) {
  const id = useId();
  const grouped = value && !value.label && (value.all !== undefined || value.any !== undefined);
  const junction: "all" | "any" = value?.any !== undefined && grouped ? "any" : "all";
  const rows: ConditionDef[] =
    value === undefined ? [] : grouped ? ((value.all ?? value.any) as ConditionDef[]) : [value];
  const write = (next: ConditionDef[], j: "all" | "any" = junction) => {
    if (next.length === 0) onChange(undefined);
    else if (next.length === 1 && j === "all") onChange(next[0]);
    else onChange({ [j]: next, ...(grouped && value?.quote ? { quote: value.quote } : {}) });
  };
  return (
    <div>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text id={`${id}-j`}>条件之间：</Typography.Text>
        <Radio.Group
          aria-labelledby={`${id}-j`}
          value={junction}
          onChange={(e) => write(rows, e.target.value as "all" | "any")}
          options={[
            { value: "all", label: "全部满足" },
            { value: "any", label: "任一满足" },
          ]}
        />
      </Space>
      {rows.length === 0 && <Typography.Paragraph>没有申请条件（本地企业均可）。</Typography.Paragraph>}
      <ol style={{ paddingLeft: 20, margin: 0 }}>
        {rows.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their position.
          <li key={i} style={{ marginBottom: 8 }} data-condition={i}>
            <Space wrap style={{ width: "100%", justifyContent: "space-between" }}>
              <Typography.Text strong>{conditionText(c)}</Typography.Text>
              <Button
                size="small"
                style={{ color: "#a8071a", borderColor: "#ffa39e" }}
                onClick={() => write(rows.filter((_, j) => j !== i))}
              >
                删除条件
              </Button>
            </Space>
            <div>
              <label htmlFor={`${id}-q${i}`} style={{ fontSize: 12 }}>
                原文依据
              </label>
              <Input
                id={`${id}-q${i}`}
                size="small"
                value={c.quote ?? ""}
                onChange={(e) =>
                  write(
                    rows.map((x, j) => {
                      if (j !== i) return x;
                      const { quote: _q, ...rest } = x;
                      return e.target.value ? { ...rest, quote: e.target.value } : rest;
                    }),
                  )
                }
              />
            </div>
          </li>
        ))}
      </ol>
      <NewCondition vocab={vocab} onAdd={(c) => write([...rows, c])} />
    </div>
  );
}

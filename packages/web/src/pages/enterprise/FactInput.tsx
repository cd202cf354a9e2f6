/**
 * An input fitting a vocabulary fact's type. Controlled with the fact's JSON value (money in 元, dates as
 * YYYY-MM-DD), so the same component serves the profile wizard, the fact editor and the what-if panel.
 */
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import type { FactDefinition, FieldDefinition } from "@huiqi/engine";
import { Button, Card, Checkbox, DatePicker, Input, InputNumber, Radio, Select, Space } from "antd";
import dayjs from "dayjs";
import { type KeyboardEvent, useId } from "react";

/**
 * Forms of facts never submit on Enter: a half-filled answer must not be saved by a key press meant to move
 * on (a select's own Enter — choosing an option, adding a tag — still works; textareas keep new lines).
 * Use as the form's onKeyDown.
 */
export function preventEnterSubmit(e: KeyboardEvent<HTMLElement>): void {
  if (e.key === "Enter" && e.target instanceof HTMLInputElement) e.preventDefault();
}

type Def = FactDefinition | FieldDefinition;

export interface FactInputProps {
  def: Def;
  value?: unknown;
  onChange?: (v: unknown) => void;
  id?: string;
  /** Accessible name when no <label for> points at the input. */
  ariaLabel?: string;
}

export function FactInput({ def, value, onChange, id, ariaLabel }: FactInputProps) {
  const set = (v: unknown) => onChange?.(v);
  const aria = ariaLabel ? { "aria-label": ariaLabel } : {};
  switch (def.type) {
    case "boolean":
      return (
        <Radio.Group
          id={id}
          {...aria}
          value={value === true ? "yes" : value === false ? "no" : undefined}
          onChange={(e) => set(e.target.value === "yes")}
          options={[
            { value: "yes", label: "是" },
            { value: "no", label: "否" },
          ]}
        />
      );
    case "money":
      return (
        <InputNumber<number>
          id={id}
          {...aria}
          style={{ width: "100%", maxWidth: 280 }}
          min={0}
          precision={2}
          step={10000}
          suffix="元"
          placeholder="单位：元"
          value={typeof value === "number" ? value : null}
          onChange={(v) => set(v ?? undefined)}
        />
      );
    case "integer":
      return (
        <InputNumber<number>
          id={id}
          {...aria}
          style={{ width: "100%", maxWidth: 200 }}
          min={0}
          precision={0}
          suffix={def.unit}
          value={typeof value === "number" ? value : null}
          onChange={(v) => set(v ?? undefined)}
        />
      );
    case "ratio":
      return (
        <InputNumber<number>
          id={id}
          {...aria}
          style={{ width: "100%", maxWidth: 200 }}
          min={0}
          step={0.1}
          precision={4}
          suffix="%"
          placeholder="百分比，如 3.5"
          value={typeof value === "number" ? Number((value * 100).toFixed(4)) : null}
          onChange={(v) => set(v === null || v === undefined ? undefined : Number((v / 100).toFixed(8)))}
        />
      );
    case "year":
      return (
        <InputNumber<number>
          id={id}
          {...aria}
          style={{ width: 140 }}
          min={1949}
          max={2100}
          precision={0}
          placeholder="如 2022"
          value={typeof value === "number" ? value : null}
          onChange={(v) => set(v ?? undefined)}
        />
      );
    case "date":
      return (
        <DatePicker
          id={id}
          {...aria}
          value={typeof value === "string" && value ? dayjs(value) : null}
          onChange={(d) => set(d ? d.format("YYYY-MM-DD") : undefined)}
        />
      );
    case "enum":
      return (
        <Select
          id={id}
          {...aria}
          style={{ width: "100%", maxWidth: 360 }}
          placeholder="请选择"
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          value={typeof value === "string" ? value : undefined}
          onChange={(v) => set(v ?? undefined)}
          options={(def.values ?? []).map((v) => ({ value: v.value, label: v.label }))}
        />
      );
    case "stringList":
      return (
        <Select
          id={id}
          {...aria}
          mode="tags"
          style={{ width: "100%", maxWidth: 360 }}
          placeholder="输入后回车，可填多项"
          value={Array.isArray(value) ? (value as string[]) : []}
          onChange={(v) => set(v)}
        />
      );
    case "list":
      return <ListInput def={def as FactDefinition} value={value} onChange={set} id={id} />;
    default:
      return (
        <Input
          id={id}
          {...aria}
          style={{ maxWidth: 360 }}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => set(e.target.value || undefined)}
        />
      );
  }
}

/** A list fact (certifications, projects, loans…): a small repeatable sub-form; 「暂无」 records an empty list. */
function ListInput({
  def,
  value,
  onChange,
  id,
}: {
  def: FactDefinition;
  value: unknown;
  onChange: (v: unknown) => void;
  id?: string;
}) {
  const base = useId();
  const items = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  const none = Array.isArray(value) && value.length === 0;
  const fields = def.fields ?? [];
  const update = (i: number, field: string, v: unknown) =>
    onChange(
      items.map((it, j) => {
        if (j !== i) return it;
        const next = { ...it };
        if (v === undefined || v === "") delete next[field];
        else next[field] = v;
        return next;
      }),
    );
  return (
    <div id={id} style={{ width: "100%" }}>
      {items.map((it, i) => (
        <Card
          // biome-ignore lint/suspicious/noArrayIndexKey: records have no identity of their own
          key={i}
          size="small"
          title={`${def.label} 第 ${i + 1} 条`}
          style={{ marginBottom: 8 }}
          extra={
            <Button
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={`删除${def.label}第 ${i + 1} 条`}
              onClick={() => onChange(items.filter((_, j) => j !== i))}
            />
          }
        >
          <div style={{ display: "grid", gap: 8 }}>
            {fields.map((f) => {
              const fid = `${base}-${i}-${f.id}`;
              return (
                <div key={f.id}>
                  <label htmlFor={fid} style={{ display: "block", marginBottom: 4 }}>
                    {f.label}
                    {f.required ? <span style={{ color: "#c8102e" }}>（必填）</span> : null}
                  </label>
                  <FactInput
                    def={f}
                    id={fid}
                    ariaLabel={f.label}
                    value={it[f.id]}
                    onChange={(v) => update(i, f.id, v)}
                  />
                </div>
              );
            })}
          </div>
        </Card>
      ))}
      <Space wrap>
        <Button icon={<PlusOutlined />} onClick={() => onChange([...items, {}])}>
          添加一条{def.label}
        </Button>
        {items.length === 0 && (
          <Checkbox checked={none} onChange={(e) => onChange(e.target.checked ? [] : undefined)}>
            暂无（没有此类{def.label}）
          </Checkbox>
        )}
      </Space>
    </div>
  );
}

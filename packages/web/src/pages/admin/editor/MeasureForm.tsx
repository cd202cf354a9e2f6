/** One measure's form: every field is written straight into measures.yaml (only this measure's lines change). */
import type { ConditionDef } from "@huiqi/engine";
import { Card, Input, Select, Space, Switch, Typography } from "antd";
import { type ReactNode, useId } from "react";
import { BENEFIT_LABELS } from "../../../components/policy";
import AmountForm from "./AmountForm";
import ConditionBuilder from "./ConditionBuilder";
import type { Vocabulary } from "./vocabulary";

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : "");

function Field({ label, children, id }: { label: string; children: (id: string) => ReactNode; id?: string }) {
  const auto = useId();
  const fid = id ?? auto;
  return (
    <div style={{ marginBottom: 12 }}>
      <label htmlFor={fid} style={{ display: "block", fontWeight: 500 }}>
        {label}
      </label>
      {children(fid)}
    </div>
  );
}

/** A date field that writes only complete dates (年-月-日) or nothing. */
function DateField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <Field label={label}>
      {(id) => (
        <Input
          id={id}
          type="date"
          style={{ width: 180 }}
          defaultValue={value}
          onChange={(e) => {
            const v = e.target.value;
            if (v === "" || /^\d{4}-\d{2}-\d{2}$/.test(v)) onChange(v);
          }}
        />
      )}
    </Field>
  );
}

export default function MeasureForm({
  measure,
  edit,
  vocab,
}: {
  measure: Obj;
  /** Sets (or, for empty values, removes) the field at `path` of this measure. */
  edit: (path: string[], value: unknown) => void;
  vocab: Vocabulary;
}) {
  const interp = (measure.interpretation ?? {}) as Obj;
  const deptOptions = Object.entries(vocab.departments).map(([value, label]) => ({ value, label }));
  const text = (label: string, path: string[], value: unknown, rows = 0) => (
    <Field label={label}>
      {(id) =>
        rows > 0 ? (
          <Input.TextArea
            id={id}
            autoSize={{ minRows: rows, maxRows: 12 }}
            value={str(value)}
            onChange={(e) => edit(path, e.target.value)}
          />
        ) : (
          <Input id={id} value={str(value)} onChange={(e) => edit(path, e.target.value)} />
        )
      }
    </Field>
  );
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Card size="small" title="基本信息">
        {text("标题", ["title"], measure.title)}
        {text("所属部分", ["group"], measure.group)}
        <Space wrap size="large">
          <Field label="扶持方式">
            {(id) => (
              <Select
                id={id}
                style={{ width: 180 }}
                value={str(measure.benefitType) || null}
                onChange={(v: string) => edit(["benefitType"], v)}
                options={Object.entries(BENEFIT_LABELS).map(([value, label]) => ({ value, label }))}
              />
            )}
          </Field>
          <Field label="资金类措施（给钱或有金额、比例、上限）">
            {(id) => (
              <Switch
                id={id}
                checked={measure.monetary === true}
                checkedChildren="是"
                unCheckedChildren="否"
                onChange={(v) => edit(["monetary"], v)}
              />
            )}
          </Field>
        </Space>
        {text("条款原文", ["clause"], measure.clause, 3)}
        <Space wrap size="large">
          <Field label="牵头部门">
            {(id) => (
              <Select
                id={id}
                showSearch
                optionFilterProp="label"
                style={{ width: 220 }}
                value={str(measure.leadDepartment) || null}
                onChange={(v: string) => edit(["leadDepartment"], v)}
                options={deptOptions}
              />
            )}
          </Field>
          <Field label="配合部门">
            {(id) => (
              <Select
                id={id}
                mode="multiple"
                optionFilterProp="label"
                style={{ minWidth: 220, maxWidth: "80vw" }}
                value={Array.isArray(measure.coDepartments) ? (measure.coDepartments as string[]) : []}
                onChange={(v: string[]) => edit(["coDepartments"], v)}
                options={deptOptions}
              />
            )}
          </Field>
        </Space>
        <Space wrap size="large">
          <DateField
            label="起始日期（不填则随文件）"
            value={str(measure.validFrom)}
            onChange={(v) => edit(["validFrom"], v)}
          />
          <DateField
            label="截止日期（不填则随文件）"
            value={str(measure.validUntil)}
            onChange={(v) => edit(["validUntil"], v)}
          />
        </Space>
      </Card>
      <Card size="small" title="解读（企业看到的说明）">
        {text("谁可以申请", ["interpretation", "who"], interp.who, 2)}
        {text("能得到什么", ["interpretation", "what"], interp.what, 2)}
        {text("怎么申请", ["interpretation", "howToApply"], interp.howToApply, 2)}
        <Field label="申报材料（每项回车确认）">
          {(id) => (
            <Select
              id={id}
              mode="tags"
              style={{ width: "100%" }}
              value={Array.isArray(interp.materials) ? (interp.materials as string[]) : []}
              onChange={(v: string[]) => {
                const { materials: _m, materialsFromDocument: fromDoc, ...rest } = interp;
                edit(
                  ["interpretation"],
                  v.length > 0 ? { ...rest, materials: v, materialsFromDocument: fromDoc ?? true } : rest,
                );
              }}
              options={[]}
            />
          )}
        </Field>
      </Card>
      <Card size="small" title="申请条件">
        <ConditionBuilder
          value={measure.eligibility as ConditionDef | undefined}
          onChange={(c) => edit(["eligibility"], c)}
          vocab={vocab}
        />
      </Card>
      <Card size="small" title="金额">
        {measure.monetary === true || measure.amount !== undefined ? (
          <AmountForm value={measure.amount} onChange={(a) => edit(["amount"], a)} vocab={vocab} />
        ) : (
          <Typography.Text>非资金类措施，没有金额。</Typography.Text>
        )}
      </Card>
    </Space>
  );
}

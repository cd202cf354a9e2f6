/**
 * 用例: the document's cases grouped by measure with 通过／未通过 from the last check, the count each
 * monetary measure still needs before publishing, and a form to add, edit or delete a case (facts in,
 * outcome and amount out). Writes cases.yaml through the yaml Document API (cases-yaml.ts).
 */
import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import type { FactDefinition } from "@huiqi/engine";
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from "antd";
import dayjs from "dayjs";
import { useId, useMemo, useState } from "react";
import { useNarrow } from "../../../components/useNarrow";
import { today } from "../../../dates";
import { FactInput, preventEnterSubmit } from "../../enterprise/FactInput";
import {
  type CaseForm,
  type CaseRow,
  caseProblems,
  deleteCase,
  emptyCase,
  readCases,
  saveCase,
} from "./cases-yaml";
import type { CheckResult, TabProps } from "./types";
import { useVocabulary } from "./vocabulary";
import { readMeasures } from "./yamlText";

const OUTCOME_OPTIONS = [
  { value: "eligible", label: "符合" },
  { value: "ineligible", label: "不符合" },
  { value: "undetermined", label: "待确认" },
] as const;
const MIN_PASSING = 2;
const FAIL = { color: "#a8071a", borderColor: "#ffa39e" };

interface MeasureInfo {
  id: string;
  title: string;
  monetary: boolean;
}

function measureLabel(m: Record<string, unknown>): string {
  const art = `第${String(m.ordinal ?? "")}条${m.sub !== undefined ? `（第${String(m.sub)}项）` : ""}`;
  return `${art} ${typeof m.title === "string" ? m.title : "未命名措施"}`;
}

/** "rdExpense:2021" → "2021年研发费用"; unknown facts by a plain description, never the id. */
function factKeyName(key: string, byId: Map<string, FactDefinition>): string {
  const [id = "", year] = key.split(":");
  const label = byId.get(id)?.label ?? "未登记的企业信息项";
  return year ? `${year}年${label}` : label;
}

type CheckCase = CheckResult["cases"][number];

/** The check's verdict for each case row, matched by name (in order for repeated names). */
function verdicts(rows: CaseRow[], check: CheckResult | null): (CheckCase | undefined)[] {
  if (!check) return rows.map(() => undefined);
  const pool = new Map<string, CheckCase[]>();
  for (const c of check.cases) pool.set(c.name, [...(pool.get(c.name) ?? []), c]);
  return rows.map((r) => pool.get(r.name)?.shift());
}

export default function CasesTab(props: TabProps) {
  const vocab = useVocabulary(props.files["facts.yaml"]);
  const perYear = (id: string) => vocab.byId.get(id)?.perYear === true;
  const parsed = readCases(props.files["cases.yaml"], perYear);
  const measures: MeasureInfo[] = useMemo(
    () =>
      readMeasures(props.files["measures.yaml"]).measures.map((m) => ({
        id: String(m.id ?? ""),
        title: measureLabel(m),
        monetary: m.monetary === true,
      })),
    [props.files["measures.yaml"]],
  );
  const [editing, setEditing] = useState<{ index: number | null; form: CaseForm } | null>(null);
  const results = verdicts(parsed.cases, props.check);
  const shortBy = new Map((props.check?.short ?? []).map((s) => [s.measureId, s.passing]));

  const groups: { key: string; title: string; measure: MeasureInfo | null; rows: number[] }[] = measures.map(
    (m) => ({ key: m.id, title: m.title, measure: m, rows: [] }),
  );
  const other = { key: "", title: "未指定或找不到的措施", measure: null, rows: [] as number[] };
  for (const [i, c] of parsed.cases.entries()) {
    const g = groups.find((x) => x.key === c.measure);
    (g ?? other).rows.push(i);
  }
  if (other.rows.length > 0) groups.push(other);

  const add = (measure: string) => setEditing({ index: null, form: emptyCase(measure, today()) });

  if (!parsed.ok)
    return (
      <Alert
        type="error"
        showIcon
        title="cases.yaml 的格式有误，无法在表单中显示用例"
        description="请先在文件中改正格式错误（检查结果中列出了出错的行）。"
      />
    );

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text>
          共 {parsed.cases.length} 个用例
          {props.check ? `，${props.check.passing} 个通过` : "，正在检查…"}
        </Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => add(measures[0]?.id ?? "")}>
          添加用例
        </Button>
      </Space>
      {props.check && !props.check.compiled && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title="文件目前无法编译，用例没有运行"
          description="改正检查结果中列出的错误后，这里会显示每个用例是否通过。"
        />
      )}
      {groups.length === 0 && <Empty description="还没有措施，请先添加措施" />}
      {groups.map((g) => {
        const passing = shortBy.get(g.key);
        return (
          <Card
            key={g.key || "other"}
            size="small"
            style={{ marginBottom: 12 }}
            title={<span style={{ whiteSpace: "normal" }}>{g.title}</span>}
            extra={
              g.measure ? (
                <Button size="small" icon={<PlusOutlined />} onClick={() => add(g.key)}>
                  添加
                </Button>
              ) : null
            }
          >
            {g.measure?.monetary && passing !== undefined && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 8 }}
                title={`已有 ${passing} 个通过的用例，发布至少需要 ${MIN_PASSING} 个`}
              />
            )}
            {g.rows.length === 0 ? (
              <Typography.Text type="secondary">这项措施还没有用例。</Typography.Text>
            ) : (
              <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
                {g.rows.map((i) => {
                  const row = parsed.cases[i] as CaseRow;
                  const r = results[i];
                  return (
                    <li key={i} style={{ padding: "8px 0", borderTop: "1px solid #f0f0f0" }}>
                      <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
                        <span>
                          {!props.check?.compiled ? (
                            <Tag>未运行</Tag>
                          ) : !r ? (
                            <Tag>检查中</Tag>
                          ) : r.passed ? (
                            <Tag color="success">通过</Tag>
                          ) : (
                            <Tag style={FAIL}>未通过</Tag>
                          )}
                          {row.name || "（未命名用例）"}
                        </span>
                        <Space>
                          <Button
                            size="small"
                            icon={<EditOutlined />}
                            onClick={() => setEditing({ index: i, form: row.form })}
                          >
                            编辑
                          </Button>
                          <Popconfirm
                            title={`删除用例「${row.name}」？`}
                            description="删除后需保存草稿才会生效。"
                            okText="删除"
                            cancelText="取消"
                            onConfirm={() =>
                              props.setFile("cases.yaml", deleteCase(props.files["cases.yaml"], i))
                            }
                          >
                            <Button size="small" icon={<DeleteOutlined />} style={FAIL}>
                              删除
                            </Button>
                          </Popconfirm>
                        </Space>
                      </Space>
                      {r && !r.passed && r.problems.length > 0 && (
                        <ul style={{ margin: "4px 0 0", paddingLeft: 20, color: "#a8071a" }}>
                          {r.problems.map((p) => (
                            <li key={p}>{p}</li>
                          ))}
                        </ul>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
        );
      })}
      {editing && (
        <CaseEditor
          initial={editing.form}
          isNew={editing.index === null}
          measures={measures}
          facts={vocab.facts}
          byId={vocab.byId}
          otherNames={parsed.cases.filter((_, i) => i !== editing.index).map((c) => c.name)}
          onCancel={() => setEditing(null)}
          onSave={(form) => {
            props.setFile("cases.yaml", saveCase(props.files["cases.yaml"], editing.index, form));
            setEditing(null);
          }}
        />
      )}
    </div>
  );
}

interface FactRow {
  id: string;
  year: number | null;
  value: unknown;
}

const toRows = (form: CaseForm): FactRow[] =>
  form.facts.map(({ key, value }) => {
    const [id = "", year] = key.split(":");
    return { id, year: year ? Number(year) : null, value };
  });

function CaseEditor({
  initial,
  isNew,
  measures,
  facts,
  byId,
  otherNames,
  onSave,
  onCancel,
}: {
  initial: CaseForm;
  isNew: boolean;
  measures: MeasureInfo[];
  facts: FactDefinition[];
  byId: Map<string, FactDefinition>;
  otherNames: string[];
  onSave: (f: CaseForm) => void;
  onCancel: () => void;
}) {
  const narrow = useNarrow();
  const base = useId();
  const [form, setForm] = useState<CaseForm>(initial);
  const [rows, setRows] = useState<FactRow[]>(() => toRows(initial));
  const [tried, setTried] = useState(false);
  const set = (patch: Partial<CaseForm>) => setForm((f) => ({ ...f, ...patch }));
  const full: CaseForm = {
    ...form,
    facts: rows.map((r) => ({ key: r.year !== null && r.id ? `${r.id}:${r.year}` : r.id, value: r.value })),
  };
  const problems = caseProblems(full, otherNames);
  const perYearMissing = rows.some((r) => byId.get(r.id)?.perYear && r.year === null);
  if (perYearMissing) problems.facts = "按年份填写的信息项请填写年份";
  const shown = tried ? problems : {};
  const status = (k: string) => (shown[k] ? { validateStatus: "error" as const, help: shown[k] } : {});
  const factOptions = facts.map((f) => ({ value: f.id, label: f.label }));
  const fid = (k: string) => `${base}-${k}`;

  return (
    <Modal
      open
      title={isNew ? "添加用例" : "编辑用例"}
      width={narrow ? "100%" : 760}
      okText="写入用例"
      cancelText="取消"
      onCancel={onCancel}
      onOk={() => {
        setTried(true);
        if (Object.keys(problems).length === 0) onSave(full);
      }}
      destroyOnHidden
    >
      <Form layout="vertical" onKeyDown={preventEnterSubmit} component="div">
        <Form.Item label="用例名称" htmlFor={fid("name")} required {...status("name")}>
          <Input
            id={fid("name")}
            value={form.name}
            maxLength={200}
            placeholder="如：2021年首次升规的巴南工业企业获20万元"
            onChange={(e) => set({ name: e.target.value })}
          />
        </Form.Item>
        <Form.Item label="措施" htmlFor={fid("measure")} required {...status("measure")}>
          <Select
            id={fid("measure")}
            value={form.measure || undefined}
            placeholder="请选择措施"
            showSearch={{ optionFilterProp: "label" }}
            options={measures.map((m) => ({ value: m.id, label: m.title }))}
            onChange={(v) => set({ measure: v })}
          />
        </Form.Item>
        <Form.Item label="测算日" htmlFor={fid("asOf")} required {...status("asOf")}>
          <DatePicker
            id={fid("asOf")}
            value={/^\d{4}-\d{2}-\d{2}$/.test(form.asOf) ? dayjs(form.asOf) : null}
            onChange={(d) => set({ asOf: d ? d.format("YYYY-MM-DD") : "" })}
          />
        </Form.Item>

        <Typography.Title level={5} style={{ marginTop: 8 }}>
          企业信息（输入）
        </Typography.Title>
        {shown.facts && (
          <Typography.Paragraph style={{ color: "#a8071a" }} role="alert">
            {shown.facts}
          </Typography.Paragraph>
        )}
        {rows.map((r, i) => {
          const def = byId.get(r.id);
          const rid = fid(`fact-${i}`);
          return (
            <Card
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional while the form is open
              key={i}
              size="small"
              style={{ marginBottom: 8 }}
              title={`第 ${i + 1} 项`}
              extra={
                <Button
                  size="small"
                  icon={<DeleteOutlined />}
                  style={FAIL}
                  aria-label={`删除第 ${i + 1} 项企业信息`}
                  onClick={() => setRows(rows.filter((_, j) => j !== i))}
                />
              }
            >
              <Form.Item label="信息项" htmlFor={`${rid}-id`} style={{ marginBottom: 8 }}>
                <Select
                  id={`${rid}-id`}
                  value={r.id || undefined}
                  placeholder="搜索并选择企业信息项"
                  showSearch={{ optionFilterProp: "label" }}
                  options={factOptions}
                  onChange={(v: string) =>
                    setRows(rows.map((x, j) => (j === i ? { id: v, year: null, value: undefined } : x)))
                  }
                />
              </Form.Item>
              {def?.perYear && (
                <Form.Item label="年份" htmlFor={`${rid}-year`} style={{ marginBottom: 8 }}>
                  <InputNumber<number>
                    id={`${rid}-year`}
                    min={1990}
                    max={2100}
                    precision={0}
                    placeholder="如 2022"
                    value={r.year}
                    onChange={(v) => setRows(rows.map((x, j) => (j === i ? { ...x, year: v ?? null } : x)))}
                  />
                </Form.Item>
              )}
              {def ? (
                <Form.Item
                  label={`${def.label}${def.unit ? `（${def.unit}）` : ""}`}
                  htmlFor={`${rid}-value`}
                >
                  <FactInput
                    def={def}
                    id={`${rid}-value`}
                    value={r.value}
                    onChange={(v) => setRows(rows.map((x, j) => (j === i ? { ...x, value: v } : x)))}
                  />
                </Form.Item>
              ) : r.id ? (
                <Typography.Text type="secondary">
                  这一项不在信息项目录中，表单中不能修改它的值，保存时原样保留。
                </Typography.Text>
              ) : null}
            </Card>
          );
        })}
        <Button
          icon={<PlusOutlined />}
          style={{ marginBottom: 16 }}
          onClick={() => setRows([...rows, { id: "", year: null, value: undefined }])}
        >
          添加企业信息
        </Button>

        <Typography.Title level={5}>预期结果（输出）</Typography.Title>
        <Form.Item label="结论" htmlFor={fid("outcome")}>
          <Radio.Group
            id={fid("outcome")}
            value={form.outcome}
            options={OUTCOME_OPTIONS.map((o) => ({ value: o.value, label: o.label }))}
            onChange={(e) => set({ outcome: e.target.value })}
          />
        </Form.Item>
        <Form.Item label="金额" htmlFor={fid("amountMode")}>
          <Radio.Group
            id={fid("amountMode")}
            value={form.amountMode}
            options={[
              { value: "exact", label: "确切金额" },
              { value: "range", label: "区间" },
              { value: "zero", label: "无金额" },
              { value: "none", label: "不核对金额" },
            ]}
            onChange={(e) => set({ amountMode: e.target.value })}
          />
        </Form.Item>
        {form.amountMode === "exact" && (
          <Form.Item label="金额（元）" htmlFor={fid("exact")} required {...status("exact")}>
            <Input
              id={fid("exact")}
              inputMode="decimal"
              suffix="元"
              style={{ maxWidth: 280 }}
              placeholder="如 200000 或 1234.56"
              value={form.exact}
              onChange={(e) => set({ exact: e.target.value })}
            />
          </Form.Item>
        )}
        {form.amountMode === "range" && (
          <Space wrap align="start">
            <Form.Item label="最低（元）" htmlFor={fid("min")} required {...status("min")}>
              <Input
                id={fid("min")}
                inputMode="decimal"
                suffix="元"
                style={{ width: 200 }}
                value={form.min}
                onChange={(e) => set({ min: e.target.value })}
              />
            </Form.Item>
            <Form.Item label="最高（元，不填为上限未定）" htmlFor={fid("max")} {...status("max")}>
              <Input
                id={fid("max")}
                inputMode="decimal"
                suffix="元"
                style={{ width: 200 }}
                value={form.max}
                onChange={(e) => set({ max: e.target.value })}
              />
            </Form.Item>
          </Space>
        )}
        <Form.Item label="应缺少的信息（待确认时核对，可不填）" htmlFor={fid("missing")}>
          <Select
            id={fid("missing")}
            mode="multiple"
            value={form.missing}
            placeholder="选择企业信息项"
            showSearch={{ optionFilterProp: "label" }}
            options={[
              ...factOptions,
              ...form.missing
                .filter((k) => !byId.has(k))
                .map((k) => ({ value: k, label: factKeyName(k, byId) })),
            ]}
            onChange={(v: string[]) => set({ missing: v })}
          />
        </Form.Item>
        <Form.Item label="不符合的原因应包含的文字（可不填）" htmlFor={fid("reason")}>
          <Input
            id={fid("reason")}
            value={form.reason}
            maxLength={200}
            placeholder="如：已过执行期限"
            onChange={(e) => set({ reason: e.target.value })}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 企业画像: a two-step wizard — the basics (industry, size, R&D of the last two years), then the questions that
 * decide the most money for measures that can still apply to this enterprise (planning.ts) — with the
 * calculator's total beside it, updated after every save; below, the current facts, editable.
 */
import { type FactDefinition, type Facts, itemRef, parseItemFieldKey, type Question } from "@huiqi/engine";
import { useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Grid,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Statistic,
  Steps,
  Table,
  Tag,
  Typography,
} from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError, api, errorText, ok } from "../../api/client";
import { Page } from "../../components/Page";
import { currentYear } from "../../dates";
import { useSession } from "../../session";
import {
  type EnterpriseBody,
  factPatch,
  type MatchBody,
  mergePatches,
  rawProfile,
  readFact,
  showValue,
  stakeText,
  useEnterprise,
  useEnterpriseId,
  useMatches,
  useRules,
} from "./common";
import { FactInput, preventEnterSubmit } from "./FactInput";
import { basicKeys, type Plan, planQuestions, stableOrder } from "./planning";

/** Facts the enterprise does not edit here (identity is fixed at registration; derived facts are computed). */
const NOT_EDITABLE = new Set(["uscc", "regionCode"]);

/** Questions shown at a time in the second step. */
const PAGE_SIZE = 8;

function useSaveFacts(id: string) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  return async (e: EnterpriseBody, facts: Record<string, unknown>) => {
    const hide = message.loading("正在保存画像并重新测算…", 0);
    try {
      const next = await ok(
        api.PUT("/api/enterprises/{id}/facts", {
          params: { path: { id } },
          body: { version: e.version, facts },
        }),
      );
      qc.setQueryData(["enterprise", id], next);
      await qc.invalidateQueries({ queryKey: ["matches", id] });
      void message.success("画像已保存，匹配结果已更新");
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === "VERSION_MISMATCH")
        await qc.invalidateQueries({ queryKey: ["enterprise", id] });
      void message.error(errorText(err));
      return false;
    } finally {
      hide();
    }
  };
}

type Compiled = NonNullable<ReturnType<typeof useRules>["compiled"]>;

/** The wizard's second step: the browser engine's plan, or the server's questions if the profile fails validation. */
function usePlan(
  e: EnterpriseBody | undefined,
  compiled: Compiled | null,
  m: MatchBody | undefined,
  asOf: string,
) {
  return useMemo<Plan | null>(() => {
    if (!e || !compiled || !m) return null;
    const published = m.results.map((r) => r.measureId);
    try {
      return planQuestions(compiled.engine, compiled.validate(rawProfile(e)), asOf, published);
    } catch {
      const basics = new Set(basicKeys(asOf));
      return {
        questions: m.questions.filter((q) => !basics.has(q.fact)),
        skipped: { count: 0, sectors: [] },
      };
    }
  }, [e, compiled, m, asOf]);
}

/** The calculator's figures beside the form: they change after each save. */
function TotalsCard({ data, updating }: { data: MatchBody | undefined; updating: boolean }) {
  // Beside the form on wide screens (and kept in view while scrolling); above it on phones.
  const wide = Grid.useBreakpoint().lg === true;
  const eligible = data?.results.filter((r) => r.outcome === "eligible").length ?? 0;
  const pending = data?.results.filter((r) => r.outcome === "undetermined").length ?? 0;
  return (
    <Card
      title={<h2 style={{ fontSize: 16, margin: 0 }}>按现有画像测算</h2>}
      style={wide ? { position: "sticky", top: 64 } : undefined}
    >
      <div aria-live="polite">
        <Statistic
          title="符合条件可得（已按从高不重复）"
          value={data?.totals.eligible.text ?? "—"}
          loading={updating && !data}
          styles={{ content: { color: "#c8102e" } }}
        />
        <Statistic
          style={{ marginTop: 12 }}
          title="若待确认措施都符合，最高可达"
          value={data?.totals.potentialMaxText ?? "—"}
        />
        <Typography.Paragraph type="secondary" style={{ margin: "8px 0" }}>
          符合 {eligible} 项，待确认 {pending} 项{updating ? "（正在重新测算…）" : ""}
        </Typography.Paragraph>
      </div>
      <Link to="/calculator">查看政策计算器</Link>
    </Card>
  );
}

export default function Profile() {
  const id = useEnterpriseId();
  const { asOf } = useSession();
  const ent = useEnterprise(id);
  const matches = useMatches(id, asOf);
  const rules = useRules();
  const save = useSaveFacts(id);
  const [editing, setEditing] = useState<{ key: string; value: unknown } | null>(null);
  const [adding, setAdding] = useState(false);
  const [step, setStep] = useState<number | null>(null);

  const vocab = rules.compiled?.facts;
  const e = ent.data;
  const plan = usePlan(e, rules.compiled, matches.data, asOf);
  const keys = basicKeys(asOf);
  const basicsLeft = e ? keys.filter((k) => readFact(rawProfile(e), k) === undefined).length : 0;
  // Open on the basics until they are all answered; the enterprise may move between steps freely.
  const current = step ?? (basicsLeft > 0 ? 0 : 1);

  return (
    <Page
      title="企业画像"
      loading={ent.isLoading || matches.isLoading || rules.isLoading}
      error={ent.error ?? matches.error ?? rules.error}
    >
      {e && vocab && rules.compiled && (
        <Space orientation="vertical" size={16} style={{ width: "100%" }}>
          <Row gutter={[16, 16]}>
            <Col xs={{ span: 24, order: 2 }} lg={{ span: 16, order: 1 }}>
              <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>完善画像，看能拿多少</h2>}>
                <Steps
                  size="small"
                  current={current}
                  onChange={setStep}
                  style={{ marginBottom: 16 }}
                  items={[
                    {
                      title: "基本情况",
                      content: basicsLeft > 0 ? `还有 ${basicsLeft} 项未填` : "已填写",
                    },
                    {
                      title: "关键问题",
                      content: plan ? `${plan.questions.length} 个，按金额排序` : "",
                    },
                  ]}
                />
                {current === 0 ? (
                  <BasicsStep
                    key={`${e.version}:${asOf}`}
                    e={e}
                    compiled={rules.compiled}
                    asOf={asOf}
                    save={save}
                    onDone={() => setStep(1)}
                  />
                ) : (
                  <QuestionsStep
                    key={asOf}
                    e={e}
                    compiled={rules.compiled}
                    plan={plan}
                    asOf={asOf}
                    basicsLeft={basicsLeft}
                    save={save}
                    onBasics={() => setStep(0)}
                  />
                )}
              </Card>
            </Col>
            <Col xs={{ span: 24, order: 1 }} lg={{ span: 8, order: 2 }}>
              <TotalsCard data={matches.data} updating={matches.isFetching} />
            </Col>
          </Row>

          <Card
            title={<h4 style={{ fontSize: 16, margin: 0 }}>当前画像</h4>}
            extra={<Button onClick={() => setAdding(true)}>填写其他事实</Button>}
          >
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                { key: "name", label: "企业名称", children: e.name },
                { key: "uscc", label: "统一社会信用代码", children: e.uscc },
                { key: "region", label: "所在区县", children: e.regionName ?? e.regionCode },
                { key: "industry", label: "行业代码", children: e.industryCode ?? "未填" },
                {
                  key: "size",
                  label: "企业规模（推算）",
                  children: e.size.derived.label ?? "事实不足，无法推算",
                },
                { key: "version", label: "画像版本", children: e.version },
              ]}
            />
            <Table
              style={{ marginTop: 12 }}
              size="small"
              rowKey={(f) => `${f.factId}:${f.period}`}
              dataSource={e.facts}
              pagination={false}
              scroll={{ x: "max-content" }}
              locale={{ emptyText: "还没有填写任何事实，请先回答上面的问题" }}
              columns={[
                { title: "事实", dataIndex: "label", key: "label" },
                {
                  title: "取值",
                  key: "value",
                  render: (_, f) => (
                    <span style={{ whiteSpace: "normal", wordBreak: "break-all" }}>
                      {showValue(vocab.get(f.factId), f.value)}
                    </span>
                  ),
                },
                {
                  title: "来源",
                  key: "source",
                  render: (_, f) =>
                    f.source === "verified" ? <Tag color="green">已核实</Tag> : <Tag>自报</Tag>,
                },
                {
                  title: "操作",
                  key: "op",
                  render: (_, f) => (
                    <Button
                      size="small"
                      autoInsertSpace={false}
                      aria-label={`修改${f.label}`}
                      onClick={() =>
                        setEditing({
                          key: f.period ? `${f.factId}:${f.period}` : f.factId,
                          value: f.value,
                        })
                      }
                    >
                      修改
                    </Button>
                  ),
                },
              ]}
            />
          </Card>
        </Space>
      )}
      {e && vocab && editing && (
        <FactEditor
          title="修改事实"
          vocab={vocab}
          initialKey={editing.key}
          initialValue={editing.value}
          onCancel={() => setEditing(null)}
          onSave={async (k, v) => {
            if (await save(e, factPatch(k, v))) setEditing(null);
          }}
        />
      )}
      {e && vocab && adding && (
        <FactEditor
          title="填写其他事实"
          vocab={vocab}
          profile={rawProfile(e)}
          onCancel={() => setAdding(false)}
          onSave={async (k, v) => {
            if (await save(e, factPatch(k, v))) setAdding(false);
          }}
        />
      )}
    </Page>
  );
}

type Save = ReturnType<typeof useSaveFacts>;

const INDUSTRY_CODE = /^[A-T](\d{2}|\d{3}|\d{4})?$/;

/** Step 1: the facts that decide the most measures and the size class, prefilled with what is on file. */
function BasicsStep(props: {
  e: EnterpriseBody;
  compiled: Compiled;
  asOf: string;
  save: Save;
  onDone: () => void;
}) {
  const { e, compiled, asOf } = props;
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const keys = basicKeys(asOf);
  const raw = rawProfile(e);
  const initial = Object.fromEntries(keys.map((k) => [k, readFact(raw, k)]));
  const finish = async (values: { basics?: Record<string, unknown> }) => {
    const changed = keys.filter((k) => {
      const v = values.basics?.[k];
      return v !== undefined && v !== "" && JSON.stringify(v) !== JSON.stringify(initial[k]);
    });
    if (changed.length === 0) {
      props.onDone();
      return;
    }
    setBusy(true);
    const saved = await props.save(e, mergePatches(changed.map((k) => factPatch(k, values.basics?.[k]))));
    setBusy(false);
    if (saved) props.onDone();
  };
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ basics: initial }}
      onFinish={finish}
      onKeyDown={preventEnterSubmit}
    >
      <Typography.Paragraph type="secondary">
        先填这几项：行业和规模决定大多数措施是否适用，也用来推算企业规模（大中小微）；研发费用决定研发类补助。
        不知道的可以留空。
      </Typography.Paragraph>
      <Row gutter={16}>
        {keys.map((k) => {
          const def = compiled.facts.get(k.split(":")[0] ?? "");
          if (!def) return null;
          const year = k.split(":")[1];
          return (
            <Col xs={24} md={12} key={k}>
              <Form.Item
                name={["basics", k]}
                label={compiled.engine.factLabel(k)}
                extra={
                  k === "industryCode"
                    ? "GB/T 4754-2017，如 C3841（锂离子电池制造）"
                    : year
                      ? `（${year}年度）${def.question}`
                      : def.question
                }
                normalize={(v: unknown) =>
                  k === "industryCode" && typeof v === "string" ? v.trim().toUpperCase() : v
                }
                rules={
                  k === "industryCode"
                    ? [{ pattern: INDUSTRY_CODE, message: "应为 GB/T 4754-2017 行业代码，如 C3841" }]
                    : undefined
                }
              >
                <FactInput def={def} />
              </Form.Item>
            </Col>
          );
        })}
      </Row>
      <Space wrap>
        <Button type="primary" htmlType="button" loading={busy} onClick={() => form.submit()}>
          保存并继续
        </Button>
        <Button htmlType="button" onClick={props.onDone}>
          跳过，先看关键问题
        </Button>
      </Space>
    </Form>
  );
}

/**
 * Step 2: the planned questions, in the order first shown (answering some does not reshuffle the rest).
 * Only the answered ones are saved, on the button; the others keep what was typed.
 */
function QuestionsStep(props: {
  e: EnterpriseBody;
  compiled: Compiled;
  plan: Plan | null;
  asOf: string;
  basicsLeft: number;
  save: Save;
  onBasics: () => void;
}) {
  const { e, compiled, plan, asOf } = props;
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState(PAGE_SIZE);
  const order = useRef<string[]>([]);
  const questions = useMemo(() => (plan ? stableOrder(order.current, plan.questions) : []), [plan]);
  useEffect(() => {
    order.current = questions.map((q) => q.fact);
  }, [questions]);
  const visible = questions.slice(0, shown);

  const answer = async (values: { answers?: Record<string, unknown> }) => {
    const entries = visible
      .map((q): [string, unknown] => [q.fact, values.answers?.[q.fact]])
      .filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      void message.warning("请至少回答一个问题再保存");
      return;
    }
    setBusy(true);
    // A question about one list item's field ("投资项目『智能工厂二期』的投资进度") updates that item in its list.
    const lists: Facts = {};
    const current = rawProfile(e);
    const plain: [string, unknown][] = [];
    for (const [k, v] of entries) {
      const item = parseItemFieldKey(k);
      if (!item) {
        plain.push([k, v]);
        continue;
      }
      const rows = (lists[item.list] ?? current[item.list] ?? []) as Record<string, unknown>[];
      lists[item.list] = rows.map((row, i) =>
        itemRef(row, i) === item.ref ? { ...row, [item.field]: v } : row,
      );
    }
    await props.save(e, { ...mergePatches(plain.map(([k, v]) => factPatch(k, v))), ...lists });
    setBusy(false);
  };

  return (
    <div>
      {props.basicsLeft > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={`基本情况还有 ${props.basicsLeft} 项未填，填上后结果更准`}
          action={
            <Button size="small" onClick={props.onBasics}>
              去填写
            </Button>
          }
        />
      )}
      <Typography.Paragraph type="secondary">
        按测算日 {asOf} 的政策，只问还可能适用于贵企业（本区县及市级、执行期内、贵企业所属行业）的措施，
        决定金额最多的排在前面；只回答知道的即可，“暂无”也是回答。
        {plan && plan.skipped.count > 0
          ? ` 按贵企业的行业（${e.industryCode ?? ""}），已略过 ${plan.skipped.count} 个${plan.skipped.sectors.join("、")}等其他行业的问题；如确有此类情况，可用下方「填写其他事实」补充。`
          : ""}
      </Typography.Paragraph>
      {questions.length === 0 ? (
        <Alert
          type="success"
          showIcon
          title="暂无待答问题"
          description={
            <span>
              现有画像已足以判断全部措施。<Link to="/calculator">查看政策计算器结果</Link>
            </span>
          }
        />
      ) : (
        <Form form={form} layout="vertical" preserve={false} onFinish={answer} onKeyDown={preventEnterSubmit}>
          {visible.map((q: Question, i) => {
            const item = parseItemFieldKey(q.fact);
            const def = item
              ? compiled.facts.get(item.list)?.fields?.find((f) => f.id === item.field)
              : compiled.facts.get(q.factId);
            if (!def) return null;
            return (
              <Form.Item
                key={q.fact}
                name={["answers", q.fact]}
                label={
                  <span>
                    {i + 1}. {q.label}{" "}
                    <Tag
                      color={q.moneyAtStake === null ? "orange" : q.moneyAtStake === 0 ? "default" : "red"}
                    >
                      {stakeText(q)}
                    </Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      影响 {q.measures.length} 项措施
                    </Typography.Text>
                  </span>
                }
                extra={q.question}
              >
                <FactInput def={def} />
              </Form.Item>
            );
          })}
          <Space wrap>
            <Button type="primary" htmlType="button" loading={busy} onClick={() => form.submit()}>
              保存已填的回答
            </Button>
            {questions.length > shown && (
              <Button htmlType="button" onClick={() => setShown((n) => n + PAGE_SIZE)}>
                再显示 {Math.min(PAGE_SIZE, questions.length - shown)} 个问题（共 {questions.length} 个）
              </Button>
            )}
          </Space>
        </Form>
      )}
    </div>
  );
}

/** One fact in a dialog: choose it (when adding), its year (per-year facts), its value; or clear it. */
function FactEditor(props: {
  title: string;
  vocab: Map<string, FactDefinition>;
  initialKey?: string;
  initialValue?: unknown;
  profile?: Record<string, unknown>;
  onCancel: () => void;
  onSave: (key: string, value: unknown) => Promise<void>;
}) {
  const [initId, initYear] = (props.initialKey ?? "").split(":") as [string, string | undefined];
  const [factId, setFactId] = useState<string | undefined>(initId || undefined);
  const [year, setYear] = useState<number | null>(initYear ? Number(initYear) : currentYear() - 1);
  const [value, setValue] = useState<unknown>(props.initialValue);
  const [busy, setBusy] = useState(false);
  const def = factId ? props.vocab.get(factId) : undefined;
  const key = def ? (def.perYear ? `${def.id}:${year ?? ""}` : def.id) : "";
  const choices = [...props.vocab.values()].filter((f) => !NOT_EDITABLE.has(f.id) && !f.identity);
  const run = async (v: unknown) => {
    if (!def || (def.perYear && !year)) return;
    setBusy(true);
    await props.onSave(key, v);
    setBusy(false);
  };
  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onCancel}
      footer={[
        props.initialKey ? (
          <Button key="clear" danger disabled={busy} onClick={() => run(null)}>
            清除（改为未知）
          </Button>
        ) : null,
        <Button key="cancel" onClick={props.onCancel}>
          取消
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={busy}
          disabled={!def || value === undefined}
          onClick={() => run(value)}
        >
          保存修改
        </Button>,
      ]}
    >
      <Form layout="vertical" onKeyDown={preventEnterSubmit}>
        {!props.initialKey && (
          <Form.Item label="事实" htmlFor="fact-editor-fact">
            <Select
              id="fact-editor-fact"
              showSearch={{ optionFilterProp: "label" }}
              placeholder="选择要填写的事实"
              value={factId}
              onChange={(v: string) => {
                setFactId(v);
                const d = props.vocab.get(v);
                setValue(
                  props.profile && d
                    ? readFact(props.profile, d.perYear ? `${v}:${year ?? ""}` : v)
                    : undefined,
                );
              }}
              options={choices.map((f) => ({ value: f.id, label: f.label }))}
            />
          </Form.Item>
        )}
        {def?.perYear && (
          <Form.Item label="年度" htmlFor="fact-editor-year">
            <InputNumber<number>
              id="fact-editor-year"
              min={2000}
              max={2099}
              precision={0}
              value={year}
              disabled={Boolean(props.initialKey)}
              onChange={(y) => {
                setYear(y);
                if (props.profile && y) setValue(readFact(props.profile, `${def.id}:${y}`));
              }}
            />
          </Form.Item>
        )}
        {def && (
          <Form.Item label={def.label} htmlFor="fact-editor-value" extra={def.question}>
            <FactInput def={def} id="fact-editor-value" value={value} onChange={setValue} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

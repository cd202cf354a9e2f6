/**
 * The profile wizard, shared by 企业画像 (answers saved to the enterprise's profile on the server) and the
 * anonymous 政策计算器 (answers kept in the visitor's browser): the basics step, the planned questions, and the
 * calculator's figures beside them. Storage-agnostic: each step reads a raw profile and hands a facts patch
 * (the PUT /api/enterprises/{id}/facts body shape) to `save`.
 */
import { type Facts, itemRef, parseItemFieldKey, type Question } from "@huiqi/engine";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Grid,
  Row,
  Space,
  Statistic,
  Steps,
  Tag,
  Typography,
} from "antd";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import {
  factPatch,
  type MatchBody,
  mergePatches,
  readFact,
  showValue,
  stakeText,
  type useRules,
} from "./common";
import { FactInput, preventEnterSubmit } from "./FactInput";
import { basicKeys, type Plan, planQuestions, stableOrder } from "./planning";

export type Compiled = NonNullable<ReturnType<typeof useRules>["compiled"]>;

/** The match figures the wizard needs (the enterprise's matches, or the anonymous calculation). */
export type MatchFigures = Pick<MatchBody, "results" | "questions" | "totals">;

/** Saves a facts patch; resolves false when it was refused (the step then keeps what was typed). */
export type SaveFacts = (patch: Record<string, unknown>) => Promise<boolean>;

/** Questions shown at a time in the second step. */
const PAGE_SIZE = 8;

const INDUSTRY_CODE = /^[A-T](\d{2}|\d{3}|\d{4})?$/;

/** The wizard's second step: the browser engine's plan, or the server's questions if the profile fails validation. */
export function usePlan(
  profile: Facts | undefined,
  compiled: Compiled | null,
  m: MatchFigures | undefined,
  asOf: string,
) {
  return useMemo<Plan | null>(() => {
    if (!profile || !compiled || !m) return null;
    const published = m.results.map((r) => r.measureId);
    try {
      return planQuestions(compiled.engine, compiled.validate(profile), asOf, published);
    } catch {
      const basics = new Set(basicKeys(asOf));
      return {
        questions: m.questions.filter((q) => !basics.has(q.fact)),
        skipped: { count: 0, sectors: [] },
      };
    }
  }, [profile, compiled, m, asOf]);
}

/** The calculator's figures beside the form: they change after each save. */
export function TotalsCard({
  data,
  updating,
  link = <Link to="/calculator">查看政策计算器</Link>,
}: {
  data: MatchFigures | undefined;
  updating: boolean;
  link?: ReactNode;
}) {
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
      {link}
    </Card>
  );
}

/**
 * Step 1: the facts that decide the most measures and the size class, prefilled with what is on file.
 * `leading` keys come first (the anonymous calculator asks the district, which registration fixes otherwise).
 */
export function BasicsStep(props: {
  profile: Facts;
  compiled: Compiled;
  asOf: string;
  save: SaveFacts;
  onDone: () => void;
  leading?: string[];
  /** Keys that must be answered before saving (e.g. the district). */
  required?: string[];
  /** Fact keys (`id` or `id:year`) that came from a department's data: shown, not editable here. */
  locked?: ReadonlySet<string>;
}) {
  const { profile, compiled, asOf } = props;
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const keys = [...(props.leading ?? []), ...basicKeys(asOf)];
  const required = new Set(props.required ?? []);
  const initial = Object.fromEntries(keys.map((k) => [k, readFact(profile, k)]));
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
    const saved = await props.save(mergePatches(changed.map((k) => factPatch(k, values.basics?.[k]))));
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
          // The server refuses a self-reported change to a department's figure: say so instead of offering it.
          if (props.locked?.has(k))
            return (
              <Col xs={24} md={12} key={k}>
                <Form.Item label={compiled.engine.factLabel(k)} extra="来自部门数据，如有误请联系所在区县">
                  <Space>
                    <span>{showValue(def, initial[k])}</span>
                    <Tag style={{ color: "#003a8c", background: "#e6f4ff", borderColor: "#91caff" }}>
                      部门数据
                    </Tag>
                  </Space>
                </Form.Item>
              </Col>
            );
          const rules = [
            ...(k === "industryCode"
              ? [{ pattern: INDUSTRY_CODE, message: "应为 GB/T 4754-2017 行业代码，如 C3841" }]
              : []),
            ...(required.has(k) ? [{ required: true, message: `请选择${def.label}` }] : []),
          ];
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
                rules={rules.length ? rules : undefined}
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

/** Answers to planned questions as a facts patch: a list item's field updates that item in its list. */
export function answersPatch(profile: Facts, entries: [string, unknown][]): Record<string, unknown> {
  const lists: Facts = {};
  const plain: [string, unknown][] = [];
  for (const [k, v] of entries) {
    const item = parseItemFieldKey(k);
    if (!item) {
      plain.push([k, v]);
      continue;
    }
    const rows = (lists[item.list] ?? profile[item.list] ?? []) as Record<string, unknown>[];
    lists[item.list] = rows.map((row, i) =>
      itemRef(row, i) === item.ref ? { ...row, [item.field]: v } : row,
    );
  }
  return { ...mergePatches(plain.map(([k, v]) => factPatch(k, v))), ...lists };
}

/**
 * Step 2: the planned questions, in the order first shown (answering some does not reshuffle the rest).
 * Only the answered ones are saved, on the button; the others keep what was typed.
 */
export function QuestionsStep(props: {
  profile: Facts;
  compiled: Compiled;
  plan: Plan | null;
  asOf: string;
  basicsLeft: number;
  save: SaveFacts;
  onBasics: () => void;
  /** Where "暂无待答问题" points. */
  resultsLink?: ReactNode;
  /** Where other facts can be filled ("下方「填写其他事实」" on the profile page). */
  otherFactsHint?: string;
}) {
  const { profile, compiled, plan, asOf } = props;
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
  const industryCode = typeof profile.industryCode === "string" ? profile.industryCode : "";

  const answer = async (values: { answers?: Record<string, unknown> }) => {
    const entries = visible
      .map((q): [string, unknown] => [q.fact, values.answers?.[q.fact]])
      .filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      void message.warning("请至少回答一个问题再保存");
      return;
    }
    setBusy(true);
    await props.save(answersPatch(profile, entries));
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
          ? ` 按贵企业的行业（${industryCode}），已略过 ${plan.skipped.count} 个${plan.skipped.sectors.join("、")}等其他行业的问题${props.otherFactsHint ? `；${props.otherFactsHint}` : "。"}`
          : ""}
      </Typography.Paragraph>
      {questions.length === 0 ? (
        <Alert
          type="success"
          showIcon
          title="暂无待答问题"
          description={
            <span>
              现有画像已足以判断全部措施。
              {props.resultsLink ?? <Link to="/calculator">查看政策计算器结果</Link>}
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

/** The two-step wizard card: 基本情况 then 关键问题, opening on the basics until they are answered. */
export function WizardCard(props: {
  profile: Facts;
  compiled: Compiled;
  figures: MatchFigures | undefined;
  asOf: string;
  save: SaveFacts;
  /** Re-mounts the basics form when the stored profile changes (its version). */
  basicsKey: string;
  leading?: string[];
  required?: string[];
  resultsLink?: ReactNode;
  otherFactsHint?: string;
  locked?: ReadonlySet<string>;
}) {
  const { profile, compiled, asOf } = props;
  const [step, setStep] = useState<number | null>(null);
  const plan = usePlan(profile, compiled, props.figures, asOf);
  const keys = [...(props.leading ?? []), ...basicKeys(asOf)];
  const basicsLeft = keys.filter((k) => readFact(profile, k) === undefined).length;
  const mustFirst = (props.required ?? []).some((k) => readFact(profile, k) === undefined);
  // Open on the basics until they are all answered; the enterprise may move between steps freely.
  const current = mustFirst ? 0 : (step ?? (basicsLeft > 0 ? 0 : 1));
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>完善画像，看能拿多少</h2>}>
      <Steps
        size="small"
        current={current}
        {...(mustFirst ? {} : { onChange: setStep })}
        style={{ marginBottom: 16 }}
        items={[
          { title: "基本情况", content: basicsLeft > 0 ? `还有 ${basicsLeft} 项未填` : "已填写" },
          { title: "关键问题", content: plan ? `${plan.questions.length} 个，按金额排序` : "" },
        ]}
      />
      {current === 0 ? (
        <BasicsStep
          key={`${props.basicsKey}:${asOf}`}
          profile={profile}
          compiled={compiled}
          asOf={asOf}
          save={props.save}
          onDone={() => setStep(1)}
          {...(props.leading ? { leading: props.leading } : {})}
          {...(props.required ? { required: props.required } : {})}
          {...(props.locked ? { locked: props.locked } : {})}
        />
      ) : (
        <QuestionsStep
          key={asOf}
          profile={profile}
          compiled={compiled}
          plan={plan}
          asOf={asOf}
          basicsLeft={basicsLeft}
          save={props.save}
          onBasics={() => setStep(0)}
          resultsLink={props.resultsLink}
          {...(props.otherFactsHint ? { otherFactsHint: props.otherFactsHint } : {})}
        />
      )}
    </Card>
  );
}

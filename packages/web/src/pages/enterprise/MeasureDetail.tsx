/** One measure: 解读, clause and citation, why the enterprise is (not) eligible, live what-if, and 申报. */
import { failureText, formatRange, type MeasureExplanation, ProfileValidationError } from "@huiqi/engine";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Descriptions, Modal, Space, Spin, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, errorText, ok } from "../../api/client";
import { Page } from "../../components/Page";
import { ExemptionFlag } from "../../components/useExemptionFlags";
import { useSession } from "../../session";
import { ApplyForm, AssessmentView } from "./ApplyForm";
import {
  type AppDetail,
  amountText,
  OutcomeTag,
  rawProfile,
  readFact,
  StackingNotes,
  StatusTag,
  todayInChongqing,
  useEnterprise,
  useEnterpriseId,
  useMatches,
  useRules,
  validityProblem,
  writeFact,
} from "./common";
import { Explanation, factKeysOf, useGlossary } from "./ExplainTree";
import { FactInput } from "./FactInput";

const NOT_SIMULATED = new Set(["uscc", "name", "regionCode"]);

export default function MeasureDetail() {
  const { message } = App.useApp();
  const { doc = "", item = "" } = useParams();
  const measureId = `${doc}/${item}`;
  const id = useEnterpriseId();
  const { asOf, setAsOf } = useSession();
  const nav = useNavigate();
  const qc = useQueryClient();
  const m = useMatches(id, asOf, measureId);
  const ent = useEnterprise(id);
  const rules = useRules();
  const apps = useQuery({
    queryKey: ["applications", "measure", measureId],
    queryFn: () => ok(api.GET("/api/applications", { params: { query: { measureId } } })),
    enabled: Boolean(id),
  });
  const [edits, setEdits] = useState<Record<string, unknown>>({});
  const [applyOpen, setApplyOpen] = useState(false);
  const [draft, setDraft] = useState<AppDetail | null>(null);
  const [creating, setCreating] = useState(false);

  const row = m.data?.results[0];
  const ex = row?.explanation as MeasureExplanation | undefined;
  const glossary = useGlossary();
  const reason = (ex && glossary ? failureText(ex, glossary) : undefined) ?? row?.reason;
  const compiled = rules.compiled;
  const cm = compiled?.engine.byId.get(measureId);
  const base = useMemo(() => (ent.data ? rawProfile(ent.data) : null), [ent.data]);

  /** The what-if: the edited facts through the same validator and engine, in the browser. */
  const sim = useMemo(() => {
    if (!compiled || !cm || !base || Object.keys(edits).length === 0) return null;
    let f = base;
    for (const [k, v] of Object.entries(edits)) f = writeFact(f, k, v);
    try {
      const facts = compiled.validate(f);
      return { result: compiled.engine.evaluateMeasure(cm, facts, asOf, true), issues: null };
    } catch (e) {
      if (e instanceof ProfileValidationError)
        return { result: null, issues: e.issues.map((i) => `${i.label ?? i.field}：${i.message}`) };
      throw e;
    }
  }, [compiled, cm, base, edits, asOf]);

  /** As of today, with the stored profile: may the enterprise apply online now? */
  const today = todayInChongqing();
  const todayResult = useMemo(() => {
    if (!compiled || !cm || !base) return null;
    try {
      return compiled.engine.evaluateMeasure(cm, compiled.validate(base), today);
    } catch {
      return null;
    }
  }, [compiled, cm, base, today]);
  /** Another day than today is only for looking: applying is always judged as of today. */
  const otherDay = asOf !== today;
  const existing = apps.data?.items.find((a) => a.status !== "rejected");
  const canApply =
    Boolean(row?.monetary) &&
    !cm?.def.beneficiary &&
    todayResult !== null &&
    validityProblem(todayResult, today) === null &&
    todayResult.outcome !== "ineligible" &&
    !existing;

  const keys = factKeysOf(ex).filter((k) => !NOT_SIMULATED.has(k.split(":")[0] ?? ""));
  const vocab = compiled?.facts;

  const startApply = async () => {
    setCreating(true);
    const hide = message.loading("正在按企业画像生成申报表…", 0);
    try {
      const d = await ok(api.POST("/api/applications", { body: { enterpriseId: id, measureId } }));
      setDraft(d);
      setApplyOpen(true);
      await qc.invalidateQueries({ queryKey: ["applications"] });
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      hide();
      setCreating(false);
    }
  };

  const notFound = m.data && !row;
  const shownEx = sim?.result?.explanation ?? ex;

  return (
    <Page
      title={row?.title ?? "措施详情"}
      loading={m.isLoading || ent.isLoading}
      error={m.error ?? ent.error}
      empty={Boolean(notFound)}
      emptyText="没有找到这项措施（可能已下架）"
      extra={
        row?.monetary ? (
          existing ? (
            <Link to={`/applications/${existing.id}`}>
              <Button>
                查看我的申报 <StatusTag status={existing.status} />
              </Button>
            </Link>
          ) : canApply && !otherDay ? (
            <Button type="primary" autoInsertSpace={false} loading={creating} onClick={startApply}>
              申报
            </Button>
          ) : null
        ) : null
      }
    >
      {row && (
        <Space orientation="vertical" size={16} style={{ width: "100%" }}>
          <Card>
            <Space wrap style={{ marginBottom: 8 }}>
              <OutcomeTag outcome={row.outcome} />
              <ExemptionFlag measureId={row.measureId} />
              {validityProblem(row, asOf) === "expired" && <Tag>已过执行期限</Tag>}
              {validityProblem(row, asOf) === "notStarted" && <Tag>尚未开始执行</Tag>}
              {row.monetary && (
                <Typography.Text strong style={{ color: "#c8102e", fontSize: 18 }}>
                  {amountText(row)}
                </Typography.Text>
              )}
              <Typography.Text type="secondary">测算日 {asOf}</Typography.Text>
            </Space>
            {row.outcome === "ineligible" && reason && (
              <Alert type="warning" showIcon title={`不符合的原因：${reason}`} />
            )}
            {row.outcome === "undetermined" && row.missing.length > 0 && (
              <Alert
                type="info"
                showIcon
                title={`还需回答：${row.missing.map((x) => x.label).join("、")}`}
                description={<Link to="/profile">去企业画像回答</Link>}
              />
            )}
            <StackingNotes row={row} />
            {row.monetary && !existing && todayResult && (!canApply || otherDay) && (
              <Alert
                type={canApply ? "info" : "warning"}
                showIcon
                style={{ marginTop: 8 }}
                title={
                  canApply
                    ? `这里显示的是 ${asOf} 的测算，不能在此申报`
                    : validityProblem(todayResult, today) === "expired"
                      ? `申报已关闭：这项措施的执行期限到 ${row.validUntil ?? ""} 为止，今天（${today}）已过期限`
                      : validityProblem(todayResult, today) === "notStarted"
                        ? `还不能申报：这项措施 ${row.validFrom} 起执行，今天（${today}）尚未开始`
                        : cm?.def.beneficiary
                          ? "不能在线申报：该措施的受益对象不是企业本身，不通过线上申报办理"
                          : todayResult.outcome === "ineligible"
                            ? `不能在线申报：按当前画像，今天不符合申报条件${todayResult.reason ? `（${todayResult.reason}）` : ""}`
                            : "暂不能在线申报"
                }
                description={
                  otherDay
                    ? canApply
                      ? `申报一律按今天（${today}）有效的政策和企业画像办理。回到今天即可申报。`
                      : `上面的结果是按 ${asOf} 当天的政策测算的，只说明那天能否享受；在线申报按今天的政策办理。`
                    : undefined
                }
                action={
                  otherDay && canApply ? (
                    <Button size="small" type="primary" onClick={() => setAsOf(today)}>
                      回到今天申报
                    </Button>
                  ) : undefined
                }
              />
            )}
          </Card>

          {ex && (
            <Card title={<h4 style={{ margin: 0, fontSize: 16 }}>政策解读</h4>}>
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: "who", label: "谁能申请", children: ex.interpretation.who },
                  { key: "what", label: "支持内容", children: ex.interpretation.what },
                  ...(ex.interpretation.deadline
                    ? [{ key: "deadline", label: "申报期限", children: ex.interpretation.deadline }]
                    : []),
                  ...(ex.interpretation.materials?.length
                    ? [
                        {
                          key: "materials",
                          label:
                            ex.interpretation.materialsFromDocument === false
                              ? "常见材料（文件未列明）"
                              : "申报材料",
                          children: (
                            <ol style={{ margin: 0, paddingLeft: 18 }}>
                              {ex.interpretation.materials.map((x) => (
                                <li key={x}>{x}</li>
                              ))}
                            </ol>
                          ),
                        },
                      ]
                    : []),
                  ...(ex.interpretation.howToApply
                    ? [{ key: "how", label: "办理方式", children: ex.interpretation.howToApply }]
                    : []),
                  { key: "dept", label: "牵头单位", children: row.leadDepartmentName },
                  ...(row.contact
                    ? [
                        {
                          key: "contact",
                          label: "咨询电话",
                          children: `${row.contact.name ?? ""} ${row.contact.hotline ?? ""}`,
                        },
                      ]
                    : []),
                  {
                    key: "validity",
                    label: "执行期限",
                    children: `${row.validFrom} 至 ${row.validUntil ?? "新政策替代"}`,
                  },
                ]}
              />
            </Card>
          )}

          {ex && (
            <Card title={<h4 style={{ margin: 0, fontSize: 16 }}>政策原文</h4>}>
              <blockquote
                style={{
                  margin: 0,
                  padding: "8px 12px",
                  background: "#fafafa",
                  borderLeft: "4px solid #c8102e",
                }}
              >
                {ex.citation.clause}
              </blockquote>
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                出处：{ex.citation.issuer}《{ex.citation.docNumber}》{ex.citation.item}
                {" · "}
                <Link to={`/documents/${ex.citation.documentId}`} style={{ textDecoration: "underline" }}>
                  查看文件全文
                </Link>
              </Typography.Paragraph>
            </Card>
          )}

          {ex && (
            <Card
              title={
                <h4 style={{ margin: 0, fontSize: 16 }}>
                  {sim?.result ? "模拟测算的判断依据" : "为什么是这个结果"}
                </h4>
              }
            >
              {shownEx && <Explanation ex={shownEx} />}
            </Card>
          )}

          {ex && keys.length > 0 && (
            <Card title={<h4 style={{ margin: 0, fontSize: 16 }}>模拟测算：改一改事实看看</h4>}>
              <Alert
                type="info"
                showIcon
                title="这是模拟测算，不会保存到企业画像"
                description="修改下面的事实，结果在浏览器中用同一规则引擎即时重算；要保存请到「企业画像」页面填写。"
                style={{ marginBottom: 12 }}
              />
              {!compiled || !base ? (
                <Spin description="正在加载规则…">
                  <div style={{ height: 40 }} />
                </Spin>
              ) : (
                <>
                  <div style={{ display: "grid", gap: 12 }}>
                    {keys.map((k) => {
                      const def = vocab?.get(k.split(":")[0] ?? "");
                      if (!def) return null;
                      const fid = `whatif-${k.replace(/[^a-zA-Z0-9]/g, "-")}`;
                      const label = `${k.includes(":") ? `${k.split(":")[1]}年` : ""}${def.label}`;
                      return (
                        <div key={k}>
                          <label htmlFor={fid} style={{ display: "block", marginBottom: 4 }}>
                            {label}
                            {k in edits && (
                              <Tag color="blue" style={{ marginLeft: 6 }}>
                                已修改
                              </Tag>
                            )}
                          </label>
                          <FactInput
                            def={def}
                            id={fid}
                            ariaLabel={label}
                            value={k in edits ? edits[k] : readFact(ent.data?.profile ?? base, k)}
                            onChange={(v) => setEdits((e) => ({ ...e, [k]: v }))}
                          />
                        </div>
                      );
                    })}
                  </div>
                  <div style={{ marginTop: 12 }} aria-live="polite">
                    {sim?.issues && (
                      <Alert type="error" showIcon title="输入有误" description={sim.issues.join("；")} />
                    )}
                    {sim?.result && (
                      <Alert
                        type="warning"
                        showIcon
                        title={
                          <span>
                            模拟测算结果：
                            <OutcomeTag outcome={sim.result.outcome} />
                            {sim.result.amount ? formatRange(sim.result.amount) : ""}
                            {sim.result.reason ? `（${sim.result.reason}）` : ""}
                          </span>
                        }
                        description={`画像中的结果：${row.amount?.text ?? ""}（${row.outcome === "eligible" ? "符合" : row.outcome === "undetermined" ? "待确认" : "不符合"}）`}
                      />
                    )}
                  </div>
                  <Button
                    style={{ marginTop: 12 }}
                    disabled={Object.keys(edits).length === 0}
                    onClick={() => setEdits({})}
                  >
                    恢复为画像数据
                  </Button>
                </>
              )}
            </Card>
          )}

          {ex?.notes && ex.notes.length > 0 && (
            <Card title={<h4 style={{ margin: 0, fontSize: 16 }}>口径说明</h4>}>
              {ex.notes.map((n) => (
                <div key={n.topic} style={{ marginBottom: 12 }}>
                  <Typography.Text strong>{n.topic}</Typography.Text>
                  <div style={{ fontSize: 12, color: "#595959" }}>原文：「{n.quote}」</div>
                  <div>{n.reading}</div>
                </div>
              ))}
            </Card>
          )}
        </Space>
      )}
      <Modal
        open={applyOpen && draft !== null}
        title={`申报：${row?.title ?? ""}`}
        footer={null}
        width={640}
        onCancel={() => {
          setApplyOpen(false);
          if (draft) void message.info("申报草稿已保存，可在「我的申报」中继续填写");
        }}
        destroyOnHidden
      >
        {draft && (
          <Space orientation="vertical" style={{ width: "100%" }}>
            <AssessmentView detail={draft} />
            <ApplyForm
              detail={draft}
              submitText="提交申报"
              onSubmitted={(d) => {
                setApplyOpen(false);
                nav(`/applications/${d.id}`);
              }}
            />
          </Space>
        )}
      </Modal>
    </Page>
  );
}

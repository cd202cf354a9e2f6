/**
 * 企业画像: a two-step wizard — the basics (industry, size, R&D of the last two years), then the questions that
 * decide the most money for measures that can still apply to this enterprise (planning.ts) — with the
 * calculator's total beside it, updated after every save; below, the current facts, editable.
 */
import type { FactDefinition } from "@huiqi/engine";
import { useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
} from "antd";
import { useMemo, useState } from "react";
import { ApiError, api, errorText, ok } from "../../api/client";
import { Page } from "../../components/Page";
import { currentYear } from "../../dates";
import { useSession } from "../../session";
import {
  type EnterpriseBody,
  factPatch,
  rawProfile,
  readFact,
  showValue,
  useEnterprise,
  useEnterpriseId,
  useMatches,
  useRules,
} from "./common";
import { FactInput, preventEnterSubmit } from "./FactInput";
import { TotalsCard, WizardCard } from "./ProfileWizard";

/** Facts the enterprise does not edit here (identity is fixed at registration; derived facts are computed). */
const NOT_EDITABLE = new Set(["uscc", "regionCode"]);

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

export default function Profile() {
  const id = useEnterpriseId();
  const { asOf } = useSession();
  const ent = useEnterprise(id);
  const matches = useMatches(id, asOf);
  const rules = useRules();
  const save = useSaveFacts(id);
  const [editing, setEditing] = useState<{ key: string; value: unknown } | null>(null);
  const [adding, setAdding] = useState(false);

  const vocab = rules.compiled?.facts;
  const e = ent.data;
  const profile = useMemo(() => (e ? rawProfile(e) : undefined), [e]);
  // Facts from a department's data: the enterprise sees them but cannot change them (the server refuses too).
  const locked = useMemo(
    () =>
      new Set(
        (e?.facts ?? [])
          .filter((f) => f.source === "import")
          .map((f) => (f.period ? `${f.factId}:${f.period}` : f.factId)),
      ),
    [e],
  );

  return (
    <Page
      title="企业画像"
      loading={ent.isLoading || matches.isLoading || rules.isLoading}
      error={ent.error ?? matches.error ?? rules.error}
    >
      {e && profile && vocab && rules.compiled && (
        <Space orientation="vertical" size={16} style={{ width: "100%" }}>
          <Row gutter={[16, 16]}>
            <Col xs={{ span: 24, order: 2 }} lg={{ span: 16, order: 1 }}>
              <WizardCard
                profile={profile}
                compiled={rules.compiled}
                figures={matches.data}
                asOf={asOf}
                save={(patch) => save(e, patch)}
                basicsKey={String(e.version)}
                locked={locked}
                otherFactsHint="如确有此类情况，可用下方「填写其他事实」补充。"
              />
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
                    f.source === "verified" ? (
                      <Tag color="green">已核实</Tag>
                    ) : f.source === "import" ? (
                      <span>
                        <Tag style={{ color: "#003a8c", background: "#e6f4ff", borderColor: "#91caff" }}>
                          部门数据
                        </Tag>
                        <div style={{ color: "#595959", fontSize: 12 }}>
                          来自部门数据，如有误请联系所在区县
                        </div>
                      </span>
                    ) : (
                      <Tag>自报</Tag>
                    ),
                },
                {
                  title: "操作",
                  key: "op",
                  render: (_, f) => (
                    <Button
                      size="small"
                      autoInsertSpace={false}
                      aria-label={`修改${f.label}`}
                      disabled={f.source === "import"}
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
          locked={locked}
          onCancel={() => setAdding(false)}
          onSave={async (k, v) => {
            if (await save(e, factPatch(k, v))) setAdding(false);
          }}
        />
      )}
    </Page>
  );
}

/** One fact in a dialog: choose it (when adding), its year (per-year facts), its value; or clear it. */
function FactEditor(props: {
  title: string;
  vocab: Map<string, FactDefinition>;
  initialKey?: string;
  initialValue?: unknown;
  profile?: Record<string, unknown>;
  locked?: ReadonlySet<string>;
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
  const isLocked = props.locked?.has(key) ?? false;
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
          disabled={!def || value === undefined || isLocked}
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
        {def && isLocked && (
          <Alert
            type="info"
            showIcon
            title={`${def.perYear ? `${year}年度` : ""}${def.label}来自部门数据（${showValue(def, value)}），不能在此修改；如有误请联系所在区县。`}
          />
        )}
        {def && !isLocked && (
          <Form.Item label={def.label} htmlFor="fact-editor-value" extra={def.question}>
            <FactInput def={def} id="fact-editor-value" value={value} onChange={setValue} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

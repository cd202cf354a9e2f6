/**
 * 企业申报的事实 on the review page: each fact the measure reads, named and valued in Chinese from the fact
 * vocabulary (the engine's own wording: labels, units, enum labels, list records by their field labels), as
 * declared when the enterprise applied and as the profile holds it now, with its source — 企业自报, or
 * 已核实 by whom and when. Staff who may verify mark a fact 已核实 here (POST …/facts/verify, audited); a value
 * is corrected by the enterprise (the verify API does not change values), which makes it 企业自报 again.
 */
import { factKeyType, type Glossary, typeOf, type ValueType } from "@huiqi/engine";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Descriptions, Popconfirm, Table } from "antd";
import { useState } from "react";
import { api, errorText, ok } from "../../api/client";
import type { paths } from "../../api/schema";
import { MUTED, SafeTag } from "../../components/ApplicationTags";
import { dateTime } from "../../dates";
import { useGlossary } from "../enterprise/ExplainTree";
import { factRowLabel, recordWords, storedKey, valueWords } from "./fact-text";

type Enterprise = paths["/api/enterprises/{id}"]["get"]["responses"][200]["content"]["application/json"];
type StoredFact = Enterprise["facts"][number];

export interface AssessedFact {
  label: string;
  value: unknown;
  unit: string | null;
}

/** A value, list records one per line by their field labels ("类型：智能工厂，级别：市级…"). */
export function FactValue({ value, ty, g }: { value: unknown; ty: ValueType; g: Glossary }) {
  if (ty.k !== "list" || !Array.isArray(value)) return <span>{valueWords(value, ty, g)}</span>;
  if (value.length === 0) return <span>暂无</span>;
  return (
    <ol style={{ margin: 0, paddingLeft: 18 }}>
      {(value as Record<string, unknown>[]).map((item, i) => {
        const r = recordWords(ty, item, i, g);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: records have no id; the order is the stored order.
          <li key={i}>
            <span style={{ fontWeight: 500 }}>{r.name}</span>
            {r.fields.length > 0 && <div style={{ color: MUTED, fontSize: 12 }}>{r.fields.join("，")}</div>}
          </li>
        );
      })}
    </ol>
  );
}

function SourceTag({ f }: { f: StoredFact }) {
  if (f.source === "import")
    return (
      <span>
        <SafeTag color="blue">部门数据</SafeTag>
        {f.importFile ? (
          <span style={{ color: MUTED, fontSize: 12 }}>
            {f.importFile}
            {f.importRow ? ` 第 ${f.importRow} 行` : ""}
          </span>
        ) : null}
      </span>
    );
  if (f.source !== "verified") return <SafeTag>企业自报</SafeTag>;
  return (
    <span>
      <SafeTag color="green">已核实</SafeTag>
      <span style={{ color: MUTED, fontSize: 12 }}>
        {f.verifiedByName ?? "部门经办人"} · {dateTime(f.updatedAt)}
      </span>
    </span>
  );
}

interface Row {
  key: string;
  label: string;
  ty: ValueType;
  declared: unknown;
  stored: StoredFact | undefined;
}

export function FactsTable({
  enterpriseId,
  asOf,
  facts,
  canVerify,
}: {
  enterpriseId: string;
  asOf: string | undefined;
  facts: Record<string, AssessedFact>;
  canVerify: boolean;
}) {
  const { message } = App.useApp();
  const g = useGlossary();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const ent = useQuery({
    queryKey: ["enterprise", enterpriseId],
    queryFn: () => ok(api.GET("/api/enterprises/{id}", { params: { path: { id: enterpriseId } } })),
  });
  const stored = new Map((ent.data?.facts ?? []).map((f) => [`${f.factId}:${f.period}`, f]));
  const rows: Row[] = Object.entries(facts).map(([key, f]) => {
    const ty: ValueType = g ? factKeyType(key, g) : { k: "any" };
    const s = storedKey(key);
    return {
      key,
      label: g ? factRowLabel(key, g, f.unit) : f.label,
      ty,
      declared: f.value,
      stored: stored.get(`${s.factId}:${s.period}`),
    };
  });

  async function verify(r: Row) {
    const s = storedKey(r.key);
    setBusy(r.key);
    try {
      const next = await ok(
        api.POST("/api/enterprises/{id}/facts/verify", {
          params: { path: { id: enterpriseId } },
          body: { facts: [{ factId: s.factId, period: s.period }] },
        }),
      );
      qc.setQueryData(["enterprise", enterpriseId], next);
      void message.success(`已核实：${r.label}`);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      {ent.data && (
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="统一社会信用代码">{ent.data.uscc}</Descriptions.Item>
          <Descriptions.Item label="所在区县">{ent.data.regionName ?? ent.data.regionCode}</Descriptions.Item>
          <Descriptions.Item label="行业代码">{ent.data.industryCode ?? "—"}</Descriptions.Item>
        </Descriptions>
      )}
      {ent.error ? <Alert type="warning" showIcon title={`企业画像：${errorText(ent.error)}`} /> : null}
      <Table<Row>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={g ? rows : []}
        loading={!g}
        aria-label="企业申报的事实"
        locale={{ emptyText: <span style={{ color: MUTED }}>{"该措施不需要企业事实"}</span> }}
        columns={[
          { title: "事实（单位）", dataIndex: "label", width: 120 },
          {
            title: `申报时（${asOf ?? "—"}）`,
            key: "declared",
            render: (_, r) => (g ? <FactValue value={r.declared} ty={r.ty} g={g} /> : null),
          },
          {
            title: "当前画像与来源",
            key: "now",
            render: (_, r) => {
              if (!r.stored)
                return ent.isLoading ? "…" : <span style={{ color: MUTED }}>未填写或由其他事实推算</span>;
              const base = g?.facts.get(r.stored.factId);
              const ty: ValueType = base ? typeOf(base) : r.ty;
              return (
                <div>
                  {g && <FactValue value={r.stored.value} ty={ty} g={g} />}
                  <div style={{ marginTop: 4 }}>
                    <SourceTag f={r.stored} />
                  </div>
                </div>
              );
            },
          },
          ...(canVerify
            ? [
                {
                  title: "核实",
                  key: "verify",
                  width: 96,
                  render: (_: unknown, r: Row) =>
                    r.stored && r.stored.source !== "verified" ? (
                      <Popconfirm
                        title={`核实「${r.label}」`}
                        description="确认已对照材料核实当前画像中的这一项？核实记入审计；企业之后修改该项时恢复为企业自报。"
                        okText="确认已核实"
                        cancelText="取消"
                        okButtonProps={{ autoInsertSpace: false }}
                        cancelButtonProps={{ autoInsertSpace: false }}
                        onConfirm={() => verify(r)}
                      >
                        <Button
                          size="small"
                          autoInsertSpace={false}
                          loading={busy === r.key}
                          aria-label={`核实 ${r.label}`}
                        >
                          标记已核实
                        </Button>
                      </Popconfirm>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

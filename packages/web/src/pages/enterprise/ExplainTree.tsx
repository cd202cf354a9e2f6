/** The engine's explanation tree: each condition ✔／✘／？ with the actual facts, the requirement and the quoted text. */
import type {
  AmountExplanation,
  ExplanationNode,
  FactDefinition,
  FactValue,
  MeasureExplanation,
} from "@huiqi/engine";
import { Typography } from "antd";
import { yuan } from "../../api/client";
import { showValue } from "./common";

type Vocab = Map<string, FactDefinition> | undefined;

function Mark({ result }: { result: boolean | "unknown" }) {
  const [sym, color, label] =
    result === true
      ? ["✔", "#389e0d", "满足"]
      : result === false
        ? ["✘", "#cf1322", "不满足"]
        : ["？", "#d46b08", "未知"];
  return (
    <span role="img" aria-label={label} title={label} style={{ color, fontWeight: 700, marginRight: 6 }}>
      {sym}
    </span>
  );
}

function Facts({ facts, vocab }: { facts?: FactValue[] | undefined; vocab: Vocab }) {
  if (!facts?.length) return null;
  return (
    <div style={{ fontSize: 12, color: "#555" }}>
      实际：
      {facts.map((f, i) => (
        <span key={f.key}>
          {i > 0 ? "；" : ""}
          {f.label} = <b>{showValue(vocab?.get(f.key.split(":")[0] ?? ""), f.value)}</b>
        </span>
      ))}
    </div>
  );
}

function Quote({ text }: { text?: string | undefined }) {
  if (!text) return null;
  return (
    <div style={{ fontSize: 12, color: "#595959", borderLeft: "3px solid #eee", paddingLeft: 6 }}>
      原文：「{text}」
    </div>
  );
}

export const GROUP_TEXT: Record<string, string> = {
  all: "以下条件须全部满足",
  any: "以下条件满足其一即可",
  not: "不属于以下情形",
};

export function ConditionTree({ node, vocab }: { node: ExplanationNode; vocab: Vocab }) {
  const title = node.label ?? GROUP_TEXT[node.kind] ?? node.expr ?? node.kind;
  return (
    <li style={{ margin: "6px 0" }}>
      <Mark result={node.result} />
      <span>{title}</span>
      {node.required && (
        <span style={{ fontSize: 12, color: "#555" }}>
          （要求：<code>{node.expr ?? node.required}</code>）
        </span>
      )}
      <Facts facts={node.facts} vocab={vocab} />
      <Quote text={node.quote} />
      {node.children && (
        <ul style={{ paddingLeft: 18, listStyle: "none" }}>
          {node.children.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: tree nodes are positional
            <ConditionTree key={i} node={c} vocab={vocab} />
          ))}
        </ul>
      )}
    </li>
  );
}

function rangeText(r: { min: number; max: number | null }): string {
  if (r.max === null) return r.min > 0 ? `${yuan(r.min)} 起，上限未定` : "上限未定";
  if (r.min === r.max) return yuan(r.min);
  return `${yuan(r.min)} ～ ${yuan(r.max)}`;
}

export const AMOUNT_KIND: Record<string, string> = {
  fixed: "定额",
  range: "金额区间",
  upTo: "最高额",
  rate: "按比例",
  cap: "封顶",
  floor: "保底",
  sum: "合计",
  max: "就高",
  min: "取低",
  tiers: "分档",
  cases: "分情形",
  topUp: "补差",
  forEach: "逐项计算",
  perUnit: "按数量",
  expr: "算式",
};

export function AmountTree({ node, vocab }: { node: AmountExplanation; vocab: Vocab }) {
  return (
    <li style={{ margin: "6px 0" }}>
      <span style={{ fontWeight: 600 }}>{rangeText(node.amount)}</span>
      <span style={{ marginLeft: 6 }}>{node.label ?? AMOUNT_KIND[node.kind] ?? node.kind}</span>
      {node.formula && (
        <div style={{ fontSize: 12 }}>
          算式：<code>{node.formula}</code>
        </div>
      )}
      <Facts facts={node.facts} vocab={vocab} />
      <Quote text={node.quote} />
      {node.conditions && (
        <ul style={{ paddingLeft: 18, listStyle: "none" }}>
          {node.conditions.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: tree nodes are positional
            <ConditionTree key={i} node={c} vocab={vocab} />
          ))}
        </ul>
      )}
      {node.children && (
        <ul style={{ paddingLeft: 18 }}>
          {node.children.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: tree nodes are positional
            <AmountTree key={i} node={c} vocab={vocab} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function Explanation({ ex, vocab }: { ex: MeasureExplanation; vocab: Vocab }) {
  return (
    <div>
      <ul style={{ paddingLeft: 0, listStyle: "none", margin: 0 }}>
        <li style={{ margin: "6px 0" }}>
          <Mark result={ex.validity.ok} />
          执行期限 {ex.validity.from} 至 {ex.validity.until ?? "新政策替代"}，测算日 {ex.validity.asOf}
          {ex.validity.ok ? "在执行期内" : "不在执行期内（已过执行期限或尚未开始）"}
          <Quote text={ex.validity.quote} />
        </li>
        <li style={{ margin: "6px 0" }}>
          <Mark result={ex.region.result} />
          适用区域：行政区划代码 {ex.region.required}
          {ex.region.required.endsWith("0000") ? "（全市）" : ""}；本企业 {String(ex.region.actual ?? "未知")}
        </li>
        {ex.eligibility ? (
          <ConditionTree node={ex.eligibility} vocab={vocab} />
        ) : (
          <li style={{ margin: "6px 0" }}>本措施没有其他申报条件</li>
        )}
      </ul>
      {ex.amount && (
        <>
          <Typography.Title level={4} style={{ fontSize: 15, marginTop: 12 }}>
            金额测算
          </Typography.Title>
          <ul style={{ paddingLeft: 0, listStyle: "none" }}>
            <AmountTree node={ex.amount} vocab={vocab} />
          </ul>
        </>
      )}
    </div>
  );
}

/** Every fact key (id or id:year) the explanation read. */
export function factKeysOf(ex: MeasureExplanation | undefined): string[] {
  const keys = new Set<string>();
  const cond = (n: ExplanationNode | null | undefined) => {
    if (!n) return;
    for (const f of n.facts ?? []) keys.add(f.key);
    for (const c of n.children ?? []) cond(c);
  };
  const amt = (n: AmountExplanation | null | undefined) => {
    if (!n) return;
    for (const f of n.facts ?? []) keys.add(f.key);
    for (const c of n.conditions ?? []) cond(c);
    for (const c of n.children ?? []) amt(c);
  };
  cond(ex?.eligibility);
  amt(ex?.amount);
  return [...keys];
}

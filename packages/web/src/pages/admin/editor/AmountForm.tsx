/**
 * 金额: forms for the common shapes — 固定金额, 最高, 比例×基数（封顶）, 分档, 按件/按数量, 补足差额. Money is typed in
 * 元 or 万元 and kept as integer 分 until it is written to YAML as an exact 元 number. Any other shape is left
 * to 专家模式.
 */
import type { FactType } from "@huiqi/engine";
import { Alert, Button, Input, Select, Space, Typography } from "antd";
import { useId, useState } from "react";
import {
  fenToYamlYuan,
  formatMoney,
  type MoneyUnit,
  parseMoney,
  percentToRate,
  preferredUnit,
  ratePercent,
  yamlYuanToFen,
} from "./money";
import type { Vocabulary } from "./vocabulary";
import { yamlOf } from "./yamlText";

type Obj = Record<string, unknown>;
export type Shape = "none" | "fixed" | "upTo" | "rate" | "tiers" | "perUnit" | "topUp" | "complex";

export const SHAPE_LABEL: Record<Exclude<Shape, "complex">, string> = {
  none: "无金额",
  fixed: "固定金额",
  upTo: "最高（不超过）",
  rate: "比例×基数（可封顶）",
  tiers: "分档",
  perUnit: "按件/按数量",
  topUp: "补足差额",
};

const META = ["label", "quote"];
const only = (o: Obj, keys: string[]) => Object.keys(o).every((k) => keys.includes(k) || META.includes(k));
const isMoney = (v: unknown) => yamlYuanToFen(v) !== undefined;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The engine writes a capped amount as a node of its own, `{cap, amount: {rate, base}}` (an amount node has one
 * form only). The forms show it flat, the cap beside the rate or per-unit amount: this flattens…
 */
export function splitCap(o: Obj): Obj {
  if (o.cap === undefined || !isObj(o.amount) || !only(o, ["cap", "amount"])) return o;
  const outer: Obj = {};
  for (const k of META) if (o[k] !== undefined) outer[k] = o[k];
  return { ...o.amount, cap: o.cap, ...outer };
}

/** …and this writes a flat rate or per-unit amount with a cap back as the engine's `{cap, amount}`. */
export function joinCap(flat: Obj): Obj {
  if (flat.cap === undefined || !("rate" in flat || "perUnit" in flat)) return flat;
  const { cap, label, quote, ...inner } = flat;
  return {
    cap,
    amount: inner,
    ...(label !== undefined ? { label } : {}),
    ...(quote !== undefined ? { quote } : {}),
  };
}

/** Which form can edit this amount. */
export function shapeOf(a: unknown): Shape {
  if (a === undefined || a === null) return "none";
  if (typeof a === "number") return isMoney(a) ? "fixed" : "complex";
  if (typeof a !== "object" || Array.isArray(a)) return "complex";
  const o = splitCap(a as Obj);
  if ("fixed" in o && only(o, ["fixed"]) && isMoney(o.fixed)) return "fixed";
  if ("upTo" in o && only(o, ["upTo"]) && isMoney(o.upTo)) return "upTo";
  if (
    "rate" in o &&
    only(o, ["rate", "base", "cap"]) &&
    typeof o.base === "string" &&
    ratePercent(o.rate) !== undefined
  )
    return o.cap === undefined || isMoney(o.cap) ? "rate" : "complex";
  if (
    "perUnit" in o &&
    only(o, ["perUnit", "count", "cap"]) &&
    isMoney(o.perUnit) &&
    typeof o.count === "string"
  )
    return o.cap === undefined || isMoney(o.cap) ? "perUnit" : "complex";
  if ("topUp" in o && only(o, ["topUp", "received"]) && isMoney(o.topUp) && typeof o.received === "string")
    return "topUp";
  if ("tiers" in o && only(o, ["tiers"])) {
    const t = o.tiers as { value?: unknown; steps?: unknown } | null;
    const steps = Array.isArray(t?.steps) ? (t.steps as Obj[]) : null;
    if (
      typeof t?.value === "string" &&
      steps &&
      steps.every((s) => typeof s.atLeast === "number" && isMoney(s.amount) && only(s, ["atLeast", "amount"]))
    )
      return "tiers";
  }
  return "complex";
}

/** A short Chinese summary of an amount, for the measure list. */
export function amountText(a: unknown): string {
  const s = shapeOf(a);
  const money = (v: unknown) => {
    const fen = yamlYuanToFen(v);
    return fen === undefined ? "" : `${formatMoney(fen, preferredUnit(fen))}${preferredUnit(fen)}`;
  };
  const o = isObj(a) ? splitCap(a) : {};
  switch (s) {
    case "none":
      return "—";
    case "fixed":
      return money(typeof a === "number" ? a : o.fixed);
    case "upTo":
      return `最高 ${money(o.upTo)}`;
    case "rate":
      return `按 ${ratePercent(o.rate)}%${o.cap !== undefined ? `，最高 ${money(o.cap)}` : ""}`;
    case "perUnit":
      return `每件 ${money(o.perUnit)}${o.cap !== undefined ? `，最高 ${money(o.cap)}` : ""}`;
    case "topUp":
      return `补足至 ${money(o.topUp)}`;
    case "tiers":
      return "分档";
    default:
      return "较复杂";
  }
}

/** A money amount typed in 元 or 万元; reports 分 (undefined while the text is not a valid amount). */
export function MoneyInput({
  fen,
  onChange,
  label,
}: {
  fen: number | undefined;
  onChange: (fen: number | undefined) => void;
  label: string;
}) {
  const id = useId();
  const [unit, setUnit] = useState<MoneyUnit>(fen === undefined ? "万元" : preferredUnit(fen));
  const [text, setText] = useState(fen === undefined ? "" : formatMoney(fen, unit));
  const parsed = parseMoney(text, unit);
  const bad = text.trim() !== "" && parsed === undefined;
  return (
    <div>
      <label htmlFor={id} style={{ display: "block" }}>
        {label}
      </label>
      <Space.Compact>
        <Input
          id={id}
          inputMode="decimal"
          style={{ width: 150 }}
          value={text}
          status={bad ? "error" : undefined}
          aria-invalid={bad}
          onChange={(e) => {
            setText(e.target.value);
            const f = parseMoney(e.target.value, unit);
            if (f !== undefined || e.target.value.trim() === "") onChange(f);
          }}
        />
        <Select
          aria-label={`${label}的单位`}
          value={unit}
          onChange={(u: MoneyUnit) => {
            // Same amount, shown in the other unit.
            if (parsed !== undefined) setText(formatMoney(parsed, u));
            setUnit(u);
          }}
          options={[
            { value: "万元", label: "万元" },
            { value: "元", label: "元" },
          ]}
        />
      </Space.Compact>
      {bad && (
        <div role="alert" style={{ color: "#a8071a", fontSize: 12 }}>
          {unit === "元" ? "请填写数字，至多两位小数" : "请填写数字，至多六位小数"}
        </div>
      )}
      {parsed !== undefined && unit === "万元" && (
        <div style={{ fontSize: 12, color: "#595959" }}>即 {formatMoney(parsed, "元")} 元</div>
      )}
    </div>
  );
}

/** A fact read by an amount (基数、数量、已享受金额、分档依据): picked from the vocabulary by type; per-year facts take a year. */
function FactRef({
  value,
  onChange,
  label,
  types,
  vocab,
}: {
  value: string;
  onChange: (expr: string) => void;
  label: string;
  types: FactType[];
  vocab: Vocabulary;
}) {
  const id = useId();
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\[(\d{4})\])?$/.exec(value.trim());
  const known = m ? vocab.byId.get(m[1] as string) : undefined;
  const factId = known ? known.id : value ? "__custom" : null;
  const year = m?.[2] ?? "";
  const options = vocab.facts
    .filter((f) => types.includes(f.type))
    .map((f) => ({ value: f.id, label: f.label }));
  if (factId === "__custom")
    options.unshift({ value: "__custom", label: "自定义计算（在专家模式中查看和修改）" });
  return (
    <Space wrap align="end">
      <div>
        <label htmlFor={id} style={{ display: "block" }}>
          {label}
        </label>
        <Select
          id={id}
          showSearch
          optionFilterProp="label"
          style={{ width: 260, maxWidth: "80vw" }}
          value={factId}
          placeholder="选择企业信息"
          onChange={(v: string) => {
            if (v === "__custom") return;
            const f = vocab.byId.get(v);
            onChange(f?.perYear ? `${v}[${year || new Date().getFullYear() - 1}]` : v);
          }}
          options={options}
        />
      </div>
      {known?.perYear && (
        <div>
          <label htmlFor={`${id}-y`} style={{ display: "block" }}>
            年度
          </label>
          <Input
            id={`${id}-y`}
            style={{ width: 90 }}
            defaultValue={year}
            onChange={(e) => {
              if (/^\d{4}$/.test(e.target.value)) onChange(`${known.id}[${e.target.value}]`);
            }}
          />
        </div>
      )}
    </Space>
  );
}

export default function AmountForm({
  value,
  onChange: write,
  vocab,
}: {
  value: unknown;
  onChange: (next: unknown) => void;
  vocab: Vocabulary;
}) {
  const id = useId();
  const shape = shapeOf(value);
  const onChange = (next: unknown) => write(isObj(next) ? joinCap(next) : next);
  const o: Obj = isObj(value) ? splitCap(value) : {};
  const meta: Obj = {};
  for (const k of META) if (o[k] !== undefined) meta[k] = o[k];
  const put = (fields: Obj) => onChange({ ...fields, ...meta });
  const yuan = (fen: number | undefined) => (fen === undefined ? undefined : fenToYamlYuan(fen));

  const pick = (s: Shape) => {
    switch (s) {
      case "none":
        return onChange(undefined);
      case "fixed":
        return put({ fixed: 0 });
      case "upTo":
        return put({ upTo: 0 });
      case "rate":
        return put({ rate: "10%", base: "" });
      case "tiers":
        return put({ tiers: { value: "", steps: [{ atLeast: 0, amount: 0 }] } });
      case "perUnit":
        return put({ perUnit: 0, count: "" });
      case "topUp":
        return put({ topUp: 0, received: "" });
    }
  };

  const money = (key: string, label: string, optional = false) => (
    <MoneyInput
      key={key}
      label={label}
      fen={key === "fixed" && typeof value === "number" ? yamlYuanToFen(value) : yamlYuanToFen(o[key])}
      onChange={(fen) => {
        if (fen === undefined && !optional) return;
        const next: Obj = typeof value === "number" ? { fixed: value, ...meta } : { ...o };
        if (fen === undefined) delete next[key];
        else next[key] = yuan(fen);
        onChange(next);
      }}
    />
  );

  return (
    <div>
      <div style={{ marginBottom: 8 }}>
        <label htmlFor={`${id}-shape`} style={{ display: "block" }}>
          金额形式
        </label>
        <Select
          id={`${id}-shape`}
          style={{ width: 220 }}
          value={shape === "complex" ? null : shape}
          placeholder="较复杂的金额"
          onChange={(s: Shape) => pick(s)}
          options={Object.entries(SHAPE_LABEL).map(([v, label]) => ({ value: v, label }))}
        />
      </div>
      {shape === "complex" && (
        <Alert
          type="info"
          showIcon
          title="此金额较复杂，请在专家模式中编辑"
          description={
            <pre style={{ whiteSpace: "pre-wrap", margin: 0, maxHeight: 240, overflow: "auto" }}>
              {yamlOf(value)}
            </pre>
          }
        />
      )}
      {shape === "fixed" && money("fixed", "金额")}
      {shape === "upTo" && money("upTo", "最高金额")}
      {shape === "rate" && (
        <Space direction="vertical">
          <div>
            <label htmlFor={`${id}-rate`} style={{ display: "block" }}>
              比例
            </label>
            <Input
              id={`${id}-rate`}
              style={{ width: 120 }}
              suffix="%"
              defaultValue={ratePercent(o.rate) ?? ""}
              onChange={(e) => {
                const r = percentToRate(e.target.value);
                if (r) onChange({ ...o, rate: r });
              }}
            />
          </div>
          <FactRef
            label="基数"
            types={["money"]}
            vocab={vocab}
            value={String(o.base ?? "")}
            onChange={(base) => onChange({ ...o, base })}
          />
          {money("cap", "封顶金额（不封顶则留空）", true)}
        </Space>
      )}
      {shape === "perUnit" && (
        <Space direction="vertical">
          {money("perUnit", "每件（每个）金额")}
          <FactRef
            label="数量"
            types={["integer"]}
            vocab={vocab}
            value={String(o.count ?? "")}
            onChange={(count) => onChange({ ...o, count })}
          />
          {money("cap", "封顶金额（不封顶则留空）", true)}
        </Space>
      )}
      {shape === "topUp" && (
        <Space direction="vertical">
          {money("topUp", "补足到的金额")}
          <FactRef
            label="已享受的金额"
            types={["money"]}
            vocab={vocab}
            value={String(o.received ?? "")}
            onChange={(received) => onChange({ ...o, received })}
          />
        </Space>
      )}
      {shape === "tiers" && <Tiers o={o} onChange={onChange} vocab={vocab} />}
    </div>
  );
}

function Tiers({ o, onChange, vocab }: { o: Obj; onChange: (next: unknown) => void; vocab: Vocabulary }) {
  const tiers = o.tiers as { value: string; steps: { atLeast: number; amount: number }[] };
  const m = /^([A-Za-z][A-Za-z0-9_]*)/.exec(tiers.value);
  const unit = m ? vocab.byId.get(m[1] as string)?.unit : undefined;
  const set = (next: Partial<typeof tiers>) => onChange({ ...o, tiers: { ...tiers, ...next } });
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <FactRef
        label="分档依据"
        types={["money", "integer", "ratio"]}
        vocab={vocab}
        value={tiers.value}
        onChange={(value) => set({ value })}
      />
      <Typography.Text>各档（达到下限即适用该档金额，取满足的最高一档）：</Typography.Text>
      {tiers.steps.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: steps are identified by their position.
        <Space key={`${i}-${tiers.steps.length}`} wrap align="end">
          <div>
            <label htmlFor={`tier-${i}`} style={{ display: "block" }}>
              第 {i + 1} 档下限{unit ? `（${unit}）` : ""}
            </label>
            <Input
              id={`tier-${i}`}
              style={{ width: 150 }}
              defaultValue={String(s.atLeast)}
              onChange={(e) => {
                if (!/^\d+(\.\d{1,2})?$/.test(e.target.value.trim())) return;
                set({
                  steps: tiers.steps.map((x, j) => (j === i ? { ...x, atLeast: Number(e.target.value) } : x)),
                });
              }}
            />
          </div>
          <MoneyInput
            label={`第 ${i + 1} 档金额`}
            fen={yamlYuanToFen(s.amount)}
            onChange={(fen) => {
              if (fen === undefined) return;
              set({ steps: tiers.steps.map((x, j) => (j === i ? { ...x, amount: fenToYamlYuan(fen) } : x)) });
            }}
          />
          <Button
            size="small"
            style={{ color: "#a8071a", borderColor: "#ffa39e" }}
            disabled={tiers.steps.length <= 1}
            onClick={() => set({ steps: tiers.steps.filter((_, j) => j !== i) })}
          >
            删除此档
          </Button>
        </Space>
      ))}
      <Button size="small" onClick={() => set({ steps: [...tiers.steps, { atLeast: 0, amount: 0 }] })}>
        添加一档
      </Button>
    </Space>
  );
}

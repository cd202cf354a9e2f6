/** Shared pieces of the enterprise portal: typed queries, the browser engine, outcome and status labels. */
import {
  AMOUNT_UNSTATED_TEXT,
  compileRules,
  type Engine,
  type FactDefinition,
  type Facts,
  makeProfileValidator,
  type RuleSet,
} from "@huiqi/engine";
import { useQuery } from "@tanstack/react-query";
import { Tag, Typography } from "antd";
import { useMemo } from "react";
import { api, ok, yuanShort } from "../../api/client";
import type { paths } from "../../api/schema";
import { daysBetween } from "../../dates.ts";
import { useSession } from "../../session";

type Json<P extends keyof paths, M extends "get" | "post" | "put", S extends number> = paths[P][M] extends {
  responses: { [K in S]: { content: { "application/json": infer T } } };
}
  ? T
  : never;

export type MatchBody = Json<"/api/enterprises/{id}/matches", "get", 200>;
export type MatchRow = MatchBody["results"][number];
export type Question = MatchBody["questions"][number];
export type EnterpriseBody = Json<"/api/enterprises/{id}", "get", 200>;
export type StoredFact = EnterpriseBody["facts"][number];
export type AppDetail = Json<"/api/applications/{id}", "get", 200>;
export type AppSummary = Json<"/api/applications", "get", 200>["items"][number];

/** The signed-in enterprise's id ("" for other roles: the enterprise routes are guarded by role anyway). */
export function useEnterpriseId(): string {
  const { me } = useSession();
  return me?.actor.enterpriseId ?? "";
}

export function useEnterprise(id: string) {
  return useQuery({
    queryKey: ["enterprise", id],
    queryFn: () => ok(api.GET("/api/enterprises/{id}", { params: { path: { id } } })),
    enabled: Boolean(id),
  });
}

/**
 * The enterprise's matches. The server returns eligible and undetermined measures by default; `ineligible`
 * asks for the ineligible ones too (with reasons: the calculator's 不符合 and expired sections). `measure`:
 * that one measure, whatever its outcome, with its explanation.
 */
export function useMatches(id: string, asOf: string, measure?: string, opts: { ineligible?: boolean } = {}) {
  const all = opts.ineligible === true && !measure;
  return useQuery({
    queryKey: ["matches", id, asOf, measure ?? null, all ? "all" : "compact"],
    queryFn: () =>
      ok(
        api.GET("/api/enterprises/{id}/matches", {
          params: {
            path: { id },
            query: measure
              ? { asOf, measure, explain: "true" }
              : all
                ? { asOf, include: "ineligible" }
                : { asOf },
          },
        }),
      ),
    enabled: Boolean(id),
  });
}

/** The rule set (GET /api/rules), loaded once per session, compiled in the browser with the same engine. */
export function useRules() {
  const q = useQuery({
    queryKey: ["rules"],
    queryFn: async () => (await ok(api.GET("/api/rules"))) as unknown as RuleSet,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const compiled = useMemo(() => {
    if (!q.data) return null;
    const engine: Engine = compileRules(q.data);
    const validate = makeProfileValidator(q.data.vocabulary);
    const facts = new Map(q.data.vocabulary.facts.map((f) => [f.id, f]));
    return { rules: q.data, engine, validate, facts };
  }, [q.data]);
  return { ...q, compiled };
}

/** The profile as the enterprise declared it (identity + stored facts), before derived facts. */
export function rawProfile(e: EnterpriseBody): Facts {
  const f: Facts = { uscc: e.uscc, name: e.name, regionCode: e.regionCode };
  if (e.industryCode) f.industryCode = e.industryCode;
  for (const s of e.facts) {
    if (s.period) {
      const series = (f[s.factId] as Record<string, unknown> | undefined) ?? {};
      series[s.period] = s.value;
      f[s.factId] = series;
    } else f[s.factId] = s.value;
  }
  return f;
}

/** Fact key "id" or "id:year" → the PUT body fragment. */
export function factPatch(key: string, value: unknown): Record<string, unknown> {
  const [id, year] = key.split(":") as [string, string | undefined];
  return year ? { [id]: { [year]: value } } : { [id]: value };
}

/** Merges patches (per-year facts merge by year). */
export function mergePatches(patches: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of patches)
    for (const [k, v] of Object.entries(p)) {
      const prev = out[k];
      if (
        prev &&
        typeof prev === "object" &&
        !Array.isArray(prev) &&
        v &&
        typeof v === "object" &&
        !Array.isArray(v)
      )
        out[k] = { ...(prev as object), ...(v as object) };
      else out[k] = v;
    }
  return out;
}

/** Reads a fact key from a raw profile. */
export function readFact(f: Facts, key: string): unknown {
  const [id, year] = key.split(":") as [string, string | undefined];
  const v = f[id];
  if (!year) return v;
  return v && typeof v === "object" ? (v as Record<string, unknown>)[year] : undefined;
}

export function writeFact(f: Facts, key: string, value: unknown): Facts {
  const [id, year] = key.split(":") as [string, string | undefined];
  const out: Facts = { ...f };
  if (!year) {
    if (value === undefined) delete out[id];
    else out[id] = value;
    return out;
  }
  const series = { ...((f[id] as Record<string, unknown> | undefined) ?? {}) };
  if (value === undefined) delete series[year];
  else series[year] = value;
  out[id] = series;
  return out;
}

type AnyDef = Pick<FactDefinition, "type" | "unit" | "values" | "fields">;

/** A fact value in Chinese for display. */
export function showValue(def: AnyDef | undefined, v: unknown): string {
  if (v === undefined || v === "未知") return "未知";
  if (v === null) return "无";
  if (!def) return typeof v === "object" ? JSON.stringify(v) : String(v);
  switch (def.type) {
    case "boolean":
      return v ? "是" : "否";
    case "money":
      return typeof v === "number"
        ? `${v.toLocaleString("zh-CN", { maximumFractionDigits: 2 })} 元`
        : String(v);
    case "ratio":
      return typeof v === "number" ? `${Number((v * 100).toFixed(4))}%` : String(v);
    case "enum":
      return def.values?.find((x) => x.value === v)?.label ?? String(v);
    case "stringList":
      return Array.isArray(v) ? v.join("、") || "暂无" : String(v);
    case "list": {
      if (!Array.isArray(v)) return String(v);
      // An answered "none" (暂无投资项目 = []): known, and not the same as unknown.
      if (v.length === 0) return "暂无";
      return v
        .map((item) =>
          (def.fields ?? [])
            .filter((fd) => (item as Record<string, unknown>)[fd.id] !== undefined)
            .map((fd) => `${fd.label}：${showValue(fd, (item as Record<string, unknown>)[fd.id])}`)
            .join("，"),
        )
        .join("；");
    }
    default:
      return `${String(v)}${def.unit && def.unit !== "元" ? ` ${def.unit}` : ""}`;
  }
}

export const OUTCOME = {
  eligible: { label: "符合", color: "success" },
  undetermined: { label: "待确认", color: "warning" },
  ineligible: { label: "不符合", color: "default" },
} as const;

export function OutcomeTag({ outcome }: { outcome: keyof typeof OUTCOME }) {
  const o = OUTCOME[outcome];
  return <Tag color={o.color}>{o.label}</Tag>;
}

/** Expired (or not yet started) as of the date: the engine's validity reason. */
export function validityProblem(r: { validFrom: string; validUntil?: string }, asOf: string) {
  if (asOf < r.validFrom) return "notStarted" as const;
  if (r.validUntil && asOf > r.validUntil) return "expired" as const;
  return null;
}

export const STATUS_LABELS: Record<string, string> = {
  draft: "草稿",
  submitted: "审核中",
  returned: "退回补正",
  rejected: "不予通过",
  approved: "审批通过",
  publicNotice: "公示中",
  disbursing: "兑付中",
  disbursementFailed: "兑付失败",
  closed: "已兑付办结",
};

const STATUS_COLORS: Record<string, string> = {
  draft: "default",
  submitted: "processing",
  returned: "warning",
  rejected: "error",
  approved: "success",
  publicNotice: "blue",
  disbursing: "blue",
  disbursementFailed: "error",
  closed: "success",
};

export function StatusTag({ status }: { status: string }) {
  return <Tag color={STATUS_COLORS[status] ?? "default"}>{STATUS_LABELS[status] ?? status}</Tag>;
}

export { dateTime, today as todayInChongqing } from "../../dates.ts";

/** "doc/item" → the measure page. */
export function measurePath(measureId: string): string {
  return `/measures/${measureId}`;
}

export function stakeText(q: Pick<Question, "moneyAtStake">): string {
  if (q.moneyAtStake === 0) return "不影响金额";
  return q.moneyAtStake === null ? "金额上限未定" : `关系 ${yuanShort(q.moneyAtStake)}`;
}

const STACKING_TAGS = {
  recommended: { color: "green", text: "推荐享受" },
  notAdded: { color: "red", text: "不叠加" },
  reduced: { color: "orange", text: "部分项目不叠加" },
  pending: { color: "gold", text: "从高不重复待定" },
} as const;

/**
 * A measure's 从高不重复 notes. `compact` (the calculator, which explains each group once above the list):
 * one tag per decision, no repeated reasons.
 */
export function StackingNotes({ row, compact = false }: { row: MatchRow; compact?: boolean }) {
  if (!row.stacking?.length) return null;
  if (compact) {
    const decisions = [...new Set(row.stacking.map((s) => s.decision))];
    return (
      <div style={{ marginTop: 4 }}>
        {decisions.map((d) => (
          <Tag key={d} color={STACKING_TAGS[d].color}>
            {STACKING_TAGS[d].text}
          </Tag>
        ))}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          从高不重复，见上方说明
        </Typography.Text>
      </div>
    );
  }
  return (
    <>
      {row.stacking.map((s) => (
        <div key={`${s.groupId}:${s.subject ?? ""}:${s.decision}`} style={{ marginTop: 4 }}>
          <Tag color={STACKING_TAGS[s.decision].color}>{STACKING_TAGS[s.decision].text}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.reason}
          </Typography.Text>
        </div>
      ))}
    </>
  );
}

/**
 * A measure's money for enterprise pages: the figure when it is certain; "可确定 X，最多 Y" when the range
 * is open (X is what the answers so far guarantee); 金额以申报通知为准 when the text states no figure.
 * Undetermined measures say "若符合" — nothing is guaranteed before the open questions are answered.
 */
export function amountText(row: Pick<MatchRow, "amount" | "amountUnstated" | "outcome">): string {
  if (row.amountUnstated) return AMOUNT_UNSTATED_TEXT;
  const a = row.amount;
  if (!a) return "—";
  const prefix = row.outcome === "undetermined" ? "若符合，" : "";
  if (a.max !== null && a.min === a.max) return `${prefix}${yuanShort(a.min)}`;
  const max = a.max === null ? "上限未定" : yuanShort(a.max);
  return `${prefix}可确定 ${yuanShort(a.min)}，最多 ${max}`;
}

/** Measures ending within this many days of the policy date show a countdown. */
export const COUNTDOWN_DAYS = 90;

/** Days from the policy date to the measure's last day, when that is 0–90 days away; else null. */
export function daysLeft(r: { validUntil?: string | null | undefined }, asOf: string): number | null {
  if (!r.validUntil) return null;
  const d = daysBetween(asOf, r.validUntil);
  return d >= 0 && d <= COUNTDOWN_DAYS ? d : null;
}

/** "还剩 N 天" (the last day included), red within 30 days. */
export function CountdownTag({ days }: { days: number | null }) {
  if (days === null) return null;
  return <Tag color={days <= 30 ? "red" : "orange"}>{days === 0 ? "今天截止" : `还剩 ${days} 天截止`}</Tag>;
}

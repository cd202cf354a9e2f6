/** Shared pieces of the enterprise portal: typed queries, the browser engine, outcome and status labels. */
import {
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

export function useMatches(id: string, asOf: string, measure?: string) {
  return useQuery({
    queryKey: ["matches", id, asOf, measure ?? null],
    queryFn: () =>
      ok(
        api.GET("/api/enterprises/{id}/matches", {
          params: {
            path: { id },
            query: measure ? { asOf, measure, explain: "true" } : { asOf },
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
      return Array.isArray(v) ? v.join("、") || "无" : String(v);
    case "list": {
      if (!Array.isArray(v)) return String(v);
      if (v.length === 0) return "无";
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
  return q.moneyAtStake === null ? "金额上限未定" : `关系 ${yuanShort(q.moneyAtStake)}`;
}

export function StackingNotes({ row }: { row: MatchRow }) {
  if (!row.stacking?.length) return null;
  return (
    <>
      {row.stacking.map((s) => (
        <div key={`${s.groupId}:${s.subject ?? ""}:${s.decision}`} style={{ marginTop: 4 }}>
          {s.decision === "recommended" ? (
            <Tag color="green">推荐享受</Tag>
          ) : s.decision === "notAdded" ? (
            <Tag color="red">不叠加</Tag>
          ) : s.decision === "reduced" ? (
            <Tag color="orange">部分项目不叠加</Tag>
          ) : (
            <Tag color="gold">从高不重复待定</Tag>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.reason}
          </Typography.Text>
        </div>
      ))}
    </>
  );
}

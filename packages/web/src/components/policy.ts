/** Shared Chinese labels and small helpers for policy data (library, document view, admin). */
import { articleText, formatFen, yuanToFen } from "@huiqi/engine";
import { useQuery } from "@tanstack/react-query";
import { api, ok } from "../api/client";

export const LEVEL_LABELS: Record<string, string> = {
  national: "国家级",
  municipal: "市级",
  district: "区县级",
};

export const REGION_LABELS: Record<string, string> = {
  "500000": "重庆市（市级）",
  "500113": "巴南区",
  "500112": "渝北区",
  "500154": "开州区",
  "500156": "武隆区",
};

/** The four demo districts (report filters). */
export const DISTRICTS = ["500113", "500112", "500154", "500156"] as const;

export const BENEFIT_LABELS: Record<string, string> = {
  award: "奖励",
  subsidy: "补助",
  interestSubsidy: "贴息",
  matching: "配套资金",
  insurance: "保险",
  training: "培训",
  voucher: "服务券",
  service: "服务",
  financing: "融资支持",
  taxRelief: "税费减免",
  talent: "人才支持",
  coordination: "协调服务",
  target: "发展目标",
};

/** The parts of a measure's data (GET /api/rules) the library shows. */
export interface MeasureData {
  id: string;
  ordinal: number;
  sub?: number;
  title: string;
  group?: string;
  benefitType: string;
  monetary: boolean;
  clause: string;
  leadDepartment: string;
  coDepartments?: string[];
  contact?: { name?: string; hotline?: string };
  validFrom?: string;
  validUntil?: string;
  validityQuote?: string;
  interpretation: {
    who: string;
    what: string;
    deadline?: string;
    materials?: string[];
    /** false: 常见材料（文件未列明） */
    materialsFromDocument?: boolean;
    howToApply?: string;
  };
  notes?: { topic: string; quote: string; reading: string }[];
  amount?: unknown;
}

interface Rules {
  version: string;
  measures: MeasureData[];
}

/** The current rule set (cached for the session): clause text, 解读, contacts, amounts of every measure. */
export function useRules() {
  return useQuery({
    queryKey: ["rules"],
    queryFn: async () => {
      const r = (await ok(api.GET("/api/rules"))) as unknown as Rules;
      return { version: r.version, byId: new Map(r.measures.map((m) => [m.id, m])) };
    },
    staleTime: 5 * 60_000,
  });
}

/** A policy's 元 figure as the text states it, never rounded: "20万元", "1.5万元", "500元". */
const wan = (y: number) => {
  const fen = yuanToFen(y);
  return fen === undefined ? `${y}元` : formatFen(fen);
};

/** A short amount text when the measure's amount rule is simple ("20万元", "最高50万元"); otherwise null. */
export function amountSummary(amount: unknown): string | null {
  if (amount === undefined || amount === null) return null;
  if (typeof amount === "number") return wan(amount);
  if (typeof amount !== "object") return null;
  const a = amount as Record<string, unknown>;
  if (typeof a.fixed === "number") return wan(a.fixed);
  if (typeof a.upTo === "number") return `最高${wan(a.upTo)}`;
  if (typeof a.cap === "number") return `最高${wan(a.cap)}`;
  if (Array.isArray(a.range)) {
    const [lo, hi] = a.range as [number, number | null];
    return hi === null ? `${wan(lo)}起` : `${wan(lo)}～${wan(hi)}`;
  }
  if (a.forEach && typeof a.forEach === "object") {
    const inner = amountSummary((a.forEach as { amount?: unknown }).amount);
    return inner ? `每项${inner}` : null;
  }
  if (a.topUp !== undefined) {
    const inner = amountSummary(a.topUp);
    return inner ? `补差至${inner}` : null;
  }
  return null;
}

export type Validity = "inForce" | "expired" | "notYet";

export function validityOn(asOf: string, validFrom: string, validUntil: string | null | undefined): Validity {
  if (asOf < validFrom) return "notYet";
  if (validUntil && asOf > validUntil) return "expired";
  return "inForce";
}

export function periodText(validFrom: string, validUntil: string | null | undefined): string {
  return `${validFrom} 至 ${validUntil ?? "长期"}`;
}

/** "banan-2022-63/2.1" → anchor id on the document page. */
export function measureAnchor(measureId: string): string {
  return `m-${measureId.split("/")[1] ?? measureId}`.replace(/\./g, "-");
}

export function ordinalText(m: { ordinal: number; sub?: number }): string {
  return articleText(m.ordinal, m.sub);
}

/**
 * 大中小微 by the national classification standard 《中小企业划型标准规定》（工信部联企业〔2011〕300号）.
 * Encoded sectors: 工业 (GB/T 4754 sections B, C, D) and 软件和信息技术服务业 (I65). Indicators: 从业人员
 * (employees) and 营业收入 (revenue, latest year on file). A class is derived only when the facts decide it:
 * medium and small need both lower bounds ("须同时满足"), micro needs either indicator below the small bound,
 * so one known low indicator is enough for micro, while the other classes need both.
 */
import type { Facts } from "@huiqi/engine";

export type SizeClass = "large" | "medium" | "small" | "micro";

export const SIZE_LABELS: Record<SizeClass, string> = {
  large: "大型",
  medium: "中型",
  small: "小型",
  micro: "微型",
};

interface Bound {
  size: Exclude<SizeClass, "micro">;
  employees: number;
  /** 元 */
  revenue: number;
}

interface Sector {
  id: string;
  name: string;
  quote: string;
  /** Largest class first. */
  bounds: Bound[];
}

const WAN = 10_000;

const INDUSTRY: Sector = {
  id: "industry",
  name: "工业",
  quote:
    "从业人员1000人以下或营业收入40000万元以下的为中小微型企业。其中，从业人员300人及以上，且营业收入2000万元及以上的为中型企业；从业人员20人及以上，且营业收入300万元及以上的为小型企业；从业人员20人以下或营业收入300万元以下的为微型企业。",
  bounds: [
    { size: "large", employees: 1000, revenue: 40_000 * WAN },
    { size: "medium", employees: 300, revenue: 2_000 * WAN },
    { size: "small", employees: 20, revenue: 300 * WAN },
  ],
};

const SOFTWARE: Sector = {
  id: "software",
  name: "软件和信息技术服务业",
  quote:
    "从业人员300人以下或营业收入10000万元以下的为中小微型企业。其中，从业人员100人及以上，且营业收入1000万元及以上的为中型企业；从业人员10人及以上，且营业收入50万元及以上的为小型企业；从业人员10人以下或营业收入50万元以下的为微型企业。",
  bounds: [
    { size: "large", employees: 300, revenue: 10_000 * WAN },
    { size: "medium", employees: 100, revenue: 1_000 * WAN },
    { size: "small", employees: 10, revenue: 50 * WAN },
  ],
};

export interface SizeDerivation {
  /** null when the facts do not decide the class (the reason says which facts are missing). */
  size: SizeClass | null;
  label: string | null;
  standard: string;
  sector: string | null;
  /** The rule applied, in Chinese: thresholds and the actual values. */
  rule: string;
  quote: string | null;
  basis: { employees: number | null; revenue: number | null; revenueYear: string | null };
}

const STANDARD = "《中小企业划型标准规定》（工信部联企业〔2011〕300号）";

function sectorOf(f: Facts): Sector | null {
  const code = typeof f.industryCode === "string" ? f.industryCode : "";
  if (code.startsWith("I65")) return SOFTWARE;
  if (f.industrial === true) return INDUSTRY;
  return null;
}

function yuan(v: number): string {
  return v >= WAN && v % WAN === 0 ? `${v / WAN}万元` : `${v}元`;
}

/** Latest year with a revenue figure. */
function latestRevenue(f: Facts): { year: string; value: number } | null {
  const series = f.revenue as Record<string, unknown> | undefined;
  if (!series || typeof series !== "object") return null;
  const years = Object.keys(series)
    .filter((y) => typeof series[y] === "number")
    .sort();
  const year = years[years.length - 1];
  return year === undefined ? null : { year, value: series[year] as number };
}

export function deriveSizeClass(f: Facts): SizeDerivation {
  const sector = sectorOf(f);
  const employees = typeof f.employees === "number" ? f.employees : null;
  const rev = latestRevenue(f);
  const basis = { employees, revenue: rev?.value ?? null, revenueYear: rev?.year ?? null };
  if (!sector)
    return {
      size: null,
      label: null,
      standard: STANDARD,
      sector: null,
      rule: "平台目前只对工业（行业门类 B、C、D）和软件和信息技术服务业（I65）按标准推算规模；请填写行业代码，或自行申报企业规模",
      quote: null,
      basis,
    };
  const small = sector.bounds[sector.bounds.length - 1] as Bound;
  const actual = `从业人员${employees ?? "未知"}人，${rev ? `${rev.year}年营业收入${yuan(rev.value)}` : "营业收入未知"}`;
  const base = { standard: STANDARD, sector: sector.name, quote: sector.quote, basis };
  if ((employees !== null && employees < small.employees) || (rev !== null && rev.value < small.revenue))
    return {
      ...base,
      size: "micro",
      label: SIZE_LABELS.micro,
      rule: `${sector.name}：从业人员${small.employees}人以下或营业收入${yuan(small.revenue)}以下为微型（${actual}）`,
    };
  if (employees === null || rev === null)
    return {
      ...base,
      size: null,
      label: null,
      rule: `${sector.name}：需要从业人员数和营业收入才能划型（${actual}）`,
    };
  for (const b of sector.bounds) {
    if (employees >= b.employees && rev.value >= b.revenue)
      return {
        ...base,
        size: b.size,
        label: SIZE_LABELS[b.size],
        rule: `${sector.name}：从业人员${b.employees}人及以上且营业收入${yuan(b.revenue)}及以上为${SIZE_LABELS[b.size]}（${actual}）`,
      };
  }
  // Both indicators at least the small bounds but not both above a higher pair: small.
  return {
    ...base,
    size: "small",
    label: SIZE_LABELS.small,
    rule: `${sector.name}：从业人员${small.employees}人及以上且营业收入${yuan(small.revenue)}及以上为小型（${actual}）`,
  };
}

/**
 * Deterministic synthetic population of Chongqing enterprises for benchmarks.
 *
 * Every fact in the vocabulary gets a value, including doc-specific facts added
 * later (those fall back to a generic generator driven by the fact's type and
 * enum values). About `unknownRate` of the facts are left out (unknown), so the
 * engine's undetermined paths run. Enterprise i depends only on (seed, i): its
 * own PRNG stream is seeded from both, so any enterprise can be generated alone.
 *
 * Output is a raw profile, as a user would submit it (money in 元, per-year facts
 * keyed by year strings); pass it through `deriveFacts` / the profile validator
 * to get what the engine evaluates.
 */
import type { EnumValue, FactDefinition, FieldDefinition, Vocabulary } from "@huiqi/engine";

export type Profile = Record<string, unknown>;
export type Rng = () => number;

/** mulberry32: small, fast, good enough for synthetic data. Returns [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes the population seed with the enterprise index (splitmix-style finaliser). */
function streamSeed(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export const YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025] as const;
export const FOCUS_REGIONS = ["500113", "500112", "500154", "500156"] as const;

export interface PopulationOptions {
  seed?: number;
  /** Probability that a (non-identity) fact is left out. Default 0.2. */
  unknownRate?: number;
  /** Measure ids to cite in awardsReceived records. */
  measureIds?: string[];
}

// ---------------------------------------------------------------- helpers

function normal(rng: Rng): number {
  // Box–Muller; 1 - rng() avoids log(0).
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)] as T;
}

function weighted<T>(rng: Rng, choices: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const c of choices) total += c[1];
  let r = rng() * total;
  for (const c of choices) {
    r -= c[1];
    if (r < 0) return c[0];
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}

/** 元 with at most two decimals; large figures are whole 元 (so ×100 stays exact in doubles). */
export function yuan(x: number): number {
  const v = Math.max(0, x);
  return v >= 1e6 ? Math.round(v) : Math.round(v * 100) / 100;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isoDate(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function randomDate(rng: Rng, fromYear: number, toYear: number): string {
  const y = int(rng, fromYear, toYear);
  const m = int(rng, 1, 12);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 && leap ? 29 : (DAYS[m - 1] as number);
  return isoDate(y, m, int(rng, 1, days));
}

function enumValues(def: { values?: EnumValue[] | undefined }): string[] {
  return (def.values ?? []).map((v) => v.value);
}

/** Picks from the vocabulary's enum values, favouring those in `prefer` (weight), default weight 1. */
function pickEnum(rng: Rng, def: { values?: EnumValue[] | undefined }, prefer: Record<string, number> = {}) {
  const values = enumValues(def);
  if (values.length === 0) return undefined;
  return weighted(
    rng,
    values.map((v) => [v, prefer[v] ?? 1] as const),
  );
}

const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 32100-2015 check character (same algorithm as the engine's usccCheckChar). */
export function usccCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i] ?? "") * (USCC_WEIGHTS[i] as number);
  return USCC_CHARS[(31 - (sum % 31)) % 31] as string;
}

/** 91 (enterprise, registered by market regulation) + admin code + GB 11714 org code + check. */
function makeUscc(rng: Rng, adminCode: string): string {
  let body = "";
  let s = 0;
  for (let i = 0; i < 8; i++) {
    const d = int(rng, 0, 9);
    body += String(d);
    s += d * (ORG_WEIGHTS[i] as number);
  }
  const c = 11 - (s % 11);
  const orgCheck = c === 10 ? "X" : c === 11 ? "0" : String(c);
  const first17 = `91${adminCode}${body}${orgCheck}`;
  return first17 + usccCheck(first17);
}

const NAME_A = [
  "渝",
  "巴",
  "嘉",
  "华",
  "川",
  "鑫",
  "恒",
  "宏",
  "瑞",
  "盛",
  "博",
  "新",
  "长",
  "金",
  "天",
  "信",
];
const NAME_B = [
  "达",
  "源",
  "丰",
  "泰",
  "创",
  "科",
  "通",
  "隆",
  "安",
  "益",
  "诚",
  "德",
  "汇",
  "锦",
  "弘",
  "正",
];
const NAME_TRADE: Record<string, string[]> = {
  C: ["机械制造", "汽车零部件", "电子科技", "新材料", "生物医药", "食品", "精密模具", "智能装备"],
  F: ["商贸", "供应链管理", "贸易"],
  I: ["软件", "信息技术", "数据科技", "网络科技"],
  G: ["物流", "运输", "仓储"],
  B: ["矿业"],
  D: ["能源", "燃气", "水务"],
};

/** GB/T 4754-2017 divisions by section (2-digit). */
const DIVISIONS: Record<string, [number, number]> = {
  B: [6, 12],
  C: [13, 43],
  D: [44, 46],
  F: [51, 52],
  G: [53, 60],
  I: [63, 65],
};

const GREEN_KINDS = [
  "greenFactory",
  "greenPark",
  "greenSupplyChain",
  "greenManufacturingDemo",
  "energySavingDemo",
  "waterSavingEnterprise",
  "energyEfficiencyLeader",
  "waterEfficiencyLeader",
];

const CERT_WEIGHTS: Record<string, number> = {
  innovativeSme: 8,
  srdi: 7,
  highTechEnterprise: 7,
  littleGiant: 1.5,
  littleGiantKeyCultivation: 0.5,
  greenFactory: 3,
  energySavingDemo: 1.5,
  digitalWorkshop: 2,
  smartFactory: 1.5,
  enterpriseTechCenter: 2.5,
  itIntegration: 2,
  newProduct: 2,
};

const PROJECT_WEIGHTS: Record<string, number> = {
  techRenovation: 6,
  greenRenovation: 5,
  digitalEquipment: 3,
  digitalWorkshop: 2,
  smartFactory: 1.5,
  cloudMigration: 2,
  equipmentUpgrade: 3,
  other: 2,
};

const WHITELISTS = ["城市运行保障企业", "产业链供应链重点企业", "重点外贸企业", "防疫物资保供企业"];

// ------------------------------------------------------------ the generator

interface Latent {
  region: string;
  section: string;
  industryCode: string;
  size: "micro" | "small" | "medium" | "large";
  founded: number;
  /** revenue by year (元), before omission */
  revenue: Map<number, number>;
  rdShare: number;
  sectorAvgIntensity: number;
}

export class PopulationGenerator {
  readonly seed: number;
  readonly unknownRate: number;
  private readonly facts: FactDefinition[];
  private readonly otherRegions: string[];
  private readonly focusRegions: string[];
  private readonly measureIds: string[];

  constructor(vocabulary: Vocabulary, options: PopulationOptions = {}) {
    this.seed = options.seed ?? 20221101;
    this.unknownRate = options.unknownRate ?? 0.2;
    this.facts = vocabulary.facts;
    const regionDef = this.facts.find((f) => f.id === "regionCode");
    const regions = regionDef ? enumValues(regionDef) : [...FOCUS_REGIONS];
    this.focusRegions = FOCUS_REGIONS.filter((r) => regions.includes(r));
    this.otherRegions = regions.filter((r) => !this.focusRegions.includes(r));
    this.measureIds = options.measureIds?.length ? options.measureIds : ["banan-2022-63/1"];
  }

  /** Enterprise number i (0-based); deterministic in (seed, i). */
  enterprise(i: number): Profile {
    const rng = mulberry32(streamSeed(this.seed, i));
    const lat = this.latent(rng);
    const p: Profile = {};
    for (const def of this.facts) {
      const identity = def.identity === true;
      // Facts the profile may leave to derivation are given explicitly less often.
      const derivable =
        def.id === "industrial" || def.id === "manufacturing" || def.id === "softwareEnterprise";
      const omitP = derivable ? 0.7 : def.id === "rdIntensity" ? 0.7 : this.unknownRate;
      if (!identity && rng() < omitP) continue;
      const v = this.factValue(rng, def, lat, i);
      if (v !== undefined) p[def.id] = v;
    }
    return p;
  }

  generate(n: number, from = 0): Profile[] {
    const out = new Array<Profile>(n);
    for (let k = 0; k < n; k++) out[k] = this.enterprise(from + k);
    return out;
  }

  private latent(rng: Rng): Latent {
    const focus = this.focusRegions;
    const region =
      focus.length > 0 && (rng() < 0.8 || this.otherRegions.length === 0)
        ? weighted(
            rng,
            focus.map((r) => [r, r === "500113" || r === "500112" ? 3 : r === "500154" ? 2 : 1.5] as const),
          )
        : pick(rng, this.otherRegions.length ? this.otherRegions : ["500113"]);
    const section = weighted(rng, [
      ["C", 70],
      ["F", 8],
      ["I", 9],
      ["G", 9],
      ["B", 2],
      ["D", 2],
    ] as const);
    const [dlo, dhi] = DIVISIONS[section] ?? [13, 43];
    const division = int(rng, dlo, dhi);
    const industryCode = `${section}${String(division).padStart(2, "0")}${int(rng, 1, 9)}${int(rng, 0, 9)}`;
    const size = weighted(rng, [
      ["micro", 55],
      ["small", 30],
      ["medium", 12],
      ["large", 3],
    ] as const);
    const median = { micro: 2e6, small: 2.5e7, medium: 2e8, large: 2e9 }[size];
    const founded = int(rng, 1995, 2023);
    let rev = logNormal(rng, median, 0.7);
    const revenue = new Map<number, number>();
    const trend = 0.06 + 0.12 * normal(rng);
    for (const y of YEARS) {
      rev *= Math.exp(trend + 0.12 * normal(rng));
      if (y >= founded) revenue.set(y, rev);
    }
    const rdLikely = section === "C" || section === "I" ? 0.75 : 0.25;
    const rdShare = rng() < rdLikely ? logNormal(rng, section === "I" ? 0.05 : 0.02, 0.6) : 0;
    return {
      region,
      section,
      industryCode,
      size,
      founded,
      revenue,
      rdShare,
      sectorAvgIntensity: section === "I" ? 0.05 : 0.018,
    };
  }

  private perYear(
    rng: Rng,
    lat: Latent,
    value: (y: number, rev: number) => unknown,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const y of YEARS) {
      const rev = lat.revenue.get(y);
      if (rev === undefined || rng() < 0.12) continue;
      const v = value(y, rev);
      if (v !== undefined) out[String(y)] = v;
    }
    return out;
  }

  private factValue(rng: Rng, def: FactDefinition, lat: Latent, i: number): unknown {
    const industrialSection = lat.section === "B" || lat.section === "C" || lat.section === "D";
    switch (def.id) {
      case "uscc":
        return makeUscc(rng, lat.region);
      case "name":
        return `重庆${pick(rng, NAME_A)}${pick(rng, NAME_B)}${pick(rng, NAME_TRADE[lat.section] ?? ["实业"])}有限公司`;
      case "regionCode":
        return lat.region;
      case "industryCode":
        return lat.industryCode;
      case "industrial":
        return industrialSection;
      case "manufacturing":
        return lat.section === "C";
      case "softwareEnterprise":
        return lat.industryCode.startsWith("I65");
      case "size":
        return lat.size;
      case "employees": {
        const bounds: Record<Latent["size"], [number, number]> = {
          micro: [2, 19],
          small: [20, 299],
          medium: [300, 999],
          large: [1000, 8000],
        };
        const [lo, hi] = bounds[lat.size];
        return int(rng, lo, hi);
      }
      case "aboveScale": {
        const latest = lat.revenue.get(2022) ?? lat.revenue.get(2021) ?? 0;
        return industrialSection && latest >= 2e7;
      }
      case "aboveScaleFirstYear": {
        if (!industrialSection) return undefined;
        for (const y of YEARS) {
          if ((lat.revenue.get(y) ?? 0) >= 2e7) {
            return y === 2019 || y === lat.founded ? Math.max(lat.founded, int(rng, 2011, y)) : y;
          }
        }
        return undefined; // never above scale: the question does not apply, left unanswered
      }
      case "revenue":
        return this.perYear(rng, lat, (_y, rev) => yuan(rev));
      case "mainBusinessRevenue":
        return this.perYear(rng, lat, (_y, rev) => yuan(rev * (0.85 + 0.15 * rng())));
      case "industrialValueAdded":
        return industrialSection
          ? this.perYear(rng, lat, (_y, rev) => yuan(rev * (0.2 + 0.15 * rng())))
          : undefined;
      case "rdExpense":
      case "rdReportedInDistrict":
        return this.perYear(rng, lat, (_y, rev) => {
          const rd = rev * lat.rdShare * Math.exp(0.25 * normal(rng));
          return yuan(def.id === "rdExpense" ? rd : rd * (0.8 + 0.2 * rng()));
        });
      case "rdIntensity":
        return this.perYear(rng, lat, () =>
          lat.rdShare > 0 ? Math.round(lat.rdShare * Math.exp(0.2 * normal(rng)) * 1e6) / 1e6 : 0,
        );
      case "rdIntensityMeetsIndustryAverage":
        return this.perYear(
          rng,
          lat,
          () => lat.rdShare * Math.exp(0.3 * normal(rng)) >= lat.sectorAvgIntensity,
        );
      case "rdReserveSystem":
      case "rdDirectReporting":
        return rng() < (lat.rdShare > 0 ? 0.5 : 0.1) + (lat.size === "micro" ? 0 : 0.2);
      case "foodBusiness":
        return lat.industryCode.startsWith("C13") ||
          lat.industryCode.startsWith("C14") ||
          lat.industryCode.startsWith("C15")
          ? true
          : rng() < 0.04;
      case "certifications":
        return this.certifications(rng, def, lat);
      case "projects":
        return this.projects(rng, def, lat);
      case "loans":
        return this.loans(rng, def, lat);
      case "listings":
        return this.records(rng, def, rng() < (lat.size === "large" ? 0.3 : 0.02) ? 1 : 0, (r) => {
          r.board = pickEnum(rng, fieldOf(def, "board") ?? {}, { neeq: 4, chongqingEquity: 4, main: 2 });
          r.date = randomDate(rng, 2015, 2025);
          if (rng() < 0.3) r.municipalAward = yuan(int(rng, 5, 200) * 10000);
          if (rng() < 0.5) r.firstTradeDate = randomDate(rng, 2015, 2025);
        });
      case "standards":
        return this.records(rng, def, rng() < 0.08 ? int(rng, 1, 2) : 0, (r) => {
          r.level = pickEnum(rng, fieldOf(def, "level") ?? {}, { local: 3, industry: 2, national: 1.5 });
          r.mainDrafter = rng() < 0.7;
          r.date = randomDate(rng, 2018, 2025);
          r.name = `标准-${i}-${int(rng, 1, 999)}`;
        });
      case "awardsReceived":
        return this.records(rng, def, rng() < 0.1 ? int(rng, 1, 2) : 0, (r) => {
          r.measureId = pick(rng, this.measureIds);
          r.year = int(rng, 2019, 2023);
          r.amount = yuan(int(rng, 1, 100) * 10000);
        });
      case "whitelist": {
        const n = rng() < 0.12 ? int(rng, 1, 2) : 0;
        const out: string[] = [];
        for (let k = 0; k < n; k++) {
          const w = pick(rng, WHITELISTS);
          if (!out.includes(w)) out.push(w);
        }
        return out;
      }
      default:
        return genericFact(rng, def, lat);
    }
  }

  /** n records; `fill` sets the known fields, then any other vocabulary field is filled generically. */
  private records(rng: Rng, def: FactDefinition, n: number, fill: (r: Record<string, unknown>) => void) {
    const out: Record<string, unknown>[] = [];
    for (let k = 0; k < n; k++) {
      const r: Record<string, unknown> = {};
      fill(r);
      const fields = def.fields ?? [];
      for (const field of fields) {
        if (r[field.id] === undefined && (field.required || rng() < 0.3)) {
          const v = scalarValue(rng, field);
          if (v !== undefined) r[field.id] = v;
        }
      }
      // Keep only the vocabulary's fields (the profile schema is strict), and no undefined values.
      for (const k of Object.keys(r)) {
        if (r[k] === undefined || !fields.some((f) => f.id === k)) delete r[k];
      }
      out.push(r);
    }
    return out;
  }

  private certifications(rng: Rng, def: FactDefinition, lat: Latent) {
    const n = weighted(rng, [
      [0, 45],
      [1, 30],
      [2, 15],
      [3, 10],
    ] as const);
    const kindDef = fieldOf(def, "kind") ?? {};
    const levelDef = fieldOf(def, "level") ?? {};
    return this.records(rng, def, n, (r) => {
      const kind = pickEnum(rng, kindDef, CERT_WEIGHTS);
      r.kind = kind;
      const national =
        kind === "littleGiant" || kind === "littleGiantKeyCultivation" || kind === "highTechEnterprise";
      r.level = national
        ? "national"
        : kind === "innovativeSme" || kind === "srdi"
          ? "municipal"
          : pickEnum(rng, levelDef, { municipal: 3, district: 2, national: 1 });
      if (!enumValues(levelDef).includes(String(r.level))) r.level = undefined;
      if (kind === "itIntegration") r.grade = pick(rng, ["A", "AA", "AAA", "AAAA"]);
      if (kind === "industryTop10") r.grade = pick(rng, ["工业十强", "服务业十强", "创新十强"]);
      if (kind === "newProduct") r.count = int(rng, 1, 5);
      r.date = randomDate(rng, Math.max(2019, Math.min(lat.founded, 2025)), 2025);
      if (rng() < 0.1) r.renewal = true;
      if (GREEN_KINDS.includes(String(kind)) && lat.size === "micro" && rng() < 0.5) r.level = "district";
    });
  }

  private projects(rng: Rng, def: FactDefinition, lat: Latent) {
    const n = weighted(rng, [
      [0, 55],
      [1, 30],
      [2, 15],
    ] as const);
    const kindDef = fieldOf(def, "kind") ?? {};
    const scale = { micro: 3e5, small: 2e6, medium: 1.5e7, large: 8e7 }[lat.size];
    return this.records(rng, def, n, (r) => {
      const kind = pickEnum(rng, kindDef, PROJECT_WEIGHTS);
      r.kind = kind;
      const investment = logNormal(rng, scale, 0.9);
      r.name = `${String(kind)}项目`;
      if (rng() < 0.9) r.investment = yuan(investment);
      if (rng() < 0.85) r.equipmentInvestment = yuan(investment * (0.3 + 0.5 * rng()));
      if (kind === "systemIntegration") r.contractAmount = yuan(investment * 0.5);
      r.progress = Math.round(rng() * 100) / 100;
      const start = randomDate(rng, 2019, 2024);
      r.startDate = start;
      if ((r.progress as number) >= 1 || rng() < 0.3) {
        const end = randomDate(rng, Number(start.slice(0, 4)), 2025);
        if (end >= start) r.completionDate = end;
      }
    });
  }

  private loans(rng: Rng, def: FactDefinition, lat: Latent) {
    const n = weighted(rng, [
      [0, 50],
      [1, 35],
      [2, 15],
    ] as const);
    const kindDef = fieldOf(def, "kind") ?? {};
    const scale = { micro: 5e5, small: 3e6, medium: 2e7, large: 1e8 }[lat.size];
    return this.records(rng, def, n, (r) => {
      r.kind = pickEnum(rng, kindDef, { workingCapital: 6, fixedAsset: 3, other: 1 });
      const amount = Math.round(logNormal(rng, scale, 0.8) / 1000) * 1000;
      r.amount = yuan(amount);
      const rate = Math.round((0.03 + 0.03 * rng()) * 10000) / 10000;
      r.rate = rate;
      if (rng() < 0.8) r.interestPaid = yuan(amount * rate * (0.2 + 0.8 * rng()));
      r.date = randomDate(rng, 2019, 2025);
    });
  }
}

function fieldOf(def: FactDefinition, id: string): FieldDefinition | undefined {
  return def.fields?.find((f) => f.id === id);
}

/** A plausible value for any scalar type (used for fields and facts this generator does not know). */
function scalarValue(rng: Rng, def: FactDefinition | FieldDefinition): unknown {
  switch (def.type) {
    case "boolean":
      return rng() < 0.3;
    case "integer":
      return Math.floor(logNormal(rng, 20, 1.2));
    case "money":
      return yuan(logNormal(rng, 1e6, 1.2));
    case "ratio":
      return Math.round(rng() * 0.2 * 10000) / 10000;
    case "year":
      return int(rng, 2015, 2025);
    case "date":
      return randomDate(rng, 2019, 2025);
    case "enum":
      return pickEnum(rng, def);
    case "string":
      return `${def.id}-${int(rng, 1, 9999)}`;
    case "stringList":
      return rng() < 0.7 ? [] : [`${def.id}-${int(rng, 1, 9)}`];
    default:
      return undefined;
  }
}

function genericFact(rng: Rng, def: FactDefinition, lat: Latent): unknown {
  if (def.type === "list") {
    const n = weighted(rng, [
      [0, 60],
      [1, 30],
      [2, 10],
    ] as const);
    const out: Record<string, unknown>[] = [];
    for (let k = 0; k < n; k++) {
      const r: Record<string, unknown> = {};
      for (const field of def.fields ?? []) {
        if (!field.required && rng() < 0.3) continue;
        const v = scalarValue(rng, field);
        if (v !== undefined) r[field.id] = v;
      }
      out.push(r);
    }
    return out;
  }
  if (def.perYear) {
    const out: Record<string, unknown> = {};
    for (const y of YEARS) {
      const rev = lat.revenue.get(y);
      if (rev === undefined || rng() < 0.12) continue;
      // Money per year scales with the enterprise's revenue; other types are generic.
      const v = def.type === "money" ? yuan(rev * 0.05 * Math.exp(normal(rng))) : scalarValue(rng, def);
      if (v !== undefined) out[String(y)] = v;
    }
    return out;
  }
  return scalarValue(rng, def);
}

/** Convenience: `n` enterprises from a fresh generator. */
export function generatePopulation(
  vocabulary: Vocabulary,
  n: number,
  options: PopulationOptions = {},
): Profile[] {
  return new PopulationGenerator(vocabulary, options).generate(n);
}

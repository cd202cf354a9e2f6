/**
 * Demo enterprises: the seven example profiles of examples/ plus deterministic generated ones, about 50 in
 * the four districts, with plausible facts (money in 元, per-year facts 2020–2024).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { usccCheckChar } from "@huiqi/engine";
import { DISTRICTS } from "./accounts.ts";
import { withLadderDemo } from "./ladder.ts";

export interface DemoEnterprise {
  slug: string;
  profile: Record<string, unknown>;
}

const EXAMPLES = fileURLToPath(new URL("../../../../examples", import.meta.url));

/** mulberry32: a small deterministic PRNG, so the demo is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES: Record<string, string[]> = {
  "500113": ["李家沱", "鱼洞", "界石", "南泉", "木洞", "花溪", "龙洲湾"],
  "500112": ["两路", "双凤桥", "回兴", "空港", "龙兴", "仙桃", "木耳"],
  "500154": ["汉丰", "白鹤", "赵家", "浦里", "镇安", "丰乐", "临江"],
  "500156": ["仙女山", "芙蓉", "白马", "江口", "火炉", "羊角", "凤山"],
};
const TRADES = [
  { code: "C3670", word: "汽车零部件" },
  { code: "C3484", word: "精密机械" },
  { code: "C2710", word: "生物制药" },
  { code: "C3962", word: "智能装备" },
  { code: "C1469", word: "食品" },
  { code: "C3062", word: "新材料" },
  { code: "C3391", word: "铸造" },
  { code: "C3982", word: "电子元件" },
  { code: "I6513", word: "软件科技" },
  { code: "C2929", word: "塑料制品" },
];
const SUFFIX = ["有限公司", "股份有限公司", "科技有限公司"];

function uscc(regionCode: string, n: number): string {
  const body = `915${regionCode.slice(1)}MA${(100000 + n * 7919).toString(36).toUpperCase().padStart(6, "0").slice(-6)}`;
  const first17 = body
    .replace(/[IOZSV]/g, "X")
    .slice(0, 17)
    .padEnd(17, "0");
  return `${first17}${usccCheckChar(first17)}`;
}

function round(x: number, step = 10000): number {
  return Math.round(x / step) * step;
}

export function demoEnterprises(): DemoEnterprise[] {
  const out: DemoEnterprise[] = [];
  for (const f of readdirSync(EXAMPLES)
    .filter((x) => x.endsWith(".json"))
    .sort())
    out.push({
      slug: f.replace(/\.json$/, ""),
      profile: JSON.parse(readFileSync(join(EXAMPLES, f), "utf8")),
    });
  const rand = prng(20221101);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  let n = 0;
  while (out.length < 50) {
    const d = DISTRICTS[n % DISTRICTS.length] as (typeof DISTRICTS)[number];
    n++;
    const trade = pick(TRADES);
    const employees = Math.floor(10 + rand() * rand() * 1200);
    const base = round(3_000_000 + rand() * rand() * 900_000_000);
    const revenue: Record<string, number> = {};
    const rd: Record<string, number> = {};
    let r = base;
    for (let y = 2020; y <= 2024; y++) {
      r = round(r * (0.9 + rand() * 0.35));
      revenue[y] = r;
      rd[y] = round(r * (0.005 + rand() * 0.05), 1000);
    }
    const industrial = trade.code.startsWith("C");
    const aboveScale = industrial && (revenue[2022] ?? 0) >= 20_000_000;
    const profile: Record<string, unknown> = {
      uscc: uscc(d.code, n),
      name: `重庆${pick(PLACES[d.code] ?? ["新城"])}${trade.word}${pick(SUFFIX)}`,
      regionCode: d.code,
      industryCode: trade.code,
      size: employees >= 1000 ? "large" : employees >= 300 ? "medium" : employees >= 20 ? "small" : "micro",
      employees,
      revenue,
      rdExpense: rd,
    };
    if (industrial) {
      profile.aboveScale = aboveScale;
      if (aboveScale) profile.aboveScaleFirstYear = 2016 + Math.floor(rand() * 8);
    }
    const certs: Record<string, unknown>[] = [];
    if (rand() < 0.35)
      certs.push({
        kind: "innovativeSme",
        level: "municipal",
        date: `2022-0${1 + Math.floor(rand() * 9)}-15`,
      });
    if (rand() < 0.2)
      certs.push({ kind: "srdi", level: "municipal", date: `2023-0${1 + Math.floor(rand() * 9)}-10` });
    if (rand() < 0.08)
      certs.push({
        kind: "greenFactory",
        level: rand() < 0.5 ? "national" : "municipal",
        date: "2022-11-20",
      });
    profile.certifications = certs;
    if (rand() < 0.4)
      profile.projects = [
        {
          kind: pick([
            "techRenovation",
            "greenRenovation",
            "smartFactory",
            "equipmentUpgrade",
            "digitalWorkshop",
          ] as const),
          investment: round(base * 0.1 + 2_000_000),
          equipmentInvestment: round(base * 0.06 + 1_000_000),
          progress: Math.round((0.5 + rand() * 0.5) * 100) / 100,
        },
      ];
    if (rand() < 0.4)
      profile.loans = [{ kind: "workingCapital", amount: round(500_000 + rand() * 20_000_000) }];
    out.push({ slug: `${d.slug}-${n}`, profile: withLadderDemo(`${d.slug}-${n}`, profile) });
  }
  return out;
}

/**
 * Writes the demo import files of this folder, deterministically (run: npx tsx examples/imports/generate.ts):
 * - registry.csv  企业名录, GB18030 (as many government exports are), 3 enterprises in each demo district
 * - registry.xlsx the same rows as an Excel sheet (same cells every run; the zip's timestamps differ)
 * - statistics.csv 统计数据 2023–2024, UTF-8 with BOM, 营业收入 in 万元 (up to six decimals)
 * - statistics-errors.csv a statistics file with bad rows (check character, year, negative amount, unknown
 *   enterprise), to show the per-row report
 * The enterprises are not those of the demo seed: importing the registry creates them.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { usccCheckChar } from "@huiqi/engine";
import ExcelJS from "exceljs";

const here = dirname(fileURLToPath(import.meta.url));

export const DEMO_DISTRICTS = [
  { code: "500113", name: "巴南区" },
  { code: "500112", name: "渝北区" },
  { code: "500154", name: "开州区" },
  { code: "500156", name: "武隆区" },
] as const;

const TRADES = [
  { code: "C3670", word: "汽车零部件" },
  { code: "C3484", word: "精密机械" },
  { code: "I6513", word: "软件科技" },
];

const STREET = ["鱼洞", "龙溪", "汉丰", "芙蓉"];

/** A valid 统一社会信用代码 for demo enterprise n of a district (GB 32100 check character). */
export function demoUscc(regionCode: string, n: number): string {
  const first17 = `91${regionCode}MA6${String(1000 + n * 37).padStart(6, "0")}`;
  return `${first17}${usccCheckChar(first17)}`;
}

export interface DemoEnterprise {
  uscc: string;
  name: string;
  regionCode: string;
  regionName: string;
  industryCode: string;
}

export function demoEnterprises(): DemoEnterprise[] {
  return DEMO_DISTRICTS.flatMap((d, i) =>
    TRADES.map((t, j) => ({
      uscc: demoUscc(d.code, i * 10 + j),
      name: `重庆${STREET[i]}${t.word}有限公司`,
      regionCode: d.code,
      regionName: d.name,
      industryCode: t.code,
    })),
  );
}

/**
 * Revenue in 万元 with six decimals (exact to the 分), employees and 规上, per enterprise and year. The two
 * manufacturers of 开州区 grew past 2000万元 in 2024 and entered the 规上 statistics that year (首次升规年份
 * 2024, as the statistics bureau's 规上 list records it): they qualify for 开州 新升规奖励 (免申即享).
 */
export function demoStatistics(): {
  uscc: string;
  year: number;
  revenueWan: string;
  aboveScale: boolean;
  employees: number;
  firstAboveScaleYear: number | null;
}[] {
  return demoEnterprises().flatMap((e, k) =>
    [2023, 2024].map((year) => {
      const upgraded = e.regionCode === "500154" && e.industryCode.startsWith("C") && year === 2024;
      const fen = 123_456_789 * (k + 1) + (year - 2023) * 10_000_001 + k * 7 + (upgraded ? 1_500_000_000 : 0);
      const wan = `${Math.floor(fen / 1_000_000)}.${String(fen % 1_000_000).padStart(6, "0")}`;
      return {
        uscc: e.uscc,
        year,
        revenueWan: wan,
        aboveScale: fen >= 2_000_000_000,
        employees: 20 + k * 15 + (year - 2023) * 3 + (upgraded ? 60 : 0),
        firstAboveScaleYear: fen >= 2_000_000_000 ? year : null,
      };
    }),
  );
}

function csv(rows: string[][]): string {
  return `${rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",")).join("\r\n")}\r\n`;
}

/** GB18030 encoder for the characters used here, built from Node's decoder (no encoder is installed). */
export function encodeGb18030(text: string): Uint8Array {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder("gb18030");
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([a, b]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [a, b]);
    }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) out.push(code);
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`no two-byte GB18030 code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

export function registryRows(): string[][] {
  return [
    ["统一社会信用代码", "企业名称", "所属区县", "行业代码"],
    ...demoEnterprises().map((e) => [e.uscc, e.name, e.regionName, e.industryCode]),
  ];
}

export function statisticsRows(): string[][] {
  return [
    ["统一社会信用代码", "年份", "营业收入（万元）", "是否规上", "从业人员", "首次升规年份"],
    ...demoStatistics().map((s) => [
      s.uscc,
      String(s.year),
      s.revenueWan,
      s.aboveScale ? "是" : "否",
      String(s.employees),
      s.firstAboveScaleYear === null ? "" : String(s.firstAboveScaleYear),
    ]),
  ];
}

export async function registryXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const fixed = new Date(Date.UTC(2026, 0, 1));
  wb.created = fixed;
  wb.modified = fixed;
  wb.creator = "huiqi";
  const ws = wb.addWorksheet("企业名录");
  for (const r of registryRows()) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function main() {
  writeFileSync(join(here, "registry.csv"), encodeGb18030(csv(registryRows())));
  writeFileSync(join(here, "registry.xlsx"), await registryXlsx());
  writeFileSync(join(here, "statistics.csv"), `\uFEFF${csv(statisticsRows())}`);
  const [first] = demoEnterprises();
  const good = first?.uscc ?? "";
  const wrongCheck = `${good.slice(0, 17)}${good[17] === "0" ? "1" : "0"}`;
  writeFileSync(
    join(here, "statistics-errors.csv"),
    `\uFEFF${csv([
      ["统一社会信用代码", "年份", "营业收入（万元）", "是否规上", "从业人员"],
      [good, "2025", "3456.78", "是", "88"],
      [wrongCheck, "2025", "100", "否", "10"],
      [good, "二〇二五", "100", "否", "10"],
      [good, "2024", "-12.5", "否", "10"],
      [good, "2024", "12.3456789", "否", "10"],
      [demoUscc("500113", 99), "2025", "100", "否", "10"],
    ])}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

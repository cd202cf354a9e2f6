/**
 * Data for `npm run bench:http`: the demo data set plus `n` synthetic enterprises imported through the real
 * import pipeline (imports/run-import.ts) from generated CSV files: 企业名录, 统计数据 (two years) and 研发费用
 * (two years), in the formats departments hold. Deterministic for a given n (same files → a re-run on the same
 * database imports nothing: the pipeline recognises files already imported).
 */
import { usccCheckChar } from "@huiqi/engine";
import type { AppContext } from "../packages/server/src/context.ts";
import { seedDemo } from "../packages/server/src/demo/seed.ts";
import { runImport } from "../packages/server/src/imports/run-import.ts";
import { mulberry32 } from "./population.ts";

const DISTRICTS = [
  { code: "500113", name: "巴南区" },
  { code: "500112", name: "渝北区" },
  { code: "500154", name: "开州区" },
  { code: "500156", name: "武隆区" },
] as const;

const TRADES = [
  { code: "C3670", word: "汽车零部件" },
  { code: "C3484", word: "精密机械" },
  { code: "C2710", word: "医药" },
  { code: "C3982", word: "电子元件" },
  { code: "I6513", word: "软件" },
  { code: "M7320", word: "工程技术" },
] as const;

/** A valid 统一社会信用代码 for synthetic enterprise i (organisation code "MB" + 7 digits, GB 32100 check). */
export function syntheticUscc(regionCode: string, i: number): string {
  const first17 = `91${regionCode}MB${String(i).padStart(7, "0")}`;
  return `${first17}${usccCheckChar(first17)}`;
}

function csv(rows: (string | number)[][]): Uint8Array {
  return new TextEncoder().encode(`\uFEFF${rows.map((r) => r.join(",")).join("\r\n")}\r\n`);
}

/** 万元 with six decimals from an integer number of 分. */
function wan(fen: number): string {
  return `${Math.floor(fen / 1_000_000)}.${String(fen % 1_000_000).padStart(6, "0")}`;
}

export interface SyntheticFiles {
  registry: Uint8Array;
  statistics: Uint8Array;
  rd: Uint8Array;
}

export function syntheticFiles(n: number, years: readonly number[]): SyntheticFiles {
  const registry: (string | number)[][] = [["统一社会信用代码", "企业名称", "所属区县", "行业代码"]];
  const statistics: (string | number)[][] = [
    ["统一社会信用代码", "年份", "营业收入（万元）", "是否规上", "从业人员"],
  ];
  const rd: (string | number)[][] = [["统一社会信用代码", "年份", "研发费用（万元）"]];
  const rnd = mulberry32(20261202);
  for (let i = 0; i < n; i++) {
    const d = DISTRICTS[i % DISTRICTS.length] as (typeof DISTRICTS)[number];
    const t = TRADES[Math.floor(rnd() * TRADES.length)] as (typeof TRADES)[number];
    const uscc = syntheticUscc(d.code, i);
    registry.push([uscc, `重庆测试${t.word}第${i}号有限公司`, d.name, t.code]);
    // Revenue 50万–5亿元 (log-uniform), employees 5–800, R&D 0–8 % of revenue; a few facts left unknown.
    let revenue = Math.floor(10 ** (6.7 + rnd() * 3)) * 100; // 分
    const employees = 5 + Math.floor(rnd() * 795);
    for (const year of years) {
      revenue = Math.floor(revenue * (0.85 + rnd() * 0.4));
      statistics.push([uscc, year, wan(revenue), revenue >= 2_000_000_000 ? "是" : "否", employees]);
      if (rnd() < 0.8) rd.push([uscc, year, wan(Math.floor(revenue * rnd() * 0.08))]);
    }
  }
  return { registry: csv(registry), statistics: csv(statistics), rd: csv(rd) };
}

export interface BenchData {
  /** Synthetic enterprises of 巴南区 (the officer's district), ids in a fixed order. */
  bananIds: string[];
  /** Rows imported per file (0 when the files were imported before: nothing to do). */
  imported: Record<string, number>;
  seconds: number;
}

/** Seeds the demo data (first run only) and imports the synthetic files; returns the ids the officer reads. */
export async function prepareBenchData(
  ctx: AppContext,
  n: number,
  progress: (line: string) => void,
): Promise<BenchData> {
  const started = performance.now();
  await seedDemo(ctx);
  const year = Number(new Date(ctx.now().getTime() + 8 * 3600_000).toISOString().slice(0, 4));
  const files = syntheticFiles(n, [year - 2, year - 1]);
  const measureIds = new Set(ctx.engine.measures.map((m) => m.def.id));
  const imported: Record<string, number> = {};
  for (const kind of ["registry", "statistics", "rd"] as const) {
    const t0 = performance.now();
    const report = await runImport(
      { db: ctx.db, vocabulary: ctx.library.rules.vocabulary, measureIds, now: ctx.now },
      {
        kind,
        fileName: `bench-${kind}-${n}.csv`,
        bytes: files[kind],
        district: null,
        actor: null,
      },
    );
    imported[kind] = report.alreadyImported ? 0 : report.counts.imported;
    if (report.counts.bad > 0)
      throw new Error(`${kind}: ${report.counts.bad} bad rows, first: ${JSON.stringify(report.problems[0])}`);
    progress(
      `  导入 ${kind}：${report.alreadyImported ? "已导入过，跳过" : `${report.counts.imported} 行`}（${((performance.now() - t0) / 1000).toFixed(1)} s）`,
    );
  }
  // The imports leave one "profile.changed" push job per enterprise; the benchmark server runs no job worker
  // (push is not what is measured), so they are settled here instead of competing with the requests.
  await ctx.db
    .updateTable("outbox")
    .set({ status: "done" })
    .where("status", "=", "pending")
    .where("topic", "=", "profile.changed")
    .execute();
  const rows = await ctx.db
    .selectFrom("enterprises")
    .select("id")
    .where("region_code", "=", "500113")
    .where("uscc", "like", "91500113MB%")
    .orderBy("uscc")
    .execute();
  return { bananIds: rows.map((r) => r.id), imported, seconds: (performance.now() - started) / 1000 };
}

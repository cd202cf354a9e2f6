/**
 * `huiqi import FILE --kind registry|statistics|rd|certifications|awards [--district 500113]`: a
 * department's .xlsx or .csv into the platform's database, as POST /api/imports does (same validation,
 * idempotence and provenance; imports/ in the server). A progress line on stderr, the Chinese report on
 * stdout. Exit code 0 when every row was imported (or the file had been imported already), 1 when some
 * rows were bad (the good rows are committed all the same), 2 when the file cannot be read at all.
 * Without --district every district's rows are accepted (an operator's import, recorded without a person).
 */
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { loadPolicyLibrary } from "@huiqi/policies";
import type { Command } from "commander";
import { CliError } from "./errors.ts";
import { table } from "./format.ts";

const KINDS = ["registry", "statistics", "rd", "certifications", "awards"] as const;
type Kind = (typeof KINDS)[number];
const MAX_BYTES = 200 * 1024 * 1024;

export interface ImportOptions {
  kind?: string;
  district?: string;
  dataDir?: string;
  databaseUrl?: string;
}

function readInput(file: string): Buffer {
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new CliError(`「${file}」是一个目录，请给出文件`);
    if (st.size > MAX_BYTES)
      throw new CliError(`文件「${file}」太大（${Math.round(st.size / 1024 / 1024)} MB），上限 200 MB`);
    return readFileSync(file);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT" ? `找不到文件「${file}」` : `无法读取文件「${file}」（${code ?? "未知原因"}）`,
    );
  }
}

/** Runs the import; returns the exit code and the report text. */
export async function runImportCommand(
  file: string,
  o: ImportOptions,
  progress: (rows: number) => void,
): Promise<{ exitCode: number; output: string }> {
  if (!o.kind || !(KINDS as readonly string[]).includes(o.kind))
    throw new CliError(
      "--kind 应为 registry（企业名录）、statistics（统计数据）、rd（研发费用）、certifications（资质认定）或 awards（已兑现奖补）",
    );
  const kind = o.kind as Kind;
  const lib = loadPolicyLibrary();
  const regions = lib.rules.vocabulary.facts.find((f) => f.id === "regionCode")?.values ?? [];
  if (o.district !== undefined && !regions.some((r) => r.value === o.district))
    throw new CliError(`--district 应为重庆市区县的六位代码（如 500113 巴南区），「${o.district}」不是`);
  const bytes = readInput(file);

  const server = await import("@huiqi/server");
  const env = { ...process.env };
  if (o.dataDir) env.HUIQI_DATA_DIR = o.dataDir;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  let config: ReturnType<typeof server.loadConfig>;
  try {
    config = server.loadConfig(env);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  let handle: Awaited<ReturnType<typeof server.openDatabase>>;
  try {
    handle = await server.openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      purpose: "huiqi import",
    });
  } catch (e) {
    if (e instanceof Error && e.name === "DataDirLockedError") throw new CliError(e.message, 1);
    throw e;
  }
  try {
    const measureIds = new Set(lib.rules.measures.map((m) => m.id));
    for (const r of await handle.db.selectFrom("measures").select("id").distinct().execute())
      measureIds.add(r.id);
    let report: Awaited<ReturnType<typeof server.runImport>>;
    try {
      report = await server.runImport(
        { db: handle.db, vocabulary: lib.rules.vocabulary, measureIds, now: () => new Date() },
        {
          kind,
          fileName: basename(file),
          bytes: new Uint8Array(bytes),
          district: o.district ?? null,
          actor: null,
          onProgress: progress,
        },
      );
    } catch (e) {
      if (e instanceof server.ImportFileError) throw new CliError(e.message);
      throw e;
    }
    return {
      exitCode: report.counts.bad > 0 ? 1 : 0,
      output: renderReport(report, server.importSummary(report)),
    };
  } finally {
    await handle.close();
  }
}

interface ReportLike {
  kind: Kind;
  fileName: string;
  alreadyImported: { importedAt: string } | null;
  counts: {
    rows: number;
    imported: number;
    bad: number;
    changed: number;
    unchanged: number;
    keptVerified: number;
    enterprisesCreated: number;
  };
  problems: { row: number; field: string; reason: string }[];
  problemsOmitted: number;
  kept: { row: number; field: string; reason: string }[];
}

/** The Chinese report: one summary line, then the bad rows and the values kept because verified. */
export function renderReport(r: ReportLike, summary: string): string {
  const lines: string[] = [summary];
  const rows = (head: string[], items: { row: number; field: string; reason: string }[]) => {
    const t = table(head, [6, 16, 56]);
    for (const p of items) t.push([String(p.row), p.field, p.reason]);
    return t.toString();
  };
  if (r.problems.length > 0) {
    lines.push("", "有问题的行（未导入）：", rows(["行", "列", "原因"], r.problems));
    if (r.problemsOmitted > 0) lines.push(`另有 ${r.problemsOmitted} 个问题未列出`);
  }
  if (r.kept.length > 0) lines.push("", "已由部门核实、未被覆盖的值：", rows(["行", "列", "说明"], r.kept));
  return lines.join("\n");
}

export function registerImport(program: Command, print: (s: string) => void): void {
  program
    .command("import")
    .description(
      "批量导入企业名录或企业数据（.xlsx／.csv）：好的行入库，问题行逐行列出；同一文件重复导入不做修改",
    )
    .argument("<file>", "部门导出的 .xlsx 或 .csv 文件（CSV 可为 UTF-8 或 GB18030）")
    .requiredOption(
      "--kind <kind>",
      "registry 企业名录｜statistics 统计数据｜rd 研发费用｜certifications 资质认定｜awards 已兑现奖补",
    )
    .option("--district <code>", "只导入该区县的行（六位代码，如 500113）；其他区县的行列为问题行")
    .option("--data-dir <dir>", "内嵌数据库的数据目录（默认 HUIQI_DATA_DIR 或 ./data；服务运行时须先停止）")
    .option("--database-url <url>", "PostgreSQL 连接串（默认 DATABASE_URL；未设置则用内嵌数据库）")
    .action(async (file: string, o: ImportOptions) => {
      const tty = process.stderr.isTTY === true;
      let last = 0;
      const progress = (rows: number) => {
        if (tty) process.stderr.write(`\r已处理 ${rows} 行…`);
        else if (rows - last >= 10_000) {
          process.stderr.write(`已处理 ${rows} 行…\n`);
          last = rows;
        }
      };
      const r = await runImportCommand(file, o, progress);
      if (tty) process.stderr.write("\n");
      print(r.output);
      process.exitCode = r.exitCode;
    });
}

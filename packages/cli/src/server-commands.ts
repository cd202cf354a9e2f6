/**
 * Commands that open the platform's database: `huiqi audit verify`, `huiqi serve`, `huiqi backup` and
 * `huiqi restore`. The server package is imported lazily so the rules commands (match, explain, policies)
 * start without loading it. With the embedded database every one of them takes the data folder's lock:
 * a second process on the same folder exits with code 1 and a message naming the folder and the holder's pid.
 */
import { CliError } from "./errors.ts";

/** The data folder is locked by another process, or a backup/restore refused: exit 1 with the message. */
function isUserFacing(e: unknown): e is Error {
  return e instanceof Error && (e.name === "DataDirLockedError" || e.name === "OpsError");
}

async function userFacing<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isUserFacing(e)) throw new CliError(e.message, 1);
    throw e;
  }
}

export interface DatabaseOptions {
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
}

export interface CommandOutcome {
  exitCode: number;
  output: string;
}

/** Resolves flags over the environment (DATABASE_URL, HUIQI_DATA_DIR), as the server does. */
async function resolveConfig(o: DatabaseOptions) {
  const { loadConfig } = await import("@huiqi/server");
  const env = { ...process.env };
  if (o.dataDir) env.HUIQI_DATA_DIR = o.dataDir;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  try {
    return loadConfig(env);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/** Checks the audit log's hash chain: exit 0 when intact, 1 naming the first changed or missing row. */
export async function auditVerify(o: DatabaseOptions): Promise<CommandOutcome> {
  const { openDatabase, verifyAudit } = await import("@huiqi/server");
  const config = await resolveConfig(o);
  // PGlite cannot open a folder another process holds (it corrupts it), so verify takes the lock as well:
  // while a server runs on the folder, use GET /api/audit/verify instead.
  const handle = await userFacing(() =>
    openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, purpose: "huiqi audit verify" }),
  );
  try {
    const r = await verifyAudit(handle.db);
    if (r.ok) return { exitCode: 0, output: `审计日志校验通过（${r.rows} 行）` };
    return {
      exitCode: 1,
      output: `审计日志校验失败：${r.problem?.reason ?? "未知原因"}（第 ${r.problem?.seq ?? "?"} 行；共 ${r.rows} 行）`,
    };
  } finally {
    await handle.close();
  }
}

export interface ServeOptions extends DatabaseOptions {
  port?: string | undefined;
  host?: string | undefined;
  /** commander sets false for --no-demo. */
  demo?: boolean | undefined;
}

/** Starts the API server, the job worker and (unless --no-demo) the demo data; stops on SIGINT/SIGTERM. */
export async function serve(o: ServeOptions, print: (s: string) => void): Promise<void> {
  const { serve: start } = await import("@huiqi/server");
  const env = { ...process.env };
  if (o.port) env.PORT = o.port;
  if (o.host) env.HOST = o.host;
  const config = await resolveConfig({ ...o, dataDir: o.dataDir ?? env.HUIQI_DATA_DIR });
  if (o.port) config.port = Number(o.port);
  if (o.host) config.host = o.host;
  // Port 0: any free port (the URL printed at start names it).
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535)
    throw new CliError(`--port：端口「${o.port}」无效`);
  await userFacing(() => start(config, { demo: o.demo !== false, print }));
}

export interface BackupCommandOptions extends DatabaseOptions {
  out: string;
  force?: boolean | undefined;
}

export interface OpsOutcome extends CommandOutcome {
  /** Printed on stderr after the output (e.g. the audit chain was already broken). */
  warning?: string;
}

type Summary = Awaited<ReturnType<typeof import("@huiqi/server")["backup"]>>;

/** Backup times as Chongqing wall-clock time. */
function chongqingTime(iso: string): string {
  return `${new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}（北京时间）`;
}

function describeTables(tables: Record<string, number>): string {
  const shown = Object.entries(tables).filter(([t]) => !t.startsWith("kysely_"));
  const rows = shown.reduce((a, [, n]) => a + n, 0);
  return `${shown.map(([t, n]) => `${t} ${n}`).join("、")}（${shown.length} 张表，共 ${rows} 行）`;
}

function auditLine(s: Summary): { line: string; warning?: string } {
  if (s.audit.ok) return { line: `  审计日志校验通过（${s.audit.rows} 行）` };
  const why = `${s.audit.problem?.reason ?? "未知原因"}（共 ${s.audit.rows} 行）`;
  return { line: `  审计日志校验失败：${why}`, warning: `警告：审计日志校验失败：${why}` };
}

/** `huiqi backup --out FILE`: the database (PGlite data folder or pg_dump) and the attachments in one file. */
export async function backup(o: BackupCommandOptions): Promise<OpsOutcome> {
  const { backup: run } = await import("@huiqi/server");
  const config = await resolveConfig(o);
  const s = await userFacing(() =>
    run({ out: o.out, dataDir: config.dataDir, databaseUrl: config.databaseUrl, force: o.force === true }),
  );
  const { statSync } = await import("node:fs");
  const audit = auditLine(s);
  return {
    exitCode: 0,
    output: [
      `已备份${s.target}到「${s.file}」（${(statSync(s.file).size / 1024 / 1024).toFixed(1)} MB）`,
      `  各表行数：${describeTables(s.manifest.tables)}`,
      `  附件：${s.manifest.attachments} 个`,
      audit.line,
    ].join("\n"),
    ...(audit.warning ? { warning: `${audit.warning}；备份已按原样保存` } : {}),
  };
}

/** `huiqi restore FILE`: refuses a target that holds data unless --force; checks counts and the audit chain. */
export async function restore(
  file: string,
  o: DatabaseOptions & { force?: boolean | undefined },
): Promise<OpsOutcome> {
  const { restore: run } = await import("@huiqi/server");
  const config = await resolveConfig(o);
  const s = await userFacing(() =>
    run({
      file,
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      force: o.force === true,
    }),
  );
  const audit = auditLine(s);
  const outcome: OpsOutcome = {
    exitCode: 0,
    output: [
      `已从「${s.file}」恢复到${s.target}（备份于 ${chongqingTime(s.manifest.createdAt)}）`,
      `  各表行数与备份一致：${describeTables(s.tables)}`,
      `  附件：${s.manifest.attachments} 个`,
      audit.line,
    ].join("\n"),
  };
  if (audit.warning) outcome.warning = audit.warning;
  return outcome;
}

/** Opens the platform's database with the policy folders seeded in (as `huiqi serve` does at start). */
async function withPolicyDatabase<T>(
  o: DatabaseOptions,
  purpose: string,
  f: (db: import("@huiqi/server").DatabaseHandle["db"]) => Promise<T>,
): Promise<T> {
  const { openDatabase, prepareLibrary } = await import("@huiqi/server");
  const config = await resolveConfig(o);
  const handle = await userFacing(() =>
    openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, purpose }),
  );
  try {
    await (await prepareLibrary(handle.db)).commit(new Date());
    return await f(handle.db);
  } finally {
    await handle.close();
  }
}

/** `huiqi policies export DIR`: the published revision of every document, one folder each. */
export async function policiesExport(dir: string, o: DatabaseOptions): Promise<CommandOutcome> {
  const { exportPolicyDocuments } = await import("@huiqi/server");
  const ids = await withPolicyDatabase(o, "huiqi policies export", (db) => exportPolicyDocuments(db, dir));
  return { exitCode: 0, output: `已导出 ${ids.length} 份政策文件的现行版本到「${dir}」：${ids.join("、")}` };
}

/** Reads DIR as one document folder (it holds document.yaml) or as a folder of document folders. */
async function readFolders(dir: string) {
  const { existsSync, readdirSync } = await import("node:fs");
  const { basename, dirname, join } = await import("node:path");
  const { readDocumentFiles } = await import("@huiqi/policies");
  if (!existsSync(dir)) throw new CliError(`目录「${dir}」不存在`);
  if (existsSync(join(dir, "document.yaml"))) {
    const id = basename(dir);
    return [{ id, files: readDocumentFiles(id, dirname(dir)), origin: dir }];
  }
  const ids = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "document.yaml")))
    .map((d) => d.name)
    .sort();
  if (ids.length === 0)
    throw new CliError(`目录「${dir}」里没有政策文件（每份文件一个目录，内有 document.yaml）`);
  return ids.map((id) => ({ id, files: readDocumentFiles(id, dir), origin: join(dir, id) }));
}

/**
 * `huiqi policies import DIR [--draft]`: documents become new revisions, published (superseding the current
 * one) or drafts; all validated first, nothing written if one fails; unchanged documents are skipped.
 */
export async function policiesImport(
  dir: string,
  o: DatabaseOptions & { draft?: boolean | undefined },
): Promise<CommandOutcome> {
  const { importPolicyDocuments } = await import("@huiqi/server");
  const { PolicyDataError } = await import("@huiqi/policies");
  const sources = await readFolders(dir);
  try {
    const r = await withPolicyDatabase(o, "huiqi policies import", (db) =>
      importPolicyDocuments(db, sources, { state: o.draft ? "draft" : "published", now: new Date() }),
    );
    const lines = [
      ...Object.entries(r.created).map(
        ([id, rev]) =>
          `${id}：新建第 ${rev} 版（${o.draft ? "草稿，待审核后发布" : "已发布，取代原现行版本"}）`,
      ),
      ...r.unchanged.map((id) => `${id}：与现行版本相同，未改动`),
    ];
    if (!o.draft && Object.keys(r.created).length > 0)
      lines.push("运行中的平台在政策管理员点“重新载入”或重启后使用新版本。");
    return { exitCode: 0, output: lines.join("\n") };
  } catch (e) {
    if (e instanceof PolicyDataError) throw new CliError(`导入失败，数据库未改动：${e.message}`);
    throw e;
  }
}

/**
 * Commands that open the platform's database: `huiqi audit verify` and `huiqi serve`. The server package is
 * imported lazily so the rules commands (match, explain, policies) start without loading it.
 */
import { CliError } from "./errors.ts";

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
  const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
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
  if (!Number.isInteger(config.port) || config.port <= 0 || config.port > 65535)
    throw new CliError(`--port：端口「${o.port}」无效`);
  await start(config, { demo: o.demo !== false, print });
}

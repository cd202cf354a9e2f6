/**
 * `huiqi backup` and `huiqi restore`. A backup is one uncompressed tar file:
 *
 *   huiqi-backup.json   manifest: database kind, time, row count of every table, audit chain status
 *   database.tar.gz     embedded mode: PGlite's own data-folder dump (`dumpDataDir`)
 *   database.pgdump     PostgreSQL: `pg_dump --format=custom`, taken in the same snapshot as the counts
 *   attachments/…       the uploaded files (<dataDir>/attachments), which live outside the database
 *
 * Embedded mode: the backup takes the data folder's lock, so it refuses while a server runs there (PGlite
 * cannot be opened by two processes); PostgreSQL backs up live. A restore checks the restored database
 * against the manifest (same row count in every table) and the audit chain before it puts anything in
 * place, refuses a target that already holds data unless `force`, and never asks anything.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import { create, extract, replace } from "tar";
import { type AuditVerification, verifyAudit } from "../audit/audit-log.ts";
import { openDatabase, pgliteDir } from "../db/database.ts";
import type { Database } from "../db/schema.ts";
import { lockDataDir } from "./data-lock.ts";

/** A refusal or failure worded for the user (Chinese, names the file, folder or database and the reason). */
export class OpsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpsError";
  }
}

export const MANIFEST = "huiqi-backup.json";
const PGLITE_DUMP = "database.tar.gz";
const PG_DUMP = "database.pgdump";
const ATTACHMENTS = "attachments";

export interface BackupManifest {
  format: "huiqi-backup";
  version: 1;
  database: "pglite" | "postgres";
  createdAt: string;
  /** Rows per table of the public schema, counted in the state that was dumped. */
  tables: Record<string, number>;
  audit: AuditVerification;
  attachments: number;
}

export interface BackupOptions {
  out: string;
  /** Embedded database folder; with databaseUrl, only the attachments are read from it. */
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Overwrite an existing file at `out`. */
  force?: boolean;
}

export interface RestoreOptions {
  file: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Replace the data already in the target folder or database. */
  force?: boolean;
}

export interface OpsSummary {
  file: string;
  target: string;
  manifest: BackupManifest;
  /** After a restore: the counts and audit status of the restored database. */
  tables: Record<string, number>;
  audit: AuditVerification;
}

/** Row count of every table of the public schema. */
export async function tableCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const names = await sql<{
    name: string;
  }>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(db);
  const out: Record<string, number> = {};
  for (const { name } of names.rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
    out[name] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? countFiles(join(dir, e.name)) : e.isFile() ? 1 : 0;
  return n;
}

/** Database name and host of a URL, for messages (never the password). */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL 数据库「${decodeURIComponent(u.pathname.slice(1)) || "postgres"}」（${u.hostname}${u.port ? `:${u.port}` : ""}）`;
  } catch {
    throw new OpsError("--database-url：不是有效的连接串（应为 postgres://用户@主机:端口/数据库）");
  }
}

/** pg_dump / pg_restore: the connection string without its password, which goes in PGPASSWORD instead. */
function pgClientArgs(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = "";
  }
  return { dbname: u.toString(), env };
}

function runTool(cmd: "pg_dump" | "pg_restore", args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 8_000) stderr += d.toString("utf8");
    });
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "ENOENT"
          ? new OpsError(
              `找不到 ${cmd}：PostgreSQL 的备份与恢复要用 PostgreSQL 客户端工具 pg_dump 和 pg_restore（版本不低于服务器，` +
                "如 Debian 的 postgresql-client-15），请安装并放进 PATH",
            )
          : new OpsError(`无法运行 ${cmd}：${e.message}`),
      ),
    );
    child.on("close", (code) => {
      if (code === 0) resolvePromise();
      else
        reject(
          new OpsError(
            `${cmd} 失败（退出码 ${code}）：${stderr.trim().split("\n").slice(-4).join(" / ") || "无输出"}`,
          ),
        );
    });
  });
}

function requireSchema(tables: Record<string, number>, target: string): void {
  if (!("audit_log" in tables))
    throw new OpsError(`${target}里没有惠企的数据表（缺少 audit_log），没有可备份的数据`);
}

function tempSibling(path: string, tag: string): string {
  return join(dirname(path), `.${basename(path)}.${tag}-${randomBytes(4).toString("hex")}`);
}

/** Writes the backup archive: manifest and dump from `staging`, then the attachments from `dataDir`. */
async function writeArchive(out: string, staging: string, dumpName: string, dataDir: string): Promise<void> {
  const partial = `${out}.partial`;
  rmSync(partial, { force: true });
  await create({ file: partial, cwd: staging, portable: true }, [MANIFEST, dumpName]);
  if (countFiles(join(dataDir, ATTACHMENTS)) > 0)
    await replace({ file: partial, cwd: dataDir, portable: true }, [ATTACHMENTS]);
  renameSync(partial, out);
}

export async function backup(o: BackupOptions): Promise<OpsSummary> {
  const out = resolve(o.out);
  const dataDir = resolve(o.dataDir);
  if (existsSync(out) && !o.force)
    throw new OpsError(`--out：文件「${out}」已存在；换一个文件名，或加 --force 覆盖`);
  if (!existsSync(dirname(out))) throw new OpsError(`--out：目录「${dirname(out)}」不存在`);
  const staging = tempSibling(out, "staging");
  mkdirSync(staging);
  try {
    if (o.databaseUrl) {
      const target = describeUrl(o.databaseUrl);
      const handle = await openDatabase({ url: o.databaseUrl, migrate: false }).catch((e: Error) => {
        throw new OpsError(`无法连接${target}：${e.message}`);
      });
      try {
        // Counts, audit check and pg_dump see one snapshot, so a live server's writes cannot make them disagree.
        const manifest = await handle.db.connection().execute(async (conn) => {
          await sql`begin isolation level repeatable read read only`.execute(conn);
          try {
            const snap = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(conn);
            const tables = await tableCounts(conn);
            requireSchema(tables, target);
            const audit = await verifyAudit(conn);
            const { dbname, env } = pgClientArgs(o.databaseUrl as string);
            await runTool(
              "pg_dump",
              [
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                `--snapshot=${snap.rows[0]?.id ?? ""}`,
                `--file=${join(staging, PG_DUMP)}`,
                `--dbname=${dbname}`,
              ],
              env,
            );
            return {
              format: "huiqi-backup",
              version: 1,
              database: "postgres",
              createdAt: new Date().toISOString(),
              tables,
              audit,
              attachments: countFiles(join(dataDir, ATTACHMENTS)),
            } satisfies BackupManifest;
          } finally {
            await sql`commit`.execute(conn);
          }
        });
        writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
        await writeArchive(out, staging, PG_DUMP, dataDir);
        return { file: out, target, manifest, tables: manifest.tables, audit: manifest.audit };
      } finally {
        await handle.close();
      }
    }

    const target = `数据目录「${dataDir}」`;
    if (!existsSync(join(pgliteDir(dataDir), "PG_VERSION")))
      throw new OpsError(`${target}里没有内嵌数据库（缺少 pglite/PG_VERSION），没有可备份的数据`);
    // Takes the folder's lock: refused (DataDirLockedError, naming the pid) while a server runs on it.
    const handle = await openDatabase({ dataDir, purpose: "huiqi backup", migrate: false });
    try {
      const tables = await tableCounts(handle.db);
      requireSchema(tables, target);
      const audit = await verifyAudit(handle.db);
      const client = handle.pglite as PGlite;
      // A clean data folder in the dump: no crash recovery needed when it is loaded.
      await client.exec("checkpoint");
      const dump = await client.dumpDataDir("gzip");
      writeFileSync(join(staging, PGLITE_DUMP), Buffer.from(await dump.arrayBuffer()));
      const manifest: BackupManifest = {
        format: "huiqi-backup",
        version: 1,
        database: "pglite",
        createdAt: new Date().toISOString(),
        tables,
        audit,
        attachments: countFiles(join(dataDir, ATTACHMENTS)),
      };
      writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
      await writeArchive(out, staging, PGLITE_DUMP, dataDir);
      return { file: out, target, manifest, tables, audit };
    } finally {
      await handle.close();
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function readManifest(dir: string, file: string): BackupManifest {
  let m: Partial<BackupManifest>;
  try {
    m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as Partial<BackupManifest>;
  } catch {
    throw new OpsError(`「${file}」不是惠企备份文件（缺少 ${MANIFEST}）`);
  }
  if (m.format !== "huiqi-backup" || m.version !== 1 || !m.tables || !m.database)
    throw new OpsError(
      `「${file}」的备份格式不认识（format=${String(m.format)}，version=${String(m.version)}）`,
    );
  return m as BackupManifest;
}

/** Points every attachment row at the restored folder (rows store absolute paths). */
async function relocateAttachments(db: Kysely<Database>, dataDir: string): Promise<void> {
  const prefix = join(dataDir, ATTACHMENTS);
  await sql`update attachments set path = ${prefix} || '/' || application_id::text || '/' || id::text
            where path is distinct from ${prefix} || '/' || application_id::text || '/' || id::text`.execute(
    db,
  );
  // Service-request files (services/attachments.ts) live under attachments/service-requests/<requestId>/.
  const requests = join(prefix, "service-requests");
  await sql`update service_request_attachments set path = ${requests} || '/' || request_id::text || '/' || id::text
            where path is distinct from ${requests} || '/' || request_id::text || '/' || id::text`.execute(
    db,
  );
}

function compareCounts(manifest: BackupManifest, restored: Record<string, number>, file: string): void {
  const diffs = Object.entries(manifest.tables)
    .filter(([t, n]) => restored[t] !== n)
    .map(([t, n]) => `${t}：备份 ${n} 行，恢复后 ${restored[t] ?? "缺表"}`);
  if (diffs.length)
    throw new OpsError(`从「${file}」恢复的数据与备份清单不符（${diffs.join("；")}），目标未作改动`);
}

function moveAside(from: string, to: string): void {
  if (existsSync(from)) renameSync(from, to);
}

export async function restore(o: RestoreOptions): Promise<OpsSummary> {
  const file = resolve(o.file);
  const dataDir = resolve(o.dataDir);
  if (!existsSync(file) || !statSync(file).isFile()) throw new OpsError(`备份文件「${file}」不存在`);
  const attachmentsDir = join(dataDir, ATTACHMENTS);
  const hasAttachments = countFiles(attachmentsDir) > 0;

  if (o.databaseUrl) {
    const target = describeUrl(o.databaseUrl);
    const handle = await openDatabase({ url: o.databaseUrl, migrate: false }).catch((e: Error) => {
      throw new OpsError(`无法连接${target}：${e.message}`);
    });
    try {
      const existing = Object.keys(await tableCounts(handle.db));
      if (!o.force && (existing.length > 0 || hasAttachments))
        throw new OpsError(
          `${existing.length ? `${target}已有 ${existing.length} 张表（${existing.slice(0, 5).join("、")}${existing.length > 5 ? "…" : ""}）` : `附件目录「${attachmentsDir}」已有文件`}：` +
            "恢复会覆盖它们。确认覆盖请加 --force，或恢复到一个新建的空数据库",
        );
      mkdirSync(dataDir, { recursive: true });
      const staging = tempSibling(join(dataDir, "restore"), "staging");
      mkdirSync(staging);
      try {
        await extract({ file, cwd: staging, strict: true });
        const manifest = readManifest(staging, file);
        if (manifest.database !== "postgres")
          throw new OpsError(
            `「${file}」是内嵌数据库（PGlite）的备份，不能恢复到 PostgreSQL；请去掉 --database-url，恢复到数据目录`,
          );
        const { dbname, env } = pgClientArgs(o.databaseUrl);
        await runTool(
          "pg_restore",
          [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            `--dbname=${dbname}`,
            join(staging, PG_DUMP),
          ],
          env,
        );
        await relocateAttachments(handle.db, dataDir);
        const tables = await tableCounts(handle.db);
        compareCounts(manifest, tables, file);
        const audit = await verifyAudit(handle.db);
        moveAside(attachmentsDir, join(staging, "previous-attachments"));
        moveAside(join(staging, ATTACHMENTS), attachmentsDir);
        return { file, target, manifest, tables, audit };
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    } finally {
      await handle.close();
    }
  }

  const target = `数据目录「${dataDir}」`;
  // The folder's lock for the whole restore: refused while a server (or another restore) uses it.
  const lock = await lockDataDir(dataDir, { purpose: "huiqi restore" });
  try {
    const hasDatabase = existsSync(pgliteDir(dataDir));
    if (!o.force && (hasDatabase || hasAttachments))
      throw new OpsError(
        `${target}已有数据（${[hasDatabase ? "pglite/ 内嵌数据库" : "", hasAttachments ? "attachments/ 附件" : ""].filter(Boolean).join("、")}）：` +
          "恢复会覆盖它们。确认覆盖请加 --force，或恢复到一个新的空目录",
      );
    const staging = join(dataDir, `.restore-${randomBytes(4).toString("hex")}`);
    mkdirSync(staging);
    try {
      await extract({ file, cwd: staging, strict: true });
      const manifest = readManifest(staging, file);
      if (manifest.database !== "pglite")
        throw new OpsError(
          `「${file}」是 PostgreSQL 的备份，不能恢复到内嵌数据库；请用 --database-url 指定一个 PostgreSQL 数据库`,
        );
      const restoredDir = join(staging, "pglite");
      // PGlite unpacks its own dump into the (new, empty) folder.
      const client = new PGlite(restoredDir, {
        loadDataDir: new Blob([readFileSync(join(staging, PGLITE_DUMP))]),
      });
      const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
      let tables: Record<string, number>;
      let audit: AuditVerification;
      try {
        await relocateAttachments(db, dataDir);
        tables = await tableCounts(db);
        audit = await verifyAudit(db);
        await client.exec("checkpoint");
      } finally {
        await db.destroy();
        if (!client.closed) await client.close();
      }
      compareCounts(manifest, tables, file);
      moveAside(pgliteDir(dataDir), join(staging, "previous-pglite"));
      renameSync(restoredDir, pgliteDir(dataDir));
      moveAside(attachmentsDir, join(staging, "previous-attachments"));
      moveAside(join(staging, ATTACHMENTS), attachmentsDir);
      return { file, target, manifest, tables, audit };
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  } finally {
    await lock.release();
  }
}

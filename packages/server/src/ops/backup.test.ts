/**
 * Backup and restore of the demo data set, on PGlite and (with HUIQI_TEST_DATABASE_URL) on PostgreSQL:
 * the restored database has the same rows in every table, a valid audit chain, and the attachments in the
 * new folder; a restore over existing data is refused without --force; a PGlite backup is refused while
 * another process holds the folder.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { verifyAudit } from "../audit/audit-log.ts";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { createPlatform } from "../server.ts";
import { Client, testDatabaseKinds } from "../test-support.ts";
import { backup, OpsError, restore, tableCounts } from "./backup.ts";
import { DataDirLockedError } from "./data-lock.ts";

const MAIN_TABLES = [
  "enterprises",
  "accounts",
  "enterprise_facts",
  "applications",
  "application_history",
  "attachments",
  "disbursements",
  "notifications",
  "outbox",
  "audit_log",
  "measures",
  "service_request_attachments",
];

const PDF = Buffer.from("%PDF-1.4\n% huiqi backup test\n%%EOF\n");

async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.HUIQI_TEST_DATABASE_URL as string;
  const name = `huiqi_backup_${randomBytes(6).toString("hex")}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

/** The demo data set plus one uploaded file, in `dataDir` (and `url` on PostgreSQL); returns the counts. */
async function seed(dataDir: string, url: string | undefined) {
  const platform = await createPlatform({ ...loadConfig({}), dataDir, databaseUrl: url });
  try {
    await seedDemo(platform.ctx);
    const app = await platform.ctx.db
      .selectFrom("applications")
      .select("id")
      .where("status", "=", "draft")
      .executeTakeFirstOrThrow();
    const id = randomUUID();
    const path = join(dataDir, "attachments", app.id, id);
    mkdirSync(join(dataDir, "attachments", app.id), { recursive: true });
    writeFileSync(path, PDF);
    await platform.ctx.db
      .insertInto("attachments")
      .values({
        id,
        application_id: app.id,
        file_name: "营业执照.pdf",
        content_type: "application/pdf",
        size: PDF.length,
        path,
        created_at: new Date(),
      })
      .execute();
    // A service request with a file, through the routes (stored under attachments/service-requests/).
    const ent = await new Client(platform.app).login("qiye-banan-manufacturer", DEMO_PASSWORD);
    const raised = await ent.post("/api/service-requests", {
      category: "用工",
      description: "招工困难，需要对接职业院校",
    });
    const requestId: string = raised.json().id;
    const attached = await ent.post(`/api/service-requests/${requestId}/attachments`, {
      fileName: "用工需求.pdf",
      contentType: "application/pdf",
      contentBase64: PDF.toString("base64"),
    });
    if (attached.statusCode !== 201) throw new Error(attached.body);
    const requestFileId: string = attached.json().attachments[0].id;
    return {
      counts: await tableCounts(platform.ctx.db),
      attachmentId: id,
      applicationId: app.id,
      requestId,
      requestFileId,
    };
  } finally {
    await platform.close();
  }
}

describe.each(testDatabaseKinds())("backup and restore (%s)", (kind) => {
  it("restores the demo data into a fresh target: same rows, audit chain intact, attachments moved", async () => {
    const work = mkdtempSync(join(tmpdir(), "huiqi-backup-"));
    const source = join(work, "source");
    const target = join(work, "target");
    const file = join(work, "huiqi.tar");
    const dbs = kind === "postgres" ? [await createDatabase(), await createDatabase()] : [];
    const [sourceUrl, targetUrl] = dbs.map((d) => d.url);
    try {
      const seeded = await seed(source, sourceUrl);
      for (const t of MAIN_TABLES) expect(seeded.counts[t], t).toBeDefined();
      expect(seeded.counts.applications).toBeGreaterThan(0);
      expect(seeded.counts.audit_log).toBeGreaterThan(0);

      if (kind === "pglite") {
        // While another process (here: an open handle) holds the folder, the backup is refused.
        const holder = await openDatabase({ dataDir: source, purpose: "huiqi serve" });
        const refused = await backup({ out: file, dataDir: source }).catch((e: unknown) => e);
        await holder.close();
        expect(refused).toBeInstanceOf(DataDirLockedError);
        expect((refused as Error).message).toContain(
          `数据目录「${source}」正被另一个惠企进程（pid ${process.pid}`,
        );
        expect(existsSync(file)).toBe(false);
      }

      if (kind === "postgres") {
        // Without the PostgreSQL client tools: a clear message, no file.
        const path = process.env.PATH;
        process.env.PATH = "/nonexistent";
        try {
          const missing = await backup({ out: file, dataDir: source, databaseUrl: sourceUrl }).catch(
            (e: unknown) => e,
          );
          expect(missing).toBeInstanceOf(OpsError);
          expect((missing as Error).message).toMatch(/^找不到 pg_dump：.*pg_dump 和 pg_restore/);
        } finally {
          process.env.PATH = path;
        }
        expect(existsSync(file)).toBe(false);
      }

      const made = await backup({ out: file, dataDir: source, databaseUrl: sourceUrl });
      expect(made.manifest).toMatchObject({ database: kind, tables: seeded.counts, attachments: 2 });
      expect(made.audit.ok).toBe(true);
      const again = await backup({ out: file, dataDir: source, databaseUrl: sourceUrl }).catch(
        (e: unknown) => e,
      );
      expect(again).toBeInstanceOf(OpsError);
      expect((again as Error).message).toBe(`--out：文件「${file}」已存在；换一个文件名，或加 --force 覆盖`);

      const restored = await restore({ file, dataDir: target, databaseUrl: targetUrl });
      expect(restored.tables).toEqual(seeded.counts);
      expect(restored.audit).toMatchObject({ ok: true, rows: seeded.counts.audit_log });

      // Open the restored database as the platform would: same counts, the chain verifies, the file is there.
      const h = await openDatabase({ dataDir: target, url: targetUrl });
      try {
        const counts = await tableCounts(h.db);
        for (const t of MAIN_TABLES) expect(counts[t], t).toBe(seeded.counts[t]);
        expect(await verifyAudit(h.db)).toEqual({ ok: true, rows: seeded.counts.audit_log });
        const a = await h.db
          .selectFrom("attachments")
          .select("path")
          .where("id", "=", seeded.attachmentId)
          .executeTakeFirstOrThrow();
        expect(a.path).toBe(join(target, "attachments", seeded.applicationId, seeded.attachmentId));
        expect(readFileSync(a.path)).toEqual(PDF);
        const f = await h.db
          .selectFrom("service_request_attachments")
          .select("path")
          .where("id", "=", seeded.requestFileId)
          .executeTakeFirstOrThrow();
        expect(f.path).toBe(
          join(target, "attachments", "service-requests", seeded.requestId, seeded.requestFileId),
        );
      } finally {
        await h.close();
      }

      // The restored service-request file downloads through the platform.
      const restoredPlatform = await createPlatform({
        ...loadConfig({}),
        dataDir: target,
        databaseUrl: targetUrl,
      });
      try {
        const ent = await new Client(restoredPlatform.app).login("qiye-banan-manufacturer", DEMO_PASSWORD);
        const got = await ent.get(
          `/api/service-requests/${seeded.requestId}/attachments/${seeded.requestFileId}`,
        );
        expect(got.statusCode, got.body).toBe(200);
        expect(got.rawPayload.equals(PDF)).toBe(true);
      } finally {
        await restoredPlatform.close();
      }

      // The target now holds data: refused without --force, replaced with it.
      const over = await restore({ file, dataDir: target, databaseUrl: targetUrl }).catch((e: unknown) => e);
      expect(over).toBeInstanceOf(OpsError);
      expect((over as Error).message).toContain("恢复会覆盖它们。确认覆盖请加 --force");
      expect((over as Error).message).toContain(
        kind === "pglite" ? `数据目录「${target}」已有数据` : "PostgreSQL 数据库",
      );
      const forced = await restore({ file, dataDir: target, databaseUrl: targetUrl, force: true });
      expect(forced.tables).toEqual(seeded.counts);
      expect(forced.audit.ok).toBe(true);
    } finally {
      for (const d of dbs) await d.drop();
    }
  }, 600_000);
});

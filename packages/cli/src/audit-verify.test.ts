import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { appendAudit, openDatabase } from "@huiqi/server";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bin = join(root, "packages/cli/bin/huiqi.js");

function huiqi(...args: string[]) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
    env,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function withDb(
  dataDir: string,
  f: (db: Awaited<ReturnType<typeof openDatabase>>["db"]) => Promise<void>,
) {
  const h = await openDatabase({ dataDir });
  try {
    await f(h.db);
  } finally {
    await h.close();
  }
}

describe("huiqi audit verify", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "huiqi-audit-"));
  beforeAll(async () => {
    await withDb(dataDir, async (db) => {
      await db.transaction().execute(async (trx) => {
        for (let i = 1; i <= 3; i++)
          await appendAudit(trx, null, {
            action: "test.write",
            entity: "test",
            entityId: `t${i}`,
            after: { i },
          });
      });
    });
  }, 60_000);

  it("passes on a clean log", () => {
    const r = huiqi("audit", "verify", "--data-dir", dataDir);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("审计日志校验通过（3 行）");
  }, 60_000);

  it("fails naming row 2 when it was changed", async () => {
    await withDb(dataDir, async (db) => {
      await sql`update audit_log set after = '{"x":1}' where seq = 2`.execute(db);
    });
    const r = huiqi("audit", "verify", "--data-dir", dataDir);
    expect(r.code).toBe(1);
    expect(r.err).toContain("第 2 行");
    await withDb(dataDir, async (db) => {
      await sql`update audit_log set after = '{"i":2}' where seq = 2`.execute(db);
    });
    expect(huiqi("audit", "verify", "--data-dir", dataDir).code).toBe(0);
  }, 60_000);

  it("fails when a row was deleted", async () => {
    await withDb(dataDir, async (db) => {
      await sql`delete from audit_log where seq = 2`.execute(db);
    });
    const r = huiqi("audit", "verify", "--data-dir", dataDir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/第 2 行缺失/);
  }, 60_000);
});

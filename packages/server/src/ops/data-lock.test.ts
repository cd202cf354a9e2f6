import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { createPlatform } from "../server.ts";
import { DataDirLockedError, LOCK_DIR, LOCK_HOLDER_FILE, lockDataDir } from "./data-lock.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "huiqi-lock-"));

describe("data folder lock", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  });

  it("refuses a second holder, naming the folder and the holder's pid; free again once released", async () => {
    const dir = tmp();
    const first = await lockDataDir(dir, { purpose: "huiqi serve" });
    expect(JSON.parse(readFileSync(join(dir, LOCK_HOLDER_FILE), "utf8"))).toMatchObject({
      pid: process.pid,
      purpose: "huiqi serve",
    });
    const refused = await lockDataDir(dir, { purpose: "huiqi backup" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toContain(`数据目录「${dir}」正被另一个惠企进程（pid ${process.pid}`);
    expect((refused as Error).message).toContain("huiqi serve");
    expect((refused as Error).message).toContain("请先停止该进程");
    await first.release();
    await first.release(); // idempotent
    expect(existsSync(join(dir, LOCK_DIR))).toBe(false);
    expect(existsSync(join(dir, LOCK_HOLDER_FILE))).toBe(false);
    const second = await lockDataDir(dir, { purpose: "huiqi backup" });
    await second.release();
  });

  it("takes over at once from a holder that was killed (its pid no longer exists)", async () => {
    const dir = tmp();
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    mkdirSync(join(dir, LOCK_DIR));
    writeFileSync(
      join(dir, LOCK_HOLDER_FILE),
      JSON.stringify({ pid: gone, hostname: hostname(), purpose: "huiqi serve", since: "x", token: "t" }),
    );
    const started = Date.now();
    const lock = await lockDataDir(dir, { purpose: "huiqi serve" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(JSON.parse(readFileSync(join(dir, LOCK_HOLDER_FILE), "utf8")).pid).toBe(process.pid);
    await lock.release();
  });

  it("does not take over from a live process, even when its lock looks fresh and it is not us", async () => {
    const dir = tmp();
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    children.push(other);
    mkdirSync(join(dir, LOCK_DIR));
    writeFileSync(
      join(dir, LOCK_HOLDER_FILE),
      JSON.stringify({
        pid: other.pid,
        hostname: hostname(),
        purpose: "huiqi serve",
        since: "x",
        token: "t",
      }),
    );
    const refused = await lockDataDir(dir, { purpose: "huiqi audit verify" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toContain(`pid ${other.pid}`);
    other.kill("SIGKILL");
  });

  it("a second platform on the same folder is refused before PGlite opens it; starts after the first closes", async () => {
    const dataDir = tmp();
    const config = { ...loadConfig({}), dataDir, databaseUrl: undefined };
    const first = await createPlatform(config, { purpose: "huiqi serve" });
    try {
      const refused = await createPlatform(config).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DataDirLockedError);
      expect((refused as Error).message).toMatch(
        new RegExp(
          `^数据目录「${dataDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}」正被另一个惠企进程（pid ${process.pid}，huiqi serve，`,
        ),
      );
    } finally {
      await first.close();
    }
    const second = await createPlatform(config);
    const health = await second.app.inject({ method: "GET", url: "/api/health" });
    expect(health.statusCode).toBe(200);
    await second.close();
    expect(existsSync(join(dataDir, LOCK_DIR))).toBe(false);
  }, 180_000);
});

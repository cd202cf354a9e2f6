/**
 * Two `huiqi serve` on one data folder: the second exits with code 1 naming the folder and the first one's
 * pid; so do `huiqi audit verify` and `huiqi backup` (PGlite cannot open a folder another process holds).
 * Once the first stops, the folder opens again.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bin = join(root, "packages/cli/bin/huiqi.js");

function env() {
  const e = { ...process.env };
  delete e.DATABASE_URL;
  delete e.HUIQI_DATA_DIR;
  return e;
}

function huiqi(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: env() });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** Starts `huiqi serve` and resolves with its URL once it prints the start banner. */
function startServe(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--data-dir", dataDir, "--no-demo"], {
    cwd: root,
    env: env(),
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${err}`)), 120_000);
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /惠企平台已启动：(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
  });
}

describe("one writer per data folder (huiqi serve)", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  });

  it("refuses a second serve, audit verify and backup on the same folder while the first runs", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "huiqi-serve-lock-"));
    const first = await startServe(dataDir);
    children.push(first.child);
    const pid = first.child.pid as number;
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);

    const [second, verify, backup] = await Promise.all([
      huiqi("serve", "--port", "0", "--data-dir", dataDir, "--no-demo"),
      huiqi("audit", "verify", "--data-dir", dataDir),
      huiqi("backup", "--out", join(dataDir, "..", `${pid}-backup.tar`), "--data-dir", dataDir),
    ]);
    for (const r of [second, verify, backup]) {
      expect(r.code).toBe(1);
      expect(r.err).toContain(`错误：数据目录「${dataDir}」正被另一个惠企进程（pid ${pid}，huiqi serve，`);
      expect(r.err).toContain(`请先停止该进程（kill ${pid}）再试`);
      expect(r.err).not.toContain("at ");
    }
    // The first server is unharmed.
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);

    first.child.kill("SIGTERM");
    await new Promise((r) => first.child.once("exit", r));
    const after = await huiqi("audit", "verify", "--data-dir", dataDir);
    expect(after.err).toBe("");
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/审计日志校验通过（\d+ 行）/);
  }, 240_000);
});

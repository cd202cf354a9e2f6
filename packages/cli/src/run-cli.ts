/**
 * Test support: runs the real `huiqi` binary in a child process on its own temporary data folder (embedded
 * PGlite: DATABASE_URL is removed from the environment), from the repository root so example paths resolve.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bin = join(root, "packages/cli/bin/huiqi.js");

export function cliOnTempData(prefix: string, timeoutMs: number) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  return {
    huiqi(...args: string[]) {
      const env = { ...process.env };
      delete env.DATABASE_URL;
      const r = spawnSync(process.execPath, [bin, ...args, "--data-dir", dataDir], {
        cwd: root,
        encoding: "utf8",
        timeout: timeoutMs,
        env,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

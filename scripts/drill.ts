/**
 * `npm run drill [-- --rounds N --writes M --database-url postgres://…]`: the crash drill
 * (packages/server/src/ops/drill.ts). PGlite always; PostgreSQL as well with --database-url or
 * HUIQI_TEST_DATABASE_URL (a fresh database is created on that server and dropped afterwards).
 * Exits 1 if any acknowledged write was lost or an audit check failed, 2 on a bad option.
 */
import { parseArgs } from "node:util";
import { runDrill } from "../packages/server/src/ops/drill.ts";

function count(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    process.stderr.write(`错误：--${name}「${raw}」应为 1～${max} 的整数\n`);
    process.exit(2);
  }
  return n;
}

let values: { rounds?: string; writes?: string; "database-url"?: string };
try {
  ({ values } = parseArgs({
    options: { rounds: { type: "string" }, writes: { type: "string" }, "database-url": { type: "string" } },
  }));
} catch (e) {
  process.stderr.write(`错误：${(e as Error).message}（可用 --rounds N --writes M --database-url URL）\n`);
  process.exit(2);
}

const ok = await runDrill({
  rounds: count("rounds", values.rounds, 3, 20),
  writes: count("writes", values.writes, 1000, 7000),
  postgresAdminUrl: values["database-url"] || process.env.HUIQI_TEST_DATABASE_URL || undefined,
  print: (line) => process.stdout.write(`${line}\n`),
});
process.exit(ok ? 0 : 1);

import { afterAll, describe, expect, it } from "vitest";
import { cliOnTempData } from "./run-cli.ts";

const { huiqi, remove } = cliOnTempData("huiqi-match-", 180_000);

describe("huiqi match (batch)", () => {
  afterAll(remove);

  it("matches every enterprise of the database in its own process: progress on stderr, summary, exit 0", () => {
    const reg = huiqi("import", "examples/imports/registry.csv", "--kind", "registry");
    expect(reg.code).toBe(0);
    const r = huiqi("match", "--as-of", "2023-03-01", "--threads", "1");
    expect(r.err).toContain("批量匹配：分区 1/1，企业 12/12（100%）");
    expect(r.out).toMatch(/批量匹配完成：企业 12 家 × 措施 \d+ 项，分区 1 个/);
    expect(r.out).toMatch(/名单写入 [\d,]+ 行/);
    expect(r.out).toContain("测算日 2023-03-01");
    expect(r.code).toBe(0);
    const bad = huiqi("match", "--threads", "0");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--threads 应为 1–64 的整数");
  }, 360_000);
});

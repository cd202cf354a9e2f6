import { afterAll, describe, expect, it } from "vitest";
import { cliOnTempData } from "./run-cli.ts";

const { huiqi, remove } = cliOnTempData("huiqi-import-", 120_000);

describe("huiqi import", () => {
  afterAll(remove);

  it("imports a registry, then prints the per-row report of a statistics file with bad rows and exits 1", () => {
    const reg = huiqi("import", "examples/imports/registry.csv", "--kind", "registry");
    expect(reg.err).toBe("");
    expect(reg.code).toBe(0);
    expect(reg.out).toContain(
      "企业名录：共 12 行，导入 12 行（其中写入新值 12 行，无变化 0 行），新建企业 12 家，没有问题行",
    );

    const again = huiqi("import", "examples/imports/registry.csv", "--kind", "registry");
    expect(again.code).toBe(0);
    expect(again.out).toContain("「registry.csv」已于");
    expect(again.out).toContain("本次未做任何修改");

    const bad = huiqi(
      "import",
      "examples/imports/statistics-errors.csv",
      "--kind",
      "statistics",
      "--district",
      "500113",
    );
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("共 6 行，导入 1 行");
    expect(bad.out).toContain("有问题未导入 5 行");
    expect(bad.out).toMatch(/│ 3 +│ 统一社会信用代码 +│ 校验码错误/);
    expect(bad.out).toContain("金额不能为负数");

    const wrongKind = huiqi("import", "examples/imports/registry.csv", "--kind", "people");
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.err).toContain("--kind 应为");
  }, 240_000);
});

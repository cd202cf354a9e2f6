/**
 * 数据导入 in a real browser (Chromium) on the demo data: the Banan officer imports the demo registry
 * (examples/imports/registry.xlsx) and the statistics file with bad rows (statistics-errors.csv), confirms what
 * will happen, sees the counts and each bad row with its column and reason (and can download them as CSV),
 * and finds both imports in the history. Once at phone size (cards). axe-core on both.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

const example = (name: string) =>
  fileURLToPath(new URL(`../../../examples/imports/${name}`, import.meta.url));

describe("数据导入", () => {
  let h: Harness;
  const axeFindings: string[] = [];

  async function axe(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    await h.shot(page, name);
    for (const f of await h.seriousAxe(page)) axeFindings.push(`${name}: ${f}`);
  }

  const stat = (page: Page, label: string) =>
    page.locator(".ant-statistic").filter({ hasText: label }).locator(".ant-statistic-content-value");

  async function chooseKind(page: Page, kind: string) {
    await page.locator("label.ant-radio-button-wrapper", { hasText: kind }).click();
    expect(await page.getByRole("radio", { name: kind }).isChecked()).toBe(true);
  }

  async function importFile(page: Page, kind: string, file: string, path = example(file)) {
    await chooseKind(page, kind);
    await page.locator('input[type="file"]').setInputFiles(path);
    const dialog = page.getByRole("dialog");
    await dialog.getByText(`将把「${file}」作为${kind}导入到 巴南区，已核实的数据不会被覆盖。`).waitFor();
    await dialog.getByRole("button", { name: "确认导入" }).click();
    await dialog.waitFor({ state: "hidden" });
    const failed = page.locator(".ant-alert-error");
    const done = page.locator(".ant-card").filter({ hasText: `导入结果：${file}` });
    try {
      await done.or(failed).first().waitFor();
    } catch (e) {
      await h.shot(page, `imports-failure-${file}`);
      throw new Error(
        `${String(e)}\n页面：${await page.locator("main").textContent()}\n${JSON.stringify(h.problems)}`,
      );
    }
    if ((await failed.count()) > 0) throw new Error(`导入失败：${await failed.first().textContent()}`);
    return done;
  }

  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it("imports the registry and a statistics file with bad rows, shows the report and the history", async () => {
    const page = await h.open({ username: "banan-economy-it" });
    await page.goto("/review");
    await page.getByRole("menuitem", { name: "数据导入" }).click();
    await page.getByRole("heading", { level: 1, name: "数据导入" }).waitFor();
    await page.getByText("本区县还没有导入过数据。").waitFor();

    // 1. 企业名录 (xlsx): the three Banan enterprises are created, the other districts' nine rows reported.
    await chooseKind(page, "企业名录");
    await page.getByText("所属区县（必填）").waitFor();
    await importFile(page, "企业名录", "registry.xlsx");
    expect(await stat(page, "新增企业").textContent()).toBe("3");
    expect(await stat(page, "错误行").textContent()).toBe("9");
    expect(await stat(page, "更新").textContent()).toBe("0");
    const registryRows = page
      .locator(".ant-card")
      .filter({ hasText: "导入结果：registry.xlsx" })
      .locator("tbody tr.ant-table-row");
    expect(await registryRows.count()).toBe(9);
    await registryRows.filter({ hasText: "不在本次导入的辖区（巴南区）内" }).first().waitFor();
    await axe(page, "imports-registry");
    h.setNow(new Date(h.now().getTime() + 5 * 60_000));

    // 2. 统计数据 with bad rows: one row imported, five reported by row, column and reason.
    const report = await importFile(page, "统计数据", "statistics-errors.csv");
    expect(await report.textContent()).toContain("统计数据（营业收入、规上、从业人员）：共 6 行");
    expect(await stat(page, "更新").textContent()).toBe("1");
    expect(await stat(page, "错误行").textContent()).toBe("5");
    const cells = (row: number) =>
      report.locator("tbody tr").filter({ has: page.locator("td", { hasText: new RegExp(`^${row}$`) }) });
    expect(await cells(3).locator("td").nth(1).textContent()).toBe("统一社会信用代码");
    expect(await cells(3).textContent()).toContain("校验码错误");
    expect(await cells(4).textContent()).toContain("四位年份");
    expect(await cells(5).locator("td").allInnerTexts()).toEqual(["5", "营业收入", "金额不能为负数"]);
    expect(await cells(6).textContent()).toContain("两位小数");
    expect(await cells(7).textContent()).toContain("平台上没有这家企业");
    const download = report.getByRole("link", { name: "下载问题行（CSV）" });
    expect(await download.getAttribute("download")).toBe("statistics-errors-问题行.csv");
    const csv = decodeURIComponent((await download.getAttribute("href"))?.replace(/^data:[^,]*,/, "") ?? "");
    expect(csv.split("\r\n")[0]).toBe("\uFEFF行号,列,原因");
    expect(csv).toContain("5,营业收入,金额不能为负数");

    // 3. The history lists both imports, newest first, with who and the counts.
    // Data rows only: with horizontal scroll antd adds a hidden measuring row to tbody.
    const history = page.locator(".ant-table").last().locator("tbody tr.ant-table-row");
    await history.filter({ hasText: "registry.xlsx" }).waitFor();
    await history.filter({ hasText: "statistics-errors.csv" }).waitFor();
    expect(await history.count()).toBe(2);
    expect(await history.nth(0).textContent()).toContain("statistics-errors.csv");
    expect(await history.nth(0).textContent()).toContain("巴南区经济信息委经办人");
    expect(await history.nth(1).locator("td").nth(1).textContent()).toBe("企业名录");
    await axe(page, "imports-statistics");

    // 4. Phone: the history and the bad rows as cards.
    const phone = await h.open({ username: "banan-economy-it", mobile: true });
    await phone.goto("/imports");
    await phone.getByRole("heading", { level: 1, name: "数据导入" }).waitFor();
    const cards = phone.getByRole("list", { name: "导入记录" }).getByRole("listitem");
    await cards.filter({ hasText: "registry.xlsx" }).waitFor();
    expect(await cards.count()).toBe(2);
    h.setNow(new Date(h.now().getTime() + 5 * 60_000));
    await importFile(phone, "统计数据", "statistics-errors.csv");
    await phone.getByRole("list", { name: "问题行" }).getByText("第 5 行 · 营业收入").waitFor();
    await cards.nth(2).waitFor();
    expect(await cards.count()).toBe(3);
    await axe(phone, "imports-phone");

    expect(axeFindings, axeFindings.join("\n")).toEqual([]);
    expect(h.problems, JSON.stringify(h.problems, null, 2)).toEqual([]);
  }, 300_000);

  it("shows a department's figures to the enterprise as 部门数据, not editable in the wizard or the dialog", async () => {
    const row = await h.platform.ctx.db
      .selectFrom("accounts as a")
      .innerJoin("enterprises as e", "e.id", "a.enterprise_id")
      .select("e.uscc")
      .where("a.username", "=", "qiye-banan-manufacturer")
      .executeTakeFirstOrThrow();
    const year = Number(h.now().toISOString().slice(0, 4)) - 1;
    const dir = await mkdtemp(join(tmpdir(), "huiqi-import-"));
    const file = "统计局年报.csv";
    await writeFile(
      join(dir, file),
      `\uFEFF统一社会信用代码,年份,营业收入（万元）,是否规上,从业人员\n${row.uscc},${year},8888.5,是,321\n`,
    );
    const officer = await h.open({ username: "banan-economy-it" });
    await officer.goto("/imports");
    await officer.getByRole("heading", { level: 1, name: "数据导入" }).waitFor();
    h.setNow(new Date(h.now().getTime() + 10 * 60_000));
    await importFile(officer, "统计数据", file, join(dir, file));

    const page = await h.open({ username: "qiye-banan-manufacturer" });
    await page.goto("/profile");
    await page.getByRole("heading", { level: 1, name: "企业画像" }).waitFor();
    // The basics step shows the imported revenue with its source instead of an input.
    const revenue = page
      .locator(".ant-form-item")
      .filter({ hasText: `${year}年营业收入` })
      .first();
    await revenue.getByText("部门数据", { exact: true }).waitFor();
    expect(await revenue.textContent()).toContain("来自部门数据，如有误请联系所在区县");
    expect(await revenue.locator("input").count()).toBe(0);
    // 填写其他事实 → 从业人员数: the dialog says where the figure came from and offers no save.
    await page.getByRole("button", { name: "填写其他事实" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.locator("#fact-editor-fact").fill("从业人员数");
    await page.keyboard.press("Enter");
    await dialog.getByText(/^从业人员数来自部门数据（321/).waitFor();
    expect(await dialog.getByRole("button", { name: "保存修改" }).isDisabled()).toBe(true);
    await axe(page, "profile-imported-facts");
    expect(axeFindings, axeFindings.join("\n")).toEqual([]);
    expect(h.problems, JSON.stringify(h.problems, null, 2)).toEqual([]);
  }, 300_000);
});

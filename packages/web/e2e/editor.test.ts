/**
 * The policy editor in a real browser: a policy admin opens a seed document's published revision, changes an
 * amount with the form, adds a condition picked from the fact vocabulary, sees the live check stay green,
 * breaks an expression in 专家模式 and sees the line and the unknown fact named, fixes it, and saves the files
 * as a new draft that 政策文件版本 lists. axe at desktop size; no console errors.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

const DOC = "banan-2022-63";
const TITLE = "重庆市巴南区人民政府办公室关于印发巴南区助企纾困提能七条措施的通知";

describe("policy editor", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  async function noSeriousAxe(page: Page, name: string) {
    await page.mouse.move(0, 0);
    await h.shot(page, name);
    expect(await h.seriousAxe(page), `${name}: axe`).toEqual([]);
  }

  const status = (page: Page) => page.locator('[role="status"][data-compiled]');
  /** Waits for the live check of the latest change to report `compiled`. */
  const settled = async (page: Page, compiled: boolean) => {
    await page.getByText("正在重新检查…").waitFor({ state: "detached" });
    await expect.poll(() => status(page).getAttribute("data-compiled")).toBe(String(compiled));
  };

  it("edits with forms and in expert mode, checks live, and saves a new draft", async () => {
    const page = await h.open({ username: "policy-admin" });
    await page.goto("/admin/documents");
    const card = page.locator(".ant-card").filter({ has: page.getByText(TITLE, { exact: true }) });
    await card.getByRole("button", { name: "编辑第 1 版" }).click();
    await page.waitForURL(`**/admin/documents/${DOC}/edit/1`);
    await page.getByRole("heading", { name: `编辑《${TITLE}》` }).waitFor();
    await settled(page, true);
    await expect.poll(() => status(page).textContent()).toContain("能编译");
    await noSeriousAxe(page, "e1-编辑器-措施列表");

    // The amount of 第 1 条 (升规奖励, 20 万元) with the form, in 万元.
    await page.getByRole("button", { name: "编辑第 1 条" }).click();
    const amount = page.getByLabel("金额", { exact: true });
    await expect.poll(() => amount.inputValue()).toBe("20");
    await amount.fill("30");
    await page.getByText("即 300000 元").waitFor();
    await settled(page, true);
    // The seed's cases still expect 20 万元: they now fail, and the status line says so.
    await expect.poll(() => status(page).textContent()).toMatch(/未通过 [1-9]/);

    // A condition from the vocabulary: 制造业企业 · 是.
    const facts = page.getByLabel("企业信息");
    await facts.click();
    await facts.fill("制造业");
    await page.locator('.ant-select-item-option[title="制造业企业"]').click();
    await page.getByLabel("原文依据").last().fill("规模以上制造业企业");
    await page.getByRole("button", { name: "添加这一条件" }).click();
    await page.locator("li[data-condition]").filter({ hasText: "制造业企业" }).waitFor();
    await settled(page, true);
    await noSeriousAxe(page, "e2-编辑器-措施表单");

    // 专家模式: an unknown fact in an expression is named with its line.
    await page.getByRole("tab", { name: "专家模式" }).click();
    const line = page.locator(".cm-line", { hasText: "expr: industrial" }).first();
    await line.click();
    await page.keyboard.press("End");
    await page.keyboard.type("Typo");
    await settled(page, false);
    const error = page.getByRole("button", { name: /^第 \d+ 行：.*industrialTypo/ });
    await error.waitFor();
    expect(await status(page).textContent()).toContain("1 处错误");
    await noSeriousAxe(page, "e3-编辑器-专家模式-错误");
    await line.click();
    await page.keyboard.press("End");
    for (let i = 0; i < 4; i++) await page.keyboard.press("Backspace");
    await settled(page, true);

    await page.getByLabel("修改说明（选填）").fill("升规奖励提高到 30 万元，限制造业企业");
    await page.getByRole("button", { name: "保存为新草稿" }).click();
    await page.waitForURL(`**/admin/documents/${DOC}/edit/2`);
    await page.getByText("已保存为第 2 版草稿").first().waitFor();

    await page.goto("/admin/documents");
    const row = card.locator("tr, .ant-list-item").filter({ hasText: "第 2 版" });
    await expect.poll(() => row.textContent()).toContain("草稿");
    expect(await row.textContent()).toContain("限制造业企业");
    const saved = await h.platform.ctx.db
      .selectFrom("policy_revisions")
      .select("files")
      .where("document_id", "=", DOC)
      .where("revision", "=", 2)
      .executeTakeFirstOrThrow();
    const measures = saved.files["measures.yaml"] ?? "";
    expect(measures).toContain("fixed: 300000");
    expect(measures).toContain("expr: manufacturing");
    expect(measures).toContain("quote: 规模以上制造业企业");
    expect(measures).not.toContain("industrialTypo");
    expect(h.problems).toEqual([]);
  }, 240_000);
});

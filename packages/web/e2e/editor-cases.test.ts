/**
 * The policy editor's 用例, 预览 and 差异 in a real browser: a policy admin adds two cases to 巴南 measure 1 in
 * the form (facts in, outcome and amount out) and sees them pass, previews a seeded enterprise against the
 * published version, and sees the two cases in the diff. axe at desktop size; no console errors.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, pickOption, startHarness } from "./harness.ts";

const DOC = "banan-2022-63";

describe("policy editor: cases, preview, diff", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  async function noSeriousAxe(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    await page.mouse.move(0, 0);
    await h.shot(page, name);
    expect(await h.seriousAxe(page), `${name}: axe`).toEqual([]);
  }

  /** The innermost card whose header says `title`. */
  const card = (page: Page, title: string) =>
    page
      .locator(".ant-card")
      .filter({ has: page.locator(".ant-card-head", { hasText: title }) })
      .last();

  async function addCase(
    page: Page,
    c: { name: string; year: number; outcome: "符合" | "不符合"; amount: string | null },
  ) {
    await card(page, "第1条 鼓励工业企业做大做强")
      .getByRole("button", { name: /^(plus )?添加$/ })
      .click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("用例名称").fill(c.name);
    const date = dialog.getByLabel("测算日");
    await date.click();
    await date.fill("2022-11-01");
    await date.press("Enter");
    const addFact = async (label: string, typed: string) => {
      await dialog.getByRole("button", { name: "添加企业信息" }).click();
      await pickOption(page, dialog.getByLabel("信息项").last(), typed, new RegExp(`^${label}$`));
    };
    await addFact("所在区县", "所在区县");
    await pickOption(page, dialog.getByLabel("所在区县"), "巴南", /^巴南区$/);
    await addFact("国民经济行业代码", "国民经济行业");
    await dialog.getByLabel("国民经济行业代码").fill("C3670");
    await addFact("首次升规（纳入规上统计）年份", "首次升规");
    await dialog.getByLabel("首次升规（纳入规上统计）年份").fill(String(c.year));
    await addFact("已享受的奖补", "已享受的奖补");
    await dialog.getByText("暂无（没有此类已享受的奖补）").click();
    await dialog.getByRole("radio", { name: c.outcome, exact: true }).check();
    if (c.amount === null) await dialog.getByRole("radio", { name: "无金额" }).check();
    else await dialog.getByLabel("金额（元）").fill(c.amount);
    await dialog.getByRole("button", { name: "写入用例" }).click();
    await dialog.waitFor({ state: "hidden" });
  }

  it("adds two cases in the form, sees them pass, previews an enterprise and sees the diff", async () => {
    const page = await h.open({ username: "policy-admin" });
    await page.goto(`/admin/documents/${DOC}/edit/1`);
    await page.getByRole("tab", { name: "用例" }).click();
    await page.getByText(/共 \d+ 个用例/).waitFor();
    await addCase(page, {
      name: "表单添加：2021年升规获20万元",
      year: 2021,
      outcome: "符合",
      amount: "200000",
    });
    await addCase(page, { name: "表单添加：2020年升规不符合", year: 2020, outcome: "不符合", amount: null });
    for (const name of ["表单添加：2021年升规获20万元", "表单添加：2020年升规不符合"]) {
      const row = page.locator("li").filter({ hasText: name });
      await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain("通过");
      expect(await row.textContent()).not.toContain("未通过");
    }
    await noSeriousAxe(page, "e1-用例");

    await page.getByRole("tab", { name: "预览" }).click();
    const asOf = page.getByLabel("测算日");
    await asOf.click();
    await asOf.fill("2022-11-01");
    await asOf.press("Enter");
    await pickOption(
      page,
      page.getByLabel("企业（按名称或统一社会信用代码查找）"),
      "巴渝精工",
      /重庆巴渝精工机械有限公司/,
    );
    const m1 = card(page, "鼓励工业企业做大做强");
    await m1.getByText("按编辑中的文件").waitFor();
    await expect.poll(() => m1.textContent()).toContain("按现行版本");
    await noSeriousAxe(page, "e2-预览");

    await page.getByRole("tab", { name: "差异" }).click();
    const cases = page.locator(".ant-card").filter({ hasText: /^用例/ });
    await expect.poll(() => cases.textContent(), { timeout: 20_000 }).toContain("新增 2 个");
    expect(await cases.textContent()).toContain("表单添加：2021年升规获20万元");
    await page.getByText("措施没有变化").waitFor();
    await noSeriousAxe(page, "e3-差异");
    expect(h.problems).toEqual([]);
  }, 240_000);
});

/**
 * Visitors without an account, in a real browser (Chromium) at phone size: the public library (search with
 * synonyms, filters, expiry tags and amounts), a document and a measure page, the anonymous 政策计算器 whose
 * answers stay in the browser, then registration carrying those answers into the new profile — landing on
 * the enterprise's own calculator with the same figure. Axe at phone and desktop size, no horizontal overflow,
 * no console errors or failed requests.
 */
import { join } from "node:path";
import { usccCheckChar } from "@huiqi/engine";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

const first17 = "91500154MA6PUB001";
const USCC = `${first17}${usccCheckChar(first17)}`;
const ANSWERS_KEY = "huiqi.calculator.answers";

describe("public pages and the anonymous calculator", () => {
  let h: Harness;
  const axeFindings: string[] = [];

  async function check(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    if ((page.viewportSize()?.width ?? 1366) <= 500) {
      const { scroll, inner } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      }));
      expect(
        scroll,
        `${name}：页面横向溢出（scrollWidth ${scroll}，innerWidth ${inner}）`,
      ).toBeLessThanOrEqual(inner);
    }
    await h.shot(page, name);
    // The first screen as the visitor sees it (the full-page shot of a long list is hard to read).
    await page.screenshot({ path: join(h.screenshotDir, `${name}-首屏.png`) });
    expect(await page.title(), `${name} 的页面标题`).toMatch(/[\u4e00-\u9fa5]/);
    for (const f of await h.seriousAxe(page)) axeFindings.push(`${name}: ${f}`);
  }

  /** The calculator's "符合条件可得" figure (the first one on the page), once it is a figure. */
  async function eligibleTotal(page: Page): Promise<string> {
    const value = page
      .locator(".ant-statistic")
      .filter({ hasText: "符合条件可得（已按从高不重复）" })
      .first()
      .locator(".ant-statistic-content-value");
    await expect.poll(async () => (await value.textContent()) ?? "", { timeout: 20_000 }).toMatch(/元/);
    return (await value.textContent()) ?? "";
  }

  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it("lets a visitor search, read, calculate and register with the answers carried over", async () => {
    // 1. The library, signed out, on a phone: a public header with 登录 / 注册, no sign-in wall.
    const page = await h.open({ mobile: true });
    await page.goto("/library");
    await page.getByRole("heading", { name: "政策库" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/library");
    await page.getByRole("link", { name: "登录", exact: true }).waitFor();
    await page.getByRole("link", { name: "注册", exact: true }).waitFor();
    await check(page, "公开-01-政策库-手机");

    // Search "研发补贴": synonyms find Banan's 研发投入补贴 (3) and Kaizhou's 11.3, with expiry and amount.
    await page.getByLabel("检索政策条款").fill("研发补贴");
    await page.getByRole("button", { name: /搜\s*索/ }).click();
    const banan = page.locator('article[data-measure-id="banan-2022-63/3"]');
    const kaizhou = page.locator('article[data-measure-id="kaizhou-2023-27/11.3"]');
    await banan.waitFor();
    await kaizhou.waitFor();
    await expect.poll(() => banan.getByText(/已失效|天后到期|长期有效|天后施行/).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId("hit-amount").count()).toBeGreaterThan(0);
    await check(page, "公开-02-政策库检索-手机");
    // 区县 filter: Kaizhou (with municipal documents) leaves Banan's measure out.
    await page.getByLabel("区县").click();
    await page.getByTitle("开州区（含市级）").click();
    await page.waitForURL(/region=500154/);
    await kaizhou.waitFor();
    await expect.poll(() => banan.count()).toBe(0);
    // A query nothing matches in full says so explicitly.
    await page.getByLabel("检索政策条款").fill("研发补贴 火星基地");
    await page.getByRole("button", { name: /搜\s*索/ }).click();
    await page.getByText("没有完全匹配的措施").waitFor();

    // 2. A document page and a measure page.
    await page.goto("/documents/banan-2022-63");
    await page.getByRole("heading", { name: "条款", exact: true }).waitFor();
    await check(page, "公开-03-政策文件-手机");
    await page.goto("/measures/kaizhou-2023-27/11.3");
    await page.getByRole("heading", { name: "原文条款" }).waitFor();
    await page.getByText("支持金额").waitFor();
    // The interpretation says whose materials list it is: this document lists none of its own.
    await page.getByText("常见材料（文件未列明）").waitFor();
    await page.getByText("研发项目立项及辅助账").waitFor();
    await check(page, "公开-04-措施详情-手机");

    // 3. The anonymous calculator: the district first, then the basics; answers kept in this browser only.
    await page.goto("/calculator");
    await page.getByText("免登录测算：答案只保存在本机浏览器").waitFor();
    // 38 districts in a virtual list: type to find one.
    await page.getByLabel("所在区县").fill("开州");
    await page.getByTitle("开州区").click();
    await page.getByLabel("国民经济行业代码").fill("C3490");
    await page.getByLabel("从业人员数").fill("85");
    const y = Number((await page.getByText(/^测算日：/).textContent())?.slice(4, 8)) - 1;
    await page.getByLabel(`${y}年研发费用`).fill("2000000");
    await page.getByLabel(`${y - 1}年研发费用`).fill("1500000");
    await page.getByRole("button", { name: "保存并继续" }).click();
    await page.getByRole("heading", { name: "测算结果" }).waitFor();
    const figure = await eligibleTotal(page);
    expect(figure).not.toBe("0元");
    const stored = await page.evaluate((k) => window.localStorage.getItem(k), ANSWERS_KEY);
    expect(JSON.parse(stored ?? "{}").facts).toMatchObject({
      regionCode: "500154",
      industryCode: "C3490",
      employees: 85,
      rdExpense: { [String(y)]: 2000000, [String(y - 1)]: 1500000 },
    });
    // Kept across a reload.
    await page.reload();
    expect(await eligibleTotal(page)).toBe(figure);
    await check(page, "公开-05-免登录政策计算器-手机");

    // 4. Registers: the district and industry are prefilled, the answers go into the new profile.
    await page.getByRole("link", { name: "注册企业账户" }).click();
    await page.getByText(/政策计算器中的 \d+ 项回答将存入企业画像/).waitFor();
    expect(await page.getByLabel(/国民经济行业代码/).inputValue()).toBe("C3490");
    await page.getByLabel("统一社会信用代码").fill(USCC);
    await page.getByLabel("企业名称").fill("重庆开州公众测算装备有限公司");
    await page.getByLabel("联系人姓名").fill("周经理");
    await page.getByLabel("用户名").fill("kaizhou-public-calc");
    await page.getByLabel(/^密码/).fill("kaizhou-gongzhong-2026");
    await page.getByRole("button", { name: "注册并登录" }).click();
    await page.waitForURL("**/calculator");
    // Signed in: the enterprise's own calculator with the same figure; the browser copy is gone.
    await page.getByRole("heading", { name: "政策计算器" }).waitFor();
    expect(await eligibleTotal(page)).toBe(figure);
    expect(await page.evaluate((k) => window.localStorage.getItem(k), ANSWERS_KEY)).toBeNull();
    expect(await page.getByLabel("打开菜单").count()).toBe(1);
    // The profile holds the answers.
    await page.goto("/profile");
    await page.getByRole("row", { name: /从业人员数.*85/ }).waitFor();
    await page.getByRole("row", { name: new RegExp(`${y}年研发费用.*2,000,000`) }).waitFor();
    expect(await page.getByText("开州区").count()).toBeGreaterThan(0);
    await check(page, "公开-06-注册后画像-手机");

    // 5. Desktop size: the same public pages for a new visitor.
    const desk = await h.open();
    await desk.goto("/library");
    await desk.getByRole("heading", { name: "政策库" }).waitFor();
    await desk.getByLabel("检索政策条款").fill("研发补贴");
    await desk.getByRole("button", { name: /搜\s*索/ }).click();
    await desk.locator('article[data-measure-id="banan-2022-63/3"]').waitFor();
    await check(desk, "公开-07-政策库-桌面");
    await desk.goto("/documents/banan-2022-63");
    await desk.getByRole("heading", { name: "条款", exact: true }).waitFor();
    await check(desk, "公开-08-政策文件-桌面");
    await desk.goto("/calculator");
    await desk.getByLabel("所在区县").fill("巴南");
    await desk.getByTitle("巴南区").click();
    await desk.getByRole("button", { name: "保存并继续" }).click();
    await desk.getByRole("heading", { name: "测算结果" }).waitFor();
    await eligibleTotal(desk);
    await check(desk, "公开-09-免登录政策计算器-桌面");
    // 清除 removes the answers from the browser.
    await desk.getByRole("button", { name: /清\s*除/ }).click();
    await desk
      .getByRole("dialog")
      .getByRole("button", { name: /清\s*除/ })
      .click();
    await expect.poll(() => desk.evaluate((k) => window.localStorage.getItem(k), ANSWERS_KEY)).toBeNull();

    expect(h.problems, JSON.stringify(h.problems, null, 2)).toEqual([]);
    expect(axeFindings).toEqual([]);
  }, 300_000);
});

/**
 * The acceptance scenario in a real browser (Chromium): an enterprise signs up, completes its profile, sees its
 * matches with amounts, opens an explanation and applies; an officer returns it for correction; the
 * enterprise fixes and resubmits; the officer and finance approve; finance pays; the enterprise sees the
 * payment; the coordinator's dashboard shows it. Screenshots of each main page; no console errors; axe-core
 * finds no serious violations.
 */
import { chongqingDate, chongqingQuarter, chongqingYear, usccCheckChar } from "@huiqi/engine";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

const first17 = "91500154MA6E2E001";
const USCC = `${first17}${usccCheckChar(first17)}`;
const COMPANY = "重庆汉丰湖智能装备有限公司";
const MEASURE = "kaizhou-2023-27/1";

/** Ticks the declaration checkbox: antd's label covers the input, and the form may re-render under the click. */
async function declare(page: Page) {
  const box = page.locator("#declaration");
  await box.waitFor({ state: "attached" });
  for (let i = 0; i < 10 && !(await box.isChecked()); i++) {
    await page.locator("label:has(#declaration)").click();
    await page.waitForTimeout(150);
  }
  expect(await box.isChecked()).toBe(true);
}

describe("browser end to end", () => {
  let h: Harness;
  const axeFindings: string[] = [];
  const pagesChecked: string[] = [];

  /** Screenshot, Chinese title, accessibility. */
  async function check(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    await h.shot(page, name);
    const title = await page.title();
    expect(title, `${name} 的页面标题`).toMatch(/[\u4e00-\u9fa5]/);
    const serious = (await h.axe(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
    for (const v of serious) axeFindings.push(`${name}: ${v.id} (${v.impact}) ${v.help} ×${v.nodes}`);
    pagesChecked.push(name);
  }

  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => h?.close());

  it("runs the whole flow across roles", async () => {
    // 1. The enterprise signs up on a phone-sized screen.
    const ent = await h.open({ mobile: true });
    await ent.goto("/login");
    // The browser's own calendar is a day behind Chongqing's here: every date the app decides must not care.
    const browserDate = await ent.evaluate(() => new Date().toLocaleDateString("sv"));
    expect(browserDate).not.toBe(chongqingDate(h.now()));
    await check(ent, "01-登录");
    await ent.getByRole("link", { name: "企业注册" }).click();
    await ent.getByLabel("统一社会信用代码").fill(USCC);
    await ent.getByLabel("企业名称").fill(COMPANY);
    await ent.getByLabel("所在区县").click();
    await ent.getByTitle("开州区").click();
    await ent.getByLabel(/国民经济行业代码/).fill("C3490");
    await ent.getByLabel("联系人姓名").fill("刘经理");
    await ent.getByLabel("用户名").fill("hanfeng-zhineng");
    await ent.getByLabel(/^密码/).fill("hanfeng-2026");
    await check(ent, "02-企业注册");
    await ent.getByRole("button", { name: "注册并登录" }).click();
    await ent.waitForURL("**/profile");

    // 2. Completes its profile: the year it first entered the above-scale statistics.
    await ent.getByRole("button", { name: "填写其他事实" }).click();
    await ent.locator("#fact-editor-fact").click();
    await ent.locator("#fact-editor-fact").fill("首次升规");
    await ent.keyboard.press("Enter");
    await ent.locator("#fact-editor-value").fill("2025");
    await ent.getByRole("button", { name: "保存修改" }).click();
    await expect.poll(async () => ent.getByText("2025").count()).toBeGreaterThan(0);
    await check(ent, "03-企业画像");

    // 3. Sees its matches with amounts.
    await ent.goto("/calculator");
    const card = ent.locator("section[aria-labelledby=h-money]").getByText("培育小微企业发展壮大").first();
    await card.waitFor();
    await expect
      .poll(async () => ent.locator("section[aria-labelledby=h-money]").getByText("20万元").count())
      .toBeGreaterThan(0);
    await check(ent, "04-政策计算器");

    // 4. Opens the explanation and applies.
    await card.click();
    await ent.waitForURL(`**/measures/${MEASURE}`);
    await ent.getByText("为什么是这个结果").waitFor();
    await check(ent, "05-措施详情与解释");
    await ent.getByRole("button", { name: "申报", exact: true }).click();
    await ent.getByLabel("联系人").fill("刘经理");
    await ent.getByLabel("联系电话").fill("13912345678");
    await declare(ent);
    await check(ent, "06-申报表");
    await ent.getByRole("button", { name: "提交申报" }).click();
    await ent.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    const applicationPath = new URL(ent.url()).pathname;
    await ent.getByText("审核中").first().waitFor();

    // 5. The officer returns it for correction.
    const officer = await h.open({ username: "kaizhou-economy-it" });
    await officer.goto("/review");
    const row = officer.getByRole("row", { name: new RegExp(COMPANY) });
    await row.waitFor();
    await check(officer, "07-待审申报");
    await row.getByRole("link", { name: "审核" }).click();
    await officer.getByLabel("审核意见").fill("请补充统计部门出具的首次纳入规上统计的证明");
    await check(officer, "08-审核申报");
    await officer.getByRole("button", { name: "退回补正" }).click();
    await officer.getByText("已退回补正").first().waitFor();

    // 6. The enterprise fixes and resubmits.
    await ent.goto(applicationPath);
    await ent.getByText("退回理由").first().waitFor();
    await ent.getByLabel("联系电话").fill("023-52212345");
    await declare(ent);
    await check(ent, "09-退回补正");
    await ent.getByRole("button", { name: "修改后重新提交" }).click();
    await ent.getByText("审核中").first().waitFor();

    // 7. The officer and finance approve; the officer publishes the notice.
    await officer.goto(`/review/${applicationPath.split("/").pop()}`);
    await officer.getByLabel("审核意见").fill("材料齐全，初审通过");
    await officer.getByRole("button", { name: "通过", exact: true }).click();
    await officer
      .getByText(/已通过/)
      .first()
      .waitFor();
    const finance = await h.open({ username: "kaizhou-finance" });
    await finance.goto(`/review/${applicationPath.split("/").pop()}`);
    await finance.getByLabel("核定金额（元）").waitFor();
    expect(await finance.getByLabel("核定金额（元）").inputValue()).toMatch(/^200,?000\.00$/);
    await finance.getByLabel("审核意见").fill("复核通过");
    await finance.getByRole("button", { name: "通过", exact: true }).click();
    await finance.getByText("已审批通过").first().waitFor();
    await officer.reload();
    await officer.getByRole("button", { name: "发起公示" }).click();
    await officer.getByText(/公示/).first().waitFor();

    // 8. After the notice period (0 days here; disbursable the next day) finance pays.
    h.setNow(new Date(h.now().getTime() + 24 * 3600_000));
    const finance2 = await h.open({ username: "kaizhou-finance" });
    await finance2.goto("/finance");
    await finance2.getByLabel("批次号").fill("KZ-2026-1125");
    const payRow = finance2.getByRole("row", { name: new RegExp(COMPANY) });
    await payRow.getByRole("button", { name: "发放" }).click();
    await finance2.getByRole("tab", { name: /兑付中/ }).click();
    await check(finance2, "10-兑付管理");
    await finance2
      .getByRole("row", { name: new RegExp(COMPANY) })
      .getByRole("button", { name: "登记已支付" })
      .click();
    await finance2.getByRole("button", { name: "确定" }).click();
    await finance2.getByRole("tab", { name: /已办结/ }).click();
    await finance2.getByRole("row", { name: new RegExp(COMPANY) }).waitFor();

    // 9. The enterprise sees the payment.
    const ent2 = await h.open({ username: "hanfeng-zhineng", password: "hanfeng-2026", mobile: true });
    await ent2.goto(applicationPath);
    await ent2.getByText("兑付结果").first().waitFor();
    await ent2.getByText("已支付").first().waitFor();
    await check(ent2, "11-兑付结果");

    // 10. The coordinator's dashboard shows it.
    const coordinator = await h.open({ username: "kaizhou-coordinator" });
    await coordinator.goto("/dashboard");
    await coordinator.getByRole("heading", { name: "按牵头单位" }).waitFor();
    const quarter = chongqingQuarter(h.now());
    await expect
      .poll(async () => coordinator.getByText(new RegExp(`${chongqingYear(h.now())}.*${quarter}`)).count())
      .toBeGreaterThan(0);
    await expect.poll(async () => coordinator.getByText("200,000.00元").count()).toBeGreaterThan(0);
    await check(coordinator, "12-季度报告");

    // 11. The other main pages.
    const lib = await h.open({ username: "qiye-banan-manufacturer" });
    await lib.goto("/library");
    await lib.getByLabel("检索政策条款").fill("研发费用");
    await lib.getByRole("button", { name: "搜索" }).click();
    await lib.locator("mark").first().waitFor();
    await check(lib, "13-政策库检索");
    const admin = await h.open({ username: "policy-admin" });
    await admin.goto("/admin/policies");
    await admin.getByText(/用例/).first().waitFor();
    await check(admin, "14-政策管理");

    expect(h.problems, JSON.stringify(h.problems, null, 2)).toEqual([]);
    expect(axeFindings).toEqual([]);
    expect(pagesChecked.length).toBeGreaterThanOrEqual(14);
  }, 240_000);
});

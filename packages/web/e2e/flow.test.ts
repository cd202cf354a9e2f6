/**
 * The acceptance scenario in a real browser (Chromium): an enterprise signs up, completes its profile, sees its
 * matches with amounts, opens an explanation and applies; an officer returns it for correction; the
 * enterprise fixes and resubmits; the officer and finance approve; finance pays; the enterprise sees the
 * payment; the coordinator's dashboard shows it. Screenshots of each main page; no console errors; axe-core
 * finds no serious violations.
 */
import { chongqingDate, chongqingQuarter, chongqingYear, usccCheckChar } from "@huiqi/engine";
import { startJobs } from "@huiqi/server";
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
  const phonePagesChecked: string[] = [];

  /** On phone-sized pages: nothing sticks out sideways (no horizontal scrolling). */
  async function fitsWidth(page: Page, name: string) {
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(
      scroll,
      `${name}：页面横向溢出（scrollWidth ${scroll}，clientWidth ${client}）`,
    ).toBeLessThanOrEqual(client + 1);
    phonePagesChecked.push(name);
  }

  /** Screenshot, Chinese title, accessibility; on a phone also the width. */
  async function check(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    if ((page.viewportSize()?.width ?? 1366) <= 500) await fitsWidth(page, name);
    await h.shot(page, name);
    const title = await page.title();
    expect(title, `${name} 的页面标题`).toMatch(/[\u4e00-\u9fa5]/);
    for (const f of await h.seriousAxe(page)) axeFindings.push(`${name}: ${f}`);
    pagesChecked.push(name);
  }

  /** The push worker (as `huiqi serve` runs it): profile changes and status changes become notifications. */
  let worker: { stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    h = await startHarness();
    worker = startJobs(h.platform.ctx, { intervalMs: 300 });
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await h?.close();
  });

  it("runs the whole flow across roles", async () => {
    // 1. The enterprise signs up on a phone-sized screen.
    const ent = await h.open({ mobile: true });
    await ent.goto("/login");
    // The browser's own calendar is a day behind Chongqing's here: every date the app decides must not care.
    const browserDate = await ent.evaluate(() => new Date().toLocaleDateString("sv"));
    expect(browserDate).not.toBe(chongqingDate(h.now()));
    await check(ent, "01-登录");
    // The policy-date picker is only where results depend on it (not on sign-in).
    expect(await ent.getByLabel("政策测算日").count()).toBe(0);
    // Delivery: hashed assets compressed and cached for a year, the page itself revalidated.
    const html = await ent.request.get("/login");
    expect(html.headers()["cache-control"]).toBe("no-cache");
    const asset = /\/assets\/[^"]+\.js/.exec(await html.text())?.[0] ?? "";
    const js = await ent.request.get(asset, { headers: { "accept-encoding": "br, gzip" } });
    expect(js.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(js.headers()["content-encoding"]).toMatch(/^(br|gzip)$/);
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

    // 2. Completes its profile. The wizard opens on the basics, and Enter in a field saves nothing.
    await ent.getByRole("heading", { name: "完善画像，看能拿多少" }).waitFor();
    let factPuts = 0;
    const countPuts = (r: { method(): string; url(): string }) => {
      if (r.method() === "PUT" && r.url().includes("/facts")) factPuts++;
    };
    ent.on("request", countPuts);
    const employees = ent.getByLabel("从业人员数");
    await employees.fill("85");
    await employees.press("Enter");
    await ent.waitForTimeout(800);
    ent.off("request", countPuts);
    expect(factPuts, "Enter 不应提交画像").toBe(0);
    expect(await employees.inputValue()).toBe("85");
    await ent.getByRole("button", { name: "保存并继续" }).click();
    // Then the questions that matter, with the calculator's total beside them; no other industry's questions.
    await ent.getByRole("button", { name: "保存已填的回答" }).waitFor();
    await ent.getByText("符合条件可得（已按从高不重复）").waitFor();
    expect(await ent.getByText("新获批的医药产品").count()).toBe(0);
    // "暂无" is an answer: it is kept, and shown as 暂无.
    await ent.getByLabel("暂无（没有此类投资项目）").check();
    await ent.getByRole("button", { name: "保存已填的回答" }).click();
    await ent.getByRole("row", { name: /投资项目.*暂无/ }).waitFor();
    // The year it first entered the above-scale statistics, through 「填写其他事实」.
    await ent.getByRole("button", { name: "填写其他事实" }).click();
    await ent.locator("#fact-editor-fact").click();
    await ent.locator("#fact-editor-fact").fill("首次升规");
    await ent.keyboard.press("Enter");
    await ent.locator("#fact-editor-value").fill("2025");
    await ent.getByRole("button", { name: "保存修改" }).click();
    await ent.getByRole("row", { name: /首次升规.*2025/ }).waitFor();
    await check(ent, "03-企业画像");

    // 3. Sees its matches with amounts.
    await ent.goto("/calculator");
    const card = ent.locator("section[aria-labelledby=h-money]").getByText("培育小微企业发展壮大").first();
    await card.waitFor();
    await expect
      .poll(async () => ent.locator("section[aria-labelledby=h-money]").getByText("20万元").count())
      .toBeGreaterThan(0);
    await check(ent, "04-政策计算器");
    // Phone shell: the menu button is a real button, the first thing Tab reaches.
    await ent.keyboard.press("Tab");
    expect(await ent.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("打开菜单");
    expect(await ent.evaluate(() => document.activeElement?.tagName)).toBe("BUTTON");

    // 4. Opens the explanation and applies.
    await card.click();
    await ent.waitForURL(`**/measures/${MEASURE}`);
    await ent.getByText("为什么是这个结果").waitFor();
    await check(ent, "05-措施详情与解释");
    expect(await ent.getByLabel("政策测算日").count()).toBe(1);

    // 4b. A past policy date is in the URL: a banner says so, applying is closed with the reason, and the
    // date survives a reload and travels to the calculator (opened from the phone menu).
    const past = "2023-11-15";
    await ent.goto(`/measures/${MEASURE}?asOf=${past}`);
    await ent.getByText(`正在查看 ${past} 的政策（历史测算）`).waitFor();
    await ent.getByText(`这里显示的是 ${past} 的测算，不能在此申报`).waitFor();
    expect(await ent.getByRole("button", { name: "申报", exact: true }).count()).toBe(0);
    await check(ent, "05b-历史测算");
    await ent.reload();
    await ent.getByText(`正在查看 ${past} 的政策（历史测算）`).waitFor();
    await ent.getByRole("button", { name: "打开菜单" }).click();
    await ent.getByRole("dialog").getByRole("link", { name: "政策计算器" }).click();
    await ent.waitForURL((u) => u.pathname === "/calculator" && u.searchParams.get("asOf") === past);
    await ent.getByText(`正在查看 ${past} 的政策（历史测算）`).waitFor();
    await ent.getByRole("button", { name: "回到今天", exact: true }).click();
    await ent.waitForURL((u) => u.pathname === "/calculator" && !u.searchParams.has("asOf"));
    await expect.poll(async () => ent.getByText(/正在查看 .* 的政策/).count()).toBe(0);
    await card.click();
    await ent.waitForURL(`**/measures/${MEASURE}`);
    await ent.getByRole("button", { name: "申报", exact: true }).click();
    await ent.getByLabel("联系人").fill("刘经理");
    await ent.getByLabel("联系电话").fill("13912345678");
    await ent.getByLabel("开户银行").fill("重庆农村商业银行开州支行");
    await ent.getByLabel("银行账号").fill("6228480000012345678");
    // The measure's materials beside the upload, as a checklist (this document lists none of its own).
    const checklist = ent.getByRole("group", { name: "常见材料（文件未列明）" });
    await checklist.waitFor();
    await checklist.getByText("营业执照", { exact: true }).click();
    await declare(ent);
    await check(ent, "06-申报表");
    // A final review lists what will be submitted before anything is.
    await ent.getByRole("button", { name: "下一步：核对申报内容" }).click();
    await ent.getByText("请核对以下内容，确认无误后提交").waitFor();
    await ent.getByText("6228 4800 0001 2345 678").waitFor();
    await ent.getByRole("button", { name: "提交申报" }).click();
    await ent.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    const applicationPath = new URL(ent.url()).pathname;
    await ent.getByText("审核中").first().waitFor();
    await check(ent, "06b-申报详情");

    // 我的申报 from the phone menu: cards with status and amount, nothing off-screen.
    await ent.getByRole("button", { name: "打开菜单" }).click();
    await ent.getByRole("dialog").getByRole("link", { name: "我的申报" }).click();
    await ent.waitForURL((u) => u.pathname === "/applications");
    const myCard = ent.getByRole("list", { name: "申报列表" }).getByRole("listitem").first();
    await myCard.getByText("审核中").waitFor();
    await myCard.getByText(/测算最高|核定/).waitFor();
    await ent.getByRole("dialog").waitFor({ state: "hidden" });
    await check(ent, "06c-我的申报");
    await ent.goto("/notifications");
    await ent.getByRole("heading", { level: 1 }).waitFor();
    await check(ent, "06d-消息通知");
    expect(await ent.getByLabel("政策测算日").count()).toBe(0);

    // An unknown address: a Chinese 404 page with a way home, not a silent redirect.
    await ent.goto("/no-such-page");
    await ent.getByRole("heading", { name: "未找到页面" }).waitFor();
    expect(new URL(ent.url()).pathname).toBe("/no-such-page");
    await check(ent, "06e-未找到页面");
    await ent.getByRole("link", { name: "返回首页" }).click();
    await ent.waitForURL((u) => u.pathname === "/calculator");

    // 5. The officer returns it for correction.
    const officer = await h.open({ username: "kaizhou-economy-it" });
    await officer.goto("/review");
    const row = officer.getByRole("row", { name: new RegExp(COMPANY) });
    await row.waitFor();
    await check(officer, "07-待审申报");
    await row.getByRole("link", { name: "审核" }).click();
    await officer.getByLabel("审核意见").fill("请补充统计部门出具的首次纳入规上统计的证明");
    await officer.getByLabel("政策测算日").waitFor();
    await check(officer, "08-审核申报");
    await officer.getByRole("button", { name: "退回补正" }).click();
    await officer.getByText("已退回补正").first().waitFor();

    // 6. The enterprise fixes and resubmits.
    await ent.goto(applicationPath);
    await ent.getByText("退回理由").first().waitFor();
    await ent.getByLabel("联系电话").fill("023-52212345");
    await declare(ent);
    await check(ent, "09-退回补正");
    await ent.getByRole("button", { name: "下一步：核对申报内容" }).click();
    await ent.getByRole("button", { name: "修改后重新提交" }).click();
    await ent.getByText("审核中").first().waitFor();

    // 6b. Notifications: the menu shows the unread count; matches come as a digest, nothing for its own
    // draft, status notices lead to the application.
    const desk = await h.open({ username: "hanfeng-zhineng", password: "hanfeng-2026" });
    const inbox = async () =>
      (await (await desk.request.get("/api/notifications?limit=50")).json()) as {
        unreadCount: number;
        items: { title: string; body: string; link: string | null }[];
      };
    await expect
      .poll(async () => (await inbox()).items.filter((n) => n.link === applicationPath).length, {
        timeout: 15_000,
      })
      .toBe(3);
    await desk.goto("/notifications");
    const menuLink = desk.getByRole("navigation", { name: "主菜单" }).getByRole("link", { name: /消息通知/ });
    await expect
      .poll(
        async () => {
          const n = (await inbox()).unreadCount;
          return n > 0 ? menuLink.locator(`[title="未读通知 ${n} 条"]`).count() : 0;
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    const mail = await inbox();
    expect(mail.items.length, JSON.stringify(mail.items.map((n) => n.title))).toBeLessThanOrEqual(6);
    expect(mail.items.filter((n) => /项新措施适合您$/.test(n.title)).length).toBeGreaterThanOrEqual(1);
    expect(mail.items.some((n) => n.body.includes("草稿"))).toBe(false);
    expect(mail.items.some((n) => n.body.includes("。。"))).toBe(false);
    expect(await desk.getByRole("link", { name: "查看申报" }).first().getAttribute("href")).toBe(
      applicationPath,
    );
    await check(desk, "09b-消息通知");
    await desk.getByRole("link", { name: "通知设置" }).click();
    await desk.getByText("邮件（待接入）").waitFor();
    await check(desk, "09c-通知设置");

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

    // 8. After the notice period (0 days here; disbursable the next day) finance pays. A day later the
    // enterprise's sessions (12 hours) have expired: its open pages are closed first, as a user would.
    await ent.context().close();
    await desk.context().close();
    h.setNow(new Date(h.now().getTime() + 24 * 3600_000));
    const finance2 = await h.open({ username: "kaizhou-finance" });
    await finance2.goto("/finance");
    await finance2.getByLabel("批次号").fill("KZ-2026-1125");
    const payRow = finance2.getByRole("row", { name: new RegExp(COMPANY) });
    await payRow.getByRole("button", { name: "发放" }).click();
    await finance2.getByRole("button", { name: "确认发放" }).click();
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
    // 申报日历: measures that fit, by closing month; this district's set no closing date.
    await ent2.goto("/calendar");
    await ent2.getByRole("heading", { name: "申报日历", level: 1 }).waitFor();
    await ent2.getByText(/未设截止日期，以申报通知为准/).waitFor();
    await check(ent2, "11b-申报日历");

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
    expect(pagesChecked.length).toBeGreaterThanOrEqual(19);
    expect(phonePagesChecked.length).toBeGreaterThanOrEqual(11);
  }, 240_000);
});

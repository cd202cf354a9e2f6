/**
 * 企业吹哨·部门报到 in a real browser (Chromium) on the demo data: an enterprise raises a 用工 request with a PDF
 * attached; it reaches 巴南区经济信息委; the officer sees and downloads the file, accepts it in time and replies; the enterprise confirms and rates it;
 * a second (用能) request is left alone until it is overdue and escalates; the district coordinator's 诉求督办
 * page lists the escalated one and this quarter's figures count both. axe-core at desktop and phone size.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

/** 02:30 Chongqing on the 10th of the current quarter's middle month: time limits stay within one quarter. */
function midQuarter(): Date {
  const now = new Date(Date.now() + 8 * 3600_000);
  const month = Math.floor(now.getUTCMonth() / 3) * 3 + 2;
  return new Date(`${now.getUTCFullYear()}-${String(month).padStart(2, "0")}-10T02:30:00+08:00`);
}

describe("企业吹哨·部门报到", () => {
  let h: Harness;
  const axeFindings: string[] = [];

  async function axe(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    await h.shot(page, name);
    for (const f of await h.seriousAxe(page)) axeFindings.push(`${name}: ${f}`);
  }

  /** A small valid PDF, uploaded under a Chinese name. */
  const PDF = {
    name: "用工需求.pdf",
    mimeType: "application/pdf",
    buffer: readFileSync(new URL("./fixtures/service-request.pdf", import.meta.url)),
  };

  async function raise(page: Page, category: string, text: string, file?: typeof PDF) {
    await page.getByLabel("诉求类别").click();
    await page.locator(`.ant-select-item-option[title="${category}"]`).click();
    await page.getByLabel("诉求说明").fill(text);
    if (file) {
      await page.locator('form input[type="file"]').setInputFiles(file);
      await page.locator(".ant-upload-list").getByText(file.name).waitFor();
    }
    await page.getByRole("button", { name: "提交诉求" }).click();
    await page.locator(".ant-drawer-section").getByText("办理经过").first().waitFor();
    if (file)
      await page
        .locator(".ant-drawer-section")
        .getByRole("button", { name: `下载 ${file.name}` })
        .waitFor();
    const title = await page.locator(".ant-drawer-section").locator(".ant-drawer-title").textContent();
    const number = (title ?? "").replace("诉求 ", "");
    await page.goto("/services");
    await page.getByRole("heading", { level: 1, name: "企业吹哨" }).waitFor();
    return number;
  }

  beforeAll(async () => {
    h = await startHarness(midQuarter());
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it("raise, route, accept in time, reply, confirm and rate; an overdue one escalates; the report counts both", async () => {
    // 1. The enterprise raises two requests.
    const ent = await h.open({ username: "qiye-banan-manufacturer" });
    await ent.goto("/services");
    await ent.getByRole("heading", { level: 1, name: "企业吹哨" }).waitFor();
    await ent
      .getByText(/依据渝经信规范〔2022〕6号第23条/)
      .first()
      .waitFor();
    const labour = await raise(ent, "用工", "春节后一线操作工缺口约 40 人，希望对接职业院校和劳务协作", PDF);
    const energy = await raise(ent, "用能", "新产线需要变压器扩容，供电方案迟迟未批复");
    expect(labour).toMatch(/^500113-\d{4}-\d{6}$/);
    const cards = ent.locator(".ant-card").filter({ hasText: labour });
    await cards.getByText("区经济信息委").first().waitFor();
    await cards
      .getByText(/报到时限.*时限内/)
      .first()
      .waitFor();
    await axe(ent, "services-enterprise");

    // 2. It reaches 巴南区经济信息委: the officer accepts in time and replies.
    const officer = await h.open({ username: "banan-economy-it" });
    await officer.goto("/services/queue");
    await officer.getByRole("heading", { level: 1, name: "诉求办理" }).waitFor();
    await officer.locator(".ant-card").filter({ hasText: energy }).waitFor();
    await officer.getByRole("button", { name: `办理诉求 ${labour}` }).click();
    const drawer = officer.locator(".ant-drawer-section");
    await drawer.getByText("春节后一线操作工缺口").first().waitFor();
    // The enterprise's file is listed (name, size, who); the officer downloads it under its Chinese name.
    const files = drawer.getByRole("list", { name: "诉求附件" });
    await files.getByText(/用工需求\.pdf（1 KB）/).waitFor();
    const [download] = await Promise.all([
      officer.waitForEvent("download"),
      drawer.getByRole("button", { name: "下载 用工需求.pdf" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("用工需求.pdf");
    expect(readFileSync(await download.path())).toEqual(PDF.buffer);
    await drawer.getByRole("button", { name: "报到受理" }).click();
    await officer.locator(".ant-popconfirm").getByRole("button", { name: "报到受理" }).click();
    await drawer
      .getByText(/答复时限.*时限内/)
      .first()
      .waitFor();
    await drawer.getByRole("button", { name: /上传附件/ }).waitFor();
    await drawer.getByLabel("答复内容").fill("已对接区职教中心和劳务协作站，本周六举办专场招聘会");
    await drawer.getByRole("button", { name: "发送答复" }).click();
    await officer
      .locator(".ant-popconfirm")
      .getByRole("button", { name: /^发\s*送$/ })
      .click();
    await drawer.getByText("已答复，待企业确认").first().waitFor();
    await axe(officer, "services-officer");

    // 3. The enterprise confirms and rates.
    await ent.reload();
    await ent.getByRole("button", { name: `查看诉求 ${labour}` }).click();
    const entDrawer = ent.locator(".ant-drawer-section");
    await entDrawer.getByText("本周六举办专场招聘会").first().waitFor();
    await entDrawer.getByRole("button", { name: "确认办结" }).click();
    await ent.locator(".ant-popconfirm").getByRole("button", { name: "确认办结" }).click();
    await entDrawer.getByText("满意度评价").first().waitFor();
    await entDrawer.getByText("4 分 满意").click();
    await entDrawer.getByRole("button", { name: "提交评价" }).click();
    await entDrawer.getByText("4 分（满意）").first().waitFor();
    await axe(ent, "services-enterprise-rated");

    // 4. The 用能 request is left alone past its 报到 limit.
    const row = await h.platform.ctx.db
      .selectFrom("service_requests")
      .select("accept_due")
      .where("number", "=", energy)
      .executeTakeFirstOrThrow();
    h.setNow(new Date(`${row.accept_due}T10:00:00+08:00`));
    h.setNow(new Date(h.now().getTime() + 24 * 3600_000));

    // 5. The coordinator's 诉求督办: the escalated request, and the quarter's figures counting both.
    const coord = await h.open({ username: "banan-coordinator" });
    await coord.goto("/services/oversight");
    await coord.getByRole("heading", { level: 1, name: "诉求督办" }).waitFor();
    const late = coord.locator(".ant-card").filter({ hasText: energy });
    await late.getByText("已升级督办").first().waitFor();
    await late
      .getByText(/报到时限.*已超时/)
      .first()
      .waitFor();
    expect(await coord.locator(".ant-card").filter({ hasText: labour }).count()).toBe(0);
    const figures = coord.locator(".ant-card").filter({ hasText: "季度诉求办理情况" });
    const line = figures.getByRole("row", { name: /区经济信息委/ });
    await line.waitFor();
    expect(await line.locator("td").allInnerTexts()).toEqual([
      "区经济信息委",
      "2",
      "1",
      "1",
      "1",
      "4.00 分（1 条评价）",
    ]);
    await coord.getByRole("button", { name: `查看诉求 ${energy}` }).click();
    await coord.locator(".ant-drawer-section").getByText("超时升级至区发展改革委").first().waitFor();
    await axe(coord, "services-coordinator");

    // The quarterly report page has the same figures in its 企业吹哨 section, with the district's total.
    await coord.goto("/dashboard");
    const section = coord.locator('section[aria-labelledby="services-title"]');
    const reportLine = section.getByRole("row", { name: /区经济信息委/ });
    await reportLine.waitFor();
    expect(await reportLine.locator("td").allInnerTexts()).toEqual([
      "区经济信息委",
      "2",
      "1/2",
      "1",
      "1",
      "4.00 分（1 条）",
    ]);
    expect(await section.getByRole("row", { name: /合计/ }).locator("td").allInnerTexts()).toEqual([
      "合计",
      "2",
      "1/2",
      "1",
      "1",
      "4.00 分（1 条）",
    ]);

    const phone = await h.open({ username: "banan-coordinator", mobile: true });
    await phone.goto("/services/oversight");
    await phone.getByText("已升级督办").first().waitFor();
    await axe(phone, "services-coordinator-phone");
    const entPhone = await h.open({ username: "qiye-banan-manufacturer", mobile: true });
    await entPhone.goto("/services");
    await entPhone.getByRole("heading", { level: 1, name: "企业吹哨" }).waitFor();
    await axe(entPhone, "services-enterprise-phone");

    expect(axeFindings, axeFindings.join("\n")).toEqual([]);
    expect(h.problems, JSON.stringify(h.problems, null, 2)).toEqual([]);
  }, 300_000);
});

/**
 * The officer's review page and finance's batch payment in a real browser (Chromium), on the demo data: the
 * officer finds an application by its 申报编号 (区县码-年份-序号), reads the enterprise's facts as a Chinese
 * table (labels with units, list records by their field labels — never a raw id), marks a fact 已核实, previews
 * an attached image, and is asked before 不予通过 what it means (and cancels). Finance selects several rows and
 * sees the count and the exact total before 确认发放. axe-core at desktop and phone size; no console errors.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chongqingDate } from "@huiqi/engine";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
/** Demo: 渝北区 智能工厂 enterprise's application to 一般技改扩能项目补助, waiting for 区经济信息委. */
const MEASURE = "yubei-2021-13/2.1";

describe("officer review and finance batch payment", () => {
  let h: Harness;
  const axeFindings: string[] = [];

  async function axe(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    await h.shot(page, name);
    for (const f of await h.seriousAxe(page)) axeFindings.push(`${name}: ${f}`);
  }

  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it("lets an officer find, read, verify, preview and (not) reject; finance sees the batch total", async () => {
    const db = h.platform.ctx.db;
    const app = await db
      .selectFrom("applications")
      .select(["id", "number", "status"])
      .where("measure_id", "=", MEASURE)
      .executeTakeFirstOrThrow();
    expect(app.status).toBe("submitted");
    expect(app.number).toMatch(/^500112-2023-\d{6}$/);
    // A photo the enterprise attached (stored as the upload route stores it).
    const dir = mkdtempSync(join(tmpdir(), "huiqi-e2e-"));
    const file = join(dir, "site.png");
    writeFileSync(file, PNG);
    await db
      .insertInto("attachments")
      .values({
        id: randomUUID(),
        application_id: app.id,
        file_name: "车间现场照片.png",
        content_type: "image/png",
        size: PNG.length,
        path: file,
        created_at: h.now(),
      })
      .execute();

    // 1. The officer finds it in the queue by (part of) its number.
    const officer = await h.open({ username: "yubei-economy-it" });
    await officer.goto("/review");
    await officer.getByRole("tab", { name: "全部" }).click();
    await officer.getByLabel("搜索申报编号、企业名称或统一社会信用代码").fill(app.number.slice(-6));
    const row = officer.getByRole("row", { name: new RegExp(app.number) });
    await row.waitFor();
    expect(await officer.getByRole("link", { name: /^审核 / }).count()).toBe(1);
    await row.getByRole("link", { name: /^审核 / }).click();

    // 2. The review page is titled with the number.
    await officer.getByRole("heading", { level: 1, name: `审核申报 ${app.number}` }).waitFor();

    // 3. The facts: Chinese labels with units; list records by their field labels; no raw ids.
    const facts = officer.locator(".ant-card").filter({ hasText: "企业申报的事实" });
    await facts
      .getByRole("button", { name: /^核实 / })
      .first()
      .waitFor();
    const text = (await facts.textContent()) ?? "";
    expect(text).toContain("事实（单位）");
    expect(text).toContain("投资项目");
    expect(text).toContain("项目类型：一般技术改造、扩能项目");
    // Each record's fields by their Chinese labels, with units: exact 元 (two decimals), percentages.
    expect(text).toMatch(/项目总投资：[\d,]+\.\d{2}元/);
    expect(text).toMatch(/投资进度：\d+%/);
    expect(text).not.toContain("techRenovation");
    expect(text).not.toMatch(/\bkind\b|\binvestment\b/);
    expect(text).toContain("企业自报");

    // 4. Marks a fact 已核实: who and when are shown instead of 企业自报.
    const verify = facts.getByRole("button", { name: /^核实 / }).first();
    const label = ((await verify.getAttribute("aria-label")) ?? "").replace(/^核实 /, "");
    await verify.click();
    await officer.getByRole("button", { name: "确认已核实" }).click();
    const verifiedRow = facts.getByRole("row", {
      name: new RegExp(label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
    });
    await verifiedRow.getByText("已核实").waitFor();
    // The table settles once the refetched profile arrives (a loaded machine can show the old tag a moment longer).
    await expect.poll(() => verifiedRow.getByText("企业自报").count(), { timeout: 30_000 }).toBe(0);

    // 5. Previews the attached photo in a dialog (shown inline, not downloaded).
    await officer.getByRole("button", { name: "预览 车间现场照片.png" }).click();
    const preview = officer.getByRole("dialog").filter({ hasText: "预览：车间现场照片.png" });
    const img = preview.getByRole("img", { name: "车间现场照片.png" });
    await img.waitFor();
    await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBe(1);
    await axe(officer, "o1-附件预览");
    await preview.getByRole("button", { name: /关闭|Close/ }).click();

    // 6. 不予通过 asks first and says what it means; cancelling changes nothing.
    await officer.getByLabel("审核意见").fill("项目尚未竣工验收，不符合申报条件");
    await officer.getByRole("button", { name: "不予通过" }).click();
    const confirm = officer.getByRole("dialog").filter({ hasText: "确认不予通过" });
    await confirm.waitFor();
    expect((await confirm.textContent()) ?? "").toContain("不予通过后申报办结，企业不能再补正");
    await confirm.getByRole("button", { name: "取消" }).click();
    await confirm.waitFor({ state: "hidden" });
    const still = await db
      .selectFrom("applications")
      .select("status")
      .where("id", "=", app.id)
      .executeTakeFirstOrThrow();
    expect(still.status).toBe("submitted");
    await axe(officer, "o2-审核申报");

    // 7. The same page on a phone.
    const phone = await h.open({ username: "yubei-economy-it", mobile: true });
    await phone.goto(`/review/${app.id}`);
    await phone.getByRole("heading", { level: 1, name: `审核申报 ${app.number}` }).waitFor();
    await phone
      .locator(".ant-card")
      .filter({ hasText: "企业申报的事实" })
      .getByText("已核实")
      .first()
      .waitFor();
    await axe(phone, "o3-审核申报-手机");

    // 8. Finance: two approved applications whose public notice has ended.
    const today = chongqingDate(h.now());
    const ended = new Date(Date.parse(`${today}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10);
    const onNotice = await db
      .selectFrom("applications")
      .select(["id", "number"])
      .where("measure_id", "in", ["yubei-2021-13/2.2", "yubei-2021-13/9.1"])
      .orderBy("number")
      .execute();
    expect(onNotice).toHaveLength(2);
    const granted = [12_345_678, 20_000_000];
    for (const [i, a] of onNotice.entries())
      await db
        .updateTable("applications")
        .set({ status: "publicNotice", granted_fen: granted[i] ?? 0, notice_until: ended })
        .where("id", "=", a.id)
        .execute();
    const finance = await h.open({ username: "yubei-finance" });
    await finance.goto("/finance");
    for (const a of onNotice)
      await finance
        .getByRole("row", { name: new RegExp(a.number) })
        .getByRole("checkbox")
        .check();
    const issue = finance.getByRole("button", { name: "发放所选（2 笔，共 323,456.78元）" });
    await issue.waitFor();
    await issue.click();
    const ask = finance.getByRole("dialog").filter({ hasText: "将发放" });
    await ask.waitFor();
    const askText = (await ask.textContent()) ?? "";
    expect(askText).toContain("将发放 2 笔");
    expect(askText).toContain("共 323,456.78元");
    for (const a of onNotice) expect(askText).toContain(a.number);
    await axe(finance, "o4-确认发放");
    await ask.getByRole("button", { name: "取消" }).click();

    expect(axeFindings, axeFindings.join("\n")).toEqual([]);
    expect(h.problems, JSON.stringify(h.problems, null, 2)).toEqual([]);
  }, 300_000);
});

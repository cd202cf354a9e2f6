/**
 * Importing a notice in a real browser: a policy admin uploads a Word notice, sees the draft beside the
 * cleaned source (a field located in the source), fixes the district, an amount and a title, accepts or rejects
 * the rest, and saves the draft revision; the draft is listed under 政策文件版本 and holds the fixed values. On a
 * phone the pasted text gives the same draft with the source collapsed. axe at both sizes; no console errors.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Harness, startHarness } from "./harness.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../ingest/fixtures/${name}`, import.meta.url));
const TITLE = "重庆市某某区人民政府办公室关于印发某某区促进数字经济发展若干措施的通知";
const ID = "shuzi-2024-18";

describe("importing a policy notice", () => {
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

  const field = (page: Page, name: string) => page.getByRole("group", { name, exact: true });
  const pendingText = (page: Page) => page.getByRole("status").filter({ hasText: /待处理|已全部处理/ });

  it("uploads a Word notice, fixes the draft field by field and saves it as a draft revision", async () => {
    const page = await h.open({ username: "policy-admin" });
    await page.goto("/admin/documents");
    await page.getByRole("button", { name: "导入通知原文" }).click();
    await page.getByRole("heading", { name: "导入通知原文" }).waitFor();
    await noSeriousAxe(page, "i1-导入通知原文");

    await page.locator('input[type="file"]').setInputFiles(fixture("digital-economy.docx"));
    await pendingText(page).waitFor();
    expect(await pendingText(page).textContent()).toMatch(/待处理 \d+ 项/);
    await page.getByText("识别出 7 项措施").waitFor();

    // The 文号 is shown and located in the source.
    const docNumber = field(page, "文件信息 文号");
    await docNumber.getByText("某府办发〔2024〕18号").waitFor();
    await docNumber.getByRole("button", { name: "定位原文" }).click();
    expect(await page.locator("#import-active-span").textContent()).toBe("某府办发〔2024〕18号");
    await noSeriousAxe(page, "i2-逐项核对");

    // 某某区 is no district: the editor picks one.
    const region = field(page, "文件信息 区县");
    await region.getByRole("button", { name: "填写" }).click();
    await region.getByRole("combobox").click();
    await page.keyboard.type("巴南区");
    await page.keyboard.press("Enter");
    await region.getByText("已修改").waitFor();

    // Measure 1 prints three amounts; the editor writes the one-off award as a fixed amount.
    const amount1 = field(page, "第 1 项措施 金额");
    await amount1.getByText(/3个金额/).waitFor();
    await amount1.getByRole("button", { name: "填写" }).click();
    await amount1.getByRole("combobox", { name: "金额形式" }).click();
    await page.locator(".ant-select-item-option").filter({ hasText: "固定金额" }).click();
    await amount1.getByRole("spinbutton", { name: "金额（元）" }).fill("500000");

    // A title fixed in words.
    const title2 = field(page, "第 2 项措施 标题");
    await title2.getByRole("button", { name: "修改" }).click();
    await title2.getByRole("textbox", { name: "标题" }).fill("支持企业上云用云（云服务补助）");

    // Measure 6's amount reads 最高 100.00 万元 and is accepted.
    const amount6 = field(page, "第 6 项措施 金额");
    await amount6.getByText("最高 100.00 万元").waitFor();
    await amount6.getByRole("button", { name: "采纳", exact: true }).click();

    // Saving is refused while fields are pending, and says why.
    await page.getByRole("button", { name: "保存为草稿" }).click();
    await page.getByText(/还有 \d+ 项待处理/).waitFor();

    await page.getByRole("button", { name: "采纳全部未标待核对的项" }).click();
    // The rest carry a reason to check: accept what can be accepted, reject the amounts that cannot.
    for (let guard = 0; guard < 40; guard++) {
      const next = page.locator("fieldset").filter({ hasText: "待处理" }).first();
      if ((await next.count()) === 0) break;
      const accept = next.getByRole("button", { name: "采纳", exact: true });
      if ((await accept.count()) > 0 && (await accept.isEnabled())) await accept.click();
      else await next.getByRole("button", { name: "不采纳" }).click();
    }
    await expect.poll(() => pendingText(page).textContent()).toBe("已全部处理");

    const idInput = page.getByLabel(/文件编号/);
    expect(await idInput.inputValue()).toBe("doc-2024-18");
    await idInput.fill(ID);
    await page.getByRole("button", { name: "保存为草稿" }).click();
    await page.waitForURL(`**/admin/documents/${ID}/edit/1`);
    await page.getByText("已保存为草稿：第 1 版，7 项措施").waitFor();

    const row = await h.platform.ctx.db
      .selectFrom("policy_revisions")
      .select(["state", "files"])
      .where("document_id", "=", ID)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe("draft");
    const doc = parse(row.files["document.yaml"] ?? "");
    expect(doc).toMatchObject({
      docNumber: "某府办发〔2024〕18号",
      regionCode: "500113",
      issuedOn: "2024-03-15",
    });
    const measures = parse(row.files["measures.yaml"] ?? "").measures as {
      id: string;
      title: string;
      amount?: unknown;
      amountUnstated?: string;
      interpretation: { who: string };
    }[];
    expect(measures).toHaveLength(7);
    expect(measures[0]).toMatchObject({ id: `${ID}/1`, amount: { fixed: 500000 } });
    expect(measures[0]?.interpretation.who).toBe("巴南区的企业");
    expect(measures[1]?.title).toBe("支持企业上云用云（云服务补助）");
    expect(measures[1]?.amount).toBeUndefined();
    expect(measures[1]?.amountUnstated).toBeTruthy();
    expect(measures[5]?.amount).toMatchObject({ upTo: 1000000 });
    expect(row.files["source.txt"]).toContain("某府办发〔2024〕18号");

    await page.goto("/admin/documents");
    const card = page.locator(".ant-card").filter({ has: page.getByText(TITLE, { exact: true }) });
    await expect.poll(() => card.textContent()).toContain("草稿");
    expect(await card.textContent()).toContain("第 1 版");
  }, 240_000);

  it("takes pasted text on a phone, the source collapsed beside nothing", async () => {
    const page = await h.open({ username: "policy-admin", mobile: true });
    await page.goto("/admin/documents/new");
    await page.getByRole("heading", { name: "导入通知原文" }).waitFor();
    await page.getByRole("tab", { name: "粘贴正文" }).click();
    await page.getByLabel("通知正文").fill(readFileSync(fixture("digital-economy.txt"), "utf8"));
    await page.getByRole("button", { name: "识别" }).click();
    await page.getByText("识别出 7 项措施").waitFor();
    expect(await page.locator("#import-active-span").count()).toBe(0);
    await field(page, "文件信息 标题").getByRole("button", { name: "定位原文" }).click();
    await page.locator("#import-active-span").waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await noSeriousAxe(page, "i3-粘贴正文-手机");
    expect(h.problems).toEqual([]);
  }, 180_000);
});

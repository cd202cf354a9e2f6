/**
 * Policy versions in a real browser: a policy admin uploads a new version of a document (its YAML files, one
 * amount changed, cases updated), sees the check pass and submits it; cannot approve it herself; a second policy
 * admin publishes it after a confirmation that says what will happen; the running platform serves the new amount
 * at once while a past date keeps the old one. axe at desktop and phone size; no console errors.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DOCUMENTS_DIR } from "@huiqi/policies";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

const DOC = "banan-2022-63";
const TITLE = "重庆市巴南区人民政府办公室关于印发巴南区助企纾困提能七条措施的通知";

describe("policy document versions (four-eyes)", () => {
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

  const card = (page: Page) =>
    page.locator(".ant-card").filter({ has: page.getByText(TITLE, { exact: true }) });
  /** A version's table row on desktop, its block on a phone. */
  const version = (page: Page, n: number) =>
    card(page)
      .locator("tr, .ant-list-item")
      .filter({ hasText: `第 ${n} 版` });

  it("uploads, checks, submits, and publishes only after a second admin approves", async () => {
    // The new version: 巴南 1's one-off award from 20 万 to 30 万 元, its cases updated to match.
    const files = readdirSync(join(DOCUMENTS_DIR, DOC)).map((name) => {
      let text = readFileSync(join(DOCUMENTS_DIR, DOC, name), "utf8");
      if (name === "measures.yaml") text = text.replace("fixed: 200000", "fixed: 300000");
      if (name === "cases.yaml") text = text.replaceAll("amount: 200000,", "amount: 300000,");
      return { name, mimeType: "text/plain", buffer: Buffer.from(text) };
    });

    const author = await h.open({ username: "policy-admin" });
    await author.getByRole("link", { name: "政策文件版本" }).first().click();
    await author.getByRole("heading", { name: "政策文件版本" }).waitFor();
    await noSeriousAxe(author, "a1-政策文件版本");
    await card(author).getByRole("button", { name: "上传新版本" }).click();
    const dialog = author.getByRole("dialog");
    await dialog.locator('input[type="file"]').setInputFiles(files);
    await dialog.getByText(/已选：.*measures\.yaml/).waitFor();
    await dialog.getByLabel("修改说明").fill("一次性奖励提高到 30 万元");
    await dialog.getByRole("button", { name: "保存为草稿并检查" }).click();
    await author.getByText(/检查通过：\d+ 个用例全部通过，可以提交审核/).waitFor();
    const draftRow = version(author, 2);
    await expect.poll(() => draftRow.textContent()).toContain("草稿");
    await draftRow.getByRole("button", { name: "提交审核" }).click();
    await expect.poll(() => draftRow.textContent()).toContain("待审核");
    // The author cannot approve her own change.
    await draftRow.getByText("待另一位政策管理员审核").waitFor();
    expect(await draftRow.getByRole("button", { name: "通过并发布" }).count()).toBe(0);

    const reviewer = await h.open({ username: "policy-reviewer", mobile: true });
    await reviewer.goto("/admin/documents");
    await reviewer.getByRole("heading", { name: "政策文件版本" }).waitFor();
    const row = version(reviewer, 2);
    await row.getByRole("button", { name: "通过并发布" }).click();
    const confirm = reviewer.getByRole("dialog");
    await confirm.getByText(/发布后立即生效/).waitFor();
    await noSeriousAxe(reviewer, "a2-发布确认-手机");
    const before = h.platform.ctx.library.rules.version;
    await confirm.getByRole("button", { name: "确认发布" }).click();
    await expect.poll(() => row.textContent()).toContain("现行");
    expect(h.platform.ctx.library.rules.version).not.toBe(before);
    expect(await version(reviewer, 1).textContent()).toContain("已被取代");
    await noSeriousAxe(reviewer, "a3-已发布-手机");

    // The running platform: today's rules carry 30 万元; a 2022 date still shows the version recorded then.
    const ent = await h.open({ username: "qiye-banan-manufacturer" });
    const matches = async (asOf: string) => {
      const me = await (await ent.request.get("/api/auth/me")).json();
      const r = await ent.request.get(
        `/api/enterprises/${me.actor.enterpriseId}/matches?asOf=${asOf}&measure=${DOC}/1`,
      );
      return (await r.json()).results[0];
    };
    expect((await matches("2022-11-01")).amount.min).toBe(20_000_000);
    const def = h.platform.ctx.engine.byId.get(`${DOC}/1`)?.def;
    expect(JSON.stringify(def?.amount)).toContain("300000");
    expect(h.problems).toEqual([]);
  }, 240_000);
});

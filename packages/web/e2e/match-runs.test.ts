/**
 * 批量匹配 in a real browser (Chromium), on the demo data: the 巴南区 coordinator opens 批量匹配 from the menu,
 * starts a full run after the confirmation, and follows its progress bar (the page polls) until the job worker
 * has matched every enterprise: 已完成, 100%. axe-core on the page; no console errors or failed requests.
 */
import { startJobs } from "@huiqi/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

describe("batch matching runs page", () => {
  let h: Harness;
  let worker: ReturnType<typeof startJobs> | undefined;

  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await h?.close();
  });

  it("a coordinator starts a full run and sees it finish", async () => {
    const coord = await h.open({ username: "banan-coordinator" });
    await coord.goto("/dashboard");
    await coord.getByRole("menuitem", { name: "批量匹配" }).click();
    await coord.getByRole("heading", { level: 1, name: "批量匹配" }).waitFor();
    await coord.getByRole("button", { name: "开始全量匹配" }).click();
    await coord.getByRole("button", { name: "开始匹配" }).click();
    const row = coord.locator(".ant-table-tbody tr").filter({ hasText: "手动" }).first();
    await row.getByText("全部措施").waitFor();
    await row.getByText("等待中").waitFor();
    // The job worker drains the run; the page polls until it is done.
    worker = startJobs(h.platform.ctx, { intervalMs: 300 });
    await row.getByText("已完成").waitFor({ timeout: 60_000 });
    const text = (await row.textContent()) ?? "";
    const enterprises = await h.platform.ctx.db
      .selectFrom("enterprises")
      .select(h.platform.ctx.db.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const n = Number(enterprises.n).toLocaleString("zh-CN");
    expect(text).toContain(`企业 ${n} / ${n}`);
    expect(await row.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    expect(text).not.toMatch(/manual|done|null|undefined|NaN/);
    await coord.waitForLoadState("networkidle");
    await coord.mouse.move(0, 0);
    await h.shot(coord, "m1-批量匹配");
    expect(await h.seriousAxe(coord)).toEqual([]);
    expect(h.problems).toEqual([]);
  }, 240_000);
});

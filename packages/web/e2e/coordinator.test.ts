/**
 * The district coordinator's view in a real browser (Chromium), on the demo data: an enterprise rates its closed
 * application (满意度评价); the 巴南区 coordinator opens the quarterly report and sees 兑现率, 处理时长 in
 * working days, 预算执行 and 满意度; then opens 审计日志 from the menu and sees only its own district's rows,
 * in Chinese words. axe-core at desktop and phone size; no console errors or failed requests.
 */
import { formatYuanExact } from "@huiqi/engine";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, pickOption, startHarness } from "./harness.ts";

/** Demo: 巴南区 manufacturer's closed (已兑付办结) application. */
const MEASURE = "banan-2022-63/1";
const BUDGET_FEN = 100_000_000;

describe("coordinator dashboard, audit log and satisfaction rating", () => {
  let h: Harness;
  const axeFindings: string[] = [];

  async function axe(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    // The pointer rests outside the page: axe judges the resting colours, not a hovered button's.
    await page.mouse.move(0, 0);
    await h.shot(page, name);
    const serious = await h.seriousAxe(page);
    for (const f of serious) axeFindings.push(`${name}: ${f}`);
    if (serious.length > 0) {
      // Which elements (the harness reports counts only).
      const nodes = (await page.evaluate(() =>
        // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page's global scope by the harness.
        (window as any).axe
          .run(document, { runOnly: ["wcag2a", "wcag2aa"] })
          .then(
            (r: { violations: { id: string; nodes: { target: string[]; failureSummary: string }[] }[] }) =>
              r.violations.flatMap((v) =>
                v.nodes.map((n) => `${v.id} ${n.target.join(" ")} ${n.failureSummary}`),
              ),
          ),
      )) as string[];
      axeFindings.push(...nodes.map((n) => `  ${name}: ${n}`));
    }
  }

  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it("rates a closed application, shows the indicators and a district-scoped audit log", async () => {
    const db = h.platform.ctx.db;
    const app = await db
      .selectFrom("applications")
      .select(["id", "number", "status", "granted_fen"])
      .where("measure_id", "=", MEASURE)
      .executeTakeFirstOrThrow();
    expect(app.status).toBe("closed");
    const grantedFen = Number(app.granted_fen);
    // The measure's budget, as finance sets it (PUT /api/measures/…/budget).
    await db.insertInto("measure_budgets").values({ measure_id: MEASURE, budget_fen: BUDGET_FEN }).execute();

    // 1. The enterprise rates its closed application: 4 stars and a comment.
    const ent = await h.open({ username: "qiye-banan-manufacturer" });
    await ent.goto(`/applications/${app.id}`);
    const card = ent.locator(".ant-card").filter({ hasText: "满意度评价" });
    await card.getByRole("button", { name: "提交评价" }).waitFor();
    await card.getByRole("button", { name: "提交评价" }).click();
    await card.getByText("请先选择满意度（1～5 星）").waitFor();
    await axe(ent, "c1-满意度评价");
    await card.locator(".ant-rate-star").nth(3).locator("div").first().click();
    await card.getByText("满意", { exact: true }).waitFor();
    await card.getByLabel("评价意见（选填）").fill("审核及时，材料要求清楚");
    await card.getByRole("button", { name: "提交评价" }).click();
    await card.getByText(/已于 .+ 评价，感谢您的反馈/).waitFor();
    expect(await card.getByRole("button", { name: "提交评价" }).count()).toBe(0);
    expect((await card.textContent()) ?? "").toContain("审核及时，材料要求清楚");

    // 2. The coordinator's quarterly report: this quarter has the rating; 兑现率 and 预算执行 are cumulative.
    const coord = await h.open({ username: "banan-coordinator" });
    await coord.goto("/dashboard");
    const perf = coord.locator('section[aria-labelledby="performance-title"]');
    await perf.getByText("企业满意度").waitFor();
    const figures = (await perf.textContent()) ?? "";
    expect(figures).toContain("4.00 分");
    expect(figures).toContain("本季度收到评价 1 条");
    expect(figures).toMatch(/兑现率（按金额）\d+\.\d%/);
    expect(figures).toMatch(/兑现率（按件数）\d+\.\d%/);
    const budgetRow = perf.getByRole("row").filter({ hasText: formatYuanExact(BUDGET_FEN) });
    await budgetRow.waitFor();
    const budgetText = (await budgetRow.textContent()) ?? "";
    expect(budgetText).toContain(
      `${formatYuanExact(grantedFen)}（${((grantedFen / BUDGET_FEN) * 100).toFixed(1)}%）`,
    );
    expect(figures).not.toMatch(/amountRate|fulfilment|null|NaN|undefined/);
    await axe(coord, "c2-季度报告-本季度");

    // The quarter the demo applications were decided in: processing time in working days.
    await coord.getByRole("button", { name: "2022Q4" }).click();
    await coord.getByRole("heading", { name: /2022年第4季度/ }).waitFor();
    await perf.getByText("平均处理时长").waitFor();
    const q4 = (await perf.textContent()) ?? "";
    expect(q4).toMatch(/平均处理时长[\d.]+ 个工作日/);
    expect(q4).toMatch(/90% 在 \d+ 个工作日内/);
    await axe(coord, "c3-季度报告-2022Q4");

    // 3. 审计日志 from the menu: Chinese words, own district only.
    await coord.getByRole("menuitem", { name: "审计日志" }).click();
    await coord.getByRole("heading", { level: 1, name: "审计日志" }).waitFor();
    const table = coord.locator(".ant-table");
    await table.getByText("满意度评价").first().waitFor();
    const rated = coord.getByRole("row").filter({ hasText: "满意度评价" }).first();
    const ratedText = (await rated.textContent()) ?? "";
    expect(ratedText).toContain(app.number);
    expect(ratedText).toContain("企业");
    const text = (await table.textContent()) ?? "";
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
    expect(text).not.toMatch(/application\.|enterprise\.|coordinator|officer/);
    const others = await db
      .selectFrom("enterprises")
      .select(["name"])
      .where("region_code", "<>", "500113")
      .execute();
    for (const o of others) expect(text, `其他区县企业「${o.name}」不应出现`).not.toContain(o.name);
    expect(text).not.toMatch(/500112-|500154-|500156-/);
    await axe(coord, "c4-审计日志");

    // Filter by action kind: only the rating.
    await pickOption(coord, coord.getByLabel("操作类别"), "满意度", /^满意度评价$/);
    await coord.getByText("共 1 条记录（已筛选）").waitFor();
    expect(await coord.locator(".ant-table-tbody tr.ant-table-row").count()).toBe(1);

    // 4. The same page on a phone: cards.
    const phone = await h.open({ username: "banan-coordinator", mobile: true });
    await phone.goto("/audit");
    await phone.getByRole("heading", { level: 1, name: "审计日志" }).waitFor();
    const cards = phone.getByRole("list", { name: "审计记录" });
    await cards.getByText("满意度评价").first().waitFor();
    expect(await phone.locator(".ant-table").count()).toBe(0);
    await axe(phone, "c5-审计日志-手机");

    expect(axeFindings, axeFindings.join("\n")).toEqual([]);
    expect(h.problems, JSON.stringify(h.problems, null, 2)).toEqual([]);
  }, 420_000);
});

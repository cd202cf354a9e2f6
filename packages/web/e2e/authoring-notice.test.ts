/**
 * Issue 10's acceptance, in a real browser: a policy admin imports a short notice written for this test (巴南经信发
 * 〔2026〕21号, uploaded as .docx; the .txt gives the same draft), fixes the draft, encodes the conditions and
 * amounts with the editor's forms, adds cases and sees them pass, runs the impact simulation and submits; a second
 * policy admin approves and it is published; the demo enterprise in 巴南 that fits sees the new measure in its
 * calculator with the amount the notice gives and has a notification naming it, while an earlier 测算日 (before
 * the publication) does not show it. axe on the import review (desktop and phone), the editor's 措施 and 用例
 * tabs and the calculator; no console errors or failed requests.
 */
import { fileURLToPath } from "node:url";
import { startJobs } from "@huiqi/server";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Harness, pickOption, startHarness } from "./harness.ts";

const fixture = (ext: "docx" | "txt") =>
  fileURLToPath(new URL(`./fixtures/banan-rd-notice.${ext}`, import.meta.url));
const DOC = "banan-jxw-2026-21";
const DOC_NUMBER = "巴南经信发〔2026〕21号";
const TITLE = "重庆市巴南区经济和信息化委员会关于印发《巴南区支持中小企业研发创新若干措施》的通知";
const RD_TITLE = "支持企业加大研发投入";
const STAFF_TITLE = "鼓励规上工业企业稳定发展（稳岗奖励）";
/** The date cases are judged on: after the notice took effect (2026-11-20), before today. */
const CASE_DATE = "2026-12-01";

describe("policy authoring acceptance: a notice from upload to an enterprise's calculator", () => {
  let h: Harness;
  /**
   * The push worker, as `huiqi serve` runs it: the harness's platform does not run the job queue on its own, and
   * the notification of a newly published measure is written by a queued job (the library reload's digest).
   */
  let worker: { stop(): Promise<void> } | undefined;
  beforeAll(async () => {
    // A fixed day while the notice is in force (2026-11-20 to 2027-12-31), so the test does not expire with it.
    h = await startHarness(new Date("2026-12-02T02:30:00+08:00"));
    worker = startJobs(h.platform.ctx, { intervalMs: 300 });
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
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
  const status = (page: Page) => page.locator('[role="status"][data-compiled]');
  /** Waits for the editor's live check of the latest change. */
  const settled = async (page: Page) => {
    await page.getByText("正在重新检查…").waitFor({ state: "detached", timeout: 60_000 });
    // On failure the status line and the errors shown are the received value.
    await expect
      .poll(
        async () =>
          (await status(page).getAttribute("data-compiled")) === "true"
            ? "能编译"
            : `${await status(page).textContent()} ${(await page.locator(".ant-alert").allTextContents()).join(" | ")}`,
        { timeout: 20_000 },
      )
      .toBe("能编译");
  };
  /** The innermost card whose header says `title`. */
  const card = (page: Page, title: string) =>
    page
      .locator(".ant-card")
      .filter({ has: page.locator(".ant-card-head", { hasText: title }) })
      .last();
  const docCard = (page: Page) =>
    page.locator(".ant-card").filter({ has: page.getByText(TITLE, { exact: true }) });
  const version = (page: Page, n: number) =>
    docCard(page)
      .locator("tr, .ant-list-item")
      .filter({ hasText: `第 ${n} 版` });

  it("imports the .docx, fixes the draft and saves it; the .txt gives the same draft", async () => {
    const page = await h.open({ username: "policy-admin" });
    await page.goto("/admin/documents");
    await page.getByRole("button", { name: "导入通知原文" }).click();
    await page.getByRole("heading", { name: "导入通知原文" }).waitFor();
    await page.locator('input[type="file"]').setInputFiles(fixture("docx"));
    await page.getByText("识别出 3 项措施").waitFor();
    await field(page, "文件信息 文号").getByText(DOC_NUMBER).waitFor();
    for (const [i, t] of [RD_TITLE, "鼓励规上工业企业稳定发展", "加强企业服务"].entries())
      await field(page, `第 ${i + 1} 项措施 标题`)
        .getByText(t)
        .first()
        .waitFor();
    await noSeriousAxe(page, "n1-导入核对");

    // The district, chosen (the issuer is a 巴南 committee).
    const region = field(page, "文件信息 区县");
    await region.getByRole("button", { name: /^(填写|修改)$/ }).click();
    await region.getByRole("combobox").click();
    await page.keyboard.type("巴南区");
    await page.keyboard.press("Enter");
    await region.getByText("已修改").waitFor();

    // Measure 2's title, fixed in words to name the award.
    const title2 = field(page, "第 2 项措施 标题");
    await title2.getByRole("button", { name: "修改" }).click();
    await title2.getByRole("textbox", { name: "标题" }).fill(STAFF_TITLE);

    // Measure 2's 8万元 is accepted as read.
    const amount2 = field(page, "第 2 项措施 金额");
    await amount2.getByText("8.00 万元").waitFor();
    await amount2.getByRole("button", { name: "采纳", exact: true }).click();

    // Measure 1's base (上年度研发费用) is words, not a fact: it cannot be accepted here; it is left to the editor.
    const amount1 = field(page, "第 1 项措施 金额");
    await amount1.getByText(/计算基数还没有对应到企业信息/).waitFor();
    expect(await amount1.getByRole("button", { name: "采纳", exact: true }).count()).toBe(0);
    await amount1.getByRole("button", { name: "不采纳" }).click();

    await page.getByRole("button", { name: "采纳全部未标待核对的项" }).click();
    for (let guard = 0; guard < 40; guard++) {
      const next = page.locator("fieldset").filter({ hasText: "待处理" }).first();
      if ((await next.count()) === 0) break;
      const accept = next.getByRole("button", { name: "采纳", exact: true });
      if ((await accept.count()) > 0 && (await accept.isEnabled())) await accept.click();
      else await next.getByRole("button", { name: "不采纳" }).click();
    }
    await expect.poll(() => pendingText(page).textContent()).toBe("已全部处理");

    await page.getByLabel(/文件编号/).fill(DOC);
    await page.getByRole("button", { name: "保存为草稿" }).click();
    await page.waitForURL(`**/admin/documents/${DOC}/edit/1`);
    await page.getByText("已保存为草稿：第 1 版，3 项措施").waitFor();
    const row = await h.platform.ctx.db
      .selectFrom("policy_revisions")
      .select(["state", "files"])
      .where("document_id", "=", DOC)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe("draft");
    expect(parse(row.files["document.yaml"] ?? "")).toMatchObject({
      docNumber: DOC_NUMBER,
      regionCode: "500113",
    });
    const measures = parse(row.files["measures.yaml"] ?? "").measures as {
      title: string;
      amount?: unknown;
    }[];
    expect(measures.map((m) => m.title)).toEqual([RD_TITLE, STAFF_TITLE, "加强企业服务"]);
    expect(measures[1]?.amount).toMatchObject({ fixed: 80000 });

    // The same notice as plain text: the same 文号 and measures (not saved); the review at phone size.
    const phone = await h.open({ username: "policy-admin", mobile: true });
    await phone.goto("/admin/documents/new");
    await phone.getByRole("heading", { name: "导入通知原文" }).waitFor();
    await phone.locator('input[type="file"]').setInputFiles(fixture("txt"));
    await phone.getByText("识别出 3 项措施").waitFor();
    await field(phone, "文件信息 文号").getByText(DOC_NUMBER).waitFor();
    await field(phone, "第 2 项措施 金额").getByText("8.00 万元").waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await noSeriousAxe(phone, "n2-导入核对-手机");
  }, 240_000);

  it("adds conditions, amounts and cases in the editor; all cases pass; saves a new draft", async () => {
    const page = await h.open({ username: "policy-admin" });
    await page.goto(`/admin/documents/${DOC}/edit/1`);
    await page.getByRole("heading", { name: `编辑《${TITLE}》` }).waitFor();
    await settled(page);

    const addCondition = async (fact: RegExp, typed: string, quote: string, year?: string, wan?: string) => {
      const builder = card(page, "添加条件");
      await pickOption(page, builder.getByLabel("企业信息"), typed, fact);
      if (year) await builder.getByLabel("年度").fill(year);
      if (wan) await builder.getByLabel("金额", { exact: true }).fill(wan);
      await builder.getByLabel("原文依据").fill(quote);
      await builder.getByRole("button", { name: "添加这一条件" }).click();
    };
    const conditions = page.locator("li[data-condition]");

    // 第 2 条: 规模以上工业企业, a fixed 8 万元.
    await page.getByRole("button", { name: "编辑第 2 条" }).click();
    await expect.poll(() => page.getByLabel("金额", { exact: true }).inputValue()).toBe("8");
    await page.getByText("即 80000 元").waitFor();
    await addCondition(/^规模以上工业企业（规上）$/, "规模以上", "对辖区内规模以上工业企业");
    await addCondition(/^工业企业$/, "工业企业", "规模以上工业企业");
    await expect.poll(() => conditions.count()).toBe(2);
    expect(await conditions.nth(0).textContent()).toContain("规模以上工业企业（规上）");
    expect(await conditions.nth(1).textContent()).toContain("工业企业");
    await settled(page);
    await noSeriousAxe(page, "n3-编辑器-措施表单");
    await page.getByRole("button", { name: "返回措施列表" }).click();

    // 第 1 条: 上年度研发费用 ≥ 100 万元 of a 规上 industrial enterprise; 5% of it, at most 50 万元. The forms take a
    // year, not "the year before the 测算日": applications under this notice are judged in 2026, so 上年度 is 2025.
    await page.getByRole("button", { name: "编辑第 1 条" }).click();
    await addCondition(/^规模以上工业企业（规上）$/, "规模以上", "规模以上工业企业");
    await addCondition(/^研发费用（申报额）/, "研发费用", "上年度研发费用达到100万元及以上", "2025", "100");
    await expect.poll(() => conditions.count()).toBe(2);
    expect(await conditions.nth(1).textContent()).toContain("2025年研发费用（申报额）不低于100");
    const amount = card(page, "金额");
    await amount.getByLabel("金额形式").click();
    const shapes = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)");
    await shapes.locator(".ant-select-item-option").filter({ hasText: "比例×基数（可封顶）" }).click();
    await shapes.waitFor({ state: "hidden" });
    await amount.getByLabel("比例", { exact: true }).fill("5");
    await pickOption(page, amount.getByLabel("基数", { exact: true }), "研发费用", /^研发费用（申报额）$/);
    await amount.getByLabel("年度", { exact: true }).fill("2025");
    await amount.getByLabel("封顶金额（不封顶则留空）", { exact: true }).fill("50");
    await amount.getByText("即 500000 元").waitFor();
    await settled(page);
    await page.getByRole("button", { name: "返回措施列表" }).click();
    const list = page.locator('[aria-label="措施列表"]');
    await expect.poll(() => list.textContent()).toMatch(/按 5%，最高 50(\.0+)?万元/);

    // Cases: facts in, outcome and amount out.
    await page.getByRole("tab", { name: "用例" }).click();
    await page.getByText(/共 \d+ 个用例/).waitFor();
    const addCase = async (
      measure: string,
      c: {
        name: string;
        facts: { label: string; typed: string; year?: number; value: string | boolean }[];
        outcome: "符合" | "不符合";
        amount: string | null;
      },
    ) => {
      await card(page, measure)
        .getByRole("button", { name: /^(plus )?添加$/ })
        .click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("用例名称").fill(c.name);
      const date = dialog.getByLabel("测算日");
      await date.click();
      await date.fill(CASE_DATE);
      await date.press("Enter");
      for (const [i, f] of c.facts.entries()) {
        await dialog.getByRole("button", { name: "添加企业信息" }).click();
        await pickOption(page, dialog.getByLabel("信息项").last(), f.typed, new RegExp(`^${f.label}$`));
        const row = dialog.locator(".ant-card").filter({ hasText: `第 ${i + 1} 项` });
        if (f.year !== undefined) await row.getByLabel("年份").fill(String(f.year));
        if (typeof f.value === "boolean")
          await row.getByRole("radio", { name: f.value ? "是" : "否", exact: true }).check();
        else if (f.label === "所在区县")
          await pickOption(page, row.getByLabel(f.label), f.value.slice(0, 2), new RegExp(`^${f.value}$`));
        else await row.getByLabel(/研发费用/).fill(f.value);
      }
      await dialog.getByRole("radio", { name: c.outcome, exact: true }).check();
      if (c.amount === null) await dialog.getByRole("radio", { name: "无金额" }).check();
      else await dialog.getByLabel("金额（元）").fill(c.amount);
      await dialog.getByRole("button", { name: "写入用例" }).click();
      await dialog.waitFor({ state: "hidden" });
    };
    const banan = { label: "所在区县", typed: "所在区县", value: "巴南区" };
    const aboveScale = (v: boolean) => ({ label: "规模以上工业企业（规上）", typed: "规模以上", value: v });
    const industrial = { label: "工业企业", typed: "工业企业", value: true };
    const rd = (v: string) => ({ label: "研发费用（申报额）", typed: "研发费用", year: 2025, value: v });
    const cases = [
      {
        measure: `第2条 ${STAFF_TITLE}`,
        name: "规上工业企业获稳岗奖励8万元",
        facts: [banan, aboveScale(true), industrial],
        outcome: "符合" as const,
        amount: "80000",
      },
      {
        measure: `第2条 ${STAFF_TITLE}`,
        name: "规下企业不符合稳岗奖励",
        facts: [banan, aboveScale(false), industrial],
        outcome: "不符合" as const,
        amount: null,
      },
      {
        measure: `第1条 ${RD_TITLE}`,
        name: "上年研发费用200万元补助10万元",
        facts: [banan, aboveScale(true), rd("2000000")],
        outcome: "符合" as const,
        amount: "100000",
      },
      {
        measure: `第1条 ${RD_TITLE}`,
        name: "上年研发费用2000万元补助封顶50万元",
        facts: [banan, aboveScale(true), rd("20000000")],
        outcome: "符合" as const,
        amount: "500000",
      },
      {
        measure: `第1条 ${RD_TITLE}`,
        name: "上年研发费用80万元不符合",
        facts: [banan, aboveScale(true), rd("800000")],
        outcome: "不符合" as const,
        amount: null,
      },
    ];
    for (const c of cases) await addCase(c.measure, c);
    for (const c of cases) {
      const row = page.locator("li").filter({ hasText: c.name });
      await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain("通过");
      expect(await row.textContent(), c.name).not.toContain("未通过");
    }
    await settled(page);
    await noSeriousAxe(page, "n4-编辑器-用例");

    await page.getByRole("tab", { name: "措施" }).click();
    await noSeriousAxe(page, "n5-编辑器-措施列表");
    const line = await status(page).textContent();
    expect(line).toContain("能编译");
    expect(line).toMatch(/用例 通过 \d+/);
    expect(line).not.toMatch(/未通过 [1-9]/);
    expect(line).not.toContain("用例不足");

    await page.getByLabel("修改说明（选填）").fill("补写申请条件、研发补助的计算方式和用例");
    await page.getByRole("button", { name: "保存为新草稿" }).click();
    await page.waitForURL(`**/admin/documents/${DOC}/edit/2`);
    await page.getByText("已保存为第 2 版草稿").first().waitFor();
    const saved = await h.platform.ctx.db
      .selectFrom("policy_revisions")
      .select("files")
      .where("document_id", "=", DOC)
      .where("revision", "=", 2)
      .executeTakeFirstOrThrow();
    const m = parse(saved.files["measures.yaml"] ?? "").measures as {
      amount?: unknown;
      eligibility?: unknown;
    }[];
    expect(m[0]?.amount).toEqual({ cap: 500000, amount: { rate: "5%", base: "rdExpense[2025]" } });
    expect(JSON.stringify(m[0]?.eligibility)).toContain("rdExpense[2025] >= 1000000");
    expect(m[1]?.amount).toMatchObject({ fixed: 80000 });
    expect(JSON.stringify(m[1]?.eligibility)).toContain("aboveScale");
    expect(parse(saved.files["cases.yaml"] ?? "").cases).toHaveLength(cases.length);
  }, 300_000);

  it("runs the impact simulation, submits, and a second admin publishes", async () => {
    const author = await h.open({ username: "policy-admin" });
    await author.goto("/admin/documents");
    await author.getByRole("heading", { name: "政策文件版本" }).waitFor();
    const draft = version(author, 2);
    await draft.getByRole("button", { name: "影响测算" }).click();
    const modal = author.getByRole("dialog");
    await modal.getByText("符合的企业").waitFor({ timeout: 60_000 });
    // A new document: nobody fits the (absent) published version; the demo enterprises in 巴南 that fit are counted.
    const totals = (await modal.textContent()) ?? "";
    expect(totals).toMatch(/符合的企业\s*现行 0 户 → 修订 [1-9]\d* 户/);
    expect(totals).toMatch(/保底合计\s*现行 [^→]+→ 修订 [1-9][\d,]*\.\d\d ?元/);
    await modal.getByRole("tab", { name: "增减名单" }).click();
    await modal.getByText("重庆巴渝精工机械有限公司").first().waitFor();
    await noSeriousAxe(author, "n6-影响测算");
    await author.keyboard.press("Escape");
    await modal.waitFor({ state: "hidden" });
    await draft.getByRole("button", { name: "提交审核" }).click();
    await expect.poll(() => draft.textContent()).toContain("待审核");

    const reviewer = await h.open({ username: "policy-reviewer" });
    await reviewer.goto("/admin/documents");
    const row = version(reviewer, 2);
    await row.getByRole("button", { name: "通过并发布" }).click();
    const confirm = reviewer.getByRole("dialog");
    await confirm.getByText(/发布后立即生效/).waitFor();
    await confirm.getByRole("button", { name: "确认发布" }).click();
    await expect.poll(() => row.textContent()).toContain("现行");
    expect(h.platform.ctx.engine.byId.get(`${DOC}/2`)?.def.title).toBe(STAFF_TITLE);
  }, 240_000);

  it("the enterprise that fits sees it in its calculator and is notified; an earlier date does not show it", async () => {
    const ent = await h.open({ username: "qiye-banan-manufacturer" });
    await ent.goto("/calculator");
    await ent.getByRole("heading", { name: "政策计算器", level: 1 }).waitFor();
    const money = ent.locator("section[aria-labelledby=h-money]");
    const item = money.locator(".ant-card").filter({ hasText: STAFF_TITLE });
    await item.waitFor();
    expect(await item.textContent()).toContain("8万元");
    await noSeriousAxe(ent, "n7-政策计算器");

    // The digest is written by the worker started above; it may take a few of its rounds.
    await expect
      .poll(
        async () => {
          await ent.goto("/notifications");
          await ent.getByRole("heading", { level: 1 }).waitFor();
          await ent.waitForLoadState("networkidle");
          return ent.getByText(STAFF_TITLE).count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    expect(await ent.getByText(/「鼓励规上工业企业稳定发展（稳岗奖励）」（8万元）/).count()).toBeGreaterThan(
      0,
    );

    // A 测算日 within the notice's own period but before the publication: the library as it stood then.
    await ent.goto("/calculator");
    await item.waitFor();
    const past = "2026-11-25";
    const asOf = ent.getByLabel("政策测算日");
    await asOf.click();
    await asOf.fill(past);
    await asOf.press("Enter");
    await ent.getByText(`正在查看 ${past} 的政策（历史测算）`).waitFor();
    await ent.waitForLoadState("networkidle");
    await money.waitFor();
    expect(await ent.getByText(STAFF_TITLE).count()).toBe(0);
    // Exact: the seeded 巴南 document has a 「支持企业加大研发投入（研发费用后补助）」 of its own.
    expect(await ent.getByRole("link", { name: RD_TITLE, exact: true }).count()).toBe(0);
    // And back to today, where it is listed again.
    await ent.getByRole("button", { name: "回到今天", exact: true }).click();
    await money.getByText(STAFF_TITLE).first().waitFor();
    expect(h.problems).toEqual([]);
  }, 240_000);
});

/**
 * 免申即享 acceptance in a real browser (Chromium) on the demo data: the policy admin flags a measure in the UI
 * (the demo already flags 开州 新升规奖励); the 开州区经济信息委 officer imports the demo registry and
 * statistics files, sees the import report, opens the 免申即享 measure's eligible list, sees the evidence (部门数据
 * file and row) and the engine's explanation, confirms several enterprises (the dialog's count and exact
 * total checked) and puts them on public notice; finance sees them on 兑付管理; the enterprises are notified,
 * and one with an account sees the grant tagged 免申即享 in 我的申报 and confirms its 收款账户.
 * axe at desktop and phone widths; no console errors.
 */
import { fileURLToPath } from "node:url";
import { startJobs } from "@huiqi/server";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshMatchLists } from "../../server/src/batch/lists.ts";
import { type Harness, startHarness } from "./harness.ts";

const example = (name: string) =>
  fileURLToPath(new URL(`../../../examples/imports/${name}`, import.meta.url));
const MEASURE = "kaizhou-2023-27/1";
const TITLE = "培育小微企业发展壮大（新升规奖励）";
const CONFIRM = ["重庆汉丰汽车零部件有限公司", "重庆汉丰精密机械有限公司", "重庆白鹤铸造股份有限公司"];

describe("免申即享", () => {
  let h: Harness;
  let worker: { stop(): Promise<void> } | undefined;
  const axeFindings: string[] = [];

  async function axe(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    await h.shot(page, name);
    for (const f of await h.seriousAxe(page)) axeFindings.push(`${name}: ${f}`);
  }

  async function importFile(page: Page, kind: string, file: string) {
    await page.locator("label.ant-radio-button-wrapper", { hasText: kind }).click();
    await page.locator('input[type="file"]').setInputFiles(example(file));
    const dialog = page.getByRole("dialog");
    await dialog.getByText(`将把「${file}」作为${kind}导入到 开州区，已核实的数据不会被覆盖。`).waitFor();
    await dialog.getByRole("button", { name: "确认导入" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page
      .locator(".ant-card")
      .filter({ hasText: `导入结果：${file}` })
      .waitFor();
  }

  beforeAll(async () => {
    h = await startHarness();
    worker = startJobs(h.platform.ctx, { intervalMs: 300 });
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await h?.close();
  });

  it("a policy admin flags a measure; the library and the measure page show the tag", async () => {
    const admin = await h.open({ username: "policy-admin" });
    await admin.goto("/admin/exemption");
    await admin.getByRole("heading", { level: 1, name: "免申即享措施" }).waitFor();
    await admin
      .getByText(/只适合|可由政府数据判定/)
      .first()
      .waitFor();
    await admin.getByLabel("按措施名称查找").fill("综合十强");
    const flag = admin.getByRole("button", { name: /^标为免申即享：.*综合十强/ });
    await flag.click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByText(/企业无需申请/).waitFor();
    await dialog.getByRole("button", { name: "确认标为免申即享" }).click();
    // The job worker runs in this process beside the server (PGlite, one thread): allow for its start-up batch.
    await admin.getByRole("button", { name: /^取消免申即享：.*综合十强/ }).waitFor({ timeout: 90_000 });
    await axe(admin, "exemption-admin");
    const flags = await h.platform.ctx.db
      .selectFrom("exemption_flags")
      .select(["measure_id", "flagged"])
      .where("measure_id", "=", "kaizhou-2023-27/2.1")
      .execute();
    expect(flags).toEqual([{ measure_id: "kaizhou-2023-27/2.1", flagged: true }]);

    // The demo's 免申即享 measure carries the tag on its public page.
    const visitor = await h.open();
    await visitor.goto(`/measures/${MEASURE}`);
    await visitor.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    await visitor.locator(".ant-tag", { hasText: "免申即享" }).first().waitFor();
  }, 300_000);

  it("the lead department imports, confirms several enterprises; finance sees them; the enterprises are told", async () => {
    const officer = await h.open({ username: "kaizhou-economy-it" });
    await officer.goto("/imports");
    await officer.getByRole("heading", { level: 1, name: "数据导入" }).waitFor();
    await importFile(officer, "企业名录", "registry.csv");
    await importFile(officer, "统计数据", "statistics.csv");
    await axe(officer, "exemption-import-report");
    // The imports queue follow-up jobs (list refreshes, digests) that the in-process worker runs on the same
    // single-threaded PGlite as the server: let them drain so the confirmation below is not timed against them.
    for (let i = 0; i < 600; i++) {
      const pending = await h.platform.ctx.db
        .selectFrom("outbox")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("status", "=", "pending")
        .executeTakeFirstOrThrow();
      if (Number(pending.n) === 0) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    // The worker's jobs after an import refresh the district's match lists; give them a few seconds, then
    // refresh in-process (what the job does) so the test does not hang on the worker's timing.
    const listed = async () =>
      (
        await h.platform.ctx.db
          .selectFrom("match_lists as l")
          .innerJoin("enterprises as e", "e.id", "l.enterprise_id")
          .select("e.name")
          .where("l.measure_id", "=", MEASURE)
          .where("e.name", "in", CONFIRM)
          .execute()
      ).length;
    for (let i = 0; i < 30 && (await listed()) < CONFIRM.length; i++)
      await new Promise((r) => setTimeout(r, 300));
    if ((await listed()) < CONFIRM.length) {
      const kaizhou = await h.platform.ctx.db
        .selectFrom("enterprises")
        .select("id")
        .where("region_code", "=", "500154")
        .execute();
      await refreshMatchLists(
        h.platform.ctx,
        kaizhou.map((e) => e.id),
      );
    }

    await officer.goto("/exemption");
    await officer.getByRole("heading", { level: 1, name: "免申即享" }).waitFor();
    await officer.getByRole("link", { name: TITLE }).click();
    await officer.getByRole("heading", { level: 1, name: `免申即享名单：${TITLE}` }).waitFor();
    const table = officer.getByRole("table");
    for (const name of CONFIRM) await table.getByText(name).waitFor();
    const row = officer.locator("tr", { hasText: CONFIRM[0] });
    expect(await row.textContent()).toContain("200,000.00元");
    expect(await row.textContent()).toMatch(/statistics\.csv 第 \d+ 行/);
    expect(await row.textContent()).toContain("部门数据");
    await row.getByRole("button", { name: "查看解释" }).click();
    await officer.getByText(/引擎解释（测算日/).waitFor();
    await axe(officer, "exemption-list");

    // An exclusion made by mistake is undone: 排除 with a reason, then 恢复 with a reason.
    const last = CONFIRM[2] as string;
    const lastRow = officer.locator("tr", { hasText: last });
    await officer.getByRole("checkbox", { name: `选择 ${last}` }).check();
    await officer.getByRole("button", { name: "排除（1 家）" }).click();
    let reasonDialog = officer.getByRole("dialog", { name: "排除所选企业" });
    await reasonDialog.getByLabel("排除理由").fill("疑似已迁出本区，待核实");
    await reasonDialog.getByRole("button", { name: "确认排除" }).click();
    await lastRow.getByText("已排除：疑似已迁出本区，待核实").waitFor();
    await officer.getByRole("checkbox", { name: `选择 ${last}` }).check();
    await officer.getByRole("button", { name: "恢复（1 家）" }).click();
    reasonDialog = officer.getByRole("dialog", { name: "恢复所选企业" });
    await reasonDialog.getByText(/原排除理由保留在审计日志中/).waitFor();
    await reasonDialog.getByLabel("恢复理由").fill("已核实仍在本区经营");
    await reasonDialog.getByRole("button", { name: "确认恢复" }).click();
    await expect
      .poll(async () => (await lastRow.textContent()) ?? "", { timeout: 30_000 })
      .not.toContain("已排除");

    for (const name of CONFIRM) await officer.getByRole("checkbox", { name: `选择 ${name}` }).check();
    await officer.getByRole("button", { name: /^确认兑现（3 家/ }).click();
    const dialog = officer.getByRole("dialog");
    await dialog.getByText("将为 3 家企业生成已通过的免申即享兑付，共 600,000.00元。").waitFor();
    await dialog.getByRole("button", { name: "确认兑现" }).click();
    // Each enterprise is re-evaluated in its own transaction; under a loaded CI machine this can take a while.
    await officer.getByText("确认结果").waitFor({ timeout: 90_000 });
    for (const name of CONFIRM)
      await officer
        .locator(".ant-alert")
        .getByText(new RegExp(`${name}：已生成兑现 500154-`))
        .waitFor();

    // The new grants wait for their public notice: put them on notice from the list.
    for (const name of CONFIRM) await officer.getByRole("checkbox", { name: `选择 ${name}` }).check();
    await officer.getByRole("button", { name: /^发起公示（3 笔）/ }).click();
    await officer.getByRole("dialog").getByRole("button", { name: "发起公示" }).click();
    await officer.getByText("已发起公示 3 笔").waitFor();

    const phone = await h.open({ username: "kaizhou-economy-it", mobile: true });
    await phone.goto(`/exemption/${MEASURE}`);
    await phone.getByRole("heading", { level: 1, name: `免申即享名单：${TITLE}` }).waitFor();
    await phone
      .getByText(CONFIRM[0] as string)
      .first()
      .waitFor();
    await axe(phone, "exemption-list-phone");

    // Finance: on notice, tagged 免申即享, waiting for the enterprises' accounts.
    const finance = await h.open({ username: "kaizhou-finance" });
    await finance.goto("/finance");
    await finance.getByRole("heading", { level: 1, name: "兑付管理" }).waitFor();
    for (const name of CONFIRM) await finance.getByText(name).first().waitFor();
    await finance.locator(".ant-tag", { hasText: "免申即享" }).first().waitFor();
    await finance.getByText("待企业确认收款账户").first().waitFor();
    await axe(finance, "exemption-finance");

    // Notifications (the worker runs the exemption.granted jobs).
    const ids = await h.platform.ctx.db
      .selectFrom("enterprises")
      .select(["id", "name"])
      .where("name", "in", CONFIRM)
      .execute();
    for (let i = 0; i < 50; i++) {
      const n = await h.platform.ctx.db
        .selectFrom("notifications")
        .select("enterprise_id")
        .where("kind", "=", "exemption.granted")
        .where(
          "enterprise_id",
          "in",
          ids.map((e) => e.id),
        )
        .execute();
      if (n.length === CONFIRM.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const told = await h.platform.ctx.db
      .selectFrom("notifications")
      .select(["enterprise_id", "body"])
      .where("kind", "=", "exemption.granted")
      .execute();
    expect(told.filter((n) => ids.some((e) => e.id === n.enterprise_id))).toHaveLength(3);
    expect(told.every((n) => n.body.includes("您已获得免申即享政策兑现"))).toBe(true);

    // An enterprise with an account: the message, 我的申报 tagged 免申即享, the account confirmed.
    const ent = await h.open({ username: "qiye-kaizhou-31", mobile: true });
    await ent.goto("/notifications");
    await ent
      .getByText(/您已获得免申即享政策兑现/)
      .first()
      .waitFor();
    await ent.goto("/applications");
    await ent.getByRole("heading", { level: 1, name: "我的申报" }).waitFor();
    const card = ent.locator("li", { hasText: TITLE });
    await card.locator(".ant-tag", { hasText: "免申即享" }).waitFor();
    await axe(ent, "exemption-my-applications-phone");
    await card.getByRole("link", { name: TITLE }).click();
    await ent.getByRole("heading", { level: 1, name: "申报详情" }).waitFor();
    await ent.getByText(/请确认收款账户/).waitFor();
    await ent.getByLabel("联系人").fill("王芳");
    await ent.getByLabel("联系电话").fill("023-52221234");
    await ent.getByLabel("开户银行").fill("重庆农村商业银行开州支行");
    await ent.getByLabel("银行账号").fill("6222021234567890");
    await ent.getByRole("button", { name: "确认收款账户" }).click();
    await ent.getByText("收款账户已确认，公示期满后由区财政局兑付。").waitFor();
    await axe(ent, "exemption-account-phone");

    expect(axeFindings, axeFindings.join("\n")).toEqual([]);
    expect(h.problems, JSON.stringify(h.problems, null, 2)).toEqual([]);
  }, 600_000);
});

/**
 * “专精特新”梯度培育 and 白名单 in a real browser (Chromium) on the demo data: the policy admin sees every demo
 * enterprise's tier district by district; the 武隆区 officer sees the candidates with the engine's gaps in plain
 * Chinese (重庆江口生物制药有限公司: 研发费用占比还差 0.6 个百分点) and the Wulong 2025 targets against the actual
 * counts; the 武隆区 coordinator sees the district's and the city's 白名单; an enterprise sees its tier and the
 * lists it is on. axe-core at desktop and phone size.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

// An array, not an object: integer-like keys would be visited in numeric order.
const DISTRICTS: [string, string][] = [
  ["500156", "武隆区"],
  ["500113", "巴南区"],
  ["500112", "渝北区"],
  ["500154", "开州区"],
];

describe("梯度培育与白名单", () => {
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

  it("tiers of every demo enterprise, a candidate's gap, the Wulong targets, the lists an enterprise is on", async () => {
    const db = h.platform.ctx.db;
    // 1. The policy admin walks the four districts: every demo enterprise appears with its tier.
    const admin = await h.open({ username: "policy-admin" });
    await admin.goto("/services/ladder");
    await admin.getByRole("heading", { level: 1, name: "梯度培育" }).waitFor();
    let seen = 0;
    for (const [code, name] of DISTRICTS) {
      if (code !== "500156") {
        await admin.getByLabel("选择区县").click();
        await admin.locator(`.ant-select-item-option[title="${name}"]`).click();
      }
      await admin.getByRole("heading", { name: new RegExp(`^${name}各级企业`) }).waitFor();
      const enterprises = await db
        .selectFrom("enterprises")
        .select("name")
        .where("region_code", "=", code)
        .execute();
      const table = admin.locator(".ant-card").filter({ hasText: "企业所在梯度" }).locator("tbody");
      for (const e of enterprises) {
        const row = table.locator("tr").filter({ hasText: e.name }).first();
        const tier = (await row.locator("td").nth(1).textContent())?.trim();
        expect(["储备", "创新型中小企业", "市级专精特新", "国家级“小巨人”", "上市培育"], e.name).toContain(
          tier,
        );
        seen++;
      }
    }
    expect(seen).toBe(50);
    await axe(admin, "ladder-admin");

    // 2. The Wulong officer: every tier has enterprises, a candidate's gap in Chinese, the targets vs actual.
    const officer = await h.open({ username: "wulong-economy-it" });
    await officer.goto("/services/ladder");
    await officer.getByRole("heading", { name: /^武隆区各级企业/ }).waitFor();
    const candidate = officer
      .locator(".ant-list-item")
      .filter({ hasText: "重庆江口生物制药有限公司（现为创新型中小企业）" });
    await candidate.getByText("上年度研发费用总额占营业收入总额比重还差 0.6 个百分点").waitFor();
    await candidate.getByText("尚未达标").waitFor();
    await officer
      .locator(".ant-list-item")
      .filter({ hasText: "重庆羊角新材料股份有限公司（现为创新型中小企业）" })
      .getByText("已符合认定条件，可申报")
      .waitFor();
    await officer.getByText("创新能力指标得分还差 5 分").waitFor();
    const target = officer.getByRole("listitem", { name: "全区创新型中小企业数量" });
    await target.getByText(/^2025年目标 200 家，实际 \d+ 家/).waitFor();
    await target.getByText("文件原文：“到2025年，力争全区创新型中小企业达到200家”").waitFor();
    const giant = officer.getByRole("listitem", { name: "纳入重点培育的国家专精特新“小巨人”企业数量" });
    await giant.getByText("2025年目标 1 家，实际 1 家").waitFor();
    await giant.getByText(/2025年 1 家/).waitFor();
    await officer.getByText(/认定以主管部门按现行认定标准的审核结果为准/).waitFor();
    await axe(officer, "ladder-officer");

    // 3. The Wulong coordinator sees the district's list and the city's.
    const coord = await h.open({ username: "wulong-coordinator" });
    await coord.goto("/services/whitelists");
    await coord.getByRole("heading", { level: 1, name: "白名单" }).waitFor();
    await coord.getByRole("heading", { name: "武隆区产业链供应链重点企业白名单（2026年）" }).waitFor();
    await coord.getByRole("heading", { name: "重庆市城市运行保障企业白名单" }).waitFor();
    await coord.getByRole("button", { name: "查看武隆区产业链供应链重点企业白名单（2026年）的企业" }).click();
    await coord.locator(".ant-drawer").getByText("重庆武隆仙女山食品有限公司").waitFor();
    await axe(coord, "whitelists-coordinator");
    // The quarterly report's ladder section: the same targets and counts as the ladder page.
    await coord.goto("/dashboard");
    const ladder = coord.locator('section[aria-labelledby="ladder-title"]');
    await ladder.getByRole("heading", { name: "“专精特新”梯度培育" }).waitFor();
    // It opens on the latest quarter with applications (the demo's are from 2023, counted as of that quarter's
    // end); today's quarter counts as of today, like the ladder page.
    const today = new Date(h.now().getTime() + 8 * 3600_000);
    const [year, quarter] = [today.getUTCFullYear(), Math.floor(today.getUTCMonth() / 3) + 1];
    await coord.getByLabel("年度").click();
    await coord.locator(`.ant-select-item-option[title="${year}年"]`).click();
    await coord.getByLabel("季度").click();
    await coord.locator(`.ant-select-item-option[title="第${quarter}季度"]`).click();
    await coord.getByRole("heading", { name: new RegExp(`${year}年第${quarter}季度`) }).waitFor();
    const giantRow = ladder.getByRole("row").filter({ hasText: "国家级“小巨人”" });
    await giantRow.getByText("2025年目标 1 家（实际 1 家）").waitFor();
    await ladder
      .getByRole("row")
      .filter({ hasText: "创新型中小企业" })
      .getByText(/^2025年目标 200 家（实际 \d+ 家）$/)
      .waitFor();
    await ladder.getByText(/目标出自武隆府办发〔2022〕\d+号/).waitFor();
    await coord
      .locator('section[aria-labelledby="services-title"]')
      .getByText(/企业吹哨·部门报到/)
      .waitFor();
    await axe(coord, "report-ladder-coordinator");

    // 4. The enterprise sees its tier and the lists it is on.
    const ent = await h.open({ username: "qiye-wulong-srdi" });
    await ent.goto("/services/standing");
    await ent.getByRole("heading", { level: 1, name: "梯度与白名单" }).waitFor();
    await ent.getByText("市级专精特新", { exact: true }).waitFor();
    const lists = ent.locator(".ant-card").filter({ hasText: "所在白名单" });
    await lists.getByText("武隆区产业链供应链重点企业白名单（2026年）").waitFor();
    await lists.getByText("重庆市城市运行保障企业白名单").waitFor();
    await lists
      .getByText(/落实“白名单”制度/)
      .first()
      .waitFor();
    await axe(ent, "standing-enterprise");

    // 5. Phones.
    const officerPhone = await h.open({ username: "wulong-economy-it", mobile: true });
    await officerPhone.goto("/services/ladder");
    await officerPhone.getByText("上年度研发费用总额占营业收入总额比重还差 0.6 个百分点").waitFor();
    await axe(officerPhone, "ladder-officer-phone");
    const entPhone = await h.open({ username: "qiye-wulong-8", mobile: true });
    await entPhone.goto("/services/standing");
    await entPhone.getByText("上年度研发费用总额占营业收入总额比重还差 0.6 个百分点").waitFor();
    await axe(entPhone, "standing-enterprise-phone");
    const coordPhone = await h.open({ username: "wulong-coordinator", mobile: true });
    await coordPhone.goto("/services/whitelists");
    await coordPhone.getByRole("heading", { name: "重庆市城市运行保障企业白名单" }).waitFor();
    await axe(coordPhone, "whitelists-coordinator-phone");

    expect(axeFindings, axeFindings.join("\n")).toEqual([]);
    expect(h.problems, JSON.stringify(h.problems, null, 2)).toEqual([]);
  }, 420_000);
});

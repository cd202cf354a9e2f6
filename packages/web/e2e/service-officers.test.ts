/**
 * 服务专员 in a real browser (Chromium) on the demo data: the 巴南区 coordinator assigns an officer to
 * 重庆巴渝精工机械有限公司 (qiye-banan-manufacturer) on 诉求督办, then changes it (confirming who stops
 * receiving the requests); the enterprise sees its officer's name and office phone on 企业吹哨 and raises a
 * request, which goes to the officer first; the officer sees the enterprise on 我的企业 and the request at
 * the top of the queue. axe-core at desktop and phone size.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

const ENTERPRISE = "重庆巴渝精工机械有限公司";

describe("服务专员", () => {
  let h: Harness;
  const axeFindings: string[] = [];

  async function axe(page: Page, name: string) {
    await page.waitForLoadState("networkidle");
    await h.shot(page, name);
    for (const f of await h.seriousAxe(page)) axeFindings.push(`${name}: ${f}`);
  }

  async function chooseOfficer(page: Page, name: string) {
    const modal = page.getByRole("dialog");
    await modal.getByLabel("服务专员", { exact: true }).click();
    await page.locator(`.ant-select-item-option[title^="${name}"]`).click();
  }

  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it("assign, change with confirmation, the enterprise sees the officer, its request goes to the officer first", async () => {
    // 1. The coordinator finds the enterprise and assigns the 科技局 officer, then changes to 经济信息委.
    const coord = await h.open({ username: "banan-coordinator" });
    await coord.goto("/services/oversight");
    await coord.getByRole("heading", { level: 1, name: "诉求督办" }).waitFor();
    await coord.getByLabel("按企业名称搜索").fill("巴渝精工");
    await coord.getByLabel("按企业名称搜索").press("Enter");
    await coord.getByRole("button", { name: `指定${ENTERPRISE}的服务专员` }).click();
    await chooseOfficer(coord, "巴南区科技局经办人");
    await coord.getByRole("button", { name: "确认指定" }).click();
    await coord.getByText("服务专员：巴南区科技局经办人（区科技局）").first().waitFor();

    await coord.getByRole("button", { name: `更换${ENTERPRISE}的服务专员` }).click();
    await chooseOfficer(coord, "巴南区经济信息委经办人");
    await coord
      .getByText(
        `将把 ${ENTERPRISE} 的服务专员由 巴南区科技局经办人 改为 巴南区经济信息委经办人，巴南区科技局经办人 不再收到该企业的诉求。`,
      )
      .waitFor();
    await axe(coord, "officers-coordinator-confirm");
    await coord.getByRole("button", { name: "确认更换" }).click();
    await coord.getByText("服务专员：巴南区经济信息委经办人（区经济信息委）").first().waitFor();
    await axe(coord, "officers-coordinator");

    // 2. The enterprise sees its officer: name, department, office phone as a tel: link, and the basis.
    const ent = await h.open({ username: "qiye-banan-manufacturer" });
    await ent.goto("/services");
    await ent.getByRole("heading", { level: 1, name: "企业吹哨" }).waitFor();
    const card = ent.locator(".ant-card").filter({ hasText: "我的服务专员" });
    await card.getByText("巴南区经济信息委经办人").waitFor();
    await card.getByText("区经济信息委").first().waitFor();
    const phone = card.getByRole("link", { name: /^023-\d{8}$/ });
    expect(await phone.getAttribute("href")).toMatch(/^tel:023\d{8}$/);
    await card.getByText(/按照“一企一策一人”配备服务专员/).waitFor();
    await axe(ent, "officers-enterprise");

    // 3. It raises a 融资 request (normally the 金融办's): it goes to the officer's 经济信息委.
    await ent.getByLabel("诉求类别").click();
    await ent.locator('.ant-select-item-option[title="融资"]').click();
    await ent.getByLabel("诉求说明").fill("新接订单需要流动资金约 300 万元，希望对接银行");
    await ent.getByRole("button", { name: "提交诉求" }).click();
    const drawer = ent.locator(".ant-drawer-section");
    await drawer.getByText("办理经过").first().waitFor();
    const title = await drawer.locator(".ant-drawer-title").textContent();
    const number = (title ?? "").replace("诉求 ", "");
    expect(number).toMatch(/^500113-\d{4}-\d{6}$/);
    await drawer
      .getByText(/区经济信息委/)
      .first()
      .waitFor();

    // 4. The officer: 我的企业 lists the enterprise with the open request; the queue has it first.
    const officer = await h.open({ username: "banan-economy-it" });
    await officer.goto("/services/my-enterprises");
    await officer.getByRole("heading", { level: 1, name: "我的企业" }).waitFor();
    const mine = officer.locator(".ant-card").filter({ hasText: ENTERPRISE });
    await mine.getByText("未办结诉求 1 件").waitFor();
    await axe(officer, "officers-my-enterprises");
    await mine.getByRole("link", { name: "去诉求办理受理和答复" }).click();
    await officer.getByRole("heading", { level: 1, name: "诉求办理" }).waitFor();
    const first = officer.locator(".ant-card").first();
    await first.getByText(number).waitFor();
    // The card and the detail name the officer the request went to first.
    await first.getByText("服务专员：巴南区经济信息委经办人").waitFor();
    await officer.getByRole("button", { name: `办理诉求 ${number}` }).click();
    const detail = officer.locator(".ant-drawer-section");
    await detail.getByRole("button", { name: "报到受理" }).waitFor();
    await detail
      .getByRole("row")
      .filter({ hasText: "服务专员" })
      .getByText("巴南区经济信息委经办人")
      .waitFor();

    // The former officer no longer has the enterprise.
    const former = await h.open({ username: "banan-science-tech" });
    await former.goto("/services/my-enterprises");
    await former.getByText("区发展改革委还没有指定您为哪家企业的服务专员。").waitFor();

    // 5. Phones.
    const entPhone = await h.open({ username: "qiye-banan-manufacturer", mobile: true });
    await entPhone.goto("/services");
    await entPhone.getByText("我的服务专员").waitFor();
    await axe(entPhone, "officers-enterprise-phone");
    const offPhone = await h.open({ username: "banan-economy-it", mobile: true });
    await offPhone.goto("/services/my-enterprises");
    await offPhone.getByText("未办结诉求 1 件").waitFor();
    await axe(offPhone, "officers-my-enterprises-phone");
    const coordPhone = await h.open({ username: "banan-coordinator", mobile: true });
    await coordPhone.goto("/services/oversight");
    await coordPhone.getByText("服务专员：巴南区经济信息委经办人（区经济信息委）").first().waitFor();
    await axe(coordPhone, "officers-coordinator-phone");

    expect(axeFindings, axeFindings.join("\n")).toEqual([]);
    expect(h.problems, JSON.stringify(h.problems, null, 2)).toEqual([]);
  }, 300_000);
});

/**
 * The README's screenshots, desktop and phone, taken from the real app on every run (so a page that breaks,
 * logs an error or fails axe fails here). They land in the run's screenshot folder; `npm run screenshots`
 * (UPDATE_SCREENSHOTS=1) also writes them to docs/screenshots for the README.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";

const DOCS = fileURLToPath(new URL("../../../docs/screenshots", import.meta.url));

interface Shot {
  file: string;
  /** Signed in as this demo account; anonymous when absent. */
  user?: string;
  path: string;
  mobile: boolean;
  /** Waits for the page's content (and may click into a detail page). */
  ready(page: Page): Promise<void>;
}

const heading = (name: string | RegExp) => async (p: Page) => {
  await p.getByRole("heading", { name, level: 1 }).first().waitFor();
};

const SHOTS: Shot[] = [
  {
    file: "calculator",
    user: "qiye-kaizhou-manufacturer",
    path: "/calculator",
    mobile: false,
    ready: heading("政策计算器"),
  },
  {
    file: "calculator-phone",
    user: "qiye-kaizhou-manufacturer",
    path: "/calculator",
    mobile: true,
    ready: heading("政策计算器"),
  },
  {
    file: "profile",
    user: "qiye-kaizhou-manufacturer",
    path: "/profile",
    mobile: true,
    ready: heading(/完善画像|企业画像/),
  },
  {
    file: "measure",
    user: "qiye-kaizhou-manufacturer",
    path: "/calculator",
    mobile: true,
    ready: async (p) => {
      await p.locator('a[href^="/measures/"]').first().click();
      await p.waitForURL("**/measures/**");
      await p.getByRole("heading").first().waitFor();
    },
  },
  {
    file: "applications-phone",
    user: "qiye-banan-manufacturer",
    path: "/applications",
    mobile: true,
    ready: heading("我的申报"),
  },
  {
    file: "review",
    user: "yubei-science-tech",
    path: "/review",
    mobile: false,
    ready: async (p) => {
      await p.getByRole("tab", { name: /^全部/ }).click();
      await p.locator('a[href^="/review/"]').first().click();
      await p.waitForURL("**/review/**");
      await heading(/.+/)(p);
    },
  },
  { file: "finance", user: "banan-finance", path: "/finance", mobile: false, ready: heading(/.+/) },
  {
    file: "dashboard",
    user: "banan-coordinator",
    path: "/dashboard",
    mobile: false,
    ready: async (p) => {
      await heading(/.+/)(p);
      await p.locator("canvas").first().waitFor();
    },
  },
  {
    file: "library",
    user: "qiye-kaizhou-manufacturer",
    path: "/library",
    mobile: false,
    ready: heading("政策库"),
  },
  { file: "library-phone", path: "/library", mobile: true, ready: heading("政策库") },
  { file: "calculator-visitor-phone", path: "/calculator", mobile: true, ready: heading(/政策计算器/) },
  { file: "audit", user: "banan-coordinator", path: "/audit", mobile: false, ready: heading("审计日志") },
  {
    file: "documents",
    user: "policy-admin",
    path: "/admin/documents",
    mobile: false,
    ready: heading("政策文件版本"),
  },
  {
    // 导入通知原文: the Banan test notice uploaded, its draft beside the source, the 文号 located in it.
    file: "policy-import",
    user: "policy-admin",
    path: "/admin/documents/new",
    mobile: false,
    ready: async (p) => {
      await heading("导入通知原文")(p);
      await p
        .locator('input[type="file"]')
        .setInputFiles(fileURLToPath(new URL("./fixtures/banan-rd-notice.docx", import.meta.url)));
      await p.getByText("识别出 3 项措施").waitFor();
      await p
        .getByRole("group", { name: "文件信息 文号", exact: true })
        .getByRole("button", { name: "定位原文" })
        .click();
      await p.locator("#import-active-span").waitFor();
    },
  },
  {
    // 政策编辑: 巴南 measure 1's form (conditions from the vocabulary, the amount in 万元), checked live.
    file: "policy-editor",
    user: "policy-admin",
    path: "/admin/documents/banan-2022-63/edit/1",
    mobile: false,
    ready: async (p) => {
      await p.locator('[role="status"][data-compiled="true"]').waitFor();
      await p.getByRole("button", { name: "编辑第 1 条" }).click();
      await p.getByText("添加这一条件").waitFor();
      await p.locator('[role="status"][data-compiled="true"]').waitFor();
    },
  },
];

/** `README_SHOTS=policy-import,policy-editor` takes only those (so an update rewrites only their files). */
const only = process.env.README_SHOTS?.split(",").filter(Boolean);

describe("README screenshots", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  it("takes every README screenshot on desktop and phone, with no errors and no serious axe findings", async () => {
    if (process.env.UPDATE_SCREENSHOTS) mkdirSync(DOCS, { recursive: true });
    for (const shot of SHOTS.filter((s) => !only || only.includes(s.file))) {
      const page = await h.open({ username: shot.user, mobile: shot.mobile });
      await page.goto(shot.path);
      await shot.ready(page);
      await page.waitForLoadState("networkidle");
      expect(await h.seriousAxe(page), `${shot.file}: axe`).toEqual([]);
      const file = join(h.screenshotDir, `readme-${shot.file}.png`);
      await page.screenshot({ path: file });
      if (process.env.UPDATE_SCREENSHOTS) copyFileSync(file, join(DOCS, `${shot.file}.png`));
      await page.context().close();
    }
    expect(h.problems).toEqual([]);
  }, 300_000);
});

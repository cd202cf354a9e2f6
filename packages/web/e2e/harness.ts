/**
 * Browser end-to-end harness: the real server (in-process, embedded database, demo data) serving the built
 * web app on 127.0.0.1, and Debian's Chromium driven by playwright-core. Every page's console errors,
 * failed requests and uncaught exceptions are collected; screenshots go to a folder the run prints; axe-core
 * checks accessibility.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chongqingDate } from "@huiqi/engine";
import { createPlatform, loadConfig, type Platform, seedDemo } from "@huiqi/server";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { build } from "vite";

export const CHROMIUM = process.env.HUIQI_CHROMIUM ?? "/usr/bin/chromium";
const WEB_ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPO = fileURLToPath(new URL("../../..", import.meta.url));

export interface Problem {
  page: string;
  kind: "console" | "pageerror" | "request";
  text: string;
}

export interface Harness {
  platform: Platform;
  baseUrl: string;
  browser: Browser;
  screenshotDir: string;
  problems: Problem[];
  /** The platform's and every browser's clock. */
  now(): Date;
  setNow(d: Date): void;
  /** A fresh browser context (its own cookies), signed in when a username is given. */
  open(opts?: { username?: string; password?: string; mobile?: boolean }): Promise<Page>;
  shot(page: Page, name: string): Promise<string>;
  axe(page: Page): Promise<{ id: string; impact: string | null; help: string; nodes: number }[]>;
  /** axe's serious and critical findings, one line each: "id (impact) help ×nodes". */
  seriousAxe(page: Page): Promise<string[]>;
  close(): Promise<void>;
}

/** This process's build of the web app: each test file builds its own, so files running in parallel never
 * serve a folder another one is rewriting. */
let builtRoot: string | undefined;

/** Far from UTC+8, so a page that took "today" from the browser's zone would show the wrong day. */
export const BROWSER_TIME_ZONE = "America/Los_Angeles";

/**
 * 02:30 today in Chongqing (18:30 UTC the day before): inside the hours (00:00–08:00 Chongqing) where the
 * browser's and Chongqing's calendar dates differ, so the suite checks the one calendar at any hour it runs.
 */
export function chongqingEarlyMorning(): Date {
  return new Date(`${chongqingDate(Date.now())}T02:30:00+08:00`);
}

export async function startHarness(start = chongqingEarlyMorning()): Promise<Harness> {
  if (!existsSync(CHROMIUM))
    throw new Error(`找不到 Chromium（${CHROMIUM}）：请安装 Debian 的 chromium 包（.ci/run 会自动安装）`);
  if (!builtRoot) {
    const outDir = mkdtempSync(join(tmpdir(), "huiqi-web-"));
    // vitest sets NODE_ENV=test, which would give React's and antd's development builds.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await build({
        root: WEB_ROOT,
        logLevel: "error",
        mode: "production",
        build: { outDir, emptyOutDir: true },
      });
    } finally {
      process.env.NODE_ENV = env;
    }
    builtRoot = outDir;
  }
  let now = start;
  const config = { ...loadConfig({}), publicNoticeDays: 0, port: 0 };
  const platform = await createPlatform(config, { inMemory: true, now: () => now, webRoot: builtRoot });
  await seedDemo(platform.ctx);
  const address = await platform.app.listen({ port: 0, host: "127.0.0.1" });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  });
  const screenshotDir = join(REPO, "screenshots", new Date().toISOString().replace(/[:.]/g, "-"));
  mkdirSync(screenshotDir, { recursive: true });
  process.stdout.write(`\n浏览器端到端测试截图目录：${screenshotDir}\n`);
  const problems: Problem[] = [];
  const contexts: BrowserContext[] = [];
  const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

  const watch = (page: Page) => {
    const where = () => new URL(page.url(), address).pathname;
    page.on("console", (m) => {
      if (m.type() === "error") problems.push({ page: where(), kind: "console", text: m.text() });
    });
    page.on("pageerror", (e) => problems.push({ page: where(), kind: "pageerror", text: e.message }));
    page.on("response", (r) => {
      if (r.status() >= 400)
        problems.push({
          page: where(),
          kind: "request",
          text: `${r.status()} ${r.request().method()} ${r.url()}`,
        });
    });
  };

  const axe = async (page: Page) => {
    // Evaluated through the DevTools protocol: the app's Content-Security-Policy (script-src 'self') blocks an
    // inline <script> tag, and the test must not loosen it.
    if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
    const result = (await page.evaluate(
      // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page's global scope at run time.
      () => (window as any).axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] }),
    )) as { violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
    }));
  };

  return {
    platform,
    baseUrl: address,
    browser,
    screenshotDir,
    problems,
    now: () => now,
    setNow: (d) => {
      now = d;
    },
    async open(opts = {}) {
      const context = await browser.newContext({
        baseURL: address,
        locale: "zh-CN",
        timezoneId: BROWSER_TIME_ZONE,
        viewport: opts.mobile ? { width: 390, height: 844 } : { width: 1366, height: 860 },
        ...(opts.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      });
      contexts.push(context);
      // The browser's clock follows the server's (public notice periods are judged on both sides).
      await context.clock.setFixedTime(now);
      const page = await context.newPage();
      watch(page);
      if (opts.username) {
        await page.goto("/login");
        await page.getByLabel("用户名").fill(opts.username);
        await page.getByLabel("密码").fill(opts.password ?? "huiqi-demo-2026");
        await page.getByRole("button", { name: /登\s*录/ }).click();
        await page.waitForURL((u) => !u.pathname.startsWith("/login"));
      }
      return page;
    },
    async shot(page, name) {
      const file = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    axe,
    async seriousAxe(page) {
      return (await axe(page))
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}) ${v.help} ×${v.nodes}`);
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await platform.close();
    },
  };
}

/**
 * Picks an option of an antd searchable Select by typing and pressing Enter on the matching active option.
 * Clicking the option is racy on a loaded machine: after the search filters the list, the dropdown re-measures
 * and may flip from above to below the field, so a click aimed at the option's old place misses it.
 */
export async function pickOption(page: Page, select: Locator, typed: string, option: RegExp): Promise<void> {
  await select.click();
  await select.fill(typed);
  const open = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)");
  await open.locator(".ant-select-item-option").filter({ hasText: option }).first().waitFor();
  const active = open.locator(".ant-select-item-option-active");
  for (
    let i = 0;
    i < 20 && !option.test(((await active.count()) ? await active.first().textContent() : "") ?? "");
    i++
  )
    await select.press("ArrowDown");
  await select.press("Enter");
  await open.first().waitFor({ state: "hidden" });
}

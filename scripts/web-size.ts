/**
 * `npm run size:web`: builds the web app (packages/web → dist) and prints every JS and CSS file with its raw and
 * gzipped size, the sign-in page's total (the entry chunk, everything it imports statically, and their CSS —
 * what the browser must fetch before the login page can render) and checks the budgets. Exits 1 when over.
 *
 *   npm run size:web                 # build into packages/web/dist, print, check
 *   npm run size:web -- --out DIR    # build elsewhere (e.g. to measure without touching the served dist)
 *   npm run size:web -- --json       # machine-readable figures
 */

import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Rolldown } from "vite";

/** Budgets, gzipped bytes. */
export const BUDGETS = { signInPage: 250 * 1024, chunk: 600 * 1024 };

const WEB_ROOT = fileURLToPath(new URL("../packages/web", import.meta.url));

interface FileSize {
  file: string;
  kind: "js" | "css";
  raw: number;
  gzip: number;
  entry: boolean;
  signIn: boolean;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function gz(content: string | Uint8Array): number {
  return gzipSync(content, { level: 9 }).length;
}

async function main() {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf("--out");
  const outDir = outIdx >= 0 ? args[outIdx + 1] : undefined;
  const json = args.includes("--json");
  const started = Date.now();
  // Production builds of React and antd, whatever the caller's NODE_ENV (vitest sets "test").
  process.env.NODE_ENV = "production";
  const result = await build({
    root: WEB_ROOT,
    mode: "production",
    logLevel: "warn",
    ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}),
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const items = outputs.flatMap((o) => o.output);
  const chunks = new Map<string, Rolldown.OutputChunk>();
  for (const it of items) if (it.type === "chunk") chunks.set(it.fileName, it);

  // The sign-in page: the entry chunks and their static imports, transitively, with their CSS.
  const signIn = new Set<string>();
  const visit = (name: string) => {
    if (signIn.has(name)) return;
    signIn.add(name);
    const c = chunks.get(name);
    if (!c) return;
    const meta = (c as { viteMetadata?: { importedCss: Set<string> } }).viteMetadata;
    for (const css of meta?.importedCss ?? []) signIn.add(css);
    for (const i of c.imports) visit(i);
  };
  for (const c of chunks.values()) if (c.isEntry) visit(c.fileName);

  const files: FileSize[] = [];
  for (const it of items) {
    const kind = it.fileName.endsWith(".js") ? "js" : it.fileName.endsWith(".css") ? "css" : null;
    if (!kind) continue;
    const content = it.type === "chunk" ? it.code : it.source;
    files.push({
      file: it.fileName,
      kind,
      raw: typeof content === "string" ? Buffer.byteLength(content) : content.byteLength,
      gzip: gz(content),
      entry: it.type === "chunk" && it.isEntry,
      signIn: signIn.has(it.fileName),
    });
  }
  files.sort((a, b) => b.gzip - a.gzip);
  const sum = (fs: FileSize[], k: "raw" | "gzip") => fs.reduce((s, f) => s + f[k], 0);
  const login = files.filter((f) => f.signIn);
  const total = { raw: sum(files, "raw"), gzip: sum(files, "gzip") };
  const signInTotal = { raw: sum(login, "raw"), gzip: sum(login, "gzip") };
  const largest = files[0];
  const problems: string[] = [];
  if (signInTotal.gzip > BUDGETS.signInPage)
    problems.push(`登录页合计 ${kb(signInTotal.gzip)}（gzip）超过预算 ${kb(BUDGETS.signInPage)}`);
  for (const f of files)
    if (f.gzip > BUDGETS.chunk)
      problems.push(`${f.file} ${kb(f.gzip)}（gzip）超过单文件预算 ${kb(BUDGETS.chunk)}`);
  const seconds = (Date.now() - started) / 1000;

  if (json) {
    process.stdout.write(
      `${JSON.stringify({ files, total, signIn: signInTotal, budgets: BUDGETS, problems, seconds }, null, 2)}\n`,
    );
  } else {
    const w = Math.max(...files.map((f) => f.file.length), 10);
    const lines = [
      `${"文件".padEnd(w - 2)}  ${"原始".padStart(10)}  ${"gzip".padStart(10)}  登录页`,
      ...files.map(
        (f) =>
          `${f.file.padEnd(w)}  ${kb(f.raw).padStart(10)}  ${kb(f.gzip).padStart(10)}  ${f.signIn ? "✓" : ""}`,
      ),
      "",
      `全部 ${files.length} 个文件：${kb(total.raw)}（gzip ${kb(total.gzip)}）`,
      `登录页首次加载（入口及其静态依赖、样式）：${kb(signInTotal.raw)}（gzip ${kb(signInTotal.gzip)}），预算 gzip ≤ ${kb(BUDGETS.signInPage)}`,
      `最大文件：${largest ? `${largest.file} ${kb(largest.raw)}（gzip ${kb(largest.gzip)}）` : "—"}，预算 gzip ≤ ${kb(BUDGETS.chunk)}`,
      `构建与统计用时 ${seconds.toFixed(1)} 秒`,
      problems.length ? `\n超出预算：\n  ${problems.join("\n  ")}` : "全部在预算内。",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  process.exitCode = problems.length ? 1 : 0;
}

await main();

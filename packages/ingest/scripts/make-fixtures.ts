/**
 * Writes fixtures/digital-economy.docx and .pdf from fixtures/digital-economy.txt (the same notice), so the
 * tests can check that Word, PDF and plain text give the same measures; and fixtures/kaizhou-2023-27.reprint.pdf,
 * the Kaizhou seed text typeset again (12 pt, justified, running header, "- N -" page numbers), so the tests can
 * check that line repair on a real PDF gives the same measures as the source text; and the browser test's notice
 * packages/web/e2e/fixtures/banan-rd-notice.docx from its .txt. Run: npx tsx packages/ingest/scripts/make-fixtures.ts
 * (PDF needs /usr/bin/chromium and the fonts-wqy-microhei font).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { chromium } from "playwright-core";
import { ingestText } from "../src/index.ts";

const dir = fileURLToPath(new URL("../fixtures/", import.meta.url));
const text = readFileSync(join(dir, "digital-economy.txt"), "utf8");
// Page numbers belong to the printed page, not to the content of the Word or PDF versions.
const paras = text.split("\n").filter((l) => !/^—\s*\d+\s*—$/.test(l.trim()));

// The contact table (序号 … rows) becomes a real table in Word and PDF, as in published notices.
const isRow = (l: string) => /^(?:序号|\d{1,3})\s/.test(l.trim());
type Block = { kind: "p"; text: string } | { kind: "table"; rows: string[][] };
const blocks: Block[] = [];
for (const l of paras) {
  const last = blocks[blocks.length - 1];
  if (isRow(l)) {
    const cells = l.trim().split(/\s+/);
    if (last?.kind === "table") last.rows.push(cells);
    else blocks.push({ kind: "table", rows: [cells] });
  } else blocks.push({ kind: "p", text: l });
}
const run = (t: string) => new TextRun({ text: t, font: "仿宋_GB2312", size: 32 });
const doc = new Document({
  sections: [
    {
      children: blocks.map((b) =>
        b.kind === "p"
          ? new Paragraph({ children: [run(b.text)] })
          : new Table({
              width: { size: 100, type: WidthType.PERCENTAGE },
              rows: b.rows.map(
                (r) =>
                  new TableRow({
                    children: r.map(
                      (c) => new TableCell({ children: [new Paragraph({ children: [run(c)] })] }),
                    ),
                  }),
              ),
            }),
      ),
    },
  ],
});
writeFileSync(join(dir, "digital-economy.docx"), await Packer.toBuffer(doc));

// The short notice the browser test imports (packages/web/e2e/fixtures): one paragraph per line, as typed in Word.
const e2e = fileURLToPath(new URL("../../web/e2e/fixtures/", import.meta.url));
const notice = readFileSync(join(e2e, "banan-rd-notice.txt"), "utf8");
const noticeDoc = new Document({
  sections: [{ children: notice.split("\n").map((l) => new Paragraph({ children: [run(l)] })) }],
});
writeFileSync(join(e2e, "banan-rd-notice.docx"), await Packer.toBuffer(noticeDoc));

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const html = `<!doctype html><html><head><meta charset="utf-8"><style>
  @page { size: A4; margin: 25mm 26mm; }
  body { font-family: "WenQuanYi Micro Hei"; font-size: 15pt; line-height: 1.7; }
  p { margin: 0; text-indent: 2em; }
  p.page { page-break-before: always; }
  table { border-collapse: collapse; width: 100%; font-size: 12pt; }
  td { border: 1px solid #000; padding: 2mm; }
</style></head><body>${blocks
  .map((b) =>
    b.kind === "table"
      ? `<table>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("")}</table>`
      : b.text.trim() === "附件1" || b.text.trim() === "附件2"
        ? `<p class="page">${esc(b.text)}</p>`
        : `<p>${esc(b.text) || "&nbsp;"}</p>`,
  )
  .join("\n")}</body></html>`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage();
  await page.setContent(html);
  const pdf = await page.pdf({
    format: "A4",
    displayHeaderFooter: true,
    headerTemplate: "<span></span>",
    footerTemplate:
      '<div style="width:100%;text-align:center;font-size:10pt;font-family:WenQuanYi Micro Hei">— <span class="pageNumber"></span> —</div>',
    margin: { top: "25mm", bottom: "25mm", left: "26mm", right: "26mm" },
  });
  writeFileSync(join(dir, "digital-economy.pdf"), pdf);

  const seed = readFileSync(join(dir, "../../policies/documents/kaizhou-2023-27/source.txt"), "utf8");
  const body = ingestText(seed)
    .cleaned.text.split("\n")
    .map((p) => `<p>${esc(p)}</p>`)
    .join("");
  await page.setContent(
    `<!doctype html><meta charset="utf-8"><style>body{font-family:"WenQuanYi Micro Hei";font-size:12pt;line-height:1.5;text-align:justify} p{margin:0;text-indent:2em}</style>${body}`,
  );
  const reprint = await page.pdf({
    format: "A4",
    displayHeaderFooter: true,
    headerTemplate:
      '<div style="width:100%;text-align:center;font-size:9pt;font-family:WenQuanYi Micro Hei">重庆市开州区人民政府行政规范性文件</div>',
    footerTemplate:
      '<div style="width:100%;text-align:center;font-size:10pt">- <span class="pageNumber"></span> -</div>',
    margin: { top: "30mm", bottom: "25mm", left: "28mm", right: "26mm" },
  });
  writeFileSync(join(dir, "kaizhou-2023-27.reprint.pdf"), reprint);
} finally {
  await browser.close();
}
console.log(
  "已生成 digital-economy.docx、digital-economy.pdf、kaizhou-2023-27.reprint.pdf、web/e2e/fixtures/banan-rd-notice.docx",
);

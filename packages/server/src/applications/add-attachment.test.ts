/** Attachments are checked by their full content signature (file-type), not by the declared type alone. */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import {
  createEnterprise,
  GREEN_FACTORY,
  greenFactoryFacts,
  PDF_BASE64,
  TODAY,
  tempDataDir,
} from "./test-fixtures.ts";

const PDF = "application/pdf";
const PNG = "image/png";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/** A real 1×1 PNG. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

async function xlsxBase64(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("研发费用");
  ws.addRow(["年度", "研发费用（元）"]);
  ws.addRow([2025, 1_360_000]);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
}

for (const kind of testDatabaseKinds()) {
  describe(`attachment content checks (${kind})`, () => {
    let p: TestPlatform;
    let ent: Awaited<ReturnType<typeof createEnterprise>>;
    let id: string;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(TODAY);
      p.ctx.config.dataDir = await tempDataDir();
      ent = await createEnterprise(p, greenFactoryFacts);
      const created = await ent.post("/api/applications", {
        enterpriseId: ent.enterpriseId,
        measureId: GREEN_FACTORY,
      });
      expect(created.statusCode, created.body).toBe(201);
      id = created.json().id;
    }, 60_000);
    afterAll(async () => p?.close());

    const upload = (fileName: string, contentType: string, contentBase64: string) =>
      ent.post(`/api/applications/${id}/attachments`, { fileName, contentType, contentBase64 });

    it("accepts a real PDF, PNG and an xlsx written by exceljs", async () => {
      for (const [name, type, content] of [
        ["营业执照.pdf", PDF, PDF_BASE64],
        ["现场照片.png", PNG, PNG_BASE64],
        ["研发费用明细.xlsx", XLSX, await xlsxBase64()],
      ] as const) {
        const r = await upload(name, type, content);
        expect(r.statusCode, `${name}: ${r.body}`).toBe(201);
      }
      const detail = (await ent.get(`/api/applications/${id}`)).json();
      expect(detail.attachments.map((a: { fileName: string }) => a.fileName)).toEqual([
        "营业执照.pdf",
        "现场照片.png",
        "研发费用明细.xlsx",
      ]);
    });

    it("previews a PDF or an image inline (?inline=1) with its sniffed type; everything else stays a download", async () => {
      const detail = (await ent.get(`/api/applications/${id}`)).json();
      const byName = (n: string) =>
        detail.attachments.find((a: { fileName: string }) => a.fileName === n)?.id as string;
      const url = (n: string, q = "") => `/api/applications/${id}/attachments/${byName(n)}${q}`;

      const png = await ent.get(url("现场照片.png", "?inline=1"));
      expect(png.statusCode).toBe(200);
      expect(png.headers["content-type"]).toBe("image/png");
      expect(png.headers["content-disposition"]).toMatch(/^inline; /);
      expect(png.headers["x-content-type-options"]).toBe("nosniff");
      expect(png.rawPayload.equals(Buffer.from(PNG_BASE64, "base64"))).toBe(true);

      // A PDF may be framed by our own review page, and by nothing else; it loads nothing itself.
      const pdf = await ent.get(url("营业执照.pdf", "?inline=1"));
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(pdf.headers["content-disposition"]).toBe(
        `inline; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent("营业执照.pdf")}`,
      );
      expect(pdf.headers["content-security-policy"]).toContain("frame-ancestors 'self'");
      expect(pdf.headers["content-security-policy"]).toContain("default-src 'none'");
      expect(pdf.headers["x-frame-options"]).toBe("SAMEORIGIN");

      // A spreadsheet asked for inline is still a download, and cannot be framed.
      const xlsx = await ent.get(url("研发费用明细.xlsx", "?inline=1"));
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers["content-disposition"]).toMatch(/^attachment; /);
      expect(xlsx.headers["content-type"]).toBe(XLSX);
      expect(xlsx.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(xlsx.headers["x-frame-options"]).toBe("DENY");

      // Without ?inline every file is a download.
      const plain = await ent.get(url("现场照片.png"));
      expect(plain.headers["content-disposition"]).toMatch(/^attachment; /);

      const bad = await ent.get(url("现场照片.png", "?inline=yes"));
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain("inline 应为 1（预览）或 0（下载）");
    });

    it("refuses a PNG declared as PDF, naming the file, the declared and the detected type", async () => {
      const r = await upload("申请书.pdf", PDF, PNG_BASE64);
      expect(r.statusCode).toBe(400);
      const e = r.json().error;
      expect(e.code).toBe("VALIDATION");
      expect(e.message).toBe(
        "附件「申请书.pdf」声明为PDF 文件（application/pdf），但内容是PNG 图片（image/png）",
      );
      expect(e.fields).toEqual([{ field: "contentBase64", message: e.message }]);
    });

    it("refuses a text file declared as PDF, and a spreadsheet declared as a Word document", async () => {
      const text = await upload(
        "说明.pdf",
        PDF,
        Buffer.from("这是一个文本文件，不是 PDF。\n").toString("base64"),
      );
      expect(text.statusCode).toBe(400);
      expect(text.json().error.message).toMatch(/附件「说明\.pdf」声明为PDF 文件.*内容无法识别/);
      const docx = await upload("报告.docx", DOCX, await xlsxBase64());
      expect(docx.statusCode).toBe(400);
      expect(docx.json().error.message).toContain("但内容是Excel 表格（xlsx）");
      // Nothing of the refused files was stored.
      const detail = (await ent.get(`/api/applications/${id}`)).json();
      expect(detail.attachments).toHaveLength(3);
    });
  });
}

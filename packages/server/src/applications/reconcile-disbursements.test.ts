/**
 * The review queue filter (mine), the Excel export, attachment download, and bank-file reconciliation
 * (csv and xlsx) of disbursements — on every database kind.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { parseCsv } from "./bank-file.ts";
import {
  applicant,
  BANAN,
  createEnterprise,
  createStaff,
  GREEN_FACTORY,
  greenFactoryFacts,
  PDF_BASE64,
  renewSessions,
  TODAY,
  tempDataDir,
} from "./test-fixtures.ts";

type Staff = Awaited<ReturnType<typeof createStaff>>;
type Ent = Awaited<ReturnType<typeof createEnterprise>>;

const day = (iso: string) => new Date(`${iso}T02:00:00Z`);
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");

it("parses quoted CSV with doubled quotes, CRLF and a BOM-free header", () => {
  expect(parseCsv('a,"b,c","d ""e"""\r\n1,2,3\n')).toEqual([
    ["a", "b,c", 'd "e"'],
    ["1", "2", "3"],
  ]);
});

for (const kind of testDatabaseKinds()) {
  describe(`review queue, export, attachments and reconciliation (${kind})`, () => {
    let p: TestPlatform;
    let officer: Staff;
    let finance: Staff;
    let bananFinance: Staff;
    const ents: Record<"a" | "b" | "c" | "d", Ent> = {} as never;
    const ids: Record<"a" | "b" | "c" | "d", string> = {} as never;
    let queued: { id: string; ent: Ent };

    async function draft(ent: Ent): Promise<{ id: string; version: number }> {
      const created = await ent.post("/api/applications", {
        enterpriseId: ent.enterpriseId,
        measureId: GREEN_FACTORY,
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const v = (await ent.put(`/api/applications/${id}`, { version: 1, applicant })).json()
        .version as number;
      return { id, version: v };
    }

    async function approved(ent: Ent, grantedFen: number): Promise<string> {
      const d = await draft(ent);
      let v = (await ent.post(`/api/applications/${d.id}/submit`, { version: d.version })).json().version;
      v = (await officer.post(`/api/applications/${d.id}/review`, { version: v, decision: "pass" })).json()
        .version;
      const ok = await finance.post(`/api/applications/${d.id}/review`, {
        version: v,
        decision: "pass",
        grantedFen,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const n = await officer.post(`/api/applications/${d.id}/public-notice`, { version: ok.json().version });
      expect(n.statusCode, n.body).toBe(200);
      return d.id;
    }

    async function disburse(id: string, batchRef: string) {
      const cur = (await finance.get(`/api/applications/${id}`)).json();
      const r = await finance.post(`/api/applications/${id}/disbursements`, {
        version: cur.version,
        batchRef,
      });
      expect(r.statusCode, r.body).toBe(201);
    }

    const status = async (id: string) => (await finance.get(`/api/applications/${id}`)).json();

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(TODAY);
      p.ctx.config.dataDir = await tempDataDir();
      officer = await createStaff(p, "officer", { department: "economy-it" });
      finance = await createStaff(p, "finance");
      bananFinance = await createStaff(p, "finance", { regionCode: BANAN });
      for (const [k, name] of [
        ["a", "开州甲材料有限公司"],
        ["b", "开州乙机械有限公司"],
        ["c", "开州丙电子有限公司"],
        ["d", "开州丁食品有限公司"],
      ] as const)
        ents[k] = await createEnterprise(p, greenFactoryFacts, { name });
      ids.a = await approved(ents.a, 15_000_000);
      ids.b = await approved(ents.b, 12_000_000);
      ids.c = await approved(ents.c, 12_000_000);
      ids.d = await approved(ents.d, 10_000_000);
      // One more application, submitted and waiting at the officer's step, with an attachment.
      const q = await createEnterprise(p, greenFactoryFacts, { name: "开州戊科技有限公司" });
      const d = await draft(q);
      const att = await q.post(`/api/applications/${d.id}/attachments`, {
        fileName: "绿色工厂证书.pdf",
        contentType: "application/pdf",
        contentBase64: PDF_BASE64,
      });
      expect(att.statusCode, att.body).toBe(201);
      const sub = await q.post(`/api/applications/${d.id}/submit`, { version: d.version });
      expect(sub.statusCode, sub.body).toBe(200);
      queued = { id: d.id, ent: q };
      p.setNow(day("2026-03-10"));
      await renewSessions(p, [officer, finance, bananFinance, queued.ent, ...Object.values(ents)]);
      await disburse(ids.a, "KZ-202603-01");
      await disburse(ids.b, "KZ-202603-01");
      await disburse(ids.c, "KZ-202603-01");
      await disburse(ids.d, "KZ-202603-02");
      p.setNow(day("2026-03-12"));
      await renewSessions(p, [officer, finance, bananFinance, queued.ent, ...Object.values(ents)]);
    }, 180_000);
    afterAll(async () => p?.close());

    it("mine=true lists what waits for this account: the officer's step, the finance step", async () => {
      const mine = (await officer.get("/api/applications?mine=true")).json();
      expect(mine.items.map((a: { id: string }) => a.id)).toEqual([queued.id]);
      expect(mine.items[0]).toMatchObject({ status: "submitted", enterpriseName: "开州戊科技有限公司" });
      expect(mine.items[0].submittedAt).toMatch(/^2026-03-02T/);
      expect((await finance.get("/api/applications?mine=true")).json().items).toEqual([]);
      const all = (await finance.get("/api/applications?status=disbursing")).json();
      expect(all.total).toBe(4);
      expect(all.items.find((a: { id: string }) => a.id === ids.d)).toMatchObject({
        batchRef: "KZ-202603-02",
        disbursementStatus: "issued",
      });
      expect((await officer.get("/api/applications?mine=maybe")).statusCode).toBe(400);
    });

    it("exports the queue to xlsx with the list's filters and scope, Chinese headers, money in 元", async () => {
      const r = await finance.get("/api/applications.xlsx?status=disbursing");
      expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
      expect(r.headers["content-type"]).toContain("spreadsheetml");
      expect(String(r.headers["content-disposition"])).toContain("attachment");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      const header = ((ws?.getRow(1).values ?? []) as unknown[]).slice(1);
      expect(header).toEqual(
        expect.arrayContaining(["企业", "措施名称", "状态", "核定金额（元）", "兑付批次号"]),
      );
      expect(ws?.rowCount).toBe(5);
      const col = header.indexOf("核定金额（元）") + 1;
      const amounts = [2, 3, 4, 5].map((i) => ws?.getRow(i).getCell(col).value).sort();
      expect(amounts).toEqual([100000, 120000, 120000, 150000]);
      expect((await bananFinance.get("/api/applications.xlsx")).statusCode).toBe(200);
      const other = new ExcelJS.Workbook();
      await other.xlsx.load(
        (await bananFinance.get("/api/applications.xlsx")).rawPayload as unknown as ArrayBuffer,
      );
      expect(other.worksheets[0]?.rowCount).toBe(1);
      expect((await queued.ent.get("/api/applications.xlsx")).statusCode).toBe(200);
    });

    it("downloads an attachment with its content type for those who may read the application, 404 for others", async () => {
      const detail = (await officer.get(`/api/applications/${queued.id}`)).json();
      const att = detail.attachments[0];
      const r = await officer.get(`/api/applications/${queued.id}/attachments/${att.id}`);
      expect(r.statusCode).toBe(200);
      expect(r.headers["content-type"]).toBe("application/pdf");
      expect(r.rawPayload.toString("base64")).toBe(PDF_BASE64);
      expect(String(r.headers["content-disposition"])).toContain(encodeURIComponent("绿色工厂证书.pdf"));
      expect((await queued.ent.get(`/api/applications/${queued.id}/attachments/${att.id}`)).statusCode).toBe(
        200,
      );
      expect(
        (await bananFinance.get(`/api/applications/${queued.id}/attachments/${att.id}`)).statusCode,
      ).toBe(404);
      expect((await ents.a.get(`/api/applications/${queued.id}/attachments/${att.id}`)).statusCode).toBe(404);
      expect(
        (await officer.get(`/api/applications/${ids.a}/attachments/${att.id}`)).statusCode,
        "an attachment of another application",
      ).toBe(404);
    });

    const csv = [
      "批次号,收款单位,金额（元）,状态,日期,失败原因",
      'KZ-202603-01,开州甲材料有限公司,"150,000.00",成功,2026-03-11,',
      "KZ-202603-01,开州乙机械有限公司,120000,支付成功,2026/3/11,",
      "KZ-202603-01,,120000.00,失败,2026-03-11,收款账户已销户",
      "KZ-202603-02,,99999.99,成功,2026-03-11,",
      "KZ-999,,100,成功,2026-03-11,",
      "KZ-202603-01,,abc,成功,2026-03-11,",
      "",
    ].join("\r\n");

    it("reconciles a csv: matches by batch + amount (payee breaks ties), records paid and failed, reports the rest", async () => {
      expect(
        (
          await officer.post("/api/disbursements/reconcile", {
            fileName: "bank.csv",
            contentBase64: b64(csv),
          })
        ).statusCode,
      ).toBe(403);
      const r = await finance.post("/api/disbursements/reconcile", {
        fileName: "bank.csv",
        contentBase64: b64(`\uFEFF${csv}`),
      });
      expect(r.statusCode, r.body).toBe(200);
      const rep = r.json();
      expect(rep.rows).toBe(6);
      expect(
        rep.matched.map((m: { row: number; applicationId: string; status: string; recorded: boolean }) => [
          m.row,
          m.applicationId,
          m.status,
          m.recorded,
        ]),
      ).toEqual([
        [2, ids.a, "paid", true],
        [3, ids.b, "paid", true],
        [4, ids.c, "failed", true],
      ]);
      expect(rep.mismatches).toEqual([
        expect.objectContaining({
          row: 5,
          applicationId: ids.d,
          amountFen: 9_999_999,
          expectedFen: 10_000_000,
        }),
      ]);
      expect(rep.unmatched.map((u: { row: number }) => u.row)).toEqual([6, 7]);
      expect(rep.unmatched[0].reason).toContain("KZ-999");
      expect(rep.unmatched[1].reason).toContain("金额");
      expect(rep.totals).toEqual({ paidFen: 27_000_000, failedFen: 12_000_000 });

      expect((await status(ids.a)).status).toBe("closed");
      expect((await status(ids.b)).disbursement).toMatchObject({ status: "paid" });
      expect(await status(ids.c)).toMatchObject({ status: "disbursementFailed" });
      expect((await status(ids.c)).disbursement.failureReason).toBe("收款账户已销户");
      expect((await status(ids.d)).status).toBe("disbursing");

      // Importing the same file again records nothing twice.
      const again = (
        await finance.post("/api/disbursements/reconcile", { fileName: "bank.csv", contentBase64: b64(csv) })
      ).json();
      expect(again.matched).toEqual([]);
      expect(
        again.unmatched.filter((u: { reason: string }) => u.reason.includes("已登记过结果")).length,
      ).toBe(3);
      expect(again.mismatches.length).toBe(1);
      expect((await ents.a.get(`/api/applications/${ids.a}`)).json().version).toBe(
        (await status(ids.a)).version,
      );
    });

    it("reconciles an xlsx by application id (dry run first), and only within the district", async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("结果");
      ws.addRow(["银行支付结果"]);
      ws.addRow(["申报编号", "交易金额", "支付状态", "交易日期", "备注"]);
      ws.addRow([ids.d.toUpperCase(), 100000, "成功", new Date(Date.UTC(2026, 2, 11))]);
      const content = Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
      const other = (
        await bananFinance.post("/api/disbursements/reconcile", {
          fileName: "r.xlsx",
          contentBase64: content,
        })
      ).json();
      expect(other.matched).toEqual([]);
      expect(other.unmatched[0].reason).toContain("不属于本区县");
      const dry = await finance.post("/api/disbursements/reconcile", {
        fileName: "r.xlsx",
        contentBase64: content,
        dryRun: true,
      });
      expect(dry.statusCode, dry.body).toBe(200);
      expect(dry.json().matched).toEqual([
        expect.objectContaining({ row: 3, applicationId: ids.d, date: "2026-03-11", recorded: false }),
      ]);
      expect((await status(ids.d)).status).toBe("disbursing");
      // The bank may quote the 申报编号 people read (区县码-年份-序号) instead of the id.
      const dNumber = (await status(ids.d)).number as string;
      expect(dNumber).toMatch(/^500154-2026-\d{6}$/);
      const byNumber = new ExcelJS.Workbook();
      byNumber.addWorksheet("结果").addRows([
        ["申报编号", "交易金额", "支付状态", "交易日期"],
        [dNumber, 100000, "成功", "2026-03-11"],
      ]);
      const numbered = await finance.post("/api/disbursements/reconcile", {
        fileName: "r.xlsx",
        contentBase64: Buffer.from(await byNumber.xlsx.writeBuffer()).toString("base64"),
        dryRun: true,
      });
      expect(numbered.statusCode, numbered.body).toBe(200);
      expect(numbered.json().matched).toEqual([
        expect.objectContaining({
          row: 2,
          applicationId: ids.d,
          applicationNumber: dNumber,
          recorded: false,
        }),
      ]);
      const real = (
        await finance.post("/api/disbursements/reconcile", { fileName: "r.xlsx", contentBase64: content })
      ).json();
      expect(real.matched[0]).toMatchObject({ applicationId: ids.d, recorded: true });
      expect(real.totals.paidFen).toBe(10_000_000);
      expect((await status(ids.d)).status).toBe("closed");
    });

    it("refuses files it cannot read with a 400 naming the field", async () => {
      for (const body of [
        { fileName: "x.xlsx", contentBase64: b64("not a zip file at all") },
        { fileName: "x.csv", contentBase64: b64("a,b,c\n1,2,3\n") },
        { fileName: "x.csv", contentBase64: b64("金额,状态\n1,成功\n") },
        { fileName: "x.txt", contentBase64: b64("批次号,金额,状态\n") },
      ]) {
        const r = await finance.post("/api/disbursements/reconcile", body);
        expect(r.statusCode, r.body).toBe(400);
        expect(r.json().error.fields[0].field).toMatch(/contentBase64|fileName/);
      }
      expect((await new Client(p.app).post("/api/disbursements/reconcile", {})).statusCode).toBe(401);
    });
  });
}

/**
 * Bulk import through the API (and runImport for the streaming xlsx path): every kind, per-row report,
 * idempotence, provenance, precedence over verified and self-reported facts, district limits.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEnterprises, demoStatistics } from "../../../../examples/imports/generate.ts";
import { registerEnterprise, staffClient } from "../enterprises/test-fixtures.ts";
import { type Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { runImport } from "./run-import.ts";

const examples = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../../examples/imports/${name}`, import.meta.url)));

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below.
type Json = any;

const BANAN = "500113";
const YUBEI = "500112";

function csv(rows: string[][]): Buffer {
  return Buffer.from(`\uFEFF${rows.map((r) => r.join(",")).join("\n")}\n`, "utf8");
}

async function upload(c: Client, kind: string, fileName: string, bytes: Buffer | Uint8Array) {
  const r = await c.post("/api/imports", {
    kind,
    fileName,
    contentBase64: Buffer.from(bytes).toString("base64"),
  });
  return { status: r.statusCode, json: r.json() as Json };
}

for (const kind of testDatabaseKinds()) {
  describe(`bulk import (${kind})`, () => {
    let p: TestPlatform;
    let officer: Client;
    let yubei: Client;
    const banan = demoEnterprises().filter((e) => e.regionCode === BANAN);
    const first = banan[0] as (typeof banan)[number];

    const fact = (uscc: string, factId: string, period = "") =>
      p.ctx.db
        .selectFrom("enterprise_facts as f")
        .innerJoin("enterprises as e", "e.id", "f.enterprise_id")
        .select(["f.value", "f.source", "f.import_file", "f.import_row", "f.import_id", "f.updated_at"])
        .where("e.uscc", "=", uscc)
        .where("f.fact_id", "=", factId)
        .where("f.period", "=", period)
        .executeTakeFirst();
    const importCount = async () =>
      Number(
        (
          await p.ctx.db
            .selectFrom("fact_imports")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      officer = await staffClient(p.app, p.ctx, {
        username: "banan-officer",
        role: "officer",
        regionCode: BANAN,
      });
      yubei = await staffClient(p.app, p.ctx, {
        username: "yubei-coord",
        role: "coordinator",
        regionCode: YUBEI,
      });
    }, 60_000);
    afterAll(async () => p?.close());

    it("imports the registry (GB18030 CSV) for the officer's district; rows of other districts are reported", async () => {
      const r = await upload(officer, "registry", "registry.csv", examples("registry.csv"));
      expect(r.status).toBe(200);
      expect(r.json.counts).toMatchObject({
        rows: 12,
        imported: 3,
        bad: 9,
        changed: 3,
        enterprisesCreated: 3,
      });
      expect(r.json.problems).toHaveLength(9);
      expect(r.json.problems[0]).toEqual({
        row: 5,
        field: "统一社会信用代码",
        reason: "该企业属于渝北区，不在本次导入的辖区（巴南区）内",
      });
      expect(r.json.summary).toContain("有问题未导入 9 行");
      const created = await p.ctx.db
        .selectFrom("enterprises")
        .selectAll()
        .where("region_code", "=", BANAN)
        .execute();
      expect(created.map((e) => e.name).sort()).toEqual(banan.map((e) => e.name).sort());
      expect(created.find((e) => e.uscc === first.uscc)?.industry_code).toBe("C3670");

      // Another district's coordinator imports the same file: their three rows.
      const y = await upload(yubei, "registry", "registry.csv", examples("registry.csv"));
      expect(y.json.counts).toMatchObject({ imported: 3, enterprisesCreated: 3, bad: 9 });
    });

    it("re-importing the registry, as xlsx this time, changes nothing", async () => {
      const before = await p.ctx.db
        .selectFrom("enterprises")
        .select(["uscc", "version", "updated_at"])
        .orderBy("uscc")
        .execute();
      const r = await upload(officer, "registry", "registry.xlsx", examples("registry.xlsx"));
      expect(r.json.counts).toMatchObject({
        rows: 12,
        imported: 3,
        changed: 0,
        unchanged: 3,
        enterprisesCreated: 0,
      });
      const after = await p.ctx.db
        .selectFrom("enterprises")
        .select(["uscc", "version", "updated_at"])
        .orderBy("uscc")
        .execute();
      expect(after).toEqual(before);
    });

    it("imports statistics: 万元 to exact 元, latest year for employees and 规上, provenance per fact", async () => {
      const r = await upload(officer, "statistics", "statistics.csv", examples("statistics.csv"));
      expect(r.status).toBe(200);
      expect(r.json.counts).toMatchObject({ rows: 24, imported: 6, changed: 6, bad: 18 });
      const stats = demoStatistics().filter((s) => s.uscc === first.uscc);
      const rev2023 = await fact(first.uscc, "revenue", "2023");
      expect(stats[0]?.revenueWan).toBe("123.456789");
      expect(rev2023).toMatchObject({
        value: 1234567.89,
        source: "import",
        import_file: "statistics.csv",
        import_row: 2,
      });
      expect(rev2023?.import_id).toBe(r.json.importId);
      // Employees are not per year: the 2024 row (row 3) wins over 2023.
      expect(await fact(first.uscc, "employees")).toMatchObject({
        value: stats[1]?.employees,
        import_row: 3,
      });
      expect(await fact(first.uscc, "aboveScale")).toMatchObject({ value: false, source: "import" });
    });

    it("the same rows in another file change nothing; a clean file imported twice is recognised and writes nothing", async () => {
      const before = await fact(first.uscc, "revenue", "2023");
      const rows = [
        ["统一社会信用代码", "年份", "营业收入（元）"],
        [first.uscc, "2023", "1234567.89"],
      ];
      const again = await upload(officer, "statistics", "统计-副本.csv", csv(rows));
      expect(again.json.counts).toMatchObject({ rows: 1, imported: 1, changed: 0, unchanged: 1, bad: 0 });
      expect(await fact(first.uscc, "revenue", "2023")).toEqual(before);

      const n = await importCount();
      const twice = await upload(officer, "statistics", "统计-副本.csv", csv(rows));
      expect(twice.status).toBe(200);
      expect(twice.json.importId).toBeNull();
      expect(twice.json.alreadyImported.importId).toBe(again.json.importId);
      expect(twice.json.summary).toContain("未做任何修改");
      expect(await importCount()).toBe(n);
    });

    it("an interrupted import of a file does not make its re-import a no-op", async () => {
      const bytes = csv([
        ["统一社会信用代码", "年份", "营业收入（元）"],
        [first.uscc, "2020", "77"],
      ]);
      const deps = {
        db: p.ctx.db,
        vocabulary: p.ctx.library.rules.vocabulary,
        measureIds: new Set<string>(),
        now: p.ctx.now,
      };
      const req = { kind: "statistics" as const, fileName: "中断.csv", bytes, district: BANAN, actor: null };
      const sha = (await runImport(deps, req)).sha256;
      // As if the process had stopped before the end: counts never written, the fact not there.
      await p.ctx.db
        .updateTable("fact_imports")
        .set({ counts: "{}" })
        .where("file_sha256", "=", sha)
        .execute();
      await p.ctx.db.deleteFrom("enterprise_facts").where("import_file", "=", "中断.csv").execute();
      const again = await runImport(deps, req);
      expect(again.alreadyImported).toBeNull();
      expect(again.counts).toMatchObject({ imported: 1, changed: 1 });
      expect(await fact(first.uscc, "revenue", "2020")).toMatchObject({ value: 77 });
    });

    it("reports every bad row with its column and reason and commits the good ones", async () => {
      const r = await upload(
        officer,
        "statistics",
        "statistics-errors.csv",
        examples("statistics-errors.csv"),
      );
      expect(r.json.counts).toMatchObject({ rows: 6, imported: 1, bad: 5 });
      const byRow = Object.fromEntries(r.json.problems.map((x: Json) => [x.row, x]));
      expect(byRow[3]).toMatchObject({
        field: "统一社会信用代码",
        reason: expect.stringContaining("校验码错误"),
      });
      expect(byRow[4]).toMatchObject({ field: "年份", reason: expect.stringContaining("四位年份") });
      expect(byRow[5]).toEqual({ row: 5, field: "营业收入", reason: "金额不能为负数" });
      expect(byRow[6]).toMatchObject({ field: "营业收入", reason: expect.stringContaining("两位小数") });
      expect(byRow[7]).toMatchObject({
        field: "统一社会信用代码",
        reason: expect.stringContaining("平台上没有这家企业"),
      });
      expect(await fact(first.uscc, "revenue", "2025")).toMatchObject({ value: 34567800, import_row: 2 });
      // Nothing of the bad rows was written.
      expect(await fact(first.uscc, "revenue", "2024")).toMatchObject({ import_file: "statistics.csv" });
    });

    it("an import never overwrites a verified fact", async () => {
      const e = await p.ctx.db
        .selectFrom("enterprises")
        .selectAll()
        .where("uscc", "=", first.uscc)
        .executeTakeFirstOrThrow();
      const v = await officer.post(`/api/enterprises/${e.id}/facts/verify`, {
        facts: [{ factId: "employees", period: "" }],
      });
      expect(v.statusCode).toBe(200);
      const r = await upload(
        officer,
        "statistics",
        "更正.csv",
        csv([
          ["统一社会信用代码", "年份", "从业人员", "营业收入（万元）"],
          [first.uscc, "2026", "999", "1"],
        ]),
      );
      expect(r.json.counts).toMatchObject({ imported: 1, changed: 1 });
      expect(r.json.kept).toEqual([
        { row: 2, field: "从业人员", reason: "该项已由部门核实，导入的值未覆盖核实值" },
      ]);
      // 88: the 2025 row of statistics-errors.csv, verified above.
      expect(await fact(first.uscc, "employees")).toMatchObject({ source: "verified", value: 88 });
      expect(await fact(first.uscc, "revenue", "2026")).toMatchObject({ value: 10000, source: "import" });

      const only = await upload(
        officer,
        "statistics",
        "更正2.csv",
        csv([
          ["统一社会信用代码", "年份", "从业人员"],
          [first.uscc, "2026", "998"],
        ]),
      );
      expect(only.json.counts).toMatchObject({ imported: 1, changed: 0, keptVerified: 1 });
    });

    it("the enterprise cannot change or remove an imported value, may send it back unchanged, and sees its source", async () => {
      const ent = await registerEnterprise(p.app, { username: "import-self", regionCode: BANAN });
      const me = async () => (await ent.client.get(`/api/enterprises/${ent.enterpriseId}`)).json() as Json;
      let version = (await me()).version;
      const self = await ent.client.put(`/api/enterprises/${ent.enterpriseId}/facts`, {
        version,
        facts: { revenue: { "2024": 500 }, rdExpense: { "2024": 10 } },
      });
      expect(self.statusCode).toBe(200);
      // Government data replaces the self-reported revenue.
      const r = await upload(
        officer,
        "statistics",
        "营收.csv",
        csv([
          ["统一社会信用代码", "年份", "营业收入（元）"],
          [ent.uscc, "2024", "800.5"],
        ]),
      );
      expect(r.json.counts).toMatchObject({ changed: 1 });
      const profile = await me();
      expect(profile.facts.find((f: Json) => f.factId === "revenue")).toMatchObject({
        value: 800.5,
        source: "import",
        importFile: "营收.csv",
        importRow: 2,
      });
      version = profile.version;

      const change = await ent.client.put(`/api/enterprises/${ent.enterpriseId}/facts`, {
        version,
        facts: { revenue: { "2024": 900 } },
      });
      expect(change.statusCode).toBe(400);
      const err = change.json().error;
      expect(err.fields[0].field).toBe("facts.revenue.2024");
      expect(err.fields[0].message).toContain("营收.csv 第 2 行");
      expect(err.fields[0].message).toContain("不能自行修改");
      const remove = await ent.client.put(`/api/enterprises/${ent.enterpriseId}/facts`, {
        version,
        facts: { revenue: null },
      });
      expect(remove.statusCode).toBe(400);

      const same = await ent.client.put(`/api/enterprises/${ent.enterpriseId}/facts`, {
        version,
        facts: { revenue: { "2024": 800.5 }, rdExpense: { "2024": 20 } },
      });
      expect(same.statusCode).toBe(200);
      const after = await me();
      expect(after.facts.find((f: Json) => f.factId === "revenue")).toMatchObject({
        value: 800.5,
        source: "import",
      });
      expect(after.facts.find((f: Json) => f.factId === "rdExpense")).toMatchObject({
        value: 20,
        source: "self",
      });
    });

    it("imports R&D (xlsx, streamed in batches), certifications and awards; list items merge without duplicates", async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet("研发");
      ws.addRow(["统一社会信用代码", "年度", "研发费用（万元）"]);
      for (const e of banan) ws.addRow([e.uscc, 2024, 12.3456]);
      ws.addRow([first.uscc, 2023, "abc"]);
      const progress: number[] = [];
      const rd = await runImport(
        { db: p.ctx.db, vocabulary: p.ctx.library.rules.vocabulary, measureIds: new Set(), now: p.ctx.now },
        {
          kind: "rd",
          fileName: "研发.xlsx",
          bytes: new Uint8Array(await wb.xlsx.writeBuffer()),
          district: BANAN,
          actor: null,
          batchSize: 2,
          onProgress: (n) => progress.push(n),
        },
      );
      expect(rd.counts).toMatchObject({ rows: 4, imported: 3, changed: 3, bad: 1 });
      expect(rd.problems).toEqual([
        { row: 5, field: "研发费用", reason: "应为数字（如 1234.56），实际为「abc」" },
      ]);
      // After the first batch of two good rows, then at the end (the fourth row is bad).
      expect(progress).toEqual([2, 4]);
      expect(await fact(first.uscc, "rdExpense", "2024")).toMatchObject({ value: 123456, source: "import" });

      const certs = csv([
        ["统一社会信用代码", "认定类型", "级别", "认定日期", "证书编号"],
        [first.uscc, "专精特新中小企业", "市级", "2024/3/5", "ZJ-1"],
        [first.uscc, "高新技术企业", "国家级", "2023年11月20日", ""],
        [first.uscc, "优秀企业", "市级", "2024-01-01", ""],
        [first.uscc, "高新技术企业", "省级", "2024-02-30", ""],
      ]);
      const c = await upload(officer, "certifications", "认定.csv", certs);
      expect(c.json.counts).toMatchObject({ rows: 4, imported: 2, bad: 2 });
      expect(c.json.problems).toEqual([
        expect.objectContaining({
          row: 4,
          field: "认定类型",
          reason: expect.stringContaining("不认识的认定类型「优秀企业」"),
        }),
        expect.objectContaining({ row: 5, field: "级别" }),
        expect.objectContaining({
          row: 5,
          field: "认定日期",
          reason: expect.stringContaining("不是有效日期"),
        }),
      ]);
      const list = [
        { kind: "srdi", level: "municipal", date: "2024-03-05", id: "ZJ-1" },
        { kind: "highTechEnterprise", level: "national", date: "2023-11-20" },
      ];
      expect((await fact(first.uscc, "certifications"))?.value).toEqual(list);
      const again = await upload(officer, "certifications", "认定-再次.csv", certs);
      expect(again.json.counts).toMatchObject({ changed: 0, unchanged: 2 });
      expect((await fact(first.uscc, "certifications"))?.value).toEqual(list);

      const measure = [...p.ctx.engine.byId.keys()][0] as string;
      const awards = await upload(
        officer,
        "awards",
        "奖补.csv",
        csv([
          ["统一社会信用代码", "奖补措施", "年度", "金额（万元）"],
          [first.uscc, measure, "2024", "20"],
          [first.uscc, "no-such/1", "2024", "20"],
        ]),
      );
      expect(awards.json.counts).toMatchObject({ imported: 1, bad: 1 });
      expect(awards.json.problems[0]).toMatchObject({ row: 3, field: "奖补措施" });
      expect((await fact(first.uscc, "awardsReceived"))?.value).toEqual([
        { measureId: measure, year: 2024, amount: 200000 },
      ]);
    });

    it("refuses a file with missing columns or of another type, naming the field; lists past imports; audits without personal data", async () => {
      const missing = await upload(
        officer,
        "rd",
        "x.csv",
        csv([
          ["统一社会信用代码", "年份"],
          [first.uscc, "2024"],
        ]),
      );
      expect(missing.status).toBe(400);
      expect(missing.json.error.message).toContain("缺少研发费用所需的列：研发费用");
      expect(missing.json.error.fields[0].field).toBe("contentBase64");
      const wrongKind = await upload(officer, "people", "x.csv", Buffer.from("a"));
      expect(wrongKind.status).toBe(400);
      expect(wrongKind.json.error.fields[0]).toMatchObject({
        field: "kind",
        message: expect.stringContaining("企业名录"),
      });
      const type = await upload(officer, "rd", "x.xls", Buffer.from("a"));
      expect(type.status).toBe(400);
      expect(type.json.error.fields[0].field).toBe("fileName");

      const list = (await officer.get("/api/imports")).json() as Json;
      expect(list.items.length).toBeGreaterThanOrEqual(8);
      expect(list.items.every((i: Json) => i.district === BANAN && i.districtName === "巴南区")).toBe(true);
      const reg = list.items.find((i: Json) => i.fileName === "registry.csv");
      expect(reg).toMatchObject({
        kind: "registry",
        kindLabel: "企业名录",
        importedByName: "banan-officer",
        finished: true,
      });
      expect(reg.counts).toMatchObject({ rows: 12, imported: 3, bad: 9 });
      const theirs = (await yubei.get("/api/imports")).json() as Json;
      expect(theirs.items.map((i: Json) => i.district)).toEqual([YUBEI]);

      const audits = await p.ctx.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "facts.import")
        .execute();
      expect(audits.length).toBeGreaterThanOrEqual(8);
      const text = JSON.stringify(audits.map((a) => a.after));
      expect(text).not.toContain(first.uscc);
      expect(text).not.toContain(first.name);

      const ent = await registerEnterprise(p.app, { username: "import-denied", regionCode: BANAN });
      expect((await upload(ent.client, "rd", "x.csv", csv([["a"]]))).status).toBe(403);
    });

    it("an officer of another district gets every row of this district refused", async () => {
      const r = await upload(
        yubei,
        "rd",
        "研发-渝北.csv",
        csv([
          ["统一社会信用代码", "年份", "研发费用（元）"],
          [first.uscc, "2022", "100"],
        ]),
      );
      expect(r.json.counts).toMatchObject({ imported: 0, bad: 1 });
      expect(r.json.problems[0].reason).toBe("该企业属于巴南区，不在本次导入的辖区（渝北区）内");
      expect(await fact(first.uscc, "rdExpense", "2022")).toBeUndefined();
    });
  });
}

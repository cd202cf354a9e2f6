/** 诉求附件 on PGlite (and PostgreSQL when configured): who may attach when, the shared upload checks, download. */
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { requestFilesDir } from "./attachments.ts";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const PDF_BASE64 = PDF.toString("base64");
const PDF_TYPE = "application/pdf";
const WHEN = new Date("2026-04-03T10:00:00+08:00");

interface ErrorBody {
  error: { code: string; message: string; fields: { field: string; message: string }[] };
}

for (const kind of testDatabaseKinds()) {
  describe(`诉求附件 (${kind})`, () => {
    let p: TestPlatform;
    let enterprise: Client;
    let officer: Client;
    let otherDepartment: Client;
    let otherEnterprise: Client;
    let coordinator: Client;

    const login = (u: string) => new Client(p.app).login(u, DEMO_PASSWORD);

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.ctx.config.dataDir = await mkdtemp(join(tmpdir(), "huiqi-service-files-"));
      await seedDemo(p.ctx);
      enterprise = await login("qiye-banan-manufacturer");
      officer = await login("banan-economy-it");
      otherDepartment = await login("banan-science-tech");
      otherEnterprise = await login("qiye-yubei-smart-factory");
      coordinator = await login("banan-coordinator");
      p.setNow(WHEN);
    }, 180_000);
    afterAll(async () => p?.close());

    async function raise(): Promise<string> {
      const r = await enterprise.post("/api/service-requests", {
        category: "用工",
        description: "招工困难，需要对接职业院校",
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id;
    }

    const attach = (
      who: Client,
      id: string,
      fileName = "用工需求.pdf",
      contentType = PDF_TYPE,
      content = PDF_BASE64,
    ) =>
      who.post(`/api/service-requests/${id}/attachments`, { fileName, contentType, contentBase64: content });

    const refusal = (body: string) => (JSON.parse(body) as ErrorBody).error;

    it("the enterprise attaches a PDF to a new request; it is listed, on the timeline and audited", async () => {
      const id = await raise();
      const before = (await enterprise.get(`/api/service-requests/${id}`)).json();
      expect(before.attachments).toEqual([]);
      expect(before.can.attach).toBe(true);

      const r = await attach(enterprise, id);
      expect(r.statusCode, r.body).toBe(201);
      const detail = r.json();
      expect(detail.attachments).toHaveLength(1);
      expect(detail.attachments[0]).toMatchObject({
        fileName: "用工需求.pdf",
        contentType: PDF_TYPE,
        size: PDF.length,
        uploadedBy: detail.enterpriseName,
      });
      expect(detail.events.at(-1)).toMatchObject({ what: "上传附件", text: "用工需求.pdf" });
      const files = await readdir(requestFilesDir(p.ctx.config.dataDir, id));
      expect(files).toEqual([detail.attachments[0].id]);
      const audit = await p.ctx.db
        .selectFrom("audit_log")
        .select("action")
        .where("entity_id", "=", id)
        .where("action", "=", "service.attach")
        .execute();
      expect(audit).toHaveLength(1);
      // The officer sees it before accepting, but may not attach yet.
      const seen = (await officer.get(`/api/service-requests/${id}`)).json();
      expect(seen.attachments.map((a: { fileName: string }) => a.fileName)).toEqual(["用工需求.pdf"]);
      expect(seen.can.attach).toBe(false);
    });

    it("refuses a wrong type, a renamed file, a file too large and an 11th file, in Chinese naming the field", async () => {
      const id = await raise();
      const wrongType = await attach(
        enterprise,
        id,
        "说明.txt",
        "text/plain",
        Buffer.from("你好").toString("base64"),
      );
      expect(wrongType.statusCode).toBe(400);
      expect(refusal(wrongType.body).fields[0]).toMatchObject({
        field: "contentType",
        message: "只接受 PDF、JPG、PNG、DOCX、XLSX 文件",
      });

      const wrongExt = await attach(enterprise, id, "用工需求.png");
      expect(wrongExt.statusCode).toBe(400);
      expect(refusal(wrongExt.body).fields[0]).toMatchObject({ field: "fileName" });
      expect(refusal(wrongExt.body).fields[0]?.message).toContain("扩展名应为 .pdf");

      const renamed = await attach(
        enterprise,
        id,
        "营业执照.pdf",
        PDF_TYPE,
        Buffer.from("只是文本").toString("base64"),
      );
      expect(renamed.statusCode).toBe(400);
      expect(refusal(renamed.body).fields[0]?.field).toBe("contentBase64");
      expect(refusal(renamed.body).message).toContain("附件「营业执照.pdf」声明为PDF 文件");

      const limit = p.ctx.config.maxAttachmentBytes;
      p.ctx.config.maxAttachmentBytes = 16;
      const big = await attach(enterprise, id);
      p.ctx.config.maxAttachmentBytes = limit;
      expect(big.statusCode).toBe(413);
      expect(refusal(big.body).message).toContain("附件过大");
      expect(refusal(big.body).fields[0]).toMatchObject({ field: "contentBase64", message: "文件过大" });

      for (let i = 1; i <= 10; i++)
        expect((await attach(enterprise, id, `材料${i}.pdf`)).statusCode).toBe(201);
      const eleventh = await attach(enterprise, id, "材料11.pdf");
      expect(eleventh.statusCode).toBe(400);
      expect(refusal(eleventh.body).fields[0]).toMatchObject({
        field: "fileName",
        message: "每件诉求最多 10 个附件",
      });
      expect((await readdir(requestFilesDir(p.ctx.config.dataDir, id))).length).toBe(10);
    });

    it("another enterprise and an officer of another department get 404; the coordinator may not attach", async () => {
      const id = await raise();
      const own = (await attach(enterprise, id)).json();
      const fileUrl = `/api/service-requests/${id}/attachments/${own.attachments[0].id}`;
      for (const who of [otherEnterprise, otherDepartment]) {
        expect((await attach(who, id)).statusCode).toBe(404);
        expect((await who.get(fileUrl)).statusCode).toBe(404);
      }
      const coord = await attach(coordinator, id);
      expect(coord.statusCode).toBe(403);
      expect(refusal(coord.body).message).toBe("只有提出诉求的企业或责任部门可以上传附件");
      expect((await coordinator.get(fileUrl)).statusCode).toBe(200);
    });

    it("the handling officer attaches after accepting, not before; a closed request refuses everyone", async () => {
      const id = await raise();
      const url = `/api/service-requests/${id}`;
      const early = await attach(officer, id, "答复函.pdf");
      expect(early.statusCode).toBe(409);
      expect(refusal(early.body).message).toBe("诉求当前为「待部门报到」，不能上传附件（请先报到受理）");

      p.setNow(new Date("2026-04-07T09:00:00+08:00"));
      expect((await officer.post(`${url}/accept`)).statusCode).toBe(200);
      const done = await attach(officer, id, "答复函.pdf");
      expect(done.statusCode, done.body).toBe(201);
      const a = done.json().attachments[0];
      expect(a.uploadedBy).not.toBe(done.json().enterpriseName);
      expect(a.uploadedBy.length).toBeGreaterThan(0);

      expect((await officer.post(`${url}/reply`, { text: "已对接区职教中心，附答复函" })).statusCode).toBe(
        200,
      );
      expect((await attach(officer, id, "补充.pdf")).statusCode).toBe(409);
      expect((await attach(enterprise, id, "回执.pdf")).statusCode).toBe(201);
      expect((await enterprise.post(`${url}/confirm`)).statusCode).toBe(200);
      const closed = await attach(enterprise, id, "迟到.pdf");
      expect(closed.statusCode).toBe(409);
      expect(refusal(closed.body).message).toBe("诉求当前为「已办结」，不能上传附件");
      expect((await enterprise.get(url)).json().can.attach).toBe(false);
      p.setNow(WHEN);
    });

    it("the officer downloads a file (Chinese name, nosniff, inline preview) and the read is audited", async () => {
      const id = await raise();
      const fileId = (await attach(enterprise, id, "用工 需求.pdf")).json().attachments[0].id;
      const url = `/api/service-requests/${id}/attachments/${fileId}`;
      const got = await officer.get(url);
      expect(got.statusCode).toBe(200);
      expect(got.headers["content-type"]).toBe(PDF_TYPE);
      expect(got.headers["x-content-type-options"]).toBe("nosniff");
      expect(got.headers["content-disposition"]).toBe(
        `attachment; filename="__ __.pdf"; filename*=UTF-8''${encodeURIComponent("用工 需求.pdf")}`,
      );
      expect(got.rawPayload.equals(PDF)).toBe(true);
      const inline = await officer.get(`${url}?inline=1`);
      expect(inline.headers["content-disposition"]).toMatch(/^inline; /);

      const reads = await p.ctx.db
        .selectFrom("audit_log")
        .select(["action", "actor_role"])
        .where("entity_id", "=", id)
        .where("action", "=", "service.attachment.read")
        .execute();
      expect(reads).toEqual([
        { action: "service.attachment.read", actor_role: "officer" },
        { action: "service.attachment.read", actor_role: "officer" },
      ]);
      // The enterprise's own reads are not audited.
      expect((await enterprise.get(url)).statusCode).toBe(200);
      const after = await p.ctx.db
        .selectFrom("audit_log")
        .select("seq")
        .where("entity_id", "=", id)
        .where("action", "=", "service.attachment.read")
        .execute();
      expect(after).toHaveLength(2);
    });

    it("a failing insert leaves no file behind", async () => {
      const id = await raise();
      await sql
        .raw(`create function refuse_service_file() returns trigger language plpgsql as $$
          begin raise exception 'refused by test'; end $$`)
        .execute(p.ctx.db);
      await sql
        .raw(`create trigger refuse_service_file before insert on service_request_attachments
          for each row execute function refuse_service_file()`)
        .execute(p.ctx.db);
      try {
        const r = await attach(enterprise, id);
        expect(r.statusCode).toBe(500);
      } finally {
        await sql.raw("drop trigger refuse_service_file on service_request_attachments").execute(p.ctx.db);
        await sql.raw("drop function refuse_service_file()").execute(p.ctx.db);
      }
      const left = await readdir(requestFilesDir(p.ctx.config.dataDir, id)).catch(() => []);
      expect(left).toEqual([]);
      const detail = (await enterprise.get(`/api/service-requests/${id}`)).json();
      expect(detail.attachments).toEqual([]);
      expect(detail.events.map((e: { what: string }) => e.what)).toEqual(["企业提出诉求"]);
    });
  });
}

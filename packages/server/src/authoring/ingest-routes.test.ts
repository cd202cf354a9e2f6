import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { Client, startTestPlatform, type TestPlatform } from "../test-support.ts";
import { suggestDocumentId } from "./ingest-routes.ts";

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../ingest/fixtures/${name}`, import.meta.url)));

interface Ingested {
  fileName: string;
  text: string;
  suggestedId: string;
  document: {
    docNumber?: { value: string; span: [number, number] };
    issuer?: { value: string };
    issuedOn?: { value: string };
    validUntil?: { value: string };
    level?: string;
  };
  measures: {
    ordinal: number;
    title: string;
    titleSpan?: [number, number];
    leadDepartment?: string;
    amount?: unknown;
    amountSpan?: [number, number];
  }[];
  departments: { code: string; name: string }[];
  regions: { code: string; name: string }[];
}

describe("importing a notice (POST /api/policy-documents/ingest)", () => {
  let p: TestPlatform;
  let admin: Client;
  let enterprise: Client;
  beforeAll(async () => {
    p = await startTestPlatform("pglite");
    await seedDemo(p.ctx);
    admin = await new Client(p.app).login("policy-admin", DEMO_PASSWORD);
    enterprise = await new Client(p.app).login("qiye-banan-manufacturer", DEMO_PASSWORD);
  });
  afterAll(async () => {
    await p?.close();
  });

  const check = (r: Ingested) => {
    expect(r.document.docNumber?.value).toBe("某府办发〔2024〕18号");
    // Spans point into the cleaned text the page shows.
    const [a, b] = r.document.docNumber?.span ?? [0, 0];
    expect(r.text.slice(a, b)).toBe("某府办发〔2024〕18号");
    expect(r.document.issuedOn?.value).toBe("2024-03-15");
    expect(r.document.validUntil?.value).toBe("2025-12-31");
    expect(r.document.level).toBe("district");
    expect(r.measures).toHaveLength(7);
    const m6 = r.measures.find((m) => m.ordinal === 6);
    expect(m6?.amount).toMatchObject({ upTo: 1000000 });
    const [s, e] = m6?.amountSpan ?? [0, 0];
    expect(r.text.slice(s, e)).toContain("最高100万元");
    const m2 = r.measures.find((m) => m.ordinal === 2);
    expect(m2?.leadDepartment).toBe("big-data");
    expect(r.text.slice(...(m2?.titleSpan ?? [0, 0]))).toBe("支持企业上云用云");
    expect(r.suggestedId).toBe("doc-2024-18");
    expect(r.departments.find((d) => d.code === "big-data")?.name).toBeTruthy();
    expect(r.regions.find((x) => x.code === "500113")?.name).toBe("巴南区");
  };

  it("reads a .txt notice: 文号, seven measures with their amounts, spans into the cleaned text", async () => {
    const r = await admin.post("/api/policy-documents/ingest", {
      fileName: "digital-economy.txt",
      contentBase64: fixture("digital-economy.txt").toString("base64"),
    });
    expect(r.statusCode).toBe(200);
    check(r.json() as Ingested);
  });

  it("reads the same notice as a Word file", async () => {
    const r = await admin.post("/api/policy-documents/ingest", {
      fileName: "digital-economy.docx",
      contentBase64: fixture("digital-economy.docx").toString("base64"),
    });
    expect(r.statusCode).toBe(200);
    check(r.json() as Ingested);
  });

  it("reads pasted text", async () => {
    const r = await admin.post("/api/policy-documents/ingest", {
      fileName: "粘贴的正文",
      text: fixture("digital-economy.txt").toString("utf8"),
    });
    expect(r.statusCode).toBe(200);
    expect((r.json() as Ingested).measures).toHaveLength(7);
  });

  it("refuses an unsupported file in Chinese, naming the file", async () => {
    const r = await admin.post("/api/policy-documents/ingest", {
      fileName: "通知.doc",
      contentBase64: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]).toString(
        "base64",
      ),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain("通知.doc");
    expect(r.json().error.message).toMatch(/不支持/);
    const xlsx = await admin.post("/api/policy-documents/ingest", {
      fileName: "台账.xlsx",
      contentBase64: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]).toString("base64"),
    });
    expect(xlsx.statusCode).toBe(400);
    expect(xlsx.json().error.message).toContain("台账.xlsx");
  });

  it("refuses a broken Word file and a request with both or neither of file and text", async () => {
    const broken = await admin.post("/api/policy-documents/ingest", {
      fileName: "坏文件.docx",
      contentBase64: Buffer.from([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9]).toString("base64"),
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.message).toContain("坏文件.docx");
    const neither = await admin.post("/api/policy-documents/ingest", { fileName: "x.txt" });
    expect(neither.statusCode).toBe(400);
    expect(JSON.stringify(neither.json())).toContain("二者选一");
  });

  it("is for policy administrators only", async () => {
    const r = await enterprise.post("/api/policy-documents/ingest", {
      fileName: "a.txt",
      text: "一、测试。",
    });
    expect(r.statusCode).toBe(403);
  });

  it("suggests an id from the year and number of the 文号", () => {
    expect(suggestDocumentId("巴南府办发〔2022〕63号", undefined)).toBe("doc-2022-63");
    expect(suggestDocumentId(undefined, "2023-05-30")).toBe("doc-2023");
    expect(suggestDocumentId(undefined, undefined)).toBe("doc-new");
  });
});

import { readDocumentSources } from "@huiqi/policies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";

const DOC = "banan-2022-63";
const MEASURE = "banan-2022-63/1";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below.
type Json = any;

const seedFiles = () => {
  const s = readDocumentSources().find((x) => x.id === DOC);
  if (!s) throw new Error("seed missing");
  return s.files;
};

/** The seed files with measure 1's 20万元 award changed to `yuan`. */
const withAmount = (yuan: number) => {
  const files = { ...seedFiles() };
  const text = files["measures.yaml"] ?? "";
  const changed = text.replace("amount:\n      fixed: 200000\n", `amount:\n      fixed: ${yuan}\n`);
  if (changed === text) throw new Error("measure 1's amount not found in the seed");
  files["measures.yaml"] = changed;
  return files;
};

for (const kind of testDatabaseKinds()) {
  describe(`policy editor preview and diff (${kind})`, () => {
    let p: TestPlatform;
    let admin: Client;
    let enterprise: Client;
    let enterpriseId: string;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await seedDemo(p.ctx);
      admin = await new Client(p.app).login("policy-admin", DEMO_PASSWORD);
      enterprise = await new Client(p.app).login("qiye-banan-manufacturer", DEMO_PASSWORD);
      enterpriseId = (await enterprise.get("/api/auth/me")).json().actor.enterpriseId;
    });
    afterAll(async () => {
      await p?.close();
    });

    it("finds the seeded enterprise by name for the preview picker, with its district", async () => {
      const me = (await enterprise.get(`/api/enterprises/${enterpriseId}`)).json();
      const r = await admin.get(
        `/api/policy-documents/enterprises?q=${encodeURIComponent(me.name.slice(0, 4))}`,
      );
      expect(r.statusCode).toBe(200);
      const items: Json[] = r.json().items;
      expect(items.length).toBeLessThanOrEqual(20);
      expect(items).toContainEqual({ id: enterpriseId, name: me.name, district: "巴南区" });
      expect((await enterprise.get("/api/policy-documents/enterprises?q=巴南")).statusCode).toBe(403);
    });

    it("previews the draft's amount for a seeded enterprise next to the published one", async () => {
      const r = await admin.post(`/api/policy-documents/${DOC}/preview`, {
        files: withAmount(300000),
        enterpriseId,
        asOf: "2022-10-01",
      });
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.enterprise.district).toBe("巴南区");
      const m = body.measures.find((x: Json) => x.measureId === MEASURE);
      expect(m.draft.outcome).toBe(m.published.outcome);
      expect(m.draft.outcome).not.toBe("ineligible");
      expect(m.draft.amount).toMatchObject({ min: 30_000_000, max: 30_000_000, text: "30万元" });
      expect(m.published.amount).toMatchObject({ min: 20_000_000, max: 20_000_000, text: "20万元" });
      expect(m.draft.rendered.amount.total).toBe("30万元");
      expect(m.draft.rendered.checks.length).toBeGreaterThan(0);
      // Every measure of the document is previewed.
      expect(body.measures.length).toBe((seedFiles()["measures.yaml"] ?? "").match(/^ {2}- id: /gm)?.length);
    });

    it("lists exactly the changed amount as the difference from the published version", async () => {
      const same = await admin.post(`/api/policy-documents/${DOC}/diff`, { files: seedFiles() });
      expect(same.statusCode).toBe(200);
      expect(same.json()).toEqual({
        published: true,
        document: [],
        measures: [],
        cases: { added: [], removed: [], changed: [] },
      });
      const r = await admin.post(`/api/policy-documents/${DOC}/diff`, { files: withAmount(300000) });
      expect(r.statusCode).toBe(200);
      expect(r.json().document).toEqual([]);
      expect(r.json().measures).toEqual([
        {
          measureId: MEASURE,
          title: "第1条 鼓励工业企业做大做强（升规奖励）",
          change: "changed",
          fields: [{ label: "金额", before: "20万元", after: "30万元" }],
        },
      ]);
    });

    it("treats every measure of a document never published as new", async () => {
      // A copy of 巴南 under a new id; its own facts stay defined by the published 巴南 document.
      const files = Object.fromEntries(
        Object.entries(seedFiles())
          .filter(([name]) => name !== "facts.yaml")
          .map(([name, text]) => [name, text.replaceAll(DOC, "banan-2099-1")]),
      );
      const r = await admin.post("/api/policy-documents/banan-2099-1/diff", { files });
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body.published).toBe(false);
      expect(body.measures.length).toBeGreaterThan(0);
      expect(body.measures.every((m: Json) => m.change === "added")).toBe(true);
      expect(body.measures[0].fields).toContainEqual({ label: "金额", before: "", after: "20万元" });
      const preview = await admin.post("/api/policy-documents/banan-2099-1/preview", {
        files,
        enterpriseId,
        asOf: "2022-10-01",
      });
      expect(preview.statusCode).toBe(200);
      expect(preview.json().measures.every((m: Json) => m.published === null && m.draft !== null)).toBe(true);
    });

    it("refuses an enterprise account", async () => {
      for (const path of ["preview", "diff"]) {
        const r = await enterprise.post(`/api/policy-documents/${DOC}/${path}`, {
          files: seedFiles(),
          enterpriseId,
        });
        expect(r.statusCode).toBe(403);
      }
    });

    it("answers 400 in Chinese for files that do not compile", async () => {
      const files = { ...seedFiles(), "measures.yaml": "measures:\n  - id: banan-2022-63/1\n" };
      for (const path of ["preview", "diff"]) {
        const r = await admin.post(`/api/policy-documents/${DOC}/${path}`, { files, enterpriseId });
        expect(r.statusCode).toBe(400);
        expect(r.json().error.message).toMatch(/^政策数据有误：/);
        expect(r.json().error.message).toContain("measures.yaml");
      }
      const bad = withAmount(300000);
      bad["measures.yaml"] = (bad["measures.yaml"] ?? "").replace(
        "expr: aboveScaleFirstYear == 2021",
        "expr: noSuchFact == 2021",
      );
      const r = await admin.post(`/api/policy-documents/${DOC}/preview`, { files: bad, enterpriseId });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toMatch(/^规则无法编译：/);
      expect(r.json().error.fields).toEqual([expect.objectContaining({ field: "files" })]);
    });
  });
}

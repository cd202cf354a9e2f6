import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerEnterprise, staffClient } from "../enterprises/test-fixtures.ts";
import type { Client } from "../test-support.ts";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { highlight, sentences } from "./search.ts";

describe("search highlighting", () => {
  it("marks query words with 【】 and merges touching marks", () => {
    expect(highlight("对2021年申报研发费用1000万元以下的企业", ["研发", "费用"]).highlighted).toBe(
      "对2021年申报【研发费用】1000万元以下的企业",
    );
    expect(highlight("ABC abc", ["abc"]).highlighted).toBe("【ABC】 【abc】");
    expect(sentences("第一句。第二句；第三句")).toEqual(["第一句。", "第二句；", "第三句"]);
  });
});

interface Hit {
  measureId: string;
  matches: { field: string; sentence: string; highlighted: string }[];
}

for (const kind of testDatabaseKinds()) {
  describe(`policy library (${kind})`, () => {
    let p: TestPlatform;
    let ent: Client;
    let admin: Client;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      ({ client: ent } = await registerEnterprise(p.app, { username: "reader", regionCode: "500112" }));
      admin = await staffClient(p.app, p.ctx, { username: "policy-admin", role: "policyAdmin" });
    }, 60_000);
    afterAll(async () => p?.close());

    it("lists documents with measure counts and shows one document", async () => {
      const r = await ent.get("/api/documents");
      expect(r.statusCode, r.body).toBe(200);
      const docs = r.json().items as { id: string; measureCount: number }[];
      expect(docs.length).toBe(p.ctx.library.rules.documents.length);
      expect(docs.reduce((s, d) => s + d.measureCount, 0)).toBe(p.ctx.library.rules.measures.length);
      const one = await ent.get("/api/documents/banan-2022-63");
      expect(one.statusCode).toBe(200);
      expect(one.json().measures.map((m: { id: string }) => m.id)).toContain("banan-2022-63/1");
      expect((await ent.get("/api/documents/nope")).statusCode).toBe(404);
      // The library is public: a visitor without a session reads the same list.
      const anon = await new (ent.constructor as typeof Client)(p.app).get("/api/documents");
      expect(anon.statusCode).toBe(200);
      expect(anon.json().items.length).toBe(docs.length);
    });

    it("filters measures: region 500112 includes municipal and Yubei measures, no Banan ones", async () => {
      const r = await ent.get("/api/measures?region=500112&pageSize=200");
      expect(r.statusCode, r.body).toBe(200);
      const items = r.json().items as { id: string; regionCode: string; level: string }[];
      expect(items.some((m) => m.id.startsWith("yubei-"))).toBe(true);
      expect(items.some((m) => m.level === "municipal")).toBe(true);
      expect(items.some((m) => m.id.startsWith("banan-"))).toBe(false);
      expect(items.every((m) => m.regionCode === "500112" || m.regionCode === "500000")).toBe(true);

      const banan = (
        await ent.get("/api/measures?documentId=banan-2022-63&monetary=true&pageSize=200")
      ).json();
      expect(
        banan.items.every(
          (m: { id: string; monetary: boolean }) => m.id.startsWith("banan-2022-63/") && m.monetary,
        ),
      ).toBe(true);
      const valid = (
        await ent.get("/api/measures?documentId=banan-2022-63&validOn=2023-06-01&pageSize=200")
      ).json();
      expect(
        valid.items.every(
          (m: { validUntil: string | null }) => m.validUntil === null || m.validUntil >= "2023-06-01",
        ),
      ).toBe(true);
      expect(valid.total).toBeLessThan(banan.total + 100);
      const dept = (
        await ent.get("/api/measures?department=economy-it&level=district&benefitType=award")
      ).json();
      expect(
        dept.items.every(
          (m: { leadDepartment: string; level: string; benefitType: string }) =>
            m.leadDepartment === "economy-it" && m.level === "district" && m.benefitType === "award",
        ),
      ).toBe(true);
      const paged = (await ent.get("/api/measures?pageSize=5&page=2")).json();
      expect(paged.items.length).toBe(5);
      expect(paged.total).toBe(p.ctx.library.rules.measures.length);

      for (const bad of [
        "region=abc",
        "validOn=2023-02-30",
        "level=galactic",
        "monetary=yes",
        "pageSize=0",
      ]) {
        const e = await ent.get(`/api/measures?${bad}`);
        expect(e.statusCode, bad).toBe(400);
        expect(e.json().error.fields[0].field).toBe(bad.split("=")[0]);
      }
    });

    it("returns a measure with interpretation, notes and version history (slash or encoded id)", async () => {
      const r = await ent.get("/api/measures/banan-2022-63/3");
      expect(r.statusCode, r.body).toBe(200);
      const m = r.json();
      expect(m.id).toBe("banan-2022-63/3");
      expect(m.data.interpretation.who).toBeTruthy();
      expect(m.data.notes.length).toBeGreaterThan(0);
      expect(m.versions).toEqual([
        expect.objectContaining({ rulesVersion: p.ctx.engine.version, current: true }),
      ]);
      const enc = await ent.get("/api/measures/banan-2022-63%2F3");
      expect(enc.statusCode, enc.body).toBe(200);
      expect(enc.json().id).toBe("banan-2022-63/3");
      expect((await ent.get("/api/measures/banan-2022-63/999")).statusCode).toBe(404);
    });

    it("searches 研发费用 at clause level with 【】 highlights", async () => {
      const r = await ent.get(`/api/search?q=${encodeURIComponent("研发费用")}&pageSize=50`);
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body.mode).toBe("all");
      expect(body.highlight).toEqual({ open: "【", close: "】" });
      const hits = body.hits as Hit[];
      const banan = hits.find((h) => h.measureId === "banan-2022-63/3");
      expect(banan).toBeDefined();
      expect(banan?.matches.some((s) => s.field === "clause" && s.highlighted.includes("【研发费用】"))).toBe(
        true,
      );
      expect(hits.some((h) => h.measureId.startsWith("kaizhou-2023-27/11"))).toBe(true);
      for (const h of hits) for (const s of h.matches) expect(s.highlighted).toMatch(/【[^】]+】/);
      const ranks = (body.hits as { rank: number }[]).map((h) => h.rank);
      expect([...ranks].sort((x, y) => y - x)).toEqual(ranks);
    });

    it("falls back to any word, and rejects an empty, symbol-only or too long q naming q", async () => {
      const any = await ent.get(`/api/search?q=${encodeURIComponent("研发费用 火星基地")}`);
      expect(any.statusCode).toBe(200);
      expect(any.json().mode).toBe("any");
      expect(any.json().total).toBeGreaterThan(0);
      const quotes = await ent.get(`/api/search?q=${encodeURIComponent("研发' & | ! (费用")}`);
      expect(quotes.statusCode, quotes.body).toBe(200);
      for (const q of ["", "%20%20", encodeURIComponent("。，！"), "x".repeat(101)]) {
        const r = await ent.get(`/api/search?q=${q}`);
        expect(r.statusCode, q).toBe(400);
        expect(r.json().error.fields[0].field).toBe("q");
      }
      expect((await ent.get("/api/search")).json().error.fields[0].field).toBe("q");
    });

    it("expands synonyms: 研发补贴 and 研发费用 find 研发投入补贴 / 研发费用后补助 / 区级补助 measures", async () => {
      const ids = async (q: string, extra = "") => {
        const r = await ent.get(`/api/search?q=${encodeURIComponent(q)}&pageSize=50${extra}`);
        expect(r.statusCode, r.body).toBe(200);
        return r.json() as {
          exact: boolean;
          notice: string | null;
          mode: string;
          hits: Hit[];
          total: number;
        };
      };
      const subsidy = await ids("研发补贴");
      expect(subsidy.exact).toBe(true);
      expect(subsidy.notice).toBeNull();
      const subsidyIds = subsidy.hits.map((h) => h.measureId);
      expect(subsidyIds).toContain("banan-2022-63/3");
      expect(subsidyIds).toContain("kaizhou-2023-27/11.3");
      expect(subsidyIds).toContain("yubei-2021-13/9.1");
      const banan = subsidy.hits.find((h) => h.measureId === "banan-2022-63/3");
      expect(banan?.matches.some((s) => /【研发(投入|费用)/.test(s.highlighted))).toBe(true);
      const cost = await ids("研发费用");
      expect(cost.hits.map((h) => h.measureId)).toContain("yubei-2021-13/9.1");
      const yubei = cost.hits.find((h) => h.measureId === "yubei-2021-13/9.1");
      expect(yubei?.matches.some((s) => s.highlighted.includes("【研发投入"))).toBe(true);
      expect(yubei).toHaveProperty("validUntil");
    });

    it("says when results are partial: a nonsense word with a real one gives exact false and a notice", async () => {
      const r = await ent.get(`/api/search?q=${encodeURIComponent("研发补贴 火星基地")}`);
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body.mode).toBe("any");
      expect(body.exact).toBe(false);
      expect(body.notice).toBe("没有完全匹配「研发补贴 火星基地」的措施，以下为部分匹配的结果");
      expect(body.total).toBeGreaterThan(0);
    });

    it("filters search by district (plus municipal documents) and by being in force today", async () => {
      const all = (await ent.get(`/api/search?q=${encodeURIComponent("研发补贴")}&pageSize=50`)).json();
      expect((all.hits as Hit[]).some((h) => h.measureId.startsWith("banan-"))).toBe(true);
      const r = await ent.get(`/api/search?q=${encodeURIComponent("研发补贴")}&region=500112&pageSize=50`);
      expect(r.statusCode, r.body).toBe(200);
      const hits = r.json().hits as (Hit & { regionCode: string })[];
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.some((h) => h.measureId === "yubei-2021-13/9.1")).toBe(true);
      expect(hits.every((h) => h.regionCode === "500112" || h.regionCode === "500000")).toBe(true);
      expect(hits.some((h) => h.measureId.startsWith("banan-"))).toBe(false);
      const today = new Date(p.ctx.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      const live = await ent.get(`/api/search?q=${encodeURIComponent("研发补贴")}&inForce=true&pageSize=50`);
      expect(live.statusCode, live.body).toBe(200);
      for (const h of live.json().hits as { validFrom: string; validUntil: string | null }[]) {
        expect(h.validFrom <= today).toBe(true);
        expect(h.validUntil === null || h.validUntil >= today).toBe(true);
      }
      for (const bad of ["region=abc", "inForce=yes"]) {
        const e = await ent.get(`/api/search?q=${encodeURIComponent("研发")}&${bad}`);
        expect(e.statusCode, bad).toBe(400);
        expect(e.json().error.fields[0].field).toBe(bad.split("=")[0]);
      }
    });

    it("sets budgets: policy admin or the district's finance, integer 分 ≥ 0", async () => {
      const r = await admin.put("/api/measures/banan-2022-63/1/budget", { budgetFen: 500_000_000 });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({
        measureId: "banan-2022-63/1",
        budgetFen: 500_000_000,
        budgetText: "500万元",
      });
      expect((await ent.get("/api/measures/banan-2022-63/1")).json().budgetFen).toBe(500_000_000);
      for (const bad of [-1, 1.5, "100"]) {
        const e = await admin.put("/api/measures/banan-2022-63/1/budget", { budgetFen: bad });
        expect(e.statusCode).toBe(400);
        expect(e.json().error.fields[0].field).toBe("budgetFen");
      }
      const yubeiFinance = await staffClient(p.app, p.ctx, {
        username: "yubei-czj",
        role: "finance",
        regionCode: "500112",
      });
      expect(
        (await yubeiFinance.put("/api/measures/banan-2022-63/1/budget", { budgetFen: 1 })).statusCode,
      ).toBe(403);
      expect(
        (await yubeiFinance.put("/api/measures/yubei-2021-13/1/budget", { budgetFen: 100 })).statusCode,
      ).toBe(200);
      expect((await ent.put("/api/measures/yubei-2021-13/1/budget", { budgetFen: 100 })).statusCode).toBe(
        403,
      );
    });

    it("reloads the library: unchanged data changes nothing; against an older version it reports and queues changed measures", async () => {
      expect((await ent.post("/api/policies/reload")).statusCode).toBe(403);
      const same = await admin.post("/api/policies/reload");
      expect(same.statusCode, same.body).toBe(200);
      expect(same.json()).toMatchObject({ inserted: false, changed: [] });

      // Simulate an older current version in which banan-2022-63/1 read differently.
      const current = p.ctx.engine.version;
      await p.ctx.db
        .insertInto("rules_versions")
        .values({ version: "old0000000000000", loaded_at: new Date(Date.now() - 86_400_000), current: false })
        .execute();
      const rows = await p.ctx.db
        .selectFrom("measures")
        .selectAll()
        .where("rules_version", "=", current)
        .execute();
      await p.ctx.db
        .insertInto("measures")
        .values(
          rows.map((m) => ({
            ...m,
            rules_version: "old0000000000000",
            co_departments: JSON.stringify(m.co_departments),
            data: JSON.stringify(m.data),
            content_hash: m.id === "banan-2022-63/1" ? "different0000000" : m.content_hash,
          })),
        )
        .execute();
      await p.ctx.db.updateTable("rules_versions").set({ current: false }).execute();
      await p.ctx.db
        .updateTable("rules_versions")
        .set({ current: true })
        .where("version", "=", "old0000000000000")
        .execute();

      const r = await admin.post("/api/policies/reload");
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ version: current, inserted: false, changed: ["banan-2022-63/1"] });
      const jobs = await p.ctx.db
        .selectFrom("outbox")
        .selectAll()
        .where("topic", "=", "measure.changed")
        .execute();
      expect(jobs.map((j) => j.dedupe_key)).toEqual([`measure.changed:${current}:banan-2022-63/1`]);
      const detail = (await ent.get("/api/measures/banan-2022-63/1")).json();
      expect(detail.versions.map((v: { rulesVersion: string }) => v.rulesVersion)).toEqual([
        "old0000000000000",
        current,
      ]);
      const other = (await ent.get("/api/measures/banan-2022-63/3")).json();
      expect(other.versions).toHaveLength(1);
    });
  });
}

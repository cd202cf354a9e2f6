import { randomUUID } from "node:crypto";
import { readDocumentSources } from "@huiqi/policies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { allEnterpriseFacts } from "../enterprises/facts-store.ts";
import { makeUscc } from "../enterprises/test-fixtures.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { industrySection, Side, simulateImpact } from "./impact.ts";

const DOC = "banan-2022-63";
const MEASURE = `${DOC}/1`;
/** 20万元 → 30万元, in 分. */
const OLD_FEN = 200_000 * 100;
const NEW_FEN = 300_000 * 100;
/** HUIQI_IMPACT_N=50000 measures a larger population (a multiple of 8). */
const N = Number(process.env.HUIQI_IMPACT_N ?? 2_000);

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below.
type Json = any;

/**
 * Synthetic population, by i % 4: 0 = 巴南 industrial, first above scale in 2021 (eligible for measure 1);
 * 1 = same but 2020 (ineligible); 2 = year unknown (undetermined); 3 = another district (ineligible).
 * Half of the eligible ones have 10 employees (微型).
 */
async function seedPopulation(p: TestPlatform): Promise<void> {
  const now = new Date();
  for (let start = 0; start < N; start += 500) {
    const es: {
      id: string;
      uscc: string;
      name: string;
      region_code: string;
      industry_code: string;
      created_at: Date;
      updated_at: Date;
    }[] = [];
    const facts: {
      enterprise_id: string;
      fact_id: string;
      period: string;
      value: string;
      source: string;
      verified_by: null;
      updated_at: Date;
    }[] = [];
    for (let i = start; i < Math.min(N, start + 500); i++) {
      const id = randomUUID();
      const region = i % 4 === 3 ? "500112" : "500113";
      es.push({
        id,
        uscc: makeUscc(region, 9_000_000 + i),
        name: `测算样本企业${i}`,
        region_code: region,
        industry_code: "C3670",
        created_at: now,
        updated_at: now,
      });
      const fact = (fact_id: string, value: unknown) =>
        facts.push({
          enterprise_id: id,
          fact_id,
          period: "",
          value: JSON.stringify(value),
          source: "self",
          verified_by: null,
          updated_at: now,
        });
      fact("awardsReceived", []);
      if (i % 4 === 0) fact("aboveScaleFirstYear", 2021);
      if (i % 4 === 1) fact("aboveScaleFirstYear", 2020);
      if (i % 4 === 3) fact("aboveScaleFirstYear", 2021);
      if (i % 8 === 0) fact("employees", 10);
    }
    await p.ctx.db.insertInto("enterprises").values(es).execute();
    await p.ctx.db.insertInto("enterprise_facts").values(facts).execute();
  }
}

describe("industry sections", () => {
  it("names the GB/T 4754 section of an industry code", () => {
    expect(industrySection("C3670")).toBe("C 制造业");
    expect(industrySection("i6510")).toBe("I 信息传输、软件和信息技术服务业");
    expect(industrySection(null)).toBe("未填行业代码");
    expect(industrySection("Z99")).toBe("未填行业代码");
  });
});

for (const kind of testDatabaseKinds()) {
  describe(`impact simulation (${kind})`, () => {
    let p: TestPlatform;
    let author: Client;
    let enterprise: Client;
    let draftRevision: number;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await seedDemo(p.ctx);
      // Measure 1 ran until 2022-12-31: simulate within its term.
      p.setNow(new Date("2022-11-01T04:00:00Z"));
      author = new Client(p.app);
      enterprise = new Client(p.app);
      await author.login("policy-admin", DEMO_PASSWORD);
      await enterprise.login("qiye-banan-manufacturer", DEMO_PASSWORD);
      const files = readDocumentSources().find((x) => x.id === DOC)?.files;
      if (!files) throw new Error("seed missing");
      const measures = files["measures.yaml"]?.replace("fixed: 200000", "fixed: 300000") ?? "";
      const cases = files["cases.yaml"]?.replaceAll("amount: 200000,", "amount: 300000,") ?? "";
      const r = await author.post(`/api/policy-documents/${DOC}/revisions`, {
        files: { ...files, "measures.yaml": measures, "cases.yaml": cases },
      });
      expect(r.statusCode).toBe(201);
      draftRevision = r.json().revision;
    }, 60_000);
    afterAll(async () => {
      await p?.close();
    });

    const impact = async (revision: number, c: Client = author) => {
      const r = await c.post(`/api/policy-documents/${DOC}/revisions/${revision}/impact`, {});
      return { status: r.statusCode, json: r.json() as Json };
    };

    it("refuses the published revision, unknown revisions and non-policy roles", async () => {
      const published = await impact(1);
      expect(published.status).toBe(409);
      expect(published.json.error.message).toContain("草稿和待审核");
      expect((await impact(999)).status).toBe(404);
      expect((await impact(draftRevision, enterprise)).status).toBe(403);
    });

    it("reports progress while it runs: batch by batch up to every enterprise, then nothing running", async () => {
      const seen: [number, number][] = [];
      const report = await simulateImpact(p.ctx, DOC, draftRevision, (done, total) =>
        seen.push([done, total]),
      );
      expect(seen[0]).toEqual([0, report.enterprises]);
      expect(seen.at(-1)).toEqual([report.enterprises, report.enterprises]);
      for (const [i, [done, total]] of seen.entries()) {
        expect(done).toBeLessThanOrEqual(total);
        if (i > 0) expect(done).toBeGreaterThanOrEqual(seen[i - 1]?.[0] ?? 0);
      }
      const idle = await author.get(
        `/api/policy-documents/${DOC}/revisions/${draftRevision}/impact/progress`,
      );
      expect(idle.json()).toEqual({ running: false, done: 0, total: 0 });
      const other = await enterprise.get(
        `/api/policy-documents/${DOC}/revisions/${draftRevision}/impact/progress`,
      );
      expect(other.statusCode).toBe(403);
    });

    it(`counts ${N} synthetic enterprises right for a draft that raises one amount`, async () => {
      const before = await impact(draftRevision);
      expect(before.status, JSON.stringify(before.json)).toBe(200);
      await seedPopulation(p);
      const started = performance.now();
      const after = await impact(draftRevision);
      const wall = Math.round(performance.now() - started);
      expect(after.status).toBe(200);
      const b = before.json;
      const a = after.json;
      console.log(
        `impact simulation (${kind}): ${a.enterprises} enterprises in ${a.elapsedMs} ms server-side, ${wall} ms with the HTTP round trip`,
      );
      expect(a.enterprises - b.enterprises).toBe(N);
      expect(a.asOf).toBe("2022-11-01");

      const m = (j: Json) => j.measures.find((x: Json) => x.measureId === MEASURE);
      const eligible = N / 4;
      const mb = m(b);
      const ma = m(a);
      expect(ma.title).toBe("鼓励工业企业做大做强（升规奖励）");
      expect(ma.inDraft && ma.inPublished).toBe(true);
      expect(ma.draft.eligible - mb.draft.eligible).toBe(eligible);
      expect(ma.published.eligible - mb.published.eligible).toBe(eligible);
      expect(ma.draft.undetermined - mb.draft.undetermined).toBe(N / 4);
      expect(ma.published.undetermined - mb.published.undetermined).toBe(N / 4);
      expect(ma.draft.guaranteedFen - mb.draft.guaranteedFen).toBe(eligible * NEW_FEN);
      expect(ma.published.guaranteedFen - mb.published.guaranteedFen).toBe(eligible * OLD_FEN);
      expect(ma.draft.maxFen - mb.draft.maxFen).toBe(eligible * NEW_FEN);
      expect(ma.draft.maxUnbounded).toBe(mb.draft.maxUnbounded);
      expect(ma.budgetFen).toBeNull();

      // Only measure 1 changed: every other measure counts the same in both versions.
      for (const x of a.measures.filter((y: Json) => y.measureId !== MEASURE))
        expect(x.draft).toEqual(x.published);

      // Gainers: exactly the eligible synthetic enterprises (plus whatever the demo data had), nobody loses.
      const up = a.changes.amountUp;
      expect(up.count - b.changes.amountUp.count).toBe(eligible);
      expect(up.examples).toHaveLength(20);
      expect(up.examples[0]).toMatchObject({ district: "巴南区" });
      expect(up.examples[0].draft.min - up.examples[0].published.min).toBe(NEW_FEN - OLD_FEN);
      expect(a.changes.amountDown.count).toBe(0);
      expect(a.changes.noLongerEligible.count).toBe(0);
      expect(a.changes.newlyEligible.count).toBe(0);
      expect(a.costDifference.guaranteedFen - b.costDifference.guaranteedFen).toBe(
        eligible * (NEW_FEN - OLD_FEN),
      );
      expect(a.total.draft.eligible - b.total.draft.eligible).toBe(eligible);

      // Breakdowns: 巴南区, C 制造业, 微型 (employees 10 on every other eligible one) / 规模未定.
      const row = (list: Json[], label: string) => list.find((x: Json) => x.label === label);
      const dist = (j: Json) => row(j.byDistrict, "巴南区")?.draft.eligible ?? 0;
      expect(dist(a) - dist(b)).toBe(eligible);
      const ind = (j: Json) => row(j.byIndustry, "C 制造业")?.draft.guaranteedFen ?? 0;
      const indP = (j: Json) => row(j.byIndustry, "C 制造业")?.published.guaranteedFen ?? 0;
      expect(ind(a) - ind(b) - (indP(a) - indP(b))).toBe(eligible * (NEW_FEN - OLD_FEN));
      const micro = (j: Json) => row(j.bySize, "微型")?.draft.eligible ?? 0;
      expect(micro(a) - micro(b)).toBe(eligible / 2);
      const sizeLabels = a.bySize.map((x: Json) => x.label);
      expect(sizeLabels).toContain("规模未定");
      // No ids in what the page shows: district and section labels are Chinese names.
      expect(a.byDistrict.every((x: Json) => !/^\d+$/.test(x.label))).toBe(true);
    }, 600_000);

    it("the hot path agrees with the engine's own evaluation (outcomes and totals after stacking)", async () => {
      const engine = p.ctx.engine;
      for (const asOf of ["2022-11-01", "2024-06-30"]) {
        for (const doc of p.ctx.library.documents) {
          const measures = engine.measures.filter((m) => m.doc.id === doc.document.id);
          const side = new Side(engine, measures, asOf);
          const opts = { asOf, measures: measures.map((m) => m.def.id) };
          let checked = 0;
          for await (const batch of allEnterpriseFacts(p.ctx.db, 500)) {
            // The demo enterprises and a fifth of the synthetic ones (i % 20 < 4: all four kinds).
            const sample = batch.filter(
              (x) => !x.name.startsWith("测算样本企业") || Number(x.name.slice(6)) % 20 < 4,
            );
            for (const e of sample) {
              const r = engine.evaluate(e.facts, opts);
              const eligible = r.results.some((x) => x.outcome === "eligible");
              const expected = {
                eligible,
                undetermined: !eligible && r.results.some((x) => x.outcome === "undetermined"),
                min: eligible ? r.totals.eligible.min : 0,
                max: eligible ? r.totals.eligible.max : 0,
              };
              expect(side.run(e.facts), `${e.name} ${doc.document.id} ${asOf}`).toEqual(expected);
              checked++;
            }
          }
          expect(checked).toBeGreaterThan(0);
        }
      }
    }, 120_000);

    it("reads the measure's budget", async () => {
      await p.ctx.db
        .insertInto("measure_budgets")
        .values({ measure_id: MEASURE, budget_fen: 100_000_000 })
        .onConflict((oc) => oc.column("measure_id").doUpdateSet({ budget_fen: 100_000_000 }))
        .execute();
      const r = await impact(draftRevision);
      expect(r.json.measures.find((x: Json) => x.measureId === MEASURE).budgetFen).toBe(100_000_000);
    }, 60_000);
  });
}

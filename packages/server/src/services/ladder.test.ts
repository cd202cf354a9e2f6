/** “专精特新”梯度培育 and 白名单 on PGlite (and PostgreSQL when configured): tiers, candidates, targets, lists. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DOCUMENTS_DIR } from "@huiqi/policies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { sweepWhitelistValidity } from "./whitelists.ts";

const TODAY = new Date("2026-06-15T10:00:00+08:00");

interface Candidate {
  enterpriseName: string;
  nextTier: string;
  status: string;
  gaps: { kind: string; text: string }[];
  indicator: { label: string; value: string } | null;
}

describe("Wulong targets are data quoted from the document", () => {
  const source = readFileSync(join(DOCUMENTS_DIR, "wulong-2022-48", "source.txt"), "utf8");
  it("states 200 / 15 / 1 / 1 by 2025 in the document's words", () => {
    expect(source).toContain(
      "到2025年，力争全区创新型中小企业达到200家，市级“专精特新”中小企业达到15家，纳入重点培育国家专精特新“小巨人”企业1家，重点培育上市企业1家。",
    );
  });
});

for (const kind of testDatabaseKinds()) {
  describe(`梯度培育与白名单 (${kind})`, () => {
    let p: TestPlatform;
    let coordinator: Client;
    let otherCoordinator: Client;
    let officer: Client;
    let admin: Client;
    const login = (u: string) => new Client(p.app).login(u, DEMO_PASSWORD);
    const enterpriseId = async (name: string) =>
      (
        await p.ctx.db
          .selectFrom("enterprises")
          .select("id")
          .where("name", "=", name)
          .executeTakeFirstOrThrow()
      ).id;
    const usccOf = async (slugName: string) =>
      (
        await p.ctx.db
          .selectFrom("enterprises")
          .select("uscc")
          .where("name", "=", slugName)
          .executeTakeFirstOrThrow()
      ).uscc;

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(TODAY);
      await seedDemo(p.ctx);
      coordinator = await login("wulong-coordinator");
      otherCoordinator = await login("banan-coordinator");
      officer = await login("wulong-economy-it");
      admin = await login("policy-admin");
    }, 120_000);
    afterAll(async () => {
      await p?.close();
    });

    it("gives every Wulong enterprise a tier, with demo enterprises on every tier", async () => {
      const r = await officer.get("/api/ladder");
      expect(r.statusCode).toBe(200);
      const body = r.json();
      const count = await p.ctx.db
        .selectFrom("enterprises")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("region_code", "=", "500156")
        .executeTakeFirstOrThrow();
      expect(body.enterprises).toHaveLength(Number(count.n));
      expect(body.districtName).toBe("武隆区");
      for (const t of body.tiers) expect(t.count, t.label).toBeGreaterThan(0);
      const tierOf = (name: string) =>
        body.enterprises.find((e: { name: string }) => e.name === name)?.tierLabel as string;
      expect(tierOf("重庆武隆仙女山食品有限公司")).toBe("市级专精特新");
      expect(tierOf("重庆江口智能装备股份有限公司")).toBe("国家级“小巨人”");
      expect(tierOf("重庆芙蓉智能装备股份有限公司")).toBe("上市培育");
      expect(body.criteriaNote).toContain("以主管部门");
    });

    it("ranks the candidates with the engine's gaps in plain Chinese", async () => {
      const body = (await coordinator.get("/api/ladder")).json();
      const c = (name: string) =>
        body.candidates.find((x: Candidate) => x.enterpriseName === name) as Candidate;
      expect(c("重庆江口生物制药有限公司")).toMatchObject({
        nextTier: "srdi",
        status: "ineligible",
        gaps: [{ kind: "short", text: "上年度研发费用总额占营业收入总额比重还差 0.6 个百分点" }],
      });
      expect(c("重庆羊角新材料股份有限公司")).toMatchObject({
        nextTier: "srdi",
        status: "eligible",
        gaps: [],
      });
      expect(c("重庆火炉塑料制品股份有限公司").gaps.map((g) => g.text)).toEqual([
        "创新能力指标得分还差 5 分",
      ]);
      // Eligible before short ones for the same next tier.
      const srdi = body.candidates
        .filter((x: Candidate) => x.nextTier === "srdi")
        .map((x: Candidate) => x.status);
      expect(srdi.indexOf("eligible")).toBeLessThan(srdi.indexOf("ineligible"));
      // No encoded criteria for 小巨人: ordered by an indicator, the official criteria decide.
      const giant = c("重庆羊角新材料科技有限公司");
      expect(giant).toMatchObject({ nextTier: "littleGiant", status: "unranked" });
      expect(giant.indicator?.label).toBe("2025年研发费用占营业收入比重");
      expect(giant.gaps[0]?.text).toContain("以工业和信息化部公布的为准");
    });

    it("shows the Wulong 2025 targets against actual counts by year", async () => {
      const body = (await officer.get("/api/ladder/targets")).json();
      expect(body.documents).toHaveLength(1);
      const d = body.documents[0];
      expect(d.docNumber).toBe("武隆府办发〔2022〕48号");
      const t = Object.fromEntries(d.targets.map((x: { tier: string }) => [x.tier, x]));
      expect(t.innovativeSme).toMatchObject({
        value: 200,
        year: 2025,
        quote: "到2025年，力争全区创新型中小企业达到200家",
      });
      expect(t.srdi.value).toBe(15);
      expect(t.littleGiant.value).toBe(1);
      expect(t.listing.value).toBe(1);
      expect(t.littleGiant.actual).toEqual([
        { year: 2022, count: 0 },
        { year: 2023, count: 0 },
        { year: 2024, count: 0 },
        { year: 2025, count: 1 },
        { year: 2026, count: 1 },
      ]);
      expect(t.littleGiant.reached).toBe(1);
      expect(t.listing.reached).toBe(1);
      const byYear = t.innovativeSme.actual.map((a: { count: number }) => a.count);
      expect(byYear).toEqual([...byYear].sort((a, b) => a - b));
    });

    it("keeps district scope: other districts refused, policy admins choose, enterprises see their own", async () => {
      expect((await otherCoordinator.get("/api/ladder?district=500156")).statusCode).toBe(403);
      expect((await officer.get("/api/ladder?district=5001")).statusCode).toBe(400);
      const banan = (await otherCoordinator.get("/api/ladder/targets")).json();
      expect(banan.documents).toEqual([]);
      expect((await admin.get("/api/ladder?district=500156")).json().districtName).toBe("武隆区");
      const ent = await login("qiye-wulong-8");
      expect((await ent.get("/api/ladder")).statusCode).toBe(403);
      const mine = (await ent.get("/api/ladder/mine")).json();
      expect(mine).toMatchObject({
        tierLabel: "创新型中小企业",
        candidate: { nextTierLabel: "市级专精特新" },
      });
      expect(mine.candidate.gaps[0].text).toBe("上年度研发费用总额占营业收入总额比重还差 0.6 个百分点");
    });

    it("adds the ladder section to the quarterly report", async () => {
      const r = (await coordinator.get("/api/reports/quarterly?year=2026&quarter=2")).json();
      expect(r.ladder.documentNumber).toBe("武隆府办发〔2022〕48号");
      const inno = r.ladder.tiers.find((t: { tier: string }) => t.tier === "innovativeSme");
      expect(inno).toMatchObject({ target: 200, targetYear: 2025 });
      expect(inno.holding).toBeGreaterThan(0);
      expect(r.ladder.tiers.reduce((s: number, t: { count: number }) => s + t.count, 0)).toBeGreaterThan(5);
    });

    it("白名单: a coordinator keeps the district's lists; membership becomes the whitelist fact", async () => {
      const created = await coordinator.post("/api/whitelists", {
        name: "武隆区连续生产企业白名单",
        kind: "continuousProduction",
        validFrom: "2026-01-01",
        validUntil: "2026-12-31",
      });
      expect(created.statusCode).toBe(200);
      const list = created.json();
      expect(list).toMatchObject({
        regionCode: "500156",
        regionName: "武隆区",
        status: "active",
        canManage: true,
      });
      const target = "重庆江口生物制药有限公司";
      const banan = await p.ctx.db
        .selectFrom("enterprises")
        .select("uscc")
        .where("region_code", "=", "500113")
        .executeTakeFirstOrThrow();
      const add = (
        await coordinator.post(`/api/whitelists/${list.id}/members`, {
          usccs: [await usccOf(target), banan.uscc, "91500000XXXXXXXXX1"],
        })
      ).json();
      expect(add).toMatchObject({ added: 1, already: 0 });
      expect(add.problems.map((x: { reason: string }) => x.reason)).toEqual([
        "不是本区县的企业",
        expect.stringMatching(/校验|应为|无效/),
      ]);
      const ent = await login("qiye-wulong-8");
      const mine = (await ent.get("/api/whitelists/mine")).json();
      expect(mine.lists.map((l: { name: string }) => l.name)).toEqual(["武隆区连续生产企业白名单"]);
      expect(mine.basis[0].measureId).toBe("cq-jxw-2022-6/20");
      const id = await enterpriseId(target);
      const matches = (await ent.get(`/api/enterprises/${id}/matches`)).json();
      const m20 = matches.results.find((r: { measureId: string }) => r.measureId === "cq-jxw-2022-6/20");
      expect(m20.outcome).toBe("eligible");
      const profile = (await ent.get(`/api/enterprises/${id}`)).json();
      const fact = profile.facts.find((f: { factId: string }) => f.factId === "whitelist");
      expect(fact).toMatchObject({ value: ["连续生产企业"], source: "import" });
      expect(fact.importFile).toBe("白名单：武隆区连续生产企业白名单");

      // A list that ends yesterday no longer counts.
      const ended = await coordinator.put(`/api/whitelists/${list.id}`, {
        name: "武隆区连续生产企业白名单",
        kind: "continuousProduction",
        validFrom: "2026-01-01",
        validUntil: "2026-06-14",
      });
      expect(ended.json().status).toBe("expired");
      const after = (await ent.get(`/api/enterprises/${id}`)).json();
      expect(after.facts.some((f: { factId: string }) => f.factId === "whitelist")).toBe(false);
      expect((await ent.get("/api/whitelists/mine")).json().lists[0].statusLabel).toBe("已过期");
      // The matches follow at once (the fact change bumped the enterprise's version past the cached one).
      const rematched = (await ent.get(`/api/enterprises/${id}/matches`)).json();
      expect(
        rematched.results.find((r: { measureId: string }) => r.measureId === "cq-jxw-2022-6/20")?.outcome,
      ).not.toBe("eligible");
      expect(after.version).toBeGreaterThan(profile.version);
    });

    it("白名单: a list stops counting the day after its last day without anyone opening a page", async () => {
      const list = (
        await coordinator.post("/api/whitelists", {
          name: "武隆区重点用能保障企业白名单",
          kind: "continuousProduction",
          validFrom: "2026-01-01",
          validUntil: "2026-06-15",
        })
      ).json();
      const target = "重庆江口生物制药有限公司";
      await coordinator.post(`/api/whitelists/${list.id}/members`, { usccs: [await usccOf(target)] });
      const id = await enterpriseId(target);
      const fact = () =>
        p.ctx.db
          .selectFrom("enterprise_facts")
          .select("value")
          .where("enterprise_id", "=", id)
          .where("fact_id", "=", "whitelist")
          .executeTakeFirst();
      expect((await fact())?.value).toEqual(["连续生产企业"]);
      const version = async () =>
        (
          await p.ctx.db
            .selectFrom("enterprises")
            .select("version")
            .where("id", "=", id)
            .executeTakeFirstOrThrow()
        ).version;
      const before = await version();
      await sweepWhitelistValidity(p.ctx);
      expect((await fact())?.value).toEqual(["连续生产企业"]);
      expect(await version()).toBe(before);

      p.setNow(new Date("2026-06-16T00:30:00+08:00"));
      try {
        await sweepWhitelistValidity(p.ctx);
        expect(await fact()).toBeUndefined();
        expect(await version()).toBe(before + 1);
        const jobs = await p.ctx.db
          .selectFrom("outbox")
          .select("payload")
          .where("topic", "=", "profile.changed")
          .where("status", "=", "pending")
          .execute();
        expect(jobs.map((j) => j.payload)).toContainEqual({ enterpriseId: id, version: before + 1 });
        // Once a day: a second pass the same day reads nothing again.
        await sweepWhitelistValidity(p.ctx);
        expect(await version()).toBe(before + 1);
      } finally {
        p.setNow(TODAY);
      }
    });

    it("白名单: file import, scope and refusals", async () => {
      const list = (
        await coordinator.post("/api/whitelists", {
          name: "武隆区防疫物资生产企业",
          kind: "epidemicSupplies",
          validFrom: "2026-01-01",
        })
      ).json();
      const a = await usccOf("重庆江口智能装备股份有限公司");
      const b = await usccOf("重庆羊角新材料股份有限公司");
      const csv = `统一社会信用代码,企业名称\n${a},甲\n${b},乙\n${a},甲\n`;
      const r = await coordinator.post(`/api/whitelists/${list.id}/import`, {
        fileName: "名单.csv",
        contentBase64: Buffer.from(csv, "utf8").toString("base64"),
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ added: 2, problems: [] });
      const detail = (await officer.get(`/api/whitelists/${list.id}`)).json();
      expect(detail.members.map((m: { sourceRow: number }) => m.sourceRow).sort()).toEqual([2, 3]);
      expect(detail.list.canManage).toBe(false);
      // officers read, cannot keep; other districts do not see it; enterprises cannot read the lists
      expect(
        (await officer.post("/api/whitelists", { name: "x", kind: "cityOperation", validFrom: "2026-01-01" }))
          .statusCode,
      ).toBe(403);
      expect((await otherCoordinator.get(`/api/whitelists/${list.id}`)).statusCode).toBe(404);
      expect(
        (await otherCoordinator.get("/api/whitelists"))
          .json()
          .lists.some((l: { id: string }) => l.id === list.id),
      ).toBe(false);
      const ent = await login("qiye-wulong-8");
      expect((await ent.get("/api/whitelists")).statusCode).toBe(403);
      // bad input: 400 naming the field, in Chinese
      const bad = await coordinator.post("/api/whitelists", {
        name: "",
        kind: "nope",
        validFrom: "2026-13-01",
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/[\u4e00-\u9fff]/);
      const backwards = await coordinator.post("/api/whitelists", {
        name: "倒序",
        kind: "cityOperation",
        validFrom: "2026-06-01",
        validUntil: "2026-01-01",
      });
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json().error.fields[0].field).toBe("validUntil");
      const noColumn = await coordinator.post(`/api/whitelists/${list.id}/import`, {
        fileName: "x.csv",
        contentBase64: Buffer.from("名称\n甲\n").toString("base64"),
      });
      expect(noColumn.statusCode).toBe(400);
      expect(noColumn.json().error.message).toContain("统一社会信用代码");
      // a coordinator cannot make a city-wide list; a policy admin can, and it shows in every district
      expect(
        (
          await coordinator.post("/api/whitelists", {
            name: "全市",
            kind: "cityOperation",
            validFrom: "2026-01-01",
            regionCode: "500000",
          })
        ).statusCode,
      ).toBe(403);
      const city = (
        await admin.post("/api/whitelists", {
          name: "全市保障",
          kind: "cityOperation",
          validFrom: "2026-01-01",
        })
      ).json();
      expect(city.regionName).toBe("全市");
      expect(
        (await otherCoordinator.get("/api/whitelists"))
          .json()
          .lists.some((l: { id: string }) => l.id === city.id),
      ).toBe(true);
      // remove a member
      const id = await enterpriseId("重庆羊角新材料股份有限公司");
      expect(
        (await coordinator.request("DELETE", `/api/whitelists/${list.id}/members/${id}`)).statusCode,
      ).toBe(200);
      expect(
        (await coordinator.request("DELETE", `/api/whitelists/${list.id}/members/${id}`)).statusCode,
      ).toBe(404);
    });
  });
}

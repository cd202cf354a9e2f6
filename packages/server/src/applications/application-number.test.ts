/**
 * 申报编号 区县码-年份-序号: consecutive per district and Chongqing year, distinct under concurrent creates, no
 * gaps from refused creates, numbered in creation order for applications that existed before (migration 005),
 * shown in lists, details and the Excel export, and searchable.
 */
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import ExcelJS from "exceljs";
import { Kysely, Migrator } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../db/migrations.ts";
import type { Database } from "../db/schema.ts";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import {
  applicant,
  BANAN,
  clientFor,
  createEnterprise,
  createStaff,
  GREEN_FACTORY,
  greenFactoryFacts,
  KAIZHOU,
  makeUscc,
  renewSessions,
  TODAY,
} from "./test-fixtures.ts";

const NUMBER = /^(\d{6})-(\d{4})-(\d{6})$/;
const seqOf = (n: string) => Number(NUMBER.exec(n)?.[3]);

async function sheetRows(buf: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.getWorksheet("申报列表");
  if (!ws) throw new Error("工作表缺失");
  const out: string[] = [];
  ws.eachRow((r, i) => {
    if (i > 1) out.push(String(r.getCell(1).value));
  });
  return out;
}

for (const kind of testDatabaseKinds()) {
  describe(`申报编号 (${kind})`, () => {
    let p: TestPlatform;
    let officer: Awaited<ReturnType<typeof createStaff>>;
    const created: { id: string; number: string; enterpriseName: string; enterpriseId: string }[] = [];

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(TODAY);
      officer = await createStaff(p, "officer", { department: "economy-it" });
    }, 120_000);
    afterAll(async () => p?.close());

    it("gives 12 parallel creates in one district distinct, consecutive numbers 区县码-年份-序号", async () => {
      const ents = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          createEnterprise(p, greenFactoryFacts, { name: `并发企业${i}号` }),
        ),
      );
      const res = await Promise.all(
        ents.map((e) =>
          e.post("/api/applications", { enterpriseId: e.enterpriseId, measureId: GREEN_FACTORY }),
        ),
      );
      for (const r of res) expect(r.statusCode, r.body).toBe(201);
      const numbers = res.map((r) => r.json().number as string);
      for (const n of numbers) expect(n).toMatch(/^500154-2026-\d{6}$/);
      expect(new Set(numbers).size).toBe(12);
      expect(numbers.map(seqOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      for (const [i, r] of res.entries())
        created.push({
          id: r.json().id,
          number: r.json().number,
          enterpriseName: `并发企业${i}号`,
          enterpriseId: ents[i]?.enterpriseId ?? "",
        });
    }, 120_000);

    it("does not use up a number on a refused create, and starts again at 000001 in the new year", async () => {
      // A second application to the same measure is refused (409) and takes no number.
      const first = created[0];
      if (!first) throw new Error("缺少申报");
      const owner = await p.ctx.db
        .selectFrom("accounts")
        .select("id")
        .where("enterprise_id", "=", first.enterpriseId)
        .executeTakeFirstOrThrow();
      const again = await (await clientFor(p, owner.id)).post("/api/applications", {
        enterpriseId: first.enterpriseId,
        measureId: GREEN_FACTORY,
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain(`本企业已有该措施的申报（${first.number}）`);
      const next = await createEnterprise(p, greenFactoryFacts);
      const ok = await next.post("/api/applications", {
        enterpriseId: next.enterpriseId,
        measureId: GREEN_FACTORY,
      });
      expect(ok.json().number).toBe("500154-2026-000013");

      // 2026-12-31 16:30 UTC is already 1 January 2027 in Chongqing.
      p.setNow(new Date("2026-12-31T16:30:00Z"));
      const later = await createEnterprise(p, greenFactoryFacts);
      await renewSessions(p, [later]);
      const r = await later.post("/api/applications", {
        enterpriseId: later.enterpriseId,
        measureId: GREEN_FACTORY,
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().number).toBe("500154-2027-000001");
      p.setNow(TODAY);
    }, 60_000);

    it("numbers rows written straight into the table too (the database assigns it), per district", async () => {
      const id = randomUUID();
      const ent = randomUUID();
      await p.ctx.db
        .insertInto("enterprises")
        .values({
          id: ent,
          uscc: makeUscc(BANAN),
          name: "巴南直插企业",
          region_code: BANAN,
          industry_code: null,
        })
        .execute();
      const row = await p.ctx.db
        .insertInto("applications")
        .values({
          id,
          enterprise_id: ent,
          measure_id: GREEN_FACTORY,
          rules_version: "test",
          status: "draft",
          current_step: 0,
          steps: JSON.stringify([]),
          form: JSON.stringify({}),
          max_fen: null,
          granted_fen: null,
          notice_until: null,
          created_at: TODAY,
          updated_at: TODAY,
        })
        .returning("number")
        .executeTakeFirstOrThrow();
      expect(row.number).toBe("500113-2026-000001");
      // Two applications can never share a number.
      await expect(
        p.ctx.db
          .updateTable("applications")
          .set({ number: created[0]?.number ?? "" })
          .where("id", "=", id)
          .execute(),
      ).rejects.toThrow();
    });

    it("shows the number in the officer's list and detail, and finds an application by it, by name or credit code", async () => {
      await renewSessions(p, [officer]);
      const target = created[2];
      if (!target) throw new Error("缺少申报");
      const detail = (await officer.get(`/api/applications/${target.id}`)).json();
      expect(detail.number).toBe(target.number);

      const byNumber = (await officer.get(`/api/applications?q=${target.number}`)).json();
      expect(byNumber.items.map((a: { number: string }) => a.number)).toEqual([target.number]);
      // Part of the number is enough (what people read out on the phone). Each district counts from 1, so the
      // serial alone repeats across districts; the district's last digits with it do not.
      const tail = target.number.slice(3);
      const byTail = (await officer.get(`/api/applications?q=${tail}`)).json();
      // The same digits may also occur in another applicant's credit code (the search covers both): among the
      // hits, the target is the only one whose number has them.
      expect(
        byTail.items
          .filter((a: { number: string }) => a.number.includes(tail))
          .map((a: { id: string }) => a.id),
      ).toEqual([target.id]);

      const byName = (
        await officer.get(`/api/applications?q=${encodeURIComponent(target.enterpriseName)}`)
      ).json();
      expect(byName.items.map((a: { id: string }) => a.id)).toEqual([target.id]);

      const ent = await p.ctx.db
        .selectFrom("enterprises")
        .select("uscc")
        .where("id", "=", target.enterpriseId)
        .executeTakeFirstOrThrow();
      const byCode = (await officer.get(`/api/applications?q=${ent.uscc.toLowerCase()}`)).json();
      expect(byCode.items.map((a: { id: string }) => a.id)).toEqual([target.id]);

      const none = (await officer.get(`/api/applications?q=${encodeURIComponent("100%_")}`)).json();
      expect(none.total).toBe(0);
      const tooLong = await officer.get(`/api/applications?q=${"长".repeat(51)}`);
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json().error.message).toContain("搜索词 q 最多 50 个字");
    });

    it("exports to Excel only what the search and the 办理时限 filter show, with the number in the first column", async () => {
      const target = created[3];
      const other = created[4];
      if (!target || !other) throw new Error("缺少申报");
      const one = await officer.get(`/api/applications.xlsx?q=${target.number}`);
      expect(one.statusCode).toBe(200);
      expect(await sheetRows(one.rawPayload)).toEqual([target.number]);

      const all = await sheetRows((await officer.get("/api/applications.xlsx")).rawPayload);
      expect(all).toEqual(expect.arrayContaining(created.map((c) => c.number)));

      // Submit `other` today: 0 working days used → 时限内; nothing is 已超时.
      const owner = await p.ctx.db
        .selectFrom("accounts")
        .select("id")
        .where("enterprise_id", "=", other.enterpriseId)
        .executeTakeFirstOrThrow();
      const ent = await clientFor(p, owner.id);
      const v = (await ent.put(`/api/applications/${other.id}`, { version: 1, applicant })).json().version;
      const s = await ent.post(`/api/applications/${other.id}/submit`, { version: v });
      expect(s.statusCode, s.body).toBe(200);
      expect(await sheetRows((await officer.get("/api/applications.xlsx?age=ok")).rawPayload)).toEqual([
        other.number,
      ]);
      expect(await sheetRows((await officer.get("/api/applications.xlsx?age=over")).rawPayload)).toEqual([]);
      const bad = await officer.get("/api/applications.xlsx?age=late");
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain("age 应为 ok（时限内）");
    }, 60_000);
  });
}

describe("migration 005 numbers existing applications", () => {
  it("in creation order per district and Chongqing year, and continues from there", async () => {
    const db = new Kysely<Database>({ dialect: new PGliteDialect(new PGlite()) });
    const provider = { getMigrations: async () => MIGRATIONS };
    const before = await new Migrator({ db, provider }).migrateTo("003_notification_settings");
    expect(before.error).toBeUndefined();
    const ent = async (region: string) => {
      const id = randomUUID();
      await db
        .insertInto("enterprises")
        .values({
          id,
          uscc: makeUscc(region),
          name: `企业${id.slice(0, 4)}`,
          region_code: region,
          industry_code: null,
        })
        .execute();
      return id;
    };
    const kaizhou = await ent(KAIZHOU);
    const banan = await ent(BANAN);
    const app = async (enterpriseId: string, at: string) => {
      const id = randomUUID();
      // Written as the schema stood before 005 (no number column yet).
      await db
        .insertInto("applications")
        .values({
          id,
          enterprise_id: enterpriseId,
          measure_id: GREEN_FACTORY,
          rules_version: "old",
          status: "submitted",
          current_step: 0,
          steps: JSON.stringify([]),
          form: JSON.stringify({}),
          max_fen: null,
          granted_fen: null,
          notice_until: null,
          created_at: at,
          updated_at: at,
        } as never)
        .execute();
      return id;
    };
    const k2 = await app(kaizhou, "2026-03-05T02:00:00Z");
    const k1 = await app(kaizhou, "2026-03-01T02:00:00Z");
    const kNewYear = await app(kaizhou, "2025-12-31T17:00:00Z"); // 2026-01-01 01:00 in Chongqing
    const k2025 = await app(kaizhou, "2025-06-01T02:00:00Z");
    const b1 = await app(banan, "2026-04-01T02:00:00Z");

    const after = await new Migrator({ db, provider }).migrateToLatest();
    expect(after.error).toBeUndefined();
    const numbers = Object.fromEntries(
      (await db.selectFrom("applications").select(["id", "number"]).execute()).map((r) => [r.id, r.number]),
    );
    expect(numbers).toEqual({
      [k2025]: "500154-2025-000001",
      [kNewYear]: "500154-2026-000001",
      [k1]: "500154-2026-000002",
      [k2]: "500154-2026-000003",
      [b1]: "500113-2026-000001",
    });
    const next = await app(kaizhou, "2026-05-01T02:00:00Z");
    const n = await db
      .selectFrom("applications")
      .select("number")
      .where("id", "=", next)
      .executeTakeFirstOrThrow();
    expect(n.number).toBe("500154-2026-000004");
    await db.destroy();
  }, 60_000);
});

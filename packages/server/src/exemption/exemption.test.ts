/**
 * 免申即享 through the API on both databases: the flag (policy admin only, history and audit), the lead
 * department's list after an import (evidence with provenance), confirmation into approved grants (outbox job,
 * notification, idempotence, per-row refusals), exclusion with a reason, the account the enterprise confirms
 * before finance can pay, and the quarterly report's separate counts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MeasureResult } from "@huiqi/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshMatchLists } from "../batch/lists.ts";
import type { Actor } from "../context.ts";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { DEMO_EXEMPTION_MEASURE, seedDemo } from "../demo/seed.ts";
import { createJobQueue } from "../notifications/jobs.ts";
import type { OutboxQueue } from "../notifications/worker.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import { refusalOf } from "./evaluate.ts";
import { confirmAccount } from "./grants.ts";

const EXAMPLES = join(import.meta.dirname, "../../../../examples/imports");
const KAIZHOU = "500154";
const M = DEMO_EXEMPTION_MEASURE; // kaizhou-2023-27/1 新升规奖励 20万元
const BASE = `/api/exemption/measures/${M}`;

async function drain(q: OutboxQueue): Promise<void> {
  while ((await q.runDue(50)) > 0) {
    /* until nothing is due */
  }
}

const b64 = (file: string) => readFileSync(join(EXAMPLES, file)).toString("base64");

for (const kind of testDatabaseKinds()) {
  describe(`免申即享 (${kind})`, () => {
    let p: TestPlatform;
    let q: OutboxQueue;
    const c = {} as Record<string, Client>;
    type Row = { enterpriseId: string; enterpriseName: string; state: string; amountFen: number | null };
    let rows: Row[] = [];

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(new Date("2026-12-02T02:00:00Z"));
      await seedDemo(p.ctx);
      q = createJobQueue(p.ctx, { channels: {} });
      for (const u of [
        "policy-admin",
        "kaizhou-economy-it",
        "kaizhou-science-tech",
        "yubei-economy-it",
        "kaizhou-finance",
        "kaizhou-coordinator",
        "qiye-kaizhou-manufacturer",
      ])
        c[u] = await new Client(p.app).login(u, DEMO_PASSWORD);
    }, 120_000);
    afterAll(async () => p?.close());

    it("only a policy admin flags; flag and unflag keep history and audit; non-monetary measures refused", async () => {
      const other = "kaizhou-2023-27/2.1";
      expect(
        (await c["kaizhou-economy-it"]?.put(`/api/exemption/measures/${other}/flag`, { flagged: true }))
          ?.statusCode,
      ).toBe(403);
      const admin = c["policy-admin"] as Client;
      const on = await admin.put(`/api/exemption/measures/${other}/flag`, {
        flagged: true,
        note: "评选结果即可判定",
      });
      expect(on.json()).toEqual({ measureId: other, flagged: true, changed: true });
      expect(
        (await admin.put(`/api/exemption/measures/${other}/flag`, { flagged: true })).json().changed,
      ).toBe(false);
      let flags = (await new Client(p.app).get("/api/exemption/flags"))
        .json()
        .items.map((f: { measureId: string }) => f.measureId);
      expect(flags).toEqual(expect.arrayContaining([M, other]));
      expect(
        (await admin.put(`/api/exemption/measures/${other}/flag`, { flagged: false })).json().changed,
      ).toBe(true);
      flags = (await new Client(p.app).get("/api/exemption/flags"))
        .json()
        .items.map((f: { measureId: string }) => f.measureId);
      expect(flags).not.toContain(other);
      const history = await p.ctx.db
        .selectFrom("exemption_flags")
        .select("flagged")
        .where("measure_id", "=", other)
        .orderBy("id")
        .execute();
      expect(history.map((h) => h.flagged)).toEqual([true, false]);
      const audit = await p.ctx.db
        .selectFrom("audit_log")
        .select("action")
        .where("entity_id", "=", other)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(["exemption.flag", "exemption.unflag"]);
      const service = p.ctx.engine.measures.find((m) => !m.def.monetary);
      if (service) {
        const [doc, item] = [service.def.id.split("/")[0], service.def.id.split("/")[1]];
        const r = await admin.put(`/api/exemption/measures/${doc}/${item}/flag`, { flagged: true });
        expect(r.statusCode).toBe(400);
        expect(r.json().error.fields[0].field).toBe("flagged");
      }
      expect(
        (await admin.put("/api/exemption/measures/kaizhou-2023-27/999/flag", { flagged: true })).statusCode,
      ).toBe(404);
    });

    it("after the district imports registry and statistics, the lead department sees the eligible list with evidence", async () => {
      const officer = c["kaizhou-economy-it"] as Client;
      for (const [kindName, file] of [
        ["registry", "registry.csv"],
        ["statistics", "statistics.csv"],
      ] as const) {
        const r = await officer.post("/api/imports", {
          kind: kindName,
          fileName: file,
          contentBase64: b64(file),
        });
        expect(r.statusCode, r.body).toBe(200);
      }
      await drain(q);
      const ids = await p.ctx.db
        .selectFrom("enterprises")
        .select("id")
        .where("region_code", "=", KAIZHOU)
        .execute();
      await refreshMatchLists(
        p.ctx,
        ids.map((e) => e.id),
      );

      const list = await officer.get(`${BASE}/enterprises`);
      expect(list.statusCode, list.body).toBe(200);
      rows = list.json().items;
      // The two 开州 manufacturers of the example files (a demo enterprise may be on the list too).
      const confirmable = rows.filter(
        (r) => r.state === "confirmable" && r.enterpriseName.startsWith("重庆汉丰"),
      );
      expect(confirmable.map((r) => r.enterpriseName).sort()).toEqual([
        "重庆汉丰汽车零部件有限公司",
        "重庆汉丰精密机械有限公司",
      ]);
      expect(confirmable.every((r) => r.amountFen === 20_000_000)).toBe(true);
      const ev = list.json().items.find((x: Row) => x.enterpriseName.startsWith("重庆汉丰")).evidence as {
        key: string;
        source: string;
        importFile: string | null;
        importRow: number | null;
        at: string | null;
      }[];
      const first = ev.find((e) => e.key === "aboveScaleFirstYear");
      expect(first).toMatchObject({ source: "import", importFile: "statistics.csv" });
      expect(first?.importRow).toBeGreaterThan(1);
      expect(first?.at).not.toBeNull();
      expect(ev.find((e) => e.key.startsWith("awardsReceived"))?.source ?? "platform").toBe("platform");

      // Other departments of the district, and the same department elsewhere, do not see it.
      expect((await c["kaizhou-science-tech"]?.get(`${BASE}/enterprises`))?.statusCode).toBe(403);
      expect((await c["yubei-economy-it"]?.get(`${BASE}/enterprises`))?.statusCode).toBe(403);
      expect((await c["kaizhou-finance"]?.get(`${BASE}/enterprises`))?.statusCode).toBe(403);
      const mine = (await officer.get("/api/exemption/measures")).json().items;
      expect(mine).toEqual([
        expect.objectContaining({ measureId: M, listed: expect.any(Number), granted: 0 }),
      ]);

      const detail = await officer.get(`${BASE}/enterprises/${confirmable[0]?.enterpriseId}`);
      expect(detail.json()).toMatchObject({ outcome: "eligible", amountFen: 20_000_000 });
      expect(detail.json().explanation.measureId).toBe(M);
    });

    it("confirmation creates one approved grant per enterprise, refuses per row, and is idempotent", async () => {
      const officer = c["kaizhou-economy-it"] as Client;
      const [a, b] = rows.filter(
        (r) => r.state === "confirmable" && r.enterpriseName.startsWith("重庆汉丰"),
      ) as [Row, Row];
      const software = await p.ctx.db
        .selectFrom("enterprises")
        .select("id")
        .where("name", "=", "重庆汉丰软件科技有限公司")
        .executeTakeFirstOrThrow();
      const r = await officer.post(`${BASE}/confirm`, {
        items: [
          { enterpriseId: a.enterpriseId, amountFen: 20_000_000 },
          { enterpriseId: b.enterpriseId, amountFen: 19_999_999 },
          { enterpriseId: software.id, amountFen: 20_000_000 },
        ],
      });
      expect(r.statusCode, r.body).toBe(200);
      const [ra, rb, rs] = r.json().results;
      expect(ra).toMatchObject({
        result: "granted",
        amountFen: 20_000_000,
        number: expect.stringMatching(/^500154-2026-/),
      });
      expect(rb).toMatchObject({ result: "refused", reason: expect.stringContaining("请刷新后重新确认") });
      expect(rs).toMatchObject({ result: "refused", reason: expect.stringContaining("不符合条件") });

      const again = await officer.post(`${BASE}/confirm`, {
        items: [{ enterpriseId: a.enterpriseId, amountFen: 20_000_000 }],
      });
      expect(again.json().results[0]).toMatchObject({ result: "already", applicationId: ra.applicationId });
      const apps = await p.ctx.db
        .selectFrom("applications")
        .selectAll()
        .where("measure_id", "=", M)
        .where("enterprise_id", "=", a.enterpriseId)
        .execute();
      expect(apps).toHaveLength(1);
      expect(apps[0]).toMatchObject({ status: "approved", channel: "exemption" });
      expect(Number(apps[0]?.granted_fen)).toBe(20_000_000);
      const history = await p.ctx.db
        .selectFrom("application_history")
        .selectAll()
        .where("application_id", "=", ra.applicationId)
        .execute();
      expect(history).toHaveLength(1);
      expect(history[0]?.reason).toContain("statistics.csv");
      const jobs = await p.ctx.db
        .selectFrom("outbox")
        .select("topic")
        .where("dedupe_key", "=", `exemption.granted:${ra.applicationId}`)
        .execute();
      expect(jobs).toHaveLength(1);
      await drain(q);
      const n = await p.ctx.db
        .selectFrom("notifications")
        .selectAll()
        .where("enterprise_id", "=", a.enterpriseId)
        .where("kind", "=", "exemption.granted")
        .execute();
      expect(n).toHaveLength(1);
      expect(n[0]?.body).toContain("您已获得免申即享政策兑现");
      expect(n[0]?.link).toBe(`/applications/${ra.applicationId}`);

      // A body without items or with a bad amount names the field.
      const bad = await officer.post(`${BASE}/confirm`, { items: [] });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].field).toContain("items");
      // Not the lead department: 403 before anything is written.
      expect(
        (
          await c["kaizhou-science-tech"]?.post(`${BASE}/confirm`, {
            items: [{ enterpriseId: b.enterpriseId, amountFen: 20_000_000 }],
          })
        )?.statusCode,
      ).toBe(403);
      // An enterprise that applied itself is refused (no second grant for the same measure).
      const self = await p.ctx.db
        .selectFrom("accounts")
        .select("enterprise_id")
        .where("username", "=", "qiye-kaizhou-manufacturer")
        .executeTakeFirstOrThrow();
      const selfApp = await p.ctx.db
        .selectFrom("applications")
        .select("number")
        .where("enterprise_id", "=", self.enterprise_id as string)
        .where("measure_id", "=", M)
        .executeTakeFirst();
      if (selfApp) {
        const r2 = await officer.post(`${BASE}/confirm`, {
          items: [{ enterpriseId: self.enterprise_id, amountFen: 20_000_000 }],
        });
        expect(r2.json().results[0]).toMatchObject({ result: "refused" });
      }
    });

    it("excludes with a required reason; an excluded enterprise is marked and cannot be confirmed", async () => {
      const officer = c["kaizhou-economy-it"] as Client;
      const b = rows.filter(
        (r) => r.state === "confirmable" && r.enterpriseName.startsWith("重庆汉丰"),
      )[1] as Row;
      const noReason = await officer.post(`${BASE}/exclude`, {
        enterpriseIds: [b.enterpriseId],
        reason: " ",
      });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.fields[0].field).toBe("reason");
      const r = await officer.post(`${BASE}/exclude`, {
        enterpriseIds: [b.enterpriseId],
        reason: "已迁出本区，待核实",
      });
      expect(r.json().results).toEqual([{ enterpriseId: b.enterpriseId, result: "excluded", reason: null }]);
      const list = (await officer.get(`${BASE}/enterprises`)).json().items as Row[];
      expect(list.find((x) => x.enterpriseId === b.enterpriseId)).toMatchObject({ state: "excluded" });
      expect(list.filter((x) => x.state === "granted")).toHaveLength(1);
      const c2 = await officer.post(`${BASE}/confirm`, {
        items: [{ enterpriseId: b.enterpriseId, amountFen: 20_000_000 }],
      });
      expect(c2.json().results[0]).toMatchObject({
        result: "refused",
        reason: expect.stringContaining("已排除"),
      });
    });

    it("restores an excluded enterprise with a reason, keeping the former reason in the audit log", async () => {
      const officer = c["kaizhou-economy-it"] as Client;
      const excluded = (await officer.get(`${BASE}/enterprises`)).json().items as Row[];
      const b = excluded.find((x) => x.state === "excluded") as Row;
      const notExcluded = excluded.find((x) => x.state === "confirmable") as Row;
      const noReason = await officer.post(`${BASE}/restore`, { enterpriseIds: [b.enterpriseId], reason: "" });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.fields[0]).toMatchObject({
        field: "reason",
        message: expect.stringContaining("恢复理由"),
      });
      // Another district's officer of the same department cannot touch this district's enterprises.
      const other = await (c["yubei-economy-it"] as Client).post(`${BASE}/restore`, {
        enterpriseIds: [b.enterpriseId],
        reason: "误操作",
      });
      if (other.statusCode === 200)
        expect(other.json().results).toEqual([
          { enterpriseId: b.enterpriseId, result: "refused", reason: "不是本区县的企业" },
        ]);
      else expect(other.statusCode).toBeGreaterThanOrEqual(400);
      const r = await officer.post(`${BASE}/restore`, {
        enterpriseIds: [b.enterpriseId, notExcluded.enterpriseId],
        reason: "已核实未迁出",
      });
      expect(r.json().results).toEqual([
        { enterpriseId: b.enterpriseId, result: "restored", reason: null },
        { enterpriseId: notExcluded.enterpriseId, result: "refused", reason: "该企业未被排除" },
      ]);
      const list = (await officer.get(`${BASE}/enterprises`)).json().items as Row[];
      expect(list.find((x) => x.enterpriseId === b.enterpriseId)?.state).toBe("confirmable");
      const audit = await p.ctx.db
        .selectFrom("audit_log")
        .select(["before", "after"])
        .where("action", "=", "exemption.restore")
        .execute();
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0])).toContain("已迁出本区，待核实");
      expect(JSON.stringify(audit[0])).toContain("已核实未迁出");
    });

    it("finance pays only after the enterprise confirmed its account; the report counts the grant separately", async () => {
      const officer = c["kaizhou-economy-it"] as Client;
      const finance = c["kaizhou-finance"] as Client;
      const app = await p.ctx.db
        .selectFrom("applications")
        .selectAll()
        .where("channel", "=", "exemption")
        .executeTakeFirstOrThrow();
      const summary = (await finance.get(`/api/applications/${app.id}`)).json();
      expect(summary).toMatchObject({ channel: "exemption", accountConfirmed: false, status: "approved" });
      const notice = await officer.post(`/api/applications/${app.id}/public-notice`, {
        version: summary.version,
      });
      expect(notice.statusCode, notice.body).toBe(200);
      p.setNow(new Date("2026-12-12T02:00:00Z"));
      // Sessions last 12 hours: sign in again after the notice period.
      await finance.login("kaizhou-finance", DEMO_PASSWORD);
      await c["kaizhou-coordinator"]?.login("kaizhou-coordinator", DEMO_PASSWORD);
      const v = (await finance.get(`/api/applications/${app.id}`)).json().version;
      const refused = await finance.post(`/api/applications/${app.id}/disbursements`, {
        version: v,
        batchRef: "PC-1",
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toContain("确认收款账户");
      const actor: Actor = {
        id: "00000000-0000-4000-8000-000000000001",
        role: "enterprise",
        username: "x",
        displayName: "x",
        department: null,
        regionCode: KAIZHOU,
        enterpriseId: app.enterprise_id,
      };
      await confirmAccount(p.ctx, actor, app.id, {
        contactName: "张三",
        contactPhone: "023-52220000",
        bankName: "重庆农村商业银行开州支行",
        bankAccount: "6222021234567890",
      });
      const v2 = (await finance.get(`/api/applications/${app.id}`)).json().version;
      const paid = await finance.post(`/api/applications/${app.id}/disbursements`, {
        version: v2,
        batchRef: "PC-1",
      });
      expect(paid.statusCode, paid.body).toBe(201);

      const report = (
        await c["kaizhou-coordinator"]?.get("/api/reports/quarterly?year=2026&quarter=4")
      )?.json();
      expect(report.exemption.totals).toEqual({ grants: 1, grantedFen: 20_000_000, paidFen: 0 });
      expect(report.exemption.departments[0]).toMatchObject({ department: "economy-it", grants: 1 });
      const xlsx = await c["kaizhou-coordinator"]?.get("/api/reports/quarterly.xlsx?year=2026&quarter=4");
      expect(xlsx?.statusCode).toBe(200);
    });

    it("refuses amounts that are not exact and measures netted away by 从高不重复", () => {
      const base = { measureId: M, outcome: "eligible", missing: [] } as unknown as MeasureResult;
      expect(refusalOf(p.ctx, { ...base, amount: { min: 0, max: 500_000 } })).toContain("金额未能确定");
      expect(refusalOf(p.ctx, { ...base, amount: { min: 100, max: null } })).toContain("金额未能确定");
      expect(
        refusalOf(p.ctx, {
          ...base,
          amount: { min: 100, max: 100 },
          stacking: [{ groupId: "g", decision: "notAdded", recommended: "kaizhou-2023-27/2.1", reason: "" }],
        }),
      ).toContain("从高不重复");
      expect(
        refusalOf(p.ctx, { ...base, outcome: "undetermined", missing: ["revenue:2024"], amount: null }),
      ).toContain("2024年营业收入");
      expect(refusalOf(p.ctx, { ...base, amount: { min: 100, max: 100 } })).toBeNull();
    });
  });
}

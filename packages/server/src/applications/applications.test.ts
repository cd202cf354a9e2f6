import { existsSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verifyAudit } from "../audit/audit-log.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import {
  applicant,
  BANAN,
  createEnterprise,
  createStaff,
  GREEN_FACTORY,
  GREEN_FACTORY_MAX_FEN,
  greenFactoryFacts,
  KAIZHOU,
  makeUscc,
  PDF_BASE64,
  renewSessions,
  seedFacts,
  TODAY,
  tempDataDir,
} from "./test-fixtures.ts";

type Staff = Awaited<ReturnType<typeof createStaff>>;
type Ent = Awaited<ReturnType<typeof createEnterprise>>;

const day = (iso: string) => new Date(`${iso}T02:00:00Z`);

for (const kind of testDatabaseKinds()) {
  describe(`application workflow (${kind})`, () => {
    let p: TestPlatform;
    let officer: Staff;
    let finance: Staff;
    let otherDept: Staff;
    let otherRegion: Staff;
    let coordinator: Staff;

    beforeAll(async () => {
      p = await startTestPlatform(kind);
      p.setNow(TODAY);
      p.ctx.config.dataDir = await tempDataDir();
      officer = await createStaff(p, "officer", { department: "economy-it" });
      finance = await createStaff(p, "finance");
      otherDept = await createStaff(p, "officer", { department: "market-supervision" });
      otherRegion = await createStaff(p, "officer", { department: "economy-it", regionCode: BANAN });
      coordinator = await createStaff(p, "coordinator", { department: "development-reform" });
    }, 120_000);
    afterAll(async () => p?.close());
    beforeEach(() => p.setNow(TODAY));

    async function moveClock(date: string, ...clients: (Client & { accountId: string })[]) {
      p.setNow(day(date));
      await renewSessions(p, [officer, finance, otherDept, otherRegion, coordinator, ...clients]);
    }

    /** Draft → filled → submitted → first step passed: waiting for finance. */
    async function atFinanceStep(ent: Ent): Promise<{ id: string; version: number }> {
      const created = await ent.post("/api/applications", {
        enterpriseId: ent.enterpriseId,
        measureId: GREEN_FACTORY,
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      let v = (await ent.put(`/api/applications/${id}`, { version: 1, applicant })).json().version as number;
      v = (await ent.post(`/api/applications/${id}/submit`, { version: v })).json().version;
      const passed = await officer.post(`/api/applications/${id}/review`, { version: v, decision: "pass" });
      expect(passed.statusCode, passed.body).toBe(200);
      return { id, version: passed.json().version };
    }

    async function onNotice(ent: Ent): Promise<{ id: string; version: number }> {
      const { id, version } = await atFinanceStep(ent);
      const ok = await finance.post(`/api/applications/${id}/review`, {
        version,
        decision: "pass",
        grantedFen: 15_000_000,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const n = await officer.post(`/api/applications/${id}/public-notice`, { version: ok.json().version });
      expect(n.statusCode, n.body).toBe(200);
      return { id, version: n.json().version };
    }

    it("runs the whole flow: register → profile → apply → return → resubmit → two-step approval → notice → disbursement → paid, seen by the enterprise", async () => {
      const ent = new Client(p.app);
      const reg = await ent.post("/api/auth/register", {
        uscc: makeUscc(KAIZHOU),
        name: "重庆开州汉丰新材料有限公司",
        regionCode: KAIZHOU,
        industryCode: "C3062",
        username: `hanfeng-${kind}`,
        password: "correct-horse-1",
        displayName: "王会计",
      });
      expect(reg.statusCode, reg.body).toBe(201);
      const { enterpriseId, id: accountId } = reg.json().actor;
      const entAccount = Object.assign(ent, { accountId });
      await seedFacts(p, enterpriseId, accountId, greenFactoryFacts);

      const created = await ent.post("/api/applications", { enterpriseId, measureId: GREEN_FACTORY });
      expect(created.statusCode, created.body).toBe(201);
      const app = created.json();
      const id = app.id as string;
      expect(app).toMatchObject({
        status: "draft",
        version: 1,
        maxFen: GREEN_FACTORY_MAX_FEN,
        replayed: false,
      });
      expect(app.form.assessment).toMatchObject({
        outcome: "eligible",
        amount: { max: GREEN_FACTORY_MAX_FEN },
      });
      expect(Object.keys(app.form.assessment.facts).length).toBeGreaterThan(0);
      expect(app.steps.map((s: { role: string; department: string }) => [s.role, s.department])).toEqual([
        ["officer", "economy-it"],
        ["finance", "finance"],
      ]);
      // A second application to the same measure is refused.
      expect(
        (await ent.post("/api/applications", { enterpriseId, measureId: GREEN_FACTORY })).statusCode,
      ).toBe(409);

      const att = await ent.post(`/api/applications/${id}/attachments`, {
        fileName: "绿色工厂认定文件.pdf",
        contentType: "application/pdf",
        contentBase64: PDF_BASE64,
      });
      expect(att.statusCode, att.body).toBe(201);
      expect(att.json().attachments).toHaveLength(1);
      expect(existsSync(join(p.ctx.config.dataDir, "attachments", id))).toBe(true);

      const noContact = await ent.post(`/api/applications/${id}/submit`, { version: 1 });
      expect(noContact.statusCode).toBe(400);
      expect(noContact.json().error.fields[0].field).toBe("applicant.contactName");

      let v = (await ent.put(`/api/applications/${id}`, { version: 1, applicant })).json().version;
      expect(v).toBe(2);
      const key = { "idempotency-key": `submit-${id}` };
      const submitted = await p.app.inject({
        method: "POST",
        url: `/api/applications/${id}/submit`,
        headers: { cookie: ent.cookie, "x-csrf-token": ent.csrf, ...key },
        payload: { version: v },
      });
      expect(submitted.statusCode, submitted.body).toBe(200);
      expect(submitted.json()).toMatchObject({ status: "submitted", version: 3, replayed: false });
      // The retry (same key, same stale version) changes nothing and answers the same state.
      const retry = await p.app.inject({
        method: "POST",
        url: `/api/applications/${id}/submit`,
        headers: { cookie: ent.cookie, "x-csrf-token": ent.csrf, ...key },
        payload: { version: v },
      });
      expect(retry.statusCode).toBe(200);
      expect(retry.json()).toMatchObject({ status: "submitted", version: 3, replayed: true });
      v = 3;

      // Edits are closed while in review.
      expect(
        (await ent.put(`/api/applications/${id}`, { version: v, statement: "x" })).json().error.code,
      ).toBe("INVALID_STATE");
      // The finance step is not yet due: finance cannot decide the officer's step.
      expect(
        (await finance.post(`/api/applications/${id}/review`, { version: v, decision: "pass" })).statusCode,
      ).toBe(403);

      const returned = await officer.post(`/api/applications/${id}/review`, {
        version: v,
        decision: "return",
        reason: "请补充绿色工厂认定文件的公示页",
      });
      expect(returned.statusCode, returned.body).toBe(200);
      expect(returned.json()).toMatchObject({ status: "returned", statusLabel: "退回补正" });
      v = returned.json().version;
      v = (await ent.put(`/api/applications/${id}`, { version: v, statement: "已补充公示页" })).json()
        .version;
      const resubmitted = await ent.post(`/api/applications/${id}/submit`, { version: v });
      expect(resubmitted.json()).toMatchObject({ status: "submitted", currentStep: 0 });
      v = resubmitted.json().version;

      const first = await officer.post(`/api/applications/${id}/review`, { version: v, decision: "pass" });
      expect(first.json()).toMatchObject({ status: "submitted", currentStep: 1 });
      v = first.json().version;

      const noAmount = await finance.post(`/api/applications/${id}/review`, { version: v, decision: "pass" });
      expect(noAmount.statusCode).toBe(400);
      expect(noAmount.json().error.fields[0].field).toBe("grantedFen");
      const tooMuch = await finance.post(`/api/applications/${id}/review`, {
        version: v,
        decision: "pass",
        grantedFen: GREEN_FACTORY_MAX_FEN + 1,
      });
      expect(tooMuch.statusCode).toBe(422);
      expect(tooMuch.json().error.code).toBe("AMOUNT_EXCEEDS_MAXIMUM");
      const approved = await finance.post(`/api/applications/${id}/review`, {
        version: v,
        decision: "pass",
        grantedFen: GREEN_FACTORY_MAX_FEN,
      });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({ status: "approved", grantedFen: GREEN_FACTORY_MAX_FEN });
      v = approved.json().version;

      expect(
        (await finance.post(`/api/applications/${id}/disbursements`, { version: v, batchRef: "KZ-1" }))
          .statusCode,
      ).toBe(409);
      const notice = await officer.post(`/api/applications/${id}/public-notice`, { version: v });
      expect(notice.json()).toMatchObject({ status: "publicNotice", noticeUntil: "2026-03-09" });
      v = notice.json().version;

      const early = await finance.post(`/api/applications/${id}/disbursements`, {
        version: v,
        batchRef: "KZ-2026-03",
      });
      expect(early.statusCode).toBe(409);
      expect(early.json().error.code).toBe("INVALID_STATE");

      await moveClock("2026-03-10", entAccount);
      const issued = await finance.post(`/api/applications/${id}/disbursements`, {
        version: v,
        batchRef: "KZ-2026-03",
      });
      expect(issued.statusCode, issued.body).toBe(201);
      expect(issued.json().disbursement).toMatchObject({
        status: "issued",
        amountFen: GREEN_FACTORY_MAX_FEN,
        batchRef: "KZ-2026-03",
      });
      v = issued.json().version;

      await moveClock("2026-03-12", entAccount);
      const paid = await finance.post(`/api/applications/${id}/disbursements/result`, {
        version: v,
        status: "paid",
        date: "2026-03-11",
      });
      expect(paid.statusCode, paid.body).toBe(200);
      expect(paid.json().status).toBe("closed");

      const seen = await ent.get(`/api/applications/${id}`);
      expect(seen.statusCode).toBe(200);
      expect(seen.json().disbursement).toMatchObject({ status: "paid", amountFen: GREEN_FACTORY_MAX_FEN });
      expect(seen.json().history.map((h: { toStatus: string }) => h.toStatus)).toEqual([
        "draft",
        "submitted",
        "returned",
        "submitted",
        "submitted",
        "approved",
        "publicNotice",
        "disbursing",
        "closed",
      ]);
      const mine = await ent.get("/api/applications");
      expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual([id]);
      expect(
        (await officer.get(`/api/applications?status=closed`)).json().items.map((i: { id: string }) => i.id),
      ).toContain(id);
      expect((await coordinator.get(`/api/applications`)).json().total).toBeGreaterThanOrEqual(1);
      expect((await otherDept.get(`/api/applications`)).json().items).toEqual([]);
      expect((await otherRegion.get(`/api/applications`)).json().items).toEqual([]);

      const jobs = await p.ctx.db
        .selectFrom("outbox")
        .select("payload")
        .where("topic", "=", "application.changed")
        .execute();
      expect(jobs.filter((j) => (j.payload as { applicationId: string }).applicationId === id).length).toBe(
        9,
      );
      expect(await verifyAudit(p.ctx.db)).toMatchObject({ ok: true });
    });

    it("keeps other enterprises, departments and districts out", async () => {
      const a = await createEnterprise(p, greenFactoryFacts);
      const b = await createEnterprise(p, greenFactoryFacts);
      const { id, version } = await atFinanceStep(a);
      for (const r of [
        await b.get(`/api/applications/${id}`),
        await b.put(`/api/applications/${id}`, { version, statement: "x" }),
        await b.post(`/api/applications/${id}/submit`, { version }),
        await otherDept.get(`/api/applications/${id}`),
        await otherDept.post(`/api/applications/${id}/review`, { version, decision: "pass" }),
        await otherRegion.post(`/api/applications/${id}/review`, {
          version,
          decision: "reject",
          reason: "不符合",
        }),
      ])
        expect(r.statusCode, r.body).toBe(404);
      expect(
        (await b.post("/api/applications", { enterpriseId: a.enterpriseId, measureId: GREEN_FACTORY }))
          .statusCode,
      ).toBe(403);
      // Officers cannot decide the finance step; enterprises cannot review; officers cannot disburse.
      expect(
        (await officer.post(`/api/applications/${id}/review`, { version, decision: "pass" })).statusCode,
      ).toBe(403);
      expect((await a.post(`/api/applications/${id}/review`, { version, decision: "pass" })).statusCode).toBe(
        403,
      );
      expect(
        (await officer.post(`/api/applications/${id}/disbursements`, { version, batchRef: "X" })).statusCode,
      ).toBe(403);
      const bList = await b.get("/api/applications");
      expect(bList.json().items.map((i: { id: string }) => i.id)).not.toContain(id);
    });

    it("refuses an amount above the engine's maximum and a budget overrun (422)", async () => {
      const used = await p.ctx.db
        .selectFrom("applications")
        .select(sql<string>`coalesce(sum(granted_fen), 0)::text`.as("used"))
        .where("measure_id", "=", GREEN_FACTORY)
        .where("status", "in", ["approved", "publicNotice", "disbursing", "disbursementFailed", "closed"])
        .executeTakeFirstOrThrow();
      await p.ctx.db
        .insertInto("measure_budgets")
        .values({ measure_id: GREEN_FACTORY, budget_fen: Number(used.used) + 25_000_000 })
        .onConflict((oc) =>
          oc.column("measure_id").doUpdateSet({ budget_fen: Number(used.used) + 25_000_000 }),
        )
        .execute();
      const first = await atFinanceStep(await createEnterprise(p, greenFactoryFacts));
      const ok = await finance.post(`/api/applications/${first.id}/review`, {
        version: first.version,
        decision: "pass",
        grantedFen: 20_000_000,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const second = await atFinanceStep(await createEnterprise(p, greenFactoryFacts));
      const over = await finance.post(`/api/applications/${second.id}/review`, {
        version: second.version,
        decision: "pass",
        grantedFen: 6_000_000,
      });
      expect(over.statusCode).toBe(422);
      expect(over.json().error).toMatchObject({ code: "BUDGET_EXCEEDED", fields: [{ field: "grantedFen" }] });
      const fits = await finance.post(`/api/applications/${second.id}/review`, {
        version: second.version,
        decision: "pass",
        grantedFen: 5_000_000,
      });
      expect(fits.statusCode, fits.body).toBe(200);
      await p.ctx.db.deleteFrom("measure_budgets").where("measure_id", "=", GREEN_FACTORY).execute();

      // The maximum follows the stored profile: a national green factory raises it to 40 万元.
      const third = await atFinanceStep(await createEnterprise(p, greenFactoryFacts));
      const tooMuch = await finance.post(`/api/applications/${third.id}/review`, {
        version: third.version,
        decision: "pass",
        grantedFen: 40_000_000,
      });
      expect(tooMuch.json().error.code).toBe("AMOUNT_EXCEEDS_MAXIMUM");
    });

    it("50 concurrent identical final approvals make exactly one transition", async () => {
      const { id, version } = await atFinanceStep(await createEnterprise(p, greenFactoryFacts));
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          finance.post(`/api/applications/${id}/review`, {
            version,
            decision: "pass",
            grantedFen: 10_000_000,
          }),
        ),
      );
      const codes = results.map((r) => r.statusCode);
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(49);
      const approvals = await p.ctx.db
        .selectFrom("application_history")
        .select("id")
        .where("application_id", "=", id)
        .where("to_status", "=", "approved")
        .execute();
      expect(approvals).toHaveLength(1);
      expect(await verifyAudit(p.ctx.db)).toMatchObject({ ok: true });
    });

    it("50 concurrent identical disbursements make exactly one payment; submit and disburse retries replay", async () => {
      const { id, version } = await onNotice(await createEnterprise(p, greenFactoryFacts));
      await moveClock("2026-03-20");
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          finance.post(`/api/applications/${id}/disbursements`, { version, batchRef: "KZ-2026-03-B" }),
        ),
      );
      const codes = results.map((r) => r.statusCode);
      expect(codes.filter((c) => c === 201)).toHaveLength(1);
      expect(codes.every((c) => c === 201 || c === 200 || c === 409)).toBe(true);
      for (const r of results.filter((x) => x.statusCode === 200))
        expect(r.json()).toMatchObject({ replayed: true, status: "disbursing" });
      const rows = await p.ctx.db
        .selectFrom("disbursements")
        .selectAll()
        .where("application_id", "=", id)
        .execute();
      expect(rows).toHaveLength(1);
      const issued = await p.ctx.db
        .selectFrom("application_history")
        .select("id")
        .where("application_id", "=", id)
        .where("to_status", "=", "disbursing")
        .execute();
      expect(issued).toHaveLength(1);

      // A failed payment keeps the application open; a re-issue reuses the one disbursement row.
      let v = version + 1;
      const failed = await finance.post(`/api/applications/${id}/disbursements/result`, {
        version: v,
        status: "failed",
        date: "2026-03-20",
        reason: "收款账户已销户",
      });
      expect(failed.json()).toMatchObject({
        status: "disbursementFailed",
        disbursement: { status: "failed" },
      });
      v = failed.json().version;
      const again = await finance.post(`/api/applications/${id}/disbursements`, {
        version: v,
        batchRef: "KZ-2026-04",
      });
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json().disbursement).toMatchObject({ status: "issued", batchRef: "KZ-2026-04" });
      expect(
        await p.ctx.db.selectFrom("disbursements").select("id").where("application_id", "=", id).execute(),
      ).toHaveLength(1);

      // 50 concurrent submits with one Idempotency-Key: one transition.
      const ent = await createEnterprise(p, greenFactoryFacts);
      const draft = (
        await ent.post("/api/applications", { enterpriseId: ent.enterpriseId, measureId: GREEN_FACTORY })
      ).json();
      const sv = (await ent.put(`/api/applications/${draft.id}`, { version: 1, applicant })).json().version;
      const subs = await Promise.all(
        Array.from({ length: 50 }, () =>
          p.app.inject({
            method: "POST",
            url: `/api/applications/${draft.id}/submit`,
            headers: { cookie: ent.cookie, "x-csrf-token": ent.csrf, "idempotency-key": "same-key-123" },
            payload: { version: sv },
          }),
        ),
      );
      expect(subs.every((r) => r.statusCode === 200)).toBe(true);
      expect(subs.filter((r) => r.json().replayed === false)).toHaveLength(1);
      const submits = await p.ctx.db
        .selectFrom("application_history")
        .select("id")
        .where("application_id", "=", draft.id)
        .where("to_status", "=", "submitted")
        .execute();
      expect(submits).toHaveLength(1);
    });

    it("answers bad input with 4xx naming the field", async () => {
      const ent = await createEnterprise(p, greenFactoryFacts);
      const bad = await ent.post("/api/applications", { enterpriseId: "nope", measureId: GREEN_FACTORY });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].field).toBe("enterpriseId");
      const unknown = await ent.post("/api/applications", {
        enterpriseId: ent.enterpriseId,
        measureId: "no/such",
      });
      expect(unknown.json().error.fields[0].field).toBe("measureId");
      // Banan's measures ended in 2022/2023: not in force today.
      const expired = await ent.post("/api/applications", {
        enterpriseId: ent.enterpriseId,
        measureId: "banan-2022-63/3",
      });
      expect(expired.statusCode).toBe(400);
      expect(expired.json().error.message).toMatch(/执行期限/);
      // Ineligible: no green factory certification → the engine's reason.
      const plain = await createEnterprise(p, { size: "small", certifications: [] });
      const inel = await plain.post("/api/applications", {
        enterpriseId: plain.enterpriseId,
        measureId: GREEN_FACTORY,
      });
      expect(inel.statusCode).toBe(400);
      expect(inel.json().error.message).toMatch(/不符合申报条件/);

      const { id } = (
        await ent.post("/api/applications", { enterpriseId: ent.enterpriseId, measureId: GREEN_FACTORY })
      ).json();
      const wrongType = await ent.post(`/api/applications/${id}/attachments`, {
        fileName: "a.exe",
        contentType: "application/x-msdownload",
        contentBase64: PDF_BASE64,
      });
      expect(wrongType.statusCode).toBe(400);
      expect(wrongType.json().error.fields[0].field).toBe("contentType");
      const fake = await ent.post(`/api/applications/${id}/attachments`, {
        fileName: "a.png",
        contentType: "image/png",
        contentBase64: PDF_BASE64,
      });
      expect(fake.json().error.fields[0].field).toBe("contentBase64");
      const limit = p.ctx.config.maxAttachmentBytes;
      p.ctx.config.maxAttachmentBytes = 16;
      const big = await ent.post(`/api/applications/${id}/attachments`, {
        fileName: "a.pdf",
        contentType: "application/pdf",
        contentBase64: PDF_BASE64,
      });
      p.ctx.config.maxAttachmentBytes = limit;
      expect(big.statusCode).toBe(413);
      const noReason = await officer.post(`/api/applications/${id}/review`, {
        version: 1,
        decision: "reject",
      });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.fields[0].field).toBe("reason");
      const noVersion = await ent.post(`/api/applications/${id}/submit`, {});
      expect(noVersion.json().error.fields[0].field).toBe("version");
      const stale = await ent.put(`/api/applications/${id}`, { version: 7, applicant });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe("VERSION_MISMATCH");
      const badDate = await finance.post(`/api/applications/${id}/disbursements/result`, {
        version: 1,
        status: "paid",
        date: "2026-02-30",
      });
      expect(badDate.json().error.fields[0].field).toBe("date");

      // The award is paid to the bank account: no submission without 开户行 and 账号, each named.
      const { bankName, bankAccount, ...contact } = applicant;
      let v = (await ent.put(`/api/applications/${id}`, { version: 1, applicant: contact })).json().version;
      const noBank = await ent.post(`/api/applications/${id}/submit`, { version: v });
      expect(noBank.statusCode).toBe(400);
      expect(noBank.json().error.fields[0].field).toBe("applicant.bankName");
      expect(noBank.json().error.message).toContain("开户银行");
      v = (
        await ent.put(`/api/applications/${id}`, { version: v, applicant: { ...contact, bankName } })
      ).json().version;
      const noAccount = await ent.post(`/api/applications/${id}/submit`, { version: v });
      expect(noAccount.statusCode).toBe(400);
      expect(noAccount.json().error.fields[0].field).toBe("applicant.bankAccount");
      expect(noAccount.json().error.message).toContain("银行账号");
      v = (
        await ent.put(`/api/applications/${id}`, {
          version: v,
          applicant: { ...contact, bankName, bankAccount },
        })
      ).json().version;
      expect((await ent.post(`/api/applications/${id}/submit`, { version: v })).statusCode).toBe(200);
    });

    it("never answers arbitrary bodies on the write routes with a 5xx", async () => {
      const ent = await createEnterprise(p, greenFactoryFacts);
      const { id } = await atFinanceStep(ent);
      const draft = await createEnterprise(p, greenFactoryFacts);
      const draftId = (
        await draft.post("/api/applications", { enterpriseId: draft.enterpriseId, measureId: GREEN_FACTORY })
      ).json().id as string;
      const field = fc.oneof(
        fc.jsonValue(),
        fc.integer({ min: -3, max: 12 }),
        fc.constantFrom(
          "pass",
          "return",
          "reject",
          "paid",
          "failed",
          "2026-03-02",
          "application/pdf",
          "a.pdf",
          PDF_BASE64,
        ),
        fc.double(),
        fc.string(),
      );
      const body = fc.oneof(
        fc.jsonValue(),
        fc.dictionary(
          fc.constantFrom(
            "version",
            "decision",
            "reason",
            "grantedFen",
            "batchRef",
            "status",
            "date",
            "applicant",
            "statement",
            "refreshFacts",
            "fileName",
            "contentType",
            "contentBase64",
            "enterpriseId",
            "measureId",
          ),
          field,
        ),
      );
      const routes = (target: string) =>
        [
          ["POST", "/api/applications"],
          ["PUT", `/api/applications/${target}`],
          ["POST", `/api/applications/${target}/attachments`],
          ["POST", `/api/applications/${target}/submit`],
          ["POST", `/api/applications/${target}/review`],
          ["POST", `/api/applications/${target}/public-notice`],
          ["POST", `/api/applications/${target}/disbursements`],
          ["POST", `/api/applications/${target}/disbursements/result`],
        ] as const;
      const actors = [ent, draft, officer, finance];
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 7 }),
          fc.integer({ min: 0, max: actors.length - 1 }),
          fc.boolean(),
          body,
          async (r, a, useDraft, payload) => {
            const [method, url] = routes(useDraft ? draftId : id)[r] as readonly ["POST" | "PUT", string];
            const c = actors[a] as Client;
            const res = await c.request(method, url, payload);
            expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)} → ${res.body}`).toBeLessThan(
              500,
            );
          },
        ),
        { numRuns: 300 },
      );
      expect(await verifyAudit(p.ctx.db)).toMatchObject({ ok: true });
    });
  });
}

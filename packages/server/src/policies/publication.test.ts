import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerEnterprise, staffClient } from "../enterprises/test-fixtures.ts";
import type { Client } from "../test-support.ts";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";

const ID = "banan-2022-63/1";

for (const kind of testDatabaseKinds()) {
  describe(`measure publication and policy cases (${kind})`, () => {
    let p: TestPlatform;
    let ent: Client;
    let enterpriseId: string;
    let admin: Client;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      ({ client: ent, enterpriseId } = await registerEnterprise(p.app, {
        username: "pub-reader",
        regionCode: "500113",
      }));
      admin = await staffClient(p.app, p.ctx, { username: "pub-admin", role: "policyAdmin" });
    }, 60_000);
    afterAll(async () => p?.close());

    const visibleTo = async (c: Client) => {
      const list = (await c.get("/api/measures?documentId=banan-2022-63&pageSize=200")).json();
      const doc = (await c.get("/api/documents/banan-2022-63")).json();
      const search = (await c.get(`/api/search?q=${encodeURIComponent("规上工业企业")}&pageSize=50`)).json();
      return {
        list: list.items.some((m: { id: string }) => m.id === ID),
        doc: doc.measures.some((m: { id: string }) => m.id === ID),
        search: search.hits.some((h: { measureId: string }) => h.measureId === ID),
      };
    };

    it("unpublishes a measure: gone from the library and matches for enterprises, kept for the admin, audited", async () => {
      expect(await visibleTo(ent)).toEqual({ list: true, doc: true, search: true });
      const before = (await ent.get(`/api/enterprises/${enterpriseId}/matches?asOf=2022-11-01`)).json();
      expect(before.results.some((r: { measureId: string }) => r.measureId === ID)).toBe(true);

      expect((await ent.put(`/api/measures/${ID}/publication`, { published: false })).statusCode).toBe(403);
      const bad = await admin.put(`/api/measures/${ID}/publication`, { published: "no" });
      expect(bad.statusCode).toBe(400);
      expect(
        (await admin.put("/api/measures/banan-2022-63/99/publication", { published: false })).statusCode,
      ).toBe(404);

      const r = await admin.put(`/api/measures/${ID}/publication`, { published: false });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({ measureId: ID, published: false, changed: true });
      expect((await admin.put(`/api/measures/${ID}/publication`, { published: false })).json().changed).toBe(
        false,
      );

      expect(await visibleTo(ent)).toEqual({ list: false, doc: false, search: false });
      expect(await visibleTo(admin)).toEqual({ list: true, doc: true, search: true });
      const hidden = (await admin.get("/api/measures?published=false")).json();
      expect(hidden.items.map((m: { id: string; published: boolean }) => [m.id, m.published])).toEqual([
        [ID, false],
      ]);
      // The detail (and so the history of applications) stays readable, flagged.
      const detail = await ent.get(`/api/measures/${ID}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json().published).toBe(false);

      const after = (await ent.get(`/api/enterprises/${enterpriseId}/matches?asOf=2022-11-01`)).json();
      expect(after.results.some((r: { measureId: string }) => r.measureId === ID)).toBe(false);
      expect(after.results.length).toBe(before.results.length - 1);

      const audit = (await admin.get(`/api/audit?entity=measure&entityId=${encodeURIComponent(ID)}`)).json();
      const actions = (audit.items as { action: string }[]).map((a) => a.action);
      expect(actions.filter((a) => a === "measure.unpublish")).toHaveLength(1);

      expect((await admin.put(`/api/measures/${ID}/publication`, { published: true })).json().changed).toBe(
        true,
      );
      expect(await visibleTo(ent)).toEqual({ list: true, doc: true, search: true });
    });

    it("runs a measure's YAML cases against the current engine (policy admin only)", async () => {
      expect((await ent.get(`/api/policies/cases?measureId=${encodeURIComponent(ID)}`)).statusCode).toBe(403);
      const r = await admin.get(`/api/policies/cases?measureId=${encodeURIComponent(ID)}`);
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body.rulesVersion).toBe(p.ctx.engine.version);
      expect(body.total).toBeGreaterThan(0);
      expect(body.passed).toBe(body.total);
      for (const c of body.cases) {
        expect(c.expected).not.toBe("");
        expect(c.actual).not.toBe("");
        expect(c.pass).toBe(true);
      }
      const all = (await admin.get("/api/policies/cases")).json();
      expect(all.total).toBeGreaterThan(300);
      expect(all.passed).toBe(all.total);
      expect((await admin.get("/api/policies/cases?measureId=banan-2022-63/99")).statusCode).toBe(404);
      expect((await admin.get("/api/policies/cases?measureId=bad")).statusCode).toBe(400);
    });

    it("refuses new applications to an unpublished measure, naming measureId", async () => {
      const path = `/api/measures/${ID}/publication`;
      expect((await admin.put(path, { published: false })).statusCode).toBe(200);
      const r = await ent.post("/api/applications", { enterpriseId, measureId: ID });
      expect(r.statusCode).toBe(400);
      expect(r.json().error).toMatchObject({ fields: [{ field: "measureId" }] });
      expect(r.json().error.message).toMatch(/撤下/);
      expect((await admin.put(path, { published: true })).statusCode).toBe(200);
    });
  });
}

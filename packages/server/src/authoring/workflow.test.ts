import { readDocumentSources } from "@huiqi/policies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DEMO_PASSWORD } from "../demo/accounts.ts";
import { seedDemo } from "../demo/seed.ts";
import { Client, startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";

const DOC = "banan-2022-63";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below.
type Json = any;
const get = async (c: Client, url: string): Promise<{ status: number; json: Json }> => {
  const r = await c.get(url);
  return { status: r.statusCode, json: r.json() };
};
const post = async (c: Client, url: string, body: unknown): Promise<{ status: number; json: Json }> => {
  const r = await c.post(url, body);
  return { status: r.statusCode, json: r.json() };
};

for (const kind of testDatabaseKinds()) {
  describe(`policy authoring workflow (${kind})`, () => {
    let p: TestPlatform;
    let author: Client;
    let reviewer: Client;
    let enterprise: Client;
    beforeAll(async () => {
      p = await startTestPlatform(kind);
      await seedDemo(p.ctx);
      author = new Client(p.app);
      reviewer = new Client(p.app);
      enterprise = new Client(p.app);
      await author.login("policy-admin", DEMO_PASSWORD);
      await reviewer.login("policy-reviewer", DEMO_PASSWORD);
      await enterprise.login("qiye-banan-manufacturer", DEMO_PASSWORD);
    });
    afterAll(async () => {
      await p?.close();
    });

    const seedFiles = () => {
      const s = readDocumentSources().find((x) => x.id === DOC);
      if (!s) throw new Error("seed missing");
      return s.files;
    };

    it("lists every document with its published seed revision", async () => {
      const r = await get(author, "/api/policy-documents");
      expect(r.status).toBe(200);
      const banan = r.json.items.find((d: { documentId: string }) => d.documentId === DOC);
      expect(banan.title).toContain("巴南区");
      expect(banan.revisions).toEqual([
        expect.objectContaining({ revision: 1, state: "published", stateLabel: "现行", origin: "seed" }),
      ]);
      expect((await get(enterprise, "/api/policy-documents")).status).toBe(403);
    });

    it("refuses a draft that does not validate, naming the file, and writes nothing", async () => {
      const files = { ...seedFiles(), "measures.yaml": "measures:\n  - id: banan-2022-63/1\n" };
      const r = await post(author, `/api/policy-documents/${DOC}/revisions`, { files });
      expect(r.status).toBe(400);
      expect(r.json.error.message).toContain("measures.yaml");
      const bad = await post(author, `/api/policy-documents/${DOC}/revisions`, { files: { "a.txt": "x" } });
      expect(bad.status).toBe(400);
      const list = await get(author, "/api/policy-documents");
      expect(
        list.json.items.find((d: { documentId: string }) => d.documentId === DOC).revisions,
      ).toHaveLength(1);
    });

    it("drafts a change to an amount, blocks publishing while cases fail, then publishes after a second admin approves", async () => {
      const files = seedFiles();
      // 巴南 1: the 20万 award becomes 30万 — its cases still expect 20万, so submitting is refused.
      const changed = files["measures.yaml"]?.replace("fixed: 200000", "fixed: 300000") ?? "";
      expect(changed).not.toBe(files["measures.yaml"]);
      const draft = await post(author, `/api/policy-documents/${DOC}/revisions`, {
        files: { ...files, "measures.yaml": changed },
        note: "奖励提高到 30 万元",
      });
      expect(draft.status).toBe(201);
      expect(draft.json.check.failing.length).toBeGreaterThan(0);
      const refused = await post(
        author,
        `/api/policy-documents/${DOC}/revisions/${draft.json.revision}/submit`,
        {},
      );
      expect(refused.status).toBe(400);
      expect(refused.json.error.message).toMatch(/用例未通过/);

      // Same change with the cases updated: submitted, the author cannot approve it, the reviewer can.
      const cases = files["cases.yaml"]?.replaceAll("amount: 200000,", "amount: 300000,") ?? "";
      const good = await post(author, `/api/policy-documents/${DOC}/revisions`, {
        files: { ...files, "measures.yaml": changed, "cases.yaml": cases },
      });
      expect(good.status).toBe(201);
      expect(good.json.check).toMatchObject({ failing: [], short: [] });
      const rev = good.json.revision;
      expect((await post(author, `/api/policy-documents/${DOC}/revisions/${rev}/submit`, {})).status).toBe(
        200,
      );
      const self = await post(author, `/api/policy-documents/${DOC}/revisions/${rev}/approve`, {});
      expect(self.status).toBe(403);
      expect(self.json.error.message).toContain("不能审核自己起草的修改");
      const versionBefore = p.ctx.library.rules.version;
      const approved = await post(reviewer, `/api/policy-documents/${DOC}/revisions/${rev}/approve`, {});
      expect(approved.status).toBe(200);
      expect(approved.json.version).not.toBe(versionBefore);
      expect(approved.json.changed).toContain(`${DOC}/1`);
      // The running platform serves the new rules without a restart.
      expect(p.ctx.library.rules.version).toBe(approved.json.version);
      const m = p.ctx.engine.byId.get(`${DOC}/1`);
      expect(JSON.stringify(m?.def.amount)).toContain("300000");
      const list = await get(author, "/api/policy-documents");
      const states = list.json.items
        .find((d: { documentId: string }) => d.documentId === DOC)
        .revisions.map((r: { revision: number; state: string }) => `${r.revision}:${r.state}`);
      expect(states).toEqual([`${rev}:published`, `${draft.json.revision}:draft`, "1:superseded"]);
      const audit = await p.ctx.db
        .selectFrom("audit_log")
        .select("action")
        .where("entity", "=", "policy_document")
        .execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(["policy.draft", "policy.submit", "policy.approve"]),
      );
    });

    it("keeps showing a past date with the rules published then", async () => {
      const me = await get(enterprise, "/api/auth/me");
      const id = me.json.actor.enterpriseId;
      const banan1 = (asOf: string) =>
        get(enterprise, `/api/enterprises/${id}/matches?asOf=${asOf}&measure=${DOC}/1`).then(
          (r) => r.json.results[0],
        );
      // 2022 predates the platform's first revision: the document as first recorded (20 万元), not today's 30 万元.
      expect((await banan1("2022-11-01")).amount.min).toBe(20_000_000);
      const rules = (await import("./rules-as-of.ts")).engineAsOf;
      const fixed = async (asOf: string) =>
        JSON.stringify((await rules(p.ctx, asOf)).byId.get(`${DOC}/1`)?.def.amount);
      expect(await fixed("2022-11-01")).toContain("200000");
      // A day after the approval the current (30 万元) rules apply; the clock moves on, the day stays.
      const approvedAt = await p.ctx.db
        .selectFrom("policy_revisions")
        .select("published_at")
        .where("document_id", "=", DOC)
        .where("state", "=", "published")
        .executeTakeFirstOrThrow();
      const day = (offset: number) =>
        new Date(new Date(approvedAt.published_at as Date).getTime() + offset * 86_400_000 + 8 * 3_600_000)
          .toISOString()
          .slice(0, 10);
      const now = new Date();
      p.setNow(new Date(now.getTime() + 10 * 86_400_000));
      try {
        expect(await fixed(day(2))).toContain("300000");
        expect(await rules(p.ctx, day(2))).toBe(p.ctx.engine);
      } finally {
        p.setNow(now);
      }
      // Inside the first revision's window (seeded 10 days ago, superseded 5 days ago): the old amount.
      const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
      await p.ctx.db
        .updateTable("policy_revisions")
        .set({ published_at: ago(10), ended_at: ago(5) })
        .where("document_id", "=", DOC)
        .where("revision", "=", 1)
        .execute();
      await p.ctx.db
        .updateTable("policy_revisions")
        .set({ published_at: ago(5) })
        .where("document_id", "=", DOC)
        .where("state", "=", "published")
        .execute();
      const sevenDaysAgo = new Date(ago(7).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(await fixed(sevenDaysAgo)).toContain("200000");
      expect(await rules(p.ctx, sevenDaysAgo)).not.toBe(p.ctx.engine);
    });

    it("a document first written in the editor takes part in past dates only from its publication on", async () => {
      const NEW = "banan-copy-2026-1";
      const files = Object.fromEntries(
        Object.entries(seedFiles())
          // Its facts are the seed's, already in the vocabulary.
          .filter(([name]) => name !== "facts.yaml")
          .map(([name, text]) => [name, text.replaceAll(DOC, NEW)]),
      );
      // Its stacking cases name the seed's groups, which do not hold the copy's measures.
      const cases = parse(files["cases.yaml"] ?? "") as { cases: { stacking?: unknown }[] };
      files["cases.yaml"] = stringify({ cases: cases.cases.filter((c) => c.stacking === undefined) });
      const d = await post(author, `/api/policy-documents/${NEW}/revisions`, { files });
      expect(d.status, JSON.stringify(d.json)).toBe(201);
      const sub = await post(author, `/api/policy-documents/${NEW}/revisions/1/submit`, {});
      expect(sub.status, JSON.stringify(sub.json)).toBe(200);
      expect((await post(reviewer, `/api/policy-documents/${NEW}/revisions/1/approve`, {})).status).toBe(200);
      const rules = (await import("./rules-as-of.ts")).engineAsOf;
      const today = new Date(p.ctx.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
      const yesterday = new Date(p.ctx.now().getTime() - 16 * 3_600_000).toISOString().slice(0, 10);
      expect((await rules(p.ctx, today)).byId.has(`${NEW}/1`)).toBe(true);
      expect((await rules(p.ctx, yesterday)).byId.has(`${NEW}/1`)).toBe(false);
      // A seed document is still read from its first revision for dates before the platform existed.
      expect((await rules(p.ctx, "2022-11-01")).byId.has(`${DOC}/1`)).toBe(true);
      expect((await rules(p.ctx, "2022-11-01")).byId.has(`${NEW}/1`)).toBe(false);
    });

    it("returns a revision to its author with a reason, and repeals a document", async () => {
      const files = seedFiles();
      const d = await post(author, `/api/policy-documents/wulong-2022-48/revisions`, {
        files: readDocumentSources().find((x) => x.id === "wulong-2022-48")?.files ?? files,
      });
      await post(author, `/api/policy-documents/wulong-2022-48/revisions/${d.json.revision}/submit`, {});
      const noReason = await post(
        reviewer,
        `/api/policy-documents/wulong-2022-48/revisions/${d.json.revision}/return`,
        {},
      );
      expect(noReason.status).toBe(400);
      const returned = await post(
        reviewer,
        `/api/policy-documents/wulong-2022-48/revisions/${d.json.revision}/return`,
        { reason: "请补充用例" },
      );
      expect(returned.status).toBe(200);
      const repealed = await post(reviewer, `/api/policy-documents/wulong-2022-48/repeal`, {
        reason: "已到期",
      });
      expect(repealed.status).toBe(200);
      expect(p.ctx.library.documents.map((x) => x.document.id)).not.toContain("wulong-2022-48");
      const list = await get(author, "/api/policy-documents");
      const w = list.json.items.find((x: { documentId: string }) => x.documentId === "wulong-2022-48");
      expect(w.revisions.map((r: { state: string; note: string | null }) => [r.state, r.note])).toEqual([
        ["draft", "退回：请补充用例"],
        ["repealed", "废止：已到期"],
      ]);
    });
  });
}

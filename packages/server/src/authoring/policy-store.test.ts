import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DOCUMENTS_DIR, POLICIES_ROOT, PolicyDataError, readDocumentSources } from "@huiqi/policies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPolicyCases } from "../policies/test-cases.ts";
import { startTestPlatform, type TestPlatform, testDatabaseKinds } from "../test-support.ts";
import {
  exportPolicyDocuments,
  importPolicyDocuments,
  prepareLibrary,
  publishedSources,
} from "./policy-store.ts";

/** A copy of the policy folders to change without touching the repository's. */
function copyOfPolicies(): string {
  const root = mkdtempSync(join(tmpdir(), "huiqi-policies-"));
  for (const part of ["documents", "vocabulary", "stacking.yaml"])
    cpSync(join(POLICIES_ROOT, part), join(root, part), { recursive: true });
  return root;
}

for (const kind of testDatabaseKinds()) {
  describe(`policy documents in the database (${kind})`, () => {
    let p: TestPlatform;
    const temp: string[] = [];
    beforeAll(async () => {
      p = await startTestPlatform(kind);
    });
    afterAll(async () => {
      await p?.close();
      for (const d of temp) rmSync(d, { recursive: true, force: true });
    });

    const revisions = (id: string) =>
      p.ctx.db
        .selectFrom("policy_revisions")
        .select(["revision", "state", "origin"])
        .where("document_id", "=", id)
        .orderBy("revision")
        .execute();

    it("seeds the five documents as published revision 1 and serves the same rules as the folders", async () => {
      const ids = readDocumentSources().map((s) => s.id);
      expect(ids).toHaveLength(5);
      for (const id of ids)
        expect(await revisions(id)).toEqual([{ revision: 1, state: "published", origin: "seed" }]);
      // Same data, same rules version as compiling the folders directly.
      const { library } = await prepareLibrary(p.ctx.db);
      expect(p.ctx.library.rules.version).toBe(library.rules.version);
      expect(p.ctx.library.rules.measures).toHaveLength(137);
    });

    it("runs every policy case from the database, all passing", () => {
      const reports = runPolicyCases(p.ctx);
      expect(reports.length).toBeGreaterThan(300);
      expect(reports.filter((r) => !r.pass).map((r) => `${r.name}：${r.problems.join("；")}`)).toEqual([]);
    });

    it("exports the seeds byte for byte, and importing the export changes nothing", async () => {
      const out = mkdtempSync(join(tmpdir(), "huiqi-export-"));
      temp.push(out);
      const ids = await exportPolicyDocuments(p.ctx.db, out);
      expect(ids).toEqual(readdirSync(DOCUMENTS_DIR).sort());
      for (const id of ids)
        for (const name of readdirSync(join(DOCUMENTS_DIR, id)))
          expect(readFileSync(join(out, id, name)), `${id}/${name}`).toEqual(
            readFileSync(join(DOCUMENTS_DIR, id, name)),
          );
      const roundTrip = await importPolicyDocuments(
        p.ctx.db,
        ids.map((id) => ({
          id,
          files: Object.fromEntries(
            readdirSync(join(out, id)).map((n) => [n, readFileSync(join(out, id, n), "utf8")]),
          ),
          origin: join(out, id),
        })),
        { state: "published", now: new Date() },
      );
      expect(roundTrip).toEqual({ created: {}, unchanged: ids });
    });

    it("takes a changed folder as a new published revision, superseding the seed", async () => {
      const root = copyOfPolicies();
      temp.push(root);
      const file = join(root, "documents", "banan-2022-63", "measures.yaml");
      writeFileSync(file, `${readFileSync(file, "utf8")}# 2026 年修订\n`);
      const prepared = await prepareLibrary(p.ctx.db, { policiesRoot: root });
      // Nothing is written before commit.
      expect(await revisions("banan-2022-63")).toHaveLength(1);
      const seed = await prepared.commit(new Date());
      expect(seed).toEqual({ added: [], updated: ["banan-2022-63"], keptEditorRevision: [] });
      expect(await revisions("banan-2022-63")).toEqual([
        { revision: 1, state: "superseded", origin: "seed" },
        { revision: 2, state: "published", origin: "seed" },
      ]);
      // Committing the same plan again (another process) adds nothing.
      expect((await prepared.commit(new Date())).updated).toEqual([]);
    });

    it("keeps a policy office's published revision when the folder changes later", async () => {
      const [source] = (await publishedSources(p.ctx.db)).filter((s) => s.id === "wulong-2022-48");
      if (!source) throw new Error("wulong missing");
      const edited = {
        ...source,
        files: { ...source.files, "cases.yaml": `${source.files["cases.yaml"]}# 政策办补充\n` },
      };
      const r = await importPolicyDocuments(p.ctx.db, [edited], { state: "published", now: new Date() });
      expect(r.created).toEqual({ "wulong-2022-48": 2 });
      const root = copyOfPolicies();
      temp.push(root);
      const file = join(root, "documents", "wulong-2022-48", "document.yaml");
      writeFileSync(file, `${readFileSync(file, "utf8")}# 新版本发布\n`);
      const prepared = await prepareLibrary(p.ctx.db, { policiesRoot: root });
      expect((await prepared.commit(new Date())).keptEditorRevision).toContain("wulong-2022-48");
      expect((await revisions("wulong-2022-48")).at(-1)).toEqual({
        revision: 2,
        state: "published",
        origin: "import",
      });
    });

    it("refuses a folder that does not validate and writes nothing", async () => {
      const root = copyOfPolicies();
      temp.push(root);
      writeFileSync(
        join(root, "documents", "kaizhou-2023-27", "measures.yaml"),
        "measures:\n  - id: kaizhou-2023-27/1\n    title: 只有标题\n",
      );
      const before = await revisions("kaizhou-2023-27");
      await expect(prepareLibrary(p.ctx.db, { policiesRoot: root })).rejects.toBeInstanceOf(PolicyDataError);
      expect(await revisions("kaizhou-2023-27")).toEqual(before);
    });
  });
}

/**
 * Policy documents live in the database as revisions of their files (document.yaml, measures.yaml, cases.yaml,
 * …, stored as the exact texts), with a state: draft → in review → published → superseded / repealed. The
 * library the engine compiles is the published revision of every document; the folders in packages/policies
 * are the seed.
 *
 * Seed rule: a document with no revision gets its folder as revision 1. When a folder changes (a new release)
 * and the document's published revision came from the folder, the folder becomes a new published revision; when
 * a policy office has published its own revision, that revision stays and the folder change is not applied (the
 * commit's result names it; `huiqi policies import` applies it on purpose) — a deploy never overwrites an editor's work.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  DOCUMENT_FILE_NAMES,
  type DocumentFiles,
  type DocumentSource,
  documentFromFiles,
  libraryFromSources,
  type PolicyLibrary,
  readDocumentSources,
} from "@huiqi/policies";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../db/schema.ts";

/**
 * Serializes writers of revisions (several server processes starting on one PostgreSQL seed at once): the
 * check-then-insert of the seed rule and of imports runs under this transaction-scoped advisory lock.
 */
const REVISIONS_LOCK = 7_340_002;

export async function lockRevisions(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${REVISIONS_LOCK})`.execute(trx);
}

export type RevisionState = "draft" | "inReview" | "published" | "superseded" | "repealed";
export type RevisionOrigin = "seed" | "import" | "editor";

/** Files in their canonical order, so the stored JSON and the hash do not depend on how they were read. */
export function canonicalFiles(files: DocumentFiles): DocumentFiles {
  const out: DocumentFiles = {};
  for (const name of DOCUMENT_FILE_NAMES) {
    const text = files[name];
    if (text !== undefined) out[name] = text;
  }
  return out;
}

export function filesHash(files: DocumentFiles): string {
  return createHash("sha256")
    .update(JSON.stringify(canonicalFiles(files)))
    .digest("hex")
    .slice(0, 16);
}

export function revisionOrigin(id: string, revision: number): string {
  return `数据库：${id} 第 ${revision} 版`;
}

interface NewRevision {
  documentId: string;
  files: DocumentFiles;
  state: RevisionState;
  origin: RevisionOrigin;
  authorId?: string | null;
  note?: string | null;
}

async function insertRevision(trx: Transaction<Database>, r: NewRevision, now: Date): Promise<number> {
  const last = await trx
    .selectFrom("policy_revisions")
    .select((eb) => eb.fn.max("revision").as("max"))
    .where("document_id", "=", r.documentId)
    .executeTakeFirst();
  const revision = Number(last?.max ?? 0) + 1;
  if (r.state === "published")
    await trx
      .updateTable("policy_revisions")
      .set({ state: "superseded", ended_at: now })
      .where("document_id", "=", r.documentId)
      .where("state", "=", "published")
      .execute();
  await trx
    .insertInto("policy_revisions")
    .values({
      document_id: r.documentId,
      revision,
      state: r.state,
      origin: r.origin,
      files: JSON.stringify(canonicalFiles(r.files)),
      files_hash: filesHash(r.files),
      author_id: r.authorId ?? null,
      note: r.note ?? null,
      created_at: now,
      published_at: r.state === "published" ? now : null,
    })
    .execute();
  return revision;
}

export interface SeedResult {
  /** Documents seeded for the first time, or updated from a changed folder. */
  added: string[];
  updated: string[];
  /** Folder changed, but a policy office's published revision is kept. */
  keptEditorRevision: string[];
}

interface SeedStep {
  source: DocumentSource;
  kind: "added" | "updated";
  /** The published revision's hash the step was planned against (null: none). */
  replaces: string | null;
}

/** The seed rule (file header) for every folder, without writing. */
async function planSeed(
  db: Kysely<Database>,
  sources: DocumentSource[],
): Promise<{ steps: SeedStep[]; keptEditorRevision: string[] }> {
  const published = await db
    .selectFrom("policy_revisions")
    .select(["document_id", "origin", "files_hash"])
    .where("state", "=", "published")
    .execute();
  const current = new Map(published.map((p) => [p.document_id, p]));
  const everSeen = new Set(
    (await db.selectFrom("policy_revisions").select("document_id").distinct().execute()).map(
      (r) => r.document_id,
    ),
  );
  const steps: SeedStep[] = [];
  const keptEditorRevision: string[] = [];
  for (const source of sources) {
    const p = current.get(source.id);
    if (!p) {
      // A document repealed or still in draft in the platform is not brought back by its folder.
      if (!everSeen.has(source.id)) steps.push({ source, kind: "added", replaces: null });
    } else if (p.files_hash !== filesHash(source.files)) {
      if (p.origin === "seed") steps.push({ source, kind: "updated", replaces: p.files_hash });
      else keptEditorRevision.push(source.id);
    }
  }
  return { steps, keptEditorRevision };
}

export interface PreparedLibrary {
  library: PolicyLibrary;
  /** Records the folders' new revisions; call once the library has compiled. */
  commit(now: Date): Promise<SeedResult>;
}

/**
 * The library as it will be once the folders are seeded: the published revisions with the folders' new
 * revisions in place. Nothing is written until `commit`, so a folder that does not compile leaves the
 * database (and the next start) as it was.
 */
export async function prepareLibrary(
  db: Kysely<Database>,
  opts: { policiesRoot?: string } = {},
): Promise<PreparedLibrary> {
  const plan = await planSeed(db, readDocumentSources(opts.policiesRoot));
  const sources = new Map((await publishedSources(db)).map((s) => [s.id, s]));
  for (const step of plan.steps) sources.set(step.source.id, step.source);
  const library = libraryFromSources([...sources.values()], opts.policiesRoot);
  return {
    library,
    commit: async (now) => {
      const result: SeedResult = { added: [], updated: [], keptEditorRevision: plan.keptEditorRevision };
      if (plan.steps.length === 0) return result;
      await db.transaction().execute(async (trx) => {
        await lockRevisions(trx);
        for (const step of plan.steps) {
          const p = await trx
            .selectFrom("policy_revisions")
            .select("files_hash")
            .where("document_id", "=", step.source.id)
            .where("state", "=", "published")
            .executeTakeFirst();
          // Another process seeded it meanwhile.
          if ((p?.files_hash ?? null) !== step.replaces) continue;
          await insertRevision(
            trx,
            { documentId: step.source.id, files: step.source.files, state: "published", origin: "seed" },
            now,
          );
          result[step.kind].push(step.source.id);
        }
      });
      return result;
    },
  };
}

/** The published revision of every document, as the library's sources. */
export async function publishedSources(db: Kysely<Database>): Promise<DocumentSource[]> {
  const rows = await db
    .selectFrom("policy_revisions")
    .select(["document_id", "revision", "files"])
    .where("state", "=", "published")
    .orderBy("document_id")
    .execute();
  return rows.map((r) => ({
    id: r.document_id,
    files: r.files,
    origin: revisionOrigin(r.document_id, r.revision),
  }));
}

export interface ImportResult {
  /** Document id → the revision created; absent when the files equal the published revision. */
  created: Record<string, number>;
  unchanged: string[];
}

/**
 * `huiqi policies import`: documents read from folders become revisions — published at once (superseding the
 * current one) or as drafts for review. Every document is validated first and nothing is written if one fails;
 * files equal to the published revision create nothing, so importing twice changes nothing.
 */
export async function importPolicyDocuments(
  db: Kysely<Database>,
  sources: DocumentSource[],
  opts: { state: "published" | "draft"; authorId?: string | null; now: Date },
): Promise<ImportResult> {
  for (const s of sources) documentFromFiles(s.id, s.files, s.origin);
  // The whole library must still compile with the new documents in it.
  if (opts.state === "published") {
    const merged = new Map((await publishedSources(db)).map((s) => [s.id, s]));
    for (const s of sources) merged.set(s.id, s);
    libraryFromSources([...merged.values()]);
  }
  const result: ImportResult = { created: {}, unchanged: [] };
  await db.transaction().execute(async (trx) => {
    await lockRevisions(trx);
    for (const s of sources) {
      const p = await trx
        .selectFrom("policy_revisions")
        .select("files_hash")
        .where("document_id", "=", s.id)
        .where("state", "=", "published")
        .executeTakeFirst();
      if (p?.files_hash === filesHash(s.files)) {
        result.unchanged.push(s.id);
        continue;
      }
      result.created[s.id] = await insertRevision(
        trx,
        {
          documentId: s.id,
          files: s.files,
          state: opts.state,
          origin: "import",
          authorId: opts.authorId ?? null,
        },
        opts.now,
      );
    }
  });
  return result;
}

/** `huiqi policies export`: the published revision of every document, one folder each, texts as stored. */
export async function exportPolicyDocuments(db: Kysely<Database>, dir: string): Promise<string[]> {
  const sources = await publishedSources(db);
  for (const s of sources) {
    const folder = join(dir, s.id);
    mkdirSync(folder, { recursive: true });
    for (const [name, text] of Object.entries(canonicalFiles(s.files)))
      writeFileSync(join(folder, name), text);
  }
  return sources.map((s) => s.id);
}

export const POLICY_REVISIONS_SQL = [
  `create table policy_revisions (
    document_id text not null,
    revision integer not null check (revision > 0),
    state text not null check (state in ('draft', 'inReview', 'published', 'superseded', 'repealed')),
    origin text not null check (origin in ('seed', 'import', 'editor')),
    files jsonb not null,
    files_hash text not null,
    author_id uuid references accounts(id),
    reviewer_id uuid references accounts(id),
    note text,
    created_at timestamptz not null default now(),
    published_at timestamptz,
    ended_at timestamptz,
    primary key (document_id, revision)
  )`,
  `create unique index policy_revisions_one_published on policy_revisions (document_id) where state = 'published'`,
];

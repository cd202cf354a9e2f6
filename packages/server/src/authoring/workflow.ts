/**
 * The four-eyes workflow of a policy document's revisions: a policy admin writes a draft, submits it for
 * review, and a second policy admin approves (publishes) or returns it with a reason; the author can never
 * approve their own change. A published document can be repealed with a date. Every step is audited; a
 * publication or repeal reloads the library (new rules version, targeted push) without a restart.
 */
import { compileRules, type MeasureDef, makeProfileValidator } from "@huiqi/engine";
import {
  type DocumentFiles,
  documentFromFiles,
  libraryFromSources,
  type PolicyCase,
  PolicyDataError,
  runCase,
} from "@huiqi/policies";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { type ReloadResult, reloadPolicies } from "../policies/routes.ts";
import {
  canonicalFiles,
  filesHash,
  lockRevisions,
  publishedSources,
  revisionOrigin,
} from "./policy-store.ts";

/** Publishing needs this many passing cases on every monetary measure. */
export const MIN_CASES_PER_MONETARY_MEASURE = 2;

const STATE_LABEL = {
  draft: "草稿",
  inReview: "待审核",
  published: "现行",
  superseded: "已被取代",
  repealed: "已废止",
} as const;

function dataError(e: unknown): never {
  if (e instanceof PolicyDataError) throw new AppError("VALIDATION", `政策数据有误：${e.message}`);
  throw e;
}

async function revisionRow(ctx: AppContext, documentId: string, revision: number) {
  const row = await ctx.db
    .selectFrom("policy_revisions")
    .selectAll()
    .where("document_id", "=", documentId)
    .where("revision", "=", revision)
    .executeTakeFirst();
  if (!row) throw notFound(`政策文件 ${documentId} 的第 ${revision} 版`);
  return row;
}

export interface CaseCheck {
  /** Monetary measures with fewer passing cases than required, with the count they have. */
  short: { measureId: string; title: string; passing: number }[];
  failing: { name: string; problems: string[] }[];
  passing: number;
}

/**
 * Compiles the whole library with this document's files in place of its published revision and runs the
 * document's cases. Throws a Chinese VALIDATION error when the files or the library do not compile.
 */
export async function checkDocument(
  ctx: AppContext,
  documentId: string,
  files: DocumentFiles,
): Promise<CaseCheck> {
  let measures: MeasureDef[];
  let library: ReturnType<typeof libraryFromSources>;
  try {
    measures = documentFromFiles(documentId, files, documentId).measures;
    const sources = new Map((await publishedSources(ctx.db)).map((s) => [s.id, s]));
    sources.set(documentId, { id: documentId, files, origin: documentId });
    library = libraryFromSources([...sources.values()]);
  } catch (e) {
    dataError(e);
  }
  let engine: ReturnType<typeof compileRules>;
  try {
    engine = compileRules(library.rules);
  } catch (e) {
    throw new AppError("VALIDATION", `规则无法编译：${(e as Error).message}`);
  }
  const doc = library.documents.find((d) => d.document.id === documentId);
  const run = runDocumentCases(
    engine,
    makeProfileValidator(library.rules.vocabulary),
    doc?.cases ?? [],
    measures,
  );
  return {
    short: run.short,
    failing: run.results
      .filter((r) => r.problems.length > 0)
      .map((r) => ({ name: r.case.name, problems: r.problems })),
    passing: run.passing,
  };
}

/**
 * Runs a document's cases: each case's problems (none = passed), and the monetary measures with fewer passing
 * cases than publishing needs. A case that throws counts as failing with the error as its problem.
 */
export function runDocumentCases(
  engine: ReturnType<typeof compileRules>,
  validate: ReturnType<typeof makeProfileValidator>,
  cases: readonly PolicyCase[],
  measures: readonly MeasureDef[],
): { results: { case: PolicyCase; problems: string[] }[]; passing: number; short: CaseCheck["short"] } {
  const passingBy = new Map<string, number>();
  let passing = 0;
  const results = cases.map((c) => {
    let problems: string[];
    try {
      problems = runCase(engine, validate, c);
    } catch (e) {
      problems = [(e as Error).message];
    }
    if (problems.length === 0) {
      passing++;
      if (c.measure) passingBy.set(c.measure, (passingBy.get(c.measure) ?? 0) + 1);
    }
    return { case: c, problems };
  });
  const short = measures
    .filter((m) => m.monetary && (passingBy.get(m.id) ?? 0) < MIN_CASES_PER_MONETARY_MEASURE)
    .map((m) => ({ measureId: m.id, title: m.title, passing: passingBy.get(m.id) ?? 0 }));
  return { results, passing, short };
}

function requireReady(check: CaseCheck): void {
  if (check.failing.length > 0)
    throw new AppError(
      "VALIDATION",
      `有 ${check.failing.length} 个用例未通过：${check.failing
        .slice(0, 3)
        .map((f) => `「${f.name}」${f.problems[0] ?? ""}`)
        .join("；")}`,
    );
  if (check.short.length > 0)
    throw new AppError(
      "VALIDATION",
      `每项资金类措施至少需要 ${MIN_CASES_PER_MONETARY_MEASURE} 个通过的用例，以下措施不足：${check.short
        .slice(0, 5)
        .map((s) => `「${s.title}」（${s.passing} 个）`)
        .join("、")}`,
    );
}

/** A policy admin saves a new draft revision of a document (new or existing). */
export async function createDraft(
  ctx: AppContext,
  actor: Actor,
  documentId: string,
  files: DocumentFiles,
  note: string | null,
): Promise<{ revision: number; check: CaseCheck }> {
  const check = await checkDocument(ctx, documentId, files);
  const revision = await ctx.db.transaction().execute(async (trx) => {
    await lockRevisions(trx);
    const last = await trx
      .selectFrom("policy_revisions")
      .select((eb) => eb.fn.max("revision").as("max"))
      .where("document_id", "=", documentId)
      .executeTakeFirst();
    const revision = Number(last?.max ?? 0) + 1;
    await trx
      .insertInto("policy_revisions")
      .values({
        document_id: documentId,
        revision,
        state: "draft",
        origin: "editor",
        files: JSON.stringify(canonicalFiles(files)),
        files_hash: filesHash(files),
        author_id: actor.id,
        note,
        created_at: ctx.now(),
      })
      .execute();
    await appendAudit(trx, actor, {
      action: "policy.draft",
      entity: "policy_document",
      entityId: documentId,
      after: { revision },
    });
    return revision;
  });
  return { revision, check };
}

async function transition(
  ctx: AppContext,
  actor: Actor,
  documentId: string,
  revision: number,
  from: keyof typeof STATE_LABEL,
  action: string,
  apply: (now: Date) => Record<string, unknown>,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockRevisions(trx);
    const updated = await trx
      .updateTable("policy_revisions")
      .set(apply(ctx.now()))
      .where("document_id", "=", documentId)
      .where("revision", "=", revision)
      .where("state", "=", from)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new AppError(
        "INVALID_STATE",
        `第 ${revision} 版已不是「${STATE_LABEL[from]}」状态，请刷新后重试`,
      );
    await appendAudit(trx, actor, {
      action,
      entity: "policy_document",
      entityId: documentId,
      after: { revision },
    });
  });
}

/** The author submits a draft for review; it must compile and pass its cases. */
export async function submitRevision(ctx: AppContext, actor: Actor, documentId: string, revision: number) {
  const row = await revisionRow(ctx, documentId, revision);
  if (row.state !== "draft")
    throw new AppError(
      "INVALID_STATE",
      `只有草稿可以提交审核，第 ${revision} 版现为「${STATE_LABEL[row.state]}」`,
    );
  if (row.author_id !== actor.id) throw new AppError("FORBIDDEN", "只有起草人可以提交这一版");
  requireReady(await checkDocument(ctx, documentId, row.files));
  await transition(ctx, actor, documentId, revision, "draft", "policy.submit", () => ({ state: "inReview" }));
}

/** A second policy admin returns a revision to its author with a reason. */
export async function returnRevision(
  ctx: AppContext,
  actor: Actor,
  documentId: string,
  revision: number,
  reason: string,
) {
  const row = await revisionRow(ctx, documentId, revision);
  if (row.author_id === actor.id)
    throw new AppError("FORBIDDEN", "不能审核自己起草的修改，请由另一位政策管理员审核");
  await transition(ctx, actor, documentId, revision, "inReview", "policy.return", () => ({
    state: "draft",
    reviewer_id: actor.id,
    note: `退回：${reason}`,
  }));
}

/** A second policy admin approves: the revision becomes the published one and the library reloads. */
export async function approveRevision(
  ctx: AppContext,
  actor: Actor,
  documentId: string,
  revision: number,
): Promise<ReloadResult> {
  const row = await revisionRow(ctx, documentId, revision);
  if (row.author_id === actor.id)
    throw new AppError("FORBIDDEN", "不能审核自己起草的修改，请由另一位政策管理员审核");
  if (row.state !== "inReview")
    throw new AppError("INVALID_STATE", `第 ${revision} 版现为「${STATE_LABEL[row.state]}」，不是待审核`);
  // Checked again: another document may have been published since it was submitted.
  requireReady(await checkDocument(ctx, documentId, row.files));
  await ctx.db.transaction().execute(async (trx) => {
    await lockRevisions(trx);
    const now = ctx.now();
    await trx
      .updateTable("policy_revisions")
      .set({ state: "superseded", ended_at: now })
      .where("document_id", "=", documentId)
      .where("state", "=", "published")
      .execute();
    const updated = await trx
      .updateTable("policy_revisions")
      .set({ state: "published", reviewer_id: actor.id, published_at: now })
      .where("document_id", "=", documentId)
      .where("revision", "=", revision)
      .where("state", "=", "inReview")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new AppError("INVALID_STATE", `第 ${revision} 版已被他人处理，请刷新后重试`);
    await appendAudit(trx, actor, {
      action: "policy.approve",
      entity: "policy_document",
      entityId: documentId,
      after: { revision },
    });
  });
  return reloadPolicies(ctx, actor);
}

/** Repeals a published document: it leaves the library; its measures' history and applications stay. */
export async function repealDocument(ctx: AppContext, actor: Actor, documentId: string, reason: string) {
  const sources = (await publishedSources(ctx.db)).filter((s) => s.id !== documentId);
  const current = await ctx.db
    .selectFrom("policy_revisions")
    .select("revision")
    .where("document_id", "=", documentId)
    .where("state", "=", "published")
    .executeTakeFirst();
  if (!current) throw notFound(`现行的政策文件 ${documentId}`);
  try {
    compileRules(libraryFromSources(sources).rules);
  } catch (e) {
    throw new AppError(
      "VALIDATION",
      `废止后其余政策无法编译（可能有从高不重复分组引用了它的措施）：${(e as Error).message}`,
    );
  }
  await transition(ctx, actor, documentId, current.revision, "published", "policy.repeal", (now) => ({
    state: "repealed",
    ended_at: now,
    note: `废止：${reason}`,
  }));
  return reloadPolicies(ctx, actor);
}

export { revisionOrigin, STATE_LABEL };

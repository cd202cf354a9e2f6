/**
 * The policy editor's 预览 and 差异 (问题 10): the library compiled with a document's edited files in place of
 * its published revision; one enterprise's results for the document's measures under those files, next to
 * the published version's; and the field-level differences from the published revision.
 */
import {
  compileRules,
  type Engine,
  type FactDefinition,
  formatRange,
  type MeasureExplanation,
  type MeasureResult,
  makeGlossary,
  OUTCOME_TEXT,
  type RenderedExplanation,
  renderExplanation,
} from "@huiqi/engine";
import { type DocumentFiles, documentFromFiles, libraryFromSources, PolicyDataError } from "@huiqi/policies";
import type { Actor, AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { auditRead } from "../enterprises/access.ts";
import { loadFacts } from "../enterprises/facts-store.ts";
import { AppError, notFound } from "../errors.ts";
import { regionName } from "../reports/regions.ts";
import { type DiffSide, type DocumentDiff, diffDocuments } from "./diff.ts";
import { publishedSources } from "./policy-store.ts";

/** A 400 naming the files as the field at fault. */
const filesError = (message: string) => new AppError("VALIDATION", message, [{ field: "files", message }]);

/** The library and its engine with `files` in place of the document's published revision. */
export async function compileDraft(ctx: AppContext, documentId: string, files: DocumentFiles) {
  let library: ReturnType<typeof libraryFromSources>;
  try {
    documentFromFiles(documentId, files, documentId);
    const sources = new Map((await publishedSources(ctx.db)).map((s) => [s.id, s]));
    // The editor does not carry stacking.yaml: like saving a draft, keep the published one when it is absent.
    const stacking = sources.get(documentId)?.files["stacking.yaml"];
    const merged =
      files["stacking.yaml"] === undefined && stacking !== undefined
        ? { ...files, "stacking.yaml": stacking }
        : files;
    sources.set(documentId, { id: documentId, files: merged, origin: documentId });
    library = libraryFromSources([...sources.values()]);
  } catch (e) {
    if (e instanceof PolicyDataError) throw filesError(`政策数据有误：${e.message}`);
    throw e;
  }
  let engine: Engine;
  try {
    engine = compileRules(library.rules);
  } catch (e) {
    throw filesError(`规则无法编译：${(e as Error).message}`);
  }
  return { library, engine };
}

export interface PreviewAmount {
  /** 分 */
  min: number;
  /** 分; null: no stated upper bound. */
  max: number | null;
  text: string;
}

export interface PreviewSide {
  outcome: MeasureResult["outcome"];
  outcomeText: string;
  amount: PreviewAmount | null;
  amountUnstated: boolean;
}

export interface PreviewMeasure {
  measureId: string;
  title: string;
  /** Under the edited files; null when the edit removes the measure. */
  draft:
    | (PreviewSide & {
        missing: { fact: string; label: string }[];
        reason: string | null;
        explanation: MeasureExplanation;
        /** The explanation as the engine's renderer words it, with the edited library's glossary. */
        rendered: RenderedExplanation;
      })
    | null;
  /** Under the published version; null when the measure is not published. */
  published: PreviewSide | null;
}

export interface Preview {
  enterprise: { id: string; name: string; district: string };
  asOf: string;
  measures: PreviewMeasure[];
}

function side(r: MeasureResult): PreviewSide {
  return {
    outcome: r.outcome,
    outcomeText: OUTCOME_TEXT[r.outcome],
    amount: r.amount ? { ...r.amount, text: formatRange(r.amount) } : null,
    amountUnstated: r.amountUnstated === true,
  };
}

export async function previewDocument(
  ctx: AppContext,
  actor: Actor,
  documentId: string,
  files: DocumentFiles,
  enterpriseId: string,
  asOfInput: string | undefined,
): Promise<Preview> {
  const { library, engine } = await compileDraft(ctx, documentId, files);
  const e = await ctx.db
    .selectFrom("enterprises")
    .select(["id", "name", "region_code"])
    .where("id", "=", enterpriseId)
    .executeTakeFirst();
  const facts = e ? await loadFacts(ctx.db, e.id) : undefined;
  if (!e || !facts) throw notFound("企业");
  const asOf = asOfInput ?? localDate(ctx.now());
  const ids = engine.measures.filter((m) => m.doc.id === documentId).map((m) => m.def.id);
  const draft = engine.evaluate(facts, { asOf, explain: true, measures: ids });
  const publishedIds = ctx.engine.measures.filter((m) => m.doc.id === documentId).map((m) => m.def.id);
  const published =
    publishedIds.length > 0 ? ctx.engine.evaluate(facts, { asOf, measures: publishedIds }).results : [];
  await auditRead(ctx, actor, e.id, { view: "policyPreview", documentId, asOf });
  const g = makeGlossary(library.rules);
  const byId = new Map(published.map((r) => [r.measureId, r]));
  const measures: PreviewMeasure[] = draft.results.map((r) => {
    const explanation = r.explanation ?? engine.explain(r.measureId, facts, asOf);
    const p = byId.get(r.measureId);
    return {
      measureId: r.measureId,
      title: r.title,
      draft: {
        ...side(r),
        missing: r.missing.map((fact) => ({ fact, label: engine.factLabel(fact) })),
        reason: r.reason ?? null,
        explanation,
        rendered: renderExplanation(explanation, g),
      },
      published: p ? side(p) : null,
    };
  });
  const inDraft = new Set(ids);
  for (const p of published)
    if (!inDraft.has(p.measureId))
      measures.push({ measureId: p.measureId, title: p.title, draft: null, published: side(p) });
  return {
    enterprise: { id: e.id, name: e.name, district: regionName(ctx, e.region_code) },
    asOf,
    measures,
  };
}

/** The document's own facts (facts.yaml): id → label. */
function factLabels(documentId: string, files: DocumentFiles): Record<string, string> {
  if (files["facts.yaml"] === undefined) return {};
  const shared = new Set(libraryFromSources([]).rules.vocabulary.facts.map((f: FactDefinition) => f.id));
  const own = libraryFromSources([{ id: documentId, files, origin: documentId }]).rules.vocabulary.facts;
  return Object.fromEntries(own.filter((f) => !shared.has(f.id)).map((f) => [f.id, f.label]));
}

/** Field-level differences between `files` and the document's published revision (none: all 新增). */
export async function diffWithPublished(
  ctx: AppContext,
  documentId: string,
  files: DocumentFiles,
): Promise<DocumentDiff> {
  const { library } = await compileDraft(ctx, documentId, files);
  const doc = library.documents.find((d) => d.document.id === documentId);
  if (!doc) throw notFound(`政策文件 ${documentId}`);
  const after: DiffSide = {
    doc,
    g: makeGlossary(library.rules),
    facts: factLabels(documentId, files),
    source: files["source.txt"],
  };
  const current = (await publishedSources(ctx.db)).find((s) => s.id === documentId);
  let before: DiffSide | null = null;
  if (current)
    before = {
      doc: documentFromFiles(documentId, current.files, current.origin),
      g: makeGlossary(ctx.engine.rules),
      facts: factLabels(documentId, current.files),
      source: current.files["source.txt"],
    };
  return diffDocuments(before, after);
}

/**
 * One bulk import: the file's rows streamed, each validated (kinds.ts), good rows applied in batches (one
 * transaction per batch: one query for the enterprises, one for their facts, one multi-row upsert), bad
 * rows reported with their column and reason. Idempotent: a value equal to the stored one is not written,
 * and a file (same sha256, kind and district) already imported without bad rows is recognised and nothing
 * at all is written. Precedence of sources: precedence.ts. Each batch enqueues a "profile.changed" job (outbox, same
 * transaction) for every enterprise it changed, so that enterprises newly fitting a measure get one digest.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Vocabulary } from "@huiqi/engine";
import { type Kysely, sql, type Transaction } from "kysely";
import { appendAudit } from "../audit/audit-log.ts";
import { createImportRun } from "../batch/runs.ts";
import type { Actor } from "../context.ts";
import type { Database } from "../db/schema.ts";
import { sameFactValue } from "../enterprises/facts-store.ts";
import { enqueueMany } from "../notifications/outbox.ts";
import {
  bindColumns,
  type FactWrite,
  type ImportKind,
  itemKey,
  KIND_LABELS,
  type ParsedRow,
  type RowProblem,
  rowParser,
} from "./kinds.ts";
import { type FactSource, importMayWrite } from "./precedence.ts";
import { readTable, TableError, type TableRow } from "./table.ts";

export interface ImportDeps {
  db: Kysely<Database>;
  vocabulary: Vocabulary;
  measureIds: ReadonlySet<string>;
  now: () => Date;
}

export interface ImportRequest {
  kind: ImportKind;
  fileName: string;
  bytes: Uint8Array;
  /** Rows of other districts are refused; null = every district (the CLI without --district). */
  district: string | null;
  actor: Actor | null;
  /** Called after each batch with the rows read so far. */
  onProgress?: (rows: number) => void;
  batchSize?: number;
}

export interface ImportCounts {
  /** Data rows read (blank rows not counted). */
  rows: number;
  /** Rows committed (changed, unchanged or kept). */
  imported: number;
  bad: number;
  /** Rows that wrote something. */
  changed: number;
  /** Rows whose values were all there already. */
  unchanged: number;
  /** Rows with a value not written because an officer verified the stored one. */
  keptVerified: number;
  enterprisesCreated: number;
}

export interface ImportReport {
  importId: string | null;
  kind: ImportKind;
  fileName: string;
  sha256: string;
  district: string | null;
  /** Set when the same file was already imported cleanly: nothing was written. */
  alreadyImported: { importId: string; importedAt: string } | null;
  counts: ImportCounts;
  /** Bad rows, by row (at most MAX_PROBLEMS; problemsOmitted says how many more). */
  problems: RowProblem[];
  problemsOmitted: number;
  /** Values kept because they are verified (at most MAX_PROBLEMS). */
  kept: RowProblem[];
}

/** One sentence on the outcome, in Chinese. */
export function importSummary(r: {
  kind: ImportKind;
  fileName: string;
  alreadyImported: { importedAt: string } | null;
  counts: ImportCounts;
}): string {
  if (r.alreadyImported) {
    // Chongqing time (UTC+8), to the minute.
    const at = new Date(Date.parse(r.alreadyImported.importedAt) + 8 * 3600_000).toISOString();
    return `「${r.fileName}」已于 ${at.slice(0, 10)} ${at.slice(11, 16)} 导入过（内容完全相同），本次未做任何修改`;
  }
  const c = r.counts;
  const parts = [
    `${KIND_LABELS[r.kind]}：共 ${c.rows} 行`,
    `导入 ${c.imported} 行（其中写入新值 ${c.changed} 行，无变化 ${c.unchanged} 行`,
  ];
  if (c.keptVerified) parts[1] += `，保留部门核实值 ${c.keptVerified} 行`;
  parts[1] += "）";
  if (c.enterprisesCreated) parts.push(`新建企业 ${c.enterprisesCreated} 家`);
  parts.push(c.bad ? `有问题未导入 ${c.bad} 行` : "没有问题行");
  return parts.join("，");
}

export const MAX_PROBLEMS = 1000;

export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportFileError";
  }
}

const zeroCounts = (): ImportCounts => ({
  rows: 0,
  imported: 0,
  bad: 0,
  changed: 0,
  unchanged: 0,
  keptVerified: 0,
  enterprisesCreated: 0,
});

function regionLabels(v: Vocabulary): Map<string, string> {
  return new Map((v.facts.find((f) => f.id === "regionCode")?.values ?? []).map((x) => [x.value, x.label]));
}

export async function runImport(deps: ImportDeps, req: ImportRequest): Promise<ImportReport> {
  const sha256 = createHash("sha256").update(req.bytes).digest("hex");
  const report: ImportReport = {
    importId: null,
    kind: req.kind,
    fileName: req.fileName,
    sha256,
    district: req.district,
    alreadyImported: null,
    counts: zeroCounts(),
    problems: [],
    problemsOmitted: 0,
    kept: [],
  };
  let q = deps.db
    .selectFrom("fact_imports")
    .select(["id", "imported_at", "counts"])
    .where("file_sha256", "=", sha256)
    .where("kind", "=", req.kind);
  q = req.district === null ? q.where("district", "is", null) : q.where("district", "=", req.district);
  // Finished (counts written at the end) and without bad rows; an interrupted import has empty counts.
  const previous = (await q.orderBy("imported_at", "desc").execute()).find((p) => {
    const c = p.counts as Partial<ImportCounts>;
    return typeof c.rows === "number" && c.bad === 0;
  });
  if (previous) {
    report.alreadyImported = {
      importId: previous.id,
      importedAt: new Date(previous.imported_at).toISOString(),
    };
    return report;
  }

  const rows = readTable(req.bytes, req.fileName);
  const first = await nextRow(rows);
  if (first === undefined) throw new ImportFileError(`「${req.fileName}」只有表头，没有数据行`);
  const binding = bindColumns(req.kind, first.cells.keys());
  if (!binding.ok)
    throw new ImportFileError(
      `「${req.fileName}」缺少${KIND_LABELS[req.kind]}所需的列：${binding.missing.join("、")}（表头应在第一行）`,
    );
  const parse = rowParser(req.kind, deps, binding.bound);

  const importId = randomUUID();
  report.importId = importId;
  await deps.db
    .insertInto("fact_imports")
    .values({
      id: importId,
      kind: req.kind,
      file_name: req.fileName,
      file_sha256: sha256,
      district: req.district,
      imported_by: req.actor?.id ?? null,
      imported_at: deps.now(),
      counts: JSON.stringify({}),
    })
    .execute();

  const state: BatchState = {
    deps,
    req,
    importId,
    report,
    regions: regionLabels(deps.vocabulary),
    latestYear: new Map(),
    changedIds: new Set(),
  };
  const batchSize = req.batchSize ?? 1000;
  let batch: ParsedRow[] = [];
  const flush = async () => {
    if (batch.length > 0) await applyBatch(state, batch);
    batch = [];
    req.onProgress?.(report.counts.rows);
  };
  for (let r: TableRow | undefined = first; r !== undefined; r = await nextRow(rows)) {
    report.counts.rows++;
    const parsed = parse(r);
    if (!parsed.ok) {
      addProblems(report, parsed.problems);
      continue;
    }
    batch.push(parsed.row);
    if (batch.length >= batchSize) await flush();
  }
  await flush();

  const c = report.counts;
  c.imported = c.changed + c.unchanged + c.keptVerified;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("fact_imports")
      .set({ counts: JSON.stringify(c) })
      .where("id", "=", importId)
      .execute();
    // No personal data in the audit log: the file, the kind and the counts only.
    await appendAudit(trx, req.actor, {
      action: "facts.import",
      entity: "fact_import",
      entityId: importId,
      after: { kind: req.kind, fileName: req.fileName, district: req.district, counts: c },
    });
    // A large import is re-matched as one batch run over its changed enterprises; their profile.changed jobs
    // then leave the lists to it (notifications/handlers.ts).
    await createImportRun(trx, { importId, enterpriseIds: [...state.changedIds], now: deps.now() });
  });
  return report;
}

async function nextRow(rows: AsyncGenerator<TableRow>): Promise<TableRow | undefined> {
  try {
    const n = await rows.next();
    return n.done ? undefined : n.value;
  } catch (e) {
    if (e instanceof TableError) throw new ImportFileError(e.message);
    throw e;
  }
}

function addProblems(report: ImportReport, problems: RowProblem[]): void {
  report.counts.bad++;
  for (const p of problems) {
    if (report.problems.length < MAX_PROBLEMS) report.problems.push(p);
    else report.problemsOmitted++;
  }
}

interface BatchState {
  deps: ImportDeps;
  req: ImportRequest;
  importId: string;
  report: ImportReport;
  regions: Map<string, string>;
  /** `uscc|factId` → the year of the value written for a non-per-year fact (latest year wins). */
  latestYear: Map<string, number>;
  /** Enterprises this import changed: a large set is re-matched by one batch run (batch/runs.ts). */
  changedIds: Set<string>;
}

interface Stored {
  value: unknown;
  source: FactSource;
}

interface PendingFact {
  enterpriseId: string;
  factId: string;
  period: string;
  value: unknown;
  row: number;
}

const districtName = (s: BatchState, code: string) => s.regions.get(code) ?? code;

async function applyBatch(s: BatchState, batch: ParsedRow[]): Promise<void> {
  const { report, req } = s;
  const now = s.deps.now();
  await s.deps.db.transaction().execute(async (trx) => {
    const usccs = [...new Set(batch.map((r) => r.uscc))];
    const enterprises = new Map(
      (
        await trx
          .selectFrom("enterprises")
          .select(["id", "uscc", "name", "region_code", "industry_code"])
          .where("uscc", "in", usccs)
          .execute()
      ).map((e) => [e.uscc, e]),
    );
    const outOfDistrict = (region: string, row: number): boolean => {
      if (req.district === null || region === req.district) return false;
      addProblems(report, [
        {
          row,
          field: "统一社会信用代码",
          reason: `该企业属于${districtName(s, region)}，不在本次导入的辖区（${districtName(s, req.district)}）内`,
        },
      ]);
      return true;
    };

    if (req.kind === "registry") {
      const upserts = new Map<
        string,
        {
          id: string;
          uscc: string;
          name: string;
          region_code: string;
          industry_code: string | null;
          created: boolean;
        }
      >();
      for (const r of batch) {
        const e = r.enterprise;
        if (!e) continue;
        if (outOfDistrict(e.regionCode, r.row)) continue;
        const existing = enterprises.get(r.uscc);
        if (existing && existing.region_code !== e.regionCode) {
          addProblems(report, [
            {
              row: r.row,
              field: "所属区县",
              reason: `该企业已登记在${districtName(s, existing.region_code)}，与表中的${districtName(s, e.regionCode)}不一致（迁址不通过导入办理）`,
            },
          ]);
          continue;
        }
        const name = e.name;
        const industry = e.industryCode ?? existing?.industry_code ?? null;
        if (existing && existing.name === name && existing.industry_code === industry) {
          report.counts.unchanged++;
          continue;
        }
        const id = existing?.id ?? upserts.get(r.uscc)?.id ?? randomUUID();
        const created = !existing;
        if (created && !upserts.has(r.uscc)) report.counts.enterprisesCreated++;
        upserts.set(r.uscc, {
          id,
          uscc: r.uscc,
          name,
          region_code: e.regionCode,
          industry_code: industry,
          created,
        });
        enterprises.set(r.uscc, {
          id,
          uscc: r.uscc,
          name,
          region_code: e.regionCode,
          industry_code: industry,
        });
        report.counts.changed++;
      }
      if (upserts.size > 0) {
        const changed = await trx
          .insertInto("enterprises")
          .values(
            [...upserts.values()].map((u) => ({
              id: u.id,
              uscc: u.uscc,
              name: u.name,
              region_code: u.region_code,
              industry_code: u.industry_code,
              created_at: now,
              updated_at: now,
            })),
          )
          .onConflict((oc) =>
            oc.column("uscc").doUpdateSet((eb) => ({
              name: eb.ref("excluded.name"),
              industry_code: eb.ref("excluded.industry_code"),
              version: sql<number>`enterprises.version + 1`,
              updated_at: now,
            })),
          )
          .returning(["id", "version"])
          .execute();
        await enqueueProfileChanged(trx, s, changed);
      }
      return;
    }

    // Fact kinds: the enterprise must exist and be in the district.
    const rows: { r: ParsedRow; enterpriseId: string }[] = [];
    for (const r of batch) {
      const e = enterprises.get(r.uscc);
      if (!e) {
        addProblems(report, [
          { row: r.row, field: "统一社会信用代码", reason: "平台上没有这家企业（请先导入企业名录）" },
        ]);
        continue;
      }
      if (outOfDistrict(e.region_code, r.row)) continue;
      rows.push({ r, enterpriseId: e.id });
    }
    if (rows.length === 0) return;
    const factIds = [...new Set(rows.flatMap(({ r }) => r.facts.map((f) => f.factId)))];
    const stored = new Map<string, Stored>();
    for (const f of await trx
      .selectFrom("enterprise_facts")
      .select(["enterprise_id", "fact_id", "period", "value", "source"])
      .where("enterprise_id", "in", [...new Set(rows.map((x) => x.enterpriseId))])
      .where("fact_id", "in", factIds)
      .execute())
      stored.set(`${f.enterprise_id}|${f.fact_id}|${f.period}`, {
        value: f.value,
        source: f.source as FactSource,
      });

    const pending = new Map<string, PendingFact>();
    for (const { r, enterpriseId } of rows) {
      let wrote = false;
      let kept = false;
      for (const f of r.facts) {
        const period = f.mode === "set" ? f.period : "";
        const key = `${enterpriseId}|${f.factId}|${period}`;
        if (f.mode === "set" && f.asOfYear !== undefined) {
          const yk = `${r.uscc}|${f.factId}`;
          const seen = s.latestYear.get(yk);
          if (seen !== undefined && seen > f.asOfYear) continue; // an older year than one already in this file
          s.latestYear.set(yk, f.asOfYear);
        }
        const current = stored.get(key);
        const next = f.mode === "set" ? f.value : mergeItem(f, current?.value);
        if (current && sameFactValue(current.value, next)) {
          if (current.source !== "self") continue;
          // The same value, now backed by government data: it becomes imported (provenance recorded).
        }
        if (!importMayWrite(current?.source)) {
          kept = true;
          if (report.kept.length < MAX_PROBLEMS)
            report.kept.push({
              row: r.row,
              field: f.column,
              reason: "该项已由部门核实，导入的值未覆盖核实值",
            });
          continue;
        }
        stored.set(key, { value: next, source: "import" });
        pending.set(key, { enterpriseId, factId: f.factId, period, value: next, row: r.row });
        wrote = true;
      }
      if (wrote) report.counts.changed++;
      else if (kept) report.counts.keptVerified++;
      else report.counts.unchanged++;
    }
    await writeFacts(trx, s, [...pending.values()], now);
  });
}

function mergeItem(f: Extract<FactWrite, { mode: "item" }>, current: unknown): unknown[] {
  const list = Array.isArray(current) ? [...current] : [];
  const at = list.findIndex(
    (x) => x !== null && typeof x === "object" && itemKey(f.factId, x as Record<string, unknown>) === f.key,
  );
  if (at >= 0) list[at] = f.item;
  else list.push(f.item);
  return list;
}

async function writeFacts(trx: Transaction<Database>, s: BatchState, facts: PendingFact[], now: Date) {
  if (facts.length === 0) return;
  await trx
    .insertInto("enterprise_facts")
    .values(
      facts.map((f) => ({
        enterprise_id: f.enterpriseId,
        fact_id: f.factId,
        period: f.period,
        value: JSON.stringify(f.value),
        source: "import",
        verified_by: null,
        updated_at: now,
        import_id: s.importId,
        import_file: s.req.fileName,
        import_row: f.row,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(["enterprise_id", "fact_id", "period"])
        .doUpdateSet((eb) => ({
          value: eb.ref("excluded.value"),
          source: "import",
          verified_by: null,
          updated_at: now,
          import_id: eb.ref("excluded.import_id"),
          import_file: eb.ref("excluded.import_file"),
          import_row: eb.ref("excluded.import_row"),
        }))
        // Never over a verified fact, even one verified while this batch ran.
        .where("enterprise_facts.source", "!=", "verified"),
    )
    .execute();
  const ids = [...new Set(facts.map((f) => f.enterpriseId))];
  const bumped = await trx
    .updateTable("enterprises")
    .set((eb) => ({ version: eb("version", "+", 1), updated_at: now }))
    .where("id", "in", ids)
    .returning(["id", "version"])
    .execute();
  await enqueueProfileChanged(trx, s, bumped);
}

/** Targeted push (outbox, same transaction as the batch's writes): one "profile.changed" job per changed enterprise. */
async function enqueueProfileChanged(
  trx: Transaction<Database>,
  s: BatchState,
  enterprises: { id: string; version: number }[],
): Promise<void> {
  for (const e of enterprises) s.changedIds.add(e.id);
  await enqueueMany(
    trx,
    "profile.changed",
    enterprises.map((e) => ({
      payload: { enterpriseId: e.id, version: e.version, importId: s.importId },
      dedupeKey: `import:${s.importId}:${e.id}:${e.version}`,
    })),
  );
}

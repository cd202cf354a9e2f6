/**
 * Bulk import routes: POST /api/imports (a department's xlsx/csv as base64 JSON, like attachments — no
 * multipart plugin is installed) and GET /api/imports (past imports of the district with their counts).
 * Officers and coordinators, for their own district only.
 */
import { z } from "zod";
import { requireActor } from "../app.ts";
import type { AppContext } from "../context.ts";
import { AppError, forbidden } from "../errors.ts";
import { errorResponses, Text } from "../http/schemas.ts";
import { authorize } from "../permissions.ts";
import type { TypedApp } from "../routes.ts";
import { IMPORT_KINDS, KIND_LABELS } from "./kinds.ts";
import { type ImportDeps, ImportFileError, importSummary, MAX_PROBLEMS, runImport } from "./run-import.ts";
import { tableFormat } from "./table.ts";

const BASE64_MAX = 40 * 1024 * 1024;
const IMPORT_BODY_LIMIT = BASE64_MAX + 64 * 1024;

const Kind = z
  .enum(IMPORT_KINDS, {
    error: "应为以下导入类型之一：企业名录、统计数据、研发费用、资质认定名单、已兑现奖补",
  })
  .meta({
    description:
      "registry 企业名录｜statistics 统计数据（营业收入、规上、从业人员）｜rd 研发费用｜certifications 资质认定名单｜awards 已兑现奖补",
  });

const Body = z.object({
  kind: Kind,
  fileName: Text(200)
    .trim()
    .min(1, { error: "请提供文件名" })
    .refine((n) => tableFormat(n) !== null, { error: "只能导入 .xlsx 或 .csv 文件" }),
  contentBase64: Text(BASE64_MAX)
    .min(1, { error: "文件是空的" })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: "应为 base64 编码的文件内容" }),
});

const Counts = z.object({
  rows: z.number().meta({ description: "读到的数据行（不含表头和空行）" }),
  imported: z.number().meta({ description: "已入库的行（含无变化、保留核实值的行）" }),
  bad: z.number().meta({ description: "有问题未导入的行" }),
  changed: z.number().meta({ description: "写入了新值的行" }),
  unchanged: z.number().meta({ description: "数值与平台已有的一致、未写入的行" }),
  keptVerified: z.number().meta({ description: "因平台上的值已由部门核实而未覆盖的行" }),
  enterprisesCreated: z.number().meta({ description: "新建的企业（企业名录）" }),
});

const Problem = z.object({
  row: z.number().meta({ description: "文件中的行号（表头为第 1 行）" }),
  field: z.string().meta({ description: "列名" }),
  reason: z.string(),
});

const Report = z.object({
  importId: z.string().nullable().meta({ description: "本次导入的编号；同一文件已导入过时为 null" }),
  kind: Kind,
  kindLabel: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  district: z.string().nullable(),
  districtName: z.string().nullable(),
  alreadyImported: z
    .object({ importId: z.string(), importedAt: z.string() })
    .nullable()
    .meta({ description: "同一文件（内容相同）已于此时导入且无问题行：本次未做任何修改" }),
  summary: z.string().meta({ description: "一句话的中文结果" }),
  counts: Counts,
  problems: z.array(Problem).max(MAX_PROBLEMS).meta({ description: "有问题的行：行号、列、原因" }),
  problemsOmitted: z.number().meta({ description: "超出列表上限而未列出的问题数" }),
  kept: z.array(Problem).max(MAX_PROBLEMS).meta({ description: "因已核实而未覆盖的值" }),
});

const ListItem = z.object({
  id: z.string(),
  kind: Kind,
  kindLabel: z.string(),
  fileName: z.string(),
  district: z.string().nullable(),
  districtName: z.string().nullable(),
  importedAt: z.string(),
  importedByName: z.string().nullable().meta({ description: "导入人（命令行导入时为 null）" }),
  finished: z
    .boolean()
    .meta({ description: "false = 导入中途中断（已提交的批次保留，可重新导入同一文件补齐）" }),
  counts: Counts,
});

function regionName(ctx: AppContext, code: string | null): string | null {
  if (code === null) return null;
  return ctx.engine.facts.get("regionCode")?.values?.find((v) => v.value === code)?.label ?? code;
}

/** Measure ids an award may name: the current library's and every measure the platform has known. */
async function measureIds(ctx: AppContext): Promise<Set<string>> {
  const ids = new Set(ctx.engine.byId.keys());
  for (const r of await ctx.db.selectFrom("measures").select("id").distinct().execute()) ids.add(r.id);
  return ids;
}

export async function registerImportRoutes(app: TypedApp, ctx: AppContext) {
  app.post(
    "/api/imports",
    {
      config: { action: "facts.import" },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ["数据导入"],
        summary:
          "经办人、区发展改革委：导入本区县的企业名录或企业数据（.xlsx／.csv）：好的行入库，问题行逐行列出列名和原因；同一文件重复导入不做修改",
        body: Body,
        response: { 200: Report, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "facts.import");
      if (!actor.regionCode) throw forbidden("您的账户没有所属区县，不能导入企业数据");
      const { kind, fileName, contentBase64 } = req.body;
      const deps: ImportDeps = {
        db: ctx.db,
        vocabulary: ctx.library.rules.vocabulary,
        measureIds: await measureIds(ctx),
        now: ctx.now,
      };
      try {
        const r = await runImport(deps, {
          kind,
          fileName,
          bytes: new Uint8Array(Buffer.from(contentBase64, "base64")),
          district: actor.regionCode,
          actor,
        });
        return {
          ...r,
          kindLabel: KIND_LABELS[r.kind],
          districtName: regionName(ctx, r.district),
          summary: importSummary(r),
        };
      } catch (e) {
        if (e instanceof ImportFileError)
          throw new AppError("VALIDATION", e.message, [{ field: "contentBase64", message: e.message }]);
        throw e;
      }
    },
  );

  app.get(
    "/api/imports",
    {
      config: { action: "facts.import" },
      schema: {
        tags: ["数据导入"],
        summary: "经办人、区发展改革委：本区县最近的数据导入（最多 100 次）及各自的行数统计",
        response: { 200: z.object({ items: z.array(ListItem) }), ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      authorize(actor, "facts.import");
      if (!actor.regionCode) throw forbidden("您的账户没有所属区县");
      const rows = await ctx.db
        .selectFrom("fact_imports as i")
        .leftJoin("accounts as a", "a.id", "i.imported_by")
        .select([
          "i.id",
          "i.kind",
          "i.file_name",
          "i.district",
          "i.imported_at",
          "i.counts",
          "a.display_name",
        ])
        .where("i.district", "=", actor.regionCode)
        .orderBy("i.imported_at", "desc")
        .limit(100)
        .execute();
      return {
        items: rows.map((r) => {
          const c = r.counts as Record<string, number>;
          return {
            id: r.id,
            kind: r.kind,
            kindLabel: KIND_LABELS[r.kind],
            fileName: r.file_name,
            district: r.district,
            districtName: regionName(ctx, r.district),
            importedAt: new Date(r.imported_at).toISOString(),
            importedByName: r.display_name ?? null,
            finished: typeof c.rows === "number",
            counts: {
              rows: c.rows ?? 0,
              imported: c.imported ?? 0,
              bad: c.bad ?? 0,
              changed: c.changed ?? 0,
              unchanged: c.unchanged ?? 0,
              keptVerified: c.keptVerified ?? 0,
              enterprisesCreated: c.enterprisesCreated ?? 0,
            },
          };
        }),
      };
    },
  );
}

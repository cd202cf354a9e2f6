/**
 * Loads the policy library into the database. A rules version is a hash of the policy data; a new version
 * inserts all its measures (history is kept, never edited) and becomes current. The measures that are new
 * or changed against the previous current version are returned, so targeted push can notify.
 */
import { createHash } from "node:crypto";
import type { MeasureDef } from "@huiqi/engine";
import type { AppContext } from "../context.ts";
import { segment } from "./segment.ts";

export interface SyncResult {
  version: string;
  inserted: boolean;
  /** Measure ids new or changed compared with the previous current version. */
  changed: string[];
}

export function measureHash(m: MeasureDef): string {
  return createHash("sha256").update(JSON.stringify(m)).digest("hex").slice(0, 16);
}

export function searchTokens(m: MeasureDef): string {
  const i = m.interpretation;
  const text = [
    m.title,
    m.clause,
    i.who,
    i.what,
    i.deadline ?? "",
    ...(i.materials ?? []),
    ...(m.notes ?? []).map((n) => n.reading),
  ].join(" ");
  return segment(text).join(" ");
}

export async function syncPolicyLibrary(ctx: AppContext): Promise<SyncResult> {
  const { rules } = ctx.library;
  const existing = await ctx.db
    .selectFrom("rules_versions")
    .selectAll()
    .where("version", "=", rules.version)
    .executeTakeFirst();
  if (existing?.current) return { version: rules.version, inserted: false, changed: [] };
  const docs = new Map(rules.documents.map((d) => [d.id, d]));
  return ctx.db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom("measures")
      .innerJoin("rules_versions", "rules_versions.version", "measures.rules_version")
      .select(["measures.id", "measures.content_hash"])
      .where("rules_versions.current", "=", true)
      .execute();
    const before = new Map(previous.map((p) => [p.id, p.content_hash]));
    if (!existing) {
      await trx
        .insertInto("rules_versions")
        .values({ version: rules.version, loaded_at: ctx.now(), current: false })
        .execute();
      const rows = rules.measures.map((m) => {
        const doc = docs.get(m.id.split("/")[0] ?? "");
        if (!doc) throw new Error(`措施 ${m.id} 的文件不存在`);
        return {
          id: m.id,
          rules_version: rules.version,
          document_id: doc.id,
          doc_number: doc.docNumber,
          title: m.title,
          benefit_type: m.benefitType,
          monetary: m.monetary,
          level: doc.level,
          region_code: doc.regionCode,
          lead_department: m.leadDepartment,
          co_departments: JSON.stringify(m.coDepartments ?? []),
          valid_from: m.validFrom ?? doc.validFrom,
          valid_until: m.validUntil ?? doc.validUntil ?? null,
          content_hash: measureHash(m),
          data: JSON.stringify(m),
          search_tokens: searchTokens(m),
        };
      });
      for (let i = 0; i < rows.length; i += 50)
        await trx
          .insertInto("measures")
          .values(rows.slice(i, i + 50))
          .execute();
    }
    await trx.updateTable("rules_versions").set({ current: false }).where("current", "=", true).execute();
    await trx
      .updateTable("rules_versions")
      .set({ current: true })
      .where("version", "=", rules.version)
      .execute();
    const changed =
      before.size === 0
        ? []
        : rules.measures.filter((m) => before.get(m.id) !== measureHash(m)).map((m) => m.id);
    return { version: rules.version, inserted: !existing, changed };
  });
}

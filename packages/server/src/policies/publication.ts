/**
 * Publication of measures (policy admin): a flag per measure id that survives reloads. An unpublished
 * measure is left out of the library (lists, document view, search) for everyone but the policy admin, and
 * out of enterprises' matches (the engine is shared, so the matching route evaluates only published
 * measures); its rows in `measures`, its applications and their history stay as they are.
 */
import type { Engine } from "@huiqi/engine";
import type { Kysely } from "kysely";
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import type { Database } from "../db/schema.ts";
import { publicationChanged } from "../matching/cache.ts";

export async function unpublishedMeasureIds(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db
    .selectFrom("measure_publication")
    .select("measure_id")
    .where("published", "=", false)
    .execute();
  return new Set(rows.map((r) => r.measure_id));
}

/** Ids of the engine's measures (the current one by default) that are published, for Engine.evaluate's `measures`. */
export async function publishedMeasureIds(ctx: AppContext, engine: Engine = ctx.engine): Promise<string[]> {
  const hidden = await unpublishedMeasureIds(ctx.db);
  return engine.measures.map((m) => m.def.id).filter((id) => !hidden.has(id));
}

/** Does this actor see unpublished measures in the library? Only the policy admin. */
export function seesUnpublished(actor: Actor): boolean {
  return actor.role === "policyAdmin";
}

export interface PublicationResult {
  measureId: string;
  published: boolean;
  changed: boolean;
}

export async function setPublication(
  ctx: AppContext,
  actor: Actor,
  measureId: string,
  published: boolean,
): Promise<PublicationResult> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("measure_publication")
      .select("published")
      .where("measure_id", "=", measureId)
      .forUpdate()
      .executeTakeFirst();
    const was = before ? before.published : true;
    await trx
      .insertInto("measure_publication")
      .values({ measure_id: measureId, published, updated_by: actor.id, updated_at: ctx.now() })
      .onConflict((oc) =>
        oc.column("measure_id").doUpdateSet({ published, updated_by: actor.id, updated_at: ctx.now() }),
      )
      .execute();
    if (was !== published)
      await appendAudit(trx, actor, {
        action: published ? "measure.publish" : "measure.unpublish",
        entity: "measure",
        entityId: measureId,
        before: { published: was },
        after: { published },
      });
    return { measureId, published, changed: was !== published };
  });
  // After the commit: the matching cache reads the flags again (matching/cache.ts).
  publicationChanged(ctx.db);
  return result;
}

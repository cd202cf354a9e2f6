/**
 * The 免申即享 flag of a measure: set or removed by a policy admin, one row per change (history kept), the
 * latest row decides. Only monetary measures that exist in the library may be flagged.
 */
import { appendAudit } from "../audit/audit-log.ts";
import type { Actor, AppContext } from "../context.ts";
import { invalid, notFound } from "../errors.ts";
import { authorize } from "../permissions.ts";

export interface FlagState {
  measureId: string;
  flagged: boolean;
  /** ISO time of the latest change. */
  at: string;
  note: string | null;
  byName: string | null;
}

/** Current flags (latest row per measure, flagged or not). */
export async function currentFlags(ctx: AppContext): Promise<Map<string, FlagState>> {
  const rows = await ctx.db
    .selectFrom("exemption_flags as f")
    .leftJoin("accounts as a", "a.id", "f.actor_id")
    .select(["f.measure_id", "f.flagged", "f.at", "f.note", "a.display_name", "f.id"])
    .orderBy("f.id")
    .execute();
  const out = new Map<string, FlagState>();
  for (const r of rows)
    out.set(r.measure_id, {
      measureId: r.measure_id,
      flagged: r.flagged,
      at: new Date(r.at).toISOString(),
      note: r.note,
      byName: r.display_name ?? null,
    });
  return out;
}

/** Measure ids flagged 免申即享 now. */
export async function flaggedMeasureIds(ctx: AppContext): Promise<Set<string>> {
  const flags = await currentFlags(ctx);
  return new Set([...flags.values()].filter((f) => f.flagged).map((f) => f.measureId));
}

export async function isFlagged(ctx: AppContext, measureId: string): Promise<boolean> {
  const last = await ctx.db
    .selectFrom("exemption_flags")
    .select("flagged")
    .where("measure_id", "=", measureId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return last?.flagged === true;
}

/** Flags or unflags; writing the state it already has is a no-op (no history row, no audit). */
export async function setFlag(
  ctx: AppContext,
  actor: Actor | null,
  measureId: string,
  flagged: boolean,
  note: string | null,
): Promise<{ changed: boolean }> {
  if (actor) authorize(actor, "exemption.flag");
  const m = ctx.engine.byId.get(measureId);
  if (!m) throw notFound("措施");
  if (flagged && (!m.def.monetary || m.def.beneficiary))
    throw invalid("flagged", "只有面向企业的资金类措施可以标为免申即享");
  return ctx.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom("exemption_flags")
      .select("flagged")
      .where("measure_id", "=", measureId)
      .orderBy("id", "desc")
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    if ((last?.flagged ?? false) === flagged) return { changed: false };
    await trx
      .insertInto("exemption_flags")
      .values({ measure_id: measureId, flagged, note, actor_id: actor?.id ?? null, at: ctx.now() })
      .execute();
    if (actor)
      await appendAudit(trx, actor, {
        action: flagged ? "exemption.flag" : "exemption.unflag",
        entity: "measure",
        entityId: measureId,
        before: { exemption: last?.flagged ?? false },
        after: { exemption: flagged, note },
      });
    return { changed: true };
  });
}

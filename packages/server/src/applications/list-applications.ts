/**
 * Applications an actor may see: an enterprise its own; an officer those to measures its department leads
 * (or reviews as a step) in its district; finance and the coordinator all of their district.
 */
import { sql } from "kysely";
import type { Actor, AppContext } from "../context.ts";
import { authorize } from "../permissions.ts";
import type { Status } from "./model.ts";
import { presentSummary } from "./present.ts";
import type { Summary } from "./schemas.ts";

export interface ListFilter {
  status?: Status | undefined;
  measureId?: string | undefined;
  limit: number;
  offset: number;
}

export async function listApplications(
  ctx: AppContext,
  actor: Actor,
  f: ListFilter,
): Promise<{ items: Summary[]; total: number }> {
  authorize(actor, "application.list");
  let q = ctx.db
    .selectFrom("applications")
    .innerJoin("enterprises", "enterprises.id", "applications.enterprise_id");
  if (actor.role === "enterprise") q = q.where("applications.enterprise_id", "=", actor.enterpriseId ?? "");
  else {
    q = q.where("enterprises.region_code", "=", actor.regionCode ?? "");
    if (actor.role === "officer") {
      const dept = actor.department ?? "";
      const led = ctx.engine.measures.filter((m) => m.def.leadDepartment === dept).map((m) => m.def.id);
      const asStep = JSON.stringify([{ role: "officer", department: dept }]);
      q = q.where((eb) =>
        eb.or([
          ...(led.length ? [eb("applications.measure_id", "in", led)] : []),
          eb(sql<boolean>`applications.steps @> ${asStep}::jsonb`, "=", true),
        ]),
      );
    }
  }
  if (f.status) q = q.where("applications.status", "=", f.status);
  if (f.measureId) q = q.where("applications.measure_id", "=", f.measureId);
  const total = await q.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll("applications")
    .select("enterprises.name as enterprise_name")
    .orderBy("applications.updated_at", "desc")
    .orderBy("applications.id")
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { items: rows.map((r) => presentSummary(ctx, r)), total: Number(total.n) };
}

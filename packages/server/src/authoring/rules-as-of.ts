/**
 * The rules in force on a past date. Each document revision was the published one from its `published_at` until
 * its `ended_at` (superseded or repealed); evaluating "as of" a day before a change uses the revisions that were
 * published at the end of that day, so a calculator looking back at 2026-06-01 shows the amounts of then, not
 * today's. A document the platform only learnt of later (the seed folders were imported on the platform's first
 * start, long after the documents took effect) is read from its first revision: what the platform first recorded
 * of it; each measure's own validity dates still decide whether it was in force. A document a policy office
 * wrote in the platform's editor takes part from its publication on: before that day the platform had not
 * told anyone about it. A document repealed before that day takes no part.
 */
import { compileRules, type Engine } from "@huiqi/engine";
import { type DocumentSource, libraryFromSources } from "@huiqi/policies";
import type { AppContext } from "../context.ts";
import { localDate } from "../dates.ts";
import { revisionOrigin } from "./policy-store.ts";

/** Compiled engines of past revision sets, most recent use last (a few dates are looked at again and again). */
const CACHE_SIZE = 8;
const caches = new WeakMap<object, Map<string, Engine>>();

/** End of a Chongqing calendar day (UTC+8, no daylight saving) as an instant. */
function endOfChongqingDay(date: string): Date {
  return new Date(`${date}T23:59:59.999+08:00`);
}

function instant(v: Date | string | null): number | null {
  return v === null ? null : new Date(v).getTime();
}

/** The engine for evaluating as of `asOf` (YYYY-MM-DD): the current one unless a revision changed since then. */
export async function engineAsOf(ctx: AppContext, asOf: string): Promise<Engine> {
  if (asOf >= localDate(ctx.now())) return ctx.engine;
  const end = endOfChongqingDay(asOf).getTime();
  const rows = await ctx.db
    .selectFrom("policy_revisions")
    .select(["document_id", "revision", "state", "origin", "published_at", "ended_at"])
    .where("state", "in", ["published", "superseded", "repealed"])
    .where("published_at", "is not", null)
    .orderBy("document_id")
    .orderBy("revision")
    .execute();
  const chosen = new Map<string, number>();
  const current = new Map<string, number>();
  const byDoc = new Map<string, typeof rows>();
  for (const r of rows) byDoc.set(r.document_id, [...(byDoc.get(r.document_id) ?? []), r]);
  for (const [doc, revs] of byDoc) {
    const live = revs.find((r) => r.state === "published");
    if (live) current.set(doc, live.revision);
    const first = revs[0];
    if (!first) continue;
    const inForce = revs.find((r) => {
      const from = instant(r.published_at) ?? Number.POSITIVE_INFINITY;
      const until = instant(r.ended_at);
      return from <= end && (until === null || until > end);
    });
    if (inForce) chosen.set(doc, inForce.revision);
    // Not yet on the platform that day: its first revision, unless that one had already ended (repealed) by
    // then or the document was first written in the editor.
    else if ((instant(first.published_at) ?? 0) > end && first.origin !== "editor")
      chosen.set(doc, first.revision);
  }
  const key = [...chosen].map(([d, r]) => `${d}@${r}`).join(",");
  if (key === [...current].map(([d, r]) => `${d}@${r}`).join(",")) return ctx.engine;
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new Map();
    caches.set(ctx, cache);
  }
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const files = await ctx.db
    .selectFrom("policy_revisions")
    .select(["document_id", "revision", "files"])
    .where((eb) =>
      eb.or([...chosen].map(([d, r]) => eb.and([eb("document_id", "=", d), eb("revision", "=", r)]))),
    )
    .execute();
  const sources: DocumentSource[] = files.map((f) => ({
    id: f.document_id,
    files: f.files,
    origin: revisionOrigin(f.document_id, f.revision),
  }));
  const engine = compileRules(libraryFromSources(sources).rules);
  cache.set(key, engine);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return engine;
}

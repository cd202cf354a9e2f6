/**
 * In-process caches of the matching hot path (GET /api/enterprises/{id}/matches, POST /api/calculate).
 *
 * - An enterprise's facts and their prepared slots (Engine.prepare), keyed by enterprise id and checked against
 *   `enterprises.version`. Every write of an enterprise's facts bumps that version in the same transaction (the
 *   profile update, verification, every import batch — imports/run-import.ts — and the registry's name and
 *   industry), and the matching route reads the row anyway for the scope check, so a hit costs no extra query
 *   and any process sharing the database sees a change at its next request: never a stale fact.
 * - The published measures per compiled engine (rules version), dropped when publication changes in this
 *   process (policies/publication.ts) and re-read at most every PUBLISHED_RECHECK_MS, so another server process
 *   on the same database converges within that time; a library reload compiles a new engine, a new key.
 *
 * Stores hang off the Kysely instance (one per database handle), so test platforms never share entries.
 */
import type { CompiledMeasure, Engine, FactSlots, Facts } from "@huiqi/engine";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { factsFromRows, loadStoredFacts } from "../enterprises/facts-store.ts";
import { unpublishedMeasureIds } from "../policies/publication.ts";

/** A small LRU on Map's insertion order: a hit moves the key to the end, the oldest key is dropped. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly max: number) {}
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  delete(key: K): void {
    this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
}

/**
 * Enterprises whose facts are kept. An entry is the Facts object and its slots, a few KB for a rich profile;
 * 20,000 entries stay well under 100 MB and hold every enterprise a district's officers read in a day.
 */
export const FACTS_CACHE_ENTRIES = 20_000;
/** How often a process re-reads the publication flags it caches (other processes' changes). */
export const PUBLISHED_RECHECK_MS = 5_000;

interface FactsEntry {
  version: number;
  facts: Facts;
  /** Slots per engine: the current one, and past-date engines (rules-as-of.ts) when asked. */
  slots: Map<Engine, FactSlots>;
  /**
   * Serialized responses of this version of the facts, by everything else they depend on (rules version,
   * publication, date, variant): a repeated read costs no evaluation, presentation or serialization.
   */
  bodies: Map<string, string>;
}

/** Responses kept per enterprise (today's compact and full lists, a past date or two). */
const BODIES_PER_ENTERPRISE = 4;

export interface PublishedSet {
  ids: string[];
  measures: CompiledMeasure[];
  /** Rules version and the unpublished ids: equal keys, equal published sets. */
  key: string;
}

interface PublishedEntry extends PublishedSet {
  epoch: number;
  at: number;
}

interface Store {
  facts: Lru<string, FactsEntry>;
  published: WeakMap<Engine, PublishedEntry>;
  /** Bumped by every publication change in this process: an entry read before it is not trusted. */
  publicationEpoch: number;
  hits: number;
  misses: number;
}

const stores = new WeakMap<object, Store>();

function store(db: Kysely<Database>): Store {
  let s = stores.get(db);
  if (!s) {
    s = {
      facts: new Lru(FACTS_CACHE_ENTRIES),
      published: new WeakMap(),
      publicationEpoch: 0,
      hits: 0,
      misses: 0,
    };
    stores.set(db, s);
  }
  return s;
}

export interface EnterpriseKey {
  id: string;
  version: number;
  uscc: string;
  name: string;
  region_code: string;
  industry_code: string | null;
}

/**
 * The enterprise's facts and slots for `engine`, from the cache when `e.version` (just read from the database)
 * is the cached one, otherwise one query for its fact rows.
 */
export async function enterpriseFacts(
  db: Kysely<Database>,
  e: EnterpriseKey,
  engine: Engine,
): Promise<{ facts: Facts; slots: FactSlots }> {
  const s = store(db);
  let entry = s.facts.get(e.id);
  if (entry && entry.version === e.version) s.hits++;
  else {
    s.misses++;
    // The row and the facts are two reads: a write committed between them makes the facts newer than
    // `e.version` says, never older; the next request then sees the new version and reloads.
    const facts = factsFromRows(e, await loadStoredFacts(db, e.id));
    entry = { version: e.version, facts, slots: new Map(), bodies: new Map() };
    s.facts.set(e.id, entry);
  }
  let slots = entry.slots.get(engine);
  if (!slots) {
    slots = engine.prepare(entry.facts);
    // The current engine plus at most one past-date engine per enterprise: bounded per entry too.
    if (entry.slots.size >= 2) entry.slots.clear();
    entry.slots.set(engine, slots);
  }
  return { facts: entry.facts, slots };
}

/** A serialized response cached for exactly this version of the enterprise's facts, if any. */
export function cachedBody(db: Kysely<Database>, e: EnterpriseKey, key: string): string | undefined {
  const entry = store(db).facts.get(e.id);
  return entry && entry.version === e.version ? entry.bodies.get(key) : undefined;
}

/** Keeps a serialized response with the facts it was computed from (`version`: what the request read). */
export function storeBody(db: Kysely<Database>, e: EnterpriseKey, key: string, json: string): void {
  const entry = store(db).facts.get(e.id);
  if (!entry || entry.version !== e.version) return;
  if (entry.bodies.size >= BODIES_PER_ENTERPRISE) entry.bodies.clear();
  entry.bodies.set(key, json);
}

/** Forgets an enterprise's cached facts (tests; writers need not call it: the version check suffices). */
export function forgetEnterprise(db: Kysely<Database>, enterpriseId: string): void {
  store(db).facts.delete(enterpriseId);
}

/** The published measures of `engine`, in the engine's order; unpublished ones take no part in matching. */
export async function publishedSet(
  db: Kysely<Database>,
  engine: Engine,
  now = Date.now(),
): Promise<PublishedSet> {
  const s = store(db);
  const hit = s.published.get(engine);
  if (hit && hit.epoch === s.publicationEpoch && now - hit.at < PUBLISHED_RECHECK_MS) return hit;
  const epoch = s.publicationEpoch;
  const hidden = await unpublishedMeasureIds(db);
  const measures = engine.measures.filter((m) => !hidden.has(m.def.id));
  const entry: PublishedEntry = {
    ids: measures.map((m) => m.def.id),
    measures,
    key: `${engine.version}|${[...hidden].sort().join(",")}`,
    epoch,
    at: now,
  };
  // A change committed while this read ran bumped the epoch: the next call reads again.
  s.published.set(engine, entry);
  return entry;
}

/** Publication changed (call after the transaction commits): every engine's set is read again. */
export function publicationChanged(db: Kysely<Database>): void {
  store(db).publicationEpoch++;
}

/** Cache figures for tests and the benchmark. */
export function cacheStats(db: Kysely<Database>): { entries: number; hits: number; misses: number } {
  const s = store(db);
  return { entries: s.facts.size, hits: s.hits, misses: s.misses };
}

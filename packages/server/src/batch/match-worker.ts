/**
 * Batch matching of a chunk of enterprises, the same meaning as `matchRowsFor` (lists.ts) but on the engine's
 * hot path: facts are prepared into slots once per enterprise, each measure runs `evaluateInto` (no allocation),
 * and the missing facts are worked out only for the rows that carry them (undetermined, or a ranged amount).
 *
 * Rows come out columnar (typed arrays plus a small key table) so a worker thread hands back a chunk of tens of
 * thousands of rows as a few transferred buffers instead of cloning as many objects. `columnsToRows` turns them
 * into `MatchRow`s at the boundary for callers that want objects.
 *
 * This file is also the piscina worker (default export): the thread compiles the rule set it was started with
 * once (workerData), keeps it, and answers chunks. It is loaded through match-worker.mjs, which registers tsx.
 */

import type { RuleSet } from "@huiqi/engine";
import {
  type CompiledMeasure,
  compileRules,
  type Engine,
  type EvalContext,
  type FactSlots,
  FIRST_YEAR,
  type Range,
} from "@huiqi/engine";
import { move, transferableSymbol, valueSymbol, workerData } from "piscina";
import { type EncodedFacts, type SlotLayout, SlotReader } from "./fact-codec.ts";
import type { MatchRow } from "./lists.ts";
import type { PoolChunk } from "./pool.ts";

/**
 * The rows of one chunk, columnar. Row r is enterprise `chunk.enterprises[enterprise[r]]`, measure
 * `chunk.measureIds[measure[r]]`; rows are ordered by enterprise, then by the order of `measureIds`.
 */
export interface MatchColumns {
  /** Number of rows (the typed arrays are exactly this long). */
  length: number;
  /** Index into chunk.enterprises. */
  enterprise: Uint32Array;
  /** Index into chunk.measureIds. */
  measure: Uint32Array;
  /** 1 eligible, 2 undetermined. */
  outcome: Uint8Array;
  /** 分; NaN where the row's amount is null (not monetary, no amount rule, or no upper bound for the max). */
  amountMin: Float64Array;
  amountMax: Float64Array;
  /** Row r's missing fact keys: missingKeys[missingIndex[i]] for i in missingStart[r] .. missingStart[r + 1]. */
  missingStart: Uint32Array;
  missingIndex: Uint32Array;
  missingKeys: string[];
}

/** Outcome codes of `MatchColumns.outcome`. */
export const ELIGIBLE = 1;
export const UNDETERMINED = 2;

class Grow {
  enterprise: Uint32Array;
  measure: Uint32Array;
  outcome: Uint8Array;
  amountMin: Float64Array;
  amountMax: Float64Array;
  missingStart: Uint32Array;
  missingIndex: Uint32Array;
  length = 0;
  missingLength = 0;

  constructor(cap: number) {
    this.enterprise = new Uint32Array(cap);
    this.measure = new Uint32Array(cap);
    this.outcome = new Uint8Array(cap);
    this.amountMin = new Float64Array(cap);
    this.amountMax = new Float64Array(cap);
    this.missingStart = new Uint32Array(cap + 1);
    this.missingIndex = new Uint32Array(Math.max(16, cap));
  }

  ensureRow(): void {
    if (this.length < this.outcome.length) return;
    const cap = this.outcome.length * 2;
    this.enterprise = grown(this.enterprise, cap);
    this.measure = grown(this.measure, cap);
    this.outcome = grown(this.outcome, cap);
    this.amountMin = grown(this.amountMin, cap);
    this.amountMax = grown(this.amountMax, cap);
    this.missingStart = grown(this.missingStart, cap + 1);
  }

  pushMissing(k: number): void {
    if (this.missingLength === this.missingIndex.length)
      this.missingIndex = grown(this.missingIndex, this.missingIndex.length * 2);
    this.missingIndex[this.missingLength++] = k;
  }
}

type Typed = Uint8Array | Uint32Array | Float64Array;
function grown<T extends Typed>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

/** Per engine: measures resolved by id list, contexts by date (a chunk stream reuses both). */
interface EngineCache {
  measures: Map<readonly string[], (CompiledMeasure | undefined)[]>;
  contexts: Map<string, EvalContext>;
}
const caches = new WeakMap<Engine, EngineCache>();

function cacheOf(engine: Engine): EngineCache {
  let c = caches.get(engine);
  if (!c) {
    c = { measures: new Map(), contexts: new Map() };
    caches.set(engine, c);
  }
  return c;
}

function measuresOf(engine: Engine, ids: readonly string[]): (CompiledMeasure | undefined)[] {
  const cache = cacheOf(engine).measures;
  let ms = cache.get(ids);
  if (!ms) {
    ms = ids.map((id) => engine.byId.get(id));
    // Keyed by array identity: a caller reusing one id array hits; a worker receives a fresh clone per chunk.
    if (cache.size > 16) cache.clear();
    cache.set(ids, ms);
  }
  return ms;
}

function contextOf(engine: Engine, asOf: string): EvalContext {
  const cache = cacheOf(engine).contexts;
  let c = cache.get(asOf);
  if (!c) {
    c = engine.context(asOf);
    if (cache.size > 16) cache.clear();
    cache.set(asOf, c);
  }
  return c;
}

/** The rows of a chunk (ineligible left out), columnar; same rows as `matchRowsFor` for each enterprise. */
export function matchColumns(engine: Engine, chunk: PoolChunk): MatchColumns {
  const es = chunk.enterprises;
  return matchEach(engine, chunk.asOf, chunk.measureIds, es.length, (e) =>
    engine.prepare((es[e] as PoolChunk["enterprises"][number]).facts),
  );
}

/** A chunk with its enterprises' facts already laid out in the engine's slots (rows name them by index). */
export interface SlotChunk {
  asOf: string;
  measureIds: readonly string[];
  slots: FactSlots[];
}

/** `matchColumns` on prepared slots. */
export function matchSlots(engine: Engine, chunk: SlotChunk): MatchColumns {
  const all = chunk.slots;
  return matchEach(engine, chunk.asOf, chunk.measureIds, all.length, (e) => all[e] as FactSlots);
}

/**
 * The core: enterprises 0 … count − 1, each's slots asked for once, in order, just before its measures run
 * (so a caller may prepare or decode one enterprise at a time and hold only that one).
 */
function matchEach(
  engine: Engine,
  asOf: string,
  measureIds: readonly string[],
  count: number,
  slotsOf: (e: number) => FactSlots,
): MatchColumns {
  const ms = measuresOf(engine, measureIds);
  const ctx = contextOf(engine, asOf);
  const g = new Grow(Math.max(64, count * 16));
  const keyIndex = new Map<string, number>();
  const missingKeys: string[] = [];
  const out: Range = { lo: 0, hi: 0 };
  for (let e = 0; e < count; e++) {
    const slots = slotsOf(e);
    for (let j = 0; j < ms.length; j++) {
      const m = ms[j];
      if (m === undefined) continue;
      const code = engine.evaluateInto(m, slots, ctx, out);
      if (code === 0) continue;
      g.ensureRow();
      const r = g.length++;
      g.enterprise[r] = e;
      g.measure[r] = j;
      g.outcome[r] = code;
      // As Engine.resultFor: an amount only for monetary measures with an amount rule; hi = ∞ → no maximum.
      if (m.def.monetary && m.amount) {
        g.amountMin[r] = out.lo;
        g.amountMax[r] = out.hi === Number.POSITIVE_INFINITY ? Number.NaN : out.hi;
      } else {
        g.amountMin[r] = Number.NaN;
        g.amountMax[r] = Number.NaN;
      }
      if (code === UNDETERMINED || out.lo !== out.hi) {
        for (const key of engine.missingFacts(m, slots, ctx)) {
          let k = keyIndex.get(key);
          if (k === undefined) {
            k = missingKeys.length;
            missingKeys.push(key);
            keyIndex.set(key, k);
          }
          g.pushMissing(k);
        }
      }
      g.missingStart[r + 1] = g.missingLength;
    }
  }
  const n = g.length;
  return {
    length: n,
    enterprise: g.enterprise.slice(0, n),
    measure: g.measure.slice(0, n),
    outcome: g.outcome.slice(0, n),
    amountMin: g.amountMin.slice(0, n),
    amountMax: g.amountMax.slice(0, n),
    missingStart: g.missingStart.slice(0, n + 1),
    missingIndex: g.missingIndex.slice(0, g.missingLength),
    missingKeys,
  };
}

/** Columnar rows → `MatchRow` objects (the boundary for callers that want objects). */
export function columnsToRows(chunk: PoolChunk, c: MatchColumns): MatchRow[] {
  const rows = new Array<MatchRow>(c.length);
  for (let r = 0; r < c.length; r++) {
    const missing: string[] = [];
    for (let i = c.missingStart[r] as number; i < (c.missingStart[r + 1] as number); i++)
      missing.push(c.missingKeys[c.missingIndex[i] as number] as string);
    const min = c.amountMin[r] as number;
    const max = c.amountMax[r] as number;
    rows[r] = {
      measureId: chunk.measureIds[c.measure[r] as number] as string,
      enterpriseId: (chunk.enterprises[c.enterprise[r] as number] as PoolChunk["enterprises"][number]).id,
      outcome: c.outcome[r] === ELIGIBLE ? "eligible" : "undetermined",
      amountMin: Number.isNaN(min) ? null : min,
      amountMax: Number.isNaN(max) ? null : max,
      missing,
    };
  }
  return rows;
}

/** Rows of consecutive pieces of one chunk as one: piece k's enterprise indexes start at offsets[k]. */
export function concatColumns(parts: readonly MatchColumns[], offsets: readonly number[]): MatchColumns {
  if (parts.length === 1 && offsets[0] === 0) return parts[0] as MatchColumns;
  let n = 0;
  let nm = 0;
  for (const p of parts) {
    n += p.length;
    nm += p.missingIndex.length;
  }
  const c: MatchColumns = {
    length: n,
    enterprise: new Uint32Array(n),
    measure: new Uint32Array(n),
    outcome: new Uint8Array(n),
    amountMin: new Float64Array(n),
    amountMax: new Float64Array(n),
    missingStart: new Uint32Array(n + 1),
    missingIndex: new Uint32Array(nm),
    missingKeys: [],
  };
  const keyIndex = new Map<string, number>();
  let r0 = 0;
  let m0 = 0;
  parts.forEach((p, k) => {
    const offset = offsets[k] as number;
    c.measure.set(p.measure, r0);
    c.outcome.set(p.outcome, r0);
    c.amountMin.set(p.amountMin, r0);
    c.amountMax.set(p.amountMax, r0);
    for (let r = 0; r < p.length; r++) {
      c.enterprise[r0 + r] = (p.enterprise[r] as number) + offset;
      c.missingStart[r0 + r + 1] = (p.missingStart[r + 1] as number) + m0;
    }
    const remap = p.missingKeys.map((key) => {
      let g = keyIndex.get(key);
      if (g === undefined) {
        g = c.missingKeys.length;
        c.missingKeys.push(key);
        keyIndex.set(key, g);
      }
      return g;
    });
    for (let i = 0; i < p.missingIndex.length; i++)
      c.missingIndex[m0 + i] = remap[p.missingIndex[i] as number] as number;
    r0 += p.length;
    m0 += p.missingIndex.length;
  });
  return c;
}

/** The buffers of a `MatchColumns`, for a transfer list. */
export function columnBuffers(c: MatchColumns): ArrayBuffer[] {
  return [c.enterprise, c.measure, c.outcome, c.amountMin, c.amountMax, c.missingStart, c.missingIndex].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

// ------------------------------------------------------------------ the worker thread

/** What a pool starts each thread with (piscina workerData). */
export interface MatchWorkerData {
  rules: RuleSet;
}

/** A task: one chunk, its enterprises' facts encoded (fact-codec.ts), in order. */
export interface MatchTask {
  asOf: string;
  measureIds: readonly string[];
  facts: EncodedFacts;
}

let threadEngine: Engine | undefined;
let threadLayout: SlotLayout | undefined;

/** The engine's slot layout for SlotReader (what Engine.prepare does, per fact id). */
export function layoutOf(engine: Engine): SlotLayout {
  if (threadLayout && threadEngine === engine) return threadLayout;
  const perYear: boolean[] = [];
  for (const [id, slot] of engine.slots) perYear[slot] = engine.facts.get(id)?.perYear === true;
  const layout = { size: engine.slots.size, slotOf: engine.slots, perYear, firstYear: FIRST_YEAR };
  if (threadEngine === engine) threadLayout = layout;
  return layout;
}

function engineOfThread(): Engine {
  if (threadEngine) return threadEngine;
  const data = workerData as MatchWorkerData | undefined;
  if (!data?.rules) throw new Error("匹配线程没有收到规则集");
  // Compiled once per thread; a pool is tied to one rules version (a new version starts a new pool).
  try {
    threadEngine = compileRules(data.rules);
  } catch (err) {
    throw new Error(`规则集无法编译：${err instanceof Error ? err.message : String(err)}`);
  }
  return threadEngine;
}

/** Piscina task handler: the chunk's rows, columnar, with the buffers moved rather than copied. */
export default function matchTask(task: MatchTask): unknown {
  const engine = engineOfThread();
  // One enterprise decoded, prepared and matched at a time: the thread's live data stays small, so the young
  // generation's collections have little to copy.
  const reader = new SlotReader(task.facts, layoutOf(engine));
  const cols = matchEach(engine, task.asOf, task.measureIds, task.facts.count, () => reader.nextSlots());
  return move({
    get [transferableSymbol]() {
      return columnBuffers(cols);
    },
    get [valueSymbol]() {
      return cols;
    },
  });
}

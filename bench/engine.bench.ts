/**
 * Engine benchmark: `npm run bench:engine`
 * (node --import tsx --expose-gc bench/engine.bench.ts).
 *
 * 1. A deterministic synthetic population (bench/population.ts).
 * 2. Every enterprise × every measure on the hot path (Engine.evaluateInto), two run dates.
 * 3. A subset (banan-2022-63/1, /3, /2.2) against hand-written closures, json-logic-js,
 *    json-rules-engine, GoRules ZEN and publicodes, with a cross-check of their answers.
 * 4. PASS/MISS lines for the targets.
 *
 * Env: BENCH_N (population size, default 200000), BENCH_SLICE (competitor slice, default 20000).
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import {
  type CompiledMeasure,
  deriveFacts,
  type EvalContext,
  type FactSlots,
  type Facts,
  type Range,
} from "@huiqi/engine";
import {
  HAND,
  type HandFn,
  type HandSlotFn,
  handOnSlots,
  makeJsonRulesEngine,
  makePublicodes,
  makeZenDecision,
  newResults,
  PUBLICODES_MEASURES,
  type Results,
  relevantKnown,
  runJsonLogic,
  runJsonRulesEngine,
  runPublicodes,
  runZenBatch,
  runZenDecision,
  runZenSync,
  SUBSET,
  subsetValid,
} from "./competitors.ts";
import { loadBenchLibrary } from "./library.ts";
import { PopulationGenerator } from "./population.ts";

const N = Number(process.env.BENCH_N ?? 200_000);
const SLICE = Number(process.env.BENCH_SLICE ?? 20_000);
const SEED = 20221101;
const AS_OF = ["2022-11-01", "2023-09-01"] as const;
/** Time budget for a slow competitor on the slice. */
const BUDGET_MS = 6000;

const t0 = performance.now();
const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const wan = (fen: number) => (fen / 1_000_000).toLocaleString("en-US", { maximumFractionDigits: 1 });
const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - [...s].length));
const lpad = (s: string, n: number) => " ".repeat(Math.max(0, n - s.length)) + s;

// ------------------------------------------------------------ memory

const gc = (globalThis as { gc?: () => void }).gc;
const peak = { rss: 0, heapUsed: 0 };
function sampleMemory(): void {
  const m = process.memoryUsage();
  if (m.rss > peak.rss) peak.rss = m.rss;
  if (m.heapUsed > peak.heapUsed) peak.heapUsed = m.heapUsed;
}

// ------------------------------------------------------------ header

const cpus = os.cpus();
console.log("huiqi engine benchmark");
console.log(`machine: ${cpus[0]?.model ?? "unknown CPU"} ×${cpus.length} logical, ${mb(os.totalmem())} RAM`);
console.log(`node ${process.version} (${process.platform}/${process.arch}), single-threaded`);
if (!gc) console.log("warning: global.gc unavailable (run with --expose-gc); baseline memory is approximate");

gc?.();
const baseline = process.memoryUsage();
console.log(`baseline after gc: rss ${mb(baseline.rss)}, heapUsed ${mb(baseline.heapUsed)}`);

const lib = loadBenchLibrary();
const engine = lib.engine;
const measures = engine.measures;
const docs = new Set(measures.map((m) => m.doc.id));
console.log(
  `rule set: ${measures.length} measures from ${docs.size} documents (${[...docs].join(", ")}); ${lib.rules.vocabulary.facts.length} facts in the vocabulary`,
);
for (const s of lib.skipped) console.log(`  skipped (still being encoded?): ${s}`);

// ------------------------------------------------------------ evaluation loops

interface Aggregate {
  counts: Float64Array; // [m*3 + code]
  lo: Float64Array; // Σ lo over eligible, 分
  hi: Float64Array; // Σ hi over eligible with a finite hi, 分
  unbounded: Float64Array; // eligible with hi = ∞
}

function newAggregate(n: number): Aggregate {
  return {
    counts: new Float64Array(n * 3),
    lo: new Float64Array(n),
    hi: new Float64Array(n),
    unbounded: new Float64Array(n),
  };
}

const out: Range = { lo: 0, hi: 0 };

/** Adds one evaluation (outcome code, amount in `out`) to the aggregate of measure m. */
function tally(agg: Aggregate, m: number, code: number): void {
  const k = m * 3 + code;
  agg.counts[k] = (agg.counts[k] as number) + 1;
  if (code === 1) {
    agg.lo[m] = (agg.lo[m] as number) + out.lo;
    if (out.hi === Number.POSITIVE_INFINITY) agg.unbounded[m] = (agg.unbounded[m] as number) + 1;
    else agg.hi[m] = (agg.hi[m] as number) + out.hi;
  }
}

/**
 * One pass: every enterprise of `pop` × every measure of `ms` on the hot path,
 * aggregated; each enterprise's measures are evaluated `repeat` times in a row
 * (repeat > 1 = "warm": the enterprise is in cache, as when it meets many measures).
 */
function passEngine(
  ms: CompiledMeasure[],
  ctx: EvalContext,
  agg: Aggregate,
  pop: FactSlots[],
  repeat = 1,
): number {
  const nm = ms.length;
  for (let e = 0; e < pop.length; e++) {
    const f = pop[e] as FactSlots;
    for (let r = 0; r < repeat; r++) {
      for (let m = 0; m < nm; m++) {
        const code = engine.evaluateInto(ms[m] as CompiledMeasure, f, ctx, out);
        tally(agg, m, code);
      }
    }
  }
  return pop.length * nm * repeat;
}

function passHand(
  fns: readonly HandFn[],
  ctx: EvalContext,
  agg: Aggregate,
  pop: Facts[],
  repeat = 1,
): number {
  const nm = fns.length;
  for (let e = 0; e < pop.length; e++) {
    const f = pop[e] as Facts;
    for (let r = 0; r < repeat; r++) {
      for (let m = 0; m < nm; m++) {
        const code = (fns[m] as HandFn)(f, ctx, out);
        tally(agg, m, code);
      }
    }
  }
  return pop.length * nm * repeat;
}

/** Hand-written closures on the engine's fact slots; validity decided once per pass. */
function passHandSlots(
  fns: readonly HandSlotFn[],
  ctx: EvalContext,
  agg: Aggregate,
  pop: FactSlots[],
  repeat = 1,
): number {
  const nm = fns.length;
  const inForce = subsetValid(ctx.asOf);
  for (let e = 0; e < pop.length; e++) {
    const f = pop[e] as FactSlots;
    for (let r = 0; r < repeat; r++) {
      for (let m = 0; m < nm; m++) {
        const code = (fns[m] as HandSlotFn)(f, inForce, out);
        tally(agg, m, code);
      }
    }
  }
  return pop.length * nm * repeat;
}

/** Accumulates evaluations and milliseconds over chunks. */
class Meter {
  evals = 0;
  ms = 0;
  run(f: () => number): void {
    const s = performance.now();
    this.evals += f();
    this.ms += performance.now() - s;
  }
  get perSec(): number {
    return this.ms > 0 ? (this.evals / this.ms) * 1000 : 0;
  }
}

// ------------------------------------------------------------ 1 + 2. population, streamed in chunks

/**
 * The population is generated and evaluated chunk by chunk: a resident 200k
 * population costs ~9 KB per enterprise in V8 (each per-year object such as
 * {"2021": …} is a ~500 B dictionary-elements object), which would measure the
 * data format, not the engine. Only the first SLICE enterprises are kept, for the
 * competitor comparison. Timers cover evaluation only, never generation.
 */
const CHUNK = 10_000;
const WARM_REPEAT = 8;
const COLD_REPEAT = 3;
const subsetIds = SUBSET.filter((id) => engine.byId.has(id));
const haveSubset = subsetIds.length === SUBSET.length;
const subset = haveSubset ? SUBSET.map((id) => engine.byId.get(id) as CompiledMeasure) : [];
const subsetAsOf = AS_OF[0];
const subsetCtx = engine.context(subsetAsOf);
const contexts = AS_OF.map((d) => engine.context(d));
const aggAll = AS_OF.map(() => newAggregate(measures.length));
const meterAll = AS_OF.map(() => new Meter());
const aggOurs = newAggregate(3);
const aggHand = newAggregate(3);
const scratch = newAggregate(3);
const oursCold = new Meter();
const handCold = new Meter();
const handSlotCold = new Meter();
const handSlotWarm = new Meter();
const HAND_SLOTS = handOnSlots(engine.slots);
const aggHandSlots = newAggregate(3);
const oursWarm = new Meter();
const handWarm = new Meter();

let scratchAllAgg: Aggregate | undefined;
function scratchAll(): Aggregate {
  if (!scratchAllAgg) scratchAllAgg = newAggregate(measures.length);
  return scratchAllAgg;
}
const generator = new PopulationGenerator(lib.rules.vocabulary, {
  seed: SEED,
  measureIds: measures.map((m) => m.def.id),
});
const S = Math.min(SLICE, N);
const slice: Facts[] = [];
let genMs = 0;
let prepareMs = 0;
let residentCount = 0;
let knownFacts = 0;
let focus = 0;
let evalAlloc = 0;
let evalAllocEvals = 0;
for (let from = 0; from < N; from += CHUNK) {
  gc?.(); // drop the previous chunk and generation garbage (untimed), so peaks show live data
  const g0 = performance.now();
  const chunk: Facts[] = [];
  for (let i = from; i < Math.min(N, from + CHUNK); i++) {
    const f = deriveFacts(generator.enterprise(i));
    chunk.push(f);
    if (i < S) slice.push(f);
    for (const k in f) if (f[k] !== undefined) knownFacts++;
    if (
      f.regionCode === "500113" ||
      f.regionCode === "500112" ||
      f.regionCode === "500154" ||
      f.regionCode === "500156"
    )
      focus++;
  }
  genMs += performance.now() - g0;
  // Each enterprise is laid out once into the engine's fact slots (timed separately): a batch job
  // prepares an enterprise once and then evaluates every measure on it.
  const p0 = performance.now();
  const prepared: FactSlots[] = chunk.map((f) => engine.prepare(f));
  prepareMs += performance.now() - p0;
  // Like a batch-matching job paging through the database, each chunk is prepared, evaluated and
  // dropped; only the slice for the competitors stays resident.
  residentCount = Math.max(residentCount, prepared.length);
  sampleMemory();
  if (from === 0) {
    // Warm-up (untimed): let the JIT settle on every loop.
    for (let w = 0; w < 2; w++) {
      for (const c of contexts) passEngine(measures, c, scratchAll(), prepared);
      if (haveSubset) {
        passEngine(subset, subsetCtx, scratch, prepared, WARM_REPEAT);
        passHand(HAND, subsetCtx, scratch, chunk, WARM_REPEAT);
        passHandSlots(HAND_SLOTS, subsetCtx, scratch, prepared, WARM_REPEAT);
      }
    }
    console.log(`\nwarm-up done on the first ${fmt(chunk.length)} enterprises`);
  }
  gc?.();
  const h0 = process.memoryUsage().heapUsed;
  AS_OF.forEach((_, a) => {
    (meterAll[a] as Meter).run(() =>
      passEngine(measures, contexts[a] as EvalContext, aggAll[a] as Aggregate, prepared),
    );
  });
  // Heap growth across the all-measure passes (no gc in between): ~0 when the hot path allocates nothing.
  evalAlloc += Math.max(0, process.memoryUsage().heapUsed - h0);
  evalAllocEvals += chunk.length * measures.length * AS_OF.length;
  sampleMemory();
  if (haveSubset) {
    // Alternate ours / hand so that drift is shared; aggregates from the first cold pass only.
    for (let r = 0; r < COLD_REPEAT; r++) {
      oursCold.run(() => passEngine(subset, subsetCtx, r === 0 ? aggOurs : scratch, prepared));
      handCold.run(() => passHand(HAND, subsetCtx, r === 0 ? aggHand : scratch, chunk));
      handSlotCold.run(() =>
        passHandSlots(HAND_SLOTS, subsetCtx, r === 0 ? aggHandSlots : scratch, prepared),
      );
    }
    oursWarm.run(() => passEngine(subset, subsetCtx, scratch, prepared, WARM_REPEAT));
    handWarm.run(() => passHand(HAND, subsetCtx, scratch, chunk, WARM_REPEAT));
    handSlotWarm.run(() => passHandSlots(HAND_SLOTS, subsetCtx, scratch, prepared, WARM_REPEAT));
  }
}
sampleMemory();
/** Peak of the population × all-measures part (OS max rss), before the competitor engines load. */
const engineMaxRss = Math.max(peak.rss, process.resourceUsage().maxRSS * 1024);
const enginePeakHeap = peak.heapUsed;
gc?.();
const afterSlice = process.memoryUsage();
sampleMemory();
const perEnterprise = (afterSlice.heapUsed - baseline.heapUsed) / Math.max(1, slice.length);
console.log(
  `population: ${fmt(N)} enterprises (seed ${SEED}), generated + deriveFacts in ${(genMs / 1000).toFixed(1)} s (untimed), in chunks of ${fmt(CHUNK)}; ` +
    `${(knownFacts / N).toFixed(1)} known facts each on average; ${((100 * focus) / N).toFixed(1)} % in the four districts`,
);
console.log(
  `engine.prepare (facts → fact slots, once per enterprise, not counted in the evaluation rates below): ${fmt((N / prepareMs) * 1000)} enterprises/s`,
);
console.log(
  `resident size: ~${fmt(perEnterprise)} B per enterprise (heap after gc with the ${fmt(slice.length)}-enterprise slice kept) → a fully resident ${fmt(N)} population would need ~${mb(perEnterprise * N)} of heap`,
);

console.log("\n== all measures, hot path (evaluateInto, explanations off) ==");
console.log(
  `heap growth during the all-measure passes: ${fmt(evalAlloc)} B over ${fmt(evalAllocEvals)} evaluations (${(evalAlloc / evalAllocEvals).toFixed(3)} B/evaluation)`,
);
let allRate = Number.POSITIVE_INFINITY;
AS_OF.forEach((asOf, a) => {
  const agg = aggAll[a] as Aggregate;
  const meter = meterAll[a] as Meter;
  allRate = Math.min(allRate, meter.perSec);
  const total = N * measures.length;
  let el = 0;
  let und = 0;
  let lo = 0;
  let hi = 0;
  let unb = 0;
  measures.forEach((_, m) => {
    el += agg.counts[m * 3 + 1] as number;
    und += agg.counts[m * 3 + 2] as number;
    lo += agg.lo[m] as number;
    hi += agg.hi[m] as number;
    unb += agg.unbounded[m] as number;
  });
  console.log(
    `asOf ${asOf}: ${fmt(total)} measure-evaluations in ${(meter.ms / 1000).toFixed(2)} s → ` +
      `${fmt(meter.perSec)} measure-evaluations/s (${Math.round(1e9 / meter.perSec)} ns each; ${fmt(meter.perSec / measures.length)} enterprises × all ${measures.length} measures /s)`,
  );
  console.log(
    `  outcomes: eligible ${fmt(el)}, undetermined ${fmt(und)}, ineligible ${fmt(total - el - und)}; ` +
      `Σ eligible amounts ${wan(lo)}–${wan(hi)} 万元${unb ? ` (+${fmt(unb)} unbounded)` : ""}`,
  );
  if (a === 0) {
    console.log(
      `  ${pad("measure", 26)}${lpad("eligible", 10)}${lpad("undeterm.", 11)}${lpad("ineligible", 11)}   Σ eligible (万元)`,
    );
    measures.forEach((cm, m) => {
      const c = agg.counts;
      const money = cm.def.monetary
        ? agg.unbounded[m]
          ? `${wan(agg.lo[m] as number)}–∞ (${fmt(agg.unbounded[m] as number)} with no upper bound)`
          : `${wan(agg.lo[m] as number)}–${wan(agg.hi[m] as number)}`
        : "(non-monetary)";
      console.log(
        `  ${pad(cm.def.id, 26)}${lpad(fmt(c[m * 3 + 1] as number), 10)}${lpad(fmt(c[m * 3 + 2] as number), 11)}${lpad(fmt(c[m * 3] as number), 11)}   ${money}`,
      );
    });
  }
});
sampleMemory();

// ------------------------------------------------------------ 3. subset vs other engines

let subsetRate = 0;
let handRate = 0;
let subsetColdRate = 0;
let handColdRate = 0;
if (!haveSubset) {
  console.log(
    `\n== subset comparison skipped: measures not in the rule set: ${SUBSET.filter((id) => !engine.byId.has(id)).join(", ")} ==`,
  );
} else {
  const ctx = subsetCtx;
  console.log(`\n== subset ${SUBSET.join(", ")} at ${subsetAsOf} ==`);
  subsetRate = oursWarm.perSec;
  // The practical limit is the faster of the two hand-written variants.
  handRate = Math.max(handWarm.perSec, handSlotWarm.perSec);
  subsetColdRate = oursCold.perSec;
  handColdRate = Math.max(handCold.perSec, handSlotCold.perSec);
  const sameAggSlots =
    aggOurs.counts.every((x, k) => x === aggHandSlots.counts[k]) &&
    aggOurs.lo.every((x, k) => x === aggHandSlots.lo[k]) &&
    aggOurs.hi.every((x, k) => x === aggHandSlots.hi[k]);
  const sameAgg =
    aggOurs.counts.every((x, k) => x === aggHand.counts[k]) &&
    aggOurs.lo.every((x, k) => x === aggHand.lo[k]) &&
    aggOurs.hi.every((x, k) => x === aggHand.hi[k]);
  console.log(
    `warm (each enterprise's 3 measures ×${WARM_REPEAT} in a row, enterprise in cache — as when it meets the whole rule set):`,
  );
  console.log(`  ours (huiqi engine)        ${lpad(fmt(subsetRate), 13)} evaluations/s`);
  console.log(
    `  (a) hand-written closures on plain profile objects ${lpad(fmt(handWarm.perSec), 13)} evaluations/s   = ${(handWarm.perSec / subsetRate).toFixed(2)}× ours`,
  );
  console.log(
    `  (a) hand-written closures on fact slots           ${lpad(fmt(handSlotWarm.perSec), 13)} evaluations/s   = ${(handSlotWarm.perSec / subsetRate).toFixed(2)}× ours`,
  );
  console.log(
    `cold (each enterprise once per pass, ${fmt(N)} enterprises × 3 × ${COLD_REPEAT} passes per chunk):`,
  );
  console.log(`  ours (huiqi engine)        ${lpad(fmt(subsetColdRate), 13)} evaluations/s`);
  console.log(
    `  (a) hand-written closures on plain profile objects ${lpad(fmt(handCold.perSec), 13)} evaluations/s   = ${(handCold.perSec / subsetColdRate).toFixed(2)}× ours; aggregates over ${fmt(N)} enterprises ${sameAgg ? "identical" : "DIFFER"}`,
  );
  console.log(
    `  (a) hand-written closures on fact slots           ${lpad(fmt(handSlotCold.perSec), 13)} evaluations/s   = ${(handSlotCold.perSec / subsetColdRate).toFixed(2)}× ours; aggregates ${sameAggSlots ? "identical" : "DIFFER"}`,
  );
  const a0 = aggOurs;
  console.log(
    `  ${SUBSET.map((id, m) => `${id}: ${fmt(a0.counts[m * 3 + 1] as number)} eligible / ${fmt(a0.counts[m * 3 + 2] as number)} undetermined`).join("; ")}`,
  );

  // Reference answers of our engine on the slice, for the cross-check.
  const slicePrepared = slice.map((f) => engine.prepare(f));
  const ref = newResults(S);
  for (let e = 0; e < S; e++) {
    for (let m = 0; m < 3; m++) {
      const code = engine.evaluateInto(subset[m] as CompiledMeasure, slicePrepared[e] as FactSlots, ctx, out);
      const k = e * 3 + m;
      ref.code[k] = code;
      ref.lo[k] = code === 0 ? 0 : out.lo;
      ref.hi[k] = code === 0 ? 0 : out.hi;
    }
  }

  interface Check {
    known: number;
    knownDiff: number;
    unknown: number;
    unknownDiff: number;
    outcomeDiff: number;
    amountDiff: number;
    example?: string;
  }
  function crossCheck(r: Results, upTo: number, only?: readonly number[]): Check {
    const c: Check = { known: 0, knownDiff: 0, unknown: 0, unknownDiff: 0, outcomeDiff: 0, amountDiff: 0 };
    for (let e = 0; e < upTo; e++) {
      for (let m = 0; m < 3; m++) {
        if (only && !only.includes(m)) continue;
        const k = e * 3 + m;
        const known = relevantKnown(slice[e] as Facts, m);
        const oc = r.code[k] !== ref.code[k];
        const am = !oc && ref.code[k] !== 0 && (r.lo[k] !== ref.lo[k] || r.hi[k] !== ref.hi[k]);
        if (known) c.known++;
        else c.unknown++;
        if (!oc && !am) continue;
        if (known) c.knownDiff++;
        else c.unknownDiff++;
        if (oc) c.outcomeDiff++;
        else c.amountDiff++;
        if (known && !c.example)
          c.example = `#${e} ${SUBSET[m]}: ours ${ref.code[k]} [${ref.lo[k]}, ${ref.hi[k]}] vs ${r.code[k]} [${r.lo[k]}, ${r.hi[k]}]`;
      }
    }
    return c;
  }

  interface Competitor {
    name: string;
    note: string;
    measures: readonly number[];
    run: (from: number, to: number, res: Results) => void | Promise<void>;
  }
  const jre = makeJsonRulesEngine();
  const zenDecision = makeZenDecision();
  const publicodes = makePublicodes();
  const competitors: Competitor[] = [
    {
      name: "(b) json-rules-engine",
      note: "async engine.run per enterprise; amounts computed in JS on the fired events; undefined facts → condition false",
      measures: [0, 1, 2],
      run: (a, b, res) => runJsonRulesEngine(jre, slice, a, b, subsetAsOf, res),
    },
    {
      name: "(c) json-logic-js",
      note: "jsonLogic.apply per measure (+ floor/round added with add_operation); missing var → null",
      measures: [0, 1, 2],
      run: (a, b, res) => runJsonLogic(slice, a, b, subsetAsOf, res),
    },
    {
      name: "(d) ZEN evaluateExpressionSync",
      note: "one sync call per enterprise, one expression for the 3 measures, three-valued via == null",
      measures: [0, 1, 2],
      run: (a, b, res) => runZenSync(slice, a, b, subsetAsOf, res),
    },
    {
      name: "(d) ZEN sync, batched ×256",
      note: "one evaluateExpressionSync call maps the expression over 256 enterprises",
      measures: [0, 1, 2],
      run: (a, b, res) => runZenBatch(slice, a, b, subsetAsOf, res),
    },
    {
      name: "(d) ZEN decision graph ×256",
      note: "ZenDecision.evaluate (async) of an expression node over 256 enterprises per call",
      measures: [0, 1, 2],
      run: (a, b, res) => runZenDecision(zenDecision, slice, a, b, subsetAsOf, res),
    },
    {
      name: "(e) publicodes",
      note: "setSituation + evaluate per enterprise; 2.2 (list of projects) not expressible → only /1 and /3",
      measures: PUBLICODES_MEASURES,
      run: (a, b, res) => runPublicodes(publicodes, slice, a, b, subsetAsOf, res),
    },
  ];

  sampleMemory();
  const beforeCompetitors = { rss: peak.rss, heapUsed: peak.heapUsed };
  console.log(
    `peak so far (population streamed + all-measure and subset runs): rss ${mb(beforeCompetitors.rss)}, heapUsed ${mb(beforeCompetitors.heapUsed)}`,
  );
  console.log(
    `competitors on a slice of the first ${fmt(S)} enterprises (time budget ${BUDGET_MS / 1000} s each; throughput per measure-evaluation):`,
  );
  let zenBest = 0;
  let zenBestName = "";
  for (const c of competitors) {
    const res = newResults(S);
    try {
      await c.run(0, Math.min(S, 500), res); // warm-up
      const start = performance.now();
      let done = 0;
      const step = 250;
      while (done < S && performance.now() - start < BUDGET_MS) {
        const end = Math.min(S, done + step);
        await c.run(done, end, res);
        done = end;
      }
      const ms = performance.now() - start;
      sampleMemory();
      const rate = ((done * c.measures.length) / ms) * 1000;
      const chk = crossCheck(res, done, c.measures);
      if (c.name.startsWith("(d)") && rate > zenBest) {
        zenBest = rate;
        zenBestName = c.name;
      }
      const line = `${pad(c.name, 31)}${lpad(fmt(rate), 11)} evaluations/s   ours is ${(subsetRate / rate).toFixed(0)}× faster`;
      console.log(line);
      console.log(`    ${c.note}; ${fmt(done)} enterprises in ${(ms / 1000).toFixed(1)} s`);
      console.log(
        `    cross-check vs ours: relevant facts known: ${fmt(chk.known)} cases, ${fmt(chk.knownDiff)} disagree | ` +
          `with unknown facts: ${fmt(chk.unknown)} cases, ${fmt(chk.unknownDiff)} disagree ` +
          `(outcome ${fmt(chk.outcomeDiff)}, amount ${fmt(chk.amountDiff)})`,
      );
      if (chk.example) console.log(`    first disagreement on known facts: ${chk.example}`);
    } catch (e) {
      console.log(`${pad(c.name, 31)} FAILED: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  {
    // Hand-written closures cross-check on the slice too (must be 0 everywhere).
    const res = newResults(S);
    for (let e = 0; e < S; e++)
      for (let m = 0; m < 3; m++) {
        const code = (HAND[m] as HandFn)(slice[e] as Facts, ctx, out);
        const k = e * 3 + m;
        res.code[k] = code;
        res.lo[k] = code === 0 ? 0 : out.lo;
        res.hi[k] = code === 0 ? 0 : out.hi;
      }
    const chk = crossCheck(res, S);
    console.log(
      `(a) hand-written closures cross-check: ${fmt(chk.knownDiff)} / ${fmt(chk.known)} known, ${fmt(chk.unknownDiff)} / ${fmt(chk.unknown)} with unknowns disagree`,
    );
  }
  if (zenBestName) console.log(`fastest ZEN mode: ${zenBestName} (${fmt(zenBest)} evaluations/s)`);
  console.log(
    `subset outcomes on the slice (ours): ${SUBSET.map((id, m) => `${id} eligible ${ref.code.filter((x, k) => k % 3 === m && x === 1).length}`).join(", ")}`,
  );
}

// ------------------------------------------------------------ 4. targets

sampleMemory();
const elapsed = (performance.now() - t0) / 1000;
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log("\n== memory ==");
console.log(
  `peak rss ${mb(peak.rss)} (OS max rss ${mb(maxRss)}), peak heapUsed ${mb(peak.heapUsed)}; baseline rss ${mb(baseline.rss)}, heapUsed ${mb(baseline.heapUsed)}`,
);

console.log("\n== targets ==");
const line = (ok: boolean, text: string) => console.log(`${ok ? "PASS" : "MISS"}  ${text}`);
if (subsetRate > 0) {
  line(
    subsetRate >= 10_000_000,
    `subset throughput ≥ 10,000,000 evaluations/s (warm): ${fmt(subsetRate)} (cold: ${fmt(subsetColdRate)})`,
  );
  line(
    subsetRate * 3 >= handRate,
    `within 3× of hand-written closures (warm): ours ${fmt(subsetRate)} vs hand ${fmt(handRate)} (hand is ${(handRate / subsetRate).toFixed(2)}× ours)`,
  );
  line(
    subsetColdRate * 3 >= handColdRate,
    `within 3× of hand-written closures (cold): ours ${fmt(subsetColdRate)} vs hand ${fmt(handColdRate)} (hand is ${(handColdRate / subsetColdRate).toFixed(2)}× ours)`,
  );
} else {
  console.log("MISS  subset throughput: subset measures missing");
}
console.log(
  `info  all-measure throughput (slower run date): ${fmt(allRate)} measure-evaluations/s over ${measures.length} measures`,
);
line(
  engineMaxRss < 1024 ** 3,
  `peak memory < 1 GB for ${fmt(N)} enterprises × ${measures.length} measures (streamed in chunks of ${fmt(residentCount)} prepared enterprises; ${fmt(S)} raw profiles kept for the competitors): rss ${mb(engineMaxRss)}, heapUsed ${mb(enginePeakHeap)} (whole bench incl. competitors: rss ${mb(Math.max(peak.rss, maxRss))})`,
);
line(elapsed < 300, `whole bench < 5 min: ${elapsed.toFixed(1)} s`);

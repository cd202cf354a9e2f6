/**
 * The batch-matching pool: chunks of enterprises (facts already loaded) in, match-list rows out.
 *
 * `createMatchPool` runs the chunks on worker threads (piscina), each holding an engine compiled once from the
 * rule set the pool was created with; `createInlinePool` runs them in this thread (small runs, PGlite tests).
 * Both give exactly the rows of `matchRowsFor` (lists.ts). `matchColumns` returns the same rows columnar
 * (see MatchColumns in match-worker.ts) without building one object per row: use it for large runs that write
 * rows straight to COPY; `match` converts to `MatchRow[]` at the boundary.
 */
import os from "node:os";
import type { Engine, Facts, RuleSet } from "@huiqi/engine";
import { Piscina } from "piscina";
import { encodedBuffers, encodeFacts } from "./fact-codec.ts";
import type { MatchRow } from "./lists.ts";
import {
  columnsToRows,
  concatColumns,
  type MatchColumns,
  type MatchTask,
  type MatchWorkerData,
  matchColumns,
} from "./match-worker.ts";

export type { MatchColumns } from "./match-worker.ts";
export { columnsToRows, ELIGIBLE, UNDETERMINED } from "./match-worker.ts";

export interface PoolChunk {
  asOf: string;
  measureIds: readonly string[];
  enterprises: { id: string; facts: Facts }[];
}

export interface MatchPool {
  /** Rows for the chunk's enterprises (ineligible left out), same meaning as matchRowsFor in lists.ts. */
  match(chunk: PoolChunk): Promise<MatchRow[]>;
  close(): Promise<void>;
}

/** A pool that also hands rows back columnar (both pools below are). */
export interface ColumnarMatchPool extends MatchPool {
  /** The same rows as `match`, columnar: no object per row (large runs, COPY writers). */
  matchColumns(chunk: PoolChunk): Promise<MatchColumns>;
  /** Worker threads (0 for the inline pool). */
  readonly threads: number;
}

/** Fewer enterprises than this are not split across threads (a message per piece has a fixed cost). */
const MIN_PIECE = 250;

const CJK = /[\u4e00-\u9fff]/;

/** Errors reach the caller in Chinese; the original stays as `cause` for the log. */
function poolError(err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  if (CJK.test(msg)) return new Error(`批量匹配失败：${msg}`, { cause: err });
  return new Error("批量匹配失败：匹配线程出错，请稍后重试或联系运维人员", { cause: err });
}

function closedError(): Error {
  return new Error("批量匹配失败：匹配线程池已关闭");
}

/** Same interface, evaluated in this thread (small runs, PGlite tests). */
export function createInlinePool(engine: Engine): ColumnarMatchPool {
  let closed = false;
  const columns = async (chunk: PoolChunk): Promise<MatchColumns> => {
    if (closed) throw closedError();
    try {
      return matchColumns(engine, chunk);
    } catch (err) {
      throw poolError(err);
    }
  };
  return {
    threads: 0,
    matchColumns: columns,
    async match(chunk) {
      return columnsToRows(chunk, await columns(chunk));
    },
    async close() {
      closed = true;
    },
  };
}

/** Worker threads holding an engine compiled from these rules (ctx.engine.rules); threads default to the CPUs. */
export function createMatchPool(opts: { rules: RuleSet; threads?: number }): ColumnarMatchPool {
  const threads = Math.max(1, opts.threads ?? os.availableParallelism());
  const workerData: MatchWorkerData = { rules: opts.rules };
  const piscina = new Piscina({
    filename: new URL("./match-worker.mjs", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // Threads stay up while the pool is open: compiling the rules per thread is paid once.
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData,
  });
  let closed = false;
  const run = async (chunk: PoolChunk): Promise<MatchColumns> => {
    if (closed) throw closedError();
    try {
      // A large chunk (a whole partition) is split so that every thread works on it; each piece is encoded
      // and sent before the next is encoded, so the first thread starts at once.
      const n = chunk.enterprises.length;
      const pieces = Math.max(1, Math.min(threads, Math.floor(n / MIN_PIECE)));
      const size = Math.ceil(n / pieces);
      const parts: Promise<MatchColumns>[] = [];
      const offsets: number[] = [];
      for (let from = 0; from < n || parts.length === 0; from += size) {
        const facts = encodeFacts(chunk.enterprises.slice(from, from + size).map((e) => e.facts));
        const task: MatchTask = { asOf: chunk.asOf, measureIds: chunk.measureIds, facts };
        offsets.push(from);
        parts.push(piscina.run(task, { transferList: encodedBuffers(facts) }) as Promise<MatchColumns>);
      }
      return concatColumns(await Promise.all(parts), offsets);
    } catch (err) {
      throw poolError(err);
    }
  };
  return {
    threads,
    matchColumns: run,
    async match(chunk) {
      return columnsToRows(chunk, await run(chunk));
    },
    async close() {
      if (closed) return;
      closed = true;
      await piscina.close();
    },
  };
}

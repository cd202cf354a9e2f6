/** Small helpers of the population benchmark: number formats and a process memory sampler. */
export const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
export const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
export const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface MemorySampler {
  peak: { rss: number; heapUsed: number };
  /** Takes a sample now (call it between chunks: a busy thread starves the timer). */
  sample(): void;
  /** Forgets the peaks so far (a new phase). */
  reset(): void;
  stop(): void;
}

/** Samples process RSS (all threads) and this thread's heap every 100 ms and whenever asked. */
export function memorySampler(): MemorySampler {
  const s: MemorySampler = {
    peak: { rss: 0, heapUsed: 0 },
    sample() {
      const m = process.memoryUsage();
      if (m.rss > s.peak.rss) s.peak.rss = m.rss;
      if (m.heapUsed > s.peak.heapUsed) s.peak.heapUsed = m.heapUsed;
    },
    reset() {
      s.peak = { rss: 0, heapUsed: 0 };
      s.sample();
    },
    stop() {
      clearInterval(timer);
    },
  };
  const timer = setInterval(() => s.sample(), 100);
  timer.unref();
  s.sample();
  return s;
}

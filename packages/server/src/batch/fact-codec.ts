/**
 * A compact encoding of enterprises' facts for the trip to a matching thread. Structured clone (postMessage) of
 * thousands of small fact objects costs more than matching them, on both sides, and leaves the worker with
 * objects (dictionary-mode sparse arrays, fresh maps) that evaluate slower. This writes any JSON-like value into
 * three flat arrays — tags, integers (lengths, string numbers) and numbers — plus a table of distinct strings:
 * the typed arrays are transferred (no copy), the strings are few (enum values and keys repeat across a chunk).
 *
 * Decoding builds plain objects and packed arrays. Array holes come back as `undefined` elements (the engine
 * only reads facts by index and length, where the two are the same).
 */

const UNDEFINED = 0;
const NULL = 1;
const TRUE = 2;
const FALSE = 3;
const NUMBER = 4;
const STRING = 5;
const ARRAY = 6;
const OBJECT = 7;
/** Year cache entry not worked out yet (no key gives this). */
const UNCOMPUTED = -1e300;

export interface EncodedFacts {
  /** Number of encoded values (one per enterprise). */
  count: number;
  tags: Uint8Array;
  ints: Uint32Array;
  nums: Float64Array;
  strings: string[];
}

class Writer {
  tags = new Uint8Array(1 << 14);
  ints = new Uint32Array(1 << 13);
  nums = new Float64Array(1 << 12);
  nt = 0;
  ni = 0;
  nn = 0;
  strings: string[] = [];
  index = new Map<string, number>();

  tag(t: number): void {
    if (this.nt === this.tags.length) this.tags = grow(this.tags);
    this.tags[this.nt++] = t;
  }

  int(i: number): void {
    if (this.ni === this.ints.length) this.ints = grow(this.ints);
    this.ints[this.ni++] = i;
  }

  num(x: number): void {
    if (this.nn === this.nums.length) this.nums = grow(this.nums);
    this.nums[this.nn++] = x;
  }

  str(s: string): void {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    this.int(i);
  }

  value(v: unknown): void {
    switch (typeof v) {
      case "undefined":
        this.tag(UNDEFINED);
        return;
      case "boolean":
        this.tag(v ? TRUE : FALSE);
        return;
      case "number":
        this.tag(NUMBER);
        this.num(v);
        return;
      case "string":
        this.tag(STRING);
        this.str(v);
        return;
      case "object": {
        if (v === null) {
          this.tag(NULL);
          return;
        }
        if (Array.isArray(v)) {
          this.tag(ARRAY);
          this.int(v.length);
          for (let i = 0; i < v.length; i++) this.value(v[i]);
          return;
        }
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o);
        this.tag(OBJECT);
        this.int(keys.length);
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k] as string;
          this.str(key);
          this.value(o[key]);
        }
        return;
      }
      default:
        throw new TypeError(`事实值的类型（${typeof v}）不能传给匹配线程`);
    }
  }
}

type Typed = Uint8Array | Uint32Array | Float64Array;
function grow<T extends Typed>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** Encodes the values (facts objects) in order. */
export function encodeFacts(values: readonly unknown[]): EncodedFacts {
  const w = new Writer();
  for (const v of values) w.value(v);
  return {
    count: values.length,
    tags: w.tags.slice(0, w.nt),
    ints: w.ints.slice(0, w.ni),
    nums: w.nums.slice(0, w.nn),
    strings: w.strings,
  };
}

/** The buffers to transfer with an encoding. */
export function encodedBuffers(e: EncodedFacts): ArrayBuffer[] {
  return [e.tags.buffer as ArrayBuffer, e.ints.buffer as ArrayBuffer, e.nums.buffer as ArrayBuffer];
}

/** Reads the values one at a time (a worker prepares and matches each enterprise, then drops its facts). */
export class FactReader {
  private t = 0;
  private i = 0;
  private n = 0;
  constructor(protected readonly e: EncodedFacts) {}

  protected peekTag(): number | undefined {
    return this.e.tags[this.t];
  }

  protected advanceTag(): void {
    this.t++;
  }

  protected readInt(): number {
    return this.e.ints[this.i++] as number;
  }

  next(): unknown {
    const { tags, ints, nums, strings } = this.e;
    switch (tags[this.t++]) {
      case UNDEFINED:
        return undefined;
      case NULL:
        return null;
      case TRUE:
        return true;
      case FALSE:
        return false;
      case NUMBER:
        return nums[this.n++];
      case STRING:
        return strings[ints[this.i++] as number];
      case ARRAY: {
        const len = ints[this.i++] as number;
        const a: unknown[] = [];
        for (let k = 0; k < len; k++) a.push(this.next());
        return a;
      }
      case OBJECT: {
        const len = ints[this.i++] as number;
        const o: Record<string, unknown> = {};
        for (let k = 0; k < len; k++) {
          const key = strings[ints[this.i++] as number] as string;
          // An own "__proto__" (as JSON.parse makes it), never a prototype change.
          if (key === "__proto__")
            Object.defineProperty(o, key, {
              value: this.next(),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          else o[key] = this.next();
        }
        return o;
      }
      default:
        throw new RangeError("事实编码已损坏");
    }
  }
}

/**
 * Where a facts object's keys go in the engine's slot layout (Engine.prepare): the slot of each fact id, which
 * facts are per year (an object keyed by year becomes an array indexed by year − firstYear, 0 … 99).
 */
export interface SlotLayout {
  size: number;
  slotOf: ReadonlyMap<string, number>;
  perYear: readonly boolean[];
  firstYear: number;
}

/**
 * Reads one facts object straight into slots — the same result as Engine.prepare(next()) without building the
 * facts object (its many keys are the slow part of decoding). Keys outside the layout are skipped.
 */
export class SlotReader extends FactReader {
  /** Per string of the table: its slot (−1 none), and as a year key its index (−1 out of range); lazily. */
  private readonly slotCache: Int32Array;
  private readonly yearCache: Float64Array;

  constructor(
    e: EncodedFacts,
    private readonly layout: SlotLayout,
  ) {
    super(e);
    this.slotCache = new Int32Array(e.strings.length).fill(-2);
    this.yearCache = new Float64Array(e.strings.length).fill(UNCOMPUTED);
  }

  nextSlots(): unknown[] {
    const out: unknown[] = new Array(this.layout.size).fill(undefined);
    const v = this.peekTag();
    if (v !== OBJECT) {
      // Not an object: Engine.prepare finds no facts in it.
      this.next();
      return out;
    }
    this.advanceTag();
    const len = this.readInt();
    for (let k = 0; k < len; k++) {
      const key = this.readInt();
      let slot = this.slotCache[key] as number;
      if (slot === -2) {
        slot = this.layout.slotOf.get(this.e.strings[key] as string) ?? -1;
        this.slotCache[key] = slot;
      }
      if (slot < 0) {
        this.next();
        continue;
      }
      if (this.layout.perYear[slot] === true) {
        const t = this.peekTag();
        if (t === OBJECT) {
          this.advanceTag();
          out[slot] = this.series(this.readInt());
          continue;
        }
        if (t === ARRAY) {
          this.advanceTag();
          out[slot] = this.seriesOfArray(this.readInt());
          continue;
        }
      }
      const value = this.next();
      if (value !== undefined) out[slot] = value;
    }
    return out;
  }

  private series(len: number): unknown[] {
    const series: unknown[] = [];
    for (let k = 0; k < len; k++) {
      const key = this.readInt();
      let idx = this.yearCache[key] as number;
      if (idx === UNCOMPUTED) {
        // As Engine.prepare: Number(key) − firstYear, kept when 0 ≤ it < 100 (NaN and fractions included).
        idx = Number(this.e.strings[key]) - this.layout.firstYear;
        this.yearCache[key] = idx;
      }
      const value = this.next();
      if (idx >= 0 && idx < 100) series[idx] = value;
    }
    return series;
  }

  private seriesOfArray(len: number): unknown[] {
    const series: unknown[] = [];
    for (let k = 0; k < len; k++) {
      const value = this.next();
      const idx = k - this.layout.firstYear;
      if (idx >= 0 && idx < 100) series[idx] = value;
    }
    return series;
  }
}

/** Decodes every value, in order. */
export function decodeFacts(e: EncodedFacts): unknown[] {
  const r = new FactReader(e);
  const out = new Array<unknown>(e.count);
  for (let k = 0; k < e.count; k++) out[k] = r.next();
  return out;
}

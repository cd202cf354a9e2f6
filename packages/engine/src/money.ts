/**
 * Money is integer 分 inside the engine. Policy YAML and profiles speak 元
 * (at most two decimals); conversion happens once, at the edge.
 * Rounding rule: a rate × base result is floored to the 分 (the state never
 * pays more than the text allows); nothing else rounds.
 */

export type Fen = number;

/** A rate as an exact fraction num/den, parsed from "10%", "0.5‰" or "0.03". */
export interface Rate {
  num: number;
  den: number;
  text: string;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

export function parseRate(input: string | number): Rate {
  const text = String(input).trim();
  let body = text;
  let scale = 1;
  if (body.endsWith("%")) {
    body = body.slice(0, -1);
    scale = 100;
  } else if (body.endsWith("‰")) {
    body = body.slice(0, -1);
    scale = 1000;
  }
  const m = DECIMAL.exec(body);
  if (!m) throw new Error(`无法识别的比例「${text}」：应写成 10%、0.5‰ 或 0.03`);
  const frac = m[2] ?? "";
  const num = Number((m[1] ?? "") + frac);
  const den = scale * 10 ** frac.length;
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den)) throw new Error(`比例「${text}」位数过多`);
  return { num, den, text };
}

/** floor(base × num / den) without floating-point division error. */
export function applyRate(base: Fen, rate: Rate): Fen {
  const product = base * rate.num;
  if (!Number.isSafeInteger(product)) {
    const big = (BigInt(base) * BigInt(rate.num)) / BigInt(rate.den);
    return Number(big);
  }
  return (product - (product % rate.den)) / rate.den;
}

/** 元 (a JS number with at most two decimals) → 分. Returns undefined when the value has more decimals. */
export function yuanToFen(yuan: number): Fen | undefined {
  const fen = Math.round(yuan * 100);
  if (Math.abs(fen - yuan * 100) > 1e-6 * Math.max(1, Math.abs(yuan))) return undefined;
  return fen;
}

export function fenToYuan(fen: Fen): number {
  return fen / 100;
}

/** 1234567800 分 → "1,234.57万元" style, readable Chinese. Exact: uses integer arithmetic. */
export function formatFen(fen: Fen): string {
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const cents = abs % 100;
  let out: string;
  if (yuan >= 10000 && cents === 0 && yuan % 100 === 0) {
    const wan = yuan / 10000;
    out = `${trimZeros(wan.toFixed(2))}万元`;
  } else {
    out = `${yuan.toLocaleString("en-US")}${cents ? `.${String(cents).padStart(2, "0")}` : ""}元`;
  }
  return negative ? `-${out}` : out;
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

export interface AmountRange {
  /** 分 */
  min: Fen;
  /** 分; null = no upper bound known from the text */
  max: Fen | null;
}

export function formatRange(r: AmountRange): string {
  if (r.max === null) return r.min > 0 ? `不低于${formatFen(r.min)}` : "待定（取决于未答事项）";
  if (r.min === r.max) return formatFen(r.min);
  if (r.min === 0) return `最高${formatFen(r.max)}`;
  return `${formatFen(r.min)}～${formatFen(r.max)}`;
}

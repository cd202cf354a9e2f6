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

/** A JS number's shortest decimal text (what `String(n)` prints): digits before and after the point, exponent. */
const SHORTEST = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * Digits after the decimal point in the shortest decimal text of `n` (the text `String(n)` prints, which is
 * what the user typed or the JSON carried for any amount of up to 15 significant digits): 166666666.67 → 2,
 * 1.234 → 3, 1.5e-7 → 8, 1e21 → 0. Infinity for NaN and ±Infinity. No floating-point arithmetic.
 */
export function fractionDigits(n: number): number {
  if (!Number.isFinite(n)) return Number.POSITIVE_INFINITY;
  const m = SHORTEST.exec(String(Math.abs(n)));
  if (!m) return Number.POSITIVE_INFINITY;
  return Math.max(0, (m[2] ?? "").length - Number(m[3] ?? 0));
}

/**
 * 元 (a JS number with at most two decimals) → 分, exactly: read from the number's shortest decimal text,
 * never `Math.round(yuan * 100)`. Returns undefined when the text has more than two decimals, or when the
 * 分 would not be a safe integer.
 */
export function yuanToFen(yuan: number): Fen | undefined {
  if (!Number.isFinite(yuan)) return undefined;
  const m = SHORTEST.exec(String(Math.abs(yuan)));
  if (!m) return undefined;
  const frac = m[2] ?? "";
  const shift = Number(m[3] ?? 0) - frac.length + 2;
  if (shift < 0 || shift > 20) return undefined;
  const fen = Number(`${m[1] ?? ""}${frac}${"0".repeat(shift)}`);
  if (!Number.isSafeInteger(fen)) return undefined;
  return yuan < 0 && fen !== 0 ? -fen : fen;
}

/**
 * The 元 amount a user typed ("54750", "54,750.5", "54,750.00元", "-3.20") → 分, exactly, from the text.
 * At most two decimals; thousands separators only in their proper places. Undefined when it is not such an
 * amount, or the 分 would not be a safe integer.
 */
export function parseYuan(text: string): Fen | undefined {
  const m = /^(-?)(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/\s*元$/, ""));
  if (!m) return undefined;
  const fen = Number(`${(m[2] ?? "").replaceAll(",", "")}${(m[3] ?? "").padEnd(2, "0")}`);
  if (!Number.isSafeInteger(fen)) return undefined;
  return m[1] && fen !== 0 ? -fen : fen;
}

/** 分 → 元 as a JS number. Exact in its decimal text (`String`) for |分| < 10^15 (≤ 15 significant digits). */
export function fenToYuan(fen: Fen): number {
  return fen / 100;
}

/** |分| below this has ≤ 15 significant digits in 元, so the 元 number's shortest text is the exact amount. */
export const EXACT_YUAN_NUMBER_LIMIT_FEN = 1_000_000_000_000_000;

/**
 * Sign, whole 元 and the two 分 digits of an integer 分 amount, by string slicing (no division). Integers
 * beyond the safe range print their exact (if already rounded) value rather than "1e+22"; a fraction of a 分
 * is a bug upstream and throws.
 */
function fenParts(fen: Fen): { sign: string; yuan: string; cents: string } {
  if (!Number.isInteger(fen)) throw new RangeError(`金额应为整数分：${fen}`);
  const digits = BigInt(Math.abs(fen)).toString().padStart(3, "0");
  return { sign: fen < 0 ? "-" : "", yuan: digits.slice(0, -2), cents: digits.slice(-2) };
}

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** 分 → "54750.00": 元 with exactly two decimals, no separators or unit (for inputs and files). */
export function formatYuanPlain(fen: Fen): string {
  const p = fenParts(fen);
  return `${p.sign}${p.yuan}.${p.cents}`;
}

/** 分 → "54,750.00元": exact 元, two decimals, thousands separators. For officers, finance and reports. */
export function formatYuanExact(fen: Fen): string {
  const p = fenParts(fen);
  return `${p.sign}${group(p.yuan)}.${p.cents}元`;
}

/**
 * 分 → a short text for enterprises: below 1万元 exact ("3,200元", "1,234.56元"); from 1万元 on in 万元 with
 * at most two decimals ("20万元", "5.47万元"), rounded half up and then marked "约" ("约5.48万元" for
 * 54,750元). Never shortens silently.
 */
export function formatYuanShort(fen: Fen): string {
  const p = fenParts(fen);
  if (p.yuan.length <= 4) return formatFen(fen);
  // Hundreds of 元 (= 0.01万元), rounded half up on the dropped 元 and 分.
  const dropped = Number(p.yuan.slice(-2) + p.cents);
  const h = String(BigInt(p.yuan.slice(0, -2)) + (dropped >= 5000 ? 1n : 0n));
  const wan = `${group(h.slice(0, -2))}.${h.slice(-2)}`.replace(/\.?0+$/, "");
  return `${dropped === 0 ? "" : "约"}${p.sign}${wan}万元`;
}

/** 分 → readable Chinese, never rounded: 万元 only when that is exact ("20万元", "5.47万元"), else "54,750元". */
export function formatFen(fen: Fen): string {
  const p = fenParts(fen);
  let out: string;
  if (p.yuan.length > 4 && p.cents === "00" && p.yuan.endsWith("00")) {
    const hundreds = p.yuan.slice(0, -2);
    const wan = trimZeros(`${hundreds.slice(0, -2)}.${hundreds.slice(-2)}`);
    const [int = "", frac] = wan.split(".");
    out = `${group(int)}${frac ? `.${frac}` : ""}万元`;
  } else {
    out = `${group(p.yuan)}${p.cents === "00" ? "" : `.${p.cents}`}元`;
  }
  return `${p.sign}${out}`;
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

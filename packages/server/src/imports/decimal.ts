/**
 * Exact money conversion for imports: the amount as written in the file (元 or 万元, any number of places)
 * → 元 with at most two decimals (分 exact), by moving the decimal point in the digit string: no float is
 * ever multiplied.
 */

export type MoneyUnit = "元" | "万元";

export type MoneyResult = { ok: true; yuan: number; fen: bigint } | { ok: false; reason: string };

/** Thousands separators and blanks people type into spreadsheets. */
const NOISE = /[,，\s]/g;

/** `text` in `unit` → 元 and 分; negative, non-numeric or finer than 1 分 amounts are refused with a Chinese reason. */
export function toYuan(text: string, unit: MoneyUnit): MoneyResult {
  const t = text.replace(NOISE, "").replace(/^\+/, "");
  if (t === "") return { ok: false, reason: "金额为空" };
  if (/^-/.test(t) && /^-\d*\.?\d+$/.test(t)) return { ok: false, reason: "金额不能为负数" };
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[1] === "" && (m[2] ?? "") === ""))
    return { ok: false, reason: `应为数字（如 1234.56），实际为「${text.trim()}」` };
  const shift = unit === "万元" ? 4 : 0;
  const frac = (m[2] ?? "").padEnd(shift, "0");
  const whole = `${m[1]}${frac.slice(0, shift)}`.replace(/^0+(?=\d)/, "") || "0";
  const rest = frac.slice(shift).replace(/0+$/, "");
  if (rest.length > 2)
    return {
      ok: false,
      reason: `换算为元后超过两位小数（${unit === "万元" ? "万元最多六位小数" : "精确到分"}）`,
    };
  const cents = rest.padEnd(2, "0");
  const fen = BigInt(whole) * 100n + BigInt(cents);
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: "金额过大" };
  return { ok: true, yuan: Number(rest ? `${whole}.${rest}` : whole), fen };
}

/** Exact money for the editor's forms: typed text in 元 or 万元 ⇄ integer 分 ⇄ the 元 number written to YAML. */
import { yuanToFen } from "@huiqi/engine";

export type MoneyUnit = "元" | "万元";

const DECIMALS: Record<MoneyUnit, number> = { 元: 2, 万元: 6 };

/** "20" 万元 → 20000000 分 (× 100 × 10000), from the digits, never by float multiplication. */
export function parseMoney(text: string, unit: MoneyUnit): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const frac = m[2] ?? "";
  const places = DECIMALS[unit];
  if (frac.length > places) return undefined;
  const fen = Number(`${m[1]}${frac.padEnd(places, "0")}`);
  return Number.isSafeInteger(fen) ? fen : undefined;
}

/** 分 → the text of that amount in `unit` ("20" 万元, "1234.5" 元), exact, trailing zeros dropped. */
export function formatMoney(fen: number, unit: MoneyUnit): string {
  const places = DECIMALS[unit];
  const digits = String(Math.abs(Math.trunc(fen))).padStart(places + 1, "0");
  const int = digits.slice(0, -places);
  const frac = digits.slice(-places).replace(/0+$/, "");
  return frac ? `${int}.${frac}` : int;
}

/** The unit a stored amount reads best in: 万元 when it is a whole number of 百元 from 1万元 on. */
export function preferredUnit(fen: number): MoneyUnit {
  return fen >= 1_000_000 && fen % 10_000 === 0 ? "万元" : "元";
}

/** 分 → the 元 number written to YAML (its decimal text is exact: at most two decimals). */
export function fenToYamlYuan(fen: number): number {
  return Number(formatMoney(fen, "元"));
}

/** A YAML 元 number → 分, undefined when it is not a valid amount. */
export function yamlYuanToFen(v: unknown): number | undefined {
  return typeof v === "number" && v >= 0 ? yuanToFen(v) : undefined;
}

/** "15%" or 0.15 → "15" (percent text, exact); undefined when it is not a plain ratio. */
export function ratePercent(rate: unknown): string | undefined {
  if (typeof rate === "string") {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(rate);
    return m ? m[1] : undefined;
  }
  if (typeof rate !== "number" || rate < 0) return undefined;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(rate));
  if (!m) return undefined;
  const frac = (m[2] ?? "").padEnd(2, "0");
  const int = `${m[1]}${frac.slice(0, 2)}`.replace(/^0+(?=\d)/, "");
  const rest = frac.slice(2);
  return rest ? `${int}.${rest}` : int;
}

/** A typed percent ("15", "2.5") → the rate as written in YAML ("15%"), undefined when invalid. */
export function percentToRate(text: string): string | undefined {
  const t = text.trim();
  return /^\d+(?:\.\d{1,4})?$/.test(t) && Number(t) <= 100 ? `${t}%` : undefined;
}

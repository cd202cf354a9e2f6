/**
 * A measure's money in the library (search hits, measure cards, the public measure page), from its rule
 * data: the stated figure when the rule is simple ("20万元", "最高50万元"); "按比例" (with its ceiling) when it
 * is a share of an expense; the engine's wording when the text gives no figure; never a figure we invent.
 */
import { AMOUNT_UNSTATED_TEXT, formatFen, yuanToFen } from "@huiqi/engine";
import { amountSummary } from "../../components/policy";

export interface AmountData {
  monetary: boolean;
  amount?: unknown;
  /** The document's words when it grants money without a figure. */
  amountUnstated?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object";
}

/** Does the amount rule (at any depth) contain a node with this key? */
function hasNode(a: unknown, key: string, depth = 0): boolean {
  if (!isObject(a) || depth > 12) return false;
  if (!Array.isArray(a) && key in a) return true;
  return Object.values(a).some((v) => hasNode(v, key, depth + 1));
}

const wan = (y: number) => {
  const fen = yuanToFen(y);
  return fen === undefined ? `${y}元` : formatFen(fen);
};

/** The money of a monetary measure in words; null for measures that grant no money. */
export function measureAmountText(data: AmountData | undefined): string | null {
  if (!data?.monetary) return null;
  if (data.amountUnstated) return AMOUNT_UNSTATED_TEXT;
  const simple = amountSummary(data.amount);
  if (simple) return simple;
  const cap = isObject(data.amount) && typeof data.amount.cap === "number" ? data.amount.cap : undefined;
  const suffix = cap !== undefined ? `，最高${wan(cap)}` : "";
  if (hasNode(data.amount, "rate")) return `按比例${suffix}`;
  if (hasNode(data.amount, "tiers")) return `按档次${suffix}`;
  if (cap !== undefined) return `最高${wan(cap)}`;
  return "按条件测算";
}

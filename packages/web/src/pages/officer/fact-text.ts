/**
 * The review page's wording of enterprise facts, from the fact vocabulary through the engine's own words:
 * the row label with its unit ("2025年营业收入（元）"), values (money as exact 元 with two decimals), list
 * records as "字段：值" by their Chinese field labels, and which stored row (fact, year) a key verifies.
 */
import {
  factKeyLabel,
  factKeyType,
  formatYuanExact,
  type Glossary,
  itemName,
  typeOf,
  type ValueType,
  valueText,
  yuanToFen,
} from "@huiqi/engine";

/** The unit a fact's values are in, for its label: 元, 人, %… (none for yes/no, dates, lists). */
export function unitOf(ty: ValueType, unit?: string | null): string | null {
  if (ty.k === "money") return "元";
  if (ty.k === "ratio") return "%";
  if (ty.k === "number") return ty.unit ?? unit ?? null;
  return null;
}

/** A fact key's row label with its unit: "从业人员数（人）", "2025年研发费用（元）", "投资项目". */
export function factRowLabel(key: string, g: Glossary, unit?: string | null): string {
  const name = factKeyLabel(key, g);
  const u = unitOf(factKeyType(key, g), unit);
  return u ? `${name}（${u}）` : name;
}

/** One value in Chinese: money as exact 元 with two decimals; everything else as the engine words it. */
export function valueWords(v: unknown, ty: ValueType, g: Glossary): string {
  if (ty.k === "money" && typeof v === "number") {
    const fen = yuanToFen(v);
    return fen === undefined ? `${v}元` : formatYuanExact(fen);
  }
  return valueText(v, ty, g);
}

/** One list record: its name ("冲压线扩能") and its fields by label ("项目类型：一般技术改造、扩能项目"). */
export function recordWords(
  ty: Extract<ValueType, { k: "list" }>,
  item: Record<string, unknown>,
  index: number,
  g: Glossary,
): { name: string; fields: string[] } {
  return {
    name: itemName(ty.def, item, index, g, false),
    fields: (ty.def.fields ?? [])
      .filter((f) => item[f.id] !== undefined)
      .map((f) => {
        const v = item[f.id];
        // A measure reference reads as the document and clause ("《渝北府发〔2021〕13号》第9条"), never its id.
        const words =
          f.id === "measureId" && typeof v === "string" ? g.measureName(v) : valueWords(v, typeOf(f), g);
        return `${f.id === "measureId" ? "措施" : f.label.replace(/（[^（）]*）$/, "")}：${words}`;
      }),
  };
}

/** The stored row behind a fact key: `id`, `id:year`, or a list field `list[ref].field` (its whole list). */
export function storedKey(key: string): { factId: string; period: string } {
  const base = key.split("[")[0] ?? key;
  const [factId = base, period = ""] = base.split(":");
  return { factId, period: /^\d{4}$/.test(period) ? period : "" };
}

/**
 * District names for reports. The canonical source is the policies' fact vocabulary (facts.yaml, fact
 * `regionCode`, GB/T 2260 codes with Chinese labels), as loaded into the engine's rule set; 500000 is the
 * municipality itself (市级 documents), which the vocabulary does not list as an enterprise's district.
 */
import type { AppContext } from "../context.ts";

const MUNICIPALITY: Record<string, string> = { "500000": "重庆市（市级）" };

export function regionLabels(ctx: Pick<AppContext, "engine">): Map<string, string> {
  const fact = ctx.engine.rules.vocabulary.facts.find((f) => f.id === "regionCode");
  const labels = new Map<string, string>(Object.entries(MUNICIPALITY));
  for (const v of fact?.values ?? []) labels.set(String(v.value), v.label);
  return labels;
}

/** Chinese name of a district code; the code itself when unknown. */
export function regionName(ctx: Pick<AppContext, "engine">, code: string): string {
  return regionLabels(ctx).get(code) ?? code;
}

/** Search synonyms (vocabulary/synonyms.yaml): groups of terms that mean the same thing, validated on load. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { POLICIES_ROOT } from "./load.ts";

export const SynonymGroupSchema = z.object({
  name: z.string().min(1),
  terms: z.array(z.string().trim().min(1)).min(2),
});

export const SynonymsSchema = z.object({ groups: z.array(SynonymGroupSchema) }).superRefine((v, ctx) => {
  const seen = new Map<string, string>();
  for (const g of v.groups)
    for (const t of g.terms) {
      const key = t.toLowerCase();
      const other = seen.get(key);
      if (other !== undefined)
        ctx.addIssue({ code: "custom", message: `同义词「${t}」同时出现在「${other}」和「${g.name}」组` });
      seen.set(key, g.name);
    }
});

export type SynonymGroup = z.infer<typeof SynonymGroupSchema>;

let cached: SynonymGroup[] | undefined;

/** The synonym groups; throws with the zod issues when the file is malformed. */
export function synonymGroups(root = POLICIES_ROOT): SynonymGroup[] {
  if (root === POLICIES_ROOT && cached) return cached;
  const groups = SynonymsSchema.parse(
    parse(readFileSync(join(root, "vocabulary", "synonyms.yaml"), "utf8")),
  ).groups;
  if (root === POLICIES_ROOT) cached = groups;
  return groups;
}

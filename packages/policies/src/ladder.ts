/**
 * The 专精特新 ladder's criteria (packages/policies/ladder/): the national evaluation and certification
 * standards encoded in the policy format. They decide a status, not a benefit, so they are a rule set of their
 * own — read with the same loader, compiled by the same compileRules, tested by the same case runner — and
 * never join the enterprise library (matches, calculator, batch lists).
 */
import { join } from "node:path";
import {
  type DocumentSource,
  documentIds,
  libraryFromSources,
  POLICIES_ROOT,
  type PolicyLibrary,
  readDocumentFiles,
} from "./load.ts";

export const LADDER_DIR = join(POLICIES_ROOT, "ladder");

/** The ladder criteria's measures by tier: 创新型中小企业 and 专精特新中小企业 (重庆: 市级). */
export const LADDER_MEASURES = {
  innovativeSme: "miit-2022-63/1",
  srdi: "miit-2022-63/2",
} as const;

export function readLadderSources(dir = LADDER_DIR): DocumentSource[] {
  return documentIds(dir).map((id) => ({ id, files: readDocumentFiles(id, dir), origin: join(dir, id) }));
}

/** The ladder's rule set, with the shared fact vocabulary. */
export function loadLadderLibrary(dir = LADDER_DIR): PolicyLibrary {
  const lib = libraryFromSources(readLadderSources(dir));
  // The shared 从高不重复 groups name library measures; the ladder has no benefits to net.
  return { ...lib, rules: { ...lib.rules, stackingGroups: [] } };
}

/**
 * @huiqi/ingest — policy notice in, draft out. This module is pure (no Node imports) so it can run in a
 * browser: plain text → cleaned text (with a map back to the original) → DocumentDraft. Word and PDF
 * decoding lives in ./file.ts.
 */
import { cleanText } from "./clean.ts";
import { buildDraft } from "./draft.ts";
import type { IngestOptions, IngestResult } from "./types.ts";

export { cleanText, toOriginal } from "./clean.ts";
export { abbreviateUnit, buildDraft, extractContacts, normUnit, toPolicyMeasures } from "./draft.ts";
export {
  findCandidates,
  findDates,
  findMoney,
  findRates,
  findStacking,
  findUnits,
  findYears,
  parseNumber,
} from "./extract.ts";
export { extractMetadata } from "./metadata.ts";
export { renderSummary } from "./summary.ts";
export * from "./types.ts";

export function ingestText(text: string, options: IngestOptions = {}): IngestResult {
  const original = text.replace(/^\uFEFF/, "");
  const cleaned = cleanText(original);
  return { original, cleaned, draft: buildDraft(cleaned.text, options) };
}

/** `huiqi policies coverage`: how complete and how tested each document's encoding is. */
import type { PolicyLibrary } from "./load.ts";

export interface DocumentCoverage {
  documentId: string;
  docNumber: string;
  numbered: number;
  recorded: number;
  measures: number;
  monetary: number;
  executable: number;
  casesPerMeasure: Record<string, number>;
  /** Monetary measures with fewer than two cases. */
  undertested: string[];
  /** Numbered ordinals with no measure recorded. */
  unrecorded: number[];
}

export function coverage(lib: PolicyLibrary): DocumentCoverage[] {
  return lib.documents.map(({ document, measures, cases }) => {
    const ordinals = new Set(measures.map((m) => m.ordinal));
    const counts: Record<string, number> = {};
    for (const m of measures) counts[m.id] = 0;
    for (const c of cases) {
      if (c.measure && c.measure in counts) counts[c.measure] = (counts[c.measure] ?? 0) + 1;
    }
    const monetary = measures.filter((m) => m.monetary);
    const executable = monetary.filter(
      (m) => (m.amount !== undefined || m.amountUnstated !== undefined) && m.eligibility !== undefined,
    );
    const unrecorded: number[] = [];
    for (let i = 1; i <= document.numberedMeasures; i++) if (!ordinals.has(i)) unrecorded.push(i);
    return {
      documentId: document.id,
      docNumber: document.docNumber,
      numbered: document.numberedMeasures,
      recorded: [...ordinals].filter((o) => o <= document.numberedMeasures).length,
      measures: measures.length,
      monetary: monetary.length,
      executable: executable.length,
      casesPerMeasure: counts,
      undertested: monetary.filter((m) => (counts[m.id] ?? 0) < 2).map((m) => m.id),
      unrecorded,
    };
  });
}

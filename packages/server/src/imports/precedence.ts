/**
 * Which source of a fact wins. Ranking: verified (an officer checked it) > import (government data from a
 * department's file) > self (reported by the enterprise).
 *
 * - An import writes a fact that is unknown or self-reported (it becomes "import", with the import, file
 *   and row as provenance) and replaces an earlier imported value; it never changes a verified fact (the
 *   row's report counts it as "已核实，未覆盖"). A value equal to the stored one is no write (idempotence).
 * - List facts (certifications, awardsReceived): an import adds its items to the list (an item with the
 *   same identity is replaced, others are kept, including self-reported ones, which then share the
 *   imported row); it never removes items.
 * - A self-report may not change or remove an imported value (the profile update answers 400 naming the
 *   field, the file and the row, and tells the enterprise to ask its district to correct it); sending the
 *   same value back is accepted and keeps it imported. A list fact counts as one value: once a list was
 *   imported, an item is added by the district (or by the next import), not by the enterprise. The enterprise sees the source of each fact in its
 *   profile (GET /api/enterprises/:id: source "import").
 * - An officer may verify an imported fact; it becomes verified and keeps its provenance columns.
 */
export type FactSource = "self" | "import" | "verified";

/** May an import write over a stored fact of this source? */
export function importMayWrite(existing: FactSource | undefined): boolean {
  return existing !== "verified";
}

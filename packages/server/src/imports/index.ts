/** Bulk import of enterprises and facts (for the CLI: `huiqi import`). */
export { IMPORT_KINDS, type ImportKind, KIND_LABELS, type RowProblem } from "./kinds.ts";
export {
  type ImportCounts,
  type ImportDeps,
  ImportFileError,
  type ImportReport,
  type ImportRequest,
  importSummary,
  runImport,
} from "./run-import.ts";

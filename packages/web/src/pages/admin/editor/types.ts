import type { paths } from "../../../api/schema";

/** What the policy editor's tabs share: the revision's files as text (the single source of truth) and the last check. */

export const EDITOR_FILES = [
  "document.yaml",
  "measures.yaml",
  "cases.yaml",
  "facts.yaml",
  "source.txt",
] as const;
export type EditorFileName = (typeof EDITOR_FILES)[number];
export type EditorFiles = Partial<Record<EditorFileName, string>>;

/**
 * POST /api/policy-documents/:documentId/check — compiles the files with the rest of the library, runs the cases;
 * `line` is 1-based in `file` when it could be located, `short` lists monetary measures with fewer than 2 passing
 * cases. The generated API type, so the page and the server cannot drift apart.
 */
export type CheckResult =
  paths["/api/policy-documents/{documentId}/check"]["post"]["responses"][200]["content"]["application/json"];

export interface TabProps {
  documentId: string;
  /** The revision the editor was opened from. */
  revision: number;
  files: EditorFiles;
  setFile: (name: EditorFileName, text: string) => void;
  /** The published revision's files, null for a document never published. */
  published: EditorFiles | null;
  /** The check of the current files (debounced), null while the first one runs. */
  check: CheckResult | null;
}

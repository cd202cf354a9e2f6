import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { POLICIES_ROOT } from "./load.ts";

let names: Record<string, string> | undefined;

/** Chinese name of a department code; the code itself when unknown. */
export function departmentName(code: string): string {
  names ??= (
    parse(readFileSync(join(POLICIES_ROOT, "vocabulary", "departments.yaml"), "utf8")) as {
      departments: Record<string, string>;
    }
  ).departments;
  return names[code] ?? code;
}

export function departmentCodes(): string[] {
  departmentName("");
  return Object.keys(names ?? {});
}

import { readFileSync } from "node:fs";
import { chongqingDate, type Facts, isIsoDate, ProfileValidationError } from "@huiqi/engine";
import { CliError } from "./errors.ts";

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `--profile：无法读取文件「${file}」（${code === "ENOENT" ? "文件不存在" : (code ?? "读取失败")}）`,
    );
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new CliError(`--profile：文件「${file}」不是有效的 JSON（${(e as Error).message}）`);
  }
}

export function loadProfile(file: string, validate: (p: unknown) => Facts): Facts {
  const raw = readJsonFile(file);
  try {
    return validate(raw);
  } catch (e) {
    if (e instanceof ProfileValidationError) {
      const lines = e.issues.map((i) => `  - ${i.field}${i.label ? `（${i.label}）` : ""}：${i.message}`);
      throw new CliError(`企业画像「${file}」有 ${e.issues.length} 处错误：\n${lines.join("\n")}`);
    }
    throw e;
  }
}

export function parseAsOf(value: string | undefined, today = new Date()): string {
  if (value === undefined) return chongqingDate(today);
  if (!isIsoDate(value))
    throw new CliError(`--as-of：「${value}」不是有效日期，应为 YYYY-MM-DD（如 2022-11-01）`);
  return value;
}

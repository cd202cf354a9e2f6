/** `huiqi ingest FILE [--json]`: a policy notice (.txt, .docx, .pdf) → a draft for the policy editor. */
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { renderSummary, toPolicyMeasures } from "@huiqi/ingest";
import { IngestError, ingestFile } from "@huiqi/ingest/file";
import { departmentCodes, departmentName } from "@huiqi/policies";
import type { Command } from "commander";
import { CliError } from "./errors.ts";

const MAX_BYTES = 50 * 1024 * 1024;

function readInput(file: string): Buffer {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new CliError(`「${file}」是一个目录，请给出文件`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT"
        ? `找不到文件「${file}」`
        : `无法读取文件「${file}」（${code ?? (e as Error).message}）`,
    );
  }
  if (size > MAX_BYTES)
    throw new CliError(`文件「${file}」太大（${Math.round(size / 1024 / 1024)} MB），上限 50 MB`);
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "EACCES"
        ? `没有权限读取文件「${file}」`
        : `无法读取文件「${file}」（${code ?? (e as Error).message}）`,
    );
  }
}

export function registerIngest(program: Command, print: (s: string) => void): void {
  program
    .command("ingest")
    .description(
      "导入政策文件（.txt、.docx、.pdf）：清洗正文，识别文号、条款、金额、期限、牵头单位，生成措施草稿",
    )
    .argument("<file>", "政策文件")
    .option(
      "--json",
      "输出完整 JSON：清洗后正文、措施（measures.yaml 的字段）、草稿（元数据、条款树、各条候选项及位置、待核对项）",
    )
    .action(async (file: string, o: { json?: boolean }) => {
      const bytes = readInput(file);
      const departments = Object.fromEntries(departmentCodes().map((c) => [c, departmentName(c)]));
      let result: Awaited<ReturnType<typeof ingestFile>>;
      try {
        result = await ingestFile(bytes, basename(file), { departments });
      } catch (e) {
        if (e instanceof IngestError) throw new CliError(e.message);
        throw e;
      }
      if (o.json)
        print(
          JSON.stringify(
            {
              fileName: basename(file),
              cleanedText: result.cleaned.text,
              measures: toPolicyMeasures(result.draft),
              draft: result.draft,
            },
            null,
            2,
          ),
        );
      else print(renderSummary(result.draft));
    });
}

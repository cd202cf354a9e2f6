/**
 * `huiqi`: match, explain, list and test policies, print the profile schema; ingest a notice; import enterprise
 * data (`huiqi import FILE --kind …`); audit verify; serve; backup, restore.
 */
import {
  compileRules,
  type Engine,
  makeProfileValidator,
  profileJsonSchema,
  RuleCompileError,
} from "@huiqi/engine";
import {
  coverage,
  departmentName,
  loadPolicyLibrary,
  PolicyDataError,
  type PolicyLibrary,
  runCase,
} from "@huiqi/policies";
import { Command, CommanderError } from "commander";
import { CliError } from "./errors.ts";
import { benefitLabel, renderExplanation, renderMatch, table } from "./format.ts";
import { registerImport } from "./import.ts";
import { registerIngest } from "./ingest.ts";
import { loadProfile, parseAsOf } from "./input.ts";
import { addBatchOptions, type BatchOptions, matchBatchAction } from "./match-batch.ts";
import {
  auditVerify,
  backup,
  type OpsOutcome,
  policiesExport,
  policiesImport,
  restore,
  serve,
} from "./server-commands.ts";

let cached: { lib: PolicyLibrary; engine: Engine } | undefined;
function rules() {
  if (!cached) {
    const lib = loadPolicyLibrary();
    cached = { lib, engine: compileRules(lib.rules) };
  }
  return cached;
}

function print(s: string): void {
  process.stdout.write(`${s}\n`);
}

function json(v: unknown): void {
  print(JSON.stringify(v, null, 2));
}

const program = new Command();
program
  .name("huiqi")
  .description("惠企：重庆惠企政策的规则引擎与政策计算器")
  .showHelpAfterError("（加 --help 查看用法）")
  .exitOverride();

const matchCommand = program
  .command("match")
  .description(
    "测算一家企业能享受哪些措施、多少钱、为什么，以及还需回答哪些问题；不给 --profile 时对平台数据库里的全部企业做批量匹配",
  )
  .option("--profile <file>", "企业画像 JSON 文件（见 huiqi schema profile）")
  .option("--as-of <date>", "测算日 YYYY-MM-DD（默认今天，重庆日期）")
  .option("--json", "输出完整 JSON（含解释树、从高不重复决定、规则版本）")
  .option("--all", "表格中也列出不符合的措施");
addBatchOptions(matchCommand).action(
  async (o: { profile?: string; asOf?: string; json?: boolean; all?: boolean } & BatchOptions) => {
    if (o.profile === undefined) {
      // Batch matching (match-batch.ts): every enterprise, every published measure, lists in the database.
      await matchBatchAction({ ...o, ...(o.asOf !== undefined ? { asOf: parseAsOf(o.asOf) } : {}) }, print);
      return;
    }
    const { lib, engine } = rules();
    const asOf = parseAsOf(o.asOf);
    const facts = loadProfile(o.profile, makeProfileValidator(lib.rules.vocabulary));
    // The table words each ruled-out measure's reason from its explanation.
    const result = engine.evaluate(facts, { asOf, explain: true });
    if (o.json) json({ profile: o.profile, ...result });
    else
      print(
        renderMatch(result, engine, { all: Boolean(o.all), profileName: facts.name as string | undefined }),
      );
  },
);

program
  .command("explain")
  .description("解释一项措施对一家企业的判定：每个条件的实际值、要求值与原文")
  .argument("<measureId>", "措施编号，如 banan-2022-63/3")
  .requiredOption("--profile <file>", "企业画像 JSON 文件")
  .option("--as-of <date>", "测算日 YYYY-MM-DD（默认今天，重庆日期）")
  .option("--json", "输出 JSON")
  .action((measureId: string, o: { profile: string; asOf?: string; json?: boolean }) => {
    const { lib, engine } = rules();
    if (!engine.byId.has(measureId)) {
      const near = [...engine.byId.keys()]
        .filter((id) => id.startsWith(measureId.split("/")[0] ?? ""))
        .slice(0, 8);
      throw new CliError(
        `措施编号「${measureId}」不存在${near.length ? `。该文件的措施有：${near.join("、")}…` : "（用 huiqi policies 查看全部）"}`,
      );
    }
    const asOf = parseAsOf(o.asOf);
    const facts = loadProfile(o.profile, makeProfileValidator(lib.rules.vocabulary));
    const e = engine.explain(measureId, facts, asOf);
    if (o.json) json({ rulesVersion: engine.version, ...e });
    else print(renderExplanation(e, engine));
  });

const policies = program
  .command("policies")
  .description("列出政策文件与措施")
  .option("--document <id>", "只看一个文件的措施")
  .option("--json", "输出 JSON")
  .action((o: { document?: string; json?: boolean }) => {
    const { lib } = rules();
    if (o.document) {
      const doc = lib.documents.find((d) => d.document.id === o.document);
      if (!doc)
        throw new CliError(
          `--document：没有文件「${o.document}」，可选：${lib.documents.map((d) => d.document.id).join("、")}`,
        );
      if (o.json) return json(doc);
      const d = doc.document;
      print(`${d.id}　${d.docNumber}　${d.issuer}　${d.issuedOn}\n${d.title}`);
      const t = table(["编号", "措施", "类型", "资金", "执行期限", "牵头单位"], [20, 40, 8, 4, 24, 14]);
      for (const m of doc.measures)
        t.push([
          m.id,
          m.title,
          benefitLabel(m.benefitType),
          m.monetary ? "是" : "否",
          `${m.validFrom ?? d.validFrom} 至 ${m.validUntil ?? d.validUntil ?? "替代为止"}`,
          departmentName(m.leadDepartment),
        ]);
      print(t.toString());
      if (d.targets?.length) {
        print("目标：");
        for (const x of d.targets) print(`  · ${x.year} 年${x.label}：${x.value}${x.unit}`);
      }
      return;
    }
    if (o.json) return json(lib.documents.map((d) => ({ ...d.document, measures: d.measures.length })));
    const t = table(["文件编号", "文号", "发文机关", "发布日期", "措施数"], [16, 24, 30, 10, 6]);
    for (const d of lib.documents)
      t.push([
        d.document.id,
        d.document.docNumber,
        d.document.issuer,
        d.document.issuedOn,
        String(d.measures.length),
      ]);
    print(`规则版本：${lib.rules.version}\n${t.toString()}`);
  });

policies
  .command("coverage")
  .description("每个文件：已录入措施／原文编号措施，可执行资金类措施／资金类措施，每项措施的用例数")
  .option("--json", "输出 JSON")
  .action((o: { json?: boolean }) => {
    const cov = coverage(rules().lib);
    // `--json` after the subcommand may be claimed by the parent `policies` command, which has it too.
    if (o.json || policies.opts().json) return json(cov);
    const t = table(
      [
        "文件编号",
        "文号",
        "已录入/原文编号",
        "资金类可执行/资金类",
        "用例数（措施:例数）",
        "用例不足2个的资金类措施",
      ],
      [16, 24, 16, 20, 44, 24],
    );
    for (const c of cov) {
      const per = Object.entries(c.casesPerMeasure)
        .map(([id, n]) => `${id.split("/")[1]}:${n}`)
        .join(" ");
      t.push([
        c.documentId,
        c.docNumber,
        `${c.recorded}/${c.numbered}`,
        `${c.executable}/${c.monetary}`,
        per,
        c.undertested.join(" ") || "无",
      ]);
    }
    print(t.toString());
  });

policies
  .command("test")
  .description("运行所有文件的 YAML 用例")
  .action(() => {
    const { lib, engine } = rules();
    const validate = makeProfileValidator(lib.rules.vocabulary);
    let passed = 0;
    let failed = 0;
    for (const d of lib.documents)
      for (const c of d.cases) {
        const problems = runCase(engine, validate, c);
        if (problems.length) {
          failed++;
          print(`✘ ${d.document.id} ${c.name}\n    ${problems.join("\n    ")}`);
        } else passed++;
      }
    print(`${passed} passed, ${failed} failed`);
    if (failed) process.exitCode = 1;
  });

program
  .command("schema")
  .description("输出 JSON Schema")
  .argument("<name>", "目前只有 profile（企业画像）")
  .action((name: string) => {
    if (name !== "profile") throw new CliError(`schema：不认识「${name}」，目前只有 profile`);
    json(profileJsonSchema(rules().lib.rules.vocabulary));
  });

registerIngest(program, print);
registerImport(program, print);

const audit = program.command("audit").description("审计日志");
audit
  .command("verify")
  .description("校验审计日志哈希链：发现被改动或删除的行")
  .option("--data-dir <dir>", "内嵌数据库的数据目录（默认 HUIQI_DATA_DIR 或 ./data）")
  .option("--database-url <url>", "PostgreSQL 连接串（默认 DATABASE_URL；未设置则用内嵌数据库）")
  .action(async (o: { dataDir?: string; databaseUrl?: string }) => {
    const r = await auditVerify(o);
    if (r.exitCode === 0) print(r.output);
    else process.stderr.write(`${r.output}\n`);
    process.exitCode = r.exitCode;
  });

program
  .command("serve")
  .description("启动惠企平台服务（API、任务队列、演示数据）")
  .option("--port <port>", "端口（默认 PORT 或 3000；0 表示任选一个空闲端口）")
  .option("--host <host>", "监听地址（默认 HOST 或 127.0.0.1）")
  .option("--data-dir <dir>", "内嵌数据库的数据目录（默认 HUIQI_DATA_DIR 或 ./data）")
  .option("--database-url <url>", "PostgreSQL 连接串（默认 DATABASE_URL）")
  .option("--no-demo", "不载入演示数据（账户、企业、各状态的申报）")
  .action(
    async (o: { port?: string; host?: string; dataDir?: string; databaseUrl?: string; demo?: boolean }) => {
      await serve(o, print);
    },
  );

function report(r: OpsOutcome): void {
  print(r.output);
  if (r.warning) process.stderr.write(`${r.warning}\n`);
  process.exitCode = r.exitCode;
}

policies
  .command("export")
  .description("把平台数据库里每份政策文件的现行版本导出为 YAML 目录（每份文件一个目录）")
  .argument("<dir>", "导出到的目录")
  .option("--data-dir <dir>", "内嵌数据库的数据目录（默认 HUIQI_DATA_DIR 或 ./data；服务运行时须先停止）")
  .option("--database-url <url>", "PostgreSQL 连接串（默认 DATABASE_URL）")
  .action(async (dir: string, o: { dataDir?: string; databaseUrl?: string }) => {
    report(await policiesExport(dir, o));
  });

policies
  .command("import")
  .description("把 YAML 目录里的政策文件导入平台数据库，成为新版本（先整体校验，有错则不写入）")
  .argument("<dir>", "一份文件的目录（内有 document.yaml），或多份文件目录的上级目录")
  .option("--draft", "导入为草稿，待审核后发布（默认直接发布）")
  .option("--data-dir <dir>", "内嵌数据库的数据目录（默认 HUIQI_DATA_DIR 或 ./data；服务运行时须先停止）")
  .option("--database-url <url>", "PostgreSQL 连接串（默认 DATABASE_URL）")
  .action(async (dir: string, o: { dataDir?: string; databaseUrl?: string; draft?: boolean }) => {
    report(await policiesImport(dir, o));
  });

program
  .command("backup")
  .description("把数据库和附件备份到一个文件（内嵌数据库须先停止服务；PostgreSQL 可在线备份）")
  .requiredOption("--out <file>", "备份文件（tar），如 huiqi-2026-05-01.tar")
  .option("--data-dir <dir>", "内嵌数据库与附件的数据目录（默认 HUIQI_DATA_DIR 或 ./data）")
  .option("--database-url <url>", "PostgreSQL 连接串（默认 DATABASE_URL；未设置则备份内嵌数据库）")
  .option("--force", "覆盖已存在的备份文件")
  .action(async (o: { out: string; dataDir?: string; databaseUrl?: string; force?: boolean }) => {
    report(await backup(o));
  });

program
  .command("restore")
  .description("从 huiqi backup 的文件恢复数据库和附件（目标已有数据时须加 --force）")
  .argument("<file>", "备份文件")
  .option("--data-dir <dir>", "恢复到的数据目录（默认 HUIQI_DATA_DIR 或 ./data）")
  .option("--database-url <url>", "恢复到的 PostgreSQL 数据库（默认 DATABASE_URL；未设置则恢复为内嵌数据库）")
  .option("--force", "目标已有数据时覆盖（不会询问）")
  .action(async (file: string, o: { dataDir?: string; databaseUrl?: string; force?: boolean }) => {
    report(await restore(file, o));
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof PolicyDataError || e instanceof RuleCompileError) {
    process.stderr.write(`政策数据错误：${e.message}\n`);
    process.exitCode = 1;
  } else if (e instanceof CliError) {
    process.stderr.write(`错误：${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    process.stderr.write(`内部错误：${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

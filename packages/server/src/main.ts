/**
 * `npm start` and `huiqi serve`: the platform with the database (embedded by default), the policies, the
 * job worker and — unless turned off — the demo data set. Prints the URL and the demo logins.
 */

import { createMatchPool } from "./batch/pool.ts";
import { closeBatchPool, ensureListsBuilt, useBatchPool } from "./batch/runs.ts";
import type { Config } from "./config.ts";
import { loadConfig } from "./config.ts";
import { DEMO_PASSWORD } from "./demo/accounts.ts";
import { seedDemo } from "./demo/seed.ts";
import { enqueueMeasureChanges } from "./notifications/handlers.ts";
import { startJobs } from "./notifications/jobs.ts";
import { createPlatform, type Platform } from "./server.ts";

export interface ServeOptions {
  demo?: boolean;
  print?: (line: string) => void;
}

export async function serve(
  config: Config,
  opts: ServeOptions = {},
): Promise<Platform & { stop(): Promise<void> }> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  // Embedded mode: the data folder's lock is taken before the database opens; a second process on the same
  // folder stops here with DataDirLockedError naming this one's pid.
  const platform = await createPlatform(config, { logger: true, purpose: "huiqi serve" });
  let worker: ReturnType<typeof startJobs> | undefined;
  let demo: Awaited<ReturnType<typeof seedDemo>> | undefined;
  let url: string;
  try {
    demo = opts.demo === false ? undefined : await seedDemo(platform.ctx);
    // Measures new or changed since the last start: targeted push to the enterprises they now fit.
    await enqueueMeasureChanges(platform.ctx, platform.sync.version, platform.sync.changed);
    // Lists never built in this database (an upgraded platform): one full run, drained by the job worker.
    await ensureListsBuilt(platform.ctx);
    // Batch runs (publish, large imports, 开始全量匹配) are matched on worker threads, not the request thread.
    useBatchPool(platform.ctx, (rules) => createMatchPool({ rules }));
    worker = startJobs(platform.ctx, {
      log: (line) => platform.app.log.info(line),
      onError: (e) => platform.app.log.error(e),
    });
    await platform.app.listen({ port: config.port, host: config.host });
    // The bound port (port 0 picks a free one).
    const address = platform.app.server.address();
    url = `http://${config.host}:${typeof address === "object" && address ? address.port : config.port}`;
  } catch (e) {
    // Port taken, demo data failed…: close the database so the folder's lock is released.
    await worker?.stop();
    await closeBatchPool(platform.ctx);
    await platform.close();
    throw e;
  }
  const lines = [
    "",
    `惠企平台已启动：${url}`,
    `  数据库：${platform.handle.kind === "pglite" ? `内嵌 PGlite（${config.dataDir}）` : "PostgreSQL（DATABASE_URL）"}`,
    `  规则版本：${platform.ctx.engine.version}（${platform.ctx.engine.measures.length} 项措施）`,
    `  API 文档：${url}/docs    OpenAPI：${url}/openapi.json`,
  ];
  if (demo) {
    lines.push(
      `  演示账户（密码均为 ${DEMO_PASSWORD}${demo.seeded ? `；本次载入 ${demo.applications} 件各状态的申报` : ""}）：`,
    );
    for (const a of demo.staff.filter((s) => s.regionCode === "500113" || s.role === "policyAdmin"))
      lines.push(`    ${a.username.padEnd(28)}${a.displayName}`);
    lines.push(
      "    渝北、开州、武隆同样有 yubei-… / kaizhou-… / wulong-… 开头的经办人、财政局、发展改革委账户",
    );
    for (const e of demo.enterpriseLogins.slice(0, 7)) lines.push(`    ${e.username.padEnd(28)}${e.name}`);
    lines.push(`    …共 ${demo.enterpriseLogins.length} 家企业，用户名 qiye-<编号>`);
  }
  for (const l of lines) print(l);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await worker?.stop();
      await closeBatchPool(platform.ctx);
      await platform.close();
    })();
    return stopping;
  };
  const onSignal = () =>
    void stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return { ...platform, stop };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve(loadConfig()).catch((e: unknown) => {
    process.stderr.write(`启动失败：${(e as Error).message}\n`);
    process.exit(1);
  });
}

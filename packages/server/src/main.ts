/** `npm start`: the platform with the embedded database, the policies and the demo data. */
import { loadConfig } from "./config.ts";
import { DEMO_PASSWORD } from "./demo/accounts.ts";
import { seedDemo } from "./demo/seed.ts";
import { createPlatform } from "./server.ts";

export async function serve(
  overrides: Partial<ReturnType<typeof loadConfig>> = {},
  opts: { demo?: boolean } = {},
) {
  const config = { ...loadConfig(), ...overrides };
  const platform = await createPlatform(config, { logger: true });
  const demo = opts.demo === false ? undefined : await seedDemo(platform.ctx);
  await platform.app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host}:${config.port}`;
  const lines = [
    "",
    `惠企平台已启动：${url}`,
    `  数据库：${platform.handle.kind === "pglite" ? `内嵌 PGlite（${config.dataDir}）` : "PostgreSQL（DATABASE_URL）"}`,
    `  规则版本：${platform.ctx.engine.version}（${platform.ctx.engine.measures.length} 项措施）`,
    `  API 文档：${url}/docs    OpenAPI：${url}/openapi.json`,
  ];
  if (demo) {
    lines.push(`  演示账户（密码均为 ${DEMO_PASSWORD}）：`);
    for (const a of demo.staff.filter((s) => s.regionCode === "500113" || s.role === "policyAdmin"))
      lines.push(`    ${a.username.padEnd(28)}${a.displayName}`);
    lines.push("    （渝北、开州、武隆同样有 yubei-… / kaizhou-… / wulong-… 账户）");
    for (const e of demo.enterpriseLogins.slice(0, 7)) lines.push(`    ${e.username.padEnd(28)}${e.name}`);
    lines.push(`    …共 ${demo.enterpriseLogins.length} 家企业，用户名 qiye-<编号>`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  const stop = async () => {
    await platform.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return platform;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch((e: unknown) => {
    process.stderr.write(`启动失败：${(e as Error).message}\n`);
    process.exit(1);
  });
}

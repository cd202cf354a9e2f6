/** Writes the OpenAPI document to a file (the web app's typed client is generated from it). */
import { writeFileSync } from "node:fs";
import { loadConfig } from "./config.ts";
import { createPlatform } from "./server.ts";

const out = process.argv[2];
if (!out) throw new Error("用法：export-openapi.ts <输出文件>");
const p = await createPlatform(loadConfig({}), { inMemory: true });
await p.app.ready();
writeFileSync(out, `${JSON.stringify(p.app.swagger(), null, 2)}\n`);
await p.close();

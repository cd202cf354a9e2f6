/** Assembles a running platform: database, rules, policy library sync, HTTP app. */
import { compileRules } from "@huiqi/engine";
import type { FastifyInstance } from "fastify";
import { buildApp, type RouteEntry } from "./app.ts";
import { prepareLibrary } from "./authoring/policy-store.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { type DatabaseHandle, openDatabase } from "./db/database.ts";
import { type SyncResult, syncPolicyLibrary } from "./policies/sync-library.ts";

export interface Platform {
  ctx: AppContext;
  app: FastifyInstance & { routeTable: RouteEntry[] };
  handle: DatabaseHandle;
  sync: SyncResult;
  close(): Promise<void>;
}

export async function createPlatform(
  config: Config,
  opts: { logger?: boolean; inMemory?: boolean; now?: () => Date; purpose?: string; webRoot?: string } = {},
): Promise<Platform> {
  // Embedded mode: takes the data folder's exclusive lock first (DataDirLockedError if another process has it).
  const handle = await openDatabase({
    url: config.databaseUrl,
    dataDir: opts.inMemory ? undefined : config.dataDir,
    purpose: opts.purpose ?? "惠企平台",
  });
  let ctx: AppContext;
  let sync: SyncResult;
  let app: Platform["app"];
  try {
    // The published revisions in the database, with the policy folders seeded into them (authoring/policy-store.ts).
    const prepared = await prepareLibrary(handle.db);
    const engine = compileRules(prepared.library.rules);
    const now = opts.now ?? (() => new Date());
    await prepared.commit(now());
    ctx = { db: handle.db, dbKind: handle.kind, config, library: prepared.library, engine, now };
    sync = await syncPolicyLibrary(ctx);
    app = await buildApp(ctx, { logger: opts.logger ?? false, webRoot: opts.webRoot });
  } catch (e) {
    // Releases the folder's lock too.
    await handle.close();
    throw e;
  }
  return {
    ctx,
    app,
    handle,
    sync,
    close: async () => {
      try {
        await app.close();
      } finally {
        await handle.close();
      }
    },
  };
}

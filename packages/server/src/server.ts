/** Assembles a running platform: database, rules, policy library sync, HTTP app. */
import { compileRules } from "@huiqi/engine";
import { loadPolicyLibrary } from "@huiqi/policies";
import type { FastifyInstance } from "fastify";
import { buildApp, type RouteEntry } from "./app.ts";
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
  opts: { logger?: boolean; inMemory?: boolean; now?: () => Date } = {},
): Promise<Platform> {
  const handle = await openDatabase({
    url: config.databaseUrl,
    dataDir: opts.inMemory ? undefined : config.dataDir,
  });
  const library = loadPolicyLibrary();
  const ctx: AppContext = {
    db: handle.db,
    dbKind: handle.kind,
    config,
    library,
    engine: compileRules(library.rules),
    now: opts.now ?? (() => new Date()),
  };
  const sync = await syncPolicyLibrary(ctx);
  const app = await buildApp(ctx, { logger: opts.logger ?? false });
  return {
    ctx,
    app,
    handle,
    sync,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

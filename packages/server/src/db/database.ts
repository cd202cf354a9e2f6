/** One database handle for both modes: embedded PGlite in the data folder, or PostgreSQL through DATABASE_URL. */
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { type DataDirLock, lockDataDir } from "../ops/data-lock.ts";
import { migrate } from "./migrations.ts";
import type { Database } from "./schema.ts";

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: "pglite" | "postgres";
  /** Embedded mode in a folder: the PGlite client (a backup dumps its data folder). */
  pglite?: PGlite;
  close(): Promise<void>;
}

/** Where the embedded database lives inside the data folder. */
export function pgliteDir(dataDir: string): string {
  return join(dataDir, "pglite");
}

// bigint columns come back as strings from pg; keep them exact (money is integer 分).
pg.types.setTypeParser(20, (v: string) => v);

/**
 * `dataDir` undefined with no url: an in-memory PGlite (tests). With a folder, the folder's exclusive lock is
 * taken before PGlite opens it and released on close (ops/data-lock.ts): a second process is refused with
 * DataDirLockedError naming the holder.
 */
export async function openDatabase(opts: {
  url?: string | undefined;
  dataDir?: string | undefined;
  /** What this process is, shown to a process the lock refuses (default "huiqi"). */
  purpose?: string;
  /** Default true; a backup reads the folder as it is. */
  migrate?: boolean;
}): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    // An idle client whose server connection dies (restart, admin termination) is dropped by the pool and
    // replaced on the next query; without a listener the error event would crash the process.
    pool.on("error", () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    handle = { db, kind: "postgres", close: () => db.destroy() };
  } else {
    let client: PGlite;
    let lock: DataDirLock | undefined;
    if (opts.dataDir) {
      lock = await lockDataDir(opts.dataDir, { purpose: opts.purpose ?? "huiqi" });
      try {
        client = new PGlite(pgliteDir(opts.dataDir));
        await client.waitReady;
      } catch (e) {
        await lock.release();
        throw e;
      }
    } else client = new PGlite();
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
    handle = {
      db,
      kind: "pglite",
      ...(opts.dataDir ? { pglite: client } : {}),
      close: async () => {
        try {
          await db.destroy();
          // Kysely closes the client only if it ever ran a query.
          if (!client.closed) await client.close();
        } finally {
          await lock?.release();
        }
      },
    };
  }
  if (opts.migrate !== false)
    try {
      await migrate(handle.db as unknown as Kysely<unknown>);
    } catch (e) {
      await handle.close();
      throw e;
    }
  return handle;
}

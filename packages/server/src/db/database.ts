/** One database handle for both modes: embedded PGlite in the data folder, or PostgreSQL through DATABASE_URL. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { migrate } from "./migrations.ts";
import type { Database } from "./schema.ts";

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

// bigint columns come back as strings from pg; keep them exact (money is integer 分).
pg.types.setTypeParser(20, (v: string) => v);

/** `dataDir` undefined with no url: an in-memory PGlite (tests). */
export async function openDatabase(opts: {
  url?: string | undefined;
  dataDir?: string | undefined;
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
    if (opts.dataDir) {
      mkdirSync(opts.dataDir, { recursive: true });
      client = new PGlite(join(opts.dataDir, "pglite"));
    } else client = new PGlite();
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
    handle = { db, kind: "pglite", close: () => db.destroy() };
  }
  await migrate(handle.db as unknown as Kysely<unknown>);
  return handle;
}

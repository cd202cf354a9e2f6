/** What every use case receives: the database, the compiled rules, the configuration. */
import type { Engine } from "@huiqi/engine";
import type { PolicyLibrary } from "@huiqi/policies";
import type { Kysely } from "kysely";
import type { Config } from "./config.ts";
import type { Database, Role } from "./db/schema.ts";

export interface AppContext {
  db: Kysely<Database>;
  dbKind: "pglite" | "postgres";
  config: Config;
  library: PolicyLibrary;
  engine: Engine;
  /** Clock, injectable for tests (public notice periods, reminders). */
  now: () => Date;
}

export interface Actor {
  id: string;
  role: Role;
  username: string;
  displayName: string;
  department: string | null;
  regionCode: string | null;
  enterpriseId: string | null;
}

/**
 * One writer per data folder. The embedded database (PGlite) has no locking of its own: a second process
 * that opens a folder another process holds corrupts it (tried: the folder no longer opened). So every
 * process that opens `<dataDir>/pglite` first takes an exclusive lock on the folder with proper-lockfile
 * (an atomic `mkdir` of `<dataDir>/huiqi.lock`, its mtime refreshed while held, removed on close and on
 * process exit) and keeps it for as long as the database is open.
 *
 * The holder is described in `<dataDir>/huiqi.lock.json` (pid, host, command, since), so a refused process
 * can name it. A holder killed with SIGKILL leaves its lock behind: when that file names a process that no
 * longer exists on this host the lock is taken over at once; otherwise proper-lockfile's staleness rule
 * (mtime older than STALE_MS) applies. Taking a lock, and removing a dead holder's, happens under a short
 * second lock (`huiqi.lock.gate`), so the lock and its holder file always change together and two starters
 * cannot both take over the same dead holder.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import lockfile from "proper-lockfile";

export const LOCK_DIR = "huiqi.lock";
export const LOCK_HOLDER_FILE = "huiqi.lock.json";
const GATE_DIR = "huiqi.lock.gate";

/** A live holder refreshes the lock every UPDATE_MS; older than STALE_MS, anyone may take it over. */
const STALE_MS = 30_000;
const UPDATE_MS = 2_000;
/** The gate is held for milliseconds; one left by a crash is taken over after GATE_STALE_MS. */
const GATE_STALE_MS = 5_000;

export interface LockHolder {
  pid: number;
  hostname: string;
  /** What the holder is doing, e.g. "huiqi serve". */
  purpose: string;
  since: string;
  token: string;
}

/** The data folder is in use by another process (or by this one, opened twice). */
export class DataDirLockedError extends Error {
  readonly code = "DATA_DIR_LOCKED";
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder
      ? `另一个惠企进程（pid ${holder.pid}${holder.hostname !== hostname() ? `，主机 ${holder.hostname}` : ""}，${holder.purpose}，${holder.since} 起）`
      : `另一个惠企进程（pid 未知：锁目录 ${join(dataDir, LOCK_DIR)} 存在但没有进程信息，${Math.round(STALE_MS / 1000)} 秒内无人刷新即可接管）`;
    super(
      `数据目录「${dataDir}」正被${who}使用。内嵌数据库同一时间只能由一个进程打开：` +
        `请先停止该进程${holder ? `（kill ${holder.pid}）` : ""}再试；需要多个进程同时访问请改用 PostgreSQL（--database-url）`,
    );
    this.name = "DataDirLockedError";
  }
}

export interface DataDirLock {
  dataDir: string;
  /** Idempotent. */
  release(): Promise<void>;
}

export interface LockOptions {
  purpose: string;
  /** Called if the lock is lost while held (removed by hand, or the process stalled past STALE_MS and
   * another process took it over). Default: print why and exit with code 1 — writing on would corrupt. */
  onCompromised?: (message: string) => void;
}

function isCode(e: unknown, code: string): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === code;
}

function readHolder(dataDir: string): LockHolder | undefined {
  try {
    const v = JSON.parse(readFileSync(join(dataDir, LOCK_HOLDER_FILE), "utf8")) as Partial<LockHolder>;
    if (typeof v.pid !== "number" || typeof v.hostname !== "string") return undefined;
    return {
      pid: v.pid,
      hostname: v.hostname,
      purpose: typeof v.purpose === "string" ? v.purpose : "未知命令",
      since: typeof v.since === "string" ? v.since : "时间未知",
      token: typeof v.token === "string" ? v.token : "",
    };
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return !isCode(e, "ESRCH");
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes the folder's lock or throws DataDirLockedError naming the holder. Creates the folder if needed. */
export async function lockDataDir(dir: string, opts: LockOptions): Promise<DataDirLock> {
  const dataDir = resolve(dir);
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, LOCK_DIR);
  const holderPath = join(dataDir, LOCK_HOLDER_FILE);
  const token = randomUUID();
  const onCompromised = (e: Error) => {
    const message = `数据目录「${dataDir}」的独占锁已失去（${e.message}）：为免两个进程同时写入，本进程停止`;
    if (opts.onCompromised) opts.onCompromised(message);
    else {
      process.stderr.write(`${message}\n`);
      process.exit(1);
    }
  };
  const takeMain = () =>
    lockfile.lock(join(dataDir, "huiqi"), {
      lockfilePath: lockPath,
      realpath: false,
      stale: STALE_MS,
      update: UPDATE_MS,
      onCompromised,
    });

  let releaseGate: () => Promise<void>;
  try {
    releaseGate = await lockfile.lock(join(dataDir, "huiqi-gate"), {
      lockfilePath: join(dataDir, GATE_DIR),
      realpath: false,
      stale: GATE_STALE_MS,
      // Another starter holds the gate for milliseconds; one killed inside it is taken over when stale.
      retries: { retries: 60, factor: 1.2, minTimeout: 50, maxTimeout: 250 },
    });
  } catch (e) {
    if (isCode(e, "ELOCKED")) throw new DataDirLockedError(dataDir, readHolder(dataDir));
    throw e;
  }
  try {
    let releaseMain: (() => Promise<void>) | undefined;
    // A releasing holder removes its holder file just before its lock: look again a few times.
    for (let attempt = 0; !releaseMain; attempt++) {
      try {
        releaseMain = await takeMain();
      } catch (e) {
        if (!isCode(e, "ELOCKED")) throw e;
        const holder = readHolder(dataDir);
        if (attempt >= 10) throw new DataDirLockedError(dataDir, holder);
        if (holder && holder.hostname === hostname() && !processExists(holder.pid)) {
          // Killed without releasing (SIGKILL, power loss): no process can be writing.
          rmSync(lockPath, { recursive: true, force: true });
          continue;
        }
        if (holder) throw new DataDirLockedError(dataDir, holder);
        await sleep(50);
      }
    }
    const holder: LockHolder = {
      pid: process.pid,
      hostname: hostname(),
      purpose: opts.purpose,
      since: new Date().toISOString(),
      token,
    };
    const tmp = `${holderPath}.${token}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(holder, null, 2)}\n`);
    renameSync(tmp, holderPath);
    const main = releaseMain;
    let released = false;
    return {
      dataDir,
      release: async () => {
        if (released) return;
        released = true;
        if (readHolder(dataDir)?.token === token) rmSync(holderPath, { force: true });
        try {
          await main();
        } catch (e) {
          // Already lost (compromised) or removed by hand: nothing left to release.
          if (!isCode(e, "ERELEASED") && !isCode(e, "ENOTACQUIRED")) throw e;
        }
      },
    };
  } finally {
    await releaseGate();
  }
}

/** The holder of a folder's lock, if any (for messages; not a check that the folder is free). */
export function dataDirHolder(dir: string): LockHolder | undefined {
  return readHolder(resolve(dir));
}

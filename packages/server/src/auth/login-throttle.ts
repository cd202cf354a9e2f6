/**
 * Login throttling, two independent limits, both counting failed logins only:
 *
 * - per account (the username typed, whether or not it exists, so the answer never tells): the first
 *   ACCOUNT_FREE_FAILURES consecutive failures are free; after that each attempt must wait
 *   30 s · 2^(n − 5) after the n-th failure (30 s, 1 min, 2 min, 4 min, 8 min, then 15 min at most).
 *   A successful login clears the count; a count with no failure for 24 hours is forgotten.
 * - per client address (req.ip, see HUIQI_TRUST_PROXY): at most IP_MAX_FAILURES failed logins in any
 *   IP_WINDOW_MS; against password spraying across many usernames from one address. Successful logins do
 *   not count, so an office behind one NAT address can sign everyone in.
 *
 * Kept in memory, per process: one server process owns a data folder, and the general request rate limit
 * (@fastify/rate-limit) is in memory too. A failed login then costs no database write (an attacker cannot
 * turn guessing into write load), and nothing personal is stored beyond the typed username for at most a day.
 * The price: a restart clears the counts, and several instances on one PostgreSQL count separately.
 * Both maps are bounded (MAX_KEYS, oldest entries dropped first).
 *
 * Every attempt is counted as a failure before the password is checked and given back if it succeeds, so
 * parallel guesses cannot all slip in before the first failures are recorded.
 */

export const ACCOUNT_FREE_FAILURES = 4;
export const ACCOUNT_BASE_DELAY_MS = 30_000;
export const ACCOUNT_MAX_DELAY_MS = 15 * 60_000;
export const ACCOUNT_FORGET_MS = 24 * 3600_000;
export const IP_MAX_FAILURES = 20;
export const IP_WINDOW_MS = 10 * 60_000;
const MAX_KEYS = 10_000;

/** How long to wait after the n-th consecutive failure before the next attempt (0: no wait). */
export function accountDelayMs(failures: number): number {
  if (failures <= ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(ACCOUNT_BASE_DELAY_MS * 2 ** (failures - ACCOUNT_FREE_FAILURES - 1), ACCOUNT_MAX_DELAY_MS);
}

export interface Blocked {
  scope: "account" | "ip";
  retryAfterSeconds: number;
}

export interface Attempt {
  ip: string;
  username: string;
  at: number;
}

function touch<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  if (map.size >= MAX_KEYS) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

export class LoginThrottle {
  private readonly accounts = new Map<string, { failures: number; last: number }>();
  private readonly ips = new Map<string, number[]>();

  constructor(private readonly now: () => Date) {}

  /**
   * Starts an attempt: either the reason it must wait, or the attempt, already counted as a failure
   * (give it back with succeeded()).
   */
  begin(ip: string, username: string): Blocked | Attempt {
    const at = this.now().getTime();
    const recent = (this.ips.get(ip) ?? []).filter((t) => t > at - IP_WINDOW_MS && t <= at);
    if (recent.length >= IP_MAX_FAILURES) {
      const wait = (recent[0] as number) + IP_WINDOW_MS - at;
      return { scope: "ip", retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
    }
    let account = this.accounts.get(username);
    if (account && at - account.last > ACCOUNT_FORGET_MS) account = undefined;
    if (account) {
      const wait = account.last + accountDelayMs(account.failures) - at;
      if (wait > 0) return { scope: "account", retryAfterSeconds: Math.ceil(wait / 1000) };
    }
    touch(this.ips, ip, [...recent, at]);
    touch(this.accounts, username, { failures: (account?.failures ?? 0) + 1, last: at });
    return { ip, username, at };
  }

  /** The attempt succeeded: the account's count is cleared and the address's failure given back. */
  succeeded(a: Attempt): void {
    this.accounts.delete(a.username);
    const times = this.ips.get(a.ip);
    const i = times?.lastIndexOf(a.at) ?? -1;
    if (times && i >= 0) times.splice(i, 1);
  }
}

export function isBlocked(r: Blocked | Attempt): r is Blocked {
  return "scope" in r;
}

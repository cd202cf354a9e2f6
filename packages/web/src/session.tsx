/**
 * The signed-in account (GET /api/auth/me), its permissions, and the policy date (as-of date) the user views.
 *
 * The as-of date lives in the URL (`?asOf=YYYY-MM-DD`), so a reload or a shared link shows the same date;
 * without it the date is today in Chongqing. Moving between the pages that depend on it (政策计算器 and 措施详情)
 * carries it along, so opening a measure from a historical calculator shows the same day.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useLayoutEffect,
  useMemo,
  useRef,
} from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { api, ok, setCsrfToken } from "./api/client";
import { isAsOfPage, parseAsOf } from "./components/asOfDate";
import { today } from "./dates";

type Me = NonNullable<Awaited<ReturnType<typeof fetchMe>>>;

async function fetchMe() {
  const s = await ok(api.GET("/api/auth/session"));
  if (!s.signedIn) return null;
  setCsrfToken(s.csrfToken);
  return s;
}

interface SessionValue {
  me: Me | null;
  loading: boolean;
  can: (action: string) => boolean;
  refresh: () => Promise<void>;
  /** The policy date pages compute with: `?asOf=` when valid, else today (Chongqing). */
  asOf: string;
  /** The date given in the URL, or null (pages with another default than today use it). */
  asOfInUrl: string | null;
  /**
   * Shows another date: written to `?asOf=` (replacing the history entry); dropped from the URL when it
   * equals the page's default (`defaultDate`, today unless given).
   */
  setAsOf: (d: string, defaultDate?: string) => void;
}

const Ctx = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ["me"], queryFn: fetchMe, retry: false });
  const loc = useLocation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const asOfInUrl = parseAsOf(params.get("asOf"));
  // Arriving at an as-of page without a date from another as-of page that had one: keep that date (read
  // during render so the page's first query already uses it, then written to the URL below).
  const prev = useRef<{ key: string; path: string; asOf: string | null } | null>(null);
  const p = prev.current;
  const carried =
    !asOfInUrl &&
    p &&
    p.key !== loc.key &&
    p.path !== loc.pathname &&
    isAsOfPage(p.path) &&
    isAsOfPage(loc.pathname)
      ? p.asOf
      : null;
  const asOf = asOfInUrl ?? carried ?? today();
  useLayoutEffect(() => {
    prev.current = { key: loc.key, path: loc.pathname, asOf: asOfInUrl ?? carried };
    if (carried) {
      const next = new URLSearchParams(loc.search);
      next.set("asOf", carried);
      navigate(
        { pathname: loc.pathname, search: `?${next}`, hash: loc.hash },
        { replace: true, state: loc.state },
      );
    }
  }, [loc, asOfInUrl, carried, navigate]);
  const setAsOf = useCallback(
    (d: string, defaultDate?: string) =>
      setParams(
        (cur) => {
          const next = new URLSearchParams(cur);
          if (d === (defaultDate ?? today())) next.delete("asOf");
          else next.set("asOf", d);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const value = useMemo<SessionValue>(
    () => ({
      me: q.data ?? null,
      loading: q.isLoading,
      can: (action) => Boolean(q.data?.permissions.includes(action)),
      refresh: async () => {
        await qc.invalidateQueries();
      },
      asOf,
      asOfInUrl,
      setAsOf,
    }),
    [q.data, q.isLoading, qc, asOf, asOfInUrl, setAsOf],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(Ctx);
  if (!v) throw new Error("SessionProvider missing");
  return v;
}

export { isAsOfPage, parseAsOf };

export const ROLE_LABELS: Record<string, string> = {
  enterprise: "企业用户",
  officer: "牵头单位经办人",
  finance: "财政局",
  coordinator: "区发展改革委",
  policyAdmin: "政策管理员",
};

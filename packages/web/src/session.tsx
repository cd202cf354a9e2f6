/** The signed-in account (GET /api/auth/me), its permissions, and the policy year (as-of date) the user views. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useMemo, useState } from "react";
import { api, ok, setCsrfToken } from "./api/client";
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
  asOf: string;
  setAsOf: (d: string) => void;
}

const Ctx = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ["me"], queryFn: fetchMe, retry: false });
  const [asOf, setAsOf] = useState(() => today());
  const value = useMemo<SessionValue>(
    () => ({
      me: q.data ?? null,
      loading: q.isLoading,
      can: (action) => Boolean(q.data?.permissions.includes(action)),
      refresh: async () => {
        await qc.invalidateQueries();
      },
      asOf,
      setAsOf,
    }),
    [q.data, q.isLoading, qc, asOf],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(Ctx);
  if (!v) throw new Error("SessionProvider missing");
  return v;
}

export const ROLE_LABELS: Record<string, string> = {
  enterprise: "企业用户",
  officer: "牵头单位经办人",
  finance: "财政局",
  coordinator: "区发展改革委",
  policyAdmin: "政策管理员",
};

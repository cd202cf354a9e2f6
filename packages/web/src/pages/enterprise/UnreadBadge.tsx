/**
 * The unread count of the enterprise's notifications, for the shell's menu (消息通知 with a badge). Small on
 * purpose: the shell imports it eagerly, the inbox page itself stays a lazy chunk. Refreshes every minute and
 * whenever the inbox invalidates ["notifications"].
 */
import { useQuery } from "@tanstack/react-query";
import { Badge } from "antd";
import { api, ok } from "../../api/client";
import { useSession } from "../../session";

export function useUnreadCount(): number {
  const { me } = useSession();
  const q = useQuery({
    queryKey: ["notifications", "unread"],
    queryFn: () => ok(api.GET("/api/notifications", { params: { query: { limit: 1, unread: "true" } } })),
    enabled: me?.actor.role === "enterprise",
    // Stop polling once a request fails (an expired session answers 401 until the user signs in again).
    refetchInterval: (query) => (query.state.status === "error" ? false : 60_000),
    retry: false,
    staleTime: 15_000,
  });
  return q.data?.unreadCount ?? 0;
}

/** "消息通知" with the unread count beside it (nothing when all are read). */
export function NotificationsMenuLabel({ label = "消息通知" }: { label?: string }) {
  const n = useUnreadCount();
  return (
    <span>
      {label}
      {n > 0 && (
        <Badge
          count={n}
          overflowCount={99}
          color="#c8102e"
          style={{ marginInlineStart: 8, boxShadow: "none" }}
          title={`未读通知 ${n} 条`}
        />
      )}
    </span>
  );
}

/**
 * True on phone-width screens (below antd's `md` breakpoint, 768 px): the shell swaps its side menu for a
 * drawer and tables become cards. Read synchronously from matchMedia, so the first render is already right.
 */
import { useSyncExternalStore } from "react";

const QUERY = "(max-width: 767.98px)";

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia(QUERY);
  mq.addEventListener("change", onChange);
  return () => mq.removeEventListener("change", onChange);
}

export function useNarrow(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(QUERY).matches,
    () => false,
  );
}

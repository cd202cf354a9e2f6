/** Measure ids flagged 免申即享 (GET /api/exemption/flags, public): for tags on the library and measure pages. */
import { useQuery } from "@tanstack/react-query";
import { api, ok } from "../api/client";
import { ExemptionTag } from "./ApplicationTags";

export function useExemptionFlags(): Set<string> {
  const q = useQuery({
    queryKey: ["exemption", "flags"],
    queryFn: () => ok(api.GET("/api/exemption/flags")),
    staleTime: 60_000,
  });
  return new Set((q.data?.items ?? []).map((f) => f.measureId));
}

/** The 免申即享 tag when the measure is flagged; nothing otherwise. */
export function ExemptionFlag({ measureId }: { measureId: string }) {
  const flags = useExemptionFlags();
  return flags.has(measureId) ? (
    <ExemptionTag title="免申即享：由牵头单位依据部门数据确认兑现，符合条件的企业无需申请" />
  ) : null;
}

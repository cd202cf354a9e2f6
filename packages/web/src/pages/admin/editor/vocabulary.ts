/** The fact vocabulary and departments the editor offers: the shared vocabulary (GET /api/rules) plus the document's facts.yaml. */
import type { FactDefinition, FactType } from "@huiqi/engine";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, ok } from "../../../api/client";
import { readFacts } from "./yamlText";

interface RulesPayload {
  vocabulary: { facts: FactDefinition[] };
  departments: Record<string, string>;
}

export const TYPE_LABEL: Record<FactType, string> = {
  boolean: "是/否",
  integer: "整数",
  money: "金额",
  ratio: "比例",
  year: "年份",
  date: "日期",
  enum: "选项",
  string: "文字",
  stringList: "文字列表",
  list: "清单（多条记录）",
};

export interface Vocabulary {
  facts: FactDefinition[];
  byId: Map<string, FactDefinition>;
  departments: Record<string, string>;
  loading: boolean;
}

/** Shared facts first, then this document's own (which may be new, not yet in the published library). */
export function useVocabulary(factsYaml: string | undefined): Vocabulary {
  const q = useQuery({
    queryKey: ["editor-rules"],
    queryFn: async () => (await ok(api.GET("/api/rules"))) as unknown as RulesPayload,
    staleTime: 5 * 60_000,
  });
  return useMemo(() => {
    const byId = new Map<string, FactDefinition>();
    for (const f of q.data?.vocabulary.facts ?? []) if (!f.identity) byId.set(f.id, f);
    for (const f of readFacts(factsYaml))
      if (typeof f.id === "string" && typeof f.label === "string")
        byId.set(f.id, f as unknown as FactDefinition);
    return {
      facts: [...byId.values()],
      byId,
      departments: q.data?.departments ?? {},
      loading: q.isLoading,
    };
  }, [q.data, q.isLoading, factsYaml]);
}

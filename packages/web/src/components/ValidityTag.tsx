/** The validity of a measure or document as of the user's policy date: expired ones say so, never vanish. */
import { Tag } from "antd";
import type { CSSProperties, ReactNode } from "react";
import { periodText, validityOn } from "./policy";

/** Tag colours with AA contrast (antd's preset tag colours are too light for axe's colour-contrast rule). */
export const TAG_TONES: Record<string, CSSProperties> = {
  green: { color: "#135200", background: "#f6ffed", borderColor: "#95de64" },
  grey: { color: "#434343", background: "#f5f5f5", borderColor: "#bfbfbf" },
  orange: { color: "#873800", background: "#fff7e6", borderColor: "#ffc069" },
  red: { color: "#820014", background: "#fff1f0", borderColor: "#ffa39e" },
  blue: { color: "#002c8c", background: "#e6f4ff", borderColor: "#91caff" },
  purple: { color: "#22075e", background: "#f9f0ff", borderColor: "#d3adf7" },
};

export function ToneTag({ tone, children }: { tone: keyof typeof TAG_TONES | string; children: ReactNode }) {
  return <Tag style={TAG_TONES[tone] ?? TAG_TONES.grey}>{children}</Tag>;
}

export function ValidityTag(props: { asOf: string; validFrom: string; validUntil?: string | null }) {
  const v = validityOn(props.asOf, props.validFrom, props.validUntil);
  return (
    <span>
      <span>{periodText(props.validFrom, props.validUntil)}</span>{" "}
      {v === "expired" ? (
        <ToneTag tone="grey">已过执行期限</ToneTag>
      ) : v === "notYet" ? (
        <ToneTag tone="orange">尚未施行</ToneTag>
      ) : (
        <ToneTag tone="green">执行期内</ToneTag>
      )}
    </span>
  );
}

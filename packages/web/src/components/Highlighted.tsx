/** Renders server text whose hits are marked 【like this】 with <mark>. */
import type { ReactNode } from "react";

export function Highlighted({
  text,
  open = "【",
  close = "】",
}: {
  text: string;
  open?: string;
  close?: string;
}) {
  const out: ReactNode[] = [];
  let rest = text;
  let k = 0;
  while (rest.length > 0) {
    const a = rest.indexOf(open);
    const b = a >= 0 ? rest.indexOf(close, a + open.length) : -1;
    if (a < 0 || b < 0) {
      out.push(rest);
      break;
    }
    if (a > 0) out.push(rest.slice(0, a));
    out.push(<mark key={k++}>{rest.slice(a + open.length, b)}</mark>);
    rest = rest.slice(b + close.length);
  }
  return <>{out}</>;
}

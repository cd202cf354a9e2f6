/**
 * The engine's explanation as the engine's one renderer words it (the CLI prints the same lines): each
 * requirement ✔／✘／？ with the actual values and the quoted text, each amount with its calculation, list
 * records one by one. Alternatives that do not apply (other tiers, other cases, records that do not count)
 * are folded behind one toggle. Used by the measure page and the officer's review page.
 */
import {
  type AmountExplanation,
  type ExplanationNode,
  type Glossary,
  type MeasureExplanation,
  makeGlossary,
  type RenderedLine,
  renderExplanation,
} from "@huiqi/engine";
import { Button, Spin, Typography } from "antd";
import { useMemo, useState } from "react";
import { useRules } from "./common";

const MUTED = "#595959";

/** The glossary (fact labels, regions, departments, measures) of the rule set the browser has loaded. */
export function useGlossary(): Glossary | undefined {
  const { compiled } = useRules();
  return useMemo(() => (compiled ? makeGlossary(compiled.rules) : undefined), [compiled]);
}

function Mark({ mark }: { mark: RenderedLine["mark"] }) {
  if (!mark) return null;
  const [sym, color, label] =
    mark === "yes"
      ? ["✔", "#237804", "满足"]
      : mark === "no"
        ? ["✘", "#cf1322", "不满足"]
        : ["？", "#d46b08", "待确认"];
  return (
    <span role="img" aria-label={label} title={label} style={{ color, fontWeight: 700, marginRight: 6 }}>
      {sym}
    </span>
  );
}

function Line({ line }: { line: RenderedLine }) {
  return (
    <li style={{ margin: "6px 0" }}>
      <Mark mark={line.mark} />
      {line.amount && <b style={{ marginRight: 6, whiteSpace: "nowrap" }}>{line.amount}</b>}
      <span>{line.text}</span>
      {line.applied === true && line.amount && (
        <span style={{ marginLeft: 6, fontSize: 12, color: "#237804" }}>（适用）</span>
      )}
      {line.details?.map((d) => (
        <div key={d} style={{ fontSize: 12, color: MUTED }}>
          {d}
        </div>
      ))}
      {line.quote && (
        <div style={{ fontSize: 12, color: MUTED, borderLeft: "3px solid #eee", paddingLeft: 6 }}>
          原文：「{line.quote}」
        </div>
      )}
      {line.children && <Lines lines={line.children} />}
    </li>
  );
}

/** Sub-lines; the folded ones (not applying, not counting) behind one toggle. */
export function Lines({ lines }: { lines: RenderedLine[] }) {
  const [open, setOpen] = useState(false);
  const shown = lines.filter((l) => !l.collapsed);
  const folded = lines.filter((l) => l.collapsed);
  return (
    <ul style={{ paddingLeft: 18, listStyle: "none", margin: 0 }}>
      {(open ? lines : shown).map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rendered lines are positional, never reordered
        <Line key={i} line={l} />
      ))}
      {folded.length > 0 && (
        <li>
          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(!open)}>
            {open ? "收起不适用的项" : `显示其余 ${folded.length} 项（不适用或不计入）`}
          </Button>
        </li>
      )}
    </ul>
  );
}

/**
 * One explanation. `header`: also the outcome, citation and departments (the review page; the measure
 * page shows those in its own cards). `notes`: also the reading notes.
 */
export function Explanation({
  ex,
  header = false,
  notes = false,
}: {
  ex: MeasureExplanation;
  header?: boolean;
  notes?: boolean;
}) {
  const g = useGlossary();
  const r = useMemo(() => (g ? renderExplanation(ex, g) : undefined), [ex, g]);
  if (!r)
    return (
      <span role="status" aria-label="正在载入规则">
        <Spin size="small" />
      </span>
    );
  return (
    <div>
      {header && (
        <Typography.Paragraph style={{ color: MUTED, fontSize: 12 }}>
          依据：{r.citation}
          {r.departments ? `；${r.departments}` : ""}
        </Typography.Paragraph>
      )}
      <div style={{ marginLeft: -18 }}>
        <Lines lines={r.checks} />
      </div>
      {r.amount && (
        <>
          <Typography.Title level={4} style={{ fontSize: 15, marginTop: 12 }}>
            金额测算：{r.amount.total}
          </Typography.Title>
          <div style={{ marginLeft: -18 }}>
            <Lines lines={r.amount.lines} />
          </div>
        </>
      )}
      {notes && r.notes.length > 0 && (
        <>
          <Typography.Title level={4} style={{ fontSize: 15, marginTop: 12 }}>
            口径说明
          </Typography.Title>
          <ul style={{ paddingLeft: 18 }}>
            {r.notes.map((n) => (
              <li key={n.topic}>
                {n.topic}：{n.reading}
                <div style={{ fontSize: 12, color: MUTED }}>原文：「{n.quote}」</div>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** Every fact key (id or id:year) the explanation read. */
export function factKeysOf(ex: MeasureExplanation | undefined): string[] {
  const keys = new Set<string>();
  const cond = (n: ExplanationNode | null | undefined) => {
    if (!n) return;
    for (const f of n.facts ?? []) keys.add(f.key);
    for (const c of n.children ?? []) cond(c);
  };
  const amt = (n: AmountExplanation | null | undefined) => {
    if (!n) return;
    for (const f of n.facts ?? []) keys.add(f.key);
    for (const c of n.conditions ?? []) cond(c);
    for (const c of n.children ?? []) amt(c);
  };
  cond(ex?.eligibility);
  amt(ex?.amount);
  return [...keys];
}

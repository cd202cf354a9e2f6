/** The engine's one explanation renderer, as the CLI prints it: `huiqi explain` and the reasons in `huiqi match`. */
import {
  type Engine,
  explanationText,
  factKeyLabel,
  failureText,
  type Glossary,
  type MeasureExplanation,
  type MeasureResult,
  makeGlossary,
  renderExplanation,
} from "@huiqi/engine";

const glossaries = new WeakMap<Engine, Glossary>();

export function glossaryOf(engine: Engine): Glossary {
  let g = glossaries.get(engine);
  if (!g) {
    g = makeGlossary(engine.rules);
    glossaries.set(engine, g);
  }
  return g;
}

/** `huiqi explain`: the rendered explanation as text. */
export function explainText(e: MeasureExplanation, engine: Engine): string {
  return explanationText(renderExplanation(e, glossaryOf(engine)));
}

/** Why a measure is ruled out, in words (from its explanation when the result carries one). */
export function reasonText(r: MeasureResult, engine: Engine): string {
  const rendered = r.explanation ? failureText(r.explanation, glossaryOf(engine)) : undefined;
  return rendered ?? r.reason ?? "";
}

/** The facts still to answer, by name: "2023年研发费用（申报额）、项目『二期』的投资进度". */
export function missingText(keys: string[], engine: Engine): string {
  const g = glossaryOf(engine);
  return [...new Set(keys.map((k) => factKeyLabel(k, g)))].join("、");
}

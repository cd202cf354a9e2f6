/**
 * The profile wizard's question plan: what to ask an enterprise, in the browser with the same engine.
 *
 * 1. Basics first (`basicKeys`): industry, size (employees, revenue, 规上) and R&D expense of the last two
 *    years — they decide many measures and the 大中小微 class, so they are asked before anything else.
 * 2. Then the engine's question planning (money at stake), over the published measures only, and only about
 *    measures that can still apply to this enterprise:
 *    - its region and the policy date (other districts' documents, expired measures: never asked about);
 *    - its industry: facts that only exist in some industries (新获批的医药产品, 软件产品, CRO 服务收入,
 *      食品经营…) are taken as "no" *for planning only* when the enterprise's industry code is known and lies
 *      outside them, so measures that need them fall away instead of asking a battery maker about drugs.
 *      Nothing is saved; the enterprise can still fill such a fact with 「填写其他事实」.
 */
import { type Engine, type Facts, parseItemFieldKey, type Question } from "@huiqi/engine";

/** The basics step: fact keys for the policy year (the year before the policy date, and the one before). */
export function basicKeys(asOf: string): string[] {
  const y = Number(asOf.slice(0, 4)) - 1;
  return ["industryCode", "employees", `revenue:${y}`, "aboveScale", `rdExpense:${y}`, `rdExpense:${y - 1}`];
}

interface Sector {
  /** Shown in "已略过…类问题". */
  name: string;
  /** GB/T 4754-2017 code prefixes of the industries where these facts can be true. */
  industries: string[];
  /** A declared flag that puts the enterprise in the sector whatever its code. */
  flag?: string;
  /** The facts, with the "no" assumed for planning elsewhere. */
  facts: Record<string, unknown>;
  /** Facts only asked once the sector's own facts are answered (never assumed, only left out of lists). */
  related?: string[];
}

export const SECTORS: Sector[] = [
  {
    name: "医药",
    industries: ["C27", "C358", "M73"],
    facts: { cqPharmaApprovals: [], cqBiomedServicePlatform: false },
    related: ["cqBiomedServiceRevenue"],
  },
  {
    name: "软件",
    industries: ["I63", "I64", "I65"],
    flag: "softwareEnterprise",
    facts: {
      cqKeyIndustrialSoftwareProduct: false,
      cqKeyInfoSecuritySoftwareProduct: false,
      cqFirstVersionSoftwareProduct: false,
      cqSoftwarePublicServicePlatform: false,
      cqSoftwareKeyTechProject: false,
    },
  },
  {
    name: "食品",
    industries: ["C13", "C14", "C15", "F51", "F52", "H62"],
    facts: { foodBusiness: false },
  },
];

/** The sectors the enterprise is known to be outside of (none when its industry code is unknown). */
export function sectorsOutside(profile: Facts): Sector[] {
  const code = typeof profile.industryCode === "string" ? profile.industryCode : "";
  if (!code) return [];
  return SECTORS.filter(
    (s) => !s.industries.some((p) => code.startsWith(p)) && !(s.flag && profile[s.flag] === true),
  );
}

/** Facts about industries the enterprise is known to be outside of: lists of questions leave them out. */
export function otherIndustryFacts(profile: Facts): Set<string> {
  return new Set(sectorsOutside(profile).flatMap((s) => [...Object.keys(s.facts), ...(s.related ?? [])]));
}

/** The profile with the planning-only "no" answers for other industries' facts the enterprise left unknown. */
export function planningProfile(profile: Facts, engine: Pick<Engine, "facts">): Facts {
  const out: Facts = { ...profile };
  for (const s of sectorsOutside(profile))
    for (const [id, v] of Object.entries(s.facts))
      if (engine.facts.has(id) && out[id] === undefined) out[id] = v;
  return out;
}

/** Can the measure apply to an enterprise of this region on this date (document region, validity)? */
export function measureCanApply(engine: Engine, measureId: string, region: string, asOf: string): boolean {
  const m = engine.byId.get(measureId);
  if (!m || !engine.isInForce(m, asOf)) return false;
  return m.regionExact ? region === m.regionPrefix : region.startsWith(m.regionPrefix);
}

export interface Plan {
  questions: Question[];
  /** Questions left out as other industries' (how many, and which industries they were about). */
  skipped: { count: number; sectors: string[] };
}

/**
 * The questions after the basics, ranked by money at stake. `profile` is validated (derived facts added);
 * `published` limits planning to the measures the server matches (unpublished measures take no part).
 */
export function planQuestions(
  engine: Engine,
  profile: Facts,
  asOf: string,
  published: readonly string[],
): Plan {
  const region = typeof profile.regionCode === "string" ? profile.regionCode : "";
  const measures = published.filter((id) => measureCanApply(engine, id, region, asOf));
  const basics = new Set(basicKeys(asOf));
  const plan = (f: Facts) =>
    engine
      .planQuestions(engine.evaluate(f, { asOf, measures }).results, 500)
      .filter((q) => !basics.has(q.fact));
  const questions = plan(planningProfile(profile, engine));
  const outside = sectorsOutside(profile);
  if (outside.length === 0) return { questions, skipped: { count: 0, sectors: [] } };
  const asked = new Set(questions.map((q) => q.fact));
  const dropped = plan(profile).filter((q) => !asked.has(q.fact));
  const factIds = new Set(dropped.map((q) => parseItemFieldKey(q.fact)?.list ?? q.factId));
  return {
    questions,
    skipped: {
      count: dropped.length,
      sectors: outside.filter((s) => Object.keys(s.facts).some((id) => factIds.has(id))).map((s) => s.name),
    },
  };
}

/**
 * Keeps the questions in the order they were first shown: answering some must not reshuffle the rest.
 * Known keys keep their place (answered ones drop out), new ones are appended in plan order.
 */
export function stableOrder(previous: readonly string[], plan: readonly Question[]): Question[] {
  const byKey = new Map(plan.map((q) => [q.fact, q]));
  const kept = previous.filter((k) => byKey.has(k));
  const seen = new Set(kept);
  const order = [...kept, ...plan.map((q) => q.fact).filter((k) => !seen.has(k))];
  return order.map((k) => byKey.get(k) as Question);
}

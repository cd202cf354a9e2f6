/**
 * The anonymous calculator's answers, kept only in this browser (localStorage): a partial enterprise profile
 * in the shape of PUT /api/enterprises/{id}/facts (money in 元, per-year facts as {"2024": 数值}). Written into
 * the new enterprise's profile on registration, then cleared.
 */
import type { Facts } from "@huiqi/engine";

export const ANSWERS_KEY = "huiqi.calculator.answers";

interface Stored {
  v: 1;
  facts: Facts;
  savedAt: string;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The saved answers ({} when none, or when the stored text is not ours). */
export function loadAnswers(): Facts {
  try {
    const raw = window.localStorage.getItem(ANSWERS_KEY);
    if (!raw) return {};
    const parsed: unknown = JSON.parse(raw);
    if (!isPlainObject(parsed) || parsed.v !== 1 || !isPlainObject(parsed.facts)) return {};
    return parsed.facts as Facts;
  } catch {
    // Storage disabled (private mode) or unreadable: no answers.
    return {};
  }
}

export function saveAnswers(facts: Facts): void {
  try {
    const stored: Stored = { v: 1, facts, savedAt: new Date().toISOString() };
    window.localStorage.setItem(ANSWERS_KEY, JSON.stringify(stored));
  } catch {
    // Storage full or disabled: the answers live as long as the page.
  }
}

export function clearAnswers(): void {
  try {
    window.localStorage.removeItem(ANSWERS_KEY);
  } catch {
    // Nothing stored.
  }
}

/**
 * A facts patch applied to the answers: null removes a fact (or one year of a per-year fact), per-year facts
 * merge by year, anything else replaces.
 */
export function applyPatch(facts: Facts, patch: Record<string, unknown>): Facts {
  const out: Facts = { ...facts };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined) {
      delete out[key];
      continue;
    }
    const prev = out[key];
    if (isPlainObject(value) && isPlainObject(prev)) {
      const merged: Record<string, unknown> = { ...prev };
      for (const [y, v] of Object.entries(value)) {
        if (v === null || v === undefined) delete merged[y];
        else merged[y] = v;
      }
      if (Object.keys(merged).length === 0) delete out[key];
      else out[key] = merged;
    } else if (isPlainObject(value)) {
      const years = Object.fromEntries(
        Object.entries(value).filter(([, v]) => v !== null && v !== undefined),
      );
      if (Object.keys(years).length > 0) out[key] = years;
      else delete out[key];
    } else out[key] = value;
  }
  return out;
}

/**
 * What registration writes into the new profile: the answers without the facts the registration form
 * itself sets (district, and the industry code when the form has one) and without identity facts.
 */
export function factsForProfile(facts: Facts, formIndustryCode: string | undefined): Facts {
  const out: Facts = { ...facts };
  delete out.uscc;
  delete out.name;
  delete out.regionCode;
  if (formIndustryCode) delete out.industryCode;
  return out;
}

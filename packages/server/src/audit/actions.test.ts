/** Every audited action the server writes has a Chinese label on the audit page. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS, actionLabel, roleLabel } from "./actions.ts";

const SRC = join(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The action written at each appendAudit / applyTransition call (the first `action:` after the call). */
const DECISION = "$" + "{input.decision}";
const RESULT = "$" + "{input.status}";

function auditedActions(): string[] {
  const found: string[] = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const call of text.matchAll(/(appendAudit|applyTransition)\(/g)) {
      const after = text.slice(call.index, call.index + 600);
      const m = /action:\s*(?:published \? "([^"]+)" : "([^"]+)"|"([^"]+)"|`([^`]+)`)/.exec(after);
      if (!m) continue;
      for (const a of [m[1], m[2], m[3]]) if (a) found.push(a);
      if (m[4]) {
        // Template actions: the decision and the payment result enumerations.
        if (m[4].includes(DECISION))
          for (const d of ["pass", "return", "reject"]) found.push(m[4].replace(DECISION, d));
        else if (m[4].includes(RESULT))
          for (const s of ["paid", "failed"]) found.push(m[4].replace(RESULT, s));
        else found.push(m[4]);
      }
    }
  }
  return [...new Set(found)].sort();
}

describe("audit log labels", () => {
  it("labels every action the server audits, in Chinese", () => {
    const actions = auditedActions();
    expect(actions.length).toBeGreaterThan(15);
    const missing = actions.filter((a) => !(a in AUDIT_ACTION_LABELS));
    expect(missing).toEqual([]);
    for (const label of Object.values(AUDIT_ACTION_LABELS)) expect(label).not.toMatch(/[A-Za-z]/);
  });

  it("never shows an identifier for an unknown action or role", () => {
    expect(actionLabel("something.new")).toBe("其他操作");
    expect(roleLabel("coordinator")).toBe("区发展改革委");
    expect(roleLabel(null)).toBe("系统");
  });
});

/** The JSON body parser's bounds: depth, keys and values counted on the raw text, prototype poisoning refused. */
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { JsonShapeScanner, jsonShapeProblem, parseJsonBody } from "./json-body.ts";
import { JSON_LIMITS } from "./limits.ts";

function refusal(text: string): string {
  try {
    parseJsonBody(text);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).fields[0]?.field).toBe("(请求体)");
    return (e as AppError).message;
  }
  throw new Error("accepted");
}

describe("JSON body parser", () => {
  it("parses ordinary bodies", () => {
    expect(parseJsonBody('{"a":[1,{"b":"x\\"]}{"}],"c":null}')).toEqual({ a: [1, { b: 'x"]}{' }], c: null });
    expect(parseJsonBody(`[${"[".repeat(31)}${"]".repeat(31)}]`)).toBeInstanceOf(Array);
  });

  it("counts only outside string literals, escaped quotes and backslashes included", () => {
    expect(jsonShapeProblem(JSON.stringify({ s: "{[".repeat(10_000) + ':,"\\'.repeat(30_000) }))).toBeNull();
  });

  it("scans chunk by chunk: string literals and escapes may span chunks", () => {
    const text = JSON.stringify({ a: 'x\\"{[{[', b: [1, 2, { c: "\\" }] });
    const whole = Buffer.from(text);
    for (let size = 1; size <= 5; size++) {
      const s = new JsonShapeScanner({ maxDepth: 3, maxKeys: 3, maxValues: 3 });
      for (let i = 0; i < whole.length; i += size) expect(s.feed(whole.subarray(i, i + size))).toBeNull();
      const over = new JsonShapeScanner({ maxDepth: 2, maxKeys: 3, maxValues: 3 });
      let problem: string | null = null;
      for (let i = 0; i < whole.length && !problem; i += size)
        problem = over.feed(whole.subarray(i, i + size));
      expect(problem).toMatch(/嵌套过深/);
    }
  });

  it("refuses deep nesting, too many keys and too many values, naming the reason", () => {
    expect(refusal("[".repeat(33) + "]".repeat(33))).toMatch(/嵌套过深.*32/);
    expect(refusal(`${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`)).toMatch(/嵌套过深/);
    const keys = Object.fromEntries(Array.from({ length: JSON_LIMITS.maxKeys + 1 }, (_, i) => [`k${i}`, 1]));
    expect(refusal(JSON.stringify(keys))).toMatch(/键过多.*20000/);
    expect(refusal(JSON.stringify(new Array(JSON_LIMITS.maxValues + 2).fill(0)))).toMatch(/元素过多/);
  });

  it("refuses prototype poisoning, malformed and empty bodies without echoing them", () => {
    expect(refusal('{"__proto__":{"admin":true}}')).toMatch(/__proto__/);
    expect(refusal('{"constructor":{"prototype":{"admin":true}}}')).toMatch(/constructor/);
    const bad = refusal('{"secret-input": 91500113MA5U7K3X2H}');
    expect(bad).toMatch(/不是有效的 JSON/);
    expect(bad).not.toContain("secret-input");
    expect(refusal("   ")).toMatch(/为空/);
  });

  it("scans a 10 MB body in well under a second", () => {
    const big = JSON.stringify({ contentBase64: "QUJD".repeat(2_500_000) });
    const t0 = performance.now();
    expect(jsonShapeProblem(big)).toBeNull();
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

/**
 * A precompiled serializer for the matching responses. The zod type provider's serializer validates every
 * response against its zod schema before JSON.stringify — for a match result (dozens of measures, nested
 * amounts and notes) that validation cost more than the engine. Here the route's 200 schema is turned into
 * JSON Schema once (the same document the OpenAPI export shows) and compiled with fast-json-stringify
 * (fastify's own serializer), which writes only the declared properties without validating. The presenter
 * (present.ts) builds exactly that shape; matching.test.ts checks the output against the zod schema.
 */

import fastJson from "fast-json-stringify";
import type { FastifySerializerCompiler } from "fastify";
import { serializerCompiler as zodSerializerCompiler } from "fastify-type-provider-zod";
import { z } from "zod";

type JsonSchema = Record<string, unknown>;

/**
 * zod's JSON Schema → what fast-json-stringify handles fast: `anyOf [X, null]` becomes X with `nullable`
 * (no per-value schema matching), `$schema` and descriptions are dropped.
 */
function simplify(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(simplify);
  if (s === null || typeof s !== "object") return s;
  const o = s as JsonSchema;
  const any = o.anyOf as JsonSchema[] | undefined;
  if (any && any.length === 2 && any.some((x) => x.type === "null")) {
    const other = any.find((x) => x.type !== "null") as JsonSchema;
    const { anyOf: _a, ...rest } = o;
    return simplify({ ...rest, ...other, nullable: true });
  }
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === "$schema" || k === "description") continue;
    // Property maps and definitions hold schemas by name: simplify each schema, keep the names.
    if ((k === "properties" || k === "$defs") && v && typeof v === "object")
      out[k] = Object.fromEntries(Object.entries(v as JsonSchema).map(([n, p]) => [n, simplify(p)]));
    else out[k] = simplify(v);
  }
  return out;
}

/** fast-json-stringify for one zod schema (output side). */
export function compileSerializer(schema: z.ZodType): (data: unknown) => string {
  const json = simplify(z.toJSONSchema(schema, { io: "output", unrepresentable: "any" })) as JsonSchema;
  return fastJson(json as unknown as Parameters<typeof fastJson>[0]) as (data: unknown) => string;
}

/**
 * A route's serializerCompiler: the 200 response with fast-json-stringify, error bodies (small) through the
 * zod serializer as everywhere else.
 */
export function precompiledOk<T>(schema: z.ZodType): FastifySerializerCompiler<T> {
  const ok = compileSerializer(schema);
  // The route's schema type is the whole route schema's; at run time `route.schema` is the status's zod schema.
  const zod = zodSerializerCompiler as unknown as FastifySerializerCompiler<T>;
  return (route) => (route.httpStatus === "200" ? ok : zod(route));
}

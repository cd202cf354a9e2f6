/**
 * The JSON body parser. The body is read as it arrives, within the route's body limit, and each chunk is
 * scanned (a cheap linear pass over the bytes): nesting depth, keys and values are bounded before anything is
 * built from the text — JSON.parse of a deeply nested 10 MB body blocked the process for seconds — and a body
 * over a limit is refused at the chunk that crosses it. Then secure-json-parse parses it and refuses
 * prototype-poisoning keys (__proto__, constructor.prototype). Refusals are 400s (413 over the size limit)
 * naming the reason in Chinese; the input is never echoed.
 */
import type { FastifyInstance } from "fastify";
import sjson from "secure-json-parse";
import { AppError } from "../errors.ts";
import { DEFAULT_BODY_LIMIT, JSON_LIMITS, type JsonLimits } from "./limits.ts";

const BODY = "(请求体)";

function refuse(message: string): AppError {
  return new AppError("VALIDATION", `${BODY}：${message}`, [{ field: BODY, message }]);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * Counts the shape of JSON text fed in chunks of UTF-8 bytes (a multi-byte character never contains an ASCII
 * byte, so chunk boundaries do not matter): `{`/`[` open a level, `:` is one key, `,` one more value — outside
 * string literals only. Malformed text is left to the parser.
 */
export class JsonShapeScanner {
  private depth = 0;
  private keys = 0;
  private values = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly limits: Readonly<JsonLimits> = JSON_LIMITS) {}

  /** Why the text so far is over the limits, or null. */
  feed(bytes: Buffer): string | null {
    const n = bytes.length;
    let nextBackslash = -2; // -2: not looked for yet; -1: none in the rest of the chunk
    let i = 0;
    while (i < n) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = bytes.indexOf(BACKSLASH, i);
        const quote = bytes.indexOf(QUOTE, i);
        if (nextBackslash !== -1 && (quote === -1 || nextBackslash < quote)) {
          this.escaped = true;
          i = nextBackslash + 1;
          continue;
        }
        if (quote === -1) return null; // the rest of the chunk is inside the string
        this.inString = false;
        i = quote + 1;
        continue;
      }
      const c = bytes[i];
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (++this.depth > this.limits.maxDepth)
          return `嵌套过深：对象和数组最多嵌套 ${this.limits.maxDepth} 层`;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) this.depth--;
      else if (c === COLON) {
        if (++this.keys > this.limits.maxKeys) return `键过多：整个请求体最多 ${this.limits.maxKeys} 个键`;
      } else if (c === COMMA) {
        if (++this.values > this.limits.maxValues)
          return `元素过多：整个请求体最多 ${this.limits.maxValues} 个值`;
      }
      i++;
    }
    return null;
  }
}

/** Why the JSON text's shape is over the limits, or null. */
export function jsonShapeProblem(text: string, limits: Readonly<JsonLimits> = JSON_LIMITS): string | null {
  return new JsonShapeScanner(limits).feed(Buffer.from(text, "utf8"));
}

/** Parses JSON text that passed the shape limits, or throws a 400 AppError. */
function parseChecked(text: string): unknown {
  if (text.trim() === "") throw refuse("请求体为空：Content-Type 为 application/json 时应为 JSON");
  try {
    return sjson.parse(text, undefined, { protoAction: "error", constructorAction: "error" });
  } catch (e) {
    if (e instanceof SyntaxError && /prototype/.test(e.message))
      throw refuse("含有不允许的键（__proto__、constructor.prototype）");
    throw refuse("不是有效的 JSON");
  }
}

/** Parses a JSON request body within the limits, or throws a 400 AppError. */
export function parseJsonBody(text: string): unknown {
  const problem = jsonShapeProblem(text);
  if (problem) throw refuse(problem);
  return parseChecked(text);
}

function tooLarge(limit: number): AppError {
  const message = `请求体过大：此接口最多 ${Math.floor(limit / 1024)} KiB`;
  return new AppError("PAYLOAD_TOO_LARGE", `${BODY}：${message}`, [{ field: BODY, message }]);
}

/**
 * Replaces Fastify's JSON parser. Reads the body as it arrives, within the route's body limit, and scans each
 * chunk: a body over the shape limits is refused at the chunk that crosses them, without reading the rest.
 */
export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", (req, payload, done) => {
    const limit = req.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const declared = Number(req.headers["content-length"]);
    if (declared > limit) {
      done(tooLarge(limit), undefined);
      return;
    }
    const scanner = new JsonShapeScanner();
    const chunks: Buffer[] = [];
    let received = 0;
    let finished = false;
    const finish = (err: Error | null, body?: unknown) => {
      if (finished) return;
      finished = true;
      payload.removeListener("data", onData);
      payload.removeListener("end", onEnd);
      payload.removeListener("error", onError);
      done(err, body);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      received += buf.length;
      if (received > limit) return finish(tooLarge(limit));
      const problem = scanner.feed(buf);
      if (problem) return finish(refuse(problem));
      chunks.push(buf);
    };
    const onEnd = () => {
      if (!Number.isNaN(declared) && declared !== received) {
        const message = "请求体长度与 Content-Length 不符";
        return finish(new AppError("VALIDATION", `${BODY}：${message}`, [{ field: BODY, message }]));
      }
      try {
        finish(null, parseChecked(Buffer.concat(chunks, received).toString("utf8")));
      } catch (e) {
        finish(e as Error);
      }
    };
    const onError = (e: Error) => finish(e);
    payload.on("data", onData);
    payload.on("end", onEnd);
    payload.on("error", onError);
    payload.resume();
  });
}

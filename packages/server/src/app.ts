/**
 * The HTTP application: thin handlers (validate → authorize → use case → present), zod schemas beside each
 * route carrying their OpenAPI metadata, one error handler mapping AppError codes to statuses.
 */

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import { CSRF_HEADER, findSession, SESSION_COOKIE } from "./auth/sessions.ts";
import type { Actor, AppContext } from "./context.ts";
import { AppError, type ErrorBody, HTTP_STATUS } from "./errors.ts";
import { type Action, authorize } from "./permissions.ts";
import { ROUTES } from "./routes.ts";

z.config(z.locales.zhCN());

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** The permission this route needs (permissions.ts); enforced before the handler. */
    action?: Action;
    /** Any signed-in role may call it (e.g. /api/auth/me). */
    signedIn?: boolean;
  }
}

/** Every API route with its declared permission: the authorization matrix test walks this table. */
export interface RouteEntry {
  method: string;
  url: string;
  action?: Action | undefined;
  signedIn?: boolean | undefined;
}

export type App = FastifyInstance & { withTypeProvider: () => FastifyInstance };

/** Requires a signed-in actor; the handler then authorizes the action itself. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError("UNAUTHENTICATED", "请先登录");
  return req.actor;
}

const WEB_DIST = fileURLToPath(new URL("../../web/dist", import.meta.url));

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Routes a visitor without a session uses to get one: no CSRF token exists yet. */
const CSRF_EXEMPT = new Set(["/api/auth/login", "/api/auth/register"]);

export interface BuildOptions {
  logger?: boolean;
}

function maskUscc(v: string): string {
  return v.length === 18 ? `${v.slice(0, 6)}********${v.slice(14)}` : "***";
}

export async function buildApp(
  ctx: AppContext,
  opts: BuildOptions = {},
): Promise<FastifyInstance & { routeTable: RouteEntry[] }> {
  const app = Fastify({
    logger: opts.logger
      ? {
          level: "info",
          // Personal data never reaches the log: cookies, passwords, CSRF tokens; USCCs masked.
          redact: {
            paths: [
              "req.headers.cookie",
              'req.headers["x-csrf-token"]',
              "body.password",
              "res.headers['set-cookie']",
            ],
            censor: "[已隐藏]",
          },
          serializers: {
            req: (req: FastifyRequest) => ({
              method: req.method,
              url: req.url.replace(/\b[0-9A-HJ-NPQRTUWXY]{18}\b/g, maskUscc),
            }),
          },
        }
      : false,
    bodyLimit: ctx.config.maxAttachmentBytes * 2,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "惠企 huiqi API",
        version: "0.1.0",
        description:
          "惠企平台 API：企业画像、政策库与检索、智能匹配、线上申报、多级审批、公示、兑付、精准推送、审计与季度报告。写操作需要登录 cookie 与 x-csrf-token 请求头。",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
          csrf: { type: "apiKey", in: "header", name: CSRF_HEADER },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  const routeTable: RouteEntry[] = [];
  app.addHook("onRoute", (r) => {
    if (!r.url.startsWith("/api/")) return;
    for (const method of [r.method].flat())
      if (method !== "HEAD")
        routeTable.push({ method, url: r.url, action: r.config?.action, signedIn: r.config?.signedIn });
  });
  // The role gate, from the route's declared permission; handlers add the record-level scope checks.
  app.addHook("preValidation", async (req) => {
    const cfg = req.routeOptions.config;
    if (cfg.action === undefined && !cfg.signedIn) return;
    const actor = requireActor(req);
    if (cfg.action !== undefined) authorize(actor, cfg.action);
  });
  app.decorateRequest("actor", null);
  app.decorateRequest("csrfToken", null);
  app.addHook("onRequest", async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const found = await findSession(ctx, token);
    if (!found) return;
    req.actor = found.actor;
    req.csrfToken = found.csrfToken;
    const path = req.url.split("?")[0] ?? "";
    if (UNSAFE.has(req.method) && !CSRF_EXEMPT.has(path) && req.headers[CSRF_HEADER] !== found.csrfToken)
      throw new AppError("CSRF", "缺少或错误的 x-csrf-token 请求头（防跨站请求伪造）");
  });

  app.setErrorHandler((err, req, reply) => {
    let body: ErrorBody;
    let status: number;
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = err.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, "").replace(/\//g, ".");
        const where =
          err.validationContext === "querystring"
            ? "查询参数"
            : err.validationContext === "params"
              ? "路径参数"
              : "";
        return { field: path || "(请求体)", message: `${where}${v.message ?? "无效"}` };
      });
      status = 400;
      body = {
        error: {
          code: "VALIDATION",
          message: fields.map((f) => `${f.field}：${f.message}`).join("；"),
          fields,
        },
      };
    } else if (err instanceof AppError) {
      status = HTTP_STATUS[err.code];
      body = { error: { code: err.code, message: err.message, fields: err.fields } };
    } else if ((err as { statusCode?: number }).statusCode === 429) {
      status = 429;
      body = { error: { code: "RATE_LIMITED", message: "请求过于频繁，请稍后再试", fields: [] } };
    } else if ((err as { code?: string }).code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      status = 413;
      body = { error: { code: "PAYLOAD_TOO_LARGE", message: "请求体过大", fields: [] } };
    } else if (
      (err as { statusCode?: number }).statusCode &&
      (err as { statusCode: number }).statusCode < 500
    ) {
      // Fastify's body parsing: malformed JSON, or a prototype-poisoning key (__proto__, constructor).
      status = (err as { statusCode: number }).statusCode;
      const message = "请求体不是有效的 JSON，或含有不允许的键（如 __proto__、constructor）";
      body = { error: { code: "VALIDATION", message, fields: [{ field: "(请求体)", message }] } };
    } else {
      req.log.error(err);
      status = 500;
      body = { error: { code: "INTERNAL", message: "服务器内部错误，请稍后再试", fields: [] } };
    }
    void reply.status(status).send(body);
  });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/api/health", { schema: { tags: ["系统"], summary: "健康检查" } }, async () => ({
    ok: true,
    database: ctx.dbKind,
    rulesVersion: ctx.engine.version,
  }));

  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const register of ROUTES) await register(typed, ctx);

  // The built web app (packages/web/dist, `npm run build:web`) at /, with client-side routes falling back to
  // index.html; unknown /api paths stay JSON 404s.
  if (existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false });
    app.setNotFoundHandler((req, reply) => {
      if (req.method === "GET" && !req.url.startsWith("/api/"))
        return reply.type("text/html").sendFile("index.html");
      return reply.status(404).send({
        error: { code: "NOT_FOUND", message: `没有这个接口：${req.method} ${req.url}`, fields: [] },
      });
    });
  }
  // The instance is thenable (fastify.ready); the async return resolves to the same object, routeTable included.
  return Object.assign(app, { routeTable }) as unknown as FastifyInstance & { routeTable: RouteEntry[] };
}

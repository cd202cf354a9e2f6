/**
 * The HTTP application: thin handlers (validate → authorize → use case → present), zod schemas beside each
 * route carrying their OpenAPI metadata, one error handler mapping AppError codes to statuses.
 */

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import { CSRF_HEADER, findSession, SESSION_COOKIE } from "./auth/sessions.ts";
import type { Actor, AppContext } from "./context.ts";
import { AppError } from "./errors.ts";
import { handleError } from "./http/error-handler.ts";
import { registerJsonParser } from "./http/json-body.ts";
import { applyAnonymousRateLimit, DEFAULT_BODY_LIMIT, truncate } from "./http/limits.ts";
import { type LogDestination, loggerOptions } from "./http/logging.ts";
import { type Action, authorize } from "./permissions.ts";
import { ROUTES } from "./routes.ts";
import { registerSecurityHeaders } from "./security-headers.ts";

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
    /**
     * Open to visitors without an account (the policy library, the anonymous calculator): no session needed;
     * a session, when present, still identifies the actor. Such routes carry no personal data.
     */
    public?: boolean;
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
  /** true: log to stdout; a destination: log there (tests capture the lines). */
  logger?: boolean | LogDestination;
  /** The built web app's folder; packages/web/dist by default (browser tests build their own copy). */
  webRoot?: string;
}

export async function buildApp(
  ctx: AppContext,
  opts: BuildOptions = {},
): Promise<FastifyInstance & { routeTable: RouteEntry[] }> {
  const app = Fastify({
    // Personal data never reaches the log (http/logging.ts).
    logger: opts.logger ? loggerOptions(opts.logger === true ? undefined : opts.logger) : false,
    // Small by default; the upload routes declare their own (http/limits.ts).
    bodyLimit: DEFAULT_BODY_LIMIT,
    // A malformed URL (bad percent-encoding) gets the same bounded error body as everything else.
    frameworkErrors: handleError,
    // HUIQI_TRUST_PROXY: believe X-Forwarded-For from these proxies, so req.ip is the client (login limits).
    trustProxy: ctx.config.trustProxy,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie);
  // Security headers (CSP, frame-ancestors 'none', Referrer-Policy): security-headers.ts.
  await registerSecurityHeaders(app, ctx.config);
  // Anonymous routes without a declared rate limit get the default one (before the plugin sees the routes).
  app.addHook("onRoute", applyAnonymousRateLimit);
  await app.register(rateLimit, { global: false, allowList: ctx.config.rateLimitAllowList ?? [] });
  registerJsonParser(app);
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
  app.decorateRequest("actor", null);
  app.decorateRequest("csrfToken", null);
  // Session, CSRF and the role gate run on request, before the body is read or parsed: a request that may
  // not call the route is refused at the cost of one session lookup (none without a cookie). Handlers add
  // the record-level scope checks.
  app.addHook("onRequest", async (req) => {
    const path = req.url.split("?")[0] ?? "";
    if (req.is404 && (path.startsWith("/api/") || (req.method !== "GET" && req.method !== "HEAD")))
      throw new AppError("NOT_FOUND", `没有这个接口：${req.method} ${truncate(path, 200)}`);
    const token = req.cookies[SESSION_COOKIE];
    const found = token ? await findSession(ctx, token) : undefined;
    if (found) {
      req.actor = found.actor;
      req.csrfToken = found.csrfToken;
      if (UNSAFE.has(req.method) && !CSRF_EXEMPT.has(path) && req.headers[CSRF_HEADER] !== found.csrfToken)
        throw new AppError("CSRF", "缺少或错误的 x-csrf-token 请求头（防跨站请求伪造）");
    }
    const cfg = req.routeOptions.config;
    // Public routes (and the sign-in routes, which declare nothing) need no session.
    if (cfg.public || (cfg.action === undefined && !cfg.signedIn)) return;
    const actor = requireActor(req);
    if (cfg.action !== undefined) authorize(actor, cfg.action);
  });

  app.setErrorHandler(handleError);

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
  const webRoot = opts.webRoot ?? WEB_DIST;
  if (existsSync(webRoot)) {
    // Web app delivery: brotli/gzip for the files below (registered just before them, so only the static
    // routes get the hook), hashed /assets/* cached for a year, index.html revalidated on every load.
    await app.register(compress, { threshold: 1024 });
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      setHeaders: (reply, path) => {
        if (/[\\/]assets[\\/]/.test(path))
          reply.header("cache-control", "public, max-age=31536000, immutable");
        else if (path.endsWith(".html")) reply.header("cache-control", "no-cache");
      },
    });
    app.setNotFoundHandler((req, reply) => {
      if (req.method === "GET" && !req.url.startsWith("/api/"))
        return reply.type("text/html").header("cache-control", "no-cache").sendFile("index.html");
      return reply.status(404).send({
        error: { code: "NOT_FOUND", message: `没有这个接口：${req.method} ${req.url}`, fields: [] },
      });
    });
  }
  // The instance is thenable (fastify.ready); the async return resolves to the same object, routeTable included.
  return Object.assign(app, { routeTable }) as unknown as FastifyInstance & { routeTable: RouteEntry[] };
}

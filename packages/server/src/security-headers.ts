/**
 * Security headers (@fastify/helmet) for the API, the web app at / and the API reference at /docs.
 *
 * Content-Security-Policy, from what the built pages load:
 * - scripts: only our own files (Vite emits <script type="module" src>, swagger-ui loads three .js files;
 *   neither page has inline scripts or eval);
 * - styles: 'self' plus 'unsafe-inline', because antd (cssinjs) and swagger-ui inject <style> elements and
 *   style attributes at run time;
 * - images: 'self', data: (the web app's data: favicon, antd and swagger-ui SVG icons) and blob:;
 *   ECharts draws on a canvas and needs nothing more;
 * - connections: 'self' only (the API, /openapi.json, /docs/json);
 * - frame-ancestors 'none': no page may be framed (clickjacking); object-src 'none'; base-uri, form-action 'self'.
 * Attachment previews (GET …/attachments/:id?inline=1, PDF and images only) replace this policy on that one
 * response with INLINE_ATTACHMENT_CSP: frame-ancestors 'self' (and X-Frame-Options SAMEORIGIN) so the review
 * page can show a PDF in a same-origin <iframe> — the pages' own policy needs no change, since frame-src falls
 * back to default-src 'self'. The file itself may load nothing but itself (a PDF's own plugin document:
 * object-src 'self'); every other response still refuses to be framed.
 * Referrer-Policy: strict-origin-when-cross-origin would still send our origin to other sites; no-referrer
 * sends nothing (application ids in URLs never leave). HSTS and upgrade-insecure-requests are sent only when
 * the platform is served over HTTPS (HUIQI_COOKIE_SECURE), so a plain-HTTP install on 127.0.0.1 keeps working.
 */
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config.ts";

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:", "blob:"],
  fontSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
} as const;

/** CSP of an inline attachment preview (a PDF or an image): framed by our pages only, loads nothing else. */
export const INLINE_ATTACHMENT_CSP =
  "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...CONTENT_SECURITY_POLICY,
        ...(config.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: "no-referrer" },
    xFrameOptions: { action: "deny" },
    strictTransportSecurity: config.cookieSecure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // The API serves JSON and files to our own origin only.
    crossOriginResourcePolicy: { policy: "same-origin" },
  });
}

/** Every domain area registers its routes here. */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { registerApplicationRoutes } from "./applications/routes.ts";
import { registerAuditRoutes } from "./audit/routes.ts";
import { registerAuthRoutes } from "./auth/routes.ts";
import { registerEditorRoutes } from "./authoring/editor-routes.ts";
import { registerIngestRoutes } from "./authoring/ingest-routes.ts";
import { registerAuthoringRoutes } from "./authoring/routes.ts";
import { registerMatchRunRoutes } from "./batch/routes.ts";
import type { AppContext } from "./context.ts";
import { registerEnterpriseRoutes } from "./enterprises/routes.ts";
import { registerExemptionRoutes } from "./exemption/routes.ts";
import { registerImportRoutes } from "./imports/routes.ts";
import { registerMatchingRoutes } from "./matching/routes.ts";
import { registerNotificationRoutes } from "./notifications/routes.ts";
import { registerPolicyRoutes } from "./policies/routes.ts";
import { registerReportRoutes } from "./reports/routes.ts";
import { registerLadderRoutes } from "./services/ladder-routes.ts";
import { registerOfficerRoutes } from "./services/officers-routes.ts";
import { registerServiceRoutes } from "./services/routes.ts";

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type RouteModule = (app: TypedApp, ctx: AppContext) => Promise<void> | void;

export const ROUTES: RouteModule[] = [
  registerEnterpriseRoutes,
  registerMatchingRoutes,
  registerPolicyRoutes,
  registerAuthRoutes,
  registerNotificationRoutes,
  registerAuditRoutes,
  registerReportRoutes,
  registerApplicationRoutes,
  registerAuthoringRoutes,
  registerEditorRoutes,
  registerIngestRoutes,
  registerImportRoutes,
  registerServiceRoutes,
  registerOfficerRoutes,
  registerExemptionRoutes,
  registerLadderRoutes,
  registerMatchRunRoutes,
];

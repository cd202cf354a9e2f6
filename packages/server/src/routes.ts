/** Every domain area registers its routes here. */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { registerAuthRoutes } from "./auth/routes.ts";
import type { AppContext } from "./context.ts";

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type RouteModule = (app: TypedApp, ctx: AppContext) => Promise<void> | void;

export const ROUTES: RouteModule[] = [registerAuthRoutes];

export * from "./calendar.ts";
export * from "./compile.ts";
export * from "./engine.ts";
export * from "./expression.ts";
export * from "./money.ts";
export * from "./profile.ts";
export * from "./types.ts";

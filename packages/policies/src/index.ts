export * from "./cases.ts";
export * from "./coverage.ts";
export * from "./departments.ts";
export * from "./explain-cases.ts";
export * from "./ladder.ts";
export * from "./load.ts";
export * from "./schema.ts";
export * from "./synonyms.ts";

export * from "./audit/audit-log.ts";
export * from "./config.ts";
export { type DatabaseHandle, openDatabase } from "./db/database.ts";
export { seedDemo } from "./demo/seed.ts";
export { serve } from "./main.ts";
export { enqueueDailyReminders, enqueueMeasureChanges } from "./notifications/handlers.ts";
export { startJobs } from "./notifications/jobs.ts";
export * from "./server.ts";

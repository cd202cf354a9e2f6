// Piscina loads its worker by file name; the server runs TypeScript through tsx (see packages/cli/bin/huiqi.js),
// so the thread registers tsx itself before importing the worker. Works from `node --import tsx` and vitest alike.
import { register } from "tsx/esm/api";

register();
const worker = await import("./match-worker.ts");

export default worker.default;

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** Workspace packages whose modules have no side effects at load time (the engine: pure functions, data). */
const PURE_WORKSPACE = /[\\/]packages[\\/]engine[\\/]src[\\/]/;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // `npm run size:web` (scripts/web-size.ts) checks the real budgets, gzipped.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // The web app imports the engine's barrel for a date or a money formatter; without this every engine
      // module (rules compiler, jsep, zod schemas) would ride along into the sign-in page.
      // Other modules keep their own declarations (package.json "sideEffects").
      treeshake: {
        moduleSideEffects: [{ test: PURE_WORKSPACE, sideEffects: false }],
      },
      output: {
        codeSplitting: {
          groups: [
            // Changes rarely: cached across releases. Everything here is needed by the sign-in page anyway.
            { name: "react", test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            // Only the dashboard draws charts.
            { name: "echarts", test: /[\\/]node_modules[\\/](echarts|zrender|tslib)[\\/]/ },
          ],
        },
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});

import { resolve } from "node:path";
import { defineConfig } from "vite";

// Built into the Python package, so the service serves the pages without Node.
export default defineConfig({
  base: "/web/",
  build: {
    outDir: resolve(import.meta.dirname, "../service/web/static"),
    emptyOutDir: true,
    target: "es2020",
    chunkSizeWarningLimit: 400,
    rollupOptions: {
      input: {
        explore: resolve(import.meta.dirname, "explore.html"),
        dashboard: resolve(import.meta.dirname, "dashboard.html"),
      },
    },
  },
});

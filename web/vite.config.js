import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig } from "vite";

// What both pages share (API client, language catalogue, styles, vite's preload helper), in one chunk named
// for what it is rather than after whichever module rollup met first.
const SHARED = /[\\/]web[\\/]src[\\/](api|i18n|analysis)\.js$|[\\/]enums\.json$|style\.css$|modulepreload-polyfill/;

// The enum display names also go out as enums.json beside the pages: service/display.py reads them from there (the
// exports write enums in Chinese, the loaders read them back), so an installed package has the one catalogue.
const enumsForPython = {
  name: "enums-for-python",
  generateBundle() {
    const source = readFileSync(resolve(import.meta.dirname, "src/enums.json"), "utf8");
    this.emitFile({ type: "asset", fileName: "enums.json", source });
  },
};

// Built into the Python package, so the service serves the pages without Node.
export default defineConfig({
  base: "/web/",
  plugins: [enumsForPython],
  build: {
    outDir: resolve(import.meta.dirname, "../service/web/static"),
    emptyOutDir: true,
    target: "es2020",
    chunkSizeWarningLimit: 2000, // GraphiQL (React, CodeMirror) is one big chunk of its own
    rollupOptions: {
      input: {
        explore: resolve(import.meta.dirname, "explore.html"),
        dashboard: resolve(import.meta.dirname, "dashboard.html"),
        index: resolve(import.meta.dirname, "index.html"),
        graphiql: resolve(import.meta.dirname, "graphiql.html"),
      },
      output: {
        manualChunks: (id) => (SHARED.test(id) ? "common" : undefined),
      },
    },
  },
});

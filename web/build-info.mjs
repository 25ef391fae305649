// Records which sources the committed build came from; tests/web/test_bundle.py recomputes it.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const web = import.meta.dirname;
const out = join(web, "../service/web/static");

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** sha256 over "path\0sha256(content)\n" for each file, sorted by path; line endings normalised. */
export function digest(root, files) {
  const lines = files.map((f) => relative(root, f).split("\\").join("/")).sort().map((rel) => {
    const body = readFileSync(join(root, rel)).toString("binary").replace(/\r\n/g, "\n");
    return `${rel}\0${createHash("sha256").update(body, "binary").digest("hex")}\n`;
  });
  return createHash("sha256").update(lines.join("")).digest("hex");
}

const SOURCES = ["package.json", "package-lock.json", "vite.config.js", "build-info.mjs", "explore.html",
  "dashboard.html", "index.html", "graphiql.html"].map((f) => join(web, f)).concat(walk(join(web, "src")));
const outputs = walk(out).filter((f) => !f.endsWith("build-info.json"));
const info = {
  sources: digest(web, SOURCES),
  outputs: digest(out, outputs),
  files: outputs.map((f) => relative(out, f)).sort(),
  note: "written by `make web`; tests/web/test_bundle.py checks both digests",
};
writeFileSync(join(out, "build-info.json"), JSON.stringify(info, null, 2) + "\n");
console.log(`build-info: sources ${info.sources.slice(0, 12)} outputs ${info.outputs.slice(0, 12)}`);

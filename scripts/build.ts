/**
 * `npm run build`: the published dist/.
 * - dist/*.js: one pre-bundled module per entry point (`.`, `./effect`), with
 *   the code both share in chunks/, so Promise and Effect users load one copy
 *   of the SDK (and `instanceof` holds across entries). `effect` and `ky`
 *   stay external: the user's copy of Effect is the SDK's. What an
 *   operation's first call needs (request functions, checkers) and what only
 *   a failed check needs (the Effect Schemas) are chunks loaded on demand.
 * - dist/types/: the declarations, from tsc.
 * Source maps carry their sources, so they resolve without src/ in the package.
 */
import { execFileSync } from "node:child_process"
import { readFileSync, rmSync } from "node:fs"
import { join, resolve } from "node:path"
import { build } from "esbuild"

const root = resolve(import.meta.dirname, "..")
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> }

/** The entry points: the export name and its source. */
export const ENTRIES = { index: "src/index.ts", effect: "src/effect.ts", testing: "src/testing.ts" } as const

rmSync(join(root, "dist"), { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(root, file)])),
  outdir: join(root, "dist"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  // Every dependency stays a dependency: `effect/...` and `ky` are imported, never copied in.
  external: Object.keys(pkg.dependencies).flatMap((name) => [name, `${name}/*`]),
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: "linked",
  sourcesContent: true,
  legalComments: "none",
  logLevel: "warning"
})
execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" })
console.log("build: wrote dist/")

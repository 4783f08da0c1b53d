/**
 * `npm run bench` part 2: bundle sizes of the built package, as a browser
 * app would bundle it (esbuild, minified, ESM with code splitting), in
 * bytes min+gzip: the chunk loaded first, and everything an app can load.
 * Sizes are deterministic, so `test/package/bundle-size.test.ts` asserts the
 * budgets in CI; this prints them.
 */
import { gzipSync } from "node:zlib"
import { build, type OutputFile } from "esbuild"
import { resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")

/** Apps that use the package the way its users do. */
export const APPS = {
  "Promise client, one call": `
    import { MemoryLayerClient } from "memorylayer-client"
    const client = new MemoryLayerClient({ baseUrl: "http://localhost:61001" })
    console.log(await client.remember("x"))`,
  "Effect service, one call": `
    import * as Effect from "effect/Effect"
    import { MemoryLayer } from "memorylayer-client/effect"
    const program = Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.remember("x"))
    console.log(await Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layer({ baseUrl: "http://localhost:61001" })))))`
} as const

/** The sizes of one app's bundle. */
export interface BundleSize {
  /** min+gzip bytes of the entry chunk and the chunks it imports statically: what loads before the first call. */
  readonly first: number
  /** What the app's one call loads on top of that (its namespace's operations, and ky), with `first`: the app's bundle as it runs. */
  readonly oneCall: number
  /**
   * What the calls themselves load on top: every namespace's request
   * functions and checkers, and ky. The whole API as the app uses it, when
   * its calls pass their checks (the Effect Schemas that word a refused input,
   * the Config reader and the test double load only when used).
   */
  readonly wholeApi: number
  /** min+gzip bytes of every chunk, each gzipped alone (what an app can load in all). */
  readonly total: number
  /** The same, per chunk file name. */
  readonly chunks: ReadonlyArray<{ readonly file: string; readonly bytes: number }>
}

/** Bundles `source` as an app in the repository (so `memorylayer-client` is this package's dist/). */
export const bundleSize = async (source: string): Promise<BundleSize> => {
  const result = await build({
    stdin: { contents: source, resolveDir: root, sourcefile: "app.mjs", loader: "js" },
    bundle: true,
    minify: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    outdir: "/out",
    write: false,
    metafile: true,
    logLevel: "error",
    // The package as users get it (dist/ through its exports), not the sources tsconfig.json maps its name to.
    tsconfigRaw: {}
  })
  const js = result.outputFiles.filter((f: OutputFile) => f.path.endsWith(".js"))
  const chunks = js.map((f) => ({ file: f.path.replace(/^\/out\//, ""), bytes: gzipSync(f.contents, { level: 9 }).length }))
  const bytes = new Map(chunks.map((c) => [c.file, c.bytes]))
  // The entry and, transitively, every chunk it imports statically (and, for the whole API, what calls load).
  const outputs = result.metafile.outputs
  const key = (file: string): string => Object.keys(outputs).find((k) => k.endsWith(`/${file}`) || k === file) ?? file
  /** Adds `file` and what it imports statically, and the dynamic imports whose chunk holds a module `loads` matches. */
  const visit = (file: string, into: Set<string>, loads?: RegExp): void => {
    if (into.has(file)) return
    into.add(file)
    for (const i of outputs[key(file)]?.imports ?? []) {
      if (i.external) continue
      const target = i.path.replace(/^.*\//, "")
      if (i.kind === "import-statement") visit(target, into, loads)
      else if (loads !== undefined && i.kind === "dynamic-import" && holds(target, loads)) visit(target, into, loads)
    }
  }
  const holds = (file: string, modules: RegExp): boolean => Object.keys(outputs[key(file)]?.inputs ?? {}).some((input) => modules.test(input))
  const sum = (files: ReadonlySet<string>): number => [...files].reduce((total, file) => total + (bytes.get(file) ?? 0), 0)
  const reach = (loads?: RegExp): number => {
    const files = new Set<string>()
    visit("stdin.js", files, loads)
    return sum(files)
  }
  return {
    first: reach(),
    // remember and recall are flat methods of the memories tag: their checkers are core-memories'.
    oneCall: reach(/\/chunks\/core-memories\.gen-|ky\/distribution/),
    wholeApi: reach(/\/chunks\/[A-Za-z-]+\.gen-|ky\/distribution/),
    total: chunks.reduce((total, c) => total + c.bytes, 0),
    chunks
  }
}

if (import.meta.main) {
  for (const [name, source] of Object.entries(APPS)) {
    const size = await bundleSize(source)
    console.log(name, `first ${(size.first / 1024).toFixed(1)} KB, one call ${(size.oneCall / 1024).toFixed(1)} KB, whole API ${(size.wholeApi / 1024).toFixed(1)} KB, every chunk ${(size.total / 1024).toFixed(1)} KB`)
  }
}

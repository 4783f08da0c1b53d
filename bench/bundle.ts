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
    logLevel: "error"
  })
  const js = result.outputFiles.filter((f: OutputFile) => f.path.endsWith(".js"))
  const chunks = js.map((f) => ({ file: f.path.replace(/^\/out\//, ""), bytes: gzipSync(f.contents, { level: 9 }).length }))
  const bytes = new Map(chunks.map((c) => [c.file, c.bytes]))
  // The entry and, transitively, every chunk it imports statically.
  const outputs = result.metafile.outputs
  const key = (file: string): string => Object.keys(outputs).find((k) => k.endsWith(`/${file}`) || k === file) ?? file
  const loaded = new Set<string>()
  const visit = (file: string): void => {
    if (loaded.has(file)) return
    loaded.add(file)
    for (const i of outputs[key(file)]?.imports ?? []) if (i.kind === "import-statement" && !i.external) visit(i.path.replace(/^.*\//, ""))
  }
  visit("stdin.js")
  const first = [...loaded].reduce((sum, file) => sum + (bytes.get(file) ?? 0), 0)
  return { first, total: chunks.reduce((sum, c) => sum + c.bytes, 0), chunks }
}

if (import.meta.main) {
  for (const [name, source] of Object.entries(APPS)) {
    const size = await bundleSize(source)
    console.log(name, `first ${(size.first / 1024).toFixed(1)} KB, total ${(size.total / 1024).toFixed(1)} KB`, size.chunks)
  }
}

/**
 * The consumer project every runtime of the matrix runs: the package as
 * users get it (`npm pack`), installed by name into an empty project with the
 * check files of `consumer/`, plus one bundle each (the package with `effect`
 * and `ky` inside) for the runtimes that load a single script: the browser,
 * edge-runtime and workerd.
 *
 * @module
 */
import { execFileSync } from "node:child_process"
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const root = fileURLToPath(new URL("../..", import.meta.url))
const sources = fileURLToPath(new URL("consumer", import.meta.url))

/** A consumer project on disk. */
export interface Consumer {
  /** The project folder: `package.json`, `node_modules/`, the check files. */
  readonly dir: string
  /** The bundled entry points, one per runtime that needs a single file. */
  readonly bundles: { readonly browser: string; readonly edge: string; readonly worker: string }
}

const npm = (args: ReadonlyArray<string>, cwd: string): string =>
  execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" }
  })

/**
 * Packs the package, installs the tarball into a new project in the system's
 * temporary folder, copies the check files beside it and bundles them.
 */
export const prepareConsumer = async (): Promise<Consumer> => {
  const dir = mkdtempSync(join(tmpdir(), "memorylayer-client-runtimes-"))
  npm(["pack", "--silent", "--pack-destination", dir], root)
  const tarball = readdirSync(dir).find((file) => file.endsWith(".tgz"))
  if (tarball === undefined) throw new Error("npm pack produced no tarball")
  // The Effect program imports `effect` itself, so the project depends on it as a user of the Effect entry would,
  // with the package's own range so that both share one copy.
  const effectRange = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["effect"]
  if (effectRange === undefined) throw new Error("the package no longer depends on effect")
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "runtime-matrix-consumer", private: true, type: "module", dependencies: { "memorylayer-client": `file:./${tarball}`, effect: effectRange } }, null, 2)
  )
  npm(["install", "--silent"], dir)
  for (const file of readdirSync(sources)) copyFileSync(join(sources, file), join(dir, file))

  const bundle = async (entry: string, format: "esm" | "iife", conditions: Array<string>): Promise<string> => {
    const outfile = join(dir, "bundles", entry.replace(/\.mjs$/, ".js"))
    await build({ absWorkingDir: dir, entryPoints: [entry], outfile, bundle: true, format, platform: "browser", conditions, target: "es2022", logLevel: "silent" })
    return outfile
  }
  const [browser, edge, worker] = await Promise.all([
    bundle("browser.mjs", "esm", []),
    bundle("edge.mjs", "iife", ["edge-light", "worker"]),
    bundle("worker.mjs", "esm", ["workerd", "worker"])
  ])
  return { dir, bundles: { browser, edge, worker } }
}

/**
 * `npm run lint:package`: lint the package as it would be published. Builds
 * dist/ once, packs it (without running `prepack` again), then checks that
 * one tarball with:
 * - publint `--strict` (warnings fail too): `exports`, `files`, `type`, and
 *   that every path package.json names is in the tarball;
 * - are-the-types-wrong, profile `esm-only`: every entry point's types
 *   resolve and match its JavaScript under `node16` (from ESM) and `bundler`
 *   resolution. The profile leaves out `node10` resolution and `require()`
 *   from CommonJS, which an ESM-only package cannot serve by design: `node10`
 *   does not read `exports`, so it finds no subpath, and a CommonJS caller
 *   reaches this package through `import()` (or Node's `require(esm)`).
 * Exits non-zero when either reports a problem.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const bin = (name: string): string => join(root, "node_modules", ".bin", name)

execFileSync(process.execPath, [join(root, "scripts", "build.ts")], { cwd: root, stdio: "inherit" })
const out = mkdtempSync(join(tmpdir(), "memorylayer-client-lint-"))
let failed = false
try {
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", out], { cwd: root, encoding: "utf8" })
  ) as ReadonlyArray<{ readonly filename: string; readonly entryCount: number }>
  const tarball = packed[0]
  if (tarball === undefined) throw new Error("npm pack wrote no tarball")
  console.log(`lint:package: ${tarball.filename}, ${tarball.entryCount} files`)
  for (const [name, args] of [
    ["publint", ["--strict", join(out, tarball.filename)]],
    ["attw", [join(out, tarball.filename), "--profile", "esm-only"]]
  ] as const) {
    const result = spawnSync(bin(name), args, { cwd: root, stdio: "inherit" })
    if (result.status !== 0) {
      console.error(`lint:package: ${name} failed (exit ${result.status ?? result.signal})`)
      failed = true
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)

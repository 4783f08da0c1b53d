/**
 * The bundle-size budgets, which are deterministic and so are checked here
 * (times are only measured, by `npm run bench`): an app bundled with esbuild
 * (minified, ESM, code splitting), for each entry point.
 * - what loads before the first call <= 50 KB min+gzip;
 * - with every namespace's operations loaded (the whole API) <= 92 KB (90 KB until request ids,
 *   withResponse and logging came, with about 1.7 KB of their own).
 */
import { execFileSync } from "node:child_process"
import { resolve } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { APPS, bundleSize } from "../../bench/bundle.ts"

const root = resolve(import.meta.dirname, "..", "..")

describe("bundle size of the built package", () => {
  beforeAll(() => {
    execFileSync(process.execPath, [resolve(root, "scripts", "build.ts")], { cwd: root, stdio: "pipe" })
  }, 120_000)

  it.each(Object.entries(APPS))("%s: the first chunk is at most 50 KB and the whole API at most 92 KB, min+gzip", async (name, source) => {
    const size = await bundleSize(source)
    console.log(`bundle: ${name}: first chunk ${(size.first / 1024).toFixed(1)} KB, whole API ${(size.wholeApi / 1024).toFixed(1)} KB, every chunk ${(size.total / 1024).toFixed(1)} KB`)
    expect(size.first).toBeLessThanOrEqual(50 * 1024)
    expect(size.wholeApi).toBeLessThanOrEqual(92 * 1024)
  })
})

/**
 * `npm run bench` part 3: cold import time of each entry point, against
 * importing just the Effect modules that entry imports (its floor), each in
 * fresh Node processes, alternating, medians. The entries are the built
 * dist/ of this package, or of another build given as `--package <dir>`
 * (the five-times-larger contract uses that).
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { median } from "./measure.ts"

const root = resolve(import.meta.dirname, "..")

/** The bare specifiers (`effect/...`, `ky`) a built module imports, following its static imports within dist/. */
export const externalImports = (distFile: string): ReadonlyArray<string> => {
  const seen = new Set<string>()
  const external = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const source = readFileSync(file, "utf8")
    for (const match of source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)) {
      const specifier = match[1] as string
      if (specifier.startsWith(".")) visit(resolve(file, "..", specifier))
      else external.add(specifier)
    }
  }
  visit(distFile)
  return [...external].sort()
}

/** Milliseconds to import `specifiers` in a fresh Node process started in `cwd`. */
const timeImport = (cwd: string, specifiers: ReadonlyArray<string>): number => {
  const code = `const t = performance.now(); await Promise.all(${JSON.stringify(specifiers)}.map((s) => import(s))); console.log(performance.now() - t)`
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd, encoding: "utf8" }).trim())
}

/** One entry's import time and its floor, in ms (medians). */
export interface ImportTime {
  readonly entry: string
  readonly ms: number
  readonly floorMs: number
  readonly floor: ReadonlyArray<string>
}

/** Import times of the package's entries (`memorylayer-client`, `memorylayer-client/effect`), `runs` each. */
export const importTimes = (runs: number, packageDir = root): ReadonlyArray<ImportTime> => {
  const entries = [["memorylayer-client", "dist/index.js"], ["memorylayer-client/effect", "dist/effect.js"]] as const
  return entries.map(([entry, file]) => {
    const floor = externalImports(join(packageDir, file)).filter((s) => s.startsWith("effect"))
    const times: Array<number> = []
    const floors: Array<number> = []
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so neither always gets the warmer file cache.
      if (i % 2 === 0) {
        times.push(timeImport(packageDir, [entry]))
        floors.push(timeImport(packageDir, floor))
      } else {
        floors.push(timeImport(packageDir, floor))
        times.push(timeImport(packageDir, [entry]))
      }
    }
    return { entry, ms: median(times), floorMs: median(floors), floor }
  })
}

if (import.meta.main) {
  for (const t of importTimes(15)) console.log(t.entry, `${t.ms.toFixed(1)} ms`, `floor ${t.floorMs.toFixed(1)} ms`, `${(t.ms / t.floorMs).toFixed(2)}x`, t.floor.join(" "))
}

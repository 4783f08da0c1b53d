/**
 * `npm run bench`: every figure of the performance budgets, measured in one
 * run on this machine against the built package, printed next to its
 * budget. Times are never asserted in tests; this is where they are read.
 * `--quick` shortens every measurement (a smoke run, not figures to quote).
 */
import { rmSync } from "node:fs"
import { cpus } from "node:os"
import { APPS, bundleSize } from "./bundle.ts"
import { type Figure, measureCalls } from "./calls.ts"
import { importTimes } from "./imports.ts"
import { measureMemory } from "./memory.ts"
import { buildScaledPackage } from "./scaled-contract.ts"

const quick = process.argv.includes("--quick")
const figures: Array<Figure> = []
const add = (figure: Figure): void => {
  figures.push(figure)
}

for (const figure of await measureCalls(quick)) add(figure)

const runs = quick ? 3 : 15
const today = importTimes(runs)
const scaled = buildScaledPackage(5)
try {
  const fiveTimes = importTimes(runs, scaled)
  for (const t of today) {
    add({ what: `cold import of ${t.entry}`, contender: "vs its Effect modules", value: t.ms, unit: "ms", ratio: t.ms / t.floorMs, budget: { max: 1.2 } })
    const big = fiveTimes.find((f) => f.entry === t.entry)
    if (big !== undefined) {
      add({ what: `cold import of ${t.entry}, 5x operations`, contender: "vs today's contract", value: big.ms, unit: "ms", ratio: big.ms / t.ms, budget: { max: 1.1 } })
    }
  }
} finally {
  rmSync(scaled, { recursive: true, force: true })
}

for (const [name, source] of Object.entries(APPS)) {
  const size = await bundleSize(source)
  add({ what: `bundle, ${name}: first chunk`, contender: "min+gzip", value: size.first / 1024, unit: "KB", ratio: size.first / (50 * 1024), budget: { max: 1 } })
  add({ what: `bundle, ${name}: first chunk and what its one call loads (checkers, ky)`, contender: "min+gzip", value: size.oneCall / 1024, unit: "KB", ratio: size.oneCall / (50 * 1024), budget: { max: 1 } })
  add({ what: `bundle, ${name}: whole API (every method called)`, contender: "min+gzip", value: size.wholeApi / 1024, unit: "KB", ratio: size.wholeApi / (90 * 1024), budget: { max: 1 } })
  add({ what: `bundle, ${name}: every chunk (with the error-wording Schemas and the test double)`, contender: "min+gzip", value: size.total / 1024, unit: "KB", ratio: size.total / (90 * 1024) })
}

const memory = measureMemory()
add({ what: "heap of an idle client", contender: "MemoryLayerClient", value: memory.idleClientBytes / 1024, unit: "KB", ratio: memory.idleClientBytes / (50 * 1024), budget: { max: 1 } })
add({
  what: `handles left after ${memory.calls} calls and close()`,
  contender: memory.leftBehind.join(", ") || "none",
  value: memory.leftBehind.length,
  unit: "",
  ratio: memory.leftBehind.length,
  budget: { max: 0 }
})

const verdict = (figure: Figure): string => {
  const { budget } = figure
  if (budget === undefined) return ""
  if (budget.max !== undefined) return figure.ratio <= budget.max ? `ok (<= ${budget.max})` : `OVER (<= ${budget.max})`
  if (budget.min !== undefined) return figure.ratio >= budget.min ? `ok (>= ${budget.min})` : `UNDER (>= ${budget.min})`
  return ""
}

console.log(`\nNode ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}${quick ? " (quick run)" : ""}`)
console.table(figures.map((f) => ({
  figure: f.what,
  against: f.contender,
  value: `${f.value.toFixed(f.unit === "µs" || f.unit === "" ? 0 : 1)} ${f.unit}`.trim(),
  ratio: `${f.ratio.toFixed(2)}x`,
  budget: verdict(f)
})))

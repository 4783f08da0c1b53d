/**
 * `npm run bench`: every figure of the performance budgets, measured in one
 * run on this machine and printed next to its budget. Times are never
 * asserted in tests; this is where they are read. `--quick` shortens it.
 */
import { measureCalls, type Figure } from "./calls.ts"

const quick = process.argv.includes("--quick")
const figures: Array<Figure> = [...(await measureCalls(quick))]

const verdict = (figure: Figure): string => {
  const { budget } = figure
  if (budget === undefined) return ""
  if (budget.max !== undefined) return figure.ratio <= budget.max ? `ok (<= ${budget.max}x)` : `OVER (<= ${budget.max}x)`
  if (budget.min !== undefined) return figure.ratio >= budget.min ? `ok (>= ${budget.min}x)` : `UNDER (>= ${budget.min}x)`
  return ""
}

console.log(`Node ${process.version}, ${process.platform} ${process.arch}`)
console.table(figures.map((f) => ({
  figure: f.what,
  contender: f.contender,
  value: `${f.value.toFixed(f.unit === "µs" ? 0 : 1)} ${f.unit}`,
  ratio: `${f.ratio.toFixed(2)}x`,
  budget: verdict(f)
})))

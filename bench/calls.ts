/**
 * `npm run bench` part 1: per-call latency and throughput of every contender
 * against the stub, as ratios to raw fetch.
 */
import { makeContenders } from "./contenders.ts"
import { latency, throughput } from "./measure.ts"
import { startStub } from "./stub-server.ts"

/** One measured figure and, when it has one, its budget (a ratio to raw fetch). */
export interface Figure {
  readonly what: string
  readonly contender: string
  readonly value: number
  readonly unit: string
  readonly ratio: number
  /** The ratio must be at most (`max`) or at least (`min`) this. */
  readonly budget?: { readonly max?: number; readonly min?: number }
}

const SDK = new Set(["MemoryLayerClient", "MemoryLayer service"])

/** Measures and returns the figures; `quick` shortens every run (for a smoke check). */
export const measureCalls = async (quick: boolean): Promise<ReadonlyArray<Figure>> => {
  const stub = await startStub()
  const contenders = await makeContenders(stub.url)
  const figures: Array<Figure> = []
  try {
    const shape = quick ? { rounds: 2, block: 50, warmup: 50 } : { rounds: 10, block: 300, warmup: 500 }
    for (const [call, max] of [["remember", 1.4], ["recall", 1.3]] as const) {
      const medians = await latency(contenders, call, shape)
      const floor = medians.get("raw fetch + JSON.parse") ?? Number.NaN
      const ky = medians.get("plain ky") ?? Number.NaN
      for (const [contender, value] of medians) {
        figures.push({ what: `${call}, per call`, contender, value, unit: "µs", ratio: value / floor, ...(SDK.has(contender) ? { budget: { max } } : {}) })
        if (SDK.has(contender)) {
          figures.push({ what: `${call}, SDK share on top of ky`, contender, value: value - ky, unit: "µs", ratio: value / ky, budget: { max: 1.1 } })
        }
      }
    }
    const rates = await throughput(contenders, "recall", quick ? { concurrency: 64, rounds: 1, windowMs: 500 } : { concurrency: 64, rounds: 5, windowMs: 2000 })
    const floor = rates.get("raw fetch + JSON.parse") ?? Number.NaN
    for (const [contender, value] of rates) {
      figures.push({ what: "recall throughput, concurrency 64", contender, value, unit: "calls/s", ratio: value / floor, ...(SDK.has(contender) ? { budget: { min: 0.75 } } : {}) })
    }
  } finally {
    for (const contender of contenders) await contender.close()
    stub.stop()
  }
  return figures
}

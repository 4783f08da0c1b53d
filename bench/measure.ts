/**
 * Measuring contenders fairly on a noisy machine: every contender runs in
 * short blocks, the contenders alternate block by block, and each figure is
 * a median over all its samples, so a burst of noise hits every contender
 * alike.
 */
import type { Contender } from "./contenders.ts"

/** Which of the contender's calls to measure. */
export type Call = "remember" | "recall"

/** The median of `values` (which it sorts). */
export const median = (values: Array<number>): number => {
  values.sort((a, b) => a - b)
  const middle = values.length >> 1
  return values.length % 2 === 1 ? values[middle] ?? Number.NaN : ((values[middle - 1] ?? 0) + (values[middle] ?? 0)) / 2
}

/**
 * Median latency of one call, in microseconds, per contender: `rounds`
 * rounds of `block` sequential calls each, after `warmup` calls each.
 */
export const latency = async (
  contenders: ReadonlyArray<Contender>,
  call: Call,
  { rounds, block, warmup }: { readonly rounds: number; readonly block: number; readonly warmup: number }
): Promise<Map<string, number>> => {
  for (const contender of contenders) for (let i = 0; i < warmup; i++) await contender[call]()
  const samples = new Map(contenders.map((c) => [c.name, [] as Array<number>]))
  for (let round = 0; round < rounds; round++) {
    // Alternate the order too, so no contender always follows the same one.
    const order = round % 2 === 0 ? contenders : [...contenders].reverse()
    for (const contender of order) {
      const out = samples.get(contender.name) ?? []
      for (let i = 0; i < block; i++) {
        const start = performance.now()
        await contender[call]()
        out.push((performance.now() - start) * 1000)
      }
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]))
}

/**
 * Calls per second with `concurrency` calls in flight, per contender: the
 * median of `rounds` windows of `windowMs` each, contenders alternating.
 */
export const throughput = async (
  contenders: ReadonlyArray<Contender>,
  call: Call,
  { concurrency, rounds, windowMs }: { readonly concurrency: number; readonly rounds: number; readonly windowMs: number }
): Promise<Map<string, number>> => {
  const samples = new Map(contenders.map((c) => [c.name, [] as Array<number>]))
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse()
    for (const contender of order) {
      let done = 0
      const deadline = performance.now() + windowMs
      const start = performance.now()
      const worker = async (): Promise<void> => {
        while (performance.now() < deadline) {
          await contender[call]()
          done++
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
      samples.get(contender.name)?.push(done / ((performance.now() - start) / 1000))
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]))
}

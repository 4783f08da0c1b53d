/**
 * Ids and timestamps of the test double, in the formats memorylayer-server
 * 0.2.0 uses: `mem_` and `assoc_` with 16 hex digits, `sess_` with 32, `ws_`
 * with 16; times as ISO 8601 in UTC with microseconds. With a seed, the ids
 * are the same on every run.
 *
 * @module
 */

/** Where the double's ids and times come from. */
export interface IdSource {
  /** `prefix` followed by `digits` hex digits, e.g. `mem_3f0c9a1b2d4e5f60`. */
  readonly next: (prefix: string, digits: number) => string
}

/** A 32-bit generator (mulberry32): small, fast and good enough for ids. */
const mulberry32 = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** A seed from the platform's random source, for a double created without one. */
const randomSeed = (): number => crypto.getRandomValues(new Uint32Array(1))[0] as number

/**
 * Ids drawn from `seed` (a random one when `undefined`).
 *
 * @example
 * ```ts
 * const ids = makeIdSource(7)
 * ids.next("mem_", 16) // the same id on every run with seed 7
 * ```
 */
export const makeIdSource = (seed: number | undefined): IdSource => {
  const random = mulberry32(seed ?? randomSeed())
  return {
    next: (prefix, digits) => {
      let hex = ""
      while (hex.length < digits) hex += random().toString(16).padStart(8, "0")
      return `${prefix}${hex.slice(0, digits)}`
    }
  }
}

/**
 * `date` as the server writes times: ISO 8601, UTC, six fractional digits.
 *
 * @example
 * ```ts
 * isoTime(new Date("2026-01-02T03:04:05.678Z")) // "2026-01-02T03:04:05.678000Z"
 * ```
 */
export const isoTime = (date: Date): string => date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z")

/** `isoTime(date)` with `+00:00` instead of `Z`, as the server's Python writes times inside JSON objects it builds itself. */
export const pythonIsoTime = (date: Date): string => isoTime(date).replace(/Z$/, "+00:00")

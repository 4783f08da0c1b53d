/**
 * "Did you mean ...?": the known name closest to a misspelt one.
 *
 * @module
 */

/** Edit distance between `a` and `b` (insertions, deletions, substitutions), ignoring case. */
const distance = (a: string, b: string): number => {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const current = [i]
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[y.length] ?? Number.POSITIVE_INFINITY
}

/**
 * The name of `known` closest to `name`, when it is close enough to be a
 * likely typo (at most a third of its letters differ, or one name holds the
 * other, as `retries` and `maxRetries`), else `undefined`.
 *
 * @example
 * ```ts
 * closest("baseURL", ["baseUrl", "apiKey"]) // "baseUrl"
 * closest("limitt", ["limit", "offset"]) // "limit"
 * closest("retries", ["timeout", "maxRetries"]) // "maxRetries"
 * closest("color", ["limit"]) // undefined
 * ```
 */
export const closest = (name: string, known: Iterable<string>): string | undefined => {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  const lower = name.toLowerCase()
  for (const candidate of known) {
    const other = candidate.toLowerCase()
    const holds = Math.min(lower.length, other.length) >= 4 && (other.includes(lower) || lower.includes(other))
    const d = holds ? 1 : distance(name, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined
}

/**
 * The message of an option a method does not take: what it does take (its
 * own options, then the per-call ones) and the closest of them, if any.
 *
 * @example
 * ```ts
 * unknownOptionMessage("limitt", ["limit", "offset"], ["timeout"])
 * // "is not an option of this method (it takes limit, offset, timeout); did you mean limit?"
 * ```
 */
export const unknownOptionMessage = (name: string, own: ReadonlyArray<string>, perCall: Iterable<string>): string => {
  const takes = [...own, ...perCall]
  const suggestion = closest(name, takes)
  return `is not an option of this method (it takes ${takes.join(", ")})${suggestion === undefined ? "" : `; did you mean ${suggestion}?`}`
}

/**
 * From a method's camelCase options object to the API's snake_case fields,
 * refusing any option the method does not know (nothing is silently dropped).
 *
 * @module
 */
import type { ValidationIssue } from "./errors.ts"

/** `"minRelevance"` -> `"min_relevance"`. */
export const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** `"min_relevance"` -> `"minRelevance"`, at the type level. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S

/** The fields `Keys` of the API object `T`, renamed to camelCase, `null` dropped, all optional. */
export type CamelFields<T, Keys extends keyof T> = {
  readonly [K in Keys as CamelCase<K & string>]?: Exclude<T[K], null> | undefined
}

/** The per-call keys every options object may carry besides the API fields. */
export const CALL_OPTION_KEYS: ReadonlySet<string> = new Set(["timeout", "maxRetries", "signal"])

/** The outcome of splitting an options object. */
export interface Fields {
  /** The API fields, snake_case, `undefined` values left out. */
  readonly values: Record<string, unknown>
  /** Options the method does not know. */
  readonly issues: ReadonlyArray<ValidationIssue>
}

/**
 * Picks the API fields out of `options`. `allowed` lists the camelCase option
 * names the method accepts; `renames` maps an option to a wire name other
 * than its snake_case (e.g. the documented `spaceId` is the server's `context_id`).
 *
 * @example
 * ```ts
 * toFields({ minRelevance: 0.5, timeout: 1000 }, ["minRelevance"]).values // { min_relevance: 0.5 }
 * toFields({ limitt: 3 }, ["limit"]).issues // [{ path: ["options", "limitt"], message: "is not an option of this method" }]
 * ```
 */
export const toFields = (
  options: object | undefined,
  allowed: ReadonlyArray<string>,
  renames: Readonly<Record<string, string>> = {}
): Fields => {
  const values: Record<string, unknown> = {}
  const issues: Array<ValidationIssue> = []
  if (options === undefined || options === null) return { values, issues }
  if (typeof options !== "object" || Array.isArray(options)) {
    return { values, issues: [{ path: ["options"], message: "must be an object" }] }
  }
  for (const [key, value] of Object.entries(options)) {
    if (CALL_OPTION_KEYS.has(key)) continue
    if (!allowed.includes(key) && !(key in renames)) {
      issues.push({ path: ["options", key], message: `is not an option of this method (known: ${[...allowed, ...Object.keys(renames)].join(", ")})` })
      continue
    }
    if (value === undefined) continue
    const wire = renames[key] ?? snakeCase(key)
    if (wire in values) {
      issues.push({ path: ["options", key], message: `sets ${wire} a second time` })
      continue
    }
    values[wire] = value
  }
  return { values, issues }
}

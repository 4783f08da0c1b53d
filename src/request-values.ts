/**
 * Request values that the contract's schemas accept but that cannot be sent
 * as they are. Path and query values are percent-encoded, so `/`, `?`, `#`
 * and `%` stay inside their segment; but a whole path segment of `.` or `..`
 * is removed or climbs one level when the URL is normalised
 * (`getMemory("..")` would send `GET /v1/`), and a string with a lone
 * surrogate cannot be percent-encoded at all. A header value with a control
 * character or beyond Latin-1 would make `fetch` throw after the call
 * started, looking like a connection that failed.
 *
 * @module
 */
import type { RequestInput } from "./bind.ts"
import type { ValidationIssue } from "./errors.ts"
import { headerValueIssue } from "./headers.ts"

const LONE_SURROGATE = /\p{Surrogate}/u
const NOT_IN_A_URL = "must not contain a lone surrogate (half of a UTF-16 pair): it cannot be sent in a URL"

/** `issues` (made when there were none yet) with one more. */
const add = (issues: Array<ValidationIssue> | undefined, path: ReadonlyArray<string | number>, message: string): Array<ValidationIssue> => {
  const list = issues ?? []
  list.push({ path, message })
  return list
}

/**
 * The broken rules of `input`'s path, query and header values, or
 * `undefined` when there is none.
 *
 * @example
 * ```ts
 * unsendable({ path: { memory_id: ".." } })
 * // [{ path: ["path", "memory_id"], message: "must not be \"..\": the request would address another route" }]
 * ```
 */
export const unsendable = (input: RequestInput): Array<ValidationIssue> | undefined => {
  let issues: Array<ValidationIssue> | undefined
  const { path, query, headers } = input
  for (const name in path) {
    const value = path[name]
    if (typeof value !== "string") continue
    if (value === "." || value === "..") issues = add(issues, ["path", name], `must not be "${value}": the request would address another route`)
    else if (LONE_SURROGATE.test(value)) issues = add(issues, ["path", name], NOT_IN_A_URL)
  }
  for (const name in query) {
    const value = query[name]
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) issues = add(issues, ["query", name], NOT_IN_A_URL)
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i]
        if (typeof item === "string" && LONE_SURROGATE.test(item)) issues = add(issues, ["query", name, i], NOT_IN_A_URL)
      }
    }
  }
  for (const name in headers) {
    const value = headers[name]
    const issue = typeof value === "string" ? headerValueIssue(value) : undefined
    if (issue !== undefined) issues = add(issues, ["headers", name], issue)
  }
  return issues
}

/**
 * The issue of input that throws when it is read (a getter, a Proxy's trap)
 * at `path`: the caller's own error, in words.
 *
 * @example
 * ```ts
 * unreadable(new Error("not loaded")) // { path: ["arguments"], message: "could not be read: not loaded" }
 * ```
 */
export const unreadable = (error: unknown, path: ReadonlyArray<string | number> = ["arguments"]): ValidationIssue => ({
  path,
  message: `could not be read: ${error instanceof Error ? error.message : String(error)}`
})

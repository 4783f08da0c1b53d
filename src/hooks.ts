/**
 * The few methods with real client-side logic, named by `x-sdk.hook` in
 * openapi.yaml. Everything else about a method is data in the operations
 * table.
 *
 * @module
 */
import type { RequestInput } from "./bind.ts"
import type { ValidationIssue } from "./errors.ts"

/** Client-side logic around one operation. */
export interface Hook {
  /** Adjusts the bound request before it is validated; returns the broken rules, if any. */
  readonly prepare?: (
    input: RequestInput,
    client: Readonly<Record<string, unknown>>
  ) => ReadonlyArray<ValidationIssue> | Promise<ReadonlyArray<ValidationIssue>>
  /** Shapes the decoded answer into what the method returns. */
  readonly finish?: (result: unknown, client: Readonly<Record<string, unknown>>) => unknown
}

/** The documented briefing window, in hours. */
const BRIEFING_DEFAULT_HOURS = 24

/**
 * `getBriefing({ lookbackHours })`: the documented window is in hours
 * (default 24); the server reads `lookback_minutes` (default 60), so hours
 * are sent as whole minutes. `lookbackMinutes` is taken as is.
 */
const getBriefing: Hook = {
  prepare: (input, client) => {
    const hours = client["lookbackHours"]
    const query = (input.query ??= {})
    if (hours !== undefined && query["lookback_minutes"] !== undefined) {
      return [{ path: ["options", "lookbackHours"], message: "give lookbackHours or lookbackMinutes, not both" }]
    }
    if (query["lookback_minutes"] === undefined) {
      const window = hours ?? BRIEFING_DEFAULT_HOURS
      // A value that is not a number is left for validation to name.
      input.query = { lookback_minutes: typeof window === "number" ? Math.round(window * 60) : window, ...query }
    }
    return []
  }
}

/**
 * `getContext(sessionId, keys)`: the server returns one key or all of them;
 * the documented method takes a list, so every key is read and the requested
 * ones that exist are returned (all of them when `keys` is omitted or empty).
 */
const getContext: Hook = {
  prepare: (_input, client) => {
    const keys = client["keys"]
    return keys === undefined || (Array.isArray(keys) && keys.every((k) => typeof k === "string"))
      ? []
      : [{ path: ["keys"], message: "must be an array of strings" }]
  },
  finish: (result, client) => {
    const keys = client["keys"] as ReadonlyArray<string> | undefined
    if (keys === undefined || keys.length === 0) return result
    const all = result as Readonly<Record<string, unknown>>
    return Object.fromEntries(keys.filter((key) => Object.hasOwn(all, key)).map((key) => [key, all[key]]))
  }
}

/** The hooks by the name `x-sdk.hook` gives them. */
export const hooks: Readonly<Record<string, Hook>> = { getBriefing, getContext }

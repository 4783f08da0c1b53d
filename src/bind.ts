/**
 * Binding a method's arguments to its request, as the operations table says:
 * positional parameters to their path, query or body fields, the options
 * object's camelCase keys to the API's fields, the documented defaults the
 * SDK sends, and the one option some methods also take positionally
 * (`forget(id, true)`). Nothing is dropped: an unknown option, a key set
 * twice, or an argument too many is a `ValidationIssue`.
 *
 * @module
 */
import { type MethodRow, type OperationRow, operationRow } from "./rows.ts"
import type { ValidationIssue } from "./errors.ts"
import type { CallOptions } from "./options.ts"
import { unknownOptionMessage } from "./suggest.ts"

/** `min_relevance` -> `minRelevance`; `If-Match` -> `ifMatch` (as codegen names options). */
const camel = (name: string): string => {
  const [head = "", ...rest] = name.split(/[_-]+/)
  return head.charAt(0).toLowerCase() + head.slice(1) + rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("")
}

const targetsCache = new WeakMap<object, ReadonlyMap<string, string>>()

/**
 * The options of method `row`: option name -> `location.wire`, or `client`
 * for one read by the client itself. Read once per method from the table's
 * compact form (`body.min_relevance spaceId=body.context_id autoSetSession=client`).
 */
export const optionTargets = (row: Row): ReadonlyMap<string, string> => {
  let targets = targetsCache.get(row)
  if (targets === undefined) {
    const map = new Map<string, string>()
    for (const token of (row.options as string).split(" ")) {
      if (token === "") continue
      const equals = token.indexOf("=")
      if (equals !== -1) map.set(token.slice(0, equals), token.slice(equals + 1))
      else map.set(camel(token.slice(token.indexOf(".") + 1)), token)
    }
    targets = map
    targetsCache.set(row, targets)
  }
  return targets
}

/** Each option target split once: {@link placeOf}. */
const places = new Map<string, readonly [Location, string]>()

/** Where an option's target (`body.content`, `query.limit`) puts its value: the location and the wire name. */
const placeOf = (target: string): readonly [Location, string] => {
  let place = places.get(target)
  if (place === undefined) {
    const dot = target.indexOf(".")
    place = [target.slice(0, dot) as Location, target.slice(dot + 1)]
    places.set(target, place)
  }
  return place
}

/** The per-call keys every options object may carry besides the API fields. */
export const CALL_OPTION_KEYS: ReadonlySet<string> = new Set(["timeout", "maxRetries", "signal", "maxResponseBytes", "requestId"])

/** What a caller supplies to an operation, as the contract names it. */
export interface RequestInput {
  path?: Record<string, unknown>
  query?: Record<string, unknown>
  headers?: Record<string, unknown>
  body?: Record<string, unknown>
}

/** The outcome of binding one call's arguments. */
export interface Bound {
  readonly input: RequestInput
  /** Values of client-side parameters and options (read by hooks and the runner), by name. */
  readonly client: Record<string, unknown>
  /** The options object, for its per-call `timeout`, `maxRetries`, `maxResponseBytes`, `signal` and `requestId`. */
  readonly options: CallOptions | undefined
  /** The file of an upload, taken out of the body (it is checked as a file, not as JSON). */
  readonly upload: unknown
  /** What is wrong with the arguments: the call's own list, which the caller adds its own checks to. */
  readonly issues: Array<ValidationIssue>
}

/** The binding row of one method. */
export type Row = MethodRow
type Location = "path" | "query" | "header" | "body"

const isOptionsObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * Whether the argument after the positional parameters is the method's
 * positional option rather than its options object: a scalar is; for an
 * object-valued option (`createWorkspace(name, settings)`), an object with a
 * key that is not an option name is.
 */
const isPositionalOption = (row: Row, value: unknown): boolean => {
  if (row.positional === undefined || value === undefined || value === null) return false
  if (!isOptionsObject(value)) return true
  if (row.positionalIsObject !== true) return false
  const targets = optionTargets(row)
  return Object.keys(value).some((key) => !targets.has(key) && !CALL_OPTION_KEYS.has(key))
}

/** Splits `args` into the positional values and the options object, without reading the options. */
export const optionsOf = (row: Row, args: ReadonlyArray<unknown>): unknown => {
  const next = args[row.params.length]
  return isPositionalOption(row, next) || (next === undefined && row.positional !== undefined) ? args[row.params.length + 1] : next
}

/** Binds one call's arguments to the operation's request. */
export const bind = (row: Row, args: ReadonlyArray<unknown>): Bound => {
  const issues: Array<ValidationIssue> = []
  const client: Record<string, unknown> = {}
  const positional: Partial<Record<Location, Record<string, unknown>>> = {}
  for (let i = 0; i < row.params.length; i++) {
    const [name, location, wire] = row.params[i] as readonly [string, string, string]
    if (location === "client") client[name] = args[i]
    // An optional parameter left out (`resolve(undefined, { query })`) sends nothing, as if it were not there.
    else if (args[i] !== undefined) (positional[location as Location] ??= {})[wire] = args[i]
  }
  const targets = optionTargets(row)
  let next = row.params.length
  const chosen: Partial<Record<Location, Record<string, unknown>>> = {}
  // `positional`: given as the positional option, not in the options object.
  const setOption = (name: string, value: unknown, positional: boolean): void => {
    const target = targets.get(name) as string
    if (target === "client") {
      client[name] = value
      return
    }
    const [location, wire] = placeOf(target)
    const values = (chosen[location] ??= {})
    if (Object.hasOwn(values, wire)) issues.push({ path: positional ? [name] : ["options", name], message: `sets ${wire} a second time` })
    else values[wire] = value
  }
  if (row.positional !== undefined) {
    if (isPositionalOption(row, args[next])) {
      setOption(row.positional, args[next], true)
      next++
    } else if (args[next] === undefined && args[next + 1] !== undefined) {
      // forget(id, undefined, { timeout }): the positional option was left out.
      next++
    }
  }
  const options = args[next]
  if (options !== undefined && options !== null) {
    if (!isOptionsObject(options)) {
      issues.push({ path: ["options"], message: "must be an object" })
    } else {
      // A symbol key names no option (and JSON could not carry it): refused like an unknown name, not dropped.
      for (const symbol of Object.getOwnPropertySymbols(options)) {
        issues.push({ path: ["options", symbol.toString()], message: unknownOptionMessage(symbol.toString(), [...targets.keys()], CALL_OPTION_KEYS) })
      }
      for (const key of Object.keys(options)) {
        if (CALL_OPTION_KEYS.has(key)) continue
        if (!targets.has(key)) {
          issues.push({ path: ["options", key], message: unknownOptionMessage(key, [...targets.keys()], CALL_OPTION_KEYS) })
          continue
        }
        const value = options[key]
        if (value !== undefined) setOption(key, value, false)
      }
    }
  }
  let last = args.length - 1
  while (last >= 0 && args[last] === undefined) last--
  if (last > next) issues.push({ path: ["arguments"], message: `expected at most ${next + 1} arguments, got ${last + 1}` })
  const input: RequestInput = {}
  const info = operationRow(row.operationId) as OperationRow
  const send = row.send ?? {}
  for (const location of ["path", "query", "header", "body"] as const) {
    const present = location === "body" ? info.hasBody === true : location === "path" ? info.pathParams !== undefined : true
    if (!present) continue
    const given = positional[location]
    const fixed = send[location]
    const set = chosen[location]
    // The call's own objects are fresh, so one of them alone is taken as it is; the row's fixed values are copied.
    const values = fixed === undefined && (given === undefined || set === undefined) ? (given ?? set ?? {}) : { ...given, ...fixed, ...set }
    if ((location === "query" || location === "header") && Object.keys(values).length === 0) continue
    input[location === "header" ? "headers" : location] = values
  }
  if (row.idempotencyKey === true && input.headers?.["Idempotency-Key"] === undefined) {
    // One key per call: every retry of this call sends the same one, so the server applies the write once.
    input.headers = { ...input.headers, "Idempotency-Key": crypto.randomUUID() }
  }
  let upload: unknown
  if (row.upload !== undefined && input.body !== undefined) {
    const { [row.upload.part]: file, ...fields } = input.body
    upload = file
    input.body = fields
  }
  return { input, client, options: isOptionsObject(options) ? (options as CallOptions) : undefined, upload, issues }
}

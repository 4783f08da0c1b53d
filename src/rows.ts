/**
 * The operations and methods tables, as the runtime reads them. Only the
 * directory of methods loads with the package; a module's rows load, with
 * its checkers, on the first call of one of its methods
 * (`generated/ops/<module>.gen.ts`: a namespace, or the flat methods of one
 * subject), so what loads first hardly grows with the API.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import { directory } from "../generated/operations.gen.ts"
import { loaders } from "../generated/ops/index.gen.ts"

/** What the runner reads about one HTTP operation. */
export interface OperationRow {
  readonly operationId: string
  /** Upper-case HTTP method. */
  readonly method: string
  /** The route template, e.g. `/v1/memories/{memory_id}`. */
  readonly path: string
  /** Safe to send twice (then retried after the request may have reached the server); absent: not. */
  readonly idempotent?: true
  /** The path parameters' names, in the route's order; absent: none. */
  readonly pathParams?: ReadonlyArray<string>
  /** The operation takes a request body; absent: it does not. */
  readonly hasBody?: true
  /** The route needs an active session (`X-Session-ID`); absent: it does not. */
  readonly requiresSession?: true
}

/** How a list pages (`x-sdk.paginate`). */
export interface Paging {
  readonly style: "offset" | "cursor"
  readonly items: string
  readonly offset: string
  readonly limit: string
  readonly end: "short-page" | "empty-page" | "total"
  readonly total?: string | undefined
  readonly token: string
  readonly next: string
  readonly clientFilter: ReadonlyArray<string>
  readonly iterator?: string | undefined
  readonly limitDefault?: number | undefined
}

/** How one method binds its arguments to its operation, and shapes the answer (from `x-sdk`). */
export interface MethodRow {
  readonly operationId: string
  readonly aliases?: ReadonlyArray<string>
  /** Positional parameters: `[name, location | "client", wire name]`. */
  readonly params: ReadonlyArray<readonly [string, string, string]>
  /** The options, in compact form (see `optionTargets` in bind.ts). */
  readonly options: string
  readonly positional?: string
  readonly positionalIsObject?: boolean
  readonly send?: Readonly<Partial<Record<"path" | "query" | "header" | "body", Readonly<Record<string, unknown>>>>>
  readonly unwrap?: string
  readonly result?: "true" | "void"
  readonly session?: "set" | "clear"
  readonly hook?: string
  readonly download?: "text" | "blob" | "stream"
  readonly stream?: string
  readonly paginate?: Paging
  readonly idempotencyKey?: true
  /** The read of the current etag; `scoped`: it takes the write's `workspace_id`. */
  readonly etag?: { readonly read: string; readonly field: string; readonly query?: Readonly<Record<string, unknown>>; readonly scoped?: true }
  readonly upload?: { readonly part: string; readonly filename?: string }
  readonly fromClient?: Readonly<Record<string, string>>
}

/** The rows of the loaded modules (each module's with its first call). */
const methodRows = new Map<string, MethodRow>()
const operationRows = new Map<string, OperationRow>()

/** Every method's key and its group, in contract order: `[key, group, flat aliases]`. */
export const methodDirectory = directory as ReadonlyArray<readonly [key: string, group: string, aliases?: ReadonlyArray<string>]>

const groups = new Map(methodDirectory.map(([key, group]) => [key, group]))

/**
 * The module of each operation, from the directory: a flat method's key is
 * its operationId, and a namespaced one's operationId is the namespace and
 * the method's name (`threads.list`: `threadsList`), which codegen enforces.
 */
let operationModules: Map<string, string> | undefined
export const moduleOfOperation = (id: string): string => {
  operationModules ??= new Map(methodDirectory.map(([key, group]) => {
    const dot = key.indexOf(".")
    return [dot === -1 ? key : key.slice(0, dot) + key.charAt(dot + 1).toUpperCase() + key.slice(dot + 2), group]
  }))
  return operationModules.get(id) as string
}

/** The row of method `key`, if its module is loaded. */
export const methodRow = (key: string): MethodRow | undefined => methodRows.get(key)

/** The row of operation `id`, if its group is loaded. */
export const operationRow = (id: string): OperationRow | undefined => operationRows.get(id)

const loading = new Map<string, Promise<void>>()

/** Loads the rows (and checkers) of method `key`'s group, once. */
export const loadGroupOf = (key: string): Promise<void> => {
  const group = groups.get(key)
  if (group === undefined) return Promise.reject(new Error(`memorylayer-client: no method ${key}`))
  let pending = loading.get(group)
  if (pending === undefined) {
    pending = (loaders as Readonly<Record<string, () => Promise<{ readonly methods?: object; readonly operations?: object }>>>)[group]!().then((module) => {
      for (const [k, row] of Object.entries(module.methods ?? {})) methodRows.set(k, row as MethodRow)
      for (const [k, row] of Object.entries(module.operations ?? {})) operationRows.set(k, row as OperationRow)
    })
    loading.set(group, pending)
  }
  return pending
}

/** Method `key`'s row, loading its group first when needed. */
export const methodRowOf = (key: string): Effect.Effect<MethodRow> => {
  const row = methodRows.get(key)
  return row !== undefined ? Effect.succeed(row) : Effect.promise(() => loadGroupOf(key).then(() => methodRows.get(key) as MethodRow))
}

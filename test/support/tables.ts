/**
 * The whole operations and methods tables, every namespace loaded (the
 * package loads a namespace's rows with its first call; tests want them all).
 */
import type { MethodKey, OperationId } from "../../generated/operations.gen.ts"
import { loaders } from "../../generated/ops/index.gen.ts"
import type { MethodRow, OperationRow } from "../../src/rows.ts"

const operationRows: Record<string, OperationRow> = {}
const methodRows: Record<string, MethodRow> = {}
for (const load of Object.values(loaders)) {
  const module = (await load()) as { readonly operations?: Record<string, OperationRow>; readonly methods?: Record<string, MethodRow> }
  Object.assign(operationRows, module.operations)
  Object.assign(methodRows, module.methods)
}

/** Every operation's row, by operationId. */
export const operations = operationRows as Readonly<Record<OperationId, OperationRow>>

/** Every method's row, by key (`name`, or `namespace.name`). */
export const methods = methodRows as Readonly<Record<MethodKey, MethodRow>>

/** Method `key` (`name`, or `namespace.name`) of `client`, bound to where it lives. */
export const methodOf = (client: object, key: string): ((...args: ReadonlyArray<unknown>) => Promise<unknown>) => {
  const dot = key.indexOf(".")
  const home = (dot === -1 ? client : (client as Record<string, unknown>)[key.slice(0, dot)]) as Record<string, (...args: ReadonlyArray<unknown>) => Promise<unknown>>
  const method = home[key.slice(dot + 1)] as (...args: ReadonlyArray<unknown>) => Promise<unknown>
  return (...args) => method.apply(home, [...args])
}

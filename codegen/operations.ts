/**
 * Emits the operations table: what the runner needs to know about each
 * operation at run time (method, path, idempotency, declared error statuses)
 * and how each method binds its arguments to the request (from `x-sdk`).
 * It is plain data, read when the package is imported, so it stays small:
 * schemas, checkers and request functions load on an operation's first call.
 */
import { bindingRow } from "./methods.ts"
import type { Method } from "./sdk.ts"

/** Generated TypeScript source of `operations.gen.ts`. */
export const emitOperations = (methods: ReadonlyArray<Method>, header: string): string => {
  const rows = methods.map((method) => {
    const op = method.operation
    const names = (location: string) => JSON.stringify(op.parameters.filter((p) => p.in === location).map((p) => p.name))
    const binding = Object.entries(bindingRow(method)).map(([key, value]) => `    ${key}: ${JSON.stringify(value)},`)
    return [
      `  ${op.operationId}: {`,
      `    operationId: "${op.operationId}",`,
      `    method: "${op.method}",`,
      `    path: "${op.path}",`,
      `    idempotent: ${op.idempotent},`,
      `    successStatus: ${op.successStatus},`,
      `    errorStatuses: ${JSON.stringify(op.errorStatuses)},`,
      `    pathParams: ${names("path")},`,
      `    queryParams: ${names("query")},`,
      `    hasBody: ${op.requestBody !== undefined},`,
      `    requiresSession: ${op.parameters.some((p) => p.in === "header" && p.name === "X-Session-ID" && p.required === true)},`,
      ...binding,
      `  },`
    ].join("\n")
  })
  return [
    header,
    "/** Every HTTP operation of openapi.yaml, keyed by operationId. */",
    "export const operations = {",
    ...rows,
    "} as const",
    "",
    "/** The operationId of an HTTP operation. */",
    "export type OperationId = keyof typeof operations",
    "",
    "/** The row of one operation. */",
    "export type OperationInfo<Id extends OperationId = OperationId> = (typeof operations)[Id]",
    ""
  ].join("\n")
}

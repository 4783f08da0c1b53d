/**
 * Emits the operations table: what the service needs to know about each
 * operation at run time (method, path, idempotency, declared error statuses).
 */
import type { Spec } from "./spec.ts"

/** Generated TypeScript source of `operations.gen.ts`. */
export const emitOperations = (spec: Spec, header: string): string => {
  const rows = spec.operations.map((op) => {
    const names = (location: string) => JSON.stringify(op.parameters.filter((p) => p.in === location).map((p) => p.name))
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
      `    requiresSession: ${op.parameters.some((p) => p.in === "header" && p.name === "X-Session-ID" && p.required === true)}`,
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

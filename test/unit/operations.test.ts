import { describe, expect, it } from "vitest"
import { operationsMeta } from "../../generated/operations-meta.gen.ts"
import type { OperationId } from "../../generated/operations.gen.ts"
import { operations } from "../support/tables.ts"
import { operationSchemas } from "../../generated/schemas.gen.ts"
import { contractOperations } from "../support/contract.ts"

/** Safe to send twice: read-only operations, and writes that set a state rather than add one. */
const IDEMPOTENT = [
  "recall", "reflect", "getMemory", "updateMemory", "forget", "traceMemory", "getAssociations",
  "getSession", "deleteSession", "setContext", "getContext", "touchSession", "getBriefing",
  "getWorkspace", "updateWorkspace", "getWorkspaceSchema",
  "contextInspect", "contextLoad", "contextInject", "contextStatus", "contextCheckpoint", "contextCleanup"
] as const

/** Each call adds something (a memory, a link, a session, a run), so a repeat is a duplicate. */
const NOT_IDEMPOTENT = [
  "remember", "decay", "batchMemories", "associate", "createSession", "commitSession", "createWorkspace",
  "contextExec", "contextQuery", "contextRlm"
] as const

const CONTEXT = [
  "contextExec", "contextInspect", "contextLoad", "contextInject", "contextQuery", "contextRlm",
  "contextStatus", "contextCheckpoint", "contextCleanup"
] as const

const ids = Object.keys(operations) as Array<OperationId>

describe("operations table", () => {
  it("lists the 32 operations of the documented client among the server's", () => {
    expect(ids).toEqual(expect.arrayContaining([...IDEMPOTENT, ...NOT_IDEMPOTENT]))
  })

  it("keys every row by its own operationId", () => {
    expect(ids.filter((id) => operations[id].operationId !== id)).toEqual([])
  })

  it.each(IDEMPOTENT)("marks %s idempotent, so it may be retried after the request reached the server", (id) => {
    expect(operations[id].idempotent).toBe(true)
  })

  it.each(NOT_IDEMPOTENT)("marks %s not idempotent, so it is never sent twice", (id) => {
    expect(operations[id].idempotent).toBeUndefined()
  })

  it("requires a session exactly for the context sandbox operations", () => {
    expect(ids.filter((id) => operations[id].requiresSession).sort()).toEqual([...CONTEXT].sort())
  })

  it("gives every operation an input schema, and a success-body schema unless it answers 204 or something other than JSON", () => {
    const notJson = new Set(contractOperations.filter((op) => op.successMedia.length > 0 && !op.successMedia.includes("application/json")).map((op) => op.operationId))
    for (const id of ids) {
      const schemas = operationSchemas[id]
      expect(schemas.input, id).toBeDefined()
      expect(schemas.output === undefined, id).toBe(operationsMeta[id].successStatus === 204 || notJson.has(id))
    }
  })
})

describe("operations table against openapi.yaml", () => {
  it("covers every operation of the contract and nothing else", () => {
    expect(contractOperations.map((op) => op.operationId).sort()).toEqual([...ids].sort())
  })

  it.each(contractOperations)("$operationId declares x-idempotent as a boolean", ({ xIdempotent }) => {
    expect(typeof xIdempotent).toBe("boolean")
  })

  it.each(contractOperations)("$operationId: the table row matches $method $path in the contract", (op) => {
    const row = operations[op.operationId as OperationId]
    expect(row).toBeDefined()
    const successes = op.statuses.filter((s) => s >= 200 && s < 300)
    expect({
      method: row.method,
      path: row.path,
      idempotent: row.idempotent === true,
      successStatus: operationsMeta[op.operationId as OperationId].successStatus,
      errorStatuses: operationsMeta[op.operationId as OperationId].errorStatuses,
      pathParams: row.pathParams ?? [],
      queryParams: operationsMeta[op.operationId as OperationId].queryParams,
      hasBody: row.hasBody === true,
      requiresSession: row.requiresSession === true
    }).toEqual({
      method: op.method,
      path: op.path,
      idempotent: op.xIdempotent,
      successStatus: successes[0],
      errorStatuses: op.statuses.filter((s) => s >= 400),
      pathParams: op.parameters.filter((p) => p.in === "path").map((p) => p.name),
      queryParams: op.parameters.filter((p) => p.in === "query").map((p) => p.name),
      hasBody: op.hasRequestBody,
      requiresSession: op.parameters.some((p) => p.in === "header" && p.name === "X-Session-ID" && p.required)
    })
    expect(new Set(successes.map((status) => JSON.stringify(op.successBodies[status]))).size, "one success body shape").toBe(1)
  })

  it.each(contractOperations)("$operationId declares 429 and 503, so rate limits and overload map to typed, retryable errors", (op) => {
    expect(op.statuses).toEqual(expect.arrayContaining([429, 503]))
  })
})

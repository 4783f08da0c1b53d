/**
 * Which operations of the contract the e2e tests exercised against the real
 * server. Every test file sends its traffic through {@link recording}, which
 * notes the operation of each request on the wire; {@link reportCoverage}
 * writes the file's set where the global setup collects them, and the setup
 * prints the union at the end of the run:
 * `e2e: N/M operations exercised against memorylayer-server`.
 *
 * Test files run in workers of their own, so the sets meet in files, not in
 * memory.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, inject } from "vitest"
import type { OperationId } from "../../generated/operations.gen.ts"
import { operations } from "../support/tables.ts"
import type { FetchLike } from "../../src/index.ts"

/** The operations this test file exercised. */
export const exercised = new Set<OperationId>()

/** Every route of the contract; routes with fewer parameters first, so `/v1/mcp-servers/export` is not taken for `/{server_id}`. */
const routes = (Object.keys(operations) as Array<OperationId>)
  .map((id) => ({
    id,
    method: operations[id].method,
    params: operations[id].pathParams?.length ?? 0,
    pattern: new RegExp(`^${operations[id].path.replace(/\{[^}]+\}/g, "[^/]+")}$`)
  }))
  .sort((a, b) => a.params - b.params)

/** The operation a request is, or `undefined` when it is none of the contract's. */
export const operationOf = (method: string, url: string): OperationId | undefined => {
  const { pathname } = new URL(url)
  return routes.find((r) => r.method === method && r.pattern.test(pathname))?.id
}

/** A fetch that records which operation each request is, then sends it with `next` (the global fetch by default). */
export const recording = (next: FetchLike = fetch): FetchLike => (request, init) => {
  const id = operationOf(request.method, request.url)
  if (id !== undefined) exercised.add(id)
  return next(request, init)
}

/** Writes this file's exercised operations for the run's count once its tests are done. */
export const reportCoverage = (file: string): void => {
  afterAll(() => {
    writeFileSync(join(inject("coverageDir"), `${file}.json`), JSON.stringify([...exercised].sort()))
  })
}

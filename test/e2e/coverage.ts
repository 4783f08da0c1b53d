/**
 * Which operations of the contract the e2e tests sent to the real server.
 * Every test file wraps its `fetch` in {@link recording}; each operation seen
 * on the wire is appended to a file of the run's exercised folder (test files
 * run in separate workers), and the global teardown (server-setup.ts) counts
 * them all into the `e2e: N/M operations exercised` line.
 *
 * ```ts
 * const client = new MemoryLayerClient({ baseUrl: inject("memorylayerUrl"), fetch: recording() })
 * ```
 *
 * @module
 */
import { appendFileSync } from "node:fs"
import { join } from "node:path"
import { threadId } from "node:worker_threads"
import { inject } from "vitest"
import { type OperationId, operations } from "../../generated/operations.gen.ts"
import type { FetchLike } from "../../src/index.ts"

const routes = (Object.keys(operations) as Array<OperationId>).map((id) => ({
  id,
  method: operations[id].method,
  pattern: new RegExp(`^${operations[id].path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  // A literal segment beats a parameter: GET /v1/sessions/briefing is not getSession.
  parameters: (operations[id].path.match(/\{/g) ?? []).length
}))

/** The operation a request is, if it is one of the contract's. */
export const operationOf = (method: string, url: string): OperationId | undefined => {
  const { pathname } = new URL(url)
  const matches = routes.filter((r) => r.method === method && r.pattern.test(pathname))
  return matches.sort((a, b) => a.parameters - b.parameters)[0]?.id
}

const seen = new Set<OperationId>()

/** Records operation `id` as exercised by this run. */
export const recordExercised = (id: OperationId): void => {
  if (seen.has(id)) return
  seen.add(id)
  appendFileSync(join(inject("exercisedDir"), `${process.pid}-${threadId}.txt`), `${id}\n`)
}

/** A fetch that records which operation each request is, then sends it with `inner`. */
export const recording = (inner: FetchLike = fetch): FetchLike => (request, init) => {
  const id = operationOf(request.method, request.url)
  if (id !== undefined) recordExercised(id)
  return inner(request, init)
}

/** The operations this test file has exercised so far. */
export const exercisedHere = (): ReadonlySet<OperationId> => seen

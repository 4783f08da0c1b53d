/**
 * Which contract operations the e2e tests exercised, over every test file.
 *
 * A test file sends its requests through {@link recording}; each request is
 * matched to its operation and the operationId is appended to the file the
 * global setup names, so files that run in separate workers add to one count:
 * ```ts
 * const client = new MemoryLayerClient({ baseUrl, fetch: recording(inject("exercisedFile")) })
 * ``` The global teardown reads it back with
 * {@link exercisedIn} and prints `e2e: N/M operations exercised`.
 */
import { appendFileSync, readFileSync } from "node:fs"
import { type OperationId, operations } from "../../generated/operations.gen.ts"
import type { FetchLike } from "../../src/index.ts"

const routes = (Object.keys(operations) as Array<OperationId>).map((id) => ({
  id,
  method: operations[id].method,
  // Fewer parameters first: /v1/documents/jobs is documentsListJobs, not documentsGet of a document "jobs".
  parameters: (operations[id].path.match(/\{/g) ?? []).length,
  pattern: new RegExp(`^${operations[id].path.replace(/\{[^}]+\}/g, "[^/]+")}$`)
})).sort((a, b) => a.parameters - b.parameters)

/** The operation a request on the wire is, or undefined when it is none of the contract's. */
export const operationOf = (method: string, url: string): OperationId | undefined => {
  const { pathname } = new URL(url)
  return routes.find((route) => route.method === method && route.pattern.test(pathname))?.id
}

/** Every operation of the contract. */
export const allOperations: ReadonlyArray<OperationId> = Object.keys(operations) as Array<OperationId>

/** The operations this test file exercised (the other files' are in the shared file). */
export const exercised = new Set<OperationId>()

/**
 * A fetch that records in `file` which operation each request is, then sends
 * it with `next` (default: the global fetch).
 */
export const recording = (file: string, next: FetchLike = (request, init) => fetch(request, init)): FetchLike => {
  return (request, init) => {
    const id = operationOf(request.method, request.url)
    if (id !== undefined && !exercised.has(id)) {
      exercised.add(id)
      appendFileSync(file, `${id}\n`)
    }
    return next(request, init)
  }
}

/** The operations recorded in `file` by every test file of the run. */
export const exercisedIn = (file: string): ReadonlySet<string> => {
  let text = ""
  try {
    text = readFileSync(file, "utf8")
  } catch {
    // No test file recorded anything.
  }
  return new Set(text.split("\n").filter((line) => line !== ""))
}

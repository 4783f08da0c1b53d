/**
 * The fault matrix: every fault kind of test/support/fault-kinds.ts against
 * idempotent operations (getMemory, a GET; recall, a POST that only reads)
 * and a non-idempotent one (remember), through the Promise client. Each case
 * asserts the outcome (a typed error of the expected class, or success) and
 * the number of requests that reached the server: retried exactly as the
 * policy says, and a write that may have landed never sent twice.
 */
import { afterAll, describe, expect, it } from "vitest"
import { FAULT_KINDS, FAULT_OPERATIONS, type FaultOutcome, runFaultCase } from "../support/fault-kinds.ts"

const cases = FAULT_KINDS.length * FAULT_OPERATIONS.length
const results: Array<FaultOutcome> = []

describe.concurrent("fault matrix", () => {
  afterAll(() => {
    const untyped = results.filter((r) => r.outcome.startsWith("untyped")).length
    const requests = results.reduce((sum, r) => sum + r.requests, 0)
    console.log(
      `fault matrix: ${FAULT_KINDS.length} fault kinds x ${FAULT_OPERATIONS.length} operations = ${cases} cases, ${results.length} run: ` +
        `${untyped} untyped rejections, ${requests} requests reached the server`
    )
  })

  it.each(FAULT_KINDS)("$name: on getMemory, recall and remember", async (kind) => {
    const outcomes = await Promise.all(FAULT_OPERATIONS.map((operation) => runFaultCase(kind, operation, "promise")))
    results.push(...outcomes)
    const seen = outcomes.map((r, i) => `${FAULT_OPERATIONS[i]?.id}: ${r.outcome}, ${r.requests} requests${r.otherOriginRequests > 0 ? ` (${r.otherOriginRequests} to another origin)` : ""}`)
    const expected = FAULT_OPERATIONS.map((operation) => {
      const [outcome, requests] = operation.idempotent ? kind.idempotent : kind.nonIdempotent
      return `${operation.id}: ${outcome}, ${requests} requests`
    })
    expect(seen).toEqual(expected)
  }, 20_000)
})

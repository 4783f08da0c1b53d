/**
 * The seed scenarios (test/support/seed-scenarios.ts) against the real
 * memorylayer-server, through both faces of the SDK, with the traffic going
 * through the contract-checking proxy; and proof that they exercise every
 * operation of the contract. The same scenarios run against the test double
 * in test/unit/test-double-scenarios.test.ts.
 */
import { afterAll, describe, expect, inject, it } from "vitest"
import type { OperationId } from "../../generated/operations.gen.ts"
import { operations } from "../support/tables.ts"
import { MemoryLayer } from "../../src/effect.ts"
import { type FetchLike, MemoryLayerClient } from "../../src/index.ts"
import { MEMORYLAYER_SERVER_VERSION } from "../../scripts/server/venv.ts"
import { seedScenarios } from "../support/seed-scenarios.ts"

const baseUrl = inject("memorylayerUrl")
const exercised = new Set<OperationId>()

const routes = (Object.keys(operations) as Array<OperationId>).map((id) => ({
  id,
  method: operations[id].method,
  pattern: new RegExp(`^${operations[id].path.replace(/\{[^}]+\}/g, "[^/]+")}$`)
}))

/** Records which contract operation each request on the wire is. */
const recording: FetchLike = (request, init) => {
  const { pathname } = new URL(request.url)
  const route = routes.find((r) => r.method === request.method && r.pattern.test(pathname))
  if (route !== undefined) exercised.add(route.id)
  return fetch(request, init)
}

afterAll(() => {
  console.log(`e2e: ${exercised.size}/${routes.length} operations exercised against memorylayer-server`)
})

seedScenarios({
  name: `memorylayer-server ${MEMORYLAYER_SERVER_VERSION}`,
  client: (overrides) => new MemoryLayerClient({ baseUrl, apiKey: "e2e-key", fetch: recording, ...overrides }),
  layer: (overrides) => MemoryLayer.layer({ baseUrl, apiKey: "e2e-key", fetch: recording, ...overrides })
})

describe("coverage", () => {
  it("exercised all 32 operations of the contract", () => {
    expect([...exercised].sort()).toEqual(routes.map((r) => r.id).sort())
  })
})

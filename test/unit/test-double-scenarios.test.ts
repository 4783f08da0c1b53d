/**
 * The seed scenarios (test/support/seed-scenarios.ts), which test/e2e runs
 * against the real memorylayer-server, run here against the in-memory test
 * double of `memorylayer-client/testing`, through both faces: the double must
 * pass exactly what the real server passes, and serve every seed operation
 * while doing so.
 */
import { afterAll, describe, expect, it } from "vitest"
import { SEED_OPERATIONS } from "../../src/testing/call.ts"
import { createTestClient, createTestServer, layerTest } from "../../src/testing.ts"
import { seedScenarios } from "../support/seed-scenarios.ts"

const server = createTestServer()

afterAll(() => {
  const served = new Set(server.requests().map((request) => request.operationId))
  console.log(`test double: ${served.size}/${SEED_OPERATIONS.length} seed operations served to the seed scenarios`)
})

seedScenarios({
  name: "the test double",
  client: (overrides) => createTestClient({ server, ...overrides }),
  layer: (overrides) => layerTest({ server, ...overrides })
})

describe("coverage of the test double", () => {
  it("the scenarios exercised every seed operation, and the double answered none with a 500", () => {
    const served = new Set(server.requests().map((request) => request.operationId))
    expect([...served].sort()).toEqual([...SEED_OPERATIONS].sort())
    expect(server.requests().filter((request) => request.status >= 500)).toEqual([])
  })
})

/**
 * The seed scenarios (test/support/seed-scenarios.ts), which test/e2e runs
 * against the real memorylayer-server, run here against the in-memory test
 * double of `memorylayer-client/testing`, through both faces: the double must
 * pass exactly what the real server passes, serve every seed operation while
 * doing so, and give only answers that openapi.yaml allows.
 */
import { afterAll, describe, expect, it } from "vitest"
import { SEED_OPERATIONS } from "../../src/testing/call.ts"
import { createTestClient, createTestServer, layerTest, type TestServer } from "../../src/testing.ts"
import { checkAnswers } from "../support/answer-check.ts"
import { seedScenarios } from "../support/seed-scenarios.ts"

const double = createTestServer()
const check = checkAnswers(double.fetch)
/** The same server, with every answer checked against the contract on its way to the client. */
const server: TestServer = { ...double, fetch: check.fetch }

afterAll(() => {
  console.log(`test double: ${check.answered.size}/${SEED_OPERATIONS.length} seed operations served to the seed scenarios, ${check.violations.length} contract violations`)
})

seedScenarios({
  name: "the test double",
  client: (overrides) => createTestClient({ server, ...overrides }),
  layer: (overrides) => layerTest({ server, ...overrides })
})

describe("the test double under the seed scenarios", () => {
  it("served every seed operation with its success status", () => {
    const succeeded = SEED_OPERATIONS.filter((id) => {
      const statuses = check.answered.get(id)
      return statuses !== undefined && [...statuses].some((status) => status < 300)
    })
    expect(succeeded).toEqual([...SEED_OPERATIONS])
  })

  it("gave only answers that openapi.yaml allows, and never a 500", () => {
    expect(check.violations).toEqual([])
    expect(double.requests().filter((request) => request.status >= 500)).toEqual([])
  })
})

/**
 * The seed scenarios (test/support/seed-scenarios.ts) against the real
 * memorylayer-server, through both faces of the SDK, with the traffic going
 * through the contract-checking proxy. The same scenarios run against the
 * test double in test/unit/test-double-scenarios.test.ts. The operations
 * they exercise count toward the run's `e2e: N/M operations exercised`
 * (test/e2e/coverage.ts).
 */
import { inject } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { MemoryLayerClient } from "../../src/index.ts"
import { MEMORYLAYER_SERVER_VERSION } from "../../scripts/server/venv.ts"
import { seedScenarios } from "../support/seed-scenarios.ts"
import { recording as recordingFetch, reportCoverage } from "./coverage.ts"

const baseUrl = inject("memorylayerUrl")
const recording = recordingFetch()
reportCoverage("operations")

seedScenarios({
  name: `memorylayer-server ${MEMORYLAYER_SERVER_VERSION}`,
  client: (overrides) => new MemoryLayerClient({ baseUrl, apiKey: "e2e-key", fetch: recording, ...overrides }),
  layer: (overrides) => MemoryLayer.layer({ baseUrl, apiKey: "e2e-key", fetch: recording, ...overrides })
})

/**
 * A write that conflicts with another is a ConflictError, never a
 * ValidationError: a user must be able to tell "try again" from "fix your
 * input". memorylayer-server 0.2.0 answers 412 ("ETag does not match current
 * revision") when remembers of the same content race to update the memory
 * they duplicate.
 */
import { describe, expect, inject, it } from "vitest"
import { ConflictError, MemoryLayerClient } from "../../src/index.ts"

const baseUrl = inject("memorylayerUrl")

describe("concurrent writes against the real server", () => {
  it("concurrent remembers of the same content: the losers fail with ConflictError 412, never anything else", async () => {
    const client = new MemoryLayerClient({ baseUrl, maxRetries: 0 })
    const failures: Array<unknown> = []
    // The race is the server's: a round of 20 usually loses a few, but some runs go many rounds without a loss;
    // up to 50 rounds (a few seconds) until one does.
    for (let round = 0; round < 50 && failures.length === 0; round++) {
      // With a sentence like this the race is lost often; with a short unique one, rarely.
      const content = `The deploy script lives in scripts/deploy.sh (${crypto.randomUUID().slice(0, 8)})`
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => client.remember(content, { type: "procedural" }).then(() => "stored", (error: unknown) => error)))
      expect(outcomes).toContain("stored")
      failures.push(...outcomes.filter((o) => o !== "stored"))
    }
    await client.close()
    expect(failures.length).toBeGreaterThan(0)
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(ConflictError)
      expect(failure).toMatchObject({ statusCode: 412, message: "remember: 412 ETag does not match current revision" })
    }
  })
})

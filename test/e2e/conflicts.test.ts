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
  it("20 concurrent remembers of the same content: the losers fail with ConflictError 412, the rest succeed", async () => {
    const client = new MemoryLayerClient({ baseUrl, maxRetries: 0 })
    const content = `Concurrent duplicate ${crypto.randomUUID().slice(0, 8)}`
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => client.remember(content, { type: "semantic" }).then(() => "stored", (error: unknown) => error)))
    await client.close()
    const failures = outcomes.filter((o) => o !== "stored")
    expect(outcomes).toContain("stored")
    expect(failures.length).toBeGreaterThan(0)
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(ConflictError)
      expect(failure).toMatchObject({ statusCode: 412, message: "remember: 412 ETag does not match current revision" })
    }
  })
})

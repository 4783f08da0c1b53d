/**
 * The proxy path works before any SDK code does: plain fetches through the
 * contract-checking proxy reach the real server and come back unchanged.
 */
import { describe, expect, inject, it } from "vitest"

const memorylayerUrl = inject("memorylayerUrl")

describe("the real server through the contract-checking proxy", () => {
  it("stores a memory: POST /v1/memories answers 201 with the stored memory", async () => {
    const content = `e2e smoke test memory ${crypto.randomUUID()}`
    const response = await fetch(`${memorylayerUrl}/v1/memories`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content, type: "semantic", tags: ["e2e"] })
    })

    expect(response.status).toBe(201)
    const body: unknown = await response.json()
    expect(body).toMatchObject({ memory: { content, type: "semantic", tags: ["e2e"] }, replayed: false })
  })

  it("answers 404 with {detail} for a memory that does not exist", async () => {
    const response = await fetch(`${memorylayerUrl}/v1/memories/mem_does_not_exist`)

    expect(response.status).toBe(404)
    expect(response.headers.get("content-type")).toContain("application/json")
    expect(await response.json()).toEqual({ detail: "Memory not found: mem_does_not_exist" })
  })
})

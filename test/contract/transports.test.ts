/**
 * The transports of design.md: the global fetch (every other contract test),
 * an instrumented fetch, an undici agent with keep-alive, and an in-process
 * handler that serves the API without a socket.
 */
import * as Effect from "effect/Effect"
import { Agent } from "undici"
import { describe, expect, inject, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { type FetchLike, MemoryLayerClient, NotFoundError } from "../../src/index.ts"
import { getMemoryAnswer, recallAnswer, rememberAnswer } from "../support/fixtures.ts"

const prismUrl = inject("prismUrl")

/** A few routes of the API served in-process, as a test double or an edge handler would. */
const inProcess: FetchLike = async (request) => {
  const { pathname } = new URL(request.url)
  if (request.method === "POST" && pathname === "/v1/memories") {
    const body = (await request.json()) as { content: string }
    return Response.json({ ...rememberAnswer, memory: { ...rememberAnswer.memory, content: body.content } }, { status: 201 })
  }
  if (request.method === "POST" && pathname === "/v1/memories/recall") return Response.json(recallAnswer)
  if (request.method === "GET" && pathname === "/v1/memories/mem_e73ad5e6be624b5b") return Response.json(getMemoryAnswer)
  return Response.json({ detail: `No route: ${request.method} ${pathname}` }, { status: 404 })
}

describe("transports", () => {
  it("an in-process (Request) => Response handler serves the client without a socket", async () => {
    const client = new MemoryLayerClient({ baseUrl: "http://memorylayer.internal", fetch: inProcess })
    const memory = await client.remember("Served in process")
    expect(memory.content).toBe("Served in process")
    expect((await client.recall("anything")).memories).toHaveLength(1)
    await expect(client.getMemory("mem_unknown")).rejects.toBeInstanceOf(NotFoundError)
    await client.close()
  })

  it("the same handler serves the Effect service", async () => {
    const memory = await Effect.runPromise(
      Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.getMemory("mem_e73ad5e6be624b5b")).pipe(
        Effect.provide(MemoryLayer.layer({ fetch: inProcess }))
      )
    )
    expect(memory.id).toBe("mem_e73ad5e6be624b5b")
  })

  it("an instrumented fetch sees every request the client sends", async () => {
    const seen: Array<string> = []
    const client = new MemoryLayerClient({
      baseUrl: prismUrl,
      fetch: (request, init) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`)
        return fetch(request, init)
      }
    })
    await client.remember("instrumented")
    await client.recall("instrumented")
    await client.close()
    expect(seen).toEqual(["POST /v1/memories", "POST /v1/memories/recall"])
  })

  it("an undici Agent with keep-alive carries the requests", async () => {
    const agent = new Agent({ keepAliveTimeout: 10_000, connections: 4 })
    let dispatched = 0
    const client = new MemoryLayerClient({
      baseUrl: prismUrl,
      fetch: (request, init) => {
        dispatched++
        // Node's fetch is undici's: it takes the agent as `dispatcher`.
        return fetch(request, { ...init, dispatcher: agent } as RequestInit)
      }
    })
    await client.remember("kept alive")
    await client.getMemory("mem_e73ad5e6be624b5b")
    await client.close()
    await agent.close()
    expect(dispatched).toBe(2)
  })
})

/**
 * The retry policy of design.md, proved against a local server that
 * misbehaves on cue: attempt counts, server-requested waits, the client-wide
 * pause after a 429, and that a write which may have reached the server is
 * never sent twice.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { inspect } from "node:util"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { afterEach, describe, expect, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import {
  ConnectionError,
  DecodeError,
  MemoryLayerClient,
  type MemoryLayerOptions,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError
} from "../../src/index.ts"
import { type FaultReply, type FaultServer, startFaultServer } from "../support/fault-server.ts"
import { createSessionAnswer, getMemoryAnswer, recallAnswer, rememberAnswer } from "../support/fixtures.ts"

const API_KEY = "sk-live-do-not-leak-0123456789"
let server: FaultServer | undefined
let client: MemoryLayerClient | undefined

const serve = async (script: ReadonlyArray<FaultReply>, options: MemoryLayerOptions = {}) => {
  server = await startFaultServer(script)
  client = new MemoryLayerClient({ baseUrl: server.url, apiKey: API_KEY, ...options })
  return { server, client }
}

afterEach(async () => {
  await client?.close()
  await server?.close()
  client = undefined
  server = undefined
})

const rateLimited = (retryAfter: string): FaultReply => ({ status: 429, headers: { "retry-after": retryAfter }, json: { detail: "Rate limit exceeded" } })
const gapsBetween = (s: FaultServer): Array<number> => s.requests.slice(1).map((r, i) => r.receivedAt - (s.requests[i]?.receivedAt ?? 0))

describe("rate limits", () => {
  it("a 429 with Retry-After: 0 is retried twice, then the final answer is returned", async () => {
    const { server, client } = await serve([rateLimited("0"), rateLimited("0"), { status: 200, json: getMemoryAnswer }])
    const memory = await client.getMemory("mem_1")
    expect(memory.id).toBe(getMemoryAnswer.memory["id"])
    expect(server.requests).toHaveLength(3)
  })

  it("a 429 on every attempt rejects with RateLimitError after 3 attempts", async () => {
    const { server, client } = await serve([rateLimited("0"), rateLimited("0"), rateLimited("0")])
    const error = await client.remember("x").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfter).toBe(0)
    expect(server.requests).toHaveLength(3)
  })

  it("waits at least the Retry-After seconds before the next attempt", async () => {
    const { server, client } = await serve([rateLimited("1"), { status: 200, json: recallAnswer }])
    await client.recall("deploy")
    expect(gapsBetween(server)[0]).toBeGreaterThanOrEqual(950)
  })

  it("honours Retry-After given as an HTTP date", async () => {
    const at = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000)
    const { server, client } = await serve([rateLimited(at.toUTCString()), { status: 200, json: recallAnswer }])
    await client.recall("deploy")
    expect(server.requests).toHaveLength(2)
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime() - 50)
  })

  it("honours retry_after in a 429 body when there is no header", async () => {
    const { server, client } = await serve([
      { status: 429, json: { detail: "slow down", retry_after: 1 } },
      { status: 200, json: recallAnswer }
    ])
    await client.recall("deploy")
    expect(gapsBetween(server)[0]).toBeGreaterThanOrEqual(950)
  })

  it("a wait longer than 60 s fails at once with RateLimitError.retryAfter in ms", async () => {
    const { server, client } = await serve([rateLimited("120")])
    const error = await client.recall("deploy").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfter).toBe(120_000)
    expect(server.requests).toHaveLength(1)
  })

  it("waiting out a client-wide pause does not count against a call's timeout", async () => {
    server = await startFaultServer((request) => (request.index === 0 ? rateLimited("1") : { status: 201, json: rememberAnswer }))
    client = new MemoryLayerClient({ baseUrl: server.url, maxRetries: 0 })
    await expect(client.recall("deploy")).rejects.toBeInstanceOf(RateLimitError)
    await expect(client.remember("sent after the pause", { timeout: 300 })).resolves.toMatchObject({ id: rememberAnswer.memory["id"] })
    expect(server.requests).toHaveLength(2)
    expect((server.requests[1]?.receivedAt ?? 0) - (server.requests[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950)
  })

  it("a 429 pauses the whole client: a concurrent call waits until Retry-After has passed", async () => {
    server = await startFaultServer((request) =>
      request.index === 0 ? rateLimited("1") : { status: 200, json: request.url.includes("recall") ? recallAnswer : getMemoryAnswer }
    )
    client = new MemoryLayerClient({ baseUrl: server.url })
    const first = client.getMemory("mem_1")
    await new Promise((resolve) => setTimeout(resolve, 150))
    const second = client.recall("deploy")
    await Promise.all([first, second])
    const limitedAt = server.requests[0]?.receivedAt ?? 0
    const others = server.requests.slice(1)
    expect(others).toHaveLength(2)
    for (const request of others) expect(request.receivedAt - limitedAt).toBeGreaterThanOrEqual(950)
  })
})

describe("what is retried", () => {
  it("a POST remember that reached the server before the connection dropped is not sent twice", async () => {
    const { server, client } = await serve([{ reset: "after-body" }, { status: 201, json: rememberAnswer }])
    const error = await client.remember("Written once").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).requestSent).toBe(true)
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.body).toEqual({ content: "Written once" })
  })

  it("an idempotent read whose connection dropped is retried", async () => {
    const { server, client } = await serve([{ reset: "after-body" }, { reset: "immediately" }, { status: 200, json: getMemoryAnswer }])
    await expect(client.getMemory("mem_1")).resolves.toMatchObject({ id: getMemoryAnswer.memory["id"] })
    expect(server.requests).toHaveLength(3)
  })

  it("a connection that was refused is retried even for a write, then fails with requestSent false", async () => {
    const closed = await startFaultServer([])
    const url = closed.url
    await closed.close()
    let attempts = 0
    client = new MemoryLayerClient({
      baseUrl: url,
      fetch: (request) => {
        attempts++
        return fetch(request)
      }
    })
    const error = await client.remember("x").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).requestSent).toBe(false)
    expect(attempts).toBe(3)
  })

  it("a 500 is retried for an idempotent operation but not for remember", async () => {
    const failing: FaultReply = { status: 500, json: { detail: "Failed to recall memories" } }
    const { server, client } = await serve([failing, failing, failing, failing])
    await expect(client.recall("deploy", { maxRetries: 2 })).rejects.toBeInstanceOf(ServerError)
    expect(server.requests).toHaveLength(3)
    await expect(client.remember("x")).rejects.toBeInstanceOf(ServerError)
    expect(server.requests).toHaveLength(4)
  })

  it("a 503 with Retry-After is retried even for remember", async () => {
    const { server, client } = await serve([
      { status: 503, headers: { "retry-after": "0" }, json: { detail: "not ready" } },
      { status: 201, json: rememberAnswer }
    ])
    await expect(client.remember("x")).resolves.toMatchObject({ id: rememberAnswer.memory["id"] })
    expect(server.requests).toHaveLength(2)
  })

  it("a 404 or a 422 is never retried", async () => {
    const { server, client } = await serve([
      { status: 404, json: { detail: "Memory not found: mem_1" } },
      { status: 422, json: { detail: [{ loc: ["body", "query"], msg: "String should have at least 1 character", type: "string_too_short" }] } }
    ])
    const notFound = await client.getMemory("mem_1").catch((e: unknown) => e)
    expect(notFound).toBeInstanceOf(NotFoundError)
    expect((notFound as NotFoundError).message).toContain("Memory not found: mem_1")
    const invalid = await client.recall("q").catch((e: unknown) => e)
    expect(invalid).toBeInstanceOf(ValidationError)
    expect((invalid as ValidationError).issues).toEqual([{ path: ["body", "query"], message: "String should have at least 1 character" }])
    expect(server.requests).toHaveLength(2)
  })

  it("maxRetries per call overrides the client's", async () => {
    const { server, client } = await serve([rateLimited("0"), rateLimited("0")], { maxRetries: 5 })
    await expect(client.recall("deploy", { maxRetries: 0 })).rejects.toBeInstanceOf(RateLimitError)
    expect(server.requests).toHaveLength(1)
  })
})

/** Starts `getMemory` on the Effect face over `layer`, and interrupts it after 100 ms. */
const interruptAfter100ms = (layer: ReturnType<typeof MemoryLayer.layer>): Promise<void> =>
  Effect.runPromise(
    Effect.gen(function*() {
      const ml = yield* MemoryLayer
      const fiber = yield* Effect.forkChild(ml.getMemory("mem_1"))
      yield* Effect.sleep("100 millis")
      yield* Fiber.interrupt(fiber)
    }).pipe(Effect.provide(layer))
  )

describe("timeouts, broken answers and cancellation", () => {
  it("a read that gets no answer within the timeout is retried, then fails with a timed-out ConnectionError", async () => {
    const { server, client } = await serve([{ stall: true }, { stall: true }, { stall: true }], { timeout: 150 })
    const error = await client.getMemory("mem_1").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).timedOut).toBe(true)
    expect(server.requests).toHaveLength(3)
  })

  it("a write that times out is not retried", async () => {
    const { server, client } = await serve([{ stall: true }, { status: 201, json: rememberAnswer }])
    await expect(client.remember("x", { timeout: 150 })).rejects.toBeInstanceOf(ConnectionError)
    expect(server.requests).toHaveLength(1)
  })

  it("a 200 whose body is not JSON fails with DecodeError and is not retried", async () => {
    const { server, client } = await serve([{ status: 200, body: "not json" }])
    const error = await client.getMemory("mem_1").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DecodeError)
    expect((error as DecodeError).statusCode).toBe(200)
    expect(server.requests).toHaveLength(1)
  })

  it("a 200 whose body breaks the contract fails with DecodeError naming the field", async () => {
    const { client } = await serve([{ status: 200, json: { memory: { ...getMemoryAnswer.memory, importance: "high" } } }])
    const error = await client.getMemory("mem_1").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DecodeError)
    expect((error as DecodeError).message).toContain("memory.importance")
  })

  it("a truncated body on a read is retried", async () => {
    const { server, client } = await serve([{ truncate: true, json: getMemoryAnswer }, { status: 200, json: getMemoryAnswer }])
    await expect(client.getMemory("mem_1")).resolves.toMatchObject({ id: getMemoryAnswer.memory["id"] })
    expect(server.requests).toHaveLength(2)
  })

  it("aborting the signal rejects with the signal's reason and stops retrying", async () => {
    const { server, client } = await serve([{ stall: true }, { stall: true }])
    const controller = new AbortController()
    const pending = client.getMemory("mem_1", { signal: controller.signal })
    setTimeout(() => controller.abort(new Error("user gave up")), 100)
    await expect(pending).rejects.toThrow("user gave up")
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(server.requests).toHaveLength(1)
  })

  it("interrupting the Effect aborts the HTTP request", async () => {
    server = await startFaultServer([{ stall: true }])
    let aborted = false
    const layer = MemoryLayer.layer({
      baseUrl: server.url,
      fetch: (request, init) => {
        request.signal.addEventListener("abort", () => (aborted = true))
        return fetch(request, init)
      }
    })
    await interruptAfter100ms(layer)
    expect(aborted).toBe(true)
  })
})

describe("the request itself is cancelled, not only the call (the global fetch, over a socket)", () => {
  /** A server that never answers, and tells when the client closes a request's connection. */
  const stallingServer = async () => {
    const closed: Array<true> = []
    const http = createServer((request) => request.socket.once("close", () => closed.push(true)))
    await new Promise<void>((resolve) => http.listen({ host: "127.0.0.1", port: 0 }, resolve))
    const { port } = http.address() as AddressInfo
    const connectionClosed = async (): Promise<boolean> => {
      for (let i = 0; i < 100 && closed.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
      return closed.length > 0
    }
    return { url: `http://127.0.0.1:${port}`, connectionClosed, close: () => new Promise<void>((resolve) => http.close(() => resolve())) }
  }

  it("a call that times out closes its connection", async () => {
    const stalling = await stallingServer()
    const timedOut = new MemoryLayerClient({ baseUrl: stalling.url, timeout: 100, maxRetries: 0 })
    try {
      await expect(timedOut.getMemory("mem_1")).rejects.toMatchObject({ timedOut: true })
      expect(await stalling.connectionClosed()).toBe(true)
    } finally {
      await timedOut.close()
      await stalling.close()
    }
  })

  it("aborting the caller's signal, or interrupting the Effect, closes the connection", async () => {
    for (const cancel of ["signal", "interrupt"] as const) {
      const stalling = await stallingServer()
      try {
        if (cancel === "signal") {
          const client = new MemoryLayerClient({ baseUrl: stalling.url })
          const controller = new AbortController()
          const pending = client.getMemory("mem_1", { signal: controller.signal })
          setTimeout(() => controller.abort(new Error("user gave up")), 100)
          await expect(pending).rejects.toThrow("user gave up")
          await client.close()
        } else {
          await interruptAfter100ms(MemoryLayer.layer({ baseUrl: stalling.url }))
        }
        expect(await stalling.connectionClosed(), cancel).toBe(true)
      } finally {
        await stalling.close()
      }
    }
  })
})

describe("what every request carries", () => {
  it("sends Authorization: Bearer <key>, X-Workspace-ID and, after createSession, X-Session-ID", async () => {
    const { server, client } = await serve([{ status: 201, json: createSessionAnswer }, { status: 200, json: recallAnswer }], {
      workspaceId: "ws_team"
    })
    const session = await client.createSession()
    await client.recall("deploy")
    const [create, recall] = server.requests
    expect(create?.headers["authorization"]).toBe(`Bearer ${API_KEY}`)
    expect(create?.headers["x-workspace-id"]).toBe("ws_team")
    expect(create?.headers["x-session-id"]).toBeUndefined()
    expect(recall?.headers["x-session-id"]).toBe(session.id)
    expect(await client.getSessionId()).toBe(session.id)
  })

  it("the key appears in no error and not in util.inspect(client)", async () => {
    const { client } = await serve([{ status: 401, json: { detail: "Invalid API key" } }])
    const error = await client.getMemory("mem_1").catch((e: unknown) => e)
    expect(inspect(error, { depth: 10 })).not.toContain(API_KEY)
    expect(JSON.stringify(error)).not.toContain(API_KEY)
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(API_KEY)
    expect(String(client)).not.toContain(API_KEY)
  })
})

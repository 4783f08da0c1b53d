/**
 * The retry budget, against a local server that fails on cue: under a storm
 * of retryable failures at concurrency 100, retries add at most 10% to the
 * requests sent; successes earn retries back; and two clients have a budget
 * each.
 */
import { afterEach, describe, expect, it } from "vitest"
import { MemoryLayerClient, ServerError } from "../../src/index.ts"
import { type FaultHandler, type FaultReply, type FaultServer, startFaultServer } from "../support/fault-server.ts"
import { getMemoryAnswer } from "../support/fixtures.ts"

const unavailable: FaultReply = { status: 503, headers: { "retry-after": "0" }, json: { detail: "Service unavailable" } }

let server: FaultServer | undefined
const clients: Array<MemoryLayerClient> = []
const start = async (handler: FaultHandler): Promise<FaultServer> => (server = await startFaultServer(handler))
const client = (url: string): MemoryLayerClient => {
  const made = new MemoryLayerClient({ baseUrl: url })
  clients.push(made)
  return made
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await server?.close()
  server = undefined
})

/** Runs `calls` calls of `call`, `concurrency` at a time; resolves with every outcome. */
const storm = async (calls: number, concurrency: number, call: () => Promise<unknown>): Promise<Array<unknown>> => {
  const outcomes: Array<unknown> = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < calls) {
      next++
      outcomes.push(await call().then(() => "ok", (error: unknown) => error))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return outcomes
}

describe("the retry budget", () => {
  it.each([100, 500])("%i calls at concurrency 100 against a server that answers 503 to all: retries add at most 10%", async (calls) => {
    const s = await start(() => unavailable)
    const c = client(s.url)
    const outcomes = await storm(calls, 100, () => c.getMemory("mem_1"))
    expect(outcomes.every((o) => o instanceof ServerError)).toBe(true)
    const retries = s.requests.length - calls
    console.log(`retry budget: ${calls} calls in a 503 storm sent ${s.requests.length} requests (${retries} retries, +${(100 * retries / calls).toFixed(1)}%)`)
    expect(retries).toBeGreaterThan(0)
    expect(s.requests.length).toBeLessThanOrEqual(calls * 1.1)
  })

  it("successes earn retries back: 10 successful calls buy one more retry", async () => {
    let failing = true
    const s = await start(() => (failing ? unavailable : { status: 200, json: getMemoryAnswer }))
    const c = client(s.url)
    await storm(30, 30, () => c.getMemory("mem_1"))
    const drained = s.requests.length
    expect(drained).toBe(30 + 10)
    // The budget is empty: a failing call is not retried.
    await expect(c.getMemory("mem_1")).rejects.toBeInstanceOf(ServerError)
    expect(s.requests.length).toBe(drained + 1)
    failing = false
    for (let i = 0; i < 10; i++) await c.getMemory("mem_1")
    failing = true
    const before = s.requests.length
    await expect(c.getMemory("mem_1")).rejects.toBeInstanceOf(ServerError)
    // One retry was earned back, and spent.
    expect(s.requests.length - before).toBe(2)
  })

  it("each client has its own budget", async () => {
    const s = await start(() => unavailable)
    const first = client(s.url)
    const second = client(s.url)
    await storm(40, 40, () => first.getMemory("mem_1"))
    expect(s.requests.length).toBe(40 + 10)
    await expect(second.getMemory("mem_1")).rejects.toBeInstanceOf(ServerError)
    expect(s.requests.length).toBe(50 + 3)
  })
})

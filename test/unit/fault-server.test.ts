import { setTimeout as sleep } from "node:timers/promises"
import { afterEach, describe, expect, it } from "vitest"
import { type FaultHandler, type FaultReply, type FaultServer, SCRIPT_EXHAUSTED_STATUS, startFaultServer } from "../support/fault-server.ts"

const servers: Array<FaultServer> = []
const start = async (script: ReadonlyArray<FaultReply> | FaultHandler): Promise<FaultServer> => {
  const server = await startFaultServer(script)
  servers.push(server)
  return server
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } })

/** The `code` of a rejected fetch's cause, e.g. `ECONNRESET`. */
const causeCode = async (promise: Promise<unknown>): Promise<unknown> => {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(TypeError)
  const cause = (error as { readonly cause?: { readonly code?: unknown } }).cause
  return cause?.code
}

describe("fault server", () => {
  it("listens on a loopback URL without a trailing slash", async () => {
    const server = await start([])
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it("answers scripted replies in order, with the scripted status, headers and JSON body", async () => {
    const server = await start([
      { status: 429, headers: { "retry-after": "0" }, json: { detail: "Rate limit exceeded", retry_after: 0 } },
      { status: 201, json: { memory: { id: "mem_1" }, replayed: false } }
    ])
    const first = await postJson(`${server.url}/v1/memories`, { content: "x" })
    expect(first.status).toBe(429)
    expect(first.headers.get("retry-after")).toBe("0")
    expect(first.headers.get("content-type")).toBe("application/json")
    expect(await first.json()).toEqual({ detail: "Rate limit exceeded", retry_after: 0 })
    const second = await postJson(`${server.url}/v1/memories`, { content: "x" })
    expect(second.status).toBe(201)
    expect(await second.json()).toEqual({ memory: { id: "mem_1" }, replayed: false })
  })

  it("answers a request beyond the script with a 501 that says so", async () => {
    const server = await start([{ status: 204 }])
    expect((await fetch(`${server.url}/a`)).status).toBe(204)
    const extra = await fetch(`${server.url}/b`)
    expect(extra.status).toBe(SCRIPT_EXHAUSTED_STATUS)
    expect(await extra.json()).toEqual({ detail: "fault server: no scripted reply for request #1 (GET /b)" })
  })

  it("resets the connection immediately: fetch rejects with ECONNRESET and the request is recorded without its body", async () => {
    const server = await start([{ reset: "immediately" }])
    expect(await causeCode(postJson(`${server.url}/v1/memories`, { content: "x" }))).toBe("ECONNRESET")
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]).toMatchObject({ method: "POST", url: "/v1/memories", body: undefined })
  })

  it("resets the connection after reading the request: fetch rejects, yet the server holds the full body", async () => {
    const server = await start([{ reset: "after-body" }])
    expect(await causeCode(postJson(`${server.url}/v1/memories`, { content: "remember me" }))).toBe("ECONNRESET")
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.body).toEqual({ content: "remember me" })
  })

  it("stalls: the request is recorded and no answer comes before the client gives up", async () => {
    const server = await start([{ stall: true }])
    const error: unknown = await fetch(`${server.url}/v1/memories/mem_1`, { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DOMException)
    expect((error as DOMException).name).toBe("TimeoutError")
    expect(server.requests.map((r) => r.url)).toEqual(["/v1/memories/mem_1"])
  })

  it("close() ends a stalled request: the waiting fetch rejects and close resolves", async () => {
    const server = await start([{ stall: true }])
    const pending = fetch(`${server.url}/slow`)
    while (server.requests.length === 0) await sleep(5)
    await server.close()
    expect(await causeCode(pending)).toBe("UND_ERR_SOCKET")
  })

  it("sends invalid JSON under a JSON content type: response.json() rejects with SyntaxError", async () => {
    const server = await start([{ status: 200, body: "not json" }])
    const response = await fetch(`${server.url}/v1/memories/mem_1`)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("application/json")
    await expect(response.json()).rejects.toThrow(SyntaxError)
  })

  it("truncates the body: headers arrive with the full Content-Length, reading the body rejects", async () => {
    const json = { memory: { id: "mem_1", content: "x".repeat(200) } }
    const server = await start([{ truncate: true, json }])
    const response = await fetch(`${server.url}/v1/memories/mem_1`)
    expect(response.status).toBe(200)
    expect(Number(response.headers.get("content-length"))).toBe(JSON.stringify(json).length)
    await expect(response.text()).rejects.toThrow(TypeError)
  })

  it("delays an answer by delayMs", async () => {
    const server = await start([{ status: 200, json: { ok: true }, delayMs: 300 }])
    const started = performance.now()
    const response = await fetch(`${server.url}/late`)
    expect(await response.json()).toEqual({ ok: true })
    expect(performance.now() - started).toBeGreaterThanOrEqual(295)
  })

  it("records method, path with query, lower-case headers, parsed JSON body and arrival time of every request", async () => {
    const server = await start([{ status: 200, json: {} }, { status: 200, json: {} }, { status: 200, json: {} }])
    await postJson(`${server.url}/v1/memories/recall`, { query: "deploy" }, {
      authorization: "Bearer sk-test",
      "X-Workspace-ID": "ws_1"
    })
    await sleep(120)
    await fetch(`${server.url}/v1/memories/mem_1?include_deleted=true`)
    await fetch(`${server.url}/raw`, { method: "PUT", body: "plain text" })
    const [recall, get, put] = server.requests
    expect(recall).toMatchObject({ index: 0, method: "POST", url: "/v1/memories/recall", body: { query: "deploy" } })
    expect(recall?.headers["authorization"]).toBe("Bearer sk-test")
    expect(recall?.headers["x-workspace-id"]).toBe("ws_1")
    expect(get).toMatchObject({ index: 1, method: "GET", url: "/v1/memories/mem_1?include_deleted=true", body: undefined })
    expect(put).toMatchObject({ index: 2, method: "PUT", body: "plain text" })
    expect((get?.receivedAt ?? 0) - (recall?.receivedAt ?? 0)).toBeGreaterThanOrEqual(115)
    expect(put?.receivedAt).toBeGreaterThanOrEqual(get?.receivedAt ?? Infinity)
  })

  it("answers with a handler function that sees the recorded request", async () => {
    const server = await start((request) =>
      request.headers["x-workspace-id"] === undefined
        ? { status: 400, json: { detail: "no workspace" } }
        : { status: 200, json: { echoed: request.body, attempt: request.index } }
    )
    expect((await postJson(`${server.url}/echo`, { a: 1 })).status).toBe(400)
    const ok = await postJson(`${server.url}/echo`, { a: 2 }, { "x-workspace-id": "ws_1" })
    expect(await ok.json()).toEqual({ echoed: { a: 2 }, attempt: 1 })
  })

  it("lets a handler reset the connection too", async () => {
    const server = await start((request) => (request.index === 0 ? { reset: "after-body" } : { status: 200, json: { ok: true } }))
    expect(await causeCode(postJson(`${server.url}/x`, { n: 1 }))).toBe("ECONNRESET")
    expect(await (await postJson(`${server.url}/x`, { n: 2 })).json()).toEqual({ ok: true })
    expect(server.requests.map((r) => r.body)).toEqual([{ n: 1 }, { n: 2 }])
  })

  it("repeats a body, chunked without Content-Length, as many times as asked", async () => {
    const server = await start([{ status: 200, body: "abc", repeat: 3 }])
    const response = await fetch(`${server.url}/x`)
    expect(response.headers.get("content-length")).toBeNull()
    expect(await response.text()).toBe("abcabcabc")
  })

  it("keeps sending an endless body until the client stops reading", async () => {
    const server = await start([{ status: 200, body: "x".repeat(1024), repeat: Infinity }])
    const response = await fetch(`${server.url}/x`)
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    let bytes = 0
    while (bytes < 1024 * 1024) bytes += (await reader.read()).value?.byteLength ?? 0
    await reader.cancel()
    expect(bytes).toBeGreaterThanOrEqual(1024 * 1024)
  })
})

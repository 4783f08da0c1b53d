/**
 * Request ids and what errors from an answer carry, on both faces, against a
 * local server that records every request: the SDK sends an `X-Request-ID`
 * of its own (one per call, the same on its retries) unless the caller gave
 * one; every error from an answer carries its status, the answer's headers
 * (credentials redacted) and the request id (the server's, else the one
 * sent); an error without an answer carries the id sent.
 */
import * as Effect from "effect/Effect"
import { afterEach, describe, expect, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import {
  ConnectionError,
  DecodeError,
  MemoryLayerClient,
  type MemoryLayerError,
  type MemoryLayerOptions,
  NotFoundError,
  ServerError,
  ValidationError
} from "../../src/index.ts"
import { resolveOptions } from "../../src/options.ts"
import { effectFace } from "../support/effect-face.ts"
import { type FaultReply, type FaultServer, startFaultServer } from "../support/fault-server.ts"
import { getMemoryAnswer, rememberAnswer } from "../support/fixtures.ts"

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const KEY = "sk-request-ids-0123456789"

const servers: Array<FaultServer> = []
const clients: Array<{ close(): Promise<void> }> = []

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

const FACES = {
  promise: (options: MemoryLayerOptions) => new MemoryLayerClient(options),
  effect: (options: MemoryLayerOptions) => effectFace(MemoryLayer.layer(options))
} as const

/** A server answering `script` (the last reply again once it runs out), and a client of `face` over it. */
const serve = async (face: keyof typeof FACES, script: ReadonlyArray<FaultReply>, options: MemoryLayerOptions = {}) => {
  const server = await startFaultServer((request) => script[Math.min(request.index, script.length - 1)] as FaultReply)
  servers.push(server)
  const client = FACES[face]({ baseUrl: server.url, apiKey: KEY, ...options })
  clients.push(client)
  return { server, client }
}

const rejectionOf = (promise: Promise<unknown>): Promise<MemoryLayerError> => promise.then(() => expect.fail("the call succeeded"), (error: MemoryLayerError) => error)

const sentIds = (server: FaultServer): Array<unknown> => server.requests.map((r) => r.headers["x-request-id"])

describe.each(["promise", "effect"] as const)("request ids, %s face", (face) => {
  it("every request carries an X-Request-ID of the SDK's, one per call, the same on every retry", async () => {
    const { server, client } = await serve(face, [{ status: 503, json: { detail: "busy" }, headers: { "retry-after": "0" } }, { status: 200, json: getMemoryAnswer }])
    await client.getMemory("mem_1")
    await client.getMemory("mem_1")
    const [first, retry, second] = sentIds(server)
    expect(first).toMatch(UUID)
    expect(retry).toBe(first)
    expect(second).toMatch(UUID)
    expect(second).not.toBe(first)
  })

  it("a call's requestId is sent instead, on its retries too; an X-Request-ID in defaultHeaders on every call", async () => {
    const { server, client } = await serve(face, [{ status: 503, json: { detail: "busy" }, headers: { "retry-after": "0" } }, { status: 200, json: getMemoryAnswer }], {
      defaultHeaders: { "X-Request-ID": "from-default-headers" }
    })
    await client.getMemory("mem_1", { requestId: "trace-42" })
    await client.getMemory("mem_1")
    expect(sentIds(server)).toEqual(["trace-42", "trace-42", "from-default-headers"])
  })

  it("sendRequestId: false sends none, and an error then has the server's id or none", async () => {
    const { server, client } = await serve(face, [{ status: 404, json: { detail: "Memory not found: mem_1" } }], { sendRequestId: false })
    const error = await rejectionOf(client.getMemory("mem_1"))
    expect(sentIds(server)).toEqual([undefined])
    expect(error.requestId).toBeUndefined()
  })

  it("a requestId that cannot be a header value is refused before anything is sent", async () => {
    const { server, client } = await serve(face, [{ status: 200, json: getMemoryAnswer }])
    const error = await rejectionOf(client.getMemory("mem_1", { requestId: "a\r\nX-Evil: 1" }))
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([{ path: ["options.requestId"], message: "must not contain control characters (CR, LF, NUL, ...)" }])
    expect(server.requests).toHaveLength(0)
  })
})

describe.each(["promise", "effect"] as const)("what an error from an answer carries, %s face", (face) => {
  it("its status, the answer's headers, and the server's X-Request-ID when it sent one", async () => {
    const { client } = await serve(face, [{ status: 404, json: { detail: "Memory not found: mem_1" }, headers: { "x-request-id": "srv-7", "x-served-by": "node-3" } }])
    const error = await rejectionOf(client.getMemory("mem_1"))
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.statusCode).toBe(404)
    expect(error.requestId).toBe("srv-7")
    expect(error.headers).toMatchObject({ "x-request-id": "srv-7", "x-served-by": "node-3", "content-type": "application/json" })
  })

  it("the id the SDK sent when the server sends none, on the last attempt's error", async () => {
    const { server, client } = await serve(face, [{ status: 503, json: { detail: "busy" }, headers: { "retry-after": "0" } }])
    const error = await rejectionOf(client.getMemory("mem_1", { maxRetries: 1 }))
    expect(error).toBeInstanceOf(ServerError)
    expect(server.requests).toHaveLength(2)
    expect(error.requestId).toBe(server.requests[1]?.headers["x-request-id"])
    expect(error.headers?.["retry-after"]).toBe("0")
  })

  it("a DecodeError from a success that breaks the contract carries them too", async () => {
    const { server, client } = await serve(face, [{ status: 200, json: { memory: { id: 7 } }, headers: { "x-trace": "t1" } }])
    const error = await rejectionOf(client.getMemory("mem_1"))
    expect(error).toBeInstanceOf(DecodeError)
    expect(error.statusCode).toBe(200)
    expect(error.headers?.["x-trace"]).toBe("t1")
    expect(error.requestId).toBe(server.requests[0]?.headers["x-request-id"])
  })

  it("an error without an answer (a timeout) carries the id sent and no headers", async () => {
    const { server, client } = await serve(face, [{ stall: true }], { timeout: 100, maxRetries: 0 })
    const error = await rejectionOf(client.remember("x"))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.headers).toBeUndefined()
    expect(error.requestId).toMatch(UUID)
    expect(error.requestId).toBe(server.requests[0]?.headers["x-request-id"])
  })

  it("answer headers that carry credentials read <redacted>: a proxy echoing the key does not leak it", async () => {
    const { client } = await serve(face, [{
      status: 401,
      json: { detail: "Not authenticated" },
      headers: {
        authorization: `Bearer ${KEY}`,
        "set-cookie": "session=abc",
        "x-api-key": KEY,
        "x-amz-security-token": "tok",
        "x-echo": `you sent Bearer ${KEY}`,
        "www-authenticate": "Bearer realm=\"memorylayer\""
      }
    }])
    const error = await rejectionOf(client.remember("x"))
    expect(error.headers).toMatchObject({
      authorization: "<redacted>",
      "set-cookie": "<redacted>",
      "x-api-key": "<redacted>",
      "x-amz-security-token": "<redacted>",
      "x-echo": "<redacted>",
      "www-authenticate": "Bearer realm=\"memorylayer\""
    })
    expect(JSON.stringify(error)).not.toContain(KEY)
  })

  it("a bad input error has no status, headers or request id: nothing was sent", async () => {
    const { client } = await serve(face, [{ status: 201, json: rememberAnswer }])
    const error = await rejectionOf(client.remember("x", { importance: 7 }))
    expect(error).toBeInstanceOf(ValidationError)
    expect([error.statusCode, error.headers, error.requestId]).toEqual([undefined, undefined, undefined])
  })
})

describe("where the SDK sends its own request ids", () => {
  it("everywhere but in browsers, where a cross-origin request may carry the header only if the server allows it", () => {
    expect(resolveOptions({}).makeRequestIds).toBe(true)
    const global = globalThis as { document?: unknown }
    global.document = {}
    try {
      expect(resolveOptions({}).makeRequestIds).toBe(false)
      expect(resolveOptions({ sendRequestId: true }).makeRequestIds).toBe(true)
    } finally {
      delete global.document
    }
  })

  it("not when defaultHeaders has one (any case), which is then the id of every call", () => {
    expect(resolveOptions({ defaultHeaders: { "x-request-id": "fixed" } })).toMatchObject({ makeRequestIds: false, fixedRequestId: "fixed" })
  })

  it("the Effect face: a call's request id is in its error's requestId, read in the typed error channel", async () => {
    const server = await startFaultServer(() => ({ status: 404, json: { detail: "Memory not found: mem_1" } }))
    servers.push(server)
    const program = Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.getMemory("mem_1", { requestId: "mine-1" })).pipe(
      Effect.catchTag("NotFoundError", (error) => Effect.succeed([error.statusCode, error.requestId] as const))
    )
    await expect(Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layer({ baseUrl: server.url }))))).resolves.toEqual([404, "mine-1"])
  })
})

/**
 * What the client does with an answer it should not take whole: a body over
 * `maxResponseBytes`, a redirect to another origin, a redirect loop, and an
 * error answer that is an HTML page or a flood of text. Each is proved
 * against a local server that misbehaves on cue, counting the requests that
 * reached it.
 */
import { afterEach, describe, expect, it } from "vitest"
import { AuthenticationError, DecodeError, MemoryLayerClient, type MemoryLayerOptions, ServerError, ValidationError } from "../../src/index.ts"
import { type FaultReply, type FaultServer, startFaultServer } from "../support/fault-server.ts"
import { getMemoryAnswer, rememberAnswer } from "../support/fixtures.ts"

const servers: Array<FaultServer> = []
const clients: Array<MemoryLayerClient> = []

const serve = async (script: ReadonlyArray<FaultReply>, options: MemoryLayerOptions = {}) => {
  const server = await startFaultServer(script)
  servers.push(server)
  const client = new MemoryLayerClient({ baseUrl: server.url, ...options })
  clients.push(client)
  return { server, client }
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

const rejectionOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error)

describe("maxResponseBytes", () => {
  it("an answer whose Content-Length is over the cap fails with DecodeError, unread and not retried", async () => {
    const big = { memory: { ...getMemoryAnswer.memory, content: "x".repeat(2 * 1024 * 1024) } }
    const { server, client } = await serve([{ status: 200, json: big }, { status: 200, json: big }], { maxResponseBytes: 1024 * 1024 })
    const error = await rejectionOf(client.getMemory("mem_1"))
    expect(error).toBeInstanceOf(DecodeError)
    expect((error as DecodeError).statusCode).toBe(200)
    expect((error as DecodeError).message).toBe("getMemory: the answer is larger than maxResponseBytes (1048576 bytes)")
    expect(server.requests).toHaveLength(1)
  })

  it("an endless chunked answer is read only up to the cap, so the call ends", async () => {
    const { server, client } = await serve([{ status: 200, body: "x".repeat(64 * 1024), repeat: Infinity }], { maxResponseBytes: 256 * 1024 })
    const error = await rejectionOf(client.getMemory("mem_1"))
    expect(error).toBeInstanceOf(DecodeError)
    expect((error as DecodeError).message).toContain("larger than maxResponseBytes (262144 bytes)")
    expect(server.requests).toHaveLength(1)
  })

  it("an answer within the cap decodes, with or without Content-Length", async () => {
    const body = JSON.stringify(getMemoryAnswer)
    const { client } = await serve([{ status: 200, body }, { status: 200, body, repeat: 1 }], { maxResponseBytes: Buffer.byteLength(body) })
    await expect(client.getMemory("mem_1")).resolves.toMatchObject({ id: getMemoryAnswer.memory["id"] })
    await expect(client.getMemory("mem_1")).resolves.toMatchObject({ id: getMemoryAnswer.memory["id"] })
  })

  it("maxResponseBytes per call overrides the client's, and a bad value is refused before sending", async () => {
    const { server, client } = await serve([{ status: 200, json: getMemoryAnswer }])
    await expect(client.getMemory("mem_1", { maxResponseBytes: 100 })).rejects.toThrow("larger than maxResponseBytes (100 bytes)")
    const refused = await rejectionOf(client.getMemory("mem_1", { maxResponseBytes: 0 }))
    expect(refused).toBeInstanceOf(ValidationError)
    expect((refused as ValidationError).issues).toEqual([{ path: ["options.maxResponseBytes"], message: "must be a whole number of bytes > 0, got 0" }])
    expect(server.requests).toHaveLength(1)
  })

  it("an endless error page is read only in part, and quoted by its title", async () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${"<p>upstream down</p>".repeat(500)}</body></html>`
    const { client } = await serve([{ status: 502, headers: { "content-type": "text/html" }, body: page, repeat: Infinity }], { maxRetries: 0 })
    const error = await rejectionOf(client.remember("x"))
    expect(error).toBeInstanceOf(ServerError)
    expect((error as ServerError).message).toBe("remember: 502 an HTML page titled \"502 Bad Gateway\"")
    expect((error as ServerError).detail).toBe("an HTML page titled \"502 Bad Gateway\"")
  })
})

describe("server text in errors", () => {
  it("a 401 with an HTML body is summarised, not copied into the message", async () => {
    const page = "<html>\n<head><title>401 Authorization Required</title></head>\n<body><center><h1>401 Authorization Required</h1></center><hr><center>nginx</center></body>\n</html>"
    const { client } = await serve([{ status: 401, headers: { "content-type": "text/html" }, body: page }])
    const error = await rejectionOf(client.getMemory("mem_1"))
    expect(error).toBeInstanceOf(AuthenticationError)
    expect((error as AuthenticationError).message).toBe("getMemory: 401 an HTML page titled \"401 Authorization Required\"")
    expect((error as AuthenticationError).message).not.toContain("<")
  })

  it("a long detail is capped at 500 characters in the message and in detail", async () => {
    const { client } = await serve([{ status: 400, json: { detail: "y".repeat(5000) } }])
    const error = await rejectionOf(client.remember("x"))
    expect(error).toBeInstanceOf(ValidationError)
    const expected = `${"y".repeat(500)}... (4500 more characters)`
    expect((error as ValidationError).message).toBe(`remember: 400 ${expected}`)
    expect((error as ValidationError).detail).toBe(expected)
  })
})

describe("redirects", () => {
  it("a 307 to another origin is not followed: DecodeError, and the other origin gets nothing", async () => {
    const other = await startFaultServer([{ status: 201, json: rememberAnswer }])
    servers.push(other)
    const { server, client } = await serve([{ status: 307, headers: { location: `${other.url}/v1/memories` } }])
    const error = await rejectionOf(client.remember("x", { maxRetries: 2 }))
    expect(error).toBeInstanceOf(DecodeError)
    expect((error as DecodeError).statusCode).toBe(307)
    expect((error as DecodeError).message).toBe(`remember: the server redirected (307) to another origin, ${other.url}; not followed`)
    expect(server.requests).toHaveLength(1)
    expect(other.requests).toHaveLength(0)
  })

  it("a same-origin 307 is followed with the same method, body and key", async () => {
    const { server, client } = await serve([{ status: 307, headers: { location: "/moved/v1/memories" } }, { status: 201, json: rememberAnswer }], { apiKey: "sk-test" })
    await expect(client.remember("Written once")).resolves.toMatchObject({ id: rememberAnswer.memory["id"] })
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /v1/memories", "POST /moved/v1/memories"])
    expect(server.requests[1]?.body).toEqual({ content: "Written once" })
    expect(server.requests[1]?.headers["authorization"]).toBe("Bearer sk-test")
  })

  it("a redirect loop costs at most 6 requests for one call: 5 redirects followed, then DecodeError, not retried", async () => {
    const loop: FaultReply = { status: 302, headers: { location: "/v1/memories/mem_1" } }
    const { server, client } = await serve(Array.from({ length: 30 }, () => loop))
    const error = await rejectionOf(client.getMemory("mem_1"))
    expect(error).toBeInstanceOf(DecodeError)
    expect((error as DecodeError).message).toBe("getMemory: the server redirected more than 5 times; not followed")
    expect(server.requests).toHaveLength(6)
  })

  it("a 303 answering a POST is not turned into a GET", async () => {
    const { server, client } = await serve([{ status: 303, headers: { location: "/v1/memories/mem_1" } }, { status: 200, json: getMemoryAnswer }])
    const error = await rejectionOf(client.remember("x"))
    expect(error).toBeInstanceOf(DecodeError)
    expect((error as DecodeError).message).toBe("remember: the server redirected (303) a POST request to a GET; not followed")
    expect(server.requests).toHaveLength(1)
  })

  it("a 3xx without a Location is refused as an answer outside the contract", async () => {
    const { server, client } = await serve([{ status: 300 }])
    await expect(client.getMemory("mem_1")).rejects.toThrow("getMemory: the server answered 300 without a Location to follow")
    expect(server.requests).toHaveLength(1)
  })
})

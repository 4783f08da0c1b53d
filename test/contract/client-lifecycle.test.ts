/**
 * How clients are built, kept apart and released: the Config layer, two
 * clients in one process, shared session state across faces, close().
 */
import { inspect } from "node:util"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { afterEach, describe, expect, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { MemoryLayerClient, MemoryLayerError, ValidationError } from "../../src/index.ts"
import { type FaultServer, startFaultServer } from "../support/fault-server.ts"
import { createSessionAnswer, getMemoryAnswer, recallAnswer } from "../support/fixtures.ts"

const servers: Array<FaultServer> = []
const serve = async (): Promise<FaultServer> => {
  const server = await startFaultServer((request) => ({
    status: request.url.startsWith("/v1/sessions") ? 201 : 200,
    json: request.url.startsWith("/v1/sessions") ? createSessionAnswer : request.url.includes("recall") ? recallAnswer : getMemoryAnswer
  }))
  servers.push(server)
  return server
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

describe("MemoryLayer.layerConfig", () => {
  it("reads MEMORYLAYER_URL, MEMORYLAYER_API_KEY and MEMORYLAYER_WORKSPACE_ID through Effect Config", async () => {
    const server = await serve()
    const config = ConfigProvider.fromUnknown({
      MEMORYLAYER_URL: server.url,
      MEMORYLAYER_API_KEY: "sk-from-config",
      MEMORYLAYER_WORKSPACE_ID: "ws_config"
    })
    const layer = MemoryLayer.layerConfig().pipe(Layer.provide(ConfigProvider.layer(config)))
    await Effect.runPromise(Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.getMemory("mem_1")).pipe(Effect.provide(layer)))
    expect(server.requests[0]?.headers["authorization"]).toBe("Bearer sk-from-config")
    expect(server.requests[0]?.headers["x-workspace-id"]).toBe("ws_config")
  })

  it("fails the layer with ValidationError naming a bad MEMORYLAYER_URL", async () => {
    const layer = MemoryLayer.layerConfig().pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ MEMORYLAYER_URL: "not a url" }))))
    const error = await Effect.runPromise(Effect.flip(Effect.service(MemoryLayer).pipe(Effect.provide(layer))))
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([["baseUrl"]])
  })
})

describe("two clients in one process", () => {
  it("never share their base URL, key, workspace or session", async () => {
    const [a, b] = [await serve(), await serve()]
    const first = new MemoryLayerClient({ baseUrl: a.url, apiKey: "key-a", workspaceId: "ws-a" })
    const second = new MemoryLayerClient({ baseUrl: b.url, apiKey: "key-b", workspaceId: "ws-b" })
    await first.createSession()
    await Promise.all([first.recall("one"), second.recall("two"), first.getMemory("m1"), second.getMemory("m2")])
    expect(a.requests.map((r) => r.headers["authorization"])).toEqual(["Bearer key-a", "Bearer key-a", "Bearer key-a"])
    expect(b.requests.map((r) => r.headers["authorization"])).toEqual(["Bearer key-b", "Bearer key-b"])
    expect(new Set(a.requests.map((r) => r.headers["x-workspace-id"]))).toEqual(new Set(["ws-a"]))
    expect(new Set(b.requests.map((r) => r.headers["x-workspace-id"]))).toEqual(new Set(["ws-b"]))
    expect(b.requests.every((r) => r.headers["x-session-id"] === undefined)).toBe(true)
    expect(await second.getSessionId()).toBeUndefined()
    await Promise.all([first.close(), second.close()])
  })
})

describe("sessions", () => {
  it("setSession, getSessionId and clearSession change what later calls send", async () => {
    const server = await serve()
    const client = new MemoryLayerClient({ baseUrl: server.url, sessionId: "sess_initial" })
    await client.recall("a")
    await client.setSession("sess_next")
    await client.recall("b")
    await client.clearSession()
    await client.recall("c")
    expect(server.requests.map((r) => r.headers["x-session-id"])).toEqual(["sess_initial", "sess_next", undefined])
    await expect(client.setSession("")).rejects.toBeInstanceOf(ValidationError)
    await client.close()
  })

  it("createSession with autoSetSession: false leaves the active session alone", async () => {
    const server = await serve()
    const client = new MemoryLayerClient({ baseUrl: server.url })
    await client.createSession({ autoSetSession: false })
    expect(await client.getSessionId()).toBeUndefined()
    await client.close()
  })
})

describe("bad input never reaches the server", () => {
  it.each([
    ["an unknown option", (c: MemoryLayerClient) => c.recall("q", { limt: 3 } as never), "options.limt"],
    ["a positional argument of the wrong type", (c: MemoryLayerClient) => c.remember(42 as never), "body.content"],
    ["an empty id", (c: MemoryLayerClient) => c.getMemory(""), "path.memory_id"],
    ["a negative per-call timeout", (c: MemoryLayerClient) => c.getMemory("m", { timeout: -1 }), "options.timeout"],
    ["keys that are not strings", (c: MemoryLayerClient) => c.getContext("s", [1] as never), "keys"],
    ["blank memory content", (c: MemoryLayerClient) => c.remember("   "), "body.content"],
    ["an unknown relationship", (c: MemoryLayerClient) => c.associate("a", "b", "frobnicates" as never), "body.relationship"],
    ["autoSetSession that is not a boolean", (c: MemoryLayerClient) => c.createSession({ autoSetSession: "no" as never }), "options.autoSetSession"],
    ["both lookbackHours and lookbackMinutes", (c: MemoryLayerClient) => c.getBriefing({ lookbackHours: 1, lookbackMinutes: 30 }), "options.lookbackHours"]
  ])("%s is a ValidationError naming the field, and nothing is sent", async (_, call, field) => {
    const server = await serve()
    const client = new MemoryLayerClient({ baseUrl: server.url })
    const error = await call(client).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((i) => i.path.join("."))).toContain(field)
    expect(server.requests).toHaveLength(0)
    await client.close()
  })

  it("invalid client options throw a ValidationError naming each, without echoing the key", () => {
    const error = (() => {
      try {
        new MemoryLayerClient({ baseUrl: "ftp://x", timeout: 0, maxRetries: 1.5, apiKey: "sk-secret-constructor" })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((i) => i.path[0])).toEqual(["timeout", "maxRetries", "baseUrl"])
    expect(inspect(error, { depth: 10 })).not.toContain("sk-secret-constructor")
  })
})

describe("releasing a client", () => {
  it("close() is idempotent and later calls reject instead of sending", async () => {
    const server = await serve()
    const client = new MemoryLayerClient({ baseUrl: server.url })
    await client.recall("before")
    await client.close()
    await client.close()
    await expect(client.recall("after")).rejects.toBeInstanceOf(MemoryLayerError)
    expect(server.requests).toHaveLength(1)
  })

  it("await using closes the client at the end of the scope", async () => {
    const server = await serve()
    let escaped: MemoryLayerClient | undefined
    {
      await using client = new MemoryLayerClient({ baseUrl: server.url })
      escaped = client
      await client.recall("inside")
    }
    await expect(escaped.recall("outside")).rejects.toThrow("closed")
  })
})

/**
 * `new MemoryLayerClient()` and `MemoryLayer.layer()` read MEMORYLAYER_URL,
 * MEMORYLAYER_API_KEY and MEMORYLAYER_WORKSPACE_ID when the options do not
 * say; an explicit option wins, and the key read from the environment is
 * redacted like a given one.
 */
import { inspect } from "node:util"
import * as Effect from "effect/Effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { MemoryLayerClient } from "../../src/index.ts"

const KEY = "sk-from-environment-0123"
const saved = { ...process.env }
const sent: Array<{ url: string; authorization: string | null; workspace: string | null }> = []
const fetch = (request: Request): Response => {
  sent.push({ url: request.url, authorization: request.headers.get("authorization"), workspace: request.headers.get("x-workspace-id") })
  return Response.json({ detail: "stub" }, { status: 404 })
}

beforeEach(() => {
  sent.length = 0
  process.env["MEMORYLAYER_URL"] = "https://memory.example.test/base"
  process.env["MEMORYLAYER_API_KEY"] = KEY
  process.env["MEMORYLAYER_WORKSPACE_ID"] = "ws_env"
})
afterEach(() => {
  for (const name of ["MEMORYLAYER_URL", "MEMORYLAYER_API_KEY", "MEMORYLAYER_WORKSPACE_ID"]) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
})

describe("configuration from the environment", () => {
  it("the Promise client takes the URL, key and workspace from it, and never shows the key", async () => {
    const client = new MemoryLayerClient({ fetch, maxRetries: 0 })
    await client.getMemory("mem_1").catch(() => undefined)
    await client.close()
    expect(sent).toEqual([{ url: "https://memory.example.test/base/v1/memories/mem_1", authorization: `Bearer ${KEY}`, workspace: "ws_env" }])
    expect(inspect(client)).not.toContain(KEY)
    expect(inspect(client)).toContain("https://memory.example.test/base")
  })

  it("an explicit option wins over the environment", async () => {
    const client = new MemoryLayerClient({ fetch, maxRetries: 0, baseUrl: "http://127.0.0.1:9", workspaceId: "ws_given" })
    await client.getMemory("mem_1").catch(() => undefined)
    await client.close()
    expect(sent[0]).toMatchObject({ url: "http://127.0.0.1:9/v1/memories/mem_1", workspace: "ws_given", authorization: `Bearer ${KEY}` })
  })

  it("MemoryLayer.layer() reads it too", async () => {
    const program = Effect.flatMap(Effect.service(MemoryLayer), (ml) => Effect.flip(ml.getMemory("mem_1")))
    await Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layer({ fetch, maxRetries: 0 }))))
    expect(sent[0]).toMatchObject({ url: "https://memory.example.test/base/v1/memories/mem_1", workspace: "ws_env" })
  })

  it("a bad value in the environment is a ValidationError naming the option", () => {
    process.env["MEMORYLAYER_URL"] = "not a url"
    expect(() => new MemoryLayerClient({ fetch })).toThrow(/baseUrl must be an http\(s\) URL/)
  })
})

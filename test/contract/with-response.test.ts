/**
 * `withResponse`, on both faces, against the Prism mock: every kind of
 * method (a flat one, a namespaced one, a list, a text download, a streamed
 * download, an NDJSON export, a conditional write that reads its etag first)
 * gives the value the plain method gives, the server's `Response` and the
 * request id; a failure is the plain method's typed error.
 */
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, inject, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { type FetchLike, MemoryLayerClient, NotFoundError, type WithResponse } from "../../src/index.ts"
import { effectFace } from "../support/effect-face.ts"

const prismUrl = inject("prismUrl")
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A fetch to Prism that notes the method and path of every request. */
const noting = (): { readonly fetch: FetchLike; readonly seen: Array<string> } => {
  const seen: Array<string> = []
  return {
    seen,
    fetch: (request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`)
      return fetch(request)
    }
  }
}

const promiseFace = new MemoryLayerClient({ baseUrl: prismUrl, maxRetries: 0 })
const effectFaceClient = effectFace(MemoryLayer.layer({ baseUrl: prismUrl, maxRetries: 0 }))
afterAll(async () => {
  await promiseFace.close()
  await effectFaceClient.close()
})

const text = async (stream: ReadableStream<Uint8Array>): Promise<string> => new Response(stream).text()

describe.each([["promise", promiseFace], ["effect", effectFaceClient]] as const)("withResponse, %s face", (_face, client) => {
  it("a flat method: the plain method's value, the Response with its status and headers, the request id sent", async () => {
    const { data, response, requestId } = await client.withResponse.getMemory("mem_0123")
    expect(data).toEqual(await client.getMemory("mem_0123"))
    expect(response).toBeInstanceOf(Response)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("application/json")
    expect(response.bodyUsed).toBe(true)
    expect(requestId).toMatch(UUID)
  })

  it("a namespaced list: the page asked for, as awaiting the plain method gives it", async () => {
    const { data, response } = await client.withResponse.threads.list({ limit: 1 })
    expect(data).toEqual(await client.threads.list({ limit: 1 }))
    expect(response.status).toBe(200)
  })

  it("a flat alias of a namespaced method is in the view too", async () => {
    const { data, response } = await client.withResponse.listThreads({ limit: 1 })
    expect(data).toEqual(await client.threads.list({ limit: 1 }))
    expect(response.status).toBe(200)
  })

  it("an NDJSON export gives all its records and the answer", async () => {
    const { data, response } = await client.withResponse.exportWorkspace("_default")
    expect(Array.isArray(data)).toBe(true)
    expect(data).toEqual(await client.exportWorkspace("_default"))
    expect(response.headers.get("content-type")).toContain("ndjson")
  })

  it("a text download and a streamed one: the text, and the body stream itself with the answer's headers", async () => {
    const manifest = await client.withResponse.skills.getManifest("skill_0123")
    expect(typeof manifest.data).toBe("string")
    expect(manifest.response.status).toBe(200)
    const bundle = await client.withResponse.skills.getBundle("skill_0123")
    expect(bundle.data).toBeInstanceOf(ReadableStream)
    expect(bundle.response.status).toBe(200)
    expect(bundle.response.headers.get("content-type")).not.toBeNull()
    expect(await text(bundle.data)).not.toBe("")
  })

})

describe.each(["promise", "effect"] as const)("withResponse fails as the plain method does, %s face", (face) => {
  it("with the same typed error, its status, headers and request id", async () => {
    // Prism answers its example unless asked for an error status.
    const asking404: FetchLike = (request) => {
      request.headers.set("Prefer", "code=404")
      return fetch(request)
    }
    const options = { baseUrl: prismUrl, maxRetries: 0, fetch: asking404 }
    const client = face === "promise" ? new MemoryLayerClient(options) : effectFace(MemoryLayer.layer(options))
    const error = await client.withResponse.getMemory("mem_0123", { requestId: "wr-404" }).then(() => expect.fail("resolved"), (e: unknown) => e)
    await client.close()
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({ statusCode: 404, requestId: "wr-404" })
    expect((error as NotFoundError).headers?.["content-type"]).toContain("json")
  })
})

describe("withResponse gives the answer of the method's own operation", () => {
  it("a conditional write that reads the etag first gives the write's answer, not the read's", async () => {
    const { fetch, seen } = noting()
    const client = new MemoryLayerClient({ baseUrl: prismUrl, maxRetries: 0, fetch })
    const written: WithResponse<unknown> = await client.withResponse.skills.replaceManifest("skill_0123", "A skill that deploys")
    await client.close()
    expect(seen).toEqual(["GET /v1/skills/skill_0123", "PUT /v1/skills/skill_0123/manifest"])
    expect(written.response.url).toContain("/v1/skills/skill_0123/manifest")
  })

  it("on the Effect face, the view is a service of its own: ml.withResponse.<method> yields { data, response, requestId }", async () => {
    const program = Effect.gen(function*() {
      const ml = yield* MemoryLayer
      const plain = yield* ml.getMemory("mem_0123")
      const { data, response, requestId } = yield* ml.withResponse.getMemory("mem_0123", { requestId: "effect-view-1" })
      return { same: JSON.stringify(data) === JSON.stringify(plain), status: response.status, requestId }
    })
    const result = await Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layer({ baseUrl: prismUrl }))))
    expect(result).toEqual({ same: true, status: 200, requestId: "effect-view-1" })
  })
})

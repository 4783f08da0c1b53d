/**
 * Request ids, withResponse, logging and spans against the real server,
 * through the contract-checking proxy: the server takes the SDK's
 * `X-Request-ID`, `withResponse` gives its answer, its 404 comes back with
 * the answer's headers and the request id sent, and a traced, logged call
 * tells the same story in its spans and lines.
 */
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"
import { describe, expect, inject, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { type LogFields, MemoryLayerClient, NotFoundError } from "../../src/index.ts"
import { recording, reportCoverage } from "./coverage.ts"

const memorylayerUrl = inject("memorylayerUrl")
reportCoverage("observability")

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A fetch through the coverage recorder that notes the X-Request-ID of every request. */
const noting = () => {
  const ids: Array<string | null> = []
  const record = recording()
  return {
    ids,
    fetch: (request: Request, init?: RequestInit) => {
      ids.push(request.headers.get("x-request-id"))
      return record(request, init)
    }
  }
}

describe("observability against memorylayer-server", () => {
  it("Promise face: withResponse gives the server's answer; a 404 carries its headers and the request id sent", async () => {
    const { ids, fetch } = noting()
    const client = new MemoryLayerClient({ baseUrl: memorylayerUrl, fetch, maxRetries: 0 })
    const stored = await client.remember(`observability e2e ${crypto.randomUUID()}`)
    const { data, response, requestId } = await client.withResponse.getMemory(stored.id)
    expect(data.id).toBe(stored.id)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("application/json")
    expect(requestId).toBe(ids[1])
    const error = await client.getMemory("mem_0123456789abcdef").then(() => expect.fail("found"), (e: unknown) => e)
    await client.close()
    expect(error).toBeInstanceOf(NotFoundError)
    expect((error as NotFoundError).statusCode).toBe(404)
    expect((error as NotFoundError).headers?.["content-type"]).toContain("application/json")
    expect((error as NotFoundError).requestId).toBe(ids[2])
    expect(ids.every((id) => id !== null && UUID.test(id))).toBe(true)
  })

  it("Effect face: a traced, logged call has an operation span, an attempt span and a debug line with the same request id", async () => {
    const { ids, fetch } = noting()
    const spans: Array<Tracer.NativeSpan> = []
    const tracer = Tracer.make({
      span(options) {
        const span = new Tracer.NativeSpan(options)
        spans.push(span)
        return span
      }
    })
    const lines: Array<LogFields> = []
    const keep = (_: string, fields: LogFields) => void lines.push(fields)
    const program = Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.withResponse.recall("observability e2e", { limit: 1 }))
    const { response } = await Effect.runPromise(
      program.pipe(
        Effect.provide(MemoryLayer.layer({ baseUrl: memorylayerUrl, fetch, logLevel: "debug", logger: { debug: keep, info: keep, warn: keep, error: keep } })),
        Effect.provideService(Tracer.Tracer, tracer)
      )
    )
    expect(response.status).toBe(200)
    expect(spans.map((s) => [s.name, s.attributes.get("http.response.status_code")])).toEqual([
      ["MemoryLayer.recall", 200],
      ["MemoryLayer.recall attempt", 200]
    ])
    expect(spans[1]?.attributes.get("http.request.header.x-request-id")).toEqual([ids[0]])
    expect(lines.map((l) => [l["operation"], l["status"], l["requestId"]])).toEqual([
      ["recall", 200, ids[0]],
      ["recall", 200, ids[0]]
    ])
  })
})

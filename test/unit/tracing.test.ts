/**
 * Spans, when a tracer is installed: one per operation,
 * `MemoryLayer.<operationId>`, and under it one per attempt,
 * `MemoryLayer.<operationId> attempt` (kind `client`), with OpenTelemetry's
 * HTTP client attribute names; `url.full` without the query string.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import { describe, expect, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import type { FetchLike, MemoryLayerOptions } from "../../src/index.ts"
import { getMemoryAnswer } from "../support/fixtures.ts"

/** A tracer that keeps every span it starts. */
const recordingTracer = (spans: Array<Tracer.NativeSpan>): Tracer.Tracer =>
  Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })

/** A fetch answering `replies` in turn, keeping each request. */
const scripted = (...replies: ReadonlyArray<() => Response>): { readonly fetch: FetchLike; readonly requests: Array<Request> } => {
  const requests: Array<Request> = []
  return {
    requests,
    fetch: (request) => {
      requests.push(request)
      return (replies[Math.min(requests.length - 1, replies.length - 1)] as () => Response)()
    }
  }
}

/** Runs `call` on the service over `options` with a recording tracer; the spans it ended, and how it ended. */
const traced = async <A>(call: (ml: MemoryLayer["Service"]) => Effect.Effect<A, unknown>, options: MemoryLayerOptions) => {
  const spans: Array<Tracer.NativeSpan> = []
  const exit = await Effect.runPromiseExit(
    Effect.flatMap(Effect.service(MemoryLayer), call).pipe(Effect.provide(MemoryLayer.layer(options)), Effect.provideService(Tracer.Tracer, recordingTracer(spans)))
  )
  return { spans, exit }
}

const attributes = (span: Tracer.NativeSpan | undefined): Record<string, unknown> => Object.fromEntries(span?.attributes ?? [])

describe("spans", () => {
  it("a call that succeeds on its second attempt: the operation's span and one client span per attempt under it", async () => {
    const { fetch, requests } = scripted(
      () => Response.json({ detail: "busy" }, { status: 503, headers: { "retry-after": "0" } }),
      () => Response.json(getMemoryAnswer)
    )
    const { spans, exit } = await traced((ml) => ml.getMemory("mem_1", { includeDeleted: true }), { baseUrl: "https://memory.example.test:8443/base", fetch })
    expect(Exit.isSuccess(exit)).toBe(true)
    const [call, first, second] = spans
    expect(spans.map((s) => [s.name, s.kind, s.status._tag])).toEqual([
      ["MemoryLayer.getMemory", "internal", "Ended"],
      ["MemoryLayer.getMemory attempt", "client", "Ended"],
      ["MemoryLayer.getMemory attempt", "client", "Ended"]
    ])
    expect([first, second].map((s) => Option.getOrUndefined(s?.parent ?? Option.none()))).toEqual([call, call])
    const requestId = requests[0]?.headers.get("x-request-id")
    const request = {
      "http.request.method": "GET",
      "url.template": "/v1/memories/{memory_id}",
      "server.address": "memory.example.test",
      "server.port": 8443
    }
    expect(attributes(call)).toEqual({ ...request, "http.response.status_code": 200 })
    expect(attributes(first)).toEqual({
      ...request,
      "url.full": "https://memory.example.test:8443/base/v1/memories/mem_1",
      "http.request.header.x-request-id": [requestId],
      "http.response.status_code": 503,
      "error.type": "503"
    })
    expect(attributes(second)).toEqual({
      ...request,
      "url.full": "https://memory.example.test:8443/base/v1/memories/mem_1",
      "http.request.resend_count": 1,
      "http.request.header.x-request-id": [requestId],
      "http.response.status_code": 200
    })
    // The query string went out, but no span shows it.
    expect(requests[1]?.url).toContain("include_deleted=true")
    expect(JSON.stringify(spans.map(attributes))).not.toContain("include_deleted")
  })

  it("a call that fails: its span and its attempt's carry error.type, the status, and end with the failure", async () => {
    const { fetch } = scripted(() => Response.json({ detail: "Memory not found: mem_1" }, { status: 404 }))
    const { spans, exit } = await traced((ml) => ml.getMemory("mem_1"), { baseUrl: "http://127.0.0.1:61001", fetch })
    expect(Exit.isFailure(exit)).toBe(true)
    expect(spans.map((s) => [s.name, attributes(s)["error.type"], attributes(s)["http.response.status_code"]])).toEqual([
      ["MemoryLayer.getMemory", "404", 404],
      ["MemoryLayer.getMemory attempt", "404", 404]
    ])
    for (const span of spans) expect(span.status._tag === "Ended" && Exit.isFailure(span.status.exit)).toBe(true)
    expect(attributes(spans[1])["server.port"]).toBe(61001)
  })

  it("no answer at all: error.type is the error's class, and there is no status", async () => {
    const fetch: FetchLike = () => Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }))
    const { spans } = await traced((ml) => ml.getMemory("mem_1", { maxRetries: 0 }), { baseUrl: "http://localhost", fetch })
    expect(spans.map((s) => [s.name, attributes(s)["error.type"], attributes(s)["http.response.status_code"], attributes(s)["server.port"]])).toEqual([
      ["MemoryLayer.getMemory", "ConnectionError", undefined, 80],
      ["MemoryLayer.getMemory attempt", "ConnectionError", undefined, 80]
    ])
  })

  it("bad input: the operation's span says ValidationError, and there is no attempt", async () => {
    const { fetch, requests } = scripted(() => Response.json({}))
    const { spans } = await traced((ml) => ml.remember("x", { importance: 7 }), { fetch })
    expect(spans.map((s) => [s.name, attributes(s)["error.type"]])).toEqual([["MemoryLayer.remember", "ValidationError"]])
    expect(requests).toHaveLength(0)
  })
})

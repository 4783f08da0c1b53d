/**
 * The fault kinds a server (or what stands between it and the client) can
 * throw at a call, each with what the client must make of it: the outcome
 * and the number of requests that reach the server, for an idempotent
 * operation and for one that is not. The fault matrix asserts them; the
 * secret scan looks for the key in everything they produce.
 *
 * Every case runs against its own fault server and its own client (so its
 * own retry budget), with the default retries.
 *
 * @module
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as Tracer from "effect/Tracer"
import { inspect } from "node:util"
import { MemoryLayer, type MemoryLayerService } from "../../src/effect.ts"
import { MemoryLayerClient, MemoryLayerError, type MemoryLayerOptions } from "../../src/index.ts"
import { type FaultReply, startFaultServer } from "./fault-server.ts"
import { getMemoryAnswer, recallAnswer, rememberAnswer } from "./fixtures.ts"

/** What a call ends with (`"ok"` or the error's `_tag`) and how many requests reach the server. */
export type Expectation = readonly [outcome: string, requests: number]

/** One kind of fault. */
export interface FaultKind {
  readonly name: string
  /** The reply to the request of this index; `success` is the operation's own valid answer, `other` another origin's URL. */
  readonly reply: (index: number, success: FaultReply, other: string) => FaultReply
  /** Client options the fault needs (a short timeout, a small size cap). */
  readonly options?: MemoryLayerOptions
  /** Nothing listens: the connection is refused, so no request reaches any server. */
  readonly refused?: true
  readonly idempotent: Expectation
  readonly nonIdempotent: Expectation
}

const always = (reply: FaultReply) => (): FaultReply => reply
const once = (reply: FaultReply) => (index: number, success: FaultReply): FaultReply => (index === 0 ? reply : success)
const json = (status: number, detail: unknown, headers?: Record<string, string>): FaultReply => ({ status, json: { detail }, ...(headers === undefined ? {} : { headers }) })
const html = (status: number, title: string): FaultReply => ({
  status,
  headers: { "content-type": "text/html" },
  body: `<html><head><title>${title}</title></head><body><h1>${title}</h1><hr>proxy</body></html>`
})

/** The fault kinds, 35 of them. */
export const FAULT_KINDS: ReadonlyArray<FaultKind> = [
  { name: "connection refused", reply: always({ status: 500 }), refused: true, idempotent: ["ConnectionError", 0], nonIdempotent: ["ConnectionError", 0] },
  { name: "reset before the request is read", reply: always({ reset: "immediately" }), idempotent: ["ConnectionError", 3], nonIdempotent: ["ConnectionError", 1] },
  { name: "reset after the request is read", reply: always({ reset: "after-body" }), idempotent: ["ConnectionError", 3], nonIdempotent: ["ConnectionError", 1] },
  { name: "reset once, then answered", reply: once({ reset: "after-body" }), idempotent: ["ok", 2], nonIdempotent: ["ConnectionError", 1] },
  { name: "no answer within the timeout", reply: always({ stall: true }), options: { timeout: 250 }, idempotent: ["ConnectionError", 3], nonIdempotent: ["ConnectionError", 1] },
  { name: "an answer slower than usual but within the timeout", reply: (_, success) => ({ ...success, delayMs: 150 }), options: { timeout: 2_000 }, idempotent: ["ok", 1], nonIdempotent: ["ok", 1] },
  { name: "a body cut off halfway", reply: (_, success) => ({ ...success, truncate: true }), idempotent: ["ConnectionError", 3], nonIdempotent: ["ConnectionError", 1] },
  { name: "408", reply: always(json(408, "Request Timeout")), idempotent: ["ConnectionError", 3], nonIdempotent: ["ConnectionError", 3] },
  { name: "429 with Retry-After: 0", reply: always(json(429, "Rate limit exceeded", { "retry-after": "0" })), idempotent: ["RateLimitError", 3], nonIdempotent: ["RateLimitError", 3] },
  { name: "429 with retry_after: 0 in the body", reply: always({ status: 429, json: { detail: "slow down", retry_after: 0 } }), idempotent: ["RateLimitError", 3], nonIdempotent: ["RateLimitError", 3] },
  { name: "429 asking for 120 s", reply: always(json(429, "Rate limit exceeded", { "retry-after": "120" })), idempotent: ["RateLimitError", 1], nonIdempotent: ["RateLimitError", 1] },
  { name: "429 once, then answered", reply: once(json(429, "Rate limit exceeded", { "retry-after": "0" })), idempotent: ["ok", 2], nonIdempotent: ["ok", 2] },
  { name: "500", reply: always(json(500, "Failed to recall memories")), idempotent: ["ServerError", 3], nonIdempotent: ["ServerError", 1] },
  { name: "500 once, then answered", reply: once(json(500, "Failed")), idempotent: ["ok", 2], nonIdempotent: ["ServerError", 1] },
  { name: "501", reply: always(json(501, "Not Implemented")), idempotent: ["ServerError", 1], nonIdempotent: ["ServerError", 1] },
  { name: "502 from a proxy, as an HTML page", reply: always(html(502, "502 Bad Gateway")), idempotent: ["ServerError", 3], nonIdempotent: ["ServerError", 1] },
  { name: "503 with Retry-After: 0", reply: always(json(503, "Service unavailable", { "retry-after": "0" })), idempotent: ["ServerError", 3], nonIdempotent: ["ServerError", 3] },
  { name: "503 without Retry-After", reply: always(json(503, "Service unavailable")), idempotent: ["ServerError", 3], nonIdempotent: ["ServerError", 3] },
  { name: "503 once, then answered", reply: once(json(503, "Service unavailable", { "retry-after": "0" })), idempotent: ["ok", 2], nonIdempotent: ["ok", 2] },
  { name: "504", reply: always(json(504, "Gateway Timeout")), idempotent: ["ServerError", 3], nonIdempotent: ["ServerError", 1] },
  { name: "400", reply: always(json(400, "Invalid direction: sideways")), idempotent: ["ValidationError", 1], nonIdempotent: ["ValidationError", 1] },
  { name: "401 from a proxy, as an HTML page", reply: always(html(401, "401 Authorization Required")), idempotent: ["AuthenticationError", 1], nonIdempotent: ["AuthenticationError", 1] },
  { name: "403", reply: always(json(403, "Access denied to memories")), idempotent: ["AuthorizationError", 1], nonIdempotent: ["AuthorizationError", 1] },
  { name: "404", reply: always(json(404, "Memory not found: mem_1")), idempotent: ["NotFoundError", 1], nonIdempotent: ["NotFoundError", 1] },
  { name: "409", reply: always(json(409, "memory id already exists")), idempotent: ["ConflictError", 1], nonIdempotent: ["ConflictError", 1] },
  { name: "412", reply: always(json(412, "ETag does not match current revision")), idempotent: ["ConflictError", 1], nonIdempotent: ["ConflictError", 1] },
  {
    name: "422",
    reply: always(json(422, [{ loc: ["body", "query"], msg: "String should have at least 1 character", type: "string_too_short" }])),
    idempotent: ["ValidationError", 1],
    nonIdempotent: ["ValidationError", 1]
  },
  { name: "a success that is not JSON", reply: (_, success) => ({ status: (success as { status?: number }).status ?? 200, body: "<html>ok</html>" }), idempotent: ["DecodeError", 1], nonIdempotent: ["DecodeError", 1] },
  { name: "a success with an empty body", reply: (_, success) => ({ status: (success as { status?: number }).status ?? 200 }), idempotent: ["DecodeError", 1], nonIdempotent: ["DecodeError", 1] },
  { name: "a success that breaks the contract", reply: (_, success) => ({ status: (success as { status?: number }).status ?? 200, json: { memory: { id: 7 }, memories: "none" } }), idempotent: ["DecodeError", 1], nonIdempotent: ["DecodeError", 1] },
  { name: "a success over maxResponseBytes", reply: (_, success) => success, options: { maxResponseBytes: 64 }, idempotent: ["DecodeError", 1], nonIdempotent: ["DecodeError", 1] },
  { name: "an endless success body", reply: () => ({ status: 200, body: "[".repeat(16 * 1024), repeat: Infinity }), options: { maxResponseBytes: 1024 * 1024 }, idempotent: ["DecodeError", 1], nonIdempotent: ["DecodeError", 1] },
  { name: "a 307 to another origin", reply: (_, __, other) => ({ status: 307, headers: { location: `${other}/v1/memories` } }), idempotent: ["DecodeError", 1], nonIdempotent: ["DecodeError", 1] },
  { name: "a redirect loop", reply: always({ status: 307, headers: { location: "/v1/loop" } }), idempotent: ["DecodeError", 6], nonIdempotent: ["DecodeError", 6] },
  { name: "a same-origin 307, then answered", reply: (index, success) => (index === 0 ? { status: 307, headers: { location: "/moved" } } : success), idempotent: ["ok", 2], nonIdempotent: ["ok", 2] }
]

/** The operations every fault is tried on: their call on either face, their valid answer, and whether they are idempotent. */
export const FAULT_OPERATIONS = [
  { id: "getMemory", idempotent: true, success: { status: 200, json: getMemoryAnswer }, call: (api: MemoryLayerClient | MemoryLayerService) => api.getMemory("mem_1") },
  { id: "recall", idempotent: true, success: { status: 200, json: recallAnswer }, call: (api: MemoryLayerClient | MemoryLayerService) => api.recall("deploy") },
  { id: "remember", idempotent: false, success: { status: 201, json: rememberAnswer }, call: (api: MemoryLayerClient | MemoryLayerService) => api.remember("x") }
] as const

/** One operation of {@link FAULT_OPERATIONS}. */
export type FaultOperation = (typeof FAULT_OPERATIONS)[number]

/** What one case produced. */
export interface FaultOutcome {
  /** `"ok"`, the error's `_tag`, or `untyped: <what>` for a rejection that is no MemoryLayerError. */
  readonly outcome: string
  readonly error: unknown
  /** Requests that reached the fault server (the other origin's included). */
  readonly requests: number
  /** Requests that reached the other origin (a redirect target). */
  readonly otherOriginRequests: number
  /** Spans the call ended, when run on the Effect face. */
  readonly spans: ReadonlyArray<Tracer.NativeSpan>
  /** The failure's `Cause.pretty`, when it failed on the Effect face. */
  readonly cause?: string | undefined
  /**
   * The log lines of the call, each with everything it holds, when the client
   * logs (`logLevel`): the Promise face's as its `logger` got them, the
   * Effect face's as Effect's logger got them (message and annotations).
   */
  readonly logs: ReadonlyArray<string>
}

/** A tracer that keeps every span it starts. */
const recordingTracer = (spans: Array<Tracer.NativeSpan>): Tracer.Tracer =>
  Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })

/** `"ok"`, the tag of a MemoryLayerError, or what else the call was rejected with. */
export const outcomeOf = (error: unknown): string => {
  if (error === undefined) return "ok"
  return error instanceof MemoryLayerError ? error._tag : `untyped: ${String(error)}`
}

/** A logger that keeps every line and its fields, as `inspect` shows them. */
const recordingLogger = (lines: Array<string>) => {
  const keep = (message: string, fields: unknown): void => {
    lines.push(`${message} ${inspect(fields, { depth: Infinity })}`)
  }
  return { debug: keep, info: keep, warn: keep, error: keep }
}

/**
 * Runs `operation` against a server with fault `kind`, on the Promise face or
 * on the Effect face (with a tracer that records its spans, and an Effect
 * logger that records its lines).
 */
export const runFaultCase = async (
  kind: FaultKind,
  operation: FaultOperation,
  face: "promise" | "effect",
  options: MemoryLayerOptions = {}
): Promise<FaultOutcome> => {
  const other = await startFaultServer(always(operation.success))
  const server = await startFaultServer((request) => kind.reply(request.index, operation.success, other.url))
  const baseUrl = server.url
  if (kind.refused === true) await server.close()
  const clientOptions: MemoryLayerOptions = { ...options, ...kind.options, baseUrl }
  const spans: Array<Tracer.NativeSpan> = []
  const logs: Array<string> = []
  let error: unknown
  let cause: string | undefined
  try {
    if (face === "promise") {
      const client = new MemoryLayerClient({ logger: recordingLogger(logs), ...clientOptions })
      error = await (operation.call(client) as Promise<unknown>).then(() => undefined, (e: unknown) => e)
      await client.close()
    } else {
      const program = Effect.flatMap(Effect.service(MemoryLayer), (ml) => operation.call(ml) as Effect.Effect<unknown, unknown>)
      const exit = await Effect.runPromiseExit(
        program.pipe(
          Effect.provide(MemoryLayer.layer(clientOptions)),
          Effect.provideService(Tracer.Tracer, recordingTracer(spans)),
          Effect.provide(Logger.layer([Logger.make((line) => logs.push(`${Logger.formatLogFmt.log(line)} ${inspect(line.message, { depth: Infinity })}`))]))
        )
      )
      if (Exit.isFailure(exit)) {
        error = Cause.squash(exit.cause)
        cause = Cause.pretty(exit.cause)
      }
    }
  } finally {
    await server.close()
    await other.close()
  }
  return { outcome: outcomeOf(error), error, requests: server.requests.length + other.requests.length, otherOriginRequests: other.requests.length, spans, cause, logs }
}

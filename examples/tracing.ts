/**
 * Tracing the MemoryLayer service with OpenTelemetry. Every operation is a
 * span, `MemoryLayer.<operation>`, with one child span per HTTP attempt,
 * `MemoryLayer.<operation> attempt`, carrying OpenTelemetry's HTTP client
 * attributes (`http.request.method`, `url.template`, `url.full`,
 * `http.response.status_code`, `http.request.resend_count`, `error.type`,
 * `server.address`, `server.port`).
 *
 * With OTEL_EXPORTER_OTLP_ENDPOINT set (a collector, Jaeger, Tempo, ...:
 * `http://localhost:4318`), the spans are exported there over OTLP/HTTP with
 * Effect's own exporter (`effect/observability`); without it they are
 * printed as a tree when the program ends. The calls go to MEMORYLAYER_URL
 * when it is set, else to the in-memory test server.
 *
 *   npx node examples/tracing.ts
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 MEMORYLAYER_URL=http://localhost:61001 npx node examples/tracing.ts
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { FetchHttpClient } from "effect/http"
import * as Layer from "effect/Layer"
import { OtlpSerialization, OtlpTracer } from "effect/observability"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import { MemoryLayer } from "../src/effect.ts"

/** An agent's turn: store what it learned, recall by meaning, look up an id that is gone. */
const turn = Effect.gen(function*() {
  const ml = yield* MemoryLayer
  yield* ml.remember("The deploy script lives in scripts/deploy.sh", { type: "procedural" })
  const { memories } = yield* ml.recall("how do I deploy?", { limit: 3 })
  const missing = yield* Effect.flip(ml.getMemory("mem_0123456789abcdef"))
  return `recalled ${memories.length}, then ${missing._tag}`
}).pipe(Effect.withSpan("agent.turn"))

/** The spans ended so far, for the tree printed at the end. */
const ended: Array<Tracer.NativeSpan> = []

/** A tracer that keeps every span it ends: Effect's own tracer, with a hook. */
const keeping = Tracer.make({
  span(options) {
    const span = new Tracer.NativeSpan(options)
    const end = span.end.bind(span)
    span.end = (endTime, exit) => {
      end(endTime, exit)
      ended.push(span)
    }
    return span
  }
})

/** One line per span, children under their parent, in start order. */
const tree = (spans: ReadonlyArray<Tracer.NativeSpan>): Array<string> => {
  const byStart = [...spans].sort((a, b) => Number(a.status.startTime - b.status.startTime))
  const children = (parent: Tracer.NativeSpan | undefined): Array<Tracer.NativeSpan> =>
    byStart.filter((span) => Option.getOrUndefined(span.parent) === parent || (parent === undefined && !spans.includes(Option.getOrUndefined(span.parent) as Tracer.NativeSpan)))
  const lines: Array<string> = []
  const walk = (span: Tracer.NativeSpan, depth: number): void => {
    const { status } = span
    const ms = status._tag === "Ended" ? Number(status.endTime - status.startTime) / 1e6 : Number.NaN
    const outcome = status._tag === "Ended" && Exit.isFailure(status.exit) ? "failed" : "ok"
    lines.push(`${"  ".repeat(depth)}${span.name} ${ms.toFixed(1)} ms ${outcome} ${JSON.stringify(Object.fromEntries(span.attributes))}`)
    for (const child of children(span)) walk(child, depth + 1)
  }
  for (const root of children(undefined)) walk(root, 0)
  return lines
}

const endpoint = process.env["OTEL_EXPORTER_OTLP_ENDPOINT"]
const tracing = endpoint === undefined
  ? Layer.succeed(Tracer.Tracer, keeping)
  : OtlpTracer.layer({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces`, resource: { serviceName: "memorylayer-tracing-example" } }).pipe(
    Layer.provide(OtlpSerialization.layerJson),
    Layer.provide(FetchHttpClient.layer)
  )
const memoryLayer = process.env["MEMORYLAYER_URL"] === undefined ? MemoryLayer.layerTest() : MemoryLayer.layerConfig()

// The tracing layer ends (and the OTLP exporter flushes) when the program does.
const outcome = await Effect.runPromise(turn.pipe(Effect.provide(memoryLayer), Effect.provide(tracing)))
console.log(`agent.turn: ${outcome}`)
if (endpoint === undefined) for (const line of tree(ended)) console.log(line)
else console.log(`spans sent over OTLP/HTTP to ${endpoint}`)

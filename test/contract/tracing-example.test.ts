/**
 * examples/tracing.ts runs as documented: without OTEL_EXPORTER_OTLP_ENDPOINT
 * it prints the span tree; with it, it exports the spans over OTLP/HTTP,
 * which a local receiver here collects and checks: names, parent links,
 * kinds and OpenTelemetry attribute names.
 */
import { spawn } from "node:child_process"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "..", "..")

/** Runs the example with `env` added to this process's (without MEMORYLAYER_URL: the in-memory server); its output. */
const runExample = (env: Record<string, string>): Promise<string> =>
  new Promise((done, fail) => {
    const { MEMORYLAYER_URL: _url, MEMORYLAYER_LOG: _log, ...inherited } = process.env
    const child = spawn(process.execPath, ["examples/tracing.ts"], { cwd: root, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")))
    child.on("error", fail)
    child.on("close", (code) => (code === 0 ? done(out) : fail(new Error(`examples/tracing.ts exited with ${code}: ${err}`))))
  })

interface OtlpAttribute {
  readonly key: string
  readonly value: Readonly<Record<string, unknown>>
}
interface OtlpSpan {
  readonly name: string
  readonly spanId: string
  readonly parentSpanId?: string
  readonly kind: number
  readonly attributes: ReadonlyArray<OtlpAttribute>
  readonly status: { readonly code: number }
}

/** A local OTLP/HTTP receiver: every span POSTed to /v1/traces. */
const receiver = async () => {
  const spans: Array<OtlpSpan> = []
  const server = createServer((request, response) => {
    let body = ""
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")))
    request.on("end", () => {
      if (request.method === "POST" && request.url === "/v1/traces") {
        const data = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<OtlpSpan> }> }> }
        for (const resource of data.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans)
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}")
    })
  })
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening))
  return { spans, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((closed) => server.close(closed)) }
}

const attributeKeys = (span: OtlpSpan | undefined): Array<string> => (span?.attributes ?? []).map((a) => a.key).sort()

describe("examples/tracing.ts", () => {
  it("prints each operation's span with an attempt span under it, without a collector", async () => {
    const out = await runExample({})
    const lines = out.trim().split("\n")
    expect(lines[0]).toBe("agent.turn: recalled 1, then NotFoundError")
    expect(lines.slice(1).map((line) => line.replace(/ [\d.]+ ms .*$/, ""))).toEqual([
      "agent.turn",
      "  MemoryLayer.remember",
      "    MemoryLayer.remember attempt",
      "  MemoryLayer.recall",
      "    MemoryLayer.recall attempt",
      "  MemoryLayer.getMemory",
      "    MemoryLayer.getMemory attempt"
    ])
    expect(lines.at(-1)).toContain("failed {")
    expect(lines.at(-1)).toContain("\"error.type\":\"404\"")
  }, 60_000)

  it("exports the spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, with OpenTelemetry's attribute names", async () => {
    const collector = await receiver()
    try {
      const out = await runExample({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url })
      expect(out).toContain(`spans sent over OTLP/HTTP to ${collector.url}`)
    } finally {
      await collector.close()
    }
    const byName = new Map(collector.spans.map((span) => [span.name, span]))
    expect([...byName.keys()].sort()).toEqual([
      "MemoryLayer.getMemory",
      "MemoryLayer.getMemory attempt",
      "MemoryLayer.recall",
      "MemoryLayer.recall attempt",
      "MemoryLayer.remember",
      "MemoryLayer.remember attempt",
      "agent.turn"
    ])
    for (const operation of ["remember", "recall", "getMemory"]) {
      const call = byName.get(`MemoryLayer.${operation}`)
      const attempt = byName.get(`MemoryLayer.${operation} attempt`)
      expect(call?.parentSpanId).toBe(byName.get("agent.turn")?.spanId)
      expect(attempt?.parentSpanId).toBe(call?.spanId)
      // OTLP's span kinds: 1 internal, 3 client.
      expect([call?.kind, attempt?.kind]).toEqual([1, 3])
    }
    expect(attributeKeys(byName.get("MemoryLayer.getMemory attempt"))).toEqual([
      "error.type",
      "http.request.header.x-request-id",
      "http.request.method",
      "http.response.status_code",
      "server.address",
      "server.port",
      "url.full",
      "url.template"
    ])
    // OTLP's status codes: 1 ok, 2 error.
    expect([byName.get("MemoryLayer.recall")?.status.code, byName.get("MemoryLayer.getMemory")?.status.code]).toEqual([1, 2])
  }, 60_000)
})

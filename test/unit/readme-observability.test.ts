/**
 * The examples of the README's "Raw responses and request ids", "Logging"
 * and "Tracing" sections are programs: each TypeScript block there runs as
 * written (its assertions included), with the package's entry points
 * resolved to this repository's sources. The OTLP example exports to a
 * local receiver, which must get the spans.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { afterEach, describe, expect, it, vi } from "vitest"

const root = resolve(import.meta.dirname, "..", "..")

/** The ```ts blocks between heading `section` and the next `## ` heading. */
const blocks = (section: string): Array<string> => {
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const start = readme.indexOf(`${section}\n`)
  if (start === -1) throw new Error(`README.md has no "${section}" section`)
  const end = readme.indexOf("\n## ", start + section.length)
  return [...readme.slice(start, end === -1 ? undefined : end).matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string)
}

const ENTRY_POINTS: Readonly<Record<string, string>> = {
  "memorylayer-client": "src/index.ts",
  "memorylayer-client/effect": "src/effect.ts",
  "memorylayer-client/testing": "src/testing.ts"
}

/** Runs `code` as a module, with the package's entry points pointing at this repository's sources. */
const run = async (name: string, code: string): Promise<void> => {
  const resolved = code.replace(/from "(memorylayer-client(?:\/[a-z]+)?)"/g, (whole, entry: string) => {
    const source = ENTRY_POINTS[entry]
    return source === undefined ? whole : `from ${JSON.stringify(pathToFileURL(join(root, source)).href)}`
  })
  const dir = join(root, ".cache", "readme-observability")
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}-${process.pid}.ts`)
  writeFileSync(file, resolved)
  try {
    await import(pathToFileURL(file).href)
  } finally {
    rmSync(file, { force: true })
  }
}

/** What `console.log` printed while `action` ran (it prints nothing itself). */
const printed = async (action: () => Promise<void>): Promise<string> => {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined)
  try {
    await action()
    return log.mock.calls.map((call) => call.map(String).join(" ")).join("\n")
  } finally {
    log.mockRestore()
  }
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe("the README's examples of raw responses, request ids, logging and tracing", () => {
  it("has a Promise and an Effect example of withResponse", () => {
    expect(blocks("## Raw responses and request ids").map((code) => /client\.withResponse|ml\.withResponse/.exec(code)?.[0])).toEqual(["client.withResponse", "ml.withResponse"])
  })

  it.each(blocks("## Raw responses and request ids").map((code, i) => [i + 1, code] as const))("raw responses example %i runs and its assertions hold", async (i, code) => {
    await printed(() => run(`responses-${i}`, code))
  })

  it("logging example 1 (Promise, a logger of its own) runs and its assertions hold", async () => {
    const [promise] = blocks("## Logging")
    const out = await printed(() => run("logging-1", promise as string))
    expect(out).toMatch(/^debug memorylayer remember: POST \/v1\/memories 201 in \d+ ms \(attempt 1\)$/m)
  })

  it("logging example 2 (Effect's logger) prints the SDK's lines as logfmt with their fields", async () => {
    const [, effect] = blocks("## Logging")
    const out = await printed(() => run("logging-2", effect as string))
    expect(out).toMatch(/level=INFO .*message="memorylayer remember: POST \/v1\/memories 201 in \d+ ms" operation=remember method=POST/)
    expect(out).toMatch(/level=ERROR .*message="memorylayer getMemory: GET \/v1\/memories\/mem_0123456789abcdef failed after 1 attempt/)
  })

  it("tracing example 1 exports the spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    const names: Array<string> = []
    const receiver = createServer((request, response) => {
      let body = ""
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")))
      request.on("end", () => {
        const data = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> }
        for (const resource of data.resourceSpans) for (const scope of resource.scopeSpans) names.push(...scope.spans.map((span) => span.name))
        response.writeHead(200, { "content-type": "application/json" }).end("{}")
      })
    })
    await new Promise<void>((listening) => receiver.listen(0, "127.0.0.1", listening))
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`)
    try {
      const [otlp] = blocks("## Tracing")
      await run("tracing-1", otlp as string)
    } finally {
      await new Promise((closed) => receiver.close(closed))
    }
    expect(names.sort()).toEqual(["MemoryLayer.recall", "MemoryLayer.recall attempt", "MemoryLayer.remember", "MemoryLayer.remember attempt", "agent.turn"])
  })

  it("tracing example 2 (a tracer that keeps the spans) runs and its assertions hold", async () => {
    const [, keeping] = blocks("## Tracing")
    const out = await printed(() => run("tracing-2", keeping as string))
    expect(out).toContain("MemoryLayer.recall attempt")
  })
})

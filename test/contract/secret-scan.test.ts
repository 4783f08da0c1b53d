/**
 * The secret scan: the API key appears nowhere a user could print or ship
 * it. Every fault kind on every operation of the fault matrix, on both faces
 * (the Effect face with a tracer that records its spans), plus the errors no
 * server causes (bad input, a closed client, bad options, a fetch that puts
 * the key in its own error), each looked at as a user would: its message,
 * stack, JSON, `String()`, `util.inspect` with everything shown, what
 * `console.error`, `console.log` and `console.dir` print, and for the Effect
 * face the pretty-printed Cause and every span's end result; and every log
 * line of the calls, at `debug` with bodies, on both faces.
 */
import { Console } from "node:console"
import { Writable } from "node:stream"
import { inspect } from "node:util"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { afterAll, describe, expect, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { MemoryLayerClient, MemoryLayerError, type MemoryLayerOptions } from "../../src/index.ts"
import { FAULT_KINDS, FAULT_OPERATIONS, runFaultCase } from "../support/fault-kinds.ts"

const SECRET = "sk-live-SECRET-123456"
const OPTIONS: MemoryLayerOptions = { apiKey: SECRET, workspaceId: "ws_scan", sessionId: "sess_scan" }

/** Everything `console.error`, `console.log` and `console.dir` print for `value`, as Node's console formats it. */
const consoleOutput = (value: unknown): string => {
  let text = ""
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8")
      done()
    }
  })
  const console = new Console({ stdout: sink, stderr: sink, colorMode: false })
  console.error(value)
  console.log("failed:", value)
  console.dir(value, { depth: null, showHidden: true })
  return text
}

/** The ways a user looks at an error. */
const surfaces = (error: unknown): Record<string, string> => {
  const e = error as Error
  return {
    message: String(e.message),
    stack: String(e.stack),
    json: JSON.stringify(error) ?? "",
    string: String(error),
    inspect: inspect(error, { depth: Infinity, showHidden: true, getters: true }),
    console: consoleOutput(error)
  }
}

let scanned = 0
let looks = 0
let spans = 0
let lines = 0
let occurrences = 0
const classes = new Set<string>()

/** Looks for the key in `text`; returns where it was found, if it was. */
const look = (where: string, text: string): Array<string> => {
  looks++
  if (!text.includes(SECRET)) return []
  occurrences++
  return [where]
}

/** Scans `error` on every surface; returns each surface that shows the key. */
const scan = (where: string, error: unknown, extra: Record<string, string> = {}): Array<string> => {
  expect(error, `${where}: expected an error`).toBeInstanceOf(MemoryLayerError)
  scanned++
  classes.add((error as MemoryLayerError)._tag)
  return Object.entries({ ...surfaces(error), ...extra }).flatMap(([surface, text]) => look(`${where}: ${surface}`, text))
}

describe.concurrent("secret scan", () => {
  afterAll(() => {
    console.log(
      `secret scan: ${scanned} errors of ${classes.size} classes (${[...classes].sort().join(", ")}), ${spans} spans, ${lines} log lines, ${looks} looks: ${occurrences} occurrences of the key`
    )
  })

  it.each(FAULT_KINDS)("$name: no error, span or log line shows the key, on either face", async (kind) => {
    const leaks: Array<string> = []
    const logged: MemoryLayerOptions = { ...OPTIONS, logLevel: "debug", logBodies: true }
    for (const operation of FAULT_OPERATIONS) {
      const [promise, effect] = await Promise.all([runFaultCase(kind, operation, "promise", logged), runFaultCase(kind, operation, "effect", logged)])
      for (const [face, result] of [["promise", promise], ["effect", effect]] as const) {
        expect(result.logs.length, `${face} logs every attempt`).toBeGreaterThan(1)
        for (const line of result.logs) {
          lines++
          leaks.push(...look(`${kind.name}, ${operation.id}, ${face}: log line`, line))
        }
        if (result.outcome === "ok") continue
        leaks.push(...scan(`${kind.name}, ${operation.id}, ${face}`, result.error, result.cause === undefined ? {} : { cause: result.cause }))
      }
      const [call, ...attempts] = effect.spans
      expect(call?.name).toBe(`MemoryLayer.${operation.id}`)
      expect(attempts.length).toBeGreaterThan(0)
      for (const attempt of attempts) {
        expect(attempt.name).toBe(`MemoryLayer.${operation.id} attempt`)
        expect(Option.getOrUndefined(attempt.parent)).toBe(call)
      }
      for (const span of effect.spans) {
        spans++
        expect(span.status._tag).toBe("Ended")
        leaks.push(...look(`${kind.name}, ${operation.id}: span`, inspect(span, { depth: Infinity, showHidden: true, getters: true })))
      }
    }
    expect(leaks).toEqual([])
  }, 30_000)

  it("a ConnectionError from a refused port, printed with console.error as the probe did, does not show the key", async () => {
    const result = await runFaultCase(FAULT_KINDS[0] as (typeof FAULT_KINDS)[number], FAULT_OPERATIONS[0], "promise", { ...OPTIONS, maxRetries: 0 })
    expect(result.outcome).toBe("ConnectionError")
    const printed = consoleOutput(result.error)
    expect(printed).toContain("ConnectionError")
    expect(look("console.error of a refused getMemory", printed)).toEqual([])
    expect(printed).not.toContain("authorization")
  })

  it("errors no server causes: bad input, a closed client, a fetch that names the key, bad options", async () => {
    const leaks: Array<string> = []
    const client = new MemoryLayerClient({ ...OPTIONS, baseUrl: "http://memorylayer.test", maxRetries: 0, fetch: (request) => {
      throw new TypeError(`refused to send ${request.headers.get("authorization") ?? ""}`, { cause: { request } })
    } })
    leaks.push(...scan("bad input", await client.remember("x", { importance: 7 }).catch((e: unknown) => e)))
    leaks.push(...scan("a fetch whose error names the key and holds the request", await client.getMemory("mem_1").catch((e: unknown) => e)))
    await client.close()
    leaks.push(...scan("a closed client", await client.getMemory("mem_1").catch((e: unknown) => e)))
    for (const apiKey of [`${SECRET}\r\nX-Injected: 1`, Redacted.make(`${SECRET}\u0000`), `${SECRET}\u2603`]) {
      let thrown: unknown
      try {
        new MemoryLayerClient({ apiKey })
      } catch (error) {
        thrown = error
      }
      leaks.push(...scan("a key that cannot be a header value", thrown))
    }
    const exit = await Effect.runPromiseExit(
      Effect.service(MemoryLayer).pipe(
        Effect.provide(MemoryLayer.layerConfig()),
        Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: { MEMORYLAYER_API_KEY: `${SECRET}\n` } })))
      )
    )
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) leaks.push(...scan("layerConfig with a key that cannot be a header value", Cause.squash(exit.cause), { cause: Cause.pretty(exit.cause) }))
    expect(leaks).toEqual([])
  })

})

describe("secret scan coverage", () => {
  it("saw every error class the SDK has (the scan above ran first)", () => {
    expect([...classes].sort()).toEqual([
      "AuthenticationError",
      "AuthorizationError",
      "ConflictError",
      "ConnectionError",
      "DecodeError",
      "MemoryLayerError",
      "NotFoundError",
      "RateLimitError",
      "ServerError",
      "ValidationError"
    ])
  })
})

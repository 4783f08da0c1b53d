/**
 * Logging, on both faces, over an in-process fetch that answers as scripted:
 * nothing by default; at `debug` one line per attempt (method, route
 * template, path, status, attempt, time, request id), a `warn` line per
 * retry with its reason and wait, an `info` line per call that succeeded, an
 * `error` line per call that failed; never the API key or a query value;
 * bodies only with `logBodies`, and then without the key or secret-named
 * fields. The Promise client writes to `console` unless given a `logger`;
 * the Effect face writes to Effect's logger, with the fields as annotations.
 */
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as References from "effect/References"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { type FetchLike, type LogFields, type Logger as ClientLogger, MemoryLayerClient, type MemoryLayerOptions, ValidationError } from "../../src/index.ts"
import { effectFace } from "../support/effect-face.ts"
import { getMemoryAnswer, memoryExample, rememberAnswer } from "../support/fixtures.ts"

const KEY = "sk-logging-secret-0123456789"

/** An answer made fresh for each request. */
type Reply = () => Response

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => () => Response.json(body, { status, headers })

/** A fetch answering `replies` in turn (the last one again once they run out), keeping each request. */
const scripted = (...replies: ReadonlyArray<Reply>): { readonly fetch: FetchLike; readonly requests: Array<Request> } => {
  const requests: Array<Request> = []
  return {
    requests,
    fetch: (request) => {
      requests.push(request)
      return (replies[Math.min(requests.length - 1, replies.length - 1)] as Reply)()
    }
  }
}

interface Line {
  readonly level: string
  readonly message: string
  readonly fields: LogFields
}

/** A `logger` option that keeps every line. */
const recording = (): { readonly logger: ClientLogger; readonly lines: Array<Line> } => {
  const lines: Array<Line> = []
  const at = (level: string) => (message: string, fields: LogFields) => void lines.push({ level, message, fields })
  return { lines, logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } }
}

const BUSY = json(503, { detail: "Service unavailable" }, { "retry-after": "0" })
const FOUND = json(200, getMemoryAnswer)
const MISSING = json(404, { detail: "Memory not found: mem_1" })

const saved = process.env["MEMORYLAYER_LOG"]
beforeEach(() => {
  delete process.env["MEMORYLAYER_LOG"]
})
afterEach(() => {
  vi.restoreAllMocks()
  if (saved === undefined) delete process.env["MEMORYLAYER_LOG"]
  else process.env["MEMORYLAYER_LOG"] = saved
})

const FACES = {
  promise: (options: MemoryLayerOptions) => new MemoryLayerClient(options),
  effect: (options: MemoryLayerOptions) => effectFace(MemoryLayer.layer(options))
} as const

describe.each(["promise", "effect"] as const)("logging with a logger, %s face", (face) => {
  const client = (fetch: FetchLike, options: MemoryLayerOptions) => FACES[face]({ baseUrl: "http://memorylayer.test", apiKey: KEY, fetch, ...options })

  it("at debug: a line per attempt, a warn line per retry with its wait, an info line for the call", async () => {
    const { logger, lines } = recording()
    const { fetch, requests } = scripted(BUSY, FOUND)
    const api = client(fetch, { logLevel: "debug", logger })
    await api.getMemory("mem_1", { includeDeleted: true })
    await api.close()
    const requestId = requests[0]?.headers.get("x-request-id")
    const common = { operation: "getMemory", method: "GET", pathTemplate: "/v1/memories/{memory_id}", path: "/v1/memories/mem_1", requestId }
    expect(lines.map((l) => [l.level, l.fields])).toEqual([
      ["debug", { ...common, status: 503, attempt: 1, durationMs: expect.any(Number), error: "ServerError" }],
      ["warn", { ...common, status: 503, attempt: 2, waitMs: 0, error: "ServerError" }],
      ["debug", { ...common, status: 200, attempt: 2, durationMs: expect.any(Number) }],
      ["info", { ...common, status: 200, attempts: 2, durationMs: expect.any(Number) }]
    ])
    expect(lines.map((l) => l.message.replace(/\d+ ms/g, "N ms"))).toEqual([
      "memorylayer getMemory: GET /v1/memories/mem_1 503 (ServerError) in N ms (attempt 1)",
      "memorylayer getMemory: GET /v1/memories/mem_1 retrying in N ms (attempt 2 of 3) after ServerError: getMemory: 503 Service unavailable",
      "memorylayer getMemory: GET /v1/memories/mem_1 200 in N ms (attempt 2)",
      "memorylayer getMemory: GET /v1/memories/mem_1 200 in N ms"
    ])
    expect(JSON.stringify(lines)).not.toContain(KEY)
    expect(JSON.stringify(lines)).not.toContain("include_deleted")
  })

  it("each level adds to the one before: error (failed calls), warn (retries), info (calls that succeeded), debug (attempts)", async () => {
    const levels = { error: [] as Array<string>, warn: [] as Array<string>, info: [] as Array<string>, debug: [] as Array<string> }
    for (const level of ["error", "warn", "info", "debug"] as const) {
      const { logger, lines } = recording()
      const api = client(scripted(BUSY, FOUND, MISSING).fetch, { logLevel: level, logger })
      await api.getMemory("mem_1")
      await api.getMemory("mem_1").catch(() => undefined)
      await api.close()
      levels[level] = lines.map((l) => l.level)
    }
    expect(levels).toEqual({
      error: ["error"],
      warn: ["warn", "error"],
      info: ["warn", "info", "error"],
      debug: ["debug", "warn", "debug", "info", "debug", "error"]
    })
  })

  it("a failed call: an error line naming the error, its status and the attempts made", async () => {
    const { logger, lines } = recording()
    const api = client(scripted(MISSING).fetch, { logLevel: "error", logger })
    await api.getMemory("mem_1").catch(() => undefined)
    await api.remember("x", { importance: 7 }).catch(() => undefined)
    await api.close()
    expect(lines.map((l) => l.message.replace(/\d+ ms/g, "N ms"))).toEqual([
      "memorylayer getMemory: GET /v1/memories/mem_1 failed after 1 attempt in N ms: NotFoundError: getMemory: 404 Memory not found: mem_1",
      "memorylayer remember: POST /v1/memories refused before sending: ValidationError: remember: invalid input: body.importance: Expected a value less than or equal to 1, got 7"
    ])
    expect(lines[0]?.fields).toMatchObject({ status: 404, attempts: 1, error: "NotFoundError" })
  })

  it("bodies only with logBodies, and then without the key or string fields named like secrets", async () => {
    const created = { id: "tok_1", name: "ci", principal_type: "user", workspace_patterns: ["*"], scopes: ["*"], created_at: "", expires_at: null, revoked: false, token: "mlk_live_new_secret" }
    for (const logBodies of [false, true]) {
      const { logger, lines } = recording()
      const api = client(scripted(json(201, rememberAnswer), json(201, created)).fetch, { logLevel: "debug", logger, logBodies })
      await api.remember(`remember that the key is ${KEY}`)
      await api.tokens.create("ci")
      await api.close()
      const debug = lines.filter((l) => l.level === "debug").map((l) => l.fields)
      if (!logBodies) {
        expect(debug.map((f) => [f["requestBody"], f["responseBody"]])).toEqual([[undefined, undefined], [undefined, undefined]])
        continue
      }
      expect(debug[0]?.["requestBody"]).toBe(JSON.stringify({ content: "remember that the key is <redacted>" }))
      expect(JSON.parse(debug[0]?.["responseBody"] as string)).toEqual(rememberAnswer)
      expect(JSON.parse(debug[1]?.["responseBody"] as string)).toEqual({ ...created, token: "<redacted>" })
      expect(JSON.stringify(lines)).not.toContain(KEY)
      expect(JSON.stringify(lines)).not.toContain("mlk_live_new_secret")
    }
  })

  it("a logger that throws does not break the call", async () => {
    const throwing = () => {
      throw new Error("logger down")
    }
    const api = client(scripted(FOUND).fetch, { logLevel: "debug", logger: { debug: throwing, info: throwing, warn: throwing, error: throwing } })
    await expect(api.getMemory("mem_1")).resolves.toMatchObject({ id: memoryExample["id"] })
    await api.close()
  })

  it("MEMORYLAYER_LOG sets the level when the option does not say (in any case); the option wins", async () => {
    process.env["MEMORYLAYER_LOG"] = "DEBUG"
    const fromEnvironment = recording()
    let api = client(scripted(FOUND).fetch, { logger: fromEnvironment.logger })
    await api.getMemory("mem_1")
    await api.close()
    expect(fromEnvironment.lines.map((l) => l.level)).toEqual(["debug", "info"])
    const given = recording()
    api = client(scripted(FOUND).fetch, { logger: given.logger, logLevel: "off" })
    await api.getMemory("mem_1")
    await api.close()
    expect(given.lines).toEqual([])
  })
})

describe("logging options", () => {
  it("are checked like every option: a level that is not one, a logger without the four methods, a logBodies that is no boolean", () => {
    const rejection = (options: Record<string, unknown>): ValidationError => {
      try {
        new MemoryLayerClient(options as MemoryLayerOptions)
      } catch (error) {
        return error as ValidationError
      }
      return expect.fail("the options were accepted")
    }
    expect(rejection({ logLevel: "verbose", logger: { debug: () => undefined }, logBodies: "yes" }).issues).toEqual([
      { path: ["logLevel"], message: "must be one of \"off\", \"error\", \"warn\", \"info\", \"debug\", got verbose" },
      { path: ["logger"], message: "has no info, warn, error methods" },
      { path: ["logBodies"], message: "must be a boolean" }
    ])
    process.env["MEMORYLAYER_LOG"] = "loud"
    expect(rejection({}).issues).toEqual([{ path: ["logLevel"], message: "must be one of \"off\", \"error\", \"warn\", \"info\", \"debug\", got loud" }])
  })

  it("off by default: the Promise client writes nothing to the console, even when calls fail and retry", async () => {
    const spies = (["debug", "info", "log", "warn", "error"] as const).map((name) => vi.spyOn(console, name).mockImplementation(() => undefined))
    const api = new MemoryLayerClient({ baseUrl: "http://memorylayer.test", fetch: scripted(BUSY, FOUND, MISSING).fetch })
    await api.getMemory("mem_1")
    await api.getMemory("mem_1").catch(() => undefined)
    await api.close()
    expect(spies.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0, 0, 0])
  })

  it("the Promise client writes to console by default, as console.debug(message, fields)", async () => {
    const debug = vi.spyOn(console, "debug").mockImplementation(() => undefined)
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined)
    const api = new MemoryLayerClient({ baseUrl: "http://memorylayer.test", fetch: scripted(FOUND).fetch, logLevel: "debug" })
    await api.getMemory("mem_1")
    await api.close()
    expect(debug).toHaveBeenCalledTimes(1)
    expect(debug.mock.calls[0]?.[0]).toMatch(/^memorylayer getMemory: GET \/v1\/memories\/mem_1 200 in \d+ ms \(attempt 1\)$/)
    expect(debug.mock.calls[0]?.[1]).toMatchObject({ operation: "getMemory", status: 200, attempt: 1 })
    expect(info).toHaveBeenCalledTimes(1)
  })
})

describe("logging on the Effect face, through Effect's logger", () => {
  interface EffectLine {
    readonly level: string
    readonly message: unknown
    readonly annotations: Readonly<Record<string, unknown>>
  }
  /** Runs `program` with a logger that keeps each line and its annotations (Effect's minimum level left at its default). */
  const run = async <A>(program: Effect.Effect<A, unknown, MemoryLayer>, options: MemoryLayerOptions, lines: Array<EffectLine>): Promise<A> => {
    const keep = Logger.make((line) => {
      lines.push({ level: line.logLevel, message: line.message, annotations: line.fiber.getRef(References.CurrentLogAnnotations) })
    })
    return Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layer(options)), Effect.provide(Logger.layer([keep]))))
  }
  const getMemory = Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.getMemory("mem_1"))

  it("the fields are annotations; debug lines pass though Effect's minimum level is Info, since logLevel asked for them", async () => {
    const lines: Array<EffectLine> = []
    await run(getMemory, { baseUrl: "http://memorylayer.test", fetch: scripted(FOUND).fetch, logLevel: "debug" }, lines)
    expect(lines.map((l) => l.level)).toEqual(["Debug", "Info"])
    expect(lines[0]?.annotations).toMatchObject({ operation: "getMemory", method: "GET", path: "/v1/memories/mem_1", status: 200, attempt: 1 })
    expect(lines[0]?.message).toEqual([expect.stringMatching(/^memorylayer getMemory: GET \/v1\/memories\/mem_1 200 in \d+ ms \(attempt 1\)$/)])
  })

  it("off by default: nothing reaches Effect's logger, whatever its minimum level", async () => {
    const lines: Array<EffectLine> = []
    const program = Effect.provideService(Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.getMemory("mem_1")), References.MinimumLogLevel, "All")
    await run(program, { baseUrl: "http://memorylayer.test", fetch: scripted(BUSY, FOUND).fetch }, lines)
    expect(lines).toEqual([])
  })

  it("MEMORYLAYER_LOG through layerConfig's ConfigProvider", async () => {
    const lines: Array<EffectLine> = []
    const keep = Logger.make((line) => void lines.push({ level: line.logLevel, message: line.message, annotations: {} }))
    const layer = MemoryLayer.layerConfig({ fetch: scripted(FOUND).fetch }).pipe(
      Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: { MEMORYLAYER_URL: "http://memorylayer.test", MEMORYLAYER_LOG: "info" } })))
    )
    await Effect.runPromise(getMemory.pipe(Effect.provide(layer), Effect.provide(Logger.layer([keep]))))
    expect(lines.map((l) => l.level)).toEqual(["Info"])
  })

  it("a logger option takes the lines instead of Effect's logger", async () => {
    const lines: Array<EffectLine> = []
    const { logger, lines: own } = recording()
    await run(getMemory, { baseUrl: "http://memorylayer.test", fetch: scripted(FOUND).fetch, logLevel: "info", logger }, lines)
    expect(lines).toEqual([])
    expect(own.map((l) => l.level)).toEqual(["info"])
  })
})

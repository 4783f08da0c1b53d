import { inspect } from "node:util"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { ValidationError } from "../../src/errors.ts"
import { checkCallOptions, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, type MemoryLayerOptions, resolveOptions } from "../../src/options.ts"

const API_KEY = "ml-sk-7f3c9a1e5b2d4f60"

/** The error `resolveOptions` throws for `options`. */
const rejectionOf = (options: MemoryLayerOptions): ValidationError => {
  try {
    resolveOptions(options)
  } catch (error) {
    if (error instanceof ValidationError) return error
    throw error
  }
  throw new Error("resolveOptions accepted the options")
}

describe("resolveOptions defaults", () => {
  it("uses the documented defaults when given nothing", () => {
    expect(resolveOptions()).toEqual({
      baseUrl: "http://localhost:61001",
      apiKey: undefined,
      workspaceId: undefined,
      sessionId: undefined,
      timeout: 30_000,
      maxRetries: 2,
      fetch: undefined,
      defaultHeaders: {},
      defaultQuery: {},
      maxResponseBytes: 64 * 1024 * 1024,
      fixedRequestId: undefined,
      makeRequestIds: true,
      logLevel: "off",
      logger: undefined,
      logBodies: false
    })
    expect(DEFAULT_BASE_URL).toBe("http://localhost:61001")
    expect(DEFAULT_TIMEOUT).toBe(30_000)
  })

  it("keeps what the user gives, without trailing slashes on the base URL", () => {
    const fetchFn = (request: Request): Response => new Response(request.url)
    const resolved = resolveOptions({
      baseUrl: "https://memory.example.test/api//",
      workspaceId: "ws_1",
      sessionId: "sess_1",
      timeout: 1_500,
      maxRetries: 0,
      fetch: fetchFn
    })
    expect(resolved).toMatchObject({
      baseUrl: "https://memory.example.test/api",
      workspaceId: "ws_1",
      sessionId: "sess_1",
      timeout: 1_500,
      maxRetries: 0,
      fetch: fetchFn
    })
  })

  it("redacts a string API key and keeps an already redacted one", () => {
    const fromString = resolveOptions({ apiKey: API_KEY }).apiKey
    expect(fromString !== undefined && Redacted.isRedacted(fromString)).toBe(true)
    expect(fromString === undefined ? undefined : Redacted.value(fromString)).toBe(API_KEY)
    const redacted = Redacted.make(API_KEY)
    expect(resolveOptions({ apiKey: redacted }).apiKey).toBe(redacted)
  })

  it("never shows the API key when the resolved options are inspected, logged or serialised", () => {
    const resolved = resolveOptions({ apiKey: API_KEY })
    expect(inspect(resolved, { depth: 10 })).not.toContain(API_KEY)
    expect(String(resolved.apiKey)).not.toContain(API_KEY)
    expect(JSON.stringify(resolved)).not.toContain(API_KEY)
  })
})

describe("resolveOptions rejects each invalid option with a ValidationError naming it", () => {
  it.each<[string, MemoryLayerOptions]>([
    ["baseUrl", { baseUrl: "not a url" }],
    ["baseUrl", { baseUrl: "ftp://memory.example.test" }],
    ["baseUrl", { baseUrl: "" }],
    ["baseUrl", { baseUrl: 61001 as unknown as string }],
    ["apiKey", { apiKey: "" }],
    ["apiKey", { apiKey: 42 as unknown as string }],
    ["workspaceId", { workspaceId: "" }],
    ["workspaceId", { workspaceId: 7 as unknown as string }],
    ["sessionId", { sessionId: "" }],
    ["timeout", { timeout: 0 }],
    ["timeout", { timeout: -1 }],
    ["timeout", { timeout: Number.NaN }],
    ["timeout", { timeout: Number.POSITIVE_INFINITY }],
    ["timeout", { timeout: "30000" as unknown as number }],
    ["maxRetries", { maxRetries: -1 }],
    ["maxRetries", { maxRetries: 1.5 }],
    ["maxRetries", { maxRetries: Number.NaN }],
    ["fetch", { fetch: "fetch" as unknown as MemoryLayerOptions["fetch"] }]
  ])("%s: %o", (name, options) => {
    const error = rejectionOf(options)
    expect(error.statusCode).toBeUndefined()
    expect(error.issues.map((issue) => issue.path)).toEqual([[name]])
    expect(error.message).toContain(name)
  })

  it("names every bad option at once", () => {
    const error = rejectionOf({ baseUrl: "nope", timeout: -1, maxRetries: -1, workspaceId: "" })
    expect(error.issues.map((issue) => issue.path[0]).sort()).toEqual(["baseUrl", "maxRetries", "timeout", "workspaceId"])
  })

  it("never puts the API key in the error's message, fields or inspect output", () => {
    const error = rejectionOf({ apiKey: API_KEY, baseUrl: "nope", timeout: -1 })
    expect(error.message).not.toContain(API_KEY)
    expect(inspect(error, { depth: 10 })).not.toContain(API_KEY)
    expect(JSON.stringify(error)).not.toContain(API_KEY)
    expect(error.stack ?? "").not.toContain(API_KEY)
  })

  it("does not echo an API key of the wrong type either", () => {
    const error = rejectionOf({ apiKey: { token: API_KEY } as unknown as string })
    expect(error.issues.map((issue) => issue.path)).toEqual([["apiKey"]])
    expect(inspect(error, { depth: 10 })).not.toContain(API_KEY)
  })
})

describe("checkCallOptions", () => {
  it("accepts per-call timeout and maxRetries in range, and no options at all", () => {
    expect(checkCallOptions({ timeout: 1, maxRetries: 0 })).toEqual([])
    expect(checkCallOptions(undefined)).toEqual([])
  })

  it("names a bad per-call option, with the caller's prefix", () => {
    expect(checkCallOptions({ timeout: 0, maxRetries: 2.5 }, "options.")).toEqual([
      { path: ["options.timeout"], message: "must be a positive number of milliseconds, got 0" },
      { path: ["options.maxRetries"], message: "must be a whole number >= 0, got 2.5" }
    ])
  })
})

import { describe, expect, it } from "vitest"
import {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  ConnectionError,
  MemoryLayerError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError
} from "../../src/errors.ts"
import { errorFromResponse } from "../../src/http-errors.ts"

const now = Date.parse("2026-11-25T12:00:00Z")
const noHeaders = new Headers()

describe("errorFromResponse: status to error class", () => {
  it.each([
    [400, ValidationError],
    [401, AuthenticationError],
    [403, AuthorizationError],
    [404, NotFoundError],
    [408, ConnectionError],
    [409, ConflictError],
    [412, ConflictError],
    [418, ValidationError],
    [422, ValidationError],
    [429, RateLimitError],
    [500, ServerError],
    [501, ServerError],
    [502, ServerError],
    [503, ServerError],
    [504, ServerError]
  ])("maps %d to %o, keeping the status", (status, errorClass) => {
    const error = errorFromResponse("getMemory", status, { detail: "x" }, noHeaders, now)
    expect(error).toBeInstanceOf(errorClass)
    expect(error).toBeInstanceOf(MemoryLayerError)
    expect(error._tag).toBe(errorClass.name)
    expect(error.statusCode).toBe(status)
    expect(error.operation).toBe("getMemory")
  })

  it("treats 408 as a timeout whose request the server did not take, so it can be retried", () => {
    const error = errorFromResponse("remember", 408, { detail: "Request Timeout" }, noHeaders, now)
    expect(error).toMatchObject({ timedOut: true, requestSent: false })
  })
})

describe("errorFromResponse: message and detail", () => {
  it("names the operation and status and carries the server's detail", () => {
    const error = errorFromResponse("getMemory", 404, { detail: "Memory not found: mem_1" }, noHeaders, now)
    expect(error.message).toBe("getMemory: 404 Memory not found: mem_1")
    expect(error.detail).toBe("Memory not found: mem_1")
  })

  it("turns FastAPI's 422 issue list into issues naming each field, and lists them in the message", () => {
    const body = {
      detail: [
        { type: "less_than_equal", loc: ["body", "importance"], msg: "Input should be less than or equal to 1", input: 7 },
        { type: "missing", loc: ["body", "content"], msg: "Field required" }
      ]
    }
    const error = errorFromResponse("remember", 422, body, noHeaders, now)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([
      { path: ["body", "importance"], message: "Input should be less than or equal to 1" },
      { path: ["body", "content"], message: "Field required" }
    ])
    expect(error.message).toBe("remember: 422 body.importance: Input should be less than or equal to 1; body.content: Field required")
    expect(error.detail).toEqual(body.detail)
  })

  it("gives a 400 with a sentence as detail no issues, and the sentence as message", () => {
    const error = errorFromResponse("getAssociations", 400, { detail: "Invalid direction: sideways" }, noHeaders, now)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([])
    expect(error.message).toBe("getAssociations: 400 Invalid direction: sideways")
  })

  it("writes an object detail as JSON", () => {
    const error = errorFromResponse("createWorkspace", 403, { detail: { code: "quota", limit: 3 } }, noHeaders, now)
    expect(error.message).toBe('createWorkspace: 403 {"code":"quota","limit":3}')
    expect(error.detail).toEqual({ code: "quota", limit: 3 })
  })

  it("keeps a text body (e.g. a proxy's error page) as the detail", () => {
    const error = errorFromResponse("recall", 502, "Bad Gateway", noHeaders, now)
    expect(error.message).toBe("recall: 502 Bad Gateway")
    expect(error.detail).toBe("Bad Gateway")
  })

  it("says just the operation and status when there is no body", () => {
    expect(errorFromResponse("forget", 500, undefined, noHeaders, now).message).toBe("forget: 500")
    expect(errorFromResponse("forget", 500, { detail: "" }, noHeaders, now).message).toBe("forget: 500")
  })
})

describe("errorFromResponse: how long to wait", () => {
  it("reads Retry-After seconds of a 429", () => {
    const error = errorFromResponse("recall", 429, { detail: "Rate limit exceeded" }, new Headers({ "retry-after": "2" }), now)
    expect((error as RateLimitError).retryAfter).toBe(2_000)
  })

  it("reads a Retry-After HTTP date of a 429 relative to now", () => {
    const headers = new Headers({ "retry-after": "Wed, 25 Nov 2026 12:00:05 GMT" })
    expect((errorFromResponse("recall", 429, {}, headers, now) as RateLimitError).retryAfter).toBe(5_000)
  })

  it("falls back to retry_after in a 429 body when there is no header", () => {
    const error = errorFromResponse("recall", 429, { detail: "Rate limit exceeded", retry_after: 2 }, noHeaders, now)
    expect((error as RateLimitError).retryAfter).toBe(2_000)
  })

  it("prefers the Retry-After header over the body's retry_after", () => {
    const headers = new Headers({ "retry-after": "1" })
    const error = errorFromResponse("recall", 429, { detail: "Rate limit exceeded", retry_after: 30 }, headers, now)
    expect((error as RateLimitError).retryAfter).toBe(1_000)
  })

  it("falls back to the body when the header cannot be read", () => {
    const headers = new Headers({ "retry-after": "soon" })
    const error = errorFromResponse("recall", 429, { detail: "Rate limit exceeded", retry_after: 2 }, headers, now)
    expect((error as RateLimitError).retryAfter).toBe(2_000)
  })

  it("leaves retryAfter undefined on a 429 that says nothing about waiting", () => {
    expect((errorFromResponse("recall", 429, { detail: "slow down" }, noHeaders, now) as RateLimitError).retryAfter).toBeUndefined()
  })

  it("reads Retry-After of a 503 into ServerError.retryAfter", () => {
    const error = errorFromResponse("getMemory", 503, { detail: "Service unavailable" }, new Headers({ "retry-after": "4" }), now)
    expect(error).toBeInstanceOf(ServerError)
    expect((error as ServerError).retryAfter).toBe(4_000)
    expect((errorFromResponse("getMemory", 500, {}, noHeaders, now) as ServerError).retryAfter).toBeUndefined()
  })
})

describe("an unreadable Retry-After header", () => {
  it("leaves the 429 body's retry_after in charge instead of retrying at once", () => {
    const error = errorFromResponse("recall", 429, { detail: "slow down", retry_after: 30 }, new Headers({ "retry-after": "-1" }))
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfter).toBe(30_000)
  })
})

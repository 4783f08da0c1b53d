import { describe, expect, it } from "vitest"
import { parseRetryAfter, retryAfterFromBody } from "../../src/retry-after.ts"

const now = Date.parse("2026-11-25T12:00:00Z")

describe("parseRetryAfter", () => {
  it.each([
    ["0", 0],
    ["2", 2_000],
    ["120", 120_000],
    ["1.5", 1_500],
    [" 3 ", 3_000]
  ])("reads delay-seconds %j as %d ms", (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms)
  })

  it.each([
    ["IMF-fixdate", "Wed, 25 Nov 2026 12:00:03 GMT"],
    ["obsolete RFC 850 date", "Wednesday, 25-Nov-26 12:00:03 GMT"],
    ["obsolete asctime date", "Wed Nov 25 12:00:03 2026"]
  ])("reads an %s three seconds ahead as 3000 ms", (_, value) => {
    expect(parseRetryAfter(value, now)).toBe(3_000)
  })

  it("reads a date in the past as 0: retry now", () => {
    expect(parseRetryAfter("Wed, 25 Nov 2026 11:00:00 GMT", now)).toBe(0)
  })

  it("measures a date from the current time by default", () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString()
    const ms = parseRetryAfter(inTenSeconds)
    expect(ms).toBeGreaterThan(8_000)
    expect(ms).toBeLessThanOrEqual(10_000)
  })

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["empty", ""],
    ["blank", "   "],
    ["a word", "soon"],
    ["a unit", "3s"],
    ["a sentence", "10 seconds"],
    ["a negative number", "-1"],
    ["a signed number", "+3"],
    ["a bare fraction", ".5"],
    ["a trailing dot", "5."],
    ["a decimal comma", "1,5"],
    ["two numbers", "1 2"]
  ])("gives undefined for a missing or unreadable value (%s), never 'retry now'", (_, value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined()
  })
})

describe("retryAfterFromBody", () => {
  it("reads retry_after seconds from a 429 body as milliseconds", () => {
    expect(retryAfterFromBody({ detail: "Rate limit exceeded", retry_after: 2 })).toBe(2_000)
    expect(retryAfterFromBody({ detail: "Rate limit exceeded", retry_after: 1.25 })).toBe(1_250)
  })

  it("reads retry_after given as a string of seconds", () => {
    expect(retryAfterFromBody({ retry_after: "3" })).toBe(3_000)
  })

  it.each([
    ["no body", undefined],
    ["null", null],
    ["a text body", "Too Many Requests"],
    ["no retry_after", { detail: "Rate limit exceeded" }],
    ["a negative wait", { retry_after: -1 }],
    ["an infinite wait", { retry_after: Number.POSITIVE_INFINITY }],
    ["a boolean", { retry_after: true }]
  ])("gives undefined for %s", (_, body) => {
    expect(retryAfterFromBody(body)).toBeUndefined()
  })
})

import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/testing/TestClock"
import { describe, expect, it } from "vitest"
import {
  AuthenticationError,
  ConnectionError,
  DecodeError,
  type MemoryLayerError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError
} from "../../src/errors.ts"
import { defaultRetryPolicy, isRetryable, retrySchedule, type RetryPolicy } from "../../src/retry.ts"

const base = { message: "failed", operation: "op" }
const connection = (requestSent: boolean, timedOut = false): ConnectionError =>
  new ConnectionError({ ...base, statusCode: undefined, requestSent, timedOut })
const server = (statusCode: number, retryAfter?: number): ServerError => new ServerError({ ...base, statusCode, retryAfter })
const rateLimit = (retryAfter?: number): RateLimitError => new RateLimitError({ ...base, statusCode: 429, retryAfter })
const timeout408 = new ConnectionError({ ...base, statusCode: 408, requestSent: false, timedOut: true })

const retryable = (error: MemoryLayerError, idempotent: boolean): boolean =>
  isRetryable(error, { idempotent, maxRetryAfter: defaultRetryPolicy.maxRetryAfter })

describe("isRetryable", () => {
  // [failure, retried for an idempotent operation, retried for a non-idempotent one]
  it.each([
    ["a connection that never reached the server", connection(false), true, true],
    ["a connection dropped after the request was sent", connection(true), true, false],
    ["a timeout after the request was sent", connection(true, true), true, false],
    ["408 Request Timeout", timeout408, true, true],
    ["429 Too Many Requests", rateLimit(), true, true],
    ["500 Internal Server Error", server(500), true, false],
    ["502 Bad Gateway", server(502), true, false],
    ["503 Service Unavailable", server(503), true, true],
    ["504 Gateway Timeout", server(504), true, false],
    ["501 Not Implemented", server(501), false, false],
    ["400 Bad Request", new ValidationError({ ...base, statusCode: 400 }), false, false],
    ["401 Unauthorized", new AuthenticationError({ ...base, statusCode: 401 }), false, false],
    ["404 Not Found", new NotFoundError({ ...base, statusCode: 404 }), false, false],
    ["422 Unprocessable Entity", new ValidationError({ ...base, statusCode: 422 }), false, false],
    ["a client-side validation failure", new ValidationError({ ...base, statusCode: undefined }), false, false],
    ["a body that breaks the contract", new DecodeError({ ...base, statusCode: 200 }), false, false]
  ])("%s: idempotent %s, non-idempotent %s", (_, error, idempotent, nonIdempotent) => {
    expect(retryable(error, true)).toBe(idempotent)
    expect(retryable(error, false)).toBe(nonIdempotent)
  })

  it("retries a 429 whose Retry-After is exactly the 60 s limit", () => {
    expect(retryable(rateLimit(60_000), false)).toBe(true)
  })

  it("does not retry a 429 that asks for more than 60 s; the caller gets retryAfter at once", () => {
    expect(retryable(rateLimit(60_001), true)).toBe(false)
    expect(retryable(rateLimit(3_600_000), false)).toBe(false)
  })

  it("does not retry a 503 that asks for more than 60 s", () => {
    expect(retryable(server(503, 120_000), true)).toBe(false)
  })

  it("honours a custom maxRetryAfter", () => {
    expect(isRetryable(rateLimit(5_000), { idempotent: true, maxRetryAfter: 1_000 })).toBe(false)
    expect(isRetryable(rateLimit(500), { idempotent: true, maxRetryAfter: 1_000 })).toBe(true)
  })
})

describe("defaultRetryPolicy", () => {
  it("is 2 retries, 500 ms doubling to 8 s, Retry-After honoured up to 60 s, and a budget of 10 retries earned back by 10 successes each", () => {
    expect(defaultRetryPolicy).toEqual({ maxRetries: 2, baseDelay: 500, maxDelay: 8_000, maxRetryAfter: 60_000, retryBudget: 10, successesPerRetry: 10 })
  })
})

/** A Random whose every draw is `value` (0 gives the lowest jitter, just under 1 the highest). */
const fixedRandom = (value: number): Random.Random => ({ nextDoubleUnsafe: () => value, nextIntUnsafe: () => 0 })

/** The delays, in ms, the schedule picks after each failure in `failures`. */
const delaysAfter = (
  failures: ReadonlyArray<MemoryLayerError>,
  options: { readonly random?: Random.Random; readonly policy?: RetryPolicy } = {}
): Array<number> => {
  const program = Effect.gen(function*() {
    const step = yield* Schedule.toStep(retrySchedule(options.policy ?? defaultRetryPolicy))
    const delays: Array<number> = []
    for (const [attempt, failure] of failures.entries()) {
      const [, delay] = yield* step(attempt * 1_000, failure)
      delays.push(Duration.toMillis(delay))
    }
    return delays
  })
  return Effect.runSync(options.random === undefined ? program : program.pipe(Effect.provideService(Random.Random, options.random)))
}

const sixFailures = Array.from({ length: 6 }, () => server(503))

describe("retrySchedule", () => {
  it("waits 500 ms, then doubles, capped at 8 s (jitter at its midpoint)", () => {
    expect(delaysAfter(sixFailures, { random: fixedRandom(0.5) })).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000])
  })

  it("jitters each delay down to 80% at the least", () => {
    expect(delaysAfter(sixFailures, { random: fixedRandom(0) })).toEqual([400, 800, 1_600, 3_200, 6_400, 8_000])
  })

  it("jitters each delay up to 120% at the most, never past the 8 s cap", () => {
    const delays = delaysAfter(sixFailures, { random: fixedRandom(1 - Number.EPSILON) })
    expect(delays.slice(0, 4).map(Math.round)).toEqual([600, 1_200, 2_400, 4_800])
    expect(delays.slice(4)).toEqual([8_000, 8_000])
  })

  it("keeps real random delays within ±20% of 500 ms × 2^n and under 8 s, and varies them", () => {
    const runs = Array.from({ length: 50 }, () => delaysAfter(sixFailures))
    for (const delays of runs) {
      delays.forEach((delay, n) => {
        const nominal = 500 * 2 ** n
        expect(delay).toBeGreaterThanOrEqual(Math.min(nominal * 0.8, 8_000))
        expect(delay).toBeLessThanOrEqual(Math.min(nominal * 1.2, 8_000))
      })
    }
    expect(new Set(runs.map((delays) => delays[0])).size).toBeGreaterThan(1)
  })

  it("waits exactly the Retry-After of a 429, whatever the attempt and the jitter", () => {
    const failures = [server(503), server(503), rateLimit(1_500), server(503), rateLimit(1_500)]
    expect(delaysAfter(failures, { random: fixedRandom(0) })).toEqual([400, 800, 1_500, 3_200, 1_500])
    expect(delaysAfter([rateLimit(1_500)])).toEqual([1_500])
  })

  it("waits exactly the Retry-After of a 503, and retries at once after Retry-After: 0", () => {
    expect(delaysAfter([server(503, 3_000), rateLimit(0)])).toEqual([3_000, 0])
  })

  it("follows a custom base and cap", () => {
    const policy = { ...defaultRetryPolicy, baseDelay: 100, maxDelay: 250 }
    expect(delaysAfter(sixFailures.slice(0, 3), { random: fixedRandom(0.5), policy })).toEqual([100, 200, 250])
  })

  it("drives Effect.retry: 3 attempts for maxRetries 2, each after its backoff", async () => {
    let attempts = 0
    const failing = Effect.suspend(() => {
      attempts++
      return Effect.fail(server(503))
    })
    const program = Effect.gen(function*() {
      const fiber = yield* failing.pipe(
        Effect.retry({
          schedule: retrySchedule(defaultRetryPolicy),
          times: defaultRetryPolicy.maxRetries,
          while: (error) => retryable(error, true)
        }),
        Effect.flip,
        Effect.forkChild
      )
      const seen: Array<number> = []
      for (const step of [0, 499, 1, 999, 1]) {
        yield* TestClock.adjust(Duration.millis(step))
        seen.push(attempts)
      }
      const error = yield* Fiber.join(fiber)
      return { seen, error }
    }).pipe(Effect.provide(TestClock.layer()), Effect.provideService(Random.Random, fixedRandom(0.5)))
    const { seen, error } = await Effect.runPromise(program)
    expect(seen).toEqual([1, 1, 2, 2, 3])
    expect(error).toBeInstanceOf(ServerError)
    expect(attempts).toBe(3)
  })

  it("lets Effect.retry give up at once on a failure that is not retryable", async () => {
    let attempts = 0
    const failing = Effect.suspend(() => {
      attempts++
      return Effect.fail(new NotFoundError({ ...base, statusCode: 404 }))
    })
    const error = await Effect.runPromise(
      failing.pipe(
        Effect.retry({ schedule: retrySchedule(defaultRetryPolicy), times: 2, while: (e) => retryable(e, true) }),
        Effect.flip
      )
    )
    expect(error).toBeInstanceOf(NotFoundError)
    expect(attempts).toBe(1)
  })
})

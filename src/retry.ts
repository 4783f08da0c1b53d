/**
 * The retry policy: which failures are retried, and how long to wait.
 * Built on Effect `Schedule`; no hand-written loops.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { ConnectionError, type MemoryLayerError, RateLimitError, ServerError } from "./errors.ts"

/** Tuning of the retry policy. All durations are milliseconds. */
export interface RetryPolicy {
  /** How many times a failed call is retried (so at most `maxRetries + 1` attempts). Default 2. */
  readonly maxRetries: number
  /** First backoff delay. Default 500. */
  readonly baseDelay: number
  /** Longest backoff delay. Default 8000. */
  readonly maxDelay: number
  /** Longest server-requested wait (`Retry-After`) we honour; a longer one fails at once. Default 60000. */
  readonly maxRetryAfter: number
}

/** The defaults of design.md: 2 retries, 500 ms doubling to 8 s, Retry-After up to 60 s. */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 2,
  baseDelay: 500,
  maxDelay: 8000,
  maxRetryAfter: 60_000
}

/** The wait the server asked for, in ms, when the failure carries one. */
export const serverRequestedWait = (error: MemoryLayerError): number | undefined =>
  error instanceof RateLimitError || error instanceof ServerError ? error.retryAfter : undefined

/**
 * Whether a failed attempt may be retried.
 *
 * - Always: a connection that never reached the server, 408, 429 and 503
 *   (the server says it did not process the request).
 * - Only for idempotent operations: 500, 502, 504, timeouts and connections
 *   dropped after the request was sent, since the server may have acted.
 * - Never: any other 4xx, decode errors, or a server-requested wait longer
 *   than `maxRetryAfter`.
 *
 * @example
 * ```ts
 * isRetryable(new ServerError({ message: "", statusCode: 500 }), { idempotent: false, maxRetryAfter: 60_000 }) // false
 * ```
 */
export const isRetryable = (
  error: MemoryLayerError,
  options: { readonly idempotent: boolean; readonly maxRetryAfter: number }
): boolean => {
  const wait = serverRequestedWait(error)
  if (wait !== undefined && wait > options.maxRetryAfter) return false
  if (error instanceof ConnectionError) return !error.requestSent || options.idempotent
  if (error instanceof RateLimitError) return true
  if (error instanceof ServerError) {
    if (error.statusCode === 503) return true
    return options.idempotent && (error.statusCode === 500 || error.statusCode === 502 || error.statusCode === 504)
  }
  return false
}

/**
 * The backoff schedule: exponential from `baseDelay`, doubling, with jitter,
 * capped at `maxDelay`; a server-requested wait replaces the backoff delay.
 * Combine with `Effect.retry({ schedule, times, while })`.
 */
export const retrySchedule = (policy: RetryPolicy): Schedule.Schedule<Duration.Duration, MemoryLayerError> =>
  Schedule.exponential(Duration.millis(policy.baseDelay), 2).pipe(
    Schedule.jittered,
    Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, Duration.millis(policy.maxDelay)))),
    Schedule.setInputType<MemoryLayerError>(),
    Schedule.modifyDelay(({ input, duration }) => {
      const wait = serverRequestedWait(input)
      return Effect.succeed(wait === undefined ? duration : Duration.millis(wait))
    })
  )

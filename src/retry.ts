/**
 * The retry policy: which failures are retried, how long to wait, and how
 * many retries a client may spend (its retry budget). Built on Effect
 * `Schedule` and `Ref`; no hand-written loops.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
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
  /** Retries a client's budget holds when full (a token bucket per client, refilled by successful calls). Default 10. */
  readonly retryBudget: number
  /** Successful calls that earn back one retry. Default 10. */
  readonly successesPerRetry: number
}

/**
 * The defaults of design.md: 2 retries, 500 ms doubling to 8 s, Retry-After
 * up to 60 s; a budget of 10 retries, one more earned by every 10 successful
 * calls.
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 2,
  baseDelay: 500,
  maxDelay: 8000,
  maxRetryAfter: 60_000,
  retryBudget: 10,
  successesPerRetry: 10
}

/**
 * A client's retry budget: a token bucket shared by all its calls, as the
 * AWS SDKs' and gRPC's retry throttling do. Every retry takes a token; when
 * none is left a retryable failure is not retried but returned as it is.
 * Every successful call puts back a fraction of a token. So when a server
 * fails everything (a storm), a client adds at most `retryBudget` retries
 * however many calls it makes, and over time at most one retry per
 * `successesPerRetry` successful calls: with the defaults, retries add at
 * most 10% to the requests sent once 100 calls have been made. Tokens are
 * counted in successes, so the arithmetic stays in whole numbers.
 */
export interface RetryBudget {
  /** Tokens left, in successes: a retry costs `cost`, a success gives back 1. */
  readonly tokens: Ref.Ref<number>
  readonly capacity: number
  readonly cost: number
}

/**
 * A full budget for one client.
 *
 * @example
 * ```ts
 * const budget = yield* makeRetryBudget(defaultRetryPolicy) // 10 retries
 * ```
 */
export const makeRetryBudget = (policy: RetryPolicy): Effect.Effect<RetryBudget> => {
  const cost = policy.successesPerRetry
  const capacity = policy.retryBudget * cost
  return Effect.map(Ref.make(capacity), (tokens) => ({ tokens, capacity, cost }))
}

/** Takes one retry's tokens when there are enough: `true` when the retry may go ahead. */
export const spendRetryToken = (budget: RetryBudget): Effect.Effect<boolean> =>
  Ref.modify(budget.tokens, (tokens) => (tokens >= budget.cost ? [true, tokens - budget.cost] : [false, tokens]))

/**
 * `success`, after giving one token back to the budget. A full budget (no
 * retry spent since it filled) is only read, so successful calls pay nothing
 * for the budget until a retry happens.
 */
export const refillAfter = <A, E>(budget: RetryBudget, success: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Ref.getUnsafe(budget.tokens) >= budget.capacity ? success : Effect.andThen(refill(budget), success)

/** {@link refillAfter} for a success outside Effect (a call's first attempt): gives the token back now. */
export const refillNow = (budget: RetryBudget): void => {
  // The Ref's cell, written as Ref.update would: JavaScript runs this with nothing in between.
  const tokens = budget.tokens.ref
  if (tokens.current < budget.capacity) tokens.current = Math.min(budget.capacity, tokens.current + 1)
}

const refill = (budget: RetryBudget): Effect.Effect<void> => Ref.update(budget.tokens, (tokens) => Math.min(budget.capacity, tokens + 1))

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

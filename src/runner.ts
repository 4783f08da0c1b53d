/**
 * Running one HTTP operation of the contract: check the input (a fast
 * generated checker; the Effect Schema words any error), send it with the
 * transport (from the operation's row), map a failure to a typed error,
 * check and decode the answer, retry per policy; watched (log lines, spans:
 * see observe.ts) only when the client logs or a tracer listens.
 *
 * The happy path is short on purpose: a call's first attempt is a plain
 * Promise ({@link firstAttempt}; on the Effect face inside one
 * `Effect.promise`), with no schema built, no copy of the answer, no retry
 * machinery until an attempt fails, no logging or span work when nobody
 * watches. What it leaves, {@link runOperation} settles.
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Tracer from "effect/Tracer"
import type { OperationId } from "../generated/operations.gen.ts"
import { loaders } from "../generated/ops/index.gen.ts"
import type { RequestInput } from "./bind.ts"
import type { Check } from "./checks.ts"
import type { Deadlines } from "./deadlines.ts"
import { moduleOfOperation, type OperationRow } from "./rows.ts"
import { ConnectionError, DecodeError, type MemoryLayerError, RateLimitError, ValidationError, type ValidationIssue } from "./errors.ts"
import { type AnswerContext, errorFromResponse } from "./http-errors.ts"
import type { Log } from "./log.ts"
import type { Observation } from "./observe.ts"
import type { OperationError } from "./operation-error.ts"
import { type CallOptions, checkCallOptions } from "./options.ts"
import { isRetryable, refillAfter, refillNow, type RetryBudget, type RetryPolicy, type retrySchedule, spendRetryToken } from "./retry.ts"
import { scrubbed } from "./scrub.ts"
import { capped } from "./server-text.ts"
import { type Exchange, expandPath, type HttpClient, type ParseAs, RefusedAnswer } from "./transport.ts"
import type { UploadProgress } from "./upload.ts"
import { unreadable, unsendable } from "./request-values.ts"

/** What the runner needs from the client around it. */
export interface RunnerContext {
  readonly http: HttpClient
  readonly policy: RetryPolicy
  /** `retrySchedule(policy)`, built once per client. */
  readonly schedule: ReturnType<typeof retrySchedule>
  readonly timeout: number
  /** The time limits of the client's attempts, on one timer (see `makeDeadlines`). */
  readonly deadlines: Deadlines
  readonly workspaceId: string | undefined
  readonly session: Ref.Ref<string | undefined>
  /** Epoch ms until which the whole client waits, after a 429 said so. */
  readonly pausedUntil: Ref.Ref<number>
  /** The client's retry budget, shared by all its calls. */
  readonly budget: RetryBudget
  /** The client's logging; `undefined` when its `logLevel` is `"off"`. */
  readonly log: Log | undefined
  /** The server's base URL, for spans. */
  readonly baseUrl: string
  /** The `X-Request-ID` of `defaultHeaders`, sent with every request. */
  readonly fixedRequestId: string | undefined
  /** Whether each call gets an `X-Request-ID` of its own. */
  readonly makeRequestIds: boolean
}


/** What {@link within} gives when the time ran out first. */
const TIMED_OUT = Symbol("timed out")

/**
 * `send`, given a signal that aborts when the fiber's or the caller's does,
 * or after `ms`; {@link TIMED_OUT} when the time ran out first (even if a
 * custom fetch ignores the signal). A plain timer and a race, not an Effect
 * timeout: that forks a fiber per attempt, which cost 10% of a call. `hold`
 * is given the function that aborts the attempt, for an Effect that runs it
 * to call when interrupted (rather than give it a signal).
 */
const within = async (
  deadlines: Deadlines,
  ms: number,
  signal: AbortSignal | undefined,
  userSignal: AbortSignal | undefined,
  send: (signal: AbortSignal) => Promise<Exchange>,
  hold?: (abort: () => void) => void
): Promise<Exchange | typeof TIMED_OUT> => {
  const controller = new AbortController()
  const abort = (): void => controller.abort(userSignal?.aborted === true ? userSignal.reason : signal?.reason)
  hold?.(abort)
  let expire: (value: typeof TIMED_OUT) => void = () => undefined
  const expired = new Promise<typeof TIMED_OUT>((resolve) => {
    expire = resolve
  })
  const settle = deadlines.start(ms, () => {
    controller.abort(new DOMException(`no answer within ${ms} ms`, "TimeoutError"))
    expire(TIMED_OUT)
  })
  signal?.addEventListener("abort", abort)
  userSignal?.addEventListener("abort", abort)
  if (signal?.aborted === true || userSignal?.aborted === true) abort()
  try {
    return await Promise.race([send(controller.signal), expired])
  } finally {
    settle()
    signal?.removeEventListener("abort", abort)
    userSignal?.removeEventListener("abort", abort)
  }
}

/** What the runner sends besides the validated input, and how it reads the answer. */
export interface Extras {
  /** The multipart form of an upload, sent instead of the JSON body. */
  readonly form?: FormData | undefined
  readonly onUploadProgress?: ((progress: UploadProgress) => void) | undefined
  /** How the success body is read: JSON (checked), text, a Blob, or the byte stream. */
  readonly parseAs?: ParseAs | undefined
  /** Given each answer that is settled and the request id sent (for `withResponse`: the last one is the call's). */
  readonly onResponse?: ((response: Response, requestId: string | undefined) => void) | undefined
  /** A first attempt already made outside Effect (see {@link firstAttempt}): settled here as the call's first. */
  readonly first?: FirstAttempt | undefined
}

/** An attempt made by {@link firstAttempt}, and the request id it sent. */
export interface FirstAttempt {
  readonly exchange: Promise<Exchange | typeof TIMED_OUT>
  readonly ownRequestId: string | undefined
}

/**
 * What an operation's first call loads: its fast checkers, each called with
 * `u` true for a caller's input and false for parsed JSON (see src/checks.ts).
 */
interface Loaded {
  readonly input: Check
  readonly output: Check | undefined
  /** Checks one line of an NDJSON answer. */
  readonly record?: Check | undefined
}

type Fallback = typeof import("./schema-fallback.ts")
type Observe = typeof import("./observe.ts")

/** A call being watched: its observation, and the module that watches (loaded with the first watched call). */
interface Watch {
  readonly obs: Observation
  readonly observe: Observe
}

/** The loaded checkers, by operationId. */
const ops: Record<string, Loaded> = {}
/** Loads the module of `id`'s namespace (once; later calls find it in `ops`). */
const loadOps = (id: OperationId): Effect.Effect<Loaded> =>
  Effect.promise(() =>
    (loaders as Readonly<Record<string, () => Promise<{ readonly ops: object }>>>)[moduleOfOperation(id)]!().then((module) => {
      Object.assign(ops, module.ops)
      return ops[id] as Loaded
    })
  )
let fallback: Promise<Fallback> | undefined
const loadFallback: Effect.Effect<Fallback> = Effect.promise(() => (fallback ??= import("./schema-fallback.ts")))
let observeModule: Observe | undefined
const loadObserve: Effect.Effect<Observe> = Effect.promise(() => import("./observe.ts").then((module) => (observeModule = module)))

/** A `ValidationError` for `operation`, naming every broken rule; nothing was sent. */
export const invalidInput = (operation: string, issues: ReadonlyArray<ValidationIssue>): ValidationError =>
  new ValidationError({
    message: `${operation}: invalid input: ${issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    statusCode: undefined,
    operation,
    issues
  })

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT", "ERR_INVALID_URL"])

/**
 * Deno's fetch gives no code; a failure while connecting (refused, DNS, TLS)
 * says `client error (Connect)` in its cause's message. workerd says
 * `Network connection lost.` both for a refused connection and for one
 * dropped after the request went out, so there a failure stays "may have
 * been sent".
 */
const NOT_SENT_MESSAGE = /client error \(Connect\)/

/** Whether a transport failure happened before the request could reach the server. */
const neverSent = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const { code, message } = e as { readonly code?: unknown; readonly message?: unknown }
    if (typeof code === "string" && NOT_SENT_CODES.has(code)) return true
    if (typeof message === "string" && NOT_SENT_MESSAGE.test(message)) return true
    e = (e as { readonly cause?: unknown }).cause
  }
  return false
}

const describeCause = (error: unknown): string => {
  const parts: Array<string> = []
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const { message, code } = e as { readonly message?: unknown; readonly code?: unknown }
    if (typeof message === "string" && message !== "" && !parts.includes(message)) parts.push(message)
    if (typeof code === "string" && !parts.includes(code)) parts.push(code)
    e = (e as { readonly cause?: unknown }).cause
  }
  return parts.join(": ")
}

/** Where an error stands: the answer's context when there was one, else just the request id sent. */
type ErrorContext = Partial<AnswerContext>

/** A `ConnectionError` whose cause keeps only names, codes and messages: never the request or its headers. */
const connectionFailure = (operation: string, cause: unknown, requestSent: boolean, context?: ErrorContext): ConnectionError => {
  const safe = scrubbed(cause)
  const described = describeCause(safe)
  return new ConnectionError({
    message: `${operation}: ${requestSent ? "the connection failed after the request was sent" : "could not connect"}${described === "" ? "" : ` (${described})`}`,
    statusCode: undefined,
    operation,
    requestSent,
    cause: safe,
    ...context
  })
}

/** A `DecodeError` naming the broken rules of an answer (or of one of its NDJSON lines). */
export const decodeFailure = (operation: OperationId, status: number, issues: ReadonlyArray<ValidationIssue>, context?: ErrorContext): DecodeError =>
  new DecodeError({
    message: `${operation}: the server's ${status} answer does not match the contract: ${capped(issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))}`,
    statusCode: status,
    operation,
    ...context
  })

/** An answer the transport would not take (too large, a redirect it does not follow). */
const refusedAnswer = (operation: OperationId, status: number, refused: RefusedAnswer, context: ErrorContext): DecodeError =>
  new DecodeError({ message: `${operation}: ${refused.reason}`, statusCode: status === 0 ? undefined : status, operation, ...context })

/** The `X-Request-ID` the server answered with, else the one sent. */
export const answeredRequestId = (response: Response, sent: string | undefined): string | undefined => response.headers.get("x-request-id") ?? sent

/** What errors from `response` carry: its headers (credentials redacted) and the request id. */
export const answerContext = (http: HttpClient, response: Response, sent: string | undefined): AnswerContext => ({
  headers: http.answerHeaders(response.headers),
  requestId: answeredRequestId(response, sent)
})

/**
 * Turns what the generated function returned into a decoded body or a typed
 * error; a success gives a token back to the retry budget.
 */
const settle = (
  operation: OperationId,
  check: Loaded["output"],
  result: Exchange,
  now: number,
  parseAs: ParseAs,
  ctx: RunnerContext,
  requestId: string | undefined
): Effect.Effect<unknown, MemoryLayerError> => {
  const { response } = result
  if (response === undefined) return Effect.fail(connectionFailure(operation, result.error, !neverSent(result.error), { requestId }))
  if (!response.ok) {
    const context = answerContext(ctx.http, response, requestId)
    if (result.error instanceof RefusedAnswer) return Effect.fail(refusedAnswer(operation, response.status, result.error, context))
    return Effect.fail(errorFromResponse(operation, response.status, result.error, response.headers, now, context))
  }
  if (result.error !== undefined) {
    const context = answerContext(ctx.http, response, requestId)
    if (result.error instanceof SyntaxError) {
      return Effect.fail(
        new DecodeError({ message: `${operation}: the server answered ${response.status} with a body that is not JSON`, statusCode: response.status, operation, ...context })
      )
    }
    if (result.error instanceof RefusedAnswer) return Effect.fail(refusedAnswer(operation, response.status, result.error, context))
    return Effect.fail(connectionFailure(operation, result.error, true, context))
  }
  const { budget } = ctx
  if (parseAs !== "json") return refillAfter(budget, Effect.succeed(result.data))
  if (check === undefined) return refillAfter(budget, Effect.void)
  if (check(result.data, false)) return refillAfter(budget, Effect.succeed(result.data))
  return Effect.flatMap(loadFallback, (slow) => {
    const decoded = slow.decodeOutput(operation, result.data)
    return decoded.ok
      ? refillAfter(budget, Effect.succeed(decoded.value))
      : Effect.fail(decodeFailure(operation, response.status, decoded.issues, answerContext(ctx.http, response, requestId)))
  })
}

/**
 * Waits out the client's pause after a 429, if one is on. A pause that has
 * passed is cleared, so calls make their first attempt outside Effect again
 * (see {@link firstAttempt}).
 */
const waitForPause = (ctx: RunnerContext): Effect.Effect<void> =>
  Effect.flatMap(Ref.get(ctx.pausedUntil), (until) =>
    until === 0 ? Effect.void : Effect.flatMap(Clock.currentTimeMillis, (now) =>
      until > now ? Effect.sleep(Duration.millis(until - now)) : Ref.update(ctx.pausedUntil, (latest) => (latest <= now ? 0 : latest))))

const pauseAfterRateLimit = (ctx: RunnerContext, error: MemoryLayerError): Effect.Effect<void> =>
  error instanceof RateLimitError && error.retryAfter !== undefined && error.retryAfter <= ctx.policy.maxRetryAfter
    ? Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.update(ctx.pausedUntil, (until) => Math.max(until, now + (error.retryAfter ?? 0))))
    : Effect.void

/**
 * Checks `input` with the fast checker and for values that cannot be sent
 * (a path parameter that would change the route, a header value HTTP cannot
 * carry), and only when either says no with the Schema (which words the error).
 */
const validated = (info: OperationRow, loaded: Loaded, input: RequestInput): Effect.Effect<unknown, ValidationError> => {
  const id = info.operationId as OperationId
  try {
    const unsent = input.path === undefined && input.query === undefined && input.headers === undefined ? undefined : unsendable(input)
    if (unsent === undefined && loaded.input(input, true)) return Effect.succeed(input)
  } catch {
    // Input that throws when read: the Schema reads it below and the error names it.
  }
  return Effect.flatMap(loadFallback, (slow) => {
    let issues: Array<ValidationIssue>
    let decoded: ReturnType<Fallback["validateInput"]>
    try {
      const unsent = unsendable(input) ?? []
      decoded = slow.validateInput(id, input)
      // What the Schema takes for an object but JSON would not send as it is (a Map, a Set, a class instance) is refused.
      issues = decoded.ok ? [...unsent, ...slow.notPlain(input.body, ["body"])] : [...decoded.issues, ...unsent]
    } catch (error) {
      return Effect.fail(invalidInput(id, [unreadable(error)]))
    }
    return issues.length === 0 ? Effect.succeed(decoded.ok ? decoded.value : input) : Effect.fail(invalidInput(id, issues))
  })
}

/**
 * Sends a validated request, retrying per policy. The first attempt runs
 * alone; only when it fails does the retry schedule take over, with that
 * failure as its first input, so a call that succeeds pays nothing for it.
 * `watch`, when someone watches the call, is told about every attempt.
 */
const send = (
  ctx: RunnerContext,
  info: OperationRow,
  loaded: Loaded,
  request: RequestInput,
  options: CallOptions | undefined,
  extras: Extras,
  watch: Watch | undefined
): Effect.Effect<unknown, MemoryLayerError> =>
  Effect.flatMap(Ref.get(ctx.session), (session): Effect.Effect<unknown, MemoryLayerError> => {
    const id = info.operationId as OperationId
    if (info.requiresSession === true && session === undefined) {
      return Effect.fail(invalidInput(id, [{ path: ["X-Session-ID"], message: "needs an active session: call createSession() or setSession() first" }]))
    }
    // One id per call, the same on every retry, so the server's logs tie the attempts together.
    const ownRequestId = extras.first !== undefined ? extras.first.ownRequestId : options?.requestId ?? (ctx.makeRequestIds ? crypto.randomUUID() : undefined)
    const headers = callHeaders(ctx, session, request, ownRequestId)
    const requestId = ownRequestId ?? ctx.fixedRequestId
    const parseAs = extras.parseAs ?? "json"
    const timeout = options?.timeout ?? ctx.timeout
    const userSignal = options?.signal
    const body = extras.form ?? request.body
    const times = options?.maxRetries ?? ctx.policy.maxRetries
    if (watch !== undefined) {
      const { obs } = watch
      obs.path = expandPath(info.path, request.path)
      obs.requestId = requestId
      obs.maxAttempts = times + 1
      if (obs.log?.bodies === true) obs.requestBody = body
    }
    // One request and its answer, within the time limit. The pause after a 429 is not part of it.
    // A first attempt made outside Effect is this call's first: settled here, not sent again.
    let first = extras.first?.exchange
    const exchange = Effect.tryPromise({
      try: (signal) => {
        const made = first
        first = undefined
        return made ?? within(ctx.deadlines, timeout, signal, userSignal, (combined) =>
          ctx.http.send(info.method, {
            url: info.path,
            path: request.path,
            query: request.query,
            body,
            headers,
            signal: combined,
            parseAs,
            onUploadProgress: extras.onUploadProgress,
            maxResponseBytes: options?.maxResponseBytes
          }))
      },
      catch: (cause) => connectionFailure(id, cause, !neverSent(cause), { requestId })
    }).pipe(
      Effect.flatMap((result) =>
        userSignal?.aborted === true
          ? Effect.interrupt
          : result === TIMED_OUT
          ? Effect.fail(
            new ConnectionError({ message: `${id}: no answer within ${timeout} ms`, statusCode: undefined, operation: id, requestSent: true, timedOut: true, requestId })
          )
          : Effect.succeed(result)
      )
    )
    const onResponse = extras.onResponse
    const settled = (result: Exchange): Effect.Effect<unknown, MemoryLayerError> => {
      if (onResponse !== undefined && result.response !== undefined) onResponse(result.response, requestId)
      return Effect.flatMap(Clock.currentTimeMillis, (now) => settle(id, loaded.output, result, now, parseAs, ctx, requestId))
    }
    const attempt = waitForPause(ctx).pipe(
      Effect.andThen(watch === undefined ? Effect.flatMap(exchange, settled) : watch.observe.observeAttempt(watch.obs, exchange, settled)),
      Effect.tapError((error) => pauseAfterRateLimit(ctx, error))
    )
    const retryable = (error: MemoryLayerError): boolean => isRetryable(error, { idempotent: info.idempotent === true, maxRetryAfter: ctx.policy.maxRetryAfter })
    return Effect.catch(attempt, (first) => {
      if (times === 0 || !retryable(first)) return Effect.fail(first)
      let replay: MemoryLayerError | undefined = first
      const again = Effect.suspend(() => {
        const failure = replay
        replay = undefined
        return failure === undefined ? attempt : Effect.fail(failure)
      })
      // Each retry needs a retry left for this call, a retryable failure, and a token of the client's budget.
      let left = times
      const mayRetry = (error: MemoryLayerError, wait: Duration.Duration): boolean | Effect.Effect<boolean> => {
        if (left === 0 || !retryable(error)) return false
        left--
        const spent = spendRetryToken(ctx.budget)
        return watch?.obs.log === undefined
          ? spent
          : Effect.tap(spent, (granted) => (granted ? watch.observe.noteRetry(watch.obs, error, Duration.toMillis(wait)) : Effect.void))
      }
      // The schedule's delay (backoff or the server's wait) is decided before `mayRetry` is asked, which logs it.
      return Effect.retry(again, Schedule.while(ctx.schedule, ({ input, duration }) => mayRetry(input, duration)))
    })
  })

/**
 * Runs operation `info` with the bound `input`, honouring per-call `timeout`,
 * `maxRetries`, `signal` and `requestId`. Succeeds with the decoded answer.
 * When the client logs or a tracer is installed, the call is watched (see
 * observe.ts, loaded with the first such call); otherwise it runs with no
 * logging or span work at all.
 */
/** The headers the runner adds to a call's own: session, workspace, request id. */
const callHeaders = (ctx: RunnerContext, session: string | undefined, request: RequestInput, ownRequestId: string | undefined): Record<string, string> => {
  const headers: Record<string, string> = {}
  if (session !== undefined) headers["X-Session-ID"] = session
  if (ctx.workspaceId !== undefined) headers["X-Workspace-ID"] = ctx.workspaceId
  if (request.headers !== undefined) for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers[name] = value
  if (ownRequestId !== undefined) headers["X-Request-ID"] = ownRequestId
  return headers
}

/**
 * Whether the client lets calls make their first attempt outside Effect now:
 * not when it logs (the attempt is logged), nor while it pauses after a 429.
 * Asked before a call is even bound.
 */
export const mayAttemptFirst = (ctx: RunnerContext): boolean => ctx.log === undefined && Ref.getUnsafe(ctx.pausedUntil) === 0

/** How a call's first attempt, made outside Effect, ended: with the call's value, or to be settled by Effect. */
export type FirstOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly first: FirstAttempt }

/**
 * Starts the first attempt of a call whose checks pass at once, made as a
 * plain Promise: most calls end there, with an answer that passes its check.
 * Anything else (an error answer, a timeout, an answer the Schema must judge,
 * a retry) is settled by {@link runOperation} given the attempt as
 * `extras.first`, exactly as if it had made it.
 *
 * `undefined` when the call needs Effect from the start: its module is not
 * loaded yet, it is logged, the client is pausing after a 429, the caller's
 * signal has already aborted, or its input or options do not pass the fast
 * checks (the Schema words the error). The start's `hold` is given the
 * function that aborts the attempt, for the Effect running the call to call
 * when it is interrupted.
 */
export const firstAttempt = (
  ctx: RunnerContext,
  info: OperationRow,
  input: RequestInput,
  options: CallOptions | undefined
): ((hold?: (abort: () => void) => void) => Promise<FirstOutcome>) | undefined => {
  const loaded = ops[info.operationId]
  if (loaded === undefined || !mayAttemptFirst(ctx)) return undefined
  if (options !== undefined && (checkCallOptions(options, "options.").length > 0 || options.signal?.aborted === true)) return undefined
  const unsent = input.path === undefined && input.query === undefined && input.headers === undefined ? undefined : unsendable(input)
  if (unsent !== undefined || !loaded.input(input, true)) return undefined
  const session = Ref.getUnsafe(ctx.session)
  if (info.requiresSession === true && session === undefined) return undefined
  const ownRequestId = options?.requestId ?? (ctx.makeRequestIds ? crypto.randomUUID() : undefined)
  const headers = callHeaders(ctx, session, input, ownRequestId)
  return (hold) => {
    const exchange = within(ctx.deadlines, options?.timeout ?? ctx.timeout, undefined, options?.signal, (signal) =>
      ctx.http.send(info.method, {
        url: info.path,
        path: input.path,
        query: input.query,
        body: input.body,
        headers,
        signal,
        maxResponseBytes: options?.maxResponseBytes
      }), hold)
    const left: FirstOutcome = { ok: false, first: { exchange, ownRequestId } }
    return exchange.then((result) => {
      // A success whose answer passes its check, as settle() takes it; everything else goes to settle() itself.
      if (result === TIMED_OUT || options?.signal?.aborted === true || result.response?.ok !== true || result.error !== undefined) return left
      const check = loaded.output
      if (check !== undefined && !check(result.data, false)) return left
      refillNow(ctx.budget)
      return { ok: true, value: check === undefined ? undefined : result.data }
    }, () => left)
  }
}

export const runOperation = <Id extends OperationId>(
  ctx: RunnerContext,
  info: OperationRow,
  input: RequestInput,
  options: CallOptions | undefined,
  extras: Extras = {}
): Effect.Effect<unknown, OperationError<Id>> => {
  const id = info.operationId as OperationId
  const optionIssues = checkCallOptions(options, "options.")
  const program = (watch: Watch | undefined): Effect.Effect<unknown, MemoryLayerError> => {
    if (optionIssues.length > 0) return Effect.fail(invalidInput(id, optionIssues))
    const run = (op: Loaded): Effect.Effect<unknown, MemoryLayerError> =>
      Effect.flatMap(validated(info, op, input), (request) => send(ctx, info, op, request as RequestInput, options, extras, watch))
    const loaded = ops[id]
    return loaded === undefined ? Effect.flatMap(loadOps(id), run) : run(loaded)
  }
  return Effect.withFiber((fiber) => {
    const traced = fiber.getRef(Tracer.Tracer) !== Tracer.nativeTracer
    if (!traced && ctx.log === undefined) return program(undefined)
    const watched = (observe: Observe): Effect.Effect<unknown, MemoryLayerError> => {
      const obs = observe.observation(ctx.log, traced, info, ctx.baseUrl)
      return observe.observeCall(obs, program({ obs, observe }))
    }
    return observeModule === undefined ? Effect.flatMap(loadObserve, watched) : watched(observeModule)
  }) as Effect.Effect<unknown, OperationError<Id>>
}

/**
 * Checks `input` and the per-call `options` of operation `info` as a call
 * would, without sending anything: for a method that must do work of its own
 * before the call (read an etag, build an upload's form), so that bad input
 * is refused before any of it.
 */
export const checkInput = (info: OperationRow, input: RequestInput, options: CallOptions | undefined): Effect.Effect<void, ValidationError> => {
  const optionIssues = checkCallOptions(options, "options.")
  if (optionIssues.length > 0) return Effect.fail(invalidInput(info.operationId, optionIssues))
  const check = (op: Loaded) => Effect.asVoid(validated(info, op, input))
  const loaded = ops[info.operationId]
  return loaded === undefined ? Effect.flatMap(loadOps(info.operationId as OperationId), check) : check(loaded)
}

/**
 * Checks one line of operation `id`'s NDJSON answer like an answer: the fast
 * checker, and only when it says no the Schema (strips unknown fields, or
 * words the `DecodeError`).
 */
export const checkRecord = (id: OperationId, line: unknown, status: number, context?: AnswerContext): Effect.Effect<unknown, DecodeError> => {
  const check = ops[id]?.record
  if (check !== undefined && check(line, false)) return Effect.succeed(line)
  return Effect.flatMap(loadFallback, (slow) => {
    const decoded = slow.decodeRecord(id, line)
    return decoded.ok ? Effect.succeed(decoded.value) : Effect.fail(decodeFailure(id, status, decoded.issues, context))
  })
}

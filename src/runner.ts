/**
 * Running one HTTP operation of the contract: check the input (a fast
 * generated checker; the Effect Schema words any error), send it with the
 * transport (from the operation's row), map a failure to a typed error, check and
 * decode the answer, retry per policy, in a span when a tracer listens.
 *
 * The happy path is short on purpose: one fiber, no schema built, no copy of
 * the answer, no retry machinery until an attempt fails.
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Tracer from "effect/Tracer"
import type { OperationId } from "../generated/operations.gen.ts"
import { loaders } from "../generated/ops/index.gen.ts"
import type { RequestInput } from "./bind.ts"
import { moduleOfOperation, type OperationRow } from "./rows.ts"
import { ConnectionError, DecodeError, type MemoryLayerError, RateLimitError, ValidationError, type ValidationIssue } from "./errors.ts"
import { errorFromResponse } from "./http-errors.ts"
import type { OperationError } from "./operation-error.ts"
import { type CallOptions, checkCallOptions } from "./options.ts"
import { isRetryable, refillAfter, type RetryBudget, type RetryPolicy, type retrySchedule, spendRetryToken } from "./retry.ts"
import { scrubbed } from "./scrub.ts"
import { capped } from "./server-text.ts"
import { type Exchange, type HttpClient, type ParseAs, RefusedAnswer } from "./transport.ts"
import type { UploadProgress } from "./upload.ts"
import { unsendable } from "./request-values.ts"

/** What the runner needs from the client around it. */
export interface RunnerContext {
  readonly http: HttpClient
  readonly policy: RetryPolicy
  /** `retrySchedule(policy)`, built once per client. */
  readonly schedule: ReturnType<typeof retrySchedule>
  readonly timeout: number
  readonly workspaceId: string | undefined
  readonly session: Ref.Ref<string | undefined>
  /** Epoch ms until which the whole client waits, after a 429 said so. */
  readonly pausedUntil: Ref.Ref<number>
  /** The client's retry budget, shared by all its calls. */
  readonly budget: RetryBudget
}


/** What the runner sends besides the validated input, and how it reads the answer. */
export interface Extras {
  /** The multipart form of an upload, sent instead of the JSON body. */
  readonly form?: FormData | undefined
  readonly onUploadProgress?: ((progress: UploadProgress) => void) | undefined
  /** How the success body is read: JSON (checked), text, a Blob, or the byte stream. */
  readonly parseAs?: ParseAs | undefined
}

/** What an operation's first call loads: its fast checkers. */
interface Loaded {
  readonly input: (value: unknown) => boolean
  readonly output: ((value: unknown) => boolean) | undefined
  /** Checks one line of an NDJSON answer. */
  readonly record: ((value: unknown) => boolean) | undefined
}

type Fallback = typeof import("./schema-fallback.ts")

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

/** A `ConnectionError` whose cause keeps only names, codes and messages: never the request or its headers. */
const connectionFailure = (operation: string, cause: unknown, requestSent: boolean): ConnectionError => {
  const safe = scrubbed(cause)
  const described = describeCause(safe)
  return new ConnectionError({
    message: `${operation}: ${requestSent ? "the connection failed after the request was sent" : "could not connect"}${described === "" ? "" : ` (${described})`}`,
    statusCode: undefined,
    operation,
    requestSent,
    cause: safe
  })
}

const decodeFailure = (operation: OperationId, status: number, issues: ReadonlyArray<ValidationIssue>): DecodeError =>
  new DecodeError({
    message: `${operation}: the server's ${status} answer does not match the contract: ${capped(issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))}`,
    statusCode: status,
    operation
  })

/** An answer the transport would not take (too large, a redirect it does not follow). */
const refusedAnswer = (operation: OperationId, status: number, refused: RefusedAnswer): DecodeError =>
  new DecodeError({ message: `${operation}: ${refused.reason}`, statusCode: status === 0 ? undefined : status, operation })

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
  budget: RetryBudget
): Effect.Effect<unknown, MemoryLayerError> => {
  const { response } = result
  if (response === undefined) return Effect.fail(connectionFailure(operation, result.error, !neverSent(result.error)))
  if (!response.ok) {
    if (result.error instanceof RefusedAnswer) return Effect.fail(refusedAnswer(operation, response.status, result.error))
    return Effect.fail(errorFromResponse(operation, response.status, result.error, response.headers, now))
  }
  if (result.error !== undefined) {
    if (result.error instanceof SyntaxError) {
      return Effect.fail(new DecodeError({ message: `${operation}: the server answered ${response.status} with a body that is not JSON`, statusCode: response.status, operation }))
    }
    if (result.error instanceof RefusedAnswer) return Effect.fail(refusedAnswer(operation, response.status, result.error))
    return Effect.fail(connectionFailure(operation, result.error, true))
  }
  if (parseAs !== "json") return refillAfter(budget, Effect.succeed(result.data))
  if (check === undefined) return refillAfter(budget, Effect.void)
  if (check(result.data)) return refillAfter(budget, Effect.succeed(result.data))
  return Effect.flatMap(loadFallback, (slow) => {
    const decoded = slow.decodeOutput(operation, result.data)
    return decoded.ok ? refillAfter(budget, Effect.succeed(decoded.value)) : Effect.fail(decodeFailure(operation, response.status, decoded.issues))
  })
}

const waitForPause = (ctx: RunnerContext): Effect.Effect<void> =>
  Effect.flatMap(Ref.get(ctx.pausedUntil), (until) =>
    until === 0 ? Effect.void : Effect.flatMap(Clock.currentTimeMillis, (now) => (until > now ? Effect.sleep(Duration.millis(until - now)) : Effect.void)))

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
  const unsent = input.path === undefined && input.query === undefined && input.headers === undefined ? undefined : unsendable(input)
  if (unsent === undefined && loaded.input(input)) return Effect.succeed(input)
  return Effect.flatMap(loadFallback, (slow) => {
    const decoded = slow.validateInput(id, input)
    const issues = decoded.ok ? unsent ?? [] : [...decoded.issues, ...(unsent ?? [])]
    return issues.length === 0 ? Effect.succeed(decoded.ok ? decoded.value : input) : Effect.fail(invalidInput(id, issues))
  })
}

/**
 * Sends a validated request, retrying per policy. The first attempt runs
 * alone; only when it fails does the retry schedule take over, with that
 * failure as its first input, so a call that succeeds pays nothing for it.
 */
const send = (
  ctx: RunnerContext,
  info: OperationRow,
  loaded: Loaded,
  request: RequestInput,
  options: CallOptions | undefined,
  extras: Extras
): Effect.Effect<unknown, MemoryLayerError> =>
  Effect.flatMap(Ref.get(ctx.session), (session): Effect.Effect<unknown, MemoryLayerError> => {
    const id = info.operationId as OperationId
    if (info.requiresSession && session === undefined) {
      return Effect.fail(invalidInput(id, [{ path: ["X-Session-ID"], message: "needs an active session: call createSession() or setSession() first" }]))
    }
    const headers: Record<string, string> = {}
    if (session !== undefined) headers["X-Session-ID"] = session
    if (ctx.workspaceId !== undefined) headers["X-Workspace-ID"] = ctx.workspaceId
    if (request.headers !== undefined) for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers[name] = value
    const parseAs = extras.parseAs ?? "json"
    const timeout = options?.timeout ?? ctx.timeout
    const userSignal = options?.signal
    // One request and its answer, within the time limit. The pause after a 429 is not part of it.
    const exchange = Effect.tryPromise({
      try: (signal) =>
        ctx.http.send(info.method, {
          url: info.path,
          path: request.path,
          query: request.query,
          body: extras.form ?? request.body,
          headers,
          signal: userSignal === undefined ? signal : AbortSignal.any([signal, userSignal]),
          parseAs,
          onUploadProgress: extras.onUploadProgress,
          maxResponseBytes: options?.maxResponseBytes
        }),
      catch: (cause) => connectionFailure(id, cause, !neverSent(cause))
    }).pipe(
      Effect.flatMap((result) => (userSignal?.aborted === true ? Effect.interrupt : Effect.succeed(result))),
      Effect.timeoutOrElse({
        duration: Duration.millis(timeout),
        orElse: () =>
          Effect.fail(new ConnectionError({ message: `${id}: no answer within ${timeout} ms`, statusCode: undefined, operation: id, requestSent: true, timedOut: true }))
      })
    )
    const attempt = waitForPause(ctx).pipe(
      Effect.andThen(exchange),
      Effect.flatMap((result) => Effect.flatMap(Clock.currentTimeMillis, (now) => settle(id, loaded.output, result, now, parseAs, ctx.budget))),
      Effect.tapError((error) => pauseAfterRateLimit(ctx, error))
    )
    const times = options?.maxRetries ?? ctx.policy.maxRetries
    const retryable = (error: MemoryLayerError): boolean => isRetryable(error, { idempotent: info.idempotent, maxRetryAfter: ctx.policy.maxRetryAfter })
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
      const mayRetry = (error: MemoryLayerError): boolean | Effect.Effect<boolean> => {
        if (left === 0 || !retryable(error)) return false
        left--
        return spendRetryToken(ctx.budget)
      }
      return Effect.retry(again, { schedule: ctx.schedule, while: mayRetry })
    })
  })

const withSpanIfTraced = <A, E>(info: OperationRow, program: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Effect.withFiber((fiber) =>
    fiber.getRef(Tracer.Tracer) === Tracer.nativeTracer
      ? program
      : program.pipe(
        Effect.withSpan(
          `MemoryLayer.${info.operationId}`,
          { attributes: { "http.request.method": info.method, "url.template": info.path } },
          // A stack trace per call costs more than the rest of the span; the name says where it is from.
          { captureStackTrace: false }
        )
      )
  )

/**
 * Runs operation `info` with the bound `input`, honouring per-call `timeout`,
 * `maxRetries` and `signal`. Succeeds with the decoded answer.
 */
export const runOperation = <Id extends OperationId>(
  ctx: RunnerContext,
  info: OperationRow,
  input: RequestInput,
  options: CallOptions | undefined,
  extras: Extras = {}
): Effect.Effect<unknown, OperationError<Id>> => {
  const id = info.operationId as OperationId
  const optionIssues = checkCallOptions(options, "options.")
  if (optionIssues.length > 0) return Effect.fail(invalidInput(id, optionIssues)) as Effect.Effect<never, OperationError<Id>>
  const run = (op: Loaded): Effect.Effect<unknown, MemoryLayerError> =>
    Effect.flatMap(validated(info, op, input), (request) => send(ctx, info, op, request as RequestInput, options, extras))
  const loaded = ops[id]
  const program = loaded === undefined ? Effect.flatMap(loadOps(id), run) : run(loaded)
  return withSpanIfTraced(info, program) as Effect.Effect<unknown, OperationError<Id>>
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
export const checkRecord = (id: OperationId, line: unknown, status: number): Effect.Effect<unknown, DecodeError> => {
  const check = ops[id]?.record
  if (check !== undefined && check(line)) return Effect.succeed(line)
  return Effect.flatMap(loadFallback, (slow) => {
    const decoded = slow.decodeRecord(id, line)
    return decoded.ok ? Effect.succeed(decoded.value) : Effect.fail(decodeFailure(id, status, decoded.issues))
  })
}

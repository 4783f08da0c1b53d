/**
 * Running one HTTP operation of the contract: validate the input with the
 * generated schema, send it with the generated request function, map a
 * failure to a typed error, decode the body, retry per policy, in a span.
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type { Client } from "../generated/api/client/index.ts"
import * as sdk from "../generated/api/sdk.gen.ts"
import { type OperationId, type OperationInfo, operations } from "../generated/operations.gen.ts"
import { operationSchemas } from "../generated/schemas.gen.ts"
import {
  type AuthenticationError,
  type AuthorizationError,
  ConnectionError,
  DecodeError,
  type MemoryLayerError,
  type NotFoundError,
  RateLimitError,
  type ServerError,
  ValidationError,
  type ValidationIssue
} from "./errors.ts"
import { errorFromResponse } from "./http-errors.ts"
import { type CallOptions, checkCallOptions } from "./options.ts"
import { isRetryable, type RetryPolicy, type retrySchedule } from "./retry.ts"

type Schemas = typeof operationSchemas

/** What a caller supplies to operation `Id`: `{ path?, query?, body? }` as the contract defines it. */
export type OperationInput<Id extends OperationId> = Schemas[Id]["input"]["Type"]

/** The decoded success body of operation `Id` (`void` for 204 answers). */
export type OperationOutput<Id extends OperationId> = Schemas[Id]["output"] extends Schema.Top
  ? Schemas[Id]["output"]["Type"]
  : void

type ErrorForStatus<S> = S extends 401 ? AuthenticationError
  : S extends 403 ? AuthorizationError
  : S extends 404 ? NotFoundError
  : S extends 429 ? RateLimitError
  : S extends 408 ? ConnectionError
  : S extends 400 | 422 ? ValidationError
  : ServerError

/**
 * Every error operation `Id` can fail with: one class per error status the
 * contract declares for it, plus `ValidationError` (bad input, refused before
 * sending), `ConnectionError` (no answer) and `DecodeError` (an answer that
 * breaks the contract).
 */
export type OperationError<Id extends OperationId> =
  | ErrorForStatus<OperationInfo<Id>["errorStatuses"][number]>
  | ValidationError
  | ConnectionError
  | DecodeError

/** What the runner needs from the client around it. */
export interface RunnerContext {
  readonly http: Client
  readonly policy: RetryPolicy
  /** `retrySchedule(policy)`, built once per client. */
  readonly schedule: ReturnType<typeof retrySchedule>
  readonly timeout: number
  readonly workspaceId: string | undefined
  readonly session: Ref.Ref<string | undefined>
  /** Epoch ms until which the whole client waits, after a 429 said so. */
  readonly pausedUntil: Ref.Ref<number>
}

type SdkResult = {
  readonly data?: unknown
  readonly error?: unknown
  readonly response?: Response
}
type SdkFunction = (options: {
  readonly client: Client
  readonly path?: unknown
  readonly query?: unknown
  readonly body?: unknown
  readonly headers: Record<string, string>
  readonly signal: AbortSignal
}) => Promise<SdkResult>

const sdkFunctions = sdk as unknown as Record<OperationId, SdkFunction>
const formatIssue = SchemaIssue.makeFormatterStandardSchemaV1()
const VALIDATE = { errors: "all", onExcessProperty: "error" } as const
const validators = Object.fromEntries(
  Object.entries(operationSchemas).map(([id, s]) => [id, Schema.decodeUnknownExit(s.input as Schema.Decoder<unknown>)])
) as Record<OperationId, (input: unknown, options: typeof VALIDATE) => Exit.Exit<unknown, Schema.SchemaError>>
const decoders = Object.fromEntries(
  Object.entries(operationSchemas).map(([id, s]) => [
    id,
    s.output === undefined ? undefined : Schema.decodeUnknownExit(s.output as Schema.Decoder<unknown>)
  ])
) as Record<OperationId, ((input: unknown) => Exit.Exit<unknown, Schema.SchemaError>) | undefined>

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined), input)

const preview = (value: unknown): string => {
  const text = value === undefined ? "undefined" : JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

const issuesOf = (error: Schema.SchemaError, input: unknown): Array<ValidationIssue> =>
  formatIssue(error.issue).issues.map((issue) => {
    const path = (issue.path ?? []).map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p)) as Array<string | number>
    const got = valueAt(input, path)
    const message = issue.message === "Missing key" || got === undefined ? issue.message : `${issue.message}, got ${preview(got)}`
    return { path, message }
  })

/** A `ValidationError` for `operation`, naming every broken rule; nothing was sent. */
export const invalidInput = (operation: string, issues: ReadonlyArray<ValidationIssue>): ValidationError =>
  new ValidationError({
    message: `${operation}: invalid input: ${issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    statusCode: undefined,
    operation,
    issues
  })

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT", "ERR_INVALID_URL"])

/** Whether a transport failure happened before the request could reach the server. */
const neverSent = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = (e as { readonly code?: unknown }).code
    if (typeof code === "string" && NOT_SENT_CODES.has(code)) return true
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

const connectionFailure = (operation: string, cause: unknown, requestSent: boolean): ConnectionError =>
  new ConnectionError({
    message: `${operation}: ${requestSent ? "the connection failed after the request was sent" : "could not connect"}${describeCause(cause) === "" ? "" : ` (${describeCause(cause)})`}`,
    statusCode: undefined,
    operation,
    requestSent,
    cause
  })

/** Turns what the generated function returned into a decoded body or a typed error. */
const settle = (operation: OperationId, result: SdkResult, now: number): Effect.Effect<unknown, MemoryLayerError> => {
  const { response } = result
  if (response === undefined) {
    return Effect.fail(connectionFailure(operation, result.error, !neverSent(result.error)))
  }
  if (!response.ok) return Effect.fail(errorFromResponse(operation, response.status, result.error, response.headers, now))
  if (result.error !== undefined) {
    if (result.error instanceof SyntaxError) {
      return Effect.fail(new DecodeError({ message: `${operation}: the server answered ${response.status} with a body that is not JSON`, statusCode: response.status, operation }))
    }
    return Effect.fail(connectionFailure(operation, result.error, true))
  }
  const decode = decoders[operation]
  if (decode === undefined) return Effect.void
  const decoded = decode(result.data)
  if (Exit.isSuccess(decoded)) return Effect.succeed(decoded.value)
  const error = Exit.findErrorOption(decoded)
  const issues = error._tag === "Some" ? issuesOf(error.value, result.data) : []
  return Effect.fail(new DecodeError({
    message: `${operation}: the server's ${response.status} answer does not match the contract: ${issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    statusCode: response.status,
    operation
  }))
}

const waitForPause = (ctx: RunnerContext): Effect.Effect<void> =>
  Effect.gen(function*() {
    const until = yield* Ref.get(ctx.pausedUntil)
    const now = yield* Clock.currentTimeMillis
    if (until > now) yield* Effect.sleep(Duration.millis(until - now))
  })

const pauseAfterRateLimit = (ctx: RunnerContext, error: MemoryLayerError): Effect.Effect<void> =>
  error instanceof RateLimitError && error.retryAfter !== undefined && error.retryAfter <= ctx.policy.maxRetryAfter
    ? Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.update(ctx.pausedUntil, (until) => Math.max(until, now + (error.retryAfter ?? 0))))
    : Effect.void

/**
 * Runs operation `id` with `input`, honouring per-call `timeout` and
 * `maxRetries`. The result is the decoded success body.
 */
export const runOperation = <Id extends OperationId>(
  ctx: RunnerContext,
  id: Id,
  input: unknown,
  options: CallOptions | undefined
): Effect.Effect<OperationOutput<Id>, OperationError<Id>> => {
  const info = operations[id]
  const program = Effect.gen(function*() {
    const optionIssues = checkCallOptions(options, "options.")
    if (optionIssues.length > 0) return yield* invalidInput(id, optionIssues)
    const validated = validators[id](input, VALIDATE)
    if (Exit.isFailure(validated)) {
      const error = Exit.findErrorOption(validated)
      return yield* invalidInput(id, error._tag === "Some" ? issuesOf(error.value, input) : [])
    }
    const session = yield* Ref.get(ctx.session)
    if (info.requiresSession && session === undefined) {
      return yield* invalidInput(id, [{ path: ["X-Session-ID"], message: "needs an active session: call createSession() or setSession() first" }])
    }
    const headers: Record<string, string> = {}
    if (session !== undefined) headers["X-Session-ID"] = session
    if (ctx.workspaceId !== undefined) headers["X-Workspace-ID"] = ctx.workspaceId
    const request = validated.value as { readonly path?: unknown; readonly query?: unknown; readonly body?: unknown }
    const timeout = options?.timeout ?? ctx.timeout
    const send = sdkFunctions[id]
    const userSignal = options?.signal
    // One request and its answer, within the time limit. The pause after a 429 is not part of it.
    const exchange = Effect.tryPromise({
      try: (signal) =>
        send({
          client: ctx.http,
          path: request.path,
          query: request.query,
          body: request.body,
          headers,
          signal: userSignal === undefined ? signal : AbortSignal.any([signal, userSignal])
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
      Effect.flatMap((result) => Effect.flatMap(Clock.currentTimeMillis, (now) => settle(id, result, now))),
      Effect.tapError((error) => pauseAfterRateLimit(ctx, error))
    )
    return yield* attempt.pipe(
      Effect.retry({
        schedule: ctx.schedule,
        times: options?.maxRetries ?? ctx.policy.maxRetries,
        while: (error: MemoryLayerError) => isRetryable(error, { idempotent: info.idempotent, maxRetryAfter: ctx.policy.maxRetryAfter })
      })
    )
  })
  return program.pipe(
    Effect.withSpan(
      `MemoryLayer.${id}`,
      { attributes: { "http.request.method": info.method, "url.template": info.path } },
      // A stack trace per call costs more than the rest of the span; the name says where it is from.
      { captureStackTrace: false }
    )
  ) as Effect.Effect<OperationOutput<Id>, OperationError<Id>>
}

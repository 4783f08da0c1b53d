/**
 * Watching a call when someone listens: log lines (when the client's
 * `logLevel` is not `"off"`) and spans (when a tracer is installed). A span
 * per operation, `MemoryLayer.<operationId>`, and a child span per attempt,
 * `MemoryLayer.<operationId> attempt`, with OpenTelemetry's HTTP client
 * attribute names. A call nobody watches never reaches this module, which
 * loads with the first call that is watched.
 *
 * What lines and spans show of a request: the method, the route template,
 * the path with its parameters (ids), the status, the attempt, the time and
 * the request id. Never the query string (a `defaultQuery` may hold a
 * proxy's token), never a header, never the API key; bodies only in debug
 * lines with `logBodies`.
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type { MemoryLayerError } from "./errors.ts"
import type { LogFields } from "./log-level.ts"
import type { Log } from "./log.ts"
import type { OperationRow } from "./rows.ts"
import type { Exchange } from "./transport.ts"

/** Where a client sends its requests, as spans name it. */
export interface ServerAddress {
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string
  /** `server.address`: the host name or IP address. */
  readonly address: string
  /** `server.port`: the port, the scheme's default when the URL names none. */
  readonly port: number
}

/** The address of `baseUrl` (an http(s) URL without a trailing slash). */
const serverAddress = (baseUrl: string): ServerAddress => {
  const url = new URL(baseUrl)
  return {
    baseUrl,
    address: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port)
  }
}

/** One call being watched: what its lines and spans say, filled in as it runs. */
export interface Observation {
  readonly log: Log | undefined
  readonly traced: boolean
  readonly info: OperationRow
  readonly server: ServerAddress
  /** The path with its parameters, once the request is checked. */
  path: string | undefined
  /** The `X-Request-ID` sent, if any. */
  requestId: string | undefined
  /** The request body, kept only for debug lines with bodies. */
  requestBody: unknown
  /** Attempts started so far. */
  attempts: number
  /** Attempts the call may make. */
  maxAttempts: number
  /** The status of the last answer. */
  status: number | undefined
}

/** Each base URL's address, worked out once. */
const addresses = new Map<string, ServerAddress>()

/** The address of `baseUrl`, from the cache. */
const addressOf = (baseUrl: string): ServerAddress => {
  let address = addresses.get(baseUrl)
  if (address === undefined) {
    address = serverAddress(baseUrl)
    addresses.set(baseUrl, address)
  }
  return address
}

/** A new observation of a call of `info` to the server at `baseUrl`. */
export const observation = (log: Log | undefined, traced: boolean, info: OperationRow, baseUrl: string): Observation => ({
  log,
  traced,
  info,
  server: addressOf(baseUrl),
  path: undefined,
  requestId: undefined,
  requestBody: undefined,
  attempts: 0,
  maxAttempts: 1,
  status: undefined
})

/** Most characters of a body a debug line holds. */
const MAX_LOGGED_BODY = 16 * 1024

/** String fields whose values are secrets wherever they appear in a body (a new API token's `token`, ...). */
const SECRET_FIELD = /^(token|access_token|refresh_token|secret|client_secret|password|api_key|apikey|authorization)$/i

/** What a body looks like in a line: JSON for data, a description for what cannot be shown. */
const bodyText = (value: unknown): string | undefined => {
  if (value === undefined) return undefined
  if (typeof value === "string") return value
  if (value instanceof FormData) return `<multipart form: ${[...value.keys()].join(", ")}>`
  if (value instanceof Blob) return `<${value.size} bytes>`
  if (value instanceof ReadableStream) return "<stream>"
  try {
    return JSON.stringify(value, (key, field: unknown) => (typeof field === "string" && SECRET_FIELD.test(key) ? "<redacted>" : field))
  } catch {
    return "<not JSON>"
  }
}

/** A body as a debug line shows it: JSON, without the key or secret-named fields, at most {@link MAX_LOGGED_BODY} characters. */
const loggedBody = (log: Log, value: unknown): string | undefined => {
  const shown = bodyText(value)
  if (shown === undefined) return undefined
  const text = log.withoutKey(shown)
  return text.length > MAX_LOGGED_BODY ? `${text.slice(0, MAX_LOGGED_BODY)}... (${text.length - MAX_LOGGED_BODY} more characters)` : text
}

/** `NotFoundError: getMemory: 404 Memory not found: mem_1`. */
const described = (error: MemoryLayerError): string => `${error._tag}: ${error.message}`

/** OpenTelemetry's `error.type`: the status of an error answer, else the error's class. */
const errorType = (error: MemoryLayerError): string =>
  error.statusCode !== undefined && error.statusCode >= 400 ? String(error.statusCode) : error._tag

/** The fields every line of the call has. */
const callFields = (obs: Observation): Record<string, unknown> => ({
  operation: obs.info.operationId,
  method: obs.info.method,
  pathTemplate: obs.info.path,
  path: obs.path,
  requestId: obs.requestId
})

const where = (obs: Observation): string => `${obs.info.method} ${obs.path ?? obs.info.path}`

/** The attributes a span of the call starts with. */
const requestAttributes = (obs: Observation): Record<string, unknown> => ({
  "http.request.method": obs.info.method,
  "url.template": obs.info.path,
  "server.address": obs.server.address,
  "server.port": obs.server.port
})

/** `steps`, one after the other (`Effect.all` would bring its concurrency machinery into every bundle). */
const inTurn = (steps: ReadonlyArray<Effect.Effect<void>>): Effect.Effect<void> => steps.reduce((all, step) => Effect.andThen(all, step), Effect.void)

const elapsedSince = (start: number): Effect.Effect<number> => Effect.map(Clock.currentTimeMillis, (now) => now - start)

/**
 * `program`, the whole call, watched: an `info` line when it succeeds, an
 * `error` line when it fails, in the span `MemoryLayer.<operationId>` when
 * traced (which ends with the last status and, on failure, `error.type`).
 */
export const observeCall = <A>(obs: Observation, program: Effect.Effect<A, MemoryLayerError>): Effect.Effect<A, MemoryLayerError> => {
  const { log, traced } = obs
  const id = obs.info.operationId
  const watched = Effect.flatMap(Clock.currentTimeMillis, (start) => {
    const done = (error: MemoryLayerError | undefined): Effect.Effect<void> =>
      Effect.flatMap(elapsedSince(start), (durationMs) => {
        const steps: Array<Effect.Effect<void>> = []
        if (traced) {
          const attributes: Record<string, unknown> = {}
          if (obs.status !== undefined) attributes["http.response.status_code"] = obs.status
          if (error !== undefined) attributes["error.type"] = errorType(error)
          steps.push(Effect.annotateCurrentSpan(attributes))
        }
        const attempts = obs.attempts
        const fields: LogFields = { ...callFields(obs), status: obs.status, attempts, durationMs }
        if (error === undefined && log !== undefined && log.rank >= 3) {
          steps.push(log.write("info", `memorylayer ${id}: ${where(obs)} ${obs.status ?? ""} in ${durationMs} ms`, fields))
        } else if (error !== undefined && log !== undefined) {
          const how = attempts === 0 ? "refused before sending" : `failed after ${attempts} attempt${attempts === 1 ? "" : "s"} in ${durationMs} ms`
          steps.push(log.write("error", `memorylayer ${id}: ${where(obs)} ${how}: ${described(error)}`, { ...fields, error: error._tag }))
        }
        return inTurn(steps)
      })
    return program.pipe(
      Effect.flatMap((value) => Effect.as(done(undefined), value)),
      Effect.tapError(done)
    )
  })
  return traced
    ? Effect.withSpan(watched, `MemoryLayer.${id}`, { attributes: requestAttributes(obs), captureStackTrace: false })
    : watched
}

/** The answer body a debug line shows: the parsed success, or the body of an error answer (not a redirect refused, nor a failure to read it). */
const answerBody = (result: Exchange): unknown => {
  if (result.response === undefined) return undefined
  if (result.data !== undefined) return result.data
  return result.response.status >= 400 && !(result.error instanceof Error) ? result.error : undefined
}

/**
 * One attempt, watched: `exchange` sends the request and reads the answer,
 * `settle` makes it a value or an error. A `debug` line when it ends, in the
 * span `MemoryLayer.<operationId> attempt` (kind `client`) when traced.
 */
export const observeAttempt = (
  obs: Observation,
  exchange: Effect.Effect<Exchange, MemoryLayerError>,
  settle: (result: Exchange) => Effect.Effect<unknown, MemoryLayerError>
): Effect.Effect<unknown, MemoryLayerError> =>
  Effect.suspend(() => {
    const { log, traced } = obs
    const attempt = ++obs.attempts
    let status: number | undefined
    let body: unknown
    const run = Effect.flatMap(Clock.currentTimeMillis, (start) => {
      const done = (error: MemoryLayerError | undefined): Effect.Effect<void> =>
        Effect.flatMap(elapsedSince(start), (durationMs) => {
          const steps: Array<Effect.Effect<void>> = []
          if (traced) {
            const attributes: Record<string, unknown> = {}
            if (status !== undefined) attributes["http.response.status_code"] = status
            if (error !== undefined) attributes["error.type"] = errorType(error)
            steps.push(Effect.annotateCurrentSpan(attributes))
          }
          if (log !== undefined && log.rank >= 4) {
            const fields: Record<string, unknown> = { ...callFields(obs), status, attempt, durationMs }
            if (error !== undefined) fields["error"] = error._tag
            if (log.bodies) {
              fields["requestBody"] = loggedBody(log, obs.requestBody)
              fields["responseBody"] = loggedBody(log, body)
            }
            const outcome = error === undefined ? `${status}` : status === undefined ? `failed (${error._tag})` : `${status} (${error._tag})`
            steps.push(log.write("debug", `memorylayer ${obs.info.operationId}: ${where(obs)} ${outcome} in ${durationMs} ms (attempt ${attempt})`, fields))
          }
          return inTurn(steps)
        })
      return exchange.pipe(
        Effect.flatMap((result) => {
          status = result.response?.status
          if (status !== undefined) obs.status = status
          if (log?.bodies === true) body = answerBody(result)
          return settle(result)
        }),
        Effect.flatMap((value) => Effect.as(done(undefined), value)),
        Effect.tapError(done)
      )
    })
    if (!traced) return run
    const attributes = requestAttributes(obs)
    attributes["url.full"] = `${obs.server.baseUrl}${obs.path ?? ""}`
    if (attempt > 1) attributes["http.request.resend_count"] = attempt - 1
    if (obs.requestId !== undefined) attributes["http.request.header.x-request-id"] = [obs.requestId]
    // A stack trace per span costs more than the rest of it; the name says where it is from.
    return Effect.withSpan(run, `MemoryLayer.${obs.info.operationId} attempt`, { attributes, kind: "client", captureStackTrace: false })
  })

/** A `warn` line: the call retries after `error`, in `waitMs`. */
export const noteRetry = (obs: Observation, error: MemoryLayerError, waitMs: number): Effect.Effect<void> => {
  const { log } = obs
  if (log === undefined || log.rank < 2) return Effect.void
  const next = obs.attempts + 1
  return log.write(
    "warn",
    `memorylayer ${obs.info.operationId}: ${where(obs)} retrying in ${Math.round(waitMs)} ms (attempt ${next} of ${obs.maxAttempts}) after ${described(error)}`,
    { ...callFields(obs), status: error.statusCode, attempt: next, waitMs: Math.round(waitMs), error: error._tag }
  )
}

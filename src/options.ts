/**
 * Client options: what a user configures, checked once when the client is built.
 *
 * @module
 */
import * as Redacted from "effect/Redacted"
import { ValidationError, type ValidationIssue } from "./errors.ts"
import { unreadable } from "./request-values.ts"
import { headerValueIssue } from "./headers.ts"
import { preview } from "./preview.ts"
import { inBrowser } from "./env.ts"
import { LOG_LEVELS, type Logger, type LogLevel } from "./log-level.ts"
import { DEFAULT_MAX_RESPONSE_BYTES } from "./response-body.ts"
import { defaultRetryPolicy } from "./retry.ts"
import { closest } from "./suggest.ts"

/**
 * A `fetch`-compatible function. The global `fetch`, an undici `fetch` with a
 * dispatcher, an instrumented fetch, or an in-process handler
 * `(request) => Response` that serves the API without a socket all fit.
 *
 * @example
 * ```ts
 * const handler: FetchLike = async (request) =>
 *   Response.json({ memory: { id: "mem_1", content: await request.text() } }, { status: 201 })
 * ```
 */
export type FetchLike = (request: Request, init?: RequestInit) => Response | Promise<Response>

/** How a client reaches and identifies itself to a MemoryLayer server. */
export interface MemoryLayerOptions {
  /** Server URL. Default `"http://localhost:61001"`. */
  readonly baseUrl?: string | undefined
  /** API key, sent as `Authorization: Bearer <key>`. Never appears in errors, logs or `inspect`. */
  readonly apiKey?: string | Redacted.Redacted<string> | undefined
  /** Default workspace, sent as `X-Workspace-ID`. */
  readonly workspaceId?: string | undefined
  /** Active session, sent as `X-Session-ID`. */
  readonly sessionId?: string | undefined
  /** Time limit of one attempt, in milliseconds. Default 30000. */
  readonly timeout?: number | undefined
  /** Retries after a retryable failure. Default 2. */
  readonly maxRetries?: number | undefined
  /** The fetch function requests go through. Default: the global `fetch`. */
  readonly fetch?: FetchLike | undefined
  /**
   * Headers sent with every request (a proxy's, a tenant's). They cannot
   * replace the ones the SDK owns: `Authorization`, `X-Session-ID`,
   * `X-Workspace-ID`, `Content-Type`.
   */
  readonly defaultHeaders?: Readonly<Record<string, string>> | undefined
  /** Query parameters sent with every request; an operation's own parameter of the same name wins. */
  readonly defaultQuery?: Readonly<Record<string, string | number | boolean>> | undefined
  /**
   * Largest answer body the client reads, in bytes; a larger one fails the
   * call with `DecodeError` without being read. Default 67108864 (64 MiB).
   */
  readonly maxResponseBytes?: number | undefined
  /**
   * Send an `X-Request-ID` with every request: one per call, the same on its
   * retries, so the server's logs tie the attempts together; errors carry it
   * as `requestId`. Default `true`, except in browsers, where a cross-origin
   * call may carry it only if the server allows the header (memorylayer-server
   * 0.2.0 does not by default), and where `crypto.randomUUID` is missing (a
   * page not served over HTTPS). An `X-Request-ID` in `defaultHeaders`, or a
   * call's `requestId`, is sent instead.
   */
  readonly sendRequestId?: boolean | undefined
  /**
   * What the client logs: `"off"` (the default), `"error"` (failed calls),
   * `"warn"` (and retries), `"info"` (and each call that succeeded) or
   * `"debug"` (and each attempt: method, path, status, time, request id).
   * Never the API key; bodies only with `logBodies`. `MEMORYLAYER_LOG` sets
   * it when this option is not given.
   */
  readonly logLevel?: LogLevel | undefined
  /**
   * Where log lines go: an object with `debug`, `info`, `warn` and `error`,
   * each called with a message and an object of fields. Default: `console`
   * for `MemoryLayerClient`, Effect's logger for the `MemoryLayer` layers.
   */
  readonly logger?: Logger | undefined
  /**
   * Add the request and answer bodies to debug lines, as JSON (at most 16 KiB
   * each; the API key and string fields named like secrets, such as `token`,
   * replaced by `<redacted>`). Default `false`.
   */
  readonly logBodies?: boolean | undefined
}

/**
 * Per-call overrides, accepted by every method (in its options object, or as
 * an optional last argument where the documented method has no options).
 *
 * @example
 * ```ts
 * const controller = new AbortController()
 * await client.recall("deploy steps", { limit: 5, timeout: 2_000, maxRetries: 0, signal: controller.signal })
 * ```
 */
export interface CallOptions {
  /** Time limit of one attempt of this call, in milliseconds. */
  readonly timeout?: number | undefined
  /** Retries for this call. */
  readonly maxRetries?: number | undefined
  /**
   * Aborting it aborts the HTTP request and stops the call: the Promise
   * rejects with the signal's reason, the Effect is interrupted.
   */
  readonly signal?: AbortSignal | undefined
  /** Largest answer body this call reads, in bytes. */
  readonly maxResponseBytes?: number | undefined
  /** The `X-Request-ID` of this call (and its retries), instead of one the SDK makes. */
  readonly requestId?: string | undefined
}

/** Options after defaults, with the key redacted. */
export interface ResolvedOptions {
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string> | undefined
  readonly workspaceId: string | undefined
  readonly sessionId: string | undefined
  readonly timeout: number
  readonly maxRetries: number
  readonly fetch: FetchLike | undefined
  readonly defaultHeaders: Readonly<Record<string, string>>
  readonly defaultQuery: Readonly<Record<string, string | number | boolean>>
  readonly maxResponseBytes: number
  /** The `X-Request-ID` every request carries (from `defaultHeaders`), when there is one. */
  readonly fixedRequestId: string | undefined
  /** Whether the SDK makes an `X-Request-ID` for each call (no fixed one, and sending it is on). */
  readonly makeRequestIds: boolean
  readonly logLevel: LogLevel
  readonly logger: Logger | undefined
  readonly logBodies: boolean
}

/** Defaults of the documented constructor. */
export const DEFAULT_BASE_URL = "http://localhost:61001"
/** Default time limit of one attempt, in milliseconds. */
export const DEFAULT_TIMEOUT = 30_000

const isPositiveFinite = (value: number): boolean => Number.isFinite(value) && value > 0
const isCount = (value: number): boolean => Number.isInteger(value) && value >= 0
const isByteCount = (value: number): boolean => Number.isSafeInteger(value) && value > 0

/** The numeric per-call options: name, rule, and the rule in words. */
const NUMBER_OPTIONS: ReadonlyArray<readonly [keyof CallOptions, (value: number) => boolean, string]> = [
  ["timeout", isPositiveFinite, "must be a positive number of milliseconds"],
  ["maxRetries", isCount, "must be a whole number >= 0"],
  ["maxResponseBytes", isByteCount, "must be a whole number of bytes > 0"]
]

const NO_ISSUES: ReadonlyArray<ValidationIssue> = Object.freeze([])

/** A value in a message: primitives as `String` gives them, objects as a short preview (`String` may throw on them). */
const shown = (value: unknown): string =>
  (typeof value === "object" && value !== null) || typeof value === "function" ? preview(value) : String(value)

/** Checks `timeout`, `maxRetries`, `maxResponseBytes` and `signal` wherever they are given; returns the broken rules. */
export const checkCallOptions = (options: CallOptions | undefined, prefix = ""): ReadonlyArray<ValidationIssue> => {
  if (options === undefined) return NO_ISSUES
  let issues: Array<ValidationIssue> | undefined
  for (const [name, valid, rule] of NUMBER_OPTIONS) {
    const value: unknown = options[name]
    if (value !== undefined && (typeof value !== "number" || !valid(value))) {
      issues ??= []
      issues.push({ path: [`${prefix}${name}`], message: `${rule}, got ${shown(value)}` })
    }
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    issues ??= []
    issues.push({ path: [`${prefix}signal`], message: "must be an AbortSignal" })
  }
  if (options.requestId !== undefined) {
    const issue = typeof options.requestId === "string" && options.requestId !== "" ? headerValueIssue(options.requestId) : "must be a non-empty string"
    if (issue !== undefined) {
      issues ??= []
      issues.push({ path: [`${prefix}requestId`], message: issue })
    }
  }
  return issues ?? NO_ISSUES
}

/** The names `MemoryLayerOptions` accepts. */
const OPTION_NAMES = [
  "baseUrl",
  "apiKey",
  "workspaceId",
  "sessionId",
  "timeout",
  "maxRetries",
  "fetch",
  "defaultHeaders",
  "defaultQuery",
  "maxResponseBytes",
  "sendRequestId",
  "logLevel",
  "logger",
  "logBodies"
] as const

/** Headers the SDK writes itself; `defaultHeaders` may not set them. */
const OWN_HEADERS = new Set(["authorization", "x-session-id", "x-workspace-id", "content-type"])

const checkDefaultHeaders = (value: unknown, issues: Array<ValidationIssue>): void => {
  if (value === undefined) return
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    issues.push({ path: ["defaultHeaders"], message: "must be an object of header names to values" })
    return
  }
  for (const [name, header] of Object.entries(value)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) issues.push({ path: ["defaultHeaders", name], message: "is not a header name" })
    else if (OWN_HEADERS.has(name.toLowerCase())) issues.push({ path: ["defaultHeaders", name], message: "is set by the SDK (use apiKey, sessionId or workspaceId)" })
    else if (typeof header !== "string") issues.push({ path: ["defaultHeaders", name], message: "must be a string" })
    else {
      const issue = headerValueIssue(header)
      if (issue !== undefined) issues.push({ path: ["defaultHeaders", name], message: issue })
    }
  }
}

const checkDefaultQuery = (value: unknown, issues: Array<ValidationIssue>): void => {
  if (value === undefined) return
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    issues.push({ path: ["defaultQuery"], message: "must be an object of parameter names to values" })
    return
  }
  for (const [name, parameter] of Object.entries(value)) {
    if (!["string", "number", "boolean"].includes(typeof parameter)) issues.push({ path: ["defaultQuery", name], message: "must be a string, number or boolean" })
  }
}

/** The logging options: a known level, a logger with the four methods, a boolean. */
const checkLogging = (options: MemoryLayerOptions, issues: Array<ValidationIssue>): void => {
  const { logLevel, logger, logBodies } = options
  if (logLevel !== undefined && !(LOG_LEVELS as ReadonlyArray<unknown>).includes(logLevel)) {
    issues.push({ path: ["logLevel"], message: `must be one of ${LOG_LEVELS.map((l) => JSON.stringify(l)).join(", ")}, got ${shown(logLevel)}` })
  }
  if (logger !== undefined) {
    const missing = typeof logger === "object" && logger !== null
      ? (["debug", "info", "warn", "error"] as const).filter((name) => typeof logger[name] !== "function")
      : undefined
    if (missing === undefined) issues.push({ path: ["logger"], message: "must be an object with debug, info, warn and error methods, e.g. console" })
    else if (missing.length > 0) issues.push({ path: ["logger"], message: `has no ${missing.join(", ")} method${missing.length === 1 ? "" : "s"}` })
  }
  if (logBodies !== undefined && typeof logBodies !== "boolean") issues.push({ path: ["logBodies"], message: "must be a boolean" })
  if (options.sendRequestId !== undefined && typeof options.sendRequestId !== "boolean") issues.push({ path: ["sendRequestId"], message: "must be a boolean" })
}

/** A header value given as an option: a non-empty string that HTTP can carry. The value is never echoed. */
const headerOption = (name: string, value: unknown, issues: Array<ValidationIssue>): void => {
  if (value === undefined) return
  if (typeof value !== "string" || value === "") {
    issues.push({ path: [name], message: "must be a non-empty string" })
    return
  }
  const issue = headerValueIssue(value)
  if (issue !== undefined) issues.push({ path: [name], message: issue })
}

/** Why `value` cannot be the server's base URL, or `undefined`. */
const baseUrlIssue = (value: unknown): string | undefined => {
  if (typeof value !== "string" || !URL.canParse(value)) return "must be an http(s) URL"
  const url = new URL(value)
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL"
  if (url.username !== "" || url.password !== "") return "must not contain credentials (pass the API key as apiKey)"
  if (url.search !== "" || value.includes("?")) return "must not contain a query string"
  if (url.hash !== "" || value.includes("#")) return "must not contain a fragment"
  return undefined
}

/** Throws the `ValidationError` of bad client options. */
export const failOptions = (issues: ReadonlyArray<ValidationIssue>): never => {
  throw new ValidationError({
    message: `Invalid client options: ${issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
    statusCode: undefined,
    issues
  })
}

/**
 * Applies the defaults and checks every option. Throws `ValidationError`
 * naming each bad option (an unknown one with the closest known name); the
 * key is never echoed.
 */
export const resolveOptions = (options: MemoryLayerOptions = {}): ResolvedOptions => readOptions(() => resolveReadable(options))

/**
 * `read()`, which reads the caller's client options: what it throws besides
 * the `ValidationError` of bad options (a getter's or a Proxy trap's own
 * error) is turned into one, with the caller's error in words.
 */
export const readOptions = <A>(read: () => A): A => {
  try {
    return read()
  } catch (error) {
    if (error instanceof ValidationError) throw error
    return failOptions([unreadable(error, ["options"])])
  }
}

const resolveReadable = (options: MemoryLayerOptions): ResolvedOptions => {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return failOptions([{ path: ["options"], message: "must be an object, e.g. { baseUrl: \"http://localhost:61001\" }" }])
  }
  const issues: Array<ValidationIssue> = []
  for (const key of Object.keys(options)) {
    if ((OPTION_NAMES as ReadonlyArray<string>).includes(key)) continue
    const suggestion = closest(key, OPTION_NAMES)
    issues.push({ path: [key], message: `is not an option${suggestion === undefined ? ` (known: ${OPTION_NAMES.join(", ")})` : `; did you mean ${suggestion}?`}` })
  }
  issues.push(...checkCallOptions(options))
  const baseUrl = options.baseUrl === undefined ? DEFAULT_BASE_URL : options.baseUrl
  const urlIssue = baseUrlIssue(baseUrl)
  if (urlIssue !== undefined) issues.push({ path: ["baseUrl"], message: urlIssue })
  let apiKey: Redacted.Redacted<string> | undefined
  if (options.apiKey !== undefined && Redacted.isRedacted(options.apiKey)) {
    const value: unknown = Redacted.value(options.apiKey)
    headerOption("apiKey", value, issues)
    apiKey = options.apiKey
  } else {
    headerOption("apiKey", options.apiKey, issues)
    if (typeof options.apiKey === "string") apiKey = Redacted.make(options.apiKey, { label: "MEMORYLAYER_API_KEY" })
  }
  headerOption("workspaceId", options.workspaceId, issues)
  headerOption("sessionId", options.sessionId, issues)
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    issues.push({ path: ["fetch"], message: "must be a fetch-compatible function" })
  }
  checkDefaultHeaders(options.defaultHeaders, issues)
  checkDefaultQuery(options.defaultQuery, issues)
  checkLogging(options, issues)
  if (issues.length > 0) failOptions(issues)
  const defaultHeaders = { ...options.defaultHeaders }
  const fixedRequestId = Object.entries(defaultHeaders).find(([name]) => name.toLowerCase() === "x-request-id")?.[1]
  return {
    baseUrl: (baseUrl as string).replace(/\/+$/, ""),
    apiKey,
    workspaceId: options.workspaceId,
    sessionId: options.sessionId,
    timeout: options.timeout ?? DEFAULT_TIMEOUT,
    maxRetries: options.maxRetries ?? defaultRetryPolicy.maxRetries,
    fetch: options.fetch,
    defaultHeaders,
    defaultQuery: { ...options.defaultQuery },
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    fixedRequestId,
    // crypto.randomUUID exists everywhere but in pages served over plain HTTP (not from localhost): there no id is made.
    makeRequestIds: fixedRequestId === undefined && (options.sendRequestId ?? !inBrowser()) && typeof globalThis.crypto?.randomUUID === "function",
    logLevel: options.logLevel ?? "off",
    logger: options.logger,
    logBodies: options.logBodies ?? false
  }
}

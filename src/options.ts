/**
 * Client options: what a user configures, checked once when the client is built.
 *
 * @module
 */
import * as Redacted from "effect/Redacted"
import { ValidationError, type ValidationIssue } from "./errors.ts"
import { defaultRetryPolicy } from "./retry.ts"

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
}

/** Defaults of the documented constructor. */
export const DEFAULT_BASE_URL = "http://localhost:61001"
/** Default time limit of one attempt, in milliseconds. */
export const DEFAULT_TIMEOUT = 30_000

const isPositiveFinite = (value: number): boolean => Number.isFinite(value) && value > 0
const isCount = (value: number): boolean => Number.isInteger(value) && value >= 0

/** Checks `timeout` and `maxRetries` wherever they are given; returns the broken rules. */
export const checkCallOptions = (options: CallOptions | undefined, prefix = ""): Array<ValidationIssue> => {
  const issues: Array<ValidationIssue> = []
  if (options?.timeout !== undefined && (typeof options.timeout !== "number" || !isPositiveFinite(options.timeout))) {
    issues.push({ path: [`${prefix}timeout`], message: `must be a positive number of milliseconds, got ${String(options.timeout)}` })
  }
  if (options?.maxRetries !== undefined && (typeof options.maxRetries !== "number" || !isCount(options.maxRetries))) {
    issues.push({ path: [`${prefix}maxRetries`], message: `must be a whole number >= 0, got ${String(options.maxRetries)}` })
  }
  if (options?.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    issues.push({ path: [`${prefix}signal`], message: "must be an AbortSignal" })
  }
  return issues
}

const optionalString = (name: string, value: unknown, issues: Array<ValidationIssue>): void => {
  if (value !== undefined && (typeof value !== "string" || value === "")) {
    issues.push({ path: [name], message: "must be a non-empty string" })
  }
}

/**
 * Applies the defaults and checks every option. Throws `ValidationError`
 * naming each bad option; the key is never echoed.
 */
export const resolveOptions = (options: MemoryLayerOptions = {}): ResolvedOptions => {
  const issues: Array<ValidationIssue> = [...checkCallOptions(options)]
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL
  if (typeof baseUrl !== "string" || !URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    issues.push({ path: ["baseUrl"], message: "must be an http(s) URL" })
  }
  const apiKey = options.apiKey === undefined || Redacted.isRedacted(options.apiKey)
    ? options.apiKey
    : typeof options.apiKey === "string" && options.apiKey !== ""
    ? Redacted.make(options.apiKey, { label: "MEMORYLAYER_API_KEY" })
    : undefined
  if (options.apiKey !== undefined && apiKey === undefined) {
    issues.push({ path: ["apiKey"], message: "must be a non-empty string" })
  }
  optionalString("workspaceId", options.workspaceId, issues)
  optionalString("sessionId", options.sessionId, issues)
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    issues.push({ path: ["fetch"], message: "must be a fetch-compatible function" })
  }
  if (issues.length > 0) {
    throw new ValidationError({
      message: `Invalid client options: ${issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
      statusCode: undefined,
      issues
    })
  }
  return {
    baseUrl: baseUrl.replace(/\/+$/, ""),
    apiKey: apiKey as Redacted.Redacted<string> | undefined,
    workspaceId: options.workspaceId,
    sessionId: options.sessionId,
    timeout: options.timeout ?? DEFAULT_TIMEOUT,
    maxRetries: options.maxRetries ?? defaultRetryPolicy.maxRetries,
    fetch: options.fetch
  }
}

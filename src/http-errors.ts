/**
 * Turning an HTTP answer that is not a success into the matching typed error.
 *
 * @module
 */
import {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  ConnectionError,
  type MemoryLayerError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
  type ValidationIssue
} from "./errors.ts"
import { parseRetryAfter, retryAfterFromBody } from "./retry-after.ts"
import { capped, quoted } from "./server-text.ts"

/** What an error from an answer carries besides its status and body: the answer's headers and the request id. */
export interface AnswerContext {
  /** The answer's headers, credentials redacted. */
  readonly headers: Readonly<Record<string, string>>
  /** The server's `X-Request-ID`, else the one sent. */
  readonly requestId: string | undefined
}

/** The server's `detail`: a string is quoted as errors may quote it (an HTML page summarised, long text capped). */
const detailOf = (body: unknown): unknown => {
  const detail = typeof body === "object" && body !== null && "detail" in body ? (body as { readonly detail: unknown }).detail : body
  return typeof detail === "string" ? quoted(detail) : detail
}

const issuesOf = (detail: unknown): Array<ValidationIssue> =>
  Array.isArray(detail)
    ? detail.flatMap((item): Array<ValidationIssue> => {
      if (typeof item !== "object" || item === null) return []
      const { loc, msg } = item as { readonly loc?: unknown; readonly msg?: unknown }
      return [{ path: Array.isArray(loc) ? loc : [], message: typeof msg === "string" ? msg : String(msg) }]
    })
    : []

/** The server's words for the message, at most 500 characters of them (see server-text.ts). */
const describe = (detail: unknown, issues: ReadonlyArray<ValidationIssue>): string => {
  if (issues.length > 0) return capped(issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))
  if (typeof detail === "string") return detail
  if (detail === undefined || detail === null || detail === "") return ""
  return capped(JSON.stringify(detail))
}

/**
 * Maps a non-2xx answer to its error class: 401 `AuthenticationError`,
 * 403 `AuthorizationError`, 404 `NotFoundError`, 409/412 `ConflictError`, 400/422 `ValidationError`,
 * 408 `ConnectionError` (the server gave up waiting for the request),
 * 429 `RateLimitError`, any 5xx `ServerError`, any other 4xx `ValidationError`.
 * The server's text is quoted, not copied: an HTML page is summarised by its
 * title, and at most 500 characters of anything else are kept.
 *
 * @example
 * ```ts
 * const error = errorFromResponse("getMemory", 404, { detail: "Memory not found" }, new Headers())
 * error instanceof NotFoundError // true
 * error.message // "getMemory: 404 Memory not found"
 * ```
 */
export const errorFromResponse = (
  operation: string,
  status: number,
  body: unknown,
  headers: Headers,
  now: number = Date.now(),
  answer?: AnswerContext
): MemoryLayerError => {
  const detail = detailOf(body)
  const issues = issuesOf(detail)
  const text = describe(detail, issues)
  const fields = {
    message: `${operation}: ${status}${text === "" ? "" : ` ${text}`}`,
    statusCode: status,
    detail,
    operation,
    headers: answer?.headers,
    requestId: answer?.requestId
  }
  const retryAfter = parseRetryAfter(headers.get("retry-after"), now)
  switch (status) {
    case 401:
      return new AuthenticationError(fields)
    case 403:
      return new AuthorizationError(fields)
    case 404:
      return new NotFoundError(fields)
    case 409:
    case 412:
      return new ConflictError(fields)
    case 408:
      return new ConnectionError({ ...fields, requestSent: false, timedOut: true })
    case 429:
      return new RateLimitError({ ...fields, retryAfter: retryAfter ?? retryAfterFromBody(body, now) })
    default:
      if (status >= 500) return new ServerError({ ...fields, retryAfter })
      return new ValidationError({ ...fields, issues })
  }
}

/**
 * The errors of the SDK. Every one is a real `Error` subclass (so `instanceof`
 * works on Promise rejections) with a `_tag` (so `Effect.catchTag` works on the
 * service). None of them ever holds the API key.
 *
 * @module
 */
import * as Data from "effect/Data"

/** The fields every MemoryLayer error carries. */
export interface MemoryLayerErrorFields {
  /** Human-readable description; includes the server's `detail` when it sent one. */
  readonly message: string
  /** The HTTP status of the answer, or `undefined` when there was none. */
  readonly statusCode: number | undefined
  /** The server's `detail` field (a string, or FastAPI's list of validation issues). */
  readonly detail?: unknown
  /** The operationId of the call that failed, e.g. `"remember"`. */
  readonly operation?: string | undefined
  /**
   * The headers of the server's answer, names in lower case, when there was
   * one. Credentials a proxy may echo (`authorization`, `set-cookie`, any
   * header naming a token or secret, any value holding the API key) read
   * `<redacted>`. Never the request's headers.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /**
   * The request id, to find the call in the server's logs: the server's
   * `X-Request-ID` answer header when it sent one, else the `X-Request-ID`
   * the SDK sent. `undefined` when nothing was sent (bad input) or no id
   * was sent (see `sendRequestId`).
   */
  readonly requestId?: string | undefined
}

/**
 * Base class of every error the SDK raises.
 *
 * @example
 * ```ts
 * import { MemoryLayerError } from "memorylayer-client"
 *
 * try {
 *   await client.getMemory("mem_missing")
 * } catch (error) {
 *   if (error instanceof MemoryLayerError) console.error(error.statusCode, error.message)
 * }
 * ```
 */
export class MemoryLayerError extends Data.Error<MemoryLayerErrorFields> {
  /** Discriminator for `Effect.catchTag`. */
  readonly _tag: string = "MemoryLayerError"
  /**
   * Makes an error from its fields. The SDK raises these itself; make one to
   * have a fake or a test double fail the way the SDK would.
   *
   * @param fields - The message, the HTTP status, and the server's detail and operation when known.
   */
  constructor(fields: MemoryLayerErrorFields) {
    super(fields)
  }
  /** The class's name (the same as `_tag`), so stack traces and logs say which error it is. */
  override get name(): string {
    return this._tag
  }
}

/** 401: the API key is missing or invalid. */
export class AuthenticationError extends MemoryLayerError {
  override readonly _tag = "AuthenticationError" as const
}

/** 403: the key is valid but may not do this. */
export class AuthorizationError extends MemoryLayerError {
  override readonly _tag = "AuthorizationError" as const
}

/** 404: the memory, session or workspace does not exist. */
export class NotFoundError extends MemoryLayerError {
  override readonly _tag = "NotFoundError" as const
}

/**
 * 409 or 412: the request conflicts with the resource's current state (it
 * changed since you read it: an `If-Match` etag that no longer matches, or a
 * concurrent write). Read it again and retry your change.
 */
export class ConflictError extends MemoryLayerError {
  override readonly _tag = "ConflictError" as const
}

/** One rule an input broke, as reported by the SDK or by the server. */
export interface ValidationIssue {
  /** Where the bad value sits, e.g. `["body", "importance"]`. */
  readonly path: ReadonlyArray<string | number>
  /** The rule it broke, in words. */
  readonly message: string
}

/**
 * 422 (or 400): the input breaks the contract. Raised by the SDK before any
 * request is sent when the input fails the generated schema (then
 * `statusCode` is `undefined`), and mapped from the server's 400/422 answers.
 *
 * @example
 * ```ts
 * await client.remember("x", { importance: 7 })
 * // rejects with ValidationError: remember: body.importance: Expected a value less than or equal to 1, got 7
 * ```
 */
export class ValidationError extends MemoryLayerError {
  override readonly _tag = "ValidationError" as const
  /** Every broken rule, each naming its field. */
  readonly issues: ReadonlyArray<ValidationIssue>
  constructor(fields: MemoryLayerErrorFields & { readonly issues?: ReadonlyArray<ValidationIssue> }) {
    super(fields)
    this.issues = fields.issues ?? []
  }
}

/** 429: too many requests. `retryAfter` is the wait the server asked for, in milliseconds. */
export class RateLimitError extends MemoryLayerError {
  override readonly _tag = "RateLimitError" as const
  /** How long the server asked us to wait, in milliseconds, when it said. */
  readonly retryAfter: number | undefined
  constructor(fields: MemoryLayerErrorFields & { readonly retryAfter?: number | undefined }) {
    super(fields)
    this.retryAfter = fields.retryAfter
  }
}

/** 5xx: the server failed. `retryAfter` is set when a 503 carried `Retry-After`. */
export class ServerError extends MemoryLayerError {
  override readonly _tag = "ServerError" as const
  /** How long the server asked us to wait, in milliseconds, when it said. */
  readonly retryAfter: number | undefined
  constructor(fields: MemoryLayerErrorFields & { readonly retryAfter?: number | undefined }) {
    super(fields)
    this.retryAfter = fields.retryAfter
  }
}

/**
 * No HTTP answer: the connection failed, was reset, or the call timed out.
 * `requestSent` tells whether the request may have reached the server (then a
 * non-idempotent operation is not retried).
 */
export class ConnectionError extends MemoryLayerError {
  override readonly _tag = "ConnectionError" as const
  /** `true` when the request may have reached the server before the failure. */
  readonly requestSent: boolean
  /** `true` when the failure is the call's `timeout` running out. */
  readonly timedOut: boolean
  /** The underlying failure (never carries the API key). */
  override readonly cause: unknown
  constructor(fields: MemoryLayerErrorFields & { readonly requestSent: boolean; readonly timedOut?: boolean; readonly cause?: unknown }) {
    super(fields)
    this.requestSent = fields.requestSent
    this.timedOut = fields.timedOut ?? false
    this.cause = fields.cause
  }
}

/** The server answered, but not with what the contract promises (bad JSON, wrong shape). */
export class DecodeError extends MemoryLayerError {
  override readonly _tag = "DecodeError" as const
}

/** Any error this SDK raises. */
export type AnyMemoryLayerError =
  | AuthenticationError
  | AuthorizationError
  | NotFoundError
  | ConflictError
  | ValidationError
  | RateLimitError
  | ServerError
  | ConnectionError
  | DecodeError

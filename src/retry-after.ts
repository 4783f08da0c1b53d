/**
 * Reading how long a server asked us to wait.
 *
 * @module
 */

/**
 * Parses a `Retry-After` header value (delay-seconds or an HTTP date) into
 * milliseconds from `now`. Returns `undefined` when the value is absent or
 * unreadable; a date in the past gives 0.
 *
 * @example
 * ```ts
 * parseRetryAfter("2") // 2000
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:58 GMT")) // 2000
 * ```
 */
export const parseRetryAfter = (value: string | null | undefined, now: number = Date.now()): number | undefined => {
  if (value === null || value === undefined) return undefined
  const text = value.trim()
  if (text === "") return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  // An HTTP date starts with the day's name; anything else (e.g. "-1") is unreadable, not "now".
  if (!/^[A-Za-z]{3}/.test(text)) return undefined
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * Reads `retry_after` (seconds) from a 429 body such as `{"detail": "...", "retry_after": 3}`.
 */
export const retryAfterFromBody = (body: unknown, now: number = Date.now()): number | undefined => {
  if (typeof body !== "object" || body === null) return undefined
  const value = (body as { readonly retry_after?: unknown }).retry_after
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return Math.round(value * 1000)
  if (typeof value === "string") return parseRetryAfter(value, now)
  return undefined
}

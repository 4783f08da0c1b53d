/**
 * Keeping a failure without what it must not carry. A transport failure is
 * often an object that holds the outgoing request (ky's `NetworkError` does),
 * and the request holds its headers, the API key among them: logging the
 * failure, or an error or span that keeps it, would print the key.
 *
 * @module
 */

/** What stands in a message where the key was. */
const REDACTED = "<redacted>"

/** How many causes deep a copy goes; a deeper chain is cut there. */
const MAX_DEPTH = 4

/**
 * A plain `Error` with only the `name`, `code` and `message` of `error`, and
 * a copy of its `cause` made the same way. When `secret` is given, every
 * occurrence of it in a message is replaced. Anything else the original held
 * (the request, its headers, a socket) is left behind.
 *
 * @example
 * ```ts
 * const safe = scrubbed(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }))
 * safe.message // "fetch failed"
 * (safe.cause as { code: string }).code // "ECONNREFUSED"
 * ```
 */
export const scrubbed = (error: unknown, secret?: string, depth = 0): Error | undefined => {
  if (error === undefined || error === null || typeof error !== "object" || depth > MAX_DEPTH) return undefined
  const { name, message, code, cause } = error as { readonly name?: unknown; readonly message?: unknown; readonly code?: unknown; readonly cause?: unknown }
  const text = typeof message === "string" ? message : ""
  const copy = new Error(secret !== undefined && secret !== "" && text.includes(secret) ? text.replaceAll(secret, REDACTED) : text)
  const inner = scrubbed(cause, secret, depth + 1)
  if (inner !== undefined) copy.cause = inner
  if (typeof name === "string") copy.name = name
  if (typeof code === "string") Object.assign(copy, { code })
  return copy
}

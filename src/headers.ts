/**
 * What may be sent as an HTTP header value. A key, workspace or session id
 * that breaks these rules would make every later call fail inside `fetch`,
 * after the client was built; it is refused when it is given instead.
 *
 * @module
 */

/**
 * Why `value` cannot be a header value, or `undefined` when it can: no
 * control characters (CR, LF, NUL, ...), nothing beyond Latin-1, and no
 * spaces at either end (they would be dropped on the way).
 *
 * @example
 * ```ts
 * headerValueIssue("sess_1") // undefined
 * headerValueIssue("a\r\nX-Evil: 1") // "must not contain control characters (CR, LF, NUL, ...)"
 * ```
 */
export const headerValueIssue = (value: string): string | undefined => {
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return "must not contain control characters (CR, LF, NUL, ...)"
  if (/[^\u0000-\u00ff]/.test(value)) return "must contain only Latin-1 characters (it is sent as an HTTP header)"
  if (value.trim() !== value) return "must not start or end with spaces"
  return undefined
}

/**
 * A short, safe rendering of a value for an error message.
 *
 * @module
 */

/**
 * At most 60 characters of `value` as JSON; never throws (a BigInt, a cycle
 * or a value JSON cannot show is rendered by its kind instead).
 *
 * @example
 * ```ts
 * preview(7) // "7"
 * preview(10n) // "10n"
 * preview("x".repeat(100)) // "\"xxxx...xxx..."
 * ```
 */
export const preview = (value: unknown): string => {
  let text: string
  if (value === undefined) text = "undefined"
  else if (typeof value === "bigint") text = `${value}n`
  else if (typeof value === "function") text = "a function"
  else if (typeof value === "symbol") text = "a symbol"
  // A long string is cut before it is quoted: a 10 MB value costs no more than a short one.
  else if (typeof value === "string") text = JSON.stringify(value.length > 60 ? value.slice(0, 60) : value)
  else {
    try {
      text = JSON.stringify(value) ?? String(value)
    } catch {
      text = Array.isArray(value) ? "an array that cannot be shown as JSON" : "an object that cannot be shown as JSON"
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

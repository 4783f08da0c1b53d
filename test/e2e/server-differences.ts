/**
 * The `x-server-differences` extension of openapi.yaml: the known, deliberate
 * differences between our contract and the server's own /openapi.json.
 *
 * It is a list of `{ kind, name, reason }`. On an operation it explains that
 * operation; at the document root it explains a difference shared by every
 * operation (the headers the server reads without declaring them, say).
 *
 * ```yaml
 * x-server-differences:
 * - kind: request-field
 *   name: max_tokens
 *   reason: Sent by the documented client; the server ignores it.
 * ```
 */
import { arrayOr, isObject, stringOr } from "../support/openapi-document.ts"

/** What a difference is about. `name` says which one. */
export const DIFFERENCE_KINDS = [
  /** `METHOD /path` of the documented client that the server does not serve; the operation maps elsewhere. */
  "documented-route",
  /** Our method and path are not a route of the server. `name` is `METHOD /path`. */
  "route",
  "path-param",
  "query-param",
  /** A header parameter; `name` is the header name as written in the contract. */
  "header",
  /** Whether there is a request body, or whether it is required. `name` is `body`. */
  "request-body",
  /** A request body field; `name` is its dotted path (`relations[].type`, `operations[op=create].content`). */
  "request-field",
  /** The success status; `name` is ours. */
  "status",
  /** Whether the success response has a JSON body. `name` is `body`. */
  "response-body",
  /** A success response field; `name` is its dotted path (`memory.embedding`, `memories[].id`). */
  "response-field"
] as const

/** One of {@link DIFFERENCE_KINDS}. */
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number]

/** One explained difference. */
export interface ServerDifference {
  readonly kind: DifferenceKind
  readonly name: string
  readonly reason: string
}

const isKind = (value: unknown): value is DifferenceKind =>
  typeof value === "string" && (DIFFERENCE_KINDS as ReadonlyArray<string>).includes(value)

/**
 * Reads and checks an `x-server-differences` value. Throws on anything that
 * is not a list of `{ kind, name, reason }` with a known kind and non-empty
 * strings, so that a typo cannot silently explain nothing.
 */
export const readServerDifferences = (value: unknown, where: string): ReadonlyArray<ServerDifference> => {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new Error(`${where}: x-server-differences must be a list`)
  return arrayOr(value).map((entry, index) => {
    const at = `${where}: x-server-differences[${index}]`
    if (!isObject(entry)) throw new Error(`${at} must be an object`)
    const extra = Object.keys(entry).filter((key) => !["kind", "name", "reason"].includes(key))
    if (extra.length > 0) throw new Error(`${at} has unknown keys ${extra.join(", ")}`)
    const { kind, name, reason } = entry
    if (!isKind(kind)) throw new Error(`${at}.kind must be one of ${DIFFERENCE_KINDS.join(", ")}`)
    const nameText = stringOr(name)
    const reasonText = stringOr(reason)
    if (nameText === undefined || nameText.trim() === "") throw new Error(`${at}.name must be a non-empty string`)
    if (reasonText === undefined || reasonText.trim() === "") throw new Error(`${at}.reason must be a non-empty string`)
    return { kind, name: nameText, reason: reasonText }
  })
}

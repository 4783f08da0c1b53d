/**
 * Read-only access to a parsed OpenAPI document: narrowing of unknown JSON
 * values and `$ref` resolution. Shared by the drift comparison for both
 * documents (ours from YAML, the server's from its /openapi.json).
 */

/** A JSON object whose values have not been narrowed yet. */
export type JsonObject = { readonly [key: string]: unknown }

/** True when `value` is a JSON object (not null, not an array). */
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** `value` when it is a JSON object, else an empty object. */
export const objectOr = (value: unknown): JsonObject => (isObject(value) ? value : {})

/** The elements of `value` when it is an array, else none. */
export const arrayOr = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])

/** `value` when it is a string, else `undefined`. */
export const stringOr = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

/**
 * Follows a local `$ref` (`#/components/...`) until it reaches a value that is
 * not a reference. Throws on a dangling or non-local reference, because a
 * comparison that silently skipped it would hide drift.
 */
export const resolveRef = (document: JsonObject, value: unknown): JsonObject => {
  let current = objectOr(value)
  for (let hops = 0; typeof current["$ref"] === "string"; hops++) {
    const ref = current["$ref"]
    if (!ref.startsWith("#/") || hops > 32) throw new Error(`cannot resolve $ref ${ref}`)
    const target = ref
      .slice(2)
      .split("/")
      .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<unknown>((node, key) => objectOr(node)[key], document)
    if (!isObject(target)) throw new Error(`$ref ${ref} points at nothing`)
    current = target
  }
  return current
}

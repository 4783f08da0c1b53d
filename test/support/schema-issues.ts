/**
 * Decoding with the generated Effect Schemas the way the SDK does, and listing
 * what was wrong in a form tests can assert on.
 *
 * @module
 */
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as Schemas from "../../generated/schemas.gen.ts"

/** A schema that decodes without services, as every generated one does. */
export type Decoder = Schema.ConstraintDecoder<unknown>

/** Parse options of the SDK's input validation: unknown fields are errors, and every broken rule is reported. */
export const strict = { onExcessProperty: "error", errors: "all" } as const

/** One broken rule: `path` is dotted (`"body.importance"`, `"body.operations.0"`), `""` for the root. */
export interface Issue {
  readonly path: string
  readonly message: string
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const segment = (key: PropertyKey | { readonly key: PropertyKey }): string =>
  String(typeof key === "object" ? key.key : key)

/**
 * Decodes `input` with `schema` under {@link strict} options and returns every
 * issue, or `[]` when it decodes.
 *
 * @example
 * ```ts
 * issuesOf(RememberInput, { body: { content: "x", importance: 1.5 } })
 * // [{ path: "body.importance", message: "Expected a value less than or equal to 1" }]
 * ```
 */
export const issuesOf = (schema: Decoder, input: unknown): ReadonlyArray<Issue> => {
  const exit = Schema.decodeUnknownExit(schema, strict)(input)
  if (Exit.isSuccess(exit)) return []
  const error = exit.cause.reasons.find((reason) => reason._tag === "Fail")?.error
  if (error === undefined) throw new Error("decoding died instead of failing", { cause: exit.cause })
  return formatter(error.issue).issues.map((issue) => ({
    path: (issue.path ?? []).map(segment).join("."),
    message: issue.message
  }))
}

const generated: ReadonlyMap<string, Decoder> = new Map(
  Object.entries(Schemas).flatMap(([name, value]): Array<[string, Decoder]> => (Schema.isSchema(value) ? [[name, value]] : []))
)

/**
 * The generated schema exported from schemas.gen.ts under `name` (the
 * component's name in openapi.yaml), or `undefined`.
 *
 * @example
 * ```ts
 * generatedSchema("Memory") === Memory // true
 * ```
 */
export const generatedSchema = (name: string): Decoder | undefined => generated.get(name)

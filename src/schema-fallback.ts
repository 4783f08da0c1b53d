/**
 * The slow path, loaded only when a fast checker says no: the generated
 * Effect Schemas decide, and word every broken rule. A request they refuse
 * is a `ValidationError`; an answer they refuse is a `DecodeError`; an answer
 * they accept (a newer server's extra field, say) comes back decoded, with
 * the unknown fields stripped.
 *
 * This module and effect/Schema stay out of the import path and the first
 * bundle chunk: a client whose calls all pass never loads them.
 *
 * @module
 */
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type { OperationId } from "../generated/operations.gen.ts"
import { operationSchemas } from "../generated/schemas.gen.ts"
import type { ValidationIssue } from "./errors.ts"
import { unreadable } from "./request-values.ts"
import { preview } from "./preview.ts"

/** A decoded value, or the rules it broke. */
export type Decoded = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly issues: ReadonlyArray<ValidationIssue> }

type Decoder = (input: unknown, options?: typeof VALIDATE) => Exit.Exit<unknown, Schema.SchemaError>

const formatIssue = SchemaIssue.makeFormatterStandardSchemaV1()
const VALIDATE = { errors: "all", onExcessProperty: "error" } as const
const decoders = new Map<string, Decoder>()

/** The decoder of operation `id`'s input or answer, built on first use. */
const decoderOf = (id: OperationId, which: "input" | "output" | "record"): Decoder | undefined => {
  const key = `${id} ${which}`
  let decoder = decoders.get(key)
  if (decoder === undefined) {
    const schema = operationSchemas[id][which] as Schema.Decoder<unknown> | undefined
    if (schema === undefined) return undefined
    decoder = Schema.decodeUnknownExit(schema) as Decoder
    decoders.set(key, decoder)
  }
  return decoder
}

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined), input)

const issuesOf = (error: Schema.SchemaError, input: unknown): Array<ValidationIssue> =>
  formatIssue(error.issue).issues.map((issue) => {
    const keys = (issue.path ?? []).map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p)) as Array<PropertyKey>
    const got = valueAt(input, keys)
    // A symbol key (which JSON cannot carry) is named by its description: `Symbol(trace)`.
    const path = keys.map((key) => (typeof key === "symbol" ? key.toString() : key)) as Array<string | number>
    const message = issue.message === "Missing key" || got === undefined ? issue.message : `${issue.message}, got ${preview(got)}`
    return { path, message }
  })

const decode = (decoder: Decoder, value: unknown, options?: typeof VALIDATE): Decoded => {
  const exit = decoder(value, options)
  if (Exit.isSuccess(exit)) return { ok: true, value: exit.value }
  const error = Exit.findErrorOption(exit)
  if (error._tag === "Some") return { ok: false, issues: issuesOf(error.value, value) }
  // The Schema could not read the value at all: a getter or a Proxy's trap of the caller's arguments threw (parsed
  // JSON has neither). That is the issue, in words.
  return { ok: false, issues: [unreadable(Cause.squash(exit.cause))] }
}

/** Validates what a caller supplies to operation `id`: every rule, and no unknown field. */
export const validateInput = (id: OperationId, input: unknown): Decoded =>
  decode(decoderOf(id, "input") as Decoder, input, VALIDATE)

/** Decodes operation `id`'s answer (unknown fields are stripped, not refused). */
export const decodeOutput = (id: OperationId, data: unknown): Decoded => {
  const decoder = decoderOf(id, "output")
  return decoder === undefined ? { ok: true, value: undefined } : decode(decoder, data)
}

/** Decodes one line of operation `id`'s NDJSON answer (unknown fields are stripped, not refused). */
export const decodeRecord = (id: OperationId, line: unknown): Decoded => {
  const decoder = decoderOf(id, "record")
  return decoder === undefined ? { ok: true, value: line } : decode(decoder, line)
}

/**
 * Where `value` (a caller's JSON body, which its Schema accepted) holds an
 * object JSON would not send as it is: anything but a plain object or an
 * array (a `Map` or a `Set` is sent as `{}`, a class instance loses its
 * prototype's getters).
 *
 * @example
 * ```ts
 * notPlain({ metadata: new Map([["a", 1]]) }, ["body"])
 * // [{ path: ["body", "metadata"], message: "must be a plain object or an array, not a Map: JSON would not send it as it is" }]
 * ```
 */
export const notPlain = (value: unknown, path: ReadonlyArray<string | number>, seen = new Set<object>()): Array<ValidationIssue> => {
  if (typeof value !== "object" || value === null || seen.has(value)) return []
  seen.add(value)
  if (Array.isArray(value)) return value.flatMap((item, i) => notPlain(item, [...path, i], seen))
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { readonly constructor?: { readonly name?: unknown } }).constructor?.name
    return [{ path, message: `must be a plain object or an array, not ${typeof name === "string" && name !== "" ? `a ${name}` : "an object of a class"}: JSON would not send it as it is` }]
  }
  return Object.keys(value).flatMap((key) => notPlain((value as Record<string, unknown>)[key], [...path, key], seen))
}

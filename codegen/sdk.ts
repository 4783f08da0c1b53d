/**
 * Reads the `x-sdk` extension of each operation into the model the method
 * layer is generated from: the method's name and place, its positional
 * parameters and options (each tied to a wire field: a path or query
 * parameter, or a property of the JSON body), what it sends by default, and
 * what it returns. The extension is documented in README.md ("The x-sdk
 * extension"); every key is checked here, so a typo fails codegen.
 */
import { type JsonObject, type Operation, pascal, resolveRef, type Spec } from "./spec.ts"

/** Where a wire field travels. */
export type Location = "path" | "query" | "body"

/** A field of the request as the server reads it. */
export interface WireField {
  readonly location: Location
  /** The server's name, e.g. `memory_id`. */
  readonly name: string
  readonly schema: JsonObject
  readonly required: boolean
  readonly description: string | undefined
}

/** A positional parameter of a method. */
export interface Param {
  /** The TypeScript name, e.g. `memoryId`. */
  readonly name: string
  readonly optional: boolean
  /** The wire field it fills, or `undefined` for a client-side parameter read by a hook. */
  readonly field: WireField | undefined
  /** The schema of a client-side parameter. */
  readonly schema: JsonObject
  readonly description: string | undefined
}

/** An option of a method's options object. */
export interface Option {
  /** The camelCase name, e.g. `minRelevance`. */
  readonly name: string
  /** The wire field it fills, or `undefined` for a client option read by a hook or the runner. */
  readonly field: WireField | undefined
  readonly schema: JsonObject
  readonly description: string | undefined
  /** Another name of an option that fills the same field (`spaceId` for `contextId`). */
  readonly aliasOf: string | undefined
}

/** Everything the method layer knows about one operation. */
export interface Method {
  readonly operation: Operation
  /** `client.<namespace>.<name>()`, or flat when `undefined`. */
  readonly namespace: string | undefined
  readonly name: string
  /** Other flat names of the same method. */
  readonly aliases: ReadonlyArray<string>
  readonly params: ReadonlyArray<Param>
  readonly options: ReadonlyArray<Option>
  /** The option that may be given positionally after `params`. */
  readonly positional: Option | undefined
  /** Wire values sent when the caller gives none, by location. */
  readonly send: Readonly<Partial<Record<Location, JsonObject>>>
  readonly unwrap: string | undefined
  readonly result: "true" | "void" | undefined
  readonly session: "set" | "clear" | undefined
  readonly hook: string | undefined
  /** The schema of what the method resolves with (after `unwrap`), `undefined` for no body. */
  readonly resultSchema: JsonObject | undefined
  readonly summary: string
  readonly description: string | undefined
}

const KEYS = new Set(["namespace", "method", "aliases", "params", "positional", "rename", "omit", "send", "unwrap", "result", "session", "hook", "clientOptions"])

/** `min_relevance` -> `minRelevance`. */
export const camel = (name: string): string => name.replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase())

const fail = (operation: Operation, message: string): never => {
  throw new Error(`openapi.yaml: ${operation.operationId} x-sdk: ${message}`)
}

const asStrings = (operation: Operation, value: unknown, what: string): ReadonlyArray<string> => {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return fail(operation, `${what} must be a list of names`)
  return value
}

/** The object schema of a JSON body (a `$ref`, an inline object, or either or null). */
const bodyObject = (spec: Spec, operation: Operation): JsonObject | undefined => {
  const schema = operation.requestBody?.schema
  if (schema === undefined) return undefined
  const anyOf = schema["anyOf"]
  const candidate = Array.isArray(anyOf)
    ? (anyOf as Array<JsonObject>).find((member) => member["type"] !== "null")
    : schema
  return candidate === undefined ? undefined : resolveRef(spec.document, candidate)
}

/** Every wire field of the operation a caller can fill, in contract order. */
export const wireFields = (spec: Spec, operation: Operation): ReadonlyArray<WireField> => {
  const fields: Array<WireField> = []
  for (const p of operation.parameters) {
    if (p.in !== "path" && p.in !== "query") continue
    fields.push({ location: p.in, name: p.name, schema: p.schema, required: p.required === true, description: p.description ?? descriptionOf(spec, p.schema) })
  }
  const body = bodyObject(spec, operation)
  if (body !== undefined) {
    const required = new Set((body["required"] as Array<string> | undefined) ?? [])
    for (const [name, schema] of Object.entries((body["properties"] as Record<string, JsonObject> | undefined) ?? {})) {
      fields.push({ location: "body", name, schema, required: required.has(name), description: descriptionOf(spec, schema) })
    }
  }
  return fields
}

/** A schema's description, or that of the schema it refers to. */
export const descriptionOf = (spec: Spec, schema: JsonObject): string | undefined => {
  if (typeof schema["description"] === "string") return schema["description"]
  const ref = schema["$ref"]
  if (typeof ref === "string") return descriptionOf(spec, resolveRef(spec.document, schema))
  return undefined
}

const readParam = (spec: Spec, operation: Operation, fields: ReadonlyArray<WireField>, raw: unknown): Param => {
  const entry = typeof raw === "string" ? { field: raw } : raw
  if (typeof entry !== "object" || entry === null) return fail(operation, "params entries are names or objects")
  const { name, field: fieldName, client, optional, schema, description } = entry as Record<string, unknown>
  if (client === true) {
    if (typeof name !== "string" || typeof schema !== "object" || schema === null) return fail(operation, "a client param needs name and schema")
    return { name, optional: optional === true, field: undefined, schema: schema as JsonObject, description: typeof description === "string" ? description : undefined }
  }
  const field = fields.find((f) => f.name === fieldName)
  if (field === undefined) return fail(operation, `param ${String(fieldName)} is not a path, query or body field`)
  return {
    name: typeof name === "string" ? name : camel(field.name),
    optional: optional === true || !field.required,
    field,
    schema: field.schema,
    description: field.description
  }
}

/** The schema of the answer's field `unwrap`, or the whole answer's schema. */
const resultSchemaOf = (spec: Spec, operation: Operation, unwrap: string | undefined): JsonObject | undefined => {
  const success = operation.successSchema
  if (success === undefined || unwrap === undefined) return success
  const object = resolveRef(spec.document, success)
  const property = (object["properties"] as Record<string, JsonObject> | undefined)?.[unwrap]
  return property ?? fail(operation, `unwrap: the answer has no field ${unwrap}`)
}

/** Reads the method of one operation. */
export const readMethod = (spec: Spec, operation: Operation): Method => {
  const raw = operation.sdk
  if (raw === undefined) return fail(operation, "missing (every operation needs an x-sdk block, even `x-sdk: {}`)")
  for (const key of Object.keys(raw)) if (!KEYS.has(key)) fail(operation, `unknown key ${key}`)
  const namespace = raw["namespace"] as string | undefined
  const name = (raw["method"] as string | undefined) ?? operation.operationId
  if (namespace !== undefined && operation.operationId !== `${namespace}${pascal(name)}`) {
    fail(operation, `a namespaced operationId must be ${namespace}${pascal(name)}`)
  }
  if (namespace === undefined && raw["method"] !== undefined) fail(operation, "method is only for namespaced operations")
  const fields = wireFields(spec, operation)
  const params = ((raw["params"] as Array<unknown> | undefined) ?? []).map((p) => readParam(spec, operation, fields, p))
  const taken = new Set(params.flatMap((p) => (p.field === undefined ? [] : [p.field.name])))
  const omit = new Set(asStrings(operation, raw["omit"], "omit"))
  for (const o of omit) if (!fields.some((f) => f.name === o)) fail(operation, `omit: ${o} is not a field`)
  const options: Array<Option> = fields
    .filter((f) => !taken.has(f.name) && !omit.has(f.name))
    .map((f) => ({ name: camel(f.name), field: f, schema: f.schema, description: f.description, aliasOf: undefined }))
  for (const [alias, target] of Object.entries((raw["rename"] as Record<string, string> | undefined) ?? {})) {
    const of = options.find((o) => o.field?.name === target)
    if (of === undefined) fail(operation, `rename: ${target} is not an option`)
    else options.push({ ...of, name: alias, aliasOf: of.name })
  }
  for (const [optionName, rawOption] of Object.entries((raw["clientOptions"] as Record<string, JsonObject> | undefined) ?? {})) {
    const schema = rawOption["schema"]
    if (typeof schema !== "object" || schema === null) fail(operation, `clientOptions.${optionName} needs a schema`)
    options.push({ name: optionName, field: undefined, schema: schema as JsonObject, description: rawOption["description"] as string | undefined, aliasOf: undefined })
  }
  if (raw["session"] === "set") {
    options.push({
      name: "autoSetSession",
      field: undefined,
      schema: { type: "boolean", default: true },
      description: "Make the new session the active one, sent as `X-Session-ID` on every later call of this client. Default `true`.",
      aliasOf: undefined
    })
  }
  const names = new Set<string>()
  for (const o of options) {
    if (names.has(o.name)) fail(operation, `two options are named ${o.name}`)
    names.add(o.name)
  }
  const positionalName = raw["positional"] as string | undefined
  const positional = positionalName === undefined
    ? undefined
    : options.find((o) => o.field?.name === positionalName || (o.field === undefined && o.name === positionalName)) ??
      fail(operation, `positional: ${positionalName} is not an option`)
  const send: Partial<Record<Location, JsonObject>> = {}
  for (const [fieldName, value] of Object.entries((raw["send"] as JsonObject | undefined) ?? {})) {
    const field = fields.find((f) => f.name === fieldName) ?? fail(operation, `send: ${fieldName} is not a field`)
    send[field.location] = { ...send[field.location], [fieldName]: value }
  }
  const unwrap = raw["unwrap"] as string | undefined
  const result = raw["result"] === true ? "true" : raw["result"] === "void" ? "void" : raw["result"] === undefined ? undefined : fail(operation, "result is true or void")
  const session = raw["session"] as "set" | "clear" | undefined
  if (session !== undefined && session !== "set" && session !== "clear") fail(operation, "session is set or clear")
  return {
    operation,
    namespace,
    name,
    aliases: asStrings(operation, raw["aliases"], "aliases"),
    params,
    options,
    positional,
    send,
    unwrap,
    result,
    session,
    hook: raw["hook"] as string | undefined,
    resultSchema: result === undefined ? resultSchemaOf(spec, operation, unwrap) : undefined,
    summary: operation.summary,
    description: operation.description
  }
}

/** Every method of the contract, in contract order. */
export const readMethods = (spec: Spec): ReadonlyArray<Method> => spec.operations.map((operation) => readMethod(spec, operation))

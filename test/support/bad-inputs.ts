/**
 * The bad-input matrix, generated from the contract: for every method of the
 * methods table, every field it can reach (a positional parameter or an
 * option, down into nested objects and list items) is given values its
 * schema in openapi.yaml refuses (wrong types, out-of-range numbers, blanks,
 * unknown enum members, too long strings and lists, values JSON cannot
 * carry) and hostile ones (BigInt, a cycle, a 10 MB string); every method's
 * options object is given unknown and inherited names. So the matrix grows
 * with the contract.
 *
 * Each case says what the SDK must do: `refuse` (a `ValidationError`, nothing
 * sent) or `either` (refuse, or send it: the contract allows the value).
 *
 * @module
 */
import type { MethodKey } from "../../generated/operations.gen.ts"
import { methods, operations } from "./tables.ts"
import { optionTargets } from "../../src/bind.ts"
import { contract, type ContractObject, resolveRef } from "./contract.ts"
import { isObject } from "./openapi-document.ts"

/** What the SDK must do with a case. */
export type Verdict = "refuse" | "either"

/** One call of one method. */
export interface BadInputCase {
  /** What is wrong, e.g. `body.importance = 2 (above maximum 1)`. */
  readonly label: string
  readonly args: ReadonlyArray<unknown>
  readonly verdict: Verdict
}

type Schema = ContractObject
type Param = readonly [name: string, location: string, wire: string]
type Row = {
  readonly operationId: keyof typeof operations
  readonly params: ReadonlyArray<Param>
  readonly positional?: string
  readonly upload?: { readonly part: string }
}

/** The options of method `key`: name -> `location.wire`, or `client`. */
const optionsOf = (key: MethodKey): ReadonlyMap<string, string> => optionTargets(methods[key])

const TEN_MB = "x".repeat(10 * 1024 * 1024)

/**
 * Valid values of the client-side parameters that need one: they are read
 * by a hook, not sent as they are, so the contract has no schema for them.
 */
const CLIENT_PARAMS: Readonly<Record<string, unknown>> = { records: [] }

/** A value that refers to itself. */
const cycle = (): Record<string, unknown> => {
  const value: Record<string, unknown> = { a: 1 }
  value["self"] = value
  return value
}

const METHODS = ["get", "put", "post", "delete", "patch"] as const

/** The raw operation object of `operationId` in openapi.yaml. */
const rawOperation = (operationId: string): Schema => {
  for (const item of Object.values(contract["paths"] as Record<string, Schema>)) {
    for (const method of METHODS) {
      const operation = item[method]
      if (isObject(operation) && operation["operationId"] === operationId) return operation
    }
  }
  throw new Error(`openapi.yaml has no operation ${operationId}`)
}

/** The schema of parameter `name` in `location` of `operation`. */
const parameterSchema = (operation: Schema, location: string, name: string): Schema | undefined => {
  for (const raw of (operation["parameters"] as ReadonlyArray<unknown> | undefined) ?? []) {
    const parameter = resolveRef(raw)
    if (parameter["in"] === location && parameter["name"] === name) return resolveRef(parameter["schema"])
  }
  return undefined
}

/** The request body's schema, resolved. */
const bodySchema = (operation: Schema): Schema | undefined => {
  const body = operation["requestBody"]
  if (body === undefined) return undefined
  const content = resolveRef(body)["content"] as Record<string, Schema>
  const media = content["application/json"] ?? content["multipart/form-data"]
  return media === undefined ? undefined : resolveRef(media["schema"])
}

/** The members of a union (anyOf/oneOf), each resolved; a plain schema is its own only member. */
const members = (schema: Schema): ReadonlyArray<Schema> => {
  const union = (schema["anyOf"] ?? schema["oneOf"]) as ReadonlyArray<unknown> | undefined
  return union === undefined ? [schema] : union.flatMap((member) => members(resolveRef(member)))
}

const typeOf = (schema: Schema): string => {
  if (schema["const"] !== undefined || schema["enum"] !== undefined) return "literal"
  const type = schema["type"]
  if (typeof type === "string") return type
  if (isObject(schema["properties"])) return "object"
  return "any"
}

/** The JSON types a schema accepts (`number` includes `integer`). */
const acceptedTypes = (schema: Schema): ReadonlySet<string> => {
  const types = new Set<string>()
  for (const member of members(schema)) {
    const type = typeOf(member)
    if (type === "literal") {
      for (const value of (member["enum"] as ReadonlyArray<unknown> | undefined) ?? [member["const"]]) types.add(value === null ? "null" : typeof value)
    } else {
      types.add(type === "integer" ? "number" : type)
    }
  }
  return types
}

const jsonType = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value)

/** A string that matches `schema`'s pattern and length rules. */
const validString = (schema: Schema): string => {
  const min = (schema["minLength"] as number | undefined) ?? 0
  const pattern = typeof schema["pattern"] === "string" ? new RegExp(schema["pattern"], "u") : undefined
  const format = schema["format"]
  if (format === "date-time") return "2026-01-01T00:00:00Z"
  for (const candidate of ["x", "abc", "a".repeat(64), "x".repeat(Math.max(1, min))]) {
    const value = candidate.length >= min ? candidate : candidate.repeat(Math.ceil(min / candidate.length))
    if (pattern === undefined || pattern.test(value)) return value
  }
  throw new Error(`no valid string for pattern ${String(schema["pattern"])}`)
}

/** A valid value of `schema`: the smallest the rules allow. */
export const validValue = (schema: Schema, depth = 0): unknown => {
  const member = members(schema).find((m) => m["type"] !== "null") ?? members(schema)[0] ?? {}
  if (member["const"] !== undefined) return member["const"]
  if (Array.isArray(member["enum"])) return member["enum"][0]
  if (member["default"] !== undefined && depth > 0) return member["default"]
  switch (typeOf(member)) {
    case "string":
      return member["format"] === "binary" ? new Blob(["x"]) : validString(member)
    case "integer": {
      const min = member["minimum"] as number | undefined
      return min ?? Math.min(1, (member["maximum"] as number | undefined) ?? 1)
    }
    case "number": {
      const min = member["minimum"] as number | undefined
      const max = member["maximum"] as number | undefined
      return min !== undefined && max !== undefined ? (min + max) / 2 : min ?? (max === undefined ? 0.5 : Math.min(0.5, max))
    }
    case "boolean":
      return true
    case "array": {
      const min = (member["minItems"] as number | undefined) ?? 0
      return Array.from({ length: min }, (_, i) => {
        const item = validValue(resolveRef(member["items"]), depth + 1)
        return typeof item === "string" && min > 1 ? `${item}${i}` : item
      })
    }
    case "object": {
      const properties = (member["properties"] as Record<string, unknown> | undefined) ?? {}
      const required = (member["required"] as ReadonlyArray<string> | undefined) ?? []
      const value: Record<string, unknown> = {}
      for (const name of required) value[name] = validValue(resolveRef(properties[name]), depth + 1)
      const minProperties = (member["minProperties"] as number | undefined) ?? 0
      for (const name of Object.keys(properties)) {
        if (Object.keys(value).length >= minProperties) break
        value[name] = validValue(resolveRef(properties[name]), depth + 1)
      }
      return value
    }
    default:
      return {}
  }
}

/** A wrong value and why it is wrong. */
interface Variant {
  readonly what: string
  readonly value: unknown
  readonly verdict: Verdict
}

const WRONG_TYPES: ReadonlyArray<readonly [string, unknown]> = [
  ["a number", 42],
  ["a string", "text"],
  ["a boolean", true],
  ["an object", {}],
  ["a list", []],
  ["null", null]
]

/** The values every field is given, whatever its schema. */
const hostile = (schema: Schema): Array<Variant> => {
  const types = acceptedTypes(schema)
  const maxLengths = members(schema).map((m) => m["maxLength"] as number | undefined)
  const longStringAllowed = types.has("string") && members(schema).some((m, i) => typeOf(m) === "string" && maxLengths[i] === undefined && m["format"] !== "binary")
  return [
    { what: "a BigInt", value: 1n, verdict: "refuse" },
    { what: "an object that refers to itself", value: cycle(), verdict: "refuse" },
    { what: "a function", value: () => 1, verdict: "refuse" },
    { what: "a 10 MB string", value: TEN_MB, verdict: longStringAllowed || types.has("any") ? "either" : "refuse" }
  ]
}

/** Values of the wrong JSON type for `schema`. */
const wrongTypes = (schema: Schema): Array<Variant> => {
  const types = acceptedTypes(schema)
  if (types.has("any")) return [{ what: "NaN", value: Number.NaN, verdict: "refuse" }]
  return WRONG_TYPES.flatMap(([what, value]): Array<Variant> => {
    const type = jsonType(value)
    if (types.has(type)) return []
    // A string is wrong for an enum of strings only when it is no member: that is its own case.
    if (type === "string" && members(schema).some((m) => typeOf(m) === "literal")) return []
    return [{ what, value, verdict: "refuse" }]
  })
}

/** Values of the right type that break one of `schema`'s rules. */
const brokenRules = (schema: Schema, location: string): Array<Variant> => {
  const variants: Array<Variant> = []
  const nonNull = members(schema).filter((m) => m["type"] !== "null")
  const only = nonNull.length === 1 ? nonNull[0] : undefined
  if (nonNull.some((m) => typeOf(m) === "literal")) variants.push({ what: "an unknown enum member", value: "not_a_member", verdict: "refuse" })
  if (only === undefined) return variants
  const type = typeOf(only)
  if (type === "string" && only["format"] !== "binary") {
    const min = only["minLength"] as number | undefined
    const max = only["maxLength"] as number | undefined
    const pattern = typeof only["pattern"] === "string" ? new RegExp(only["pattern"], "u") : undefined
    if (min !== undefined && min >= 1) variants.push({ what: "an empty string", value: "", verdict: "refuse" })
    if (pattern !== undefined && !pattern.test("   ")) variants.push({ what: "a blank string", value: "   ", verdict: "refuse" })
    if (max !== undefined) variants.push({ what: `a string of ${max + 1} characters`, value: validString(only).padEnd(max + 1, "x"), verdict: "refuse" })
    if (location === "path") {
      variants.push({ what: "\".\"", value: ".", verdict: "refuse" }, { what: "\"..\"", value: "..", verdict: "refuse" }, { what: "a lone surrogate", value: "id\uD800", verdict: "refuse" })
    }
    if (location === "query") variants.push({ what: "a lone surrogate", value: "q\uDC00", verdict: "refuse" })
    if (location === "header") {
      variants.push({ what: "CR LF", value: "v\r\nX-Injected: 1", verdict: "refuse" }, { what: "a character beyond Latin-1", value: "v\u2603", verdict: "refuse" })
    }
  }
  if (type === "integer" || type === "number") {
    const min = only["minimum"] as number | undefined
    const max = only["maximum"] as number | undefined
    if (min !== undefined) variants.push({ what: `${min - 1} (under the minimum ${min})`, value: min - 1, verdict: "refuse" })
    if (max !== undefined) variants.push({ what: `${max + 1} (over the maximum ${max})`, value: max + 1, verdict: "refuse" })
    if (type === "integer") variants.push({ what: "a fraction", value: (min ?? 0) + 0.5, verdict: "refuse" })
    variants.push({ what: "Infinity", value: Number.POSITIVE_INFINITY, verdict: "refuse" }, { what: "NaN", value: Number.NaN, verdict: "refuse" })
  }
  if (type === "array") {
    const item = resolveRef(only["items"])
    const max = only["maxItems"] as number | undefined
    const min = only["minItems"] as number | undefined
    const wrongItem = wrongTypes(item)[0]
    if (wrongItem !== undefined) variants.push({ what: `a list holding ${wrongItem.what}`, value: [wrongItem.value], verdict: "refuse" })
    if (min !== undefined && min >= 1) variants.push({ what: "an empty list", value: [], verdict: "refuse" })
    if (max !== undefined) {
      const good = validValue(item, 1)
      variants.push({ what: `a list of ${max + 1} items`, value: Array.from({ length: max + 1 }, (_, i) => (typeof good === "string" ? `${good}${i}` : good)), verdict: "refuse" })
    }
  }
  if (type === "object" && only["additionalProperties"] === false) {
    variants.push({ what: "an unknown field", value: { ...(validValue(only, 1) as object), zz_unknown_field: 1 }, verdict: "refuse" })
  }
  return variants
}

/** Every variant of `schema` at `path`, nested fields included (inside objects and first list items). */
const variantsOf = (schema: Schema, location: string, path: string, depth: number): Array<Variant & { readonly path: string; readonly wrap: (value: unknown) => unknown }> => {
  const own = [...wrongTypes(schema), ...brokenRules(schema, location), ...hostile(schema)].map((v) => ({ ...v, path, wrap: (value: unknown) => value }))
  if (depth >= 3) return own
  const nested: Array<Variant & { readonly path: string; readonly wrap: (value: unknown) => unknown }> = []
  const objectMembers = members(schema).filter((m) => typeOf(m) === "object" && isObject(m["properties"]))
  for (const member of objectMembers) {
    const base = validValue(member, 1) as Record<string, unknown>
    for (const [name, raw] of Object.entries(member["properties"] as Record<string, unknown>)) {
      for (const inner of variantsOf(resolveRef(raw), "body", `${path}.${name}`, depth + 1)) {
        nested.push({ ...inner, wrap: (value) => ({ ...base, [name]: inner.wrap(value) }) })
      }
    }
  }
  const arrayMember = members(schema).find((m) => typeOf(m) === "array")
  if (arrayMember !== undefined) {
    for (const inner of variantsOf(resolveRef(arrayMember["items"]), "body", `${path}[0]`, depth + 1)) {
      if (inner.path === `${path}[0]`) continue
      nested.push({ ...inner, wrap: (value) => [inner.wrap(value)] })
    }
  }
  return [...own, ...nested]
}

/** Where option `name` of method `key` goes: `[location, wire name]`. */
const target = (key: MethodKey, name: string): readonly [string, string] | undefined => {
  const option = optionsOf(key).get(name)
  if (option === undefined || option === "client") return undefined
  const dot = option.indexOf(".")
  return [option.slice(0, dot), option.slice(dot + 1)]
}

/** The schema of the field at `location`/`wire` of operation `operation`. */
const fieldSchema = (operation: Schema, location: string, wire: string): Schema | undefined => {
  if (location !== "body") return parameterSchema(operation, location, wire)
  const body = bodySchema(operation)
  const property = body === undefined ? undefined : (body["properties"] as Record<string, unknown> | undefined)?.[wire]
  return property === undefined ? undefined : resolveRef(property)
}

/** The fields a method can set, each with how it is given (positional index or option name). */
const fieldsOf = (key: MethodKey): Array<{ readonly via: number | string; readonly location: string; readonly wire: string; readonly schema: Schema; readonly required: boolean }> => {
  const row = methods[key] as unknown as Row
  const operation = rawOperation(row.operationId)
  const body = bodySchema(operation)
  const requiredBody = new Set((body?.["required"] as ReadonlyArray<string> | undefined) ?? [])
  const fields: ReturnType<typeof fieldsOf> = []
  row.params.forEach(([, location, wire], index) => {
    const schema = location === "client" ? undefined : fieldSchema(operation, location, wire)
    if (schema !== undefined) fields.push({ via: index, location, wire, schema, required: true })
  })
  for (const name of optionsOf(key).keys()) {
    const where = target(key, name)
    if (where === undefined) continue
    const [location, wire] = where
    // An option that only renames another (spaceId for contextId) sets the same field: one of them is enough.
    if (fields.some((f) => f.location === location && f.wire === wire)) continue
    const schema = fieldSchema(operation, location, wire)
    if (schema !== undefined) fields.push({ via: name, location, wire, schema, required: location === "body" && requiredBody.has(wire) })
  }
  return fields
}

/** The arguments of a valid call of method `key`, with `options` (and `override` applied to one field). */
const argsOf = (key: MethodKey, options: Record<string, unknown> | undefined, override?: { readonly via: number | string; readonly value: unknown }): Array<unknown> => {
  const row = methods[key] as unknown as Row
  const base: Record<string, unknown> = {}
  const args: Array<unknown> = []
  const fields = fieldsOf(key)
  // A required field that only an option sets is given, unless the method's hook fills it in.
  const hooked = "hook" in methods[key]
  for (const field of fields) {
    if (typeof field.via === "number") args[field.via] = validValue(field.schema)
    else if (field.required && !hooked) base[field.via] = validValue(field.schema)
  }
  // A body that must have some fields (minProperties) gets its first optional ones.
  const minProperties = (bodySchema(rawOperation(row.operationId))?.["minProperties"] as number | undefined) ?? 0
  for (const field of fields) {
    if (fields.filter((f) => f.location === "body" && (typeof f.via === "number" || f.via in base)).length >= minProperties) break
    if (field.location === "body" && typeof field.via === "string" && !(field.via in base)) base[field.via] = validValue(field.schema)
  }
  row.params.forEach(([name, location], i) => {
    if (!(i in args)) args[i] = location === "client" ? CLIENT_PARAMS[name] : undefined
  })
  if (row.upload !== undefined) {
    const index = row.params.findIndex(([, , wire]) => wire === row.upload?.part)
    if (index >= 0) args[index] = new Blob(["document text"], { type: "text/plain" })
  }
  let opts: Record<string, unknown> | undefined = options === undefined ? (Object.keys(base).length === 0 ? undefined : base) : { ...base, ...options }
  if (override !== undefined) {
    if (typeof override.via === "number") args[override.via] = override.value
    else opts = { ...opts, [override.via]: override.value }
  }
  if (opts !== undefined) {
    if (row.positional !== undefined) args.push(undefined)
    args.push(opts)
  }
  return args
}

/** Option names no method has: unknown ones, and those every object inherits. */
const FOREIGN_OPTIONS: ReadonlyArray<readonly [string, () => Record<string, unknown>]> = [
  ["an unknown option", () => ({ zz_not_an_option: 1 })],
  ["constructor", () => ({ constructor: 1 })],
  ["toString", () => ({ toString: 1 })],
  ["hasOwnProperty", () => ({ hasOwnProperty: 1 })],
  ["valueOf", () => ({ valueOf: 1 })],
  ["__proto__ from JSON.parse", () => JSON.parse("{\"__proto__\": 1}") as Record<string, unknown>],
  ["__proto__ as a computed key", () => ({ ["__proto__"]: 1 })]
]

/**
 * A valid call of method `key`, with `override` applied to one positional
 * argument: the generator's own check that refusals are the values', not the
 * base's.
 */
export const validCall = (key: MethodKey, override?: { readonly index: number; readonly value: unknown }): ReadonlyArray<unknown> =>
  argsOf(key, undefined, override === undefined ? undefined : { via: override.index, value: override.value })

/**
 * Every bad-input case of method `key`. A 10 MB string goes into every
 * field; where the contract allows it (a string with no maximum length) it
 * is sent, and since sending 10 MB costs tens of milliseconds, only the
 * method's first such field is sent one: the others would prove the same.
 */
export const badInputCases = (key: MethodKey): Array<BadInputCase> => {
  const cases: Array<BadInputCase> = []
  let hugeSent = false
  for (const field of fieldsOf(key)) {
    const name = `${field.location}.${field.wire}`
    for (const variant of variantsOf(field.schema, field.location, name, 0)) {
      if (variant.value === TEN_MB && variant.verdict === "either") {
        if (hugeSent) continue
        hugeSent = true
      }
      cases.push({ label: `${variant.path} = ${variant.what}`, args: argsOf(key, undefined, { via: field.via, value: variant.wrap(variant.value) }), verdict: variant.verdict })
    }
  }
  for (const [what, make] of FOREIGN_OPTIONS) cases.push({ label: `options with ${what}`, args: argsOf(key, make()), verdict: "refuse" })
  cases.push({ label: "an inherited option name only (not own: ignored)", args: argsOf(key, Object.create({ zz_inherited: 1 }) as Record<string, unknown>), verdict: "either" })
  cases.push({ label: "an argument too many", args: [...argsOf(key, {}), "extra"], verdict: "refuse" })
  return cases
}

/** The fields the matrix reached for method `key`, counted. */
export const fieldCount = (key: MethodKey): number => fieldsOf(key).length

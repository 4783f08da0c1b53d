/**
 * TypeScript types from the contract's JSON Schemas, with TSDoc from their
 * descriptions: the API's objects as interfaces with their snake_case fields,
 * and each method's options as an interface with camelCase fields, so an
 * editor shows the fields and their documentation, not a mapped type.
 */
import { camel, type Method, type Option } from "./sdk.ts"
import { type JsonObject, pascal, type Spec } from "./spec.ts"

/** A TSDoc comment of `lines` at `indent`, or nothing when there is nothing to say. */
export const tsdoc = (lines: ReadonlyArray<string | undefined>, indent = ""): string => {
  const text = lines.filter((l): l is string => l !== undefined && l !== "").join("\n\n").replace(/\*\//g, "*\\/")
  if (text === "") return ""
  const body = text.split("\n").map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`))
  return [`${indent}/**`, ...body, `${indent} */`].join("\n") + "\n"
}

const defaultLine = (schema: JsonObject): string | undefined =>
  schema["default"] === undefined ? undefined : `@defaultValue ${JSON.stringify(schema["default"])}`

/** Renders JSON Schemas as TypeScript types, naming components by their names. */
export class TypeWriter {
  /** Put before every named type: `"T."` where types.gen.ts is imported as `T`. */
  readonly #prefix: string
  /** Component names that are enums (their types come from the hey-api output). */
  readonly enums: ReadonlySet<string>

  constructor(spec: Spec, prefix = "") {
    this.#prefix = prefix
    this.enums = new Set(Object.entries(spec.components).filter(([, s]) => Array.isArray(s["enum"])).map(([name]) => name))
  }

  /** The TypeScript type of `schema`; nested object fields are indented by `indent`. */
  type(schema: JsonObject, indent = ""): string {
    // A client-side option that is no JSON value (a callback) names its TypeScript type itself.
    if (typeof schema["x-ts-type"] === "string") return schema["x-ts-type"]
    const ref = schema["$ref"]
    if (typeof ref === "string") return `${this.#prefix}${ref.split("/").at(-1) as string}`
    const union = (schema["anyOf"] ?? schema["oneOf"]) as Array<JsonObject> | undefined
    if (Array.isArray(union)) return [...new Set(union.map((member) => this.type(member, indent)))].join(" | ")
    if (Array.isArray(schema["enum"])) return (schema["enum"] as Array<unknown>).map((v) => JSON.stringify(v)).join(" | ")
    if (schema["const"] !== undefined) return JSON.stringify(schema["const"])
    const type = schema["type"]
    if (Array.isArray(type)) return type.map((t) => this.type({ ...schema, type: t }, indent)).join(" | ")
    switch (type) {
      case "string":
        return "string"
      case "number":
      case "integer":
        return "number"
      case "boolean":
        return "boolean"
      case "null":
        return "null"
      case "array": {
        const items = schema["items"] as JsonObject | undefined
        const item = items === undefined ? `${this.#prefix}Json` : this.type(items, indent)
        return `ReadonlyArray<${item.includes(" ") ? `(${item})` : item}>`
      }
      case "object":
        return this.#object(schema, indent)
      case undefined:
        return schema["properties"] === undefined ? `${this.#prefix}Json` : this.#object(schema, indent)
      default:
        throw new Error(`codegen/ts-types.ts: no TypeScript type for ${JSON.stringify(type)}`)
    }
  }

  #object(schema: JsonObject, indent: string): string {
    const body = this.members(schema, `${indent}  `)
    const index = this.#index(schema)
    const rest = index === undefined ? "" : `{ readonly [key: string]: ${index} }`
    if (body === "") return rest === "" ? "{}" : rest
    return `{\n${body}${indent}}${rest === "" ? "" : ` & ${rest}`}`
  }

  /** The type of an object's other keys: open unless `additionalProperties: false`, as JSON Schema (and Effect) read it. */
  #index(schema: JsonObject): string | undefined {
    const extra = schema["additionalProperties"]
    if (extra === false) return undefined
    return typeof extra === "object" && extra !== null ? this.type(extra as JsonObject) : `${this.#prefix}Json`
  }

  /** The members of an object schema's properties, one per line, each with its TSDoc. */
  members(schema: JsonObject, indent: string): string {
    const properties = (schema["properties"] as Record<string, JsonObject> | undefined) ?? {}
    const required = new Set((schema["required"] as Array<string> | undefined) ?? [])
    const lines: Array<string> = []
    for (const [name, property] of Object.entries(properties)) {
      const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)
      lines.push(
        tsdoc([property["description"] as string | undefined, defaultLine(property)], indent) +
          `${indent}readonly ${key}${required.has(name) ? "" : "?"}: ${this.type(property, indent)}\n`
      )
    }
    return lines.join("")
  }

  /** The declaration of component `name`: an interface for a closed object, else a type alias. */
  component(name: string, schema: JsonObject): string {
    const doc = tsdoc([schema["description"] as string | undefined])
    const closedObject = schema["properties"] !== undefined && schema["additionalProperties"] === false &&
      schema["anyOf"] === undefined && schema["oneOf"] === undefined
    return closedObject
      ? `${doc}export interface ${name} {\n${this.members(schema, "  ")}}\n`
      : `${doc}export type ${name} = ${this.type(schema)}\n`
  }
}

/** The type of an option as the caller writes it: `null` is left to the server's default. */
export const optionType = (writer: TypeWriter, option: Option): string => {
  const type = writer.type(option.schema, "  ")
  const members = type.split(" | ").filter((m) => m !== "null")
  return members.length === 0 ? type : members.join(" | ")
}

/** `RememberOptions`: the name of a method's options interface. */
export const optionsName = (method: Method): string => `${pascal(method.operation.operationId)}Options`

/** `description` with the method's wire field names written as its option names (`include_deleted` -> `includeDeleted`). */
export const withOptionNames = (method: Method, description: string | undefined): string | undefined => {
  if (description === undefined) return undefined
  const names = new Map(method.options.flatMap((o) => (o.field === undefined || o.aliasOf !== undefined ? [] : [[o.field.name, o.name] as const])))
  return description.replace(/\b[a-z]+(?:_[a-z0-9]+)+\b/g, (word) => names.get(word) ?? word)
}

const optionDoc = (method: Method, option: Option): string => {
  if (option.aliasOf !== undefined) return `Another name for \`${option.aliasOf}\`; give one of them.`
  const lines = [withOptionNames(method, option.description)]
  if (option.field !== undefined && option.field.location !== "body") lines.push(`Sent as the \`${option.field.name}\` ${option.field.location} parameter.`)
  else if (option.field !== undefined && camel(option.field.name) !== option.name) lines.push(`Sent as \`${option.field.name}\`.`)
  const sent = option.field === undefined ? undefined : method.send[option.field.location]?.[option.field.name]
  lines.push(sent !== undefined ? `@defaultValue ${JSON.stringify(sent)} (sent by the SDK)` : defaultLine(option.schema))
  return lines.filter((l) => l !== undefined).join("\n\n")
}

/** The options interface of `method`, extending the per-call options. */
export const optionsInterface = (writer: TypeWriter, method: Method): string => {
  const name = optionsName(method)
  const members = method.options.map((option) => {
    const type = optionType(writer, option)
    // A function type is parenthesised, or `| undefined` would join its return type: `(p) => void | undefined`
    // refuses a callback that returns something, as `(p) => progress.push(p)` does.
    const member = type.includes("=>") ? `(${type})` : type
    return tsdoc([optionDoc(method, option)], "  ") + `  readonly ${option.name}?: ${member} | undefined\n`
  })
  const summary = `Options of \`${method.namespace === undefined ? "" : `${method.namespace}.`}${method.name}\`, besides the per-call \`timeout\`, \`maxRetries\` and \`signal\`.`
  return `${tsdoc([summary])}export interface ${name} extends CallOptions {\n${members.join("")}}\n`
}

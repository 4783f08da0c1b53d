/**
 * Emits the method layer from the `x-sdk` model of every operation:
 * - `types.gen.ts`: the API's objects and every method's options, documented;
 * - `service.gen.ts`: the `MemoryLayer` service interface (Effects);
 * - `facade.gen.ts`: `MemoryLayerClient` (Promises), one line per method.
 * The binding of both faces to the runner is the operations table
 * (`operations.ts`) read by `src/bind.ts`; nothing here holds logic.
 */
import type { Method, Param } from "./sdk.ts"
import { type JsonObject, pascal, type Spec } from "./spec.ts"
import { optionsInterface, optionsName, optionType, tsdoc, TypeWriter, withOptionNames } from "./ts-types.ts"

/** The TypeScript type a method resolves with. */
const resultType = (writer: TypeWriter, method: Method): string =>
  method.result === "true" ? "boolean" : method.result === "void" || method.resultSchema === undefined ? "void" : writer.type(method.resultSchema, "  ")

const paramList = (writer: TypeWriter, params: ReadonlyArray<Param>): Array<string> =>
  params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${p.field === undefined ? writer.type(p.schema) : writer.type(p.schema).split(" | ").filter((m) => m !== "null").join(" | ")}`)

/** The signatures of a method: the options form, and the positional-option form when it has one. */
const signatures = (writer: TypeWriter, method: Method): Array<string> => {
  const params = paramList(writer, method.params)
  const options = method.options.length === 0 ? "CallOptions" : `T.${optionsName(method)}`
  const forms = [[...params, `options?: ${options}`].join(", ")]
  const positional = method.positional
  if (positional !== undefined) {
    forms.push([...params, `${positional.name}: ${optionType(writer, positional)}`, `options?: Omit<T.${optionsName(method)}, ${JSON.stringify(positional.name)}>`].join(", "))
  }
  return forms
}

/** The TSDoc of a method, from the operation's summary and description and its parameters' docs. */
const methodDoc = (method: Method, indent: string, extra: ReadonlyArray<string> = []): string => {
  const lines: Array<string | undefined> = [method.summary, withOptionNames(method, method.description), ...extra]
  const params = method.params.map((p) => `@param ${p.name} - ${(p.description ?? (p.field === undefined ? "" : `The \`${p.field.name}\` ${p.field.location === "body" ? "field" : `${p.field.location} parameter`}.`)).replace(/\n/g, " ")}`)
  if (method.positional !== undefined) params.push(`@param ${method.positional.name} - May be given here instead of in the options object.`)
  params.push(method.options.length === 0 ? "@param options - Per-call `timeout`, `maxRetries` and `signal`." : `@param options - See {@link T.${optionsName(method)}}.`)
  lines.push(params.join("\n"))
  return tsdoc(lines, indent)
}

const methodsOf = (methods: ReadonlyArray<Method>, namespace: string | undefined): ReadonlyArray<Method> =>
  methods.filter((m) => m.namespace === namespace)

const namespaces = (methods: ReadonlyArray<Method>): ReadonlyArray<string> =>
  [...new Set(methods.flatMap((m) => (m.namespace === undefined ? [] : [m.namespace])))]

/** `types.gen.ts`: every component and every options interface. */
export const emitTypes = (spec: Spec, methods: ReadonlyArray<Method>, header: string): string => {
  const writer = new TypeWriter(spec)
  const components = Object.entries(spec.components).filter(([name]) => !writer.enums.has(name))
  const out = [
    header,
    `import type { Json } from "effect/Schema"`,
    `import type { CallOptions } from "../src/options.ts"`,
    `import type { ${[...writer.enums].sort().join(", ")} } from "./api/types.gen.ts"`,
    "",
    `export type { ${[...writer.enums].sort().join(", ")} }`,
    "",
    tsdoc(["A JSON value, as stored in `metadata`, working memory and sandbox variables."]) + "export type { Json }",
    ""
  ]
  for (const [name, schema] of components) out.push(writer.component(name, schema))
  for (const method of methods) if (method.options.length > 0) out.push(optionsInterface(writer, method))
  out.push(
    tsdoc(["Every object of the API by its name in openapi.yaml (for tools and type tests)."]) + "export interface Components {",
    ...components.map(([name]) => `  readonly ${name}: ${name}`),
    "}",
    ""
  )
  return out.join("\n")
}

const serviceMember = (writer: TypeWriter, method: Method, name: string): string => {
  const result = `Effect.Effect<${resultType(writer, method)}, OperationError<${JSON.stringify(method.operation.operationId)}>>`
  const doc = methodDoc(method, "  ")
  return signatures(writer, method).map((s) => `${doc}  ${name}(${s}): ${result}\n`).join("")
}

/** `service.gen.ts`: the interface of the `MemoryLayer` service. */
export const emitServiceTypes = (spec: Spec, methods: ReadonlyArray<Method>, header: string): string => {
  const writer = new TypeWriter(spec, "T.")
  const out = [
    header,
    `import type * as Effect from "effect/Effect"`,
    `import type { OperationError } from "../src/operation-error.ts"`,
    `import type { CallOptions } from "../src/options.ts"`,
    `import type * as T from "./types.gen.ts"`,
    "",
    tsdoc(["The operations of the MemoryLayer API as Effects, each failing with the errors that operation can really produce."]) +
      "export interface MemoryLayerOperations {"
  ]
  for (const method of methodsOf(methods, undefined)) out.push(serviceMember(writer, method, method.name))
  for (const method of methods) for (const alias of method.aliases) out.push(serviceMember(writer, method, alias))
  for (const ns of namespaces(methods)) out.push(tsdoc([`The ${ns} operations.`], "  ") + `  readonly ${ns}: ${pascal(ns)}Operations\n`)
  out.push("}", "")
  for (const ns of namespaces(methods)) {
    out.push(tsdoc([`The ${ns} operations of the MemoryLayer API as Effects.`]) + `export interface ${pascal(ns)}Operations {`)
    for (const method of methodsOf(methods, ns)) out.push(serviceMember(writer, method, method.name))
    out.push("}", "")
  }
  return out.join("\n")
}

const facadeMember = (writer: TypeWriter, method: Method, name: string): string => {
  const result = `Promise<${resultType(writer, method)}>`
  const doc = methodDoc(method, "  ")
  const id = JSON.stringify(method.operation.operationId)
  // Every argument reaches the binding, so one too many is refused rather than dropped.
  return signatures(writer, method).map((s) => `${doc}  ${name}(${s}): ${result}\n`).join("") +
    `  ${name}(...args: ReadonlyArray<unknown>): ${result} {\n    return this.call(${id}, args)\n  }\n`
}

/** `facade.gen.ts`: `MemoryLayerClient` and its namespace classes, one line per method. */
export const emitFacade = (spec: Spec, methods: ReadonlyArray<Method>, header: string): string => {
  const writer = new TypeWriter(spec, "T.")
  const out = [
    header,
    `import { ClientCore, NamespaceCore } from "../src/client-core.ts"`,
    `import type { CallOptions } from "../src/options.ts"`,
    `import type * as T from "./types.gen.ts"`,
    ""
  ]
  for (const ns of namespaces(methods)) {
    out.push(tsdoc([`The ${ns} operations of the MemoryLayer API, as Promises: \`client.${ns}\`.`]) + `export class ${pascal(ns)}Client extends NamespaceCore {`)
    for (const method of methodsOf(methods, ns)) out.push(facadeMember(writer, method, method.name))
    out.push("}", "")
  }
  out.push(
    tsdoc([
      "The MemoryLayer client: every operation of the API as a method returning a Promise. Method names, positional parameters and documented defaults follow the Python `MemoryLayerClient`; keyword parameters are one options object with camelCase keys. Returned objects keep the API's snake_case fields. A failed call rejects with a typed `MemoryLayerError`.",
      "@example\n```ts\nimport { MemoryLayerClient, MemoryType, NotFoundError } from \"memorylayer-client\"\n\nconst client = new MemoryLayerClient({ baseUrl: \"http://localhost:61001\", apiKey: process.env.MEMORYLAYER_API_KEY })\nconst memory = await client.remember(\"User prefers concise answers\", { type: MemoryType.SEMANTIC, importance: 0.8 })\nconst { memories } = await client.recall(\"how should I answer?\", { limit: 5 })\ntry {\n  await client.getMemory(\"mem_missing\")\n} catch (error) {\n  if (error instanceof NotFoundError) console.log(error.statusCode) // 404\n}\nawait client.close()\n```"
    ]) + "export class MemoryLayerClient extends ClientCore {"
  )
  for (const ns of namespaces(methods)) {
    out.push(tsdoc([`The ${ns} operations.`], "  ") + `  readonly ${ns}: ${pascal(ns)}Client = new ${pascal(ns)}Client(this)\n`)
  }
  for (const method of methodsOf(methods, undefined)) out.push(facadeMember(writer, method, method.name))
  for (const method of methods) for (const alias of method.aliases) out.push(facadeMember(writer, method, alias))
  out.push("}", "")
  return out.join("\n")
}

/** The binding data of one method, as the operations table carries it. */
export const bindingRow = (method: Method): JsonObject => {
  const row: JsonObject = {
    name: method.name,
    params: method.params.map((p) => (p.field === undefined ? [p.name, "client", p.name] : [p.name, p.field.location, p.field.name])),
    options: Object.fromEntries(method.options.map((o) => [o.name, o.field === undefined ? "client" : `${o.field.location}.${o.field.name}`]))
  }
  if (method.namespace !== undefined) row["namespace"] = method.namespace
  if (method.aliases.length > 0) row["aliases"] = method.aliases
  if (method.positional !== undefined) {
    row["positional"] = method.positional.name
    row["positionalIsObject"] = method.positional.schema["type"] === "object" || method.positional.schema["additionalProperties"] !== undefined
  }
  if (Object.keys(method.send).length > 0) row["send"] = method.send
  for (const key of ["unwrap", "result", "session", "hook"] as const) if (method[key] !== undefined) row[key] = method[key]
  return row
}

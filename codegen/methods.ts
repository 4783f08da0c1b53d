/**
 * Emits the method layer from the `x-sdk` model of every operation:
 * - `types.gen.ts`: the API's objects and every method's options, documented;
 * - `service.gen.ts`: the `MemoryLayer` service interface (Effects), and its
 *   `withResponse` view;
 * - `facade.gen.ts`: `MemoryLayerClient` (Promises), one line per method, and
 *   the interface of its `withResponse` view.
 * The binding of both faces to the runner is the methods table
 * (`operations.ts`) read by `src/bind.ts`; nothing here holds logic.
 */
import { type Method, methodKey, type Param } from "./sdk.ts"
import { type JsonObject, pascal, resolveRef, type Spec } from "./spec.ts"
import { optionsInterface, optionsName, optionType, tsdoc, TypeWriter, withOptionNames } from "./ts-types.ts"

/** Every method, its variants included, in contract order. */
const all = (methods: ReadonlyArray<Method>): ReadonlyArray<Method> => methods.flatMap((m) => [m, ...m.variants])

/** The schema of one item of a paginated list, or of one NDJSON line. */
const itemSchema = (spec: Spec, method: Method): JsonObject | undefined => {
  if (method.stream !== undefined) return method.operation.itemSchema
  if (method.paginate === undefined || method.operation.successSchema === undefined) return undefined
  const page = resolveRef(spec.document, method.operation.successSchema)
  const list = (page["properties"] as Record<string, JsonObject> | undefined)?.[method.paginate.items]
  return list === undefined ? undefined : (resolveRef(spec.document, list)["items"] as JsonObject | undefined)
}

/** The TypeScript type a method's Effect succeeds with (and its Promise's awaited value). */
const resultType = (spec: Spec, writer: TypeWriter, method: Method): string => {
  if (method.result === "true") return "boolean"
  if (method.download === "text") return "string"
  if (method.download === "blob") return "Blob"
  if (method.download === "stream") return "ReadableStream<Uint8Array>"
  if (method.stream !== undefined) return `ReadonlyArray<${writer.type(itemSchema(spec, method) ?? {})}>`
  if (method.result === "void" || method.resultSchema === undefined) return "void"
  return writer.type(method.resultSchema, "  ")
}

const paramType = (writer: TypeWriter, method: Method, p: Param): string => {
  if (p.field !== undefined && method.upload?.part === p.field.name) return "UploadSource"
  const type = writer.type(p.schema)
  return p.field === undefined ? type : type.split(" | ").filter((m) => m !== "null").join(" | ")
}

/** The signatures of a method: the options form, and the positional-option form when it has one. */
const signatures = (writer: TypeWriter, method: Method): Array<string> => {
  const params = method.params.map((p) => `${p.name}${p.optional ? "?" : ""}: ${paramType(writer, method, p)}`)
  const options = method.options.length === 0 ? "CallOptions" : `T.${optionsName(method)}`
  const forms = [[...params, `options?: ${options}`].join(", ")]
  const positional = method.positional
  if (positional !== undefined) {
    forms.push([...params, `${positional.name}: ${optionType(writer, positional)}`, `options?: Omit<T.${optionsName(method)}, ${JSON.stringify(positional.name)}>`].join(", "))
  }
  return forms
}

/** What a method's docs say beyond the operation's: how its answer is read. */
const behaviour = (method: Method): ReadonlyArray<string> => {
  const lines: Array<string> = []
  const p = method.paginate
  if (p !== undefined) {
    lines.push(p.style === "cursor"
      ? `Paginated by cursor (\`${p.token}\` / \`${p.next}\`).`
      : `Paginated by offset (\`${p.offset}\` / \`${p.limit}\`).`)
  }
  if (method.idempotencyKey) lines.push("The SDK sends an `Idempotency-Key` (one per call, reused by its retries, so a retry never applies the write twice) unless you give `idempotencyKey`.")
  if (method.etag !== undefined) lines.push("Without `ifMatch` the SDK reads the current etag first and sends it, so the write applies to the version it just read; a concurrent change then fails with `ConflictError` (412).")
  if (method.upload !== undefined) lines.push("The file is sent as a multipart part, streamed from a Blob, File, ReadableStream or Uint8Array.")
  return lines
}

/**
 * The TSDoc of one signature of a method, from the operation's summary and description and its parameters' docs;
 * `positionalForm` is the signature that takes the positional option (only it documents that parameter).
 */
const methodDoc = (method: Method, indent: string, extra: ReadonlyArray<string>, positionalForm: boolean): string => {
  const lines: Array<string | undefined> = [method.summary, withOptionNames(method, method.description), ...behaviour(method), ...extra]
  const params = method.params.map((p) => `@param ${p.name} - ${(p.description ?? (p.field === undefined ? "" : `The \`${p.field.name}\` ${p.field.location === "body" ? "field" : `${p.field.location} parameter`}.`)).replace(/\n/g, " ")}`)
  if (method.positional !== undefined && positionalForm) params.push(`@param ${method.positional.name} - May be given here instead of in the options object.`)
  params.push(method.options.length === 0 ? "@param options - Per-call `timeout`, `maxRetries` and `signal`." : `@param options - See {@link T.${optionsName(method)}}.`)
  lines.push(params.join("\n"))
  return tsdoc(lines, indent)
}

/** A namespace's hand-written client-side methods (`x-sdk-compositions`): their module in src/ and what it exports. */
interface Composition {
  readonly module: string
  /** The Promise face's class the namespace's class extends. */
  readonly client: string
  /** The Effect face's interface the namespace's interface adds. */
  readonly service: string
  /** The Effect face's function that makes those methods over the namespace's generated ones. */
  readonly methods: string
}

/** The root `x-sdk-compositions` of the contract, checked against the namespaces its operations declare. */
const compositions = (spec: Spec, methods: ReadonlyArray<Method>): ReadonlyMap<string, Composition> => {
  const raw = (spec.document["x-sdk-compositions"] ?? {}) as Record<string, unknown>
  const known = new Set(namespaces(methods))
  return new Map(Object.entries(raw).map(([ns, value]) => {
    const entry = value as Record<string, unknown>
    if (!known.has(ns)) throw new Error(`openapi.yaml: x-sdk-compositions: ${ns} is not a namespace of any operation`)
    for (const key of ["module", "client", "service", "methods"]) {
      if (typeof entry[key] !== "string" || !/^[\w-]+$/.test(entry[key] as string)) throw new Error(`openapi.yaml: x-sdk-compositions.${ns}.${key} must be a name`)
    }
    return [ns, entry as unknown as Composition]
  }))
}

/** The import lines of the compositions' modules, for a file in generated/. */
const compositionImports = (found: ReadonlyMap<string, Composition>, what: "client" | "service" | "methods", typeOnly: boolean): ReadonlyArray<string> =>
  [...found.values()].map((c) => `import ${typeOnly ? "type " : ""}{ ${c[what]} } from "../src/${c.module}.ts"`)

/**
 * `compositions.gen.ts`: each composed namespace's function that adds its
 * hand-written methods to the service's namespace object.
 */
export const emitCompositions = (spec: Spec, methods: ReadonlyArray<Method>, header: string): string => {
  const composed = compositions(spec, methods)
  return [
    header,
    ...compositionImports(composed, "methods", false),
    "",
    tsdoc(["The hand-written methods of each composed namespace (`x-sdk-compositions`), made over its generated methods."]) +
      "export const compositions = {",
    ...[...composed].map(([ns, c]) => `  ${ns}: ${c.methods},`),
    "} as const",
    ""
  ].join("\n")
}

const methodsOf = (methods: ReadonlyArray<Method>, namespace: string | undefined): ReadonlyArray<Method> =>
  all(methods).filter((m) => m.namespace === namespace)

const namespaces = (methods: ReadonlyArray<Method>): ReadonlyArray<string> =>
  [...new Set(methods.flatMap((m) => (m.namespace === undefined ? [] : [m.namespace])))]

/** `types.gen.ts`: every component and every options interface. */
export const emitTypes = (spec: Spec, methods: ReadonlyArray<Method>, header: string): string => {
  const writer = new TypeWriter(spec)
  const components = Object.entries(spec.components).filter(([name]) => !writer.enums.has(name))
  const enums = [...writer.enums].sort().join(", ")
  const out = [
    header,
    `import type { Json } from "effect/Schema"`,
    `import type { CallOptions } from "../src/options.ts"`,
    `import type { UploadProgress } from "../src/upload.ts"`,
    `import type { ${enums} } from "./api/types.gen.ts"`,
    "",
    `export type { ${enums} }`,
    "",
    tsdoc(["A JSON value, as stored in `metadata`, working memory and sandbox variables."]) + "export type { Json }",
    ""
  ]
  for (const [name, schema] of components) out.push(writer.component(name, schema))
  for (const method of all(methods)) if (method.options.length > 0) out.push(optionsInterface(writer, method))
  out.push(
    tsdoc(["Every object of the API by its name in openapi.yaml (for tools and type tests)."]) + "export interface Components {",
    ...components.map(([name]) => `${tsdoc([`The \`${name}\` schema of openapi.yaml: {@link ${name}}.`], "  ")}  readonly ${name}: ${name}`),
    "}",
    ""
  )
  return out.join("\n")
}

/** One member of the service interface. */
const serviceMember = (spec: Spec, writer: TypeWriter, method: Method, name: string, taken: Set<string>): string => {
  const error = `OperationError<${JSON.stringify(method.operation.operationId)}>`
  const result = `Effect.Effect<${resultType(spec, writer, method)}, ${error}>`
  const extra = method.paginate !== undefined || method.stream !== undefined
    ? [`For every ${method.stream !== undefined ? "line of the answer as it arrives" : "item of every page"}, as a \`Stream\`: \`stream(${JSON.stringify(methodKey(method))}, ...)\`.`]
    : []
  taken.add(name)
  return signatures(writer, method).map((s, i) => `${methodDoc(method, "  ", extra, i > 0)}  ${name}(${s}): ${result}\n`).join("")
}

/** The entry of a list or NDJSON method in `StreamMethods`: its arguments, item and errors. */
const streamEntry = (spec: Spec, writer: TypeWriter, method: Method): string | undefined => {
  const item = itemSchema(spec, method)
  if (item === undefined) return undefined
  const tuples = signatures(writer, method).map((s) => `[${s}]`).join(" | ")
  const key = methodKey(method)
  const walks = method.stream !== undefined ? `each line of \`${key}\`'s answer` : `each item of every page of \`${key}\``
  return [
    tsdoc([`\`stream(${JSON.stringify(key)}, ...)\`: ${walks}.`], "  ") + `  ${JSON.stringify(key)}: {`,
    tsdoc([`The arguments of \`${key}\`.`], "    ") + `    readonly args: ${tuples}`,
    tsdoc([method.stream !== undefined ? "One line of the answer." : "One item of a page."], "    ") + `    readonly item: ${writer.type(item, "    ")}`,
    tsdoc([`What the stream fails with: the errors of \`${key}\`.`], "    ") + `    readonly error: OperationError<${JSON.stringify(method.operation.operationId)}>`,
    "  }"
  ].join("\n")
}

/**
 * The members of a `withResponse` view: every method of `namespace` (and at
 * the top, every flat alias) with `result(method)` as its return type, and
 * at the top a member per namespace typed `${Namespace}${suffix}`.
 */
const responseView = (
  writer: TypeWriter,
  methods: ReadonlyArray<Method>,
  namespace: string | undefined,
  suffix: string,
  see: (method: Method, name: string) => string,
  result: (method: Method) => string
): Array<string> => {
  const out: Array<string> = []
  const taken = new Set<string>()
  const member = (method: Method, name: string): void => {
    if (taken.has(name)) return
    taken.add(name)
    // A flat alias of a namespaced method is documented at the namespaced method.
    const doc = tsdoc([`As {@link ${see(method, method.name)}}, with the answer it came from.`], "  ")
    for (const s of signatures(writer, method)) out.push(`${doc}  ${name}(${s}): ${result(method)}\n`)
  }
  for (const method of methodsOf(methods, namespace)) member(method, method.name)
  if (namespace === undefined) {
    for (const method of all(methods)) for (const alias of method.aliases) member(method, alias)
    for (const ns of namespaces(methods)) out.push(tsdoc([`The ${ns} operations.`], "  ") + `  readonly ${ns}: ${pascal(ns)}${suffix}\n`)
  }
  return out
}

/** `service.gen.ts`: the interface of the `MemoryLayer` service. */
export const emitServiceTypes = (spec: Spec, methods: ReadonlyArray<Method>, header: string): string => {
  const writer = new TypeWriter(spec, "T.")
  const composed = compositions(spec, methods)
  const out = [
    header,
    `import type * as Effect from "effect/Effect"`,
    // Stream: a parameter's `x-ts-type` may name it (importWorkspaceStream's records).
    `import type * as Stream from "effect/Stream"`,
    ...compositionImports(composed, "service", true),
    `import type { OperationError } from "../src/operation-error.ts"`,
    `import type { CallOptions } from "../src/options.ts"`,
    `import type { UploadSource } from "../src/upload.ts"`,
    `import type { WithResponse } from "../src/with-response.ts"`,
    `import type * as T from "./types.gen.ts"`,
    "",
    tsdoc(["The operations of the MemoryLayer API as Effects, each failing with the errors that operation can really produce."]) +
      "export interface MemoryLayerOperations {"
  ]
  const taken = new Set<string>()
  for (const method of methodsOf(methods, undefined)) out.push(serviceMember(spec, writer, method, method.name, taken))
  for (const method of all(methods)) {
    for (const alias of method.aliases) if (!taken.has(alias)) out.push(serviceMember(spec, writer, method, alias, taken))
  }
  for (const ns of namespaces(methods)) {
    const added = composed.get(ns)
    out.push(tsdoc([`The ${ns} operations.`], "  ") + `  readonly ${ns}: ${pascal(ns)}Operations${added === undefined ? "" : ` & ${added.service}`}\n`)
  }
  out.push("}", "")
  for (const ns of namespaces(methods)) {
    out.push(tsdoc([`The ${ns} operations of the MemoryLayer API as Effects.`]) + `export interface ${pascal(ns)}Operations {`)
    const nsTaken = new Set<string>()
    for (const method of methodsOf(methods, ns)) out.push(serviceMember(spec, writer, method, method.name, nsTaken))
    out.push("}", "")
  }
  const withResponse = (method: Method): string =>
    `Effect.Effect<WithResponse<${resultType(spec, writer, method)}>, OperationError<${JSON.stringify(method.operation.operationId)}>>`
  const serviceSee = (method: Method, name: string): string => (method.namespace === undefined ? `MemoryLayerOperations.${name}` : `${pascal(method.namespace)}Operations.${name}`)
  out.push(
    tsdoc(["The operations of the service's `withResponse` view: each succeeds with the method's value, the server's `Response` and the request id."]) +
      "export interface MemoryLayerOperationsWithResponse {",
    ...responseView(writer, methods, undefined, "OperationsWithResponse", serviceSee, withResponse),
    "}",
    ""
  )
  for (const ns of namespaces(methods)) {
    out.push(
      tsdoc([`The ${ns} operations of the \`withResponse\` view.`]) + `export interface ${pascal(ns)}OperationsWithResponse {`,
      ...responseView(writer, methods, ns, "OperationsWithResponse", serviceSee, withResponse),
      "}",
      ""
    )
  }
  out.push(
    tsdoc(["The methods `stream` walks: every list (each item of every page) and every NDJSON answer (each line), by key, with their arguments, item and errors."]) +
      "export interface StreamMethods {",
    ...all(methods).flatMap((m) => streamEntry(spec, writer, m) ?? []),
    "}",
    ""
  )
  return out.join("\n")
}

/** The Promise a facade method returns. */
const facadeResult = (spec: Spec, writer: TypeWriter, method: Method, iterator: boolean): string => {
  const item = itemSchema(spec, method)
  if (method.paginate !== undefined && item !== undefined) {
    return iterator ? `AsyncIterable<${writer.type(item)}>` : `PagePromise<${resultType(spec, writer, method)}, ${writer.type(item)}>`
  }
  if (method.stream !== undefined && item !== undefined) return `RecordStream<${writer.type(item)}>`
  return `Promise<${resultType(spec, writer, method)}>`
}

const facadeMember = (spec: Spec, writer: TypeWriter, method: Method, name: string, iterator = false): string => {
  const result = facadeResult(spec, writer, method, iterator)
  const extra = method.paginate !== undefined
    ? [iterator ? "Every item of every page, fetched page by page as you iterate." : "Await it for the first page, or iterate it (`for await`) for every item of every page."]
    : method.stream !== undefined ? ["Iterate it (`for await`) for the answer's lines as they arrive, in constant memory, or await it for all of them."] : []
  const key = JSON.stringify(methodKey(method))
  const run = method.paginate !== undefined ? "paginate" : method.stream !== undefined ? "records" : "call"
  // Every argument reaches the binding, so one too many is refused rather than dropped.
  return signatures(writer, method).map((s, i) => `${methodDoc(method, "  ", extra, i > 0)}  ${name}(${s}): ${result}\n`).join("") +
    `  ${name}(...args: ReadonlyArray<unknown>): ${result} {\n    return this.${run}(${key}, args)\n  }\n`
}

/** `facade.gen.ts`: `MemoryLayerClient` and its namespace classes, one line per method. */
export const emitFacade = (spec: Spec, methods: ReadonlyArray<Method>, header: string): string => {
  const writer = new TypeWriter(spec, "T.")
  const composed = compositions(spec, methods)
  const out = [
    header,
    // Stream and OperationError: a parameter's `x-ts-type` may name them (importWorkspaceStream's records).
    `import type * as Stream from "effect/Stream"`,
    `import { ClientCore, NamespaceCore } from "../src/client-core.ts"`,
    ...compositionImports(composed, "client", false),
    `import type { OperationError } from "../src/operation-error.ts"`,
    `import type { CallOptions } from "../src/options.ts"`,
    `import type { PagePromise } from "../src/pagination.ts"`,
    `import type { RecordStream } from "../src/records.ts"`,
    `import type { UploadSource } from "../src/upload.ts"`,
    `import type { WithResponse } from "../src/with-response.ts"`,
    `import type * as T from "./types.gen.ts"`,
    ""
  ]
  const withResponse = (method: Method): string => `Promise<WithResponse<${resultType(spec, writer, method)}>>`
  const clientSee = (method: Method, name: string): string => (method.namespace === undefined ? `MemoryLayerClient.${name}` : `${pascal(method.namespace)}Client.${name}`)
  out.push(
    tsdoc([
      "The methods of `client.withResponse`: each resolves with the method's value, the server's `Response` and the request id. A list gives the page asked for; an NDJSON method all its records."
    ]) + "export interface MemoryLayerClientWithResponse {",
    ...responseView(writer, methods, undefined, "ClientWithResponse", clientSee, withResponse),
    "}",
    ""
  )
  for (const ns of namespaces(methods)) {
    out.push(
      tsdoc([`The ${ns} methods of \`client.withResponse\`.`]) + `export interface ${pascal(ns)}ClientWithResponse {`,
      ...responseView(writer, methods, ns, "ClientWithResponse", clientSee, withResponse),
      "}",
      ""
    )
  }
  for (const ns of namespaces(methods)) {
    const base = composed.get(ns)?.client ?? "NamespaceCore"
    out.push(tsdoc([`The ${ns} operations of the MemoryLayer API, as Promises: \`client.${ns}\`.`]) + `export class ${pascal(ns)}Client extends ${base} {`)
    for (const method of methodsOf(methods, ns)) out.push(facadeMember(spec, writer, method, method.name))
    out.push("}", "")
  }
  out.push(
    tsdoc([
      "The MemoryLayer client: every operation of the API as a method returning a Promise. Method names, positional parameters and documented defaults follow the Python `MemoryLayerClient`; keyword parameters are one options object with camelCase keys. Returned objects keep the API's snake_case fields. A failed call rejects with a typed `MemoryLayerError`.",
      "@example\n```ts\nimport { MemoryLayerClient, MemoryType, NotFoundError } from \"memorylayer-client\"\n\nconst client = new MemoryLayerClient({ baseUrl: \"http://localhost:61001\", apiKey: process.env.MEMORYLAYER_API_KEY })\nconst memory = await client.remember(\"User prefers concise answers\", { type: MemoryType.SEMANTIC, importance: 0.8 })\nconst { memories } = await client.recall(\"how should I answer?\", { limit: 5 })\ntry {\n  await client.getMemory(\"mem_missing\")\n} catch (error) {\n  if (error instanceof NotFoundError) console.log(error.statusCode) // 404\n}\nawait client.close()\n```"
    ]) + "export class MemoryLayerClient extends ClientCore<MemoryLayerClientWithResponse> {"
  )
  for (const ns of namespaces(methods)) {
    out.push(tsdoc([`The ${ns} operations.`], "  ") + `  readonly ${ns}: ${pascal(ns)}Client = new ${pascal(ns)}Client(this)\n`)
  }
  const taken = new Set<string>()
  for (const method of methodsOf(methods, undefined)) {
    out.push(facadeMember(spec, writer, method, method.name))
    taken.add(method.name)
  }
  for (const method of all(methods)) {
    for (const alias of method.aliases) {
      if (taken.has(alias)) continue
      out.push(facadeMember(spec, writer, method, alias))
      taken.add(alias)
    }
    // The Python client's iterator names (iterate_memories, export_workspace_stream) are the Promise face's; the Effect face has stream(key).
    const iterator = method.paginate?.iterator
    if (iterator !== undefined && !taken.has(iterator)) {
      out.push(facadeMember(spec, writer, method, iterator, true))
      taken.add(iterator)
    }
    if (method.streamIterator !== undefined && !taken.has(method.streamIterator)) {
      out.push(facadeMember(spec, writer, method, method.streamIterator))
      taken.add(method.streamIterator)
    }
  }
  out.push("}", "")
  return out.join("\n")
}

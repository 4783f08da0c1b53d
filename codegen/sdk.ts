/**
 * Reads the `x-sdk` extension of each operation into the model the method
 * layer is generated from: the method's name and place, its positional
 * parameters and options (each tied to a wire field: a path or query
 * parameter, or a property of the JSON body), what it sends by default, and
 * what it returns. The extension is documented in CONTRIBUTING.md ("The
 * `x-sdk` extension"); every key is checked here, so a typo fails codegen.
 */
import { type JsonObject, type Operation, pascal, resolveRef, type Spec } from "./spec.ts"

/** Where a wire field travels. */
export type Location = "path" | "query" | "body" | "header"

/** Headers the client itself sends from its own state, never a method's field. */
const CLIENT_HEADERS = new Set(["x-session-id", "x-workspace-id"])

/** How a list is walked page by page (`x-sdk.paginate`). */
export interface Paginate {
  readonly style: "offset" | "cursor"
  /** The answer's field holding the page's items. */
  readonly items: string
  /** offset: the query parameters of the position and the page size. */
  readonly offset: string
  readonly limit: string
  /** offset: how the last page is known. */
  readonly end: "short-page" | "empty-page" | "total"
  /** offset, `end: total`: the answer's field with the number of items in all. */
  readonly total: string | undefined
  /** cursor: the query parameter of the cursor and the answer's field with the next one. */
  readonly token: string
  readonly next: string
  /** Query parameters the iterator does not send but applies to the items itself. */
  readonly clientFilter: ReadonlyArray<string>
  /** The flat name of the auto-paginating form (Python's `iterate_*`). */
  readonly iterator: string | undefined
  /** offset: the page size the server uses when none is sent. */
  readonly limitDefault: number | undefined
}

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
  readonly paginate: Paginate | undefined
  /** Send a fresh `Idempotency-Key` per call (reused by its retries) when the caller gives none. */
  readonly idempotencyKey: boolean
  /**
   * `If-Match` when the caller gives none: read with operation `read` (same
   * path parameters, plus `query`; in the write's workspace when the read
   * takes `workspace_id`, `scoped`), take `field` of its answer.
   */
  readonly etag: { readonly read: string; readonly field: string; readonly query: JsonObject | undefined; readonly scoped: boolean } | undefined
  /** A non-JSON answer, read as text, a Blob or a byte stream. */
  readonly download: "text" | "blob" | "stream" | undefined
  /** An NDJSON answer: the schema name of each line. */
  readonly stream: string | undefined
  /** The flat Promise-face name of the NDJSON answer's record stream (Python's `*_stream`); the Effect face has `stream(key)`. */
  readonly streamIterator: string | undefined
  /** A multipart upload: the part holding the file. */
  readonly upload: { readonly part: string; readonly filename: string | undefined } | undefined
  /** Wire fields filled from the client's own settings when the caller gives none. */
  readonly fromClient: Readonly<Record<string, "workspaceId">>
  /** Other methods on the same operation, with their own parameters and hook. */
  readonly variants: ReadonlyArray<Method>
  readonly summary: string
  readonly description: string | undefined
}

const KEYS = new Set([
  "namespace", "method", "aliases", "params", "positional", "rename", "omit", "send", "unwrap", "result", "session", "hook",
  "clientOptions", "paginate", "idempotencyKey", "etag", "download", "stream", "upload", "fromClient", "variants"
])

/** `min_relevance` -> `minRelevance`; `If-Match` -> `ifMatch`. */
export const camel = (name: string): string => {
  const [head = "", ...rest] = name.split(/[_-]+/)
  return head.charAt(0).toLowerCase() + head.slice(1) + rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("")
}

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
    if (p.in === "cookie" || (p.in === "header" && CLIENT_HEADERS.has(p.name.toLowerCase()))) continue
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
    return { name, optional: optional === true, field: undefined, schema: schema as JsonObject, description: typeof description === "string" ? description : descriptionOf(spec, schema as JsonObject) }
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

const readPaginate = (operation: Operation, raw: unknown): Paginate | undefined => {
  if (raw === undefined) return undefined
  const p = raw as Record<string, unknown>
  if (p["style"] !== "offset" && p["style"] !== "cursor") return fail(operation, "paginate.style is offset or cursor")
  if (typeof p["items"] !== "string") return fail(operation, "paginate.items names the answer's list field")
  const end = (p["end"] as string | undefined) ?? (p["total"] !== undefined ? "total" : "short-page")
  if (end !== "short-page" && end !== "empty-page" && end !== "total") return fail(operation, "paginate.end is short-page, empty-page or total")
  return {
    style: p["style"],
    items: p["items"],
    offset: (p["offset"] as string | undefined) ?? "offset",
    limit: (p["limit"] as string | undefined) ?? "limit",
    end,
    total: p["total"] as string | undefined,
    token: (p["token"] as string | undefined) ?? "page_token",
    next: (p["next"] as string | undefined) ?? "next_page_token",
    clientFilter: asStrings(operation, p["clientFilter"], "paginate.clientFilter"),
    iterator: p["iterator"] as string | undefined,
    limitDefault: operation.parameters.find((q) => q.in === "query" && q.name === ((p["limit"] as string | undefined) ?? "limit"))?.schema["default"] as number | undefined
  }
}

/** Reads the method of one operation (`raw` is its x-sdk, or that of one of its variants). */
const readOne = (spec: Spec, operation: Operation, raw: JsonObject): Method => {
  for (const key of Object.keys(raw)) if (!KEYS.has(key)) fail(operation, `unknown key ${key}`)
  const namespace = raw["namespace"] as string | undefined
  const name = (raw["method"] as string | undefined) ?? operation.operationId
  const fields = wireFields(spec, operation)
  const params = ((raw["params"] as Array<unknown> | undefined) ?? []).map((p) => readParam(spec, operation, fields, p))
  const taken = new Set(params.flatMap((p) => (p.field === undefined ? [] : [p.field.name])))
  const omit = new Set(asStrings(operation, raw["omit"], "omit"))
  for (const o of omit) if (!fields.some((f) => f.name === o)) fail(operation, `omit: ${o} is not a field`)
  const send: Partial<Record<Location, JsonObject>> = {}
  for (const [fieldName, value] of Object.entries((raw["send"] as JsonObject | undefined) ?? {})) {
    const field = fields.find((f) => f.name === fieldName) ?? fail(operation, `send: ${fieldName} is not a field`)
    send[field.location] = { ...send[field.location], [fieldName]: value }
    // A header the SDK always sends (If-None-Match: *) is not the caller's to set.
    if (field.location === "header") omit.add(fieldName)
  }
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
  const upload = raw["upload"] as JsonObject | undefined
  if (upload !== undefined) {
    options.push({
      name: "onUploadProgress",
      field: undefined,
      schema: { "x-ts-type": "(progress: UploadProgress) => void" },
      description: "Called as the upload's bytes are sent, with `{ percent, transferredBytes, totalBytes }` (on runtimes that can stream request bodies; elsewhere once, at the end).",
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
  const unwrap = raw["unwrap"] as string | undefined
  const result = raw["result"] === true ? "true" : raw["result"] === "void" ? "void" : raw["result"] === undefined ? undefined : fail(operation, "result is true or void")
  const session = raw["session"] as "set" | "clear" | undefined
  if (session !== undefined && session !== "set" && session !== "clear") fail(operation, "session is set or clear")
  const download = raw["download"] as Method["download"]
  if (download !== undefined && download !== "text" && download !== "blob" && download !== "stream") fail(operation, "download is text, blob or stream")
  const rawStream = raw["stream"] as JsonObject | undefined
  for (const key of Object.keys(rawStream ?? {})) if (key !== "record" && key !== "iterator") fail(operation, `stream: unknown key ${key}`)
  const stream = rawStream?.["record"] as string | undefined
  if (stream !== undefined && operation.itemSchema === undefined) fail(operation, "stream needs an application/x-ndjson answer with x-item-schema")
  if (operation.successSchema === undefined && operation.successMedia.length > 0 && download === undefined && stream === undefined) {
    fail(operation, `its answer is ${operation.successMedia.join(", ")}: say how to read it with download or stream`)
  }
  const etag = raw["etag"] as JsonObject | undefined
  const idempotencyKey = raw["idempotencyKey"] === "auto"
  if (raw["idempotencyKey"] !== undefined && !idempotencyKey) fail(operation, "idempotencyKey is auto")
  for (const [header, needs] of [["Idempotency-Key", idempotencyKey], ["If-Match", etag !== undefined]] as const) {
    if (needs && !fields.some((f) => f.location === "header" && f.name === header)) fail(operation, `declare the ${header} header parameter`)
  }
  const fromClient = (raw["fromClient"] as Record<string, "workspaceId"> | undefined) ?? {}
  for (const [field, source] of Object.entries(fromClient)) {
    if (source !== "workspaceId") fail(operation, "fromClient takes workspaceId")
    if (!params.some((p) => p.field?.name === field && p.optional)) fail(operation, `fromClient: ${field} must be an optional positional parameter`)
  }
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
    resultSchema: result === undefined && download === undefined && stream === undefined ? resultSchemaOf(spec, operation, unwrap) : undefined,
    summary: operation.summary,
    description: operation.description,
    paginate: readPaginate(operation, raw["paginate"]),
    idempotencyKey,
    etag: etag === undefined ? undefined : readEtag(spec, operation, etag),
    download,
    stream,
    streamIterator: rawStream?.["iterator"] as string | undefined,
    upload: upload === undefined ? undefined : { part: String(upload["part"] ?? "file"), filename: upload["filename"] as string | undefined },
    fromClient,
    variants: []
  }
}

/** The `etag` of `operation`'s `x-sdk`: its read operation must exist and answer the field. */
const readEtag = (spec: Spec, operation: Operation, etag: JsonObject): NonNullable<Method["etag"]> => {
  const read = spec.operations.find((o) => o.operationId === etag["read"])
  if (read === undefined) return fail(operation, `etag.read: no operation ${String(etag["read"])}`)
  const scoped = read.parameters.some((p) => p.in === "query" && p.name === "workspace_id")
  return { read: read.operationId, field: String(etag["field"]), query: etag["query"] as JsonObject | undefined, scoped }
}

/** Reads the method of one operation, with its variants. */
export const readMethod = (spec: Spec, operation: Operation): Method => {
  const raw = operation.sdk
  if (raw === undefined) return fail(operation, "missing (every operation needs an x-sdk block, even `x-sdk: {}`)")
  const namespace = raw["namespace"] as string | undefined
  const name = (raw["method"] as string | undefined) ?? operation.operationId
  if (namespace !== undefined && operation.operationId !== `${namespace}${pascal(name)}`) {
    fail(operation, `a namespaced operationId must be ${namespace}${pascal(name)}`)
  }
  if (namespace === undefined && raw["method"] !== undefined) fail(operation, "method is only for namespaced operations")
  const { variants: rawVariants, ...own } = raw
  const method = readOne(spec, operation, own)
  const variants = ((rawVariants as Array<JsonObject> | undefined) ?? []).map((variant) => {
    if (typeof variant["method"] !== "string") return fail(operation, "each variant needs a method name")
    const { aliases: _aliases, method: _method, params: _params, hook: _hook, positional: _positional, ...shared } = own
    return readOne(spec, operation, { ...shared, ...variant, ...(namespace === undefined ? { method: undefined } : {}) })
  }).map((variant, i) => ({ ...variant, name: String(((rawVariants as Array<JsonObject>)[i] as JsonObject)["method"]) }))
  return { ...method, variants }
}

/** A method's key in the methods table: its name, or `namespace.name`. */
export const methodKey = (method: Method): string => (method.namespace === undefined ? method.name : `${method.namespace}.${method.name}`)

/** Every method of the contract, in contract order. */
export const readMethods = (spec: Spec): ReadonlyArray<Method> => spec.operations.map((operation) => readMethod(spec, operation))

/**
 * Reads `openapi.yaml` and lists its operations in the shape the emitters need.
 */
import { readFileSync } from "node:fs"
import { parse } from "yaml"

export type JsonObject = { [key: string]: unknown }

/** One parameter of an operation, as declared in the contract. */
export interface Parameter {
  readonly name: string
  readonly in: "path" | "query" | "header" | "cookie"
  readonly required?: boolean
  readonly schema: JsonObject
  readonly description?: string
}

/** One HTTP operation of the contract. */
export interface Operation {
  readonly operationId: string
  readonly method: string
  readonly path: string
  readonly idempotent: boolean
  readonly parameters: ReadonlyArray<Parameter>
  readonly requestBody: { readonly required: boolean; readonly schema: JsonObject; readonly media: "application/json" | "multipart/form-data" } | undefined
  readonly successStatus: number
  /** The schema of a JSON success answer. */
  readonly successSchema: JsonObject | undefined
  /** The media types of the success answer (none for an empty one). */
  readonly successMedia: ReadonlyArray<string>
  /** The schema of each line of an NDJSON success answer (`x-item-schema`). */
  readonly itemSchema: JsonObject | undefined
  readonly errorStatuses: ReadonlyArray<number>
  readonly summary: string
  readonly description: string | undefined
  readonly tags: ReadonlyArray<string>
  /** The raw `x-sdk` extension (read by sdk.ts). */
  readonly sdk: JsonObject | undefined
}

/** The parsed contract. */
export interface Spec {
  readonly document: JsonObject
  readonly components: Readonly<Record<string, JsonObject>>
  readonly operations: ReadonlyArray<Operation>
}

const METHODS = ["get", "put", "post", "delete", "patch"] as const

const asObject = (value: unknown, where: string): JsonObject => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`openapi.yaml: ${where} must be an object`)
  }
  return value as JsonObject
}

/** `value` itself, or the object its `$ref` points to. */
export const resolveRef = (document: JsonObject, value: JsonObject): JsonObject => {
  const ref = value["$ref"]
  if (typeof ref !== "string") return value
  const target = ref.replace(/^#\//, "").split("/").reduce<unknown>(
    (node, key) => asObject(node, ref)[key],
    document
  )
  return asObject(target, ref)
}

/** The media types a request body or a response declares, in contract order. */
const mediaTypes = (holder: JsonObject): ReadonlyArray<string> => {
  const content = holder["content"]
  return content === undefined ? [] : Object.keys(asObject(content, "content"))
}

/** The schema of one media type of a request body or a response. */
const schemaOf = (holder: JsonObject, media: string, where: string): JsonObject | undefined => {
  const content = holder["content"]
  if (content === undefined) return undefined
  const entry = asObject(content, where)[media]
  return entry === undefined ? undefined : asObject(asObject(entry, `${where} ${media}`)["schema"], `${where} ${media} schema`)
}

/**
 * The schema of each line of an NDJSON answer: its `x-item-schema`, or the
 * `items` of its string schema's `contentSchema` (JSON Schema's way to say
 * what a string's decoded content is).
 */
const ndjsonItem = (media: JsonObject | undefined, where: string): JsonObject | undefined => {
  if (media === undefined) return undefined
  if (media["x-item-schema"] !== undefined) return asObject(media["x-item-schema"], `${where} x-item-schema`)
  const contentSchema = (media["schema"] as JsonObject | undefined)?.["contentSchema"] as JsonObject | undefined
  return contentSchema?.["items"] === undefined ? undefined : asObject(contentSchema["items"], `${where} contentSchema.items`)
}

/** Request body media types the SDK can send. */
const BODY_MEDIA = ["application/json", "multipart/form-data"] as const

const readOperation = (document: JsonObject, path: string, method: string, raw: JsonObject, shared: ReadonlyArray<unknown>): Operation => {
  const operationId = raw["operationId"]
  if (typeof operationId !== "string") throw new Error(`openapi.yaml: ${method} ${path} has no operationId`)
  const idempotent = raw["x-idempotent"]
  if (typeof idempotent !== "boolean") throw new Error(`openapi.yaml: ${operationId} needs x-idempotent: true|false`)
  const parameters = [...shared, ...((raw["parameters"] as Array<unknown> | undefined) ?? [])].map(
    (p) => resolveRef(document, asObject(p, `${operationId} parameter`)) as unknown as Parameter
  )
  const body = raw["requestBody"] === undefined ? undefined : resolveRef(document, asObject(raw["requestBody"], `${operationId} requestBody`))
  const bodyMedia = body === undefined ? undefined : mediaTypes(body)[0]
  if (bodyMedia !== undefined && !(BODY_MEDIA as ReadonlyArray<string>).includes(bodyMedia)) {
    throw new Error(`openapi.yaml: ${operationId}: the SDK sends ${BODY_MEDIA.join(" or ")} bodies, not ${bodyMedia}`)
  }
  const bodySchema = body === undefined || bodyMedia === undefined ? undefined : schemaOf(body, bodyMedia, `${operationId} requestBody`)
  const responses = asObject(raw["responses"], `${operationId} responses`)
  const statuses = Object.keys(responses).map(Number).sort((a, b) => a - b)
  const successStatus = statuses.find((s) => s >= 200 && s < 300)
  if (successStatus === undefined) throw new Error(`openapi.yaml: ${operationId} declares no 2xx response`)
  const success = resolveRef(document, asObject(responses[String(successStatus)], `${operationId} ${successStatus}`))
  const successMedia = mediaTypes(success)
  const ndjson = asObject(success["content"] ?? {}, `${operationId} content`)["application/x-ndjson"] as JsonObject | undefined
  return {
    operationId,
    method: method.toUpperCase(),
    path,
    idempotent,
    parameters,
    requestBody: body === undefined || bodySchema === undefined
      ? undefined
      : { required: body["required"] === true, schema: bodySchema, media: bodyMedia as (typeof BODY_MEDIA)[number] },
    successStatus,
    successSchema: schemaOf(success, "application/json", `${operationId} ${successStatus}`),
    successMedia,
    itemSchema: ndjsonItem(ndjson, operationId),
    errorStatuses: statuses.filter((s) => s >= 400),
    summary: typeof raw["summary"] === "string" ? raw["summary"] : operationId,
    description: typeof raw["description"] === "string" ? raw["description"] : undefined,
    tags: Array.isArray(raw["tags"]) ? (raw["tags"] as Array<string>) : [],
    sdk: raw["x-sdk"] === undefined ? undefined : asObject(raw["x-sdk"], `${operationId} x-sdk`)
  }
}

/** Loads and indexes the contract at `file`. */
export const loadSpec = (file: string): Spec => {
  const document = asObject(parse(readFileSync(file, "utf8")), "the document")
  const paths = asObject(document["paths"], "paths")
  const operations: Array<Operation> = []
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = asObject(rawItem, path)
    const shared = (item["parameters"] as Array<unknown> | undefined) ?? []
    for (const method of METHODS) {
      if (item[method] === undefined) continue
      const raw = asObject(item[method], `${method} ${path}`)
      // The client sends the API key on every request (src/transport.ts): a route's own security would be ignored.
      if (raw["security"] !== undefined) throw new Error(`openapi.yaml: ${method} ${path}: security is global; a route of its own is not supported`)
      operations.push(readOperation(document, path, method, raw, shared))
    }
  }
  const components = asObject(asObject(document["components"], "components")["schemas"], "components.schemas")
  return { document, components: components as Record<string, JsonObject>, operations }
}

/** `getMemory` -> `GetMemory`. */
export const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1)

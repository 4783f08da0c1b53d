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
  readonly requestBody: { readonly required: boolean; readonly schema: JsonObject } | undefined
  readonly successStatus: number
  readonly successSchema: JsonObject | undefined
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

const jsonSchemaOf = (document: JsonObject, holder: JsonObject, where: string): JsonObject | undefined => {
  const content = holder["content"]
  if (content === undefined) return undefined
  const json = asObject(asObject(content, where)["application/json"], `${where} application/json`)
  return asObject(json["schema"], `${where} schema`)
}

const readOperation = (document: JsonObject, path: string, method: string, raw: JsonObject, shared: ReadonlyArray<unknown>): Operation => {
  const operationId = raw["operationId"]
  if (typeof operationId !== "string") throw new Error(`openapi.yaml: ${method} ${path} has no operationId`)
  const idempotent = raw["x-idempotent"]
  if (typeof idempotent !== "boolean") throw new Error(`openapi.yaml: ${operationId} needs x-idempotent: true|false`)
  const parameters = [...shared, ...((raw["parameters"] as Array<unknown> | undefined) ?? [])].map(
    (p) => resolveRef(document, asObject(p, `${operationId} parameter`)) as unknown as Parameter
  )
  const body = raw["requestBody"] === undefined ? undefined : resolveRef(document, asObject(raw["requestBody"], `${operationId} requestBody`))
  const bodySchema = body === undefined ? undefined : jsonSchemaOf(document, body, `${operationId} requestBody`)
  const responses = asObject(raw["responses"], `${operationId} responses`)
  const statuses = Object.keys(responses).map(Number).sort((a, b) => a - b)
  const successStatus = statuses.find((s) => s >= 200 && s < 300)
  if (successStatus === undefined) throw new Error(`openapi.yaml: ${operationId} declares no 2xx response`)
  const success = resolveRef(document, asObject(responses[String(successStatus)], `${operationId} ${successStatus}`))
  return {
    operationId,
    method: method.toUpperCase(),
    path,
    idempotent,
    parameters,
    requestBody: body === undefined || bodySchema === undefined
      ? undefined
      : { required: body["required"] === true, schema: bodySchema },
    successStatus,
    successSchema: jsonSchemaOf(document, success, `${operationId} ${successStatus}`),
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
      if (item[method] !== undefined) operations.push(readOperation(document, path, method, asObject(item[method], `${method} ${path}`), shared))
    }
  }
  const components = asObject(asObject(document["components"], "components")["schemas"], "components.schemas")
  return { document, components: components as Record<string, JsonObject>, operations }
}

/** `getMemory` -> `GetMemory`. */
export const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1)

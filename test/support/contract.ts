/**
 * A reading of openapi.yaml for tests, written independently of codegen/ so
 * that tests compare what codegen produced with what the contract says.
 *
 * @module
 */
import { readFileSync } from "node:fs"
import * as Predicate from "effect/Predicate"
import { parse } from "yaml"
import { resolveRef as resolveDocumentRef } from "./openapi-document.ts"

/** A JSON object from the contract. */
export type ContractObject = { readonly [key: string]: unknown }

/** An HTTP operation as openapi.yaml declares it. */
export interface ContractOperation {
  readonly operationId: string
  /** Upper-case HTTP method. */
  readonly method: string
  readonly path: string
  /** The raw `x-idempotent` value (a boolean when the contract is well-formed). */
  readonly xIdempotent: unknown
  /** Every declared response status, ascending. */
  readonly statuses: ReadonlyArray<number>
  /** Path-level and operation-level parameters, `$ref`s resolved. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly in: string; readonly required: boolean }>
  readonly hasRequestBody: boolean
  /** The media types of the first success answer (none for an empty one). */
  readonly successMedia: ReadonlyArray<string>
  /** The JSON body (media object) of each success status. */
  readonly successBodies: Readonly<Record<number, unknown>>
}

/** The operationIds of every operation tagged with one of `tags`, in contract order. */
export const operationsTagged = (tags: ReadonlyArray<string>): ReadonlyArray<string> => {
  const paths = contract["paths"] as Record<string, Record<string, { readonly tags?: ReadonlyArray<string> }>>
  return contractOperations
    .filter((op) => (paths[op.path]?.[op.method.toLowerCase()]?.tags ?? []).some((tag) => tags.includes(tag)))
    .map((op) => op.operationId)
}

/** One `example` (or `examples` entry) of the contract and the component schema it illustrates. */
export interface ContractExample {
  /** Where the example sits, e.g. `components.schemas.Memory.example`. */
  readonly where: string
  /** Name of the component schema it must satisfy, or `undefined` when the schema is inline. */
  readonly schema: string | undefined
  readonly value: unknown
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const

const objectAt = (value: unknown, where: string): ContractObject => {
  if (!Predicate.isObject(value)) throw new Error(`openapi.yaml: ${where} is not an object`)
  return value
}

/** The parsed openapi.yaml (YAML aliases resolved). */
export const contract: ContractObject = objectAt(
  parse(readFileSync(new URL("../../openapi.yaml", import.meta.url), "utf8")),
  "the document"
)

/** Follows a local `$ref` such as `#/components/schemas/Memory`; returns `value` itself when it is no reference. */
export const resolveRef = (value: unknown): ContractObject => resolveDocumentRef(contract, objectAt(value, "a referenced node"))

const refName = (schema: unknown): string | undefined => {
  if (!Predicate.isObject(schema)) return undefined
  const ref = schema["$ref"]
  return typeof ref === "string" && ref.startsWith("#/components/schemas/") ? ref.split("/").at(-1) : undefined
}

const entries = (value: unknown, where: string): Array<[string, unknown]> =>
  value === undefined ? [] : Object.entries(objectAt(value, where))

/** Names of `components.schemas`, in document order. */
export const componentSchemaNames: ReadonlyArray<string> = Object.keys(
  objectAt(objectAt(contract["components"], "components")["schemas"], "components.schemas")
)

/** Every operation under `paths`, in document order. */
/** The media types of the first success answer, and the body schema of each success status. */
const successes = (responses: Record<string, unknown>): Pick<ContractOperation, "successMedia" | "successBodies"> => {
  const bodies: Record<number, unknown> = {}
  let media: ReadonlyArray<string> | undefined
  for (const [status, raw] of Object.entries(responses)) {
    if (!status.startsWith("2")) continue
    const content = resolveRef(raw)["content"]
    const types = content === undefined ? [] : Object.keys(objectAt(content, status))
    media ??= types
    bodies[Number(status)] = content === undefined ? undefined : objectAt(content, status)["application/json"]
  }
  return { successMedia: media ?? [], successBodies: bodies }
}

export const contractOperations: ReadonlyArray<ContractOperation> = entries(contract["paths"], "paths").flatMap(
  ([path, rawItem]) => {
    const item = objectAt(rawItem, path)
    const shared = Array.isArray(item["parameters"]) ? item["parameters"] : []
    return METHODS.flatMap((method): Array<ContractOperation> => {
      if (item[method] === undefined) return []
      const operation = objectAt(item[method], `${method} ${path}`)
      const own = Array.isArray(operation["parameters"]) ? operation["parameters"] : []
      return [{
        operationId: String(operation["operationId"]),
        method: method.toUpperCase(),
        path,
        xIdempotent: operation["x-idempotent"],
        statuses: Object.keys(objectAt(operation["responses"], `${method} ${path} responses`)).map(Number).sort((a, b) => a - b),
        parameters: [...shared, ...own].map((raw) => {
          const parameter = resolveRef(raw)
          return { name: String(parameter["name"]), in: String(parameter["in"]), required: parameter["required"] === true }
        }),
        hasRequestBody: operation["requestBody"] !== undefined,
        ...successes(objectAt(operation["responses"], `${method} ${path} responses`))
      }]
    })
  }
)

/** Examples of JSON bodies (an NDJSON, text or binary example is not one JSON value to decode). */
const mediaExamples = (content: unknown, where: string): Array<ContractExample> =>
  entries(content, where).flatMap(([mediaType, rawMedia]) => {
    if (mediaType !== "application/json") return []
    const media = objectAt(rawMedia, `${where}.${mediaType}`)
    const schema = refName(media["schema"])
    const at = `${where}.${mediaType}`
    return [
      ...(media["example"] === undefined ? [] : [{ where: `${at}.example`, schema, value: media["example"] }]),
      ...entries(media["examples"], `${at}.examples`).map(([name, example]) => ({
        where: `${at}.examples.${name}`,
        schema,
        value: resolveRef(example)["value"]
      }))
    ]
  })

const responseExamples = (responses: unknown, where: string): Array<ContractExample> =>
  entries(responses, where).flatMap(([status, response]) => {
    const resolved = resolveRef(response)
    // A $ref'd response is listed once, under components.responses.
    return Predicate.isObject(response) && "$ref" in response ? [] : mediaExamples(resolved["content"], `${where}.${status}.content`)
  })

/**
 * Every example in the contract: schema-level `example`/`examples` of
 * components.schemas, and media-type examples of components.responses,
 * components.requestBodies and every operation's request body and responses.
 */
export const contractExamples: ReadonlyArray<ContractExample> = (() => {
  const components = objectAt(contract["components"], "components")
  const fromSchemas = entries(components["schemas"], "components.schemas").flatMap(([name, raw]) => {
    const schema = objectAt(raw, name)
    const listed = Array.isArray(schema["examples"]) ? schema["examples"] : []
    return [
      ...(schema["example"] === undefined ? [] : [{ where: `components.schemas.${name}.example`, schema: name, value: schema["example"] }]),
      ...listed.map((value, i) => ({ where: `components.schemas.${name}.examples[${i}]`, schema: name, value }))
    ]
  })
  const fromResponses = entries(components["responses"], "components.responses").flatMap(([name, response]) =>
    mediaExamples(objectAt(response, name)["content"], `components.responses.${name}.content`)
  )
  const fromRequestBodies = entries(components["requestBodies"], "components.requestBodies").flatMap(([name, body]) =>
    mediaExamples(objectAt(body, name)["content"], `components.requestBodies.${name}.content`)
  )
  const fromPaths = entries(contract["paths"], "paths").flatMap(([path, rawItem]) =>
    METHODS.flatMap((method) => {
      const operation = objectAt(rawItem, path)[method]
      if (operation === undefined) return []
      const where = `paths.${path}.${method}`
      const raw = objectAt(operation, where)
      const body = raw["requestBody"]
      return [
        ...(body === undefined || "$ref" in objectAt(body, where) ? [] : mediaExamples(objectAt(body, where)["content"], `${where}.requestBody.content`)),
        ...responseExamples(raw["responses"], `${where}.responses`)
      ]
    })
  )
  return [...fromSchemas, ...fromResponses, ...fromRequestBodies, ...fromPaths]
})()

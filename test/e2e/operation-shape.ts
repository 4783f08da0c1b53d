/**
 * The comparable shape of one HTTP operation of an OpenAPI document: its
 * parameters, request body fields, success status and success body fields.
 */
import { arrayOr, objectOr, resolveRef, stringOr, type JsonObject } from "../support/openapi-document.ts"
import { schemaFields, type SchemaFields } from "./schema-fields.ts"

/** Where a parameter goes. Cookies are not used by this API. */
export type ParameterLocation = "path" | "query" | "header"

/** One parameter, reduced to what the comparison needs. */
export interface Parameter {
  readonly location: ParameterLocation
  /** As the document writes it. */
  readonly name: string
  readonly required: boolean
}

const LOCATIONS: ReadonlyArray<string> = ["path", "query", "header"]

const isLocation = (value: string | undefined): value is ParameterLocation => value !== undefined && LOCATIONS.includes(value)

/** What an operation accepts and answers, reduced to names and required flags. */
export interface OperationShape {
  /** Keyed by `<location>:<name>`, header names lower-cased (they are case-insensitive). */
  readonly parameters: ReadonlyMap<string, Parameter>
  /** Undefined when the operation takes no body. */
  readonly requestBody: { readonly required: boolean; readonly fields: SchemaFields } | undefined
  /** The lowest 2xx status the operation declares. */
  readonly successStatus: string
  /** Undefined when the success response has no JSON body. */
  readonly responseBody: SchemaFields | undefined
}

const METHODS = ["get", "put", "post", "delete", "patch"] as const

/** An operation found in a document by method and path. */
export interface LocatedOperation {
  readonly method: string
  readonly path: string
  readonly operation: JsonObject
}

/** Every operation of a document, in document order. */
export const operationsOf = (document: JsonObject): ReadonlyArray<LocatedOperation> =>
  Object.entries(objectOr(document["paths"])).flatMap(([path, item]) =>
    METHODS.filter((method) => objectOr(item)[method] !== undefined).map((method) => ({
      method,
      path,
      operation: objectOr(objectOr(item)[method])
    }))
  )

/** The operation at `method` `path`, or undefined when the document has no such route. */
export const findOperation = (document: JsonObject, method: string, path: string): JsonObject | undefined => {
  const operation = objectOr(objectOr(document["paths"])[path])[method]
  return operation === undefined ? undefined : objectOr(operation)
}

const jsonSchemaOf = (document: JsonObject, holder: JsonObject): unknown =>
  objectOr(objectOr(resolveRef(document, holder)["content"])["application/json"])["schema"]

/** Reads the comparable shape of `operation` (which also sees the parameters of its path item). */
export const operationShape = (document: JsonObject, method: string, path: string, operation: JsonObject): OperationShape => {
  const shared = arrayOr(objectOr(objectOr(document["paths"])[path])["parameters"])
  const parameters = new Map<string, Parameter>()
  for (const raw of [...shared, ...arrayOr(operation["parameters"])]) {
    const parameter = resolveRef(document, raw)
    const location = stringOr(parameter["in"])
    const name = stringOr(parameter["name"])
    if (!isLocation(location) || name === undefined) throw new Error(`${method} ${path}: a parameter has no name or an unexpected "in"`)
    const key = `${location}:${location === "header" ? name.toLowerCase() : name}`
    parameters.set(key, { location, name, required: parameter["required"] === true })
  }

  const body = operation["requestBody"] === undefined ? undefined : resolveRef(document, operation["requestBody"])
  const bodySchema = body === undefined ? undefined : jsonSchemaOf(document, body)

  const responses = objectOr(operation["responses"])
  const successStatus = Object.keys(responses)
    .filter((status) => /^2\d\d$/.test(status))
    .sort()[0]
  if (successStatus === undefined) throw new Error(`${method} ${path} declares no 2xx response`)
  const responseSchema = jsonSchemaOf(document, objectOr(responses[successStatus]))

  return {
    parameters,
    requestBody:
      body === undefined || bodySchema === undefined
        ? undefined
        : { required: body["required"] === true, fields: schemaFields(document, bodySchema) },
    successStatus,
    responseBody: responseSchema === undefined ? undefined : schemaFields(document, responseSchema)
  }
}

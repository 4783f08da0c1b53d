/**
 * Emits Effect Schemas for every component schema and for every operation's
 * input and success body. The translation from JSON Schema to Schema source is
 * Effect's own (`JsonSchema.fromSchemaOpenApi3_1`,
 * `SchemaRepresentation.fromJsonSchemaMultiDocument`, `toRepresentations`,
 * `toCodeDocument`); this module only decides what the roots are.
 */
import * as JsonSchema from "effect/JsonSchema"
import * as SchemaRepresentation from "effect/SchemaRepresentation"
import { readMethod, wireFields } from "./sdk.ts"
import { type JsonObject, type Operation, pascal, resolveRef, type Spec } from "./spec.ts"

/** The fields of one location as a closed object; those the SDK fills itself are optional. */
const fieldsObject = (spec: Spec, operation: Operation, location: "path" | "query" | "header", sdkFilled: ReadonlySet<string>): JsonObject | undefined => {
  const fields = wireFields(spec, operation).filter((f) => f.location === location)
  if (fields.length === 0) return undefined
  return {
    type: "object",
    additionalProperties: false,
    required: fields.filter((f) => f.required && !sdkFilled.has(f.name)).map((f) => f.name),
    properties: Object.fromEntries(fields.map((f) => [f.name, f.schema]))
  }
}

/**
 * The JSON Schema of what a caller supplies: `{ path?, query?, headers?, body? }`.
 * A multipart body is checked without its file part (the SDK checks the file
 * itself: a Blob, a stream or bytes, not a JSON value).
 */
export const inputSchema = (spec: Spec, operation: Operation): JsonObject => {
  const method = readMethod(spec, operation)
  const sdkFilled = new Set([
    ...(method.idempotencyKey ? ["Idempotency-Key"] : []),
    ...(method.etag === undefined ? [] : ["If-Match"]),
    ...Object.keys(method.send["header"] ?? {})
  ])
  const properties: Record<string, JsonObject> = {}
  const required: Array<string> = []
  for (const location of ["path", "query", "header"] as const) {
    const object = fieldsObject(spec, operation, location, sdkFilled)
    if (object === undefined) continue
    const key = location === "header" ? "headers" : location
    properties[key] = object
    if ((object["required"] as Array<string>).length > 0) required.push(key)
  }
  if (operation.requestBody !== undefined) {
    let body = operation.requestBody.schema
    if (method.upload !== undefined) {
      const form = resolveRef(spec.document, body)
      const { [method.upload.part]: _file, ...rest } = (form["properties"] as Record<string, JsonObject> | undefined) ?? {}
      body = { ...form, properties: rest, required: ((form["required"] as Array<string> | undefined) ?? []).filter((r) => r !== method.upload?.part) }
    }
    properties["body"] = body
    if (operation.requestBody.required) required.push("body")
  }
  return { type: "object", additionalProperties: false, required, properties }
}

/** Keywords whose value maps names to schemas: their keys are names, never keywords. */
const NAMED = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"])

/**
 * Examples and descriptions serve the mock and the docs; leaving them out
 * keeps the runtime schemas small. Only the keywords go: a property that is
 * called `description` stays.
 */
const withoutDocs = (value: unknown, named = false): unknown => {
  if (Array.isArray(value)) return value.map((v) => withoutDocs(v))
  if (typeof value !== "object" || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => named || (key !== "example" && key !== "examples" && key !== "description"))
      .map(([key, v]) => [key, named ? withoutDocs(v) : withoutDocs(v, NAMED.has(key))])
  )
}

const refName = (schema: JsonObject | undefined): string | undefined => {
  const ref = schema?.["$ref"]
  return typeof ref === "string" ? ref.split("/").at(-1) : undefined
}

/** The schema roots of the contract, translated by Effect into its schema representation. */
export interface Representations {
  /** Root names, in order: every component, then each operation's input (and anonymous output). */
  readonly names: ReadonlyArray<string>
  readonly document: SchemaRepresentation.MultiDocument
  /** Per operationId, the root names of its input, its JSON success body and its NDJSON lines. */
  readonly table: ReadonlyArray<{ readonly operationId: string; readonly input: string; readonly output: string | undefined; readonly record: string | undefined }>
}

/**
 * Translates every component and every operation's input and success body
 * with Effect's own JSON Schema reader. Both the Schema source and the fast
 * checkers are generated from this one representation, so they agree.
 */
export const representations = (spec: Spec): Representations => {
  const definitions: Record<string, JsonObject> = {}
  for (const [name, schema] of Object.entries(spec.components)) definitions[name] = schema
  const table: Array<{ operationId: string; input: string; output: string | undefined; record: string | undefined }> = []
  for (const operation of spec.operations) {
    const input = `${pascal(operation.operationId)}Input`
    definitions[input] = inputSchema(spec, operation)
    let output = refName(operation.successSchema)
    if (output === undefined && operation.successSchema !== undefined) {
      output = `${pascal(operation.operationId)}Output`
      definitions[output] = operation.successSchema
    }
    let record = refName(operation.itemSchema)
    if (record === undefined && operation.itemSchema !== undefined) {
      record = `${pascal(operation.operationId)}Record`
      definitions[record] = operation.itemSchema
    }
    table.push({ operationId: operation.operationId, input, output, record })
  }
  const names = Object.keys(definitions)
  const document: JsonSchema.MultiDocument<"draft-2020-12"> = {
    dialect: "draft-2020-12",
    schemas: names.map((name) => ({ $ref: `#/$defs/${name}` })) as unknown as JsonSchema.MultiDocument<"draft-2020-12">["schemas"],
    definitions: Object.fromEntries(
      names.map((name) => [name, JsonSchema.fromSchemaOpenApi3_1(withoutDocs(definitions[name]) as JsonSchema.JsonSchema).schema])
    )
  }
  // The contract is ours and trusted, so its patterns are applied.
  const schemas = SchemaRepresentation.fromJsonSchemaMultiDocument(document, { patterns: "apply" })
  return { names, document: SchemaRepresentation.toRepresentations(schemas.map((schema) => schema.ast) as never), table }
}

/** Generated TypeScript source of `schemas.gen.ts`. */
export const emitEffectSchemas = (spec: Spec, header: string): string => {
  const { names, document, table } = representations(spec)
  const code = SchemaRepresentation.toCodeDocument(document)
  if (Object.keys(code.references.recursives).length > 0) {
    throw new Error(`recursive schemas are not supported: ${Object.keys(code.references.recursives).join(", ")}`)
  }
  const imports = code.artifacts.flatMap((a) => (a._tag === "Import" ? [a.importDeclaration] : []))
  const out: Array<string> = [header, `import * as Schema from "effect/Schema"`, ...imports, ""]
  for (const artifact of code.artifacts) {
    if (artifact._tag !== "Import") out.push(`const ${artifact.identifier} = ${artifact.code.runtime}`, "")
  }
  for (const { $ref, code: c } of code.references.nonRecursives) {
    out.push(`export const ${$ref} = ${c.runtime}`, `export type ${$ref} = ${c.Type}`, "")
  }
  const rootNames = new Set(code.references.nonRecursives.map((r) => r.$ref))
  code.codes.forEach((c, i) => {
    const name = names[i] as string
    if (!rootNames.has(name)) out.push(`export const ${name} = ${c.runtime}`, `export type ${name} = typeof ${name}.Type`, "")
  })
  out.push(
    // Declared, not inferred: the inferred type of the table outgrows what the compiler writes into declarations.
    "/** The schemas of each operation: its input, success body and NDJSON line. */",
    "export interface OperationSchemas {",
    ...table.map(({ operationId, input, output, record }) =>
      `  readonly ${operationId}: { readonly input: typeof ${input}; readonly output: ${output === undefined ? "undefined" : `typeof ${output}`}; readonly record: ${record === undefined ? "undefined" : `typeof ${record}`} }`
    ),
    "}",
    "",
    "/** Input, success-body and NDJSON-line schemas of every operation, by operationId. */",
    "export const operationSchemas: OperationSchemas = {",
    ...table.map(({ operationId, input, output, record }) => `  ${operationId}: { input: ${input}, output: ${output ?? "undefined"}, record: ${record ?? "undefined"} },`),
    "}",
    ""
  )
  return out.join("\n")
}

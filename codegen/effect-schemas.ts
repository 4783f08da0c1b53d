/**
 * Emits Effect Schemas for every component schema and for every operation's
 * input and success body. The translation from JSON Schema to Schema source is
 * Effect's own (`JsonSchema.fromSchemaOpenApi3_1`,
 * `SchemaRepresentation.fromJsonSchemaMultiDocument`, `toRepresentations`,
 * `toCodeDocument`); this module only decides what the roots are.
 */
import * as JsonSchema from "effect/JsonSchema"
import * as SchemaRepresentation from "effect/SchemaRepresentation"
import { type JsonObject, type Operation, pascal, type Spec } from "./spec.ts"

const parameterObject = (operation: Operation, location: "path" | "query"): JsonObject | undefined => {
  const parameters = operation.parameters.filter((p) => p.in === location)
  if (parameters.length === 0) return undefined
  return {
    type: "object",
    additionalProperties: false,
    required: parameters.filter((p) => p.required === true).map((p) => p.name),
    properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema]))
  }
}

/** The JSON Schema of what a caller supplies: `{ path?, query?, body? }`. */
export const inputSchema = (operation: Operation): JsonObject => {
  const properties: Record<string, JsonObject> = {}
  const required: Array<string> = []
  const path = parameterObject(operation, "path")
  if (path !== undefined) {
    properties["path"] = path
    required.push("path")
  }
  const query = parameterObject(operation, "query")
  if (query !== undefined) properties["query"] = query
  if (operation.requestBody !== undefined) {
    properties["body"] = operation.requestBody.schema
    if (operation.requestBody.required) required.push("body")
  }
  return { type: "object", additionalProperties: false, required, properties }
}

/** Examples serve the mock and the docs; leaving them out keeps the runtime schemas small. */
const withoutExamples = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutExamples)
  if (typeof value !== "object" || value === null) return value
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => key !== "example" && key !== "examples").map(([key, v]) => [key, withoutExamples(v)])
  )
}

const refName = (schema: JsonObject | undefined): string | undefined => {
  const ref = schema?.["$ref"]
  return typeof ref === "string" ? ref.split("/").at(-1) : undefined
}

/** Generated TypeScript source of `schemas.gen.ts`. */
export const emitEffectSchemas = (spec: Spec, header: string): string => {
  const definitions: Record<string, JsonObject> = {}
  for (const [name, schema] of Object.entries(spec.components)) definitions[name] = schema
  const table: Array<{ operationId: string; input: string; output: string | undefined }> = []
  for (const operation of spec.operations) {
    const input = `${pascal(operation.operationId)}Input`
    definitions[input] = inputSchema(operation)
    let output = refName(operation.successSchema)
    if (output === undefined && operation.successSchema !== undefined) {
      output = `${pascal(operation.operationId)}Output`
      definitions[output] = operation.successSchema
    }
    table.push({ operationId: operation.operationId, input, output })
  }
  const names = Object.keys(definitions)
  const document: JsonSchema.MultiDocument<"draft-2020-12"> = {
    dialect: "draft-2020-12",
    schemas: names.map((name) => ({ $ref: `#/$defs/${name}` })) as unknown as JsonSchema.MultiDocument<"draft-2020-12">["schemas"],
    definitions: Object.fromEntries(
      names.map((name) => [name, JsonSchema.fromSchemaOpenApi3_1(withoutExamples(definitions[name]) as JsonSchema.JsonSchema).schema])
    )
  }
  // The contract is ours and trusted, so its patterns are applied.
  const schemas = SchemaRepresentation.fromJsonSchemaMultiDocument(document, { patterns: "apply" })
  const code = SchemaRepresentation.toCodeDocument(
    SchemaRepresentation.toRepresentations(schemas.map((schema) => schema.ast) as never)
  )
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
    "/** Input and success-body schemas of every operation, by operationId. */",
    "export const operationSchemas = {",
    ...table.map(({ operationId, input, output }) => `  ${operationId}: { input: ${input}, output: ${output ?? "undefined"} },`),
    "} as const",
    ""
  )
  return out.join("\n")
}

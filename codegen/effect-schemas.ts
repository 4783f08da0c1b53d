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

/** Examples and descriptions serve the mock and the docs; leaving them out keeps the runtime schemas small. */
const withoutDocs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutDocs)
  if (typeof value !== "object" || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "example" && key !== "examples" && key !== "description")
      .map(([key, v]) => [key, withoutDocs(v)])
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
  /** Per operationId, the root names of its input and success body. */
  readonly table: ReadonlyArray<{ readonly operationId: string; readonly input: string; readonly output: string | undefined }>
}

/**
 * Translates every component and every operation's input and success body
 * with Effect's own JSON Schema reader. Both the Schema source and the fast
 * checkers are generated from this one representation, so they agree.
 */
export const representations = (spec: Spec): Representations => {
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
    "/** Input and success-body schemas of every operation, by operationId. */",
    "export const operationSchemas = {",
    ...table.map(({ operationId, input, output }) => `  ${operationId}: { input: ${input}, output: ${output ?? "undefined"} },`),
    "} as const",
    ""
  )
  return out.join("\n")
}

/**
 * Flattens a JSON Schema into the field names it declares, so that two
 * documents can be compared field by field whatever their `$ref` layout.
 *
 * Field names are dotted paths: `memory.tags`, `memories[].id`,
 * `variables{}.type` (values of a map), and for a discriminated union one set
 * per variant, labelled by its tag: `operations[op=create].content`.
 */
import { arrayOr, isObject, objectOr, resolveRef, stringOr, type JsonObject } from "../support/openapi-document.ts"

/** One declared field. */
export interface Field {
  /** Its parent object lists it in `required`. */
  readonly required: boolean
}

/** The fields a schema declares, and for every object in it whether it is closed. */
export interface SchemaFields {
  readonly fields: ReadonlyMap<string, Field>
  /** Object paths ("" for the root) mapped to true when `additionalProperties: false`. */
  readonly objects: ReadonlyMap<string, boolean>
}

const MAX_DEPTH = 8

const isNullSchema = (schema: JsonObject): boolean => schema["type"] === "null"

const join = (prefix: string, name: string): string => (prefix === "" ? name : `${prefix}.${name}`)

const withVariant = (prefix: string, label: string): string =>
  prefix.endsWith("[]") ? `${prefix.slice(0, -2)}[${label}]` : `${prefix}[${label}]`

/** The tag value a variant of a discriminated union carries, read from its schema or the mapping. */
const variantTag = (document: JsonObject, variant: unknown, property: string, mapping: JsonObject): string => {
  const ref = stringOr(objectOr(variant)["$ref"])
  const mapped = Object.entries(mapping).find(([, target]) => target === ref)?.[0]
  if (mapped !== undefined) return mapped
  const tag = objectOr(objectOr(resolveRef(document, variant)["properties"])[property])
  const values = tag["const"] !== undefined ? [tag["const"]] : arrayOr(tag["enum"])
  if (values.length === 1 && typeof values[0] === "string") return values[0]
  throw new Error(`a variant of the union on "${property}" has no single tag value`)
}

interface Sink {
  readonly fields: Map<string, Field>
  readonly objects: Map<string, boolean>
}

/** A field met twice (through `allOf`, say) is required when either declaration requires it. */
const addField = (sink: Sink, path: string, required: boolean): void => {
  sink.fields.set(path, { required: required || sink.fields.get(path)?.required === true })
}

const walk = (document: JsonObject, raw: unknown, prefix: string, refs: ReadonlyArray<string>, sink: Sink): void => {
  const ref = stringOr(objectOr(raw)["$ref"])
  if ((ref !== undefined && refs.includes(ref)) || refs.length > MAX_DEPTH) return
  const seen = ref === undefined ? refs : [...refs, ref]
  const schema = resolveRef(document, raw)

  for (const part of arrayOr(schema["allOf"])) walk(document, part, prefix, seen, sink)

  const union = [...arrayOr(schema["anyOf"]), ...arrayOr(schema["oneOf"])].filter(
    (variant) => !isNullSchema(resolveRef(document, variant))
  )
  const discriminator = objectOr(schema["discriminator"])
  const tagProperty = stringOr(discriminator["propertyName"])
  if (tagProperty !== undefined) {
    for (const variant of union) {
      const tag = variantTag(document, variant, tagProperty, objectOr(discriminator["mapping"]))
      walk(document, variant, withVariant(prefix, `${tagProperty}=${tag}`), seen, sink)
    }
  } else if (union.length === 1) {
    walk(document, union[0], prefix, seen, sink)
  } else if (union.length > 1) {
    const variants = union.map((variant) => {
      const own: Sink = { fields: new Map(), objects: new Map() }
      walk(document, variant, prefix, seen, own)
      return own
    })
    for (const own of variants) {
      for (const [path, field] of own.fields) {
        addField(sink, path, field.required && variants.every((other) => other.fields.get(path)?.required === true))
      }
      for (const [path, closed] of own.objects) sink.objects.set(path, closed)
    }
  }

  if (schema["items"] !== undefined) walk(document, schema["items"], `${prefix}[]`, seen, sink)

  const properties = objectOr(schema["properties"])
  const additional = schema["additionalProperties"]
  if (schema["type"] === "object" || Object.keys(properties).length > 0) {
    sink.objects.set(prefix, additional === false)
    const required = new Set(arrayOr(schema["required"]).filter((name) => typeof name === "string"))
    for (const [name, property] of Object.entries(properties)) {
      const path = join(prefix, name)
      addField(sink, path, required.has(name))
      walk(document, property, path, seen, sink)
    }
    if (isObject(additional) && Object.keys(additional).length > 0) walk(document, additional, `${prefix}{}`, seen, sink)
  }
}

/**
 * Lists the fields that `schema` declares, resolving `$ref`s against
 * `document`, looking through nullable `anyOf`s, arrays, `allOf`s and maps,
 * and splitting discriminated unions into one set of fields per variant.
 * A non-discriminated union of objects contributes the fields of every
 * variant, required only where every variant requires them.
 */
export const schemaFields = (document: JsonObject, schema: unknown): SchemaFields => {
  const fields = new Map<string, Field>()
  const objects = new Map<string, boolean>()
  walk(document, schema, "", [], { fields, objects })
  return { fields, objects }
}

/**
 * Emits fast checking functions from Effect's schema representation of the
 * contract: plain JavaScript that answers "does this value decode, unchanged,
 * with the generated Schema?" without building an issue tree.
 *
 * A checker may answer `false` for a value the Schema would accept (then the
 * runner asks the Schema, which decides and words any error), but never `true`
 * for a value the Schema would refuse or change. So:
 * - objects with a key the schema does not name answer `false` (the Schema
 *   refuses it in a request and strips it from an answer);
 * - in a request ("user" mode) only plain objects with no symbol keys pass;
 * - every node kind and check the contract uses is translated here, and an
 *   unknown one fails codegen instead of passing silently.
 * test/unit/checkers.test.ts holds the checkers to this against the Schemas.
 */
import type * as SchemaRepresentation from "effect/SchemaRepresentation"

type Representation = SchemaRepresentation.Representation
type Check = SchemaRepresentation.Check

/** JavaScript source of a boolean expression for one check of a string, number or array. */
const checkExpression = (check: Check, v: string): string => {
  if (check._tag === "FilterGroup") return check.checks.map((c) => checkExpression(c, v)).join(" && ")
  const id = check.representation?.id
  const payload = (check.representation?.payload ?? {}) as Record<string, unknown>
  switch (id) {
    case "effect/schema/isFinite":
      return `Number.isFinite(${v})`
    case "effect/schema/isInt":
      return `Number.isSafeInteger(${v})`
    case "effect/schema/isGreaterThanOrEqualTo":
      return `${v} >= ${JSON.stringify(payload["minimum"])}`
    case "effect/schema/isLessThanOrEqualTo":
      return `${v} <= ${JSON.stringify(payload["maximum"])}`
    case "effect/schema/isGreaterThan":
      return `${v} > ${JSON.stringify(payload["exclusiveMinimum"])}`
    case "effect/schema/isLessThan":
      return `${v} < ${JSON.stringify(payload["exclusiveMaximum"])}`
    case "effect/schema/isMinLength":
      return `${v}.length >= ${JSON.stringify(payload["minLength"])}`
    case "effect/schema/isMaxLength":
      return `${v}.length <= ${JSON.stringify(payload["maxLength"])}`
    case "effect/schema/isMinProperties":
      return `Object.keys(${v}).length >= ${JSON.stringify(payload["minProperties"])}`
    case "effect/schema/isMaxProperties":
      return `Object.keys(${v}).length <= ${JSON.stringify(payload["maxProperties"])}`
    case "effect/schema/isMultipleOf":
      return `${v} % ${JSON.stringify(payload["divisor"])} === 0`
    case "effect/schema/isUnique":
      return `uniquePrimitives(${v})`
    case "effect/schema/isMinCodePoints":
      return `codePointsAtLeast(${v}, ${JSON.stringify(payload["minCodePoints"])})`
    case "effect/schema/isMaxCodePoints":
      return `codePointsAtMost(${v}, ${JSON.stringify(payload["maxCodePoints"])})`
    case "effect/schema/isPattern":
      return `pattern(${JSON.stringify(payload["source"])}, ${JSON.stringify(payload["flags"])}).test(${v})`
    default:
      throw new Error(`codegen/checkers.ts: no fast check for ${String(id)}; add one (and its test)`)
  }
}

const withChecks = (base: string, checks: ReadonlyArray<Check>, v: string): string =>
  checks.length === 0 ? base : `(${[base, ...checks.map((c) => checkExpression(c, v))].join(" && ")})`

/** Whether `undefined` may pass this node (then a key's presence must be tested, not its value). */
const admitsUndefined = (r: Representation): boolean =>
  r._tag === "Undefined" || r._tag === "Void" || r._tag === "Unknown" || r._tag === "Any" ||
  (r._tag === "Union" && r.types.some(admitsUndefined))

/**
 * Generated JavaScript of the checkers: a function per named schema the roots
 * reach, plus helper functions for inline objects and arrays.
 */
export class CheckerEmitter {
  readonly #references: SchemaRepresentation.References
  readonly #named = new Map<string, string>()
  readonly #helpers: Array<string> = []
  readonly #literalSets: Array<string> = []
  /** Helper bodies already emitted, so equal shapes share one function. */
  readonly #bodies = new Map<string, string>()
  #count = 0

  constructor(references: SchemaRepresentation.References) {
    this.#references = references
  }

  /** The name of the checker of the named schema `$ref`, emitting it on first use. */
  named($ref: string): string {
    const known = this.#named.get($ref)
    if (known !== undefined) return known
    const name = `is${$ref}`
    this.#named.set($ref, name)
    const target = this.#references[$ref]
    if (target === undefined) throw new Error(`codegen/checkers.ts: unknown reference ${$ref}`)
    this.#helpers.push(`function ${name}(v: any, u: boolean): boolean {\n  return ${this.expression(target, "v")}\n}`)
    return name
  }

  /** A boolean JavaScript expression: `v` passes `r` (`u` is true in user mode). */
  expression(r: Representation, v: string): string {
    switch (r._tag) {
      case "Reference":
        return `${this.named(r.$ref)}(${v}, u)`
      case "Suspend":
        return this.expression(r.thunk, v)
      case "Null":
        return `${v} === null`
      case "Undefined":
        return `${v} === undefined`
      case "Never":
        return "false"
      case "Unknown":
      case "Any":
        return "true"
      case "Boolean":
        return withChecks(`typeof ${v} === "boolean"`, r.checks, v)
      case "String":
        return withChecks(`typeof ${v} === "string"`, r.checks, v)
      case "Number":
        return withChecks(`typeof ${v} === "number"`, r.checks, v)
      case "Literal":
        return withChecks(`${v} === ${JSON.stringify(r.literal)}`, r.checks, v)
      case "Declaration":
        if (r.representation?.id === "effect/schema/Json" && r.typeParameters.length === 0) return withChecks(`isJson(${v})`, r.checks, v)
        throw new Error(`codegen/checkers.ts: no fast check for declaration ${String(r.representation?.id)}`)
      case "Union":
        return withChecks(this.#union(r, v), r.checks, v)
      case "Arrays":
        return withChecks(`${this.#arrays(r)}(${v}, u)`, r.checks, v)
      case "Objects":
        return withChecks(`${this.#objects(r)}(${v}, u)`, r.checks, v)
      default:
        throw new Error(`codegen/checkers.ts: no fast check for ${r._tag}`)
    }
  }

  #union(r: SchemaRepresentation.Union, v: string): string {
    if (r.types.length > 1 && r.types.every((t) => t._tag === "Literal" && t.checks.length === 0)) {
      return `${this.#set(r.types.map((t) => (t as SchemaRepresentation.Literal).literal))}.has(${v})`
    }
    const members = r.types.map((t) => this.expression(t, v))
    if (r.options?.mode === "oneOf") return `(${members.map((m) => `(${m} ? 1 : 0)`).join(" + ")}) === 1`
    return `(${members.join(" || ")})`
  }

  /** The name of a constant `Set` of `values` (one per distinct list). */
  #set(values: ReadonlyArray<unknown>): string {
    const source = `new Set<unknown>(${JSON.stringify(values)})`
    const known = this.#bodies.get(source)
    if (known !== undefined) return known
    const name = `set${this.#literalSets.length}`
    this.#bodies.set(source, name)
    this.#literalSets.push(`const ${name} = ${source}`)
    return name
  }

  /** Emits a helper function with `body` (once per distinct body) and returns its name. */
  #helper(prefix: string, body: string): string {
    const known = this.#bodies.get(body)
    if (known !== undefined) return known
    const name = `${prefix}${this.#count++}`
    this.#bodies.set(body, name)
    this.#helpers.push(`function ${name}(v: any, u: boolean): boolean {\n${body}\n}`)
    return name
  }

  #arrays(r: SchemaRepresentation.Arrays): string {
    if (r.elements.length > 0 || r.rest.length !== 1) throw new Error("codegen/checkers.ts: only plain arrays (no tuples) have fast checks")
    const item = this.expression(r.rest[0] as Representation, "x")
    return this.#helper(
      "array",
      `  if (!Array.isArray(v)) return false\n  for (let i = 0; i < v.length; i++) {\n    const x = v[i]\n    if (!(${item})) return false\n  }\n  return true`
    )
  }

  #objects(r: SchemaRepresentation.Objects): string {
    const lines = [
      `  if (typeof v !== "object" || v === null || Array.isArray(v) || (u && !isPlain(v))) return false`,
      `  let n = ${r.propertySignatures.filter((p) => !p.isOptional).length}`,
      "  let x: any"
    ]
    const known: Array<string> = []
    for (const p of r.propertySignatures) {
      if (typeof p.name !== "string") throw new Error("codegen/checkers.ts: only string keys have fast checks")
      known.push(p.name)
      const key = JSON.stringify(p.name)
      const read = /^[A-Za-z_$][\w$]*$/.test(p.name) ? `v.${p.name}` : `v[${key}]`
      const check = this.expression(p.type, "x")
      if (!admitsUndefined(p.type)) {
        lines.push(p.isOptional ? `  x = ${read}; if (x !== undefined) { if (!(${check})) return false; n++ }` : `  x = ${read}; if (!(${check})) return false`)
      } else {
        lines.push(`  x = ${read}; if (Object.hasOwn(v, ${key})) { if (!(${check})) return false; ${p.isOptional ? "n++ " : ""}}${p.isOptional ? "" : " else return false"}`)
      }
    }
    if (r.indexSignatures.length === 0) {
      lines.push("  return (u ? Reflect.ownKeys(v) : Object.keys(v)).length === n")
      return this.#helper("object", lines.join("\n"))
    }
    if (r.indexSignatures.length > 1) throw new Error("codegen/checkers.ts: one index signature at most")
    const index = r.indexSignatures[0] as SchemaRepresentation.IndexSignature
    if (index.parameter._tag !== "String") throw new Error("codegen/checkers.ts: only string index signatures have fast checks")
    lines.push(
      "  if (u && Object.getOwnPropertySymbols(v).length > 0) return false",
      "  for (const k of Object.keys(v)) {",
      ...(known.length === 0 ? [] : [`    if (${this.#set(known)}.has(k)) { if (v[k] === undefined) return false; continue }`]),
      `    if (!(${this.expression(index.parameter, "k")})) return false`,
      "    x = v[k]",
      `    if (!(${this.expression(index.type, "x")})) return false`,
      "  }",
      "  return true"
    )
    return this.#helper("object", lines.join("\n"))
  }

  /** Everything emitted so far: literal sets, then the functions. */
  source(): string {
    return [...this.#literalSets, "", ...this.#helpers].join("\n")
  }
}

/**
 * The helpers every checker may call; they ship once, in the same module.
 * `isJson` accepts exactly what Effect's `Schema.Json` accepts, minus shared
 * and cyclic structures (which the Schema then judges).
 */
export const CHECKER_RUNTIME = `const patterns = new Map<string, RegExp>()
function pattern(source: string, flags: string): RegExp {
  let re = patterns.get(source)
  if (re === undefined) {
    re = new RegExp(source, flags)
    patterns.set(source, re)
  }
  re.lastIndex = 0
  return re
}
function codePointsAtMost(s: string, max: number): boolean {
  if (s.length <= max) return true
  let n = 0
  for (const _ of s) if (++n > max) return false
  return true
}
function codePointsAtLeast(s: string, min: number): boolean {
  if (s.length < min) return false
  let n = 0
  for (const _ of s) if (++n >= min) return true
  return n >= min
}
function uniquePrimitives(v: ReadonlyArray<unknown>): boolean {
  // Objects are compared by value by the Schema: leave those to it.
  if (v.some((x) => typeof x === "object" && x !== null)) return false
  return new Set(v).size === v.length
}
function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v)
  return (proto === Object.prototype || proto === null) && Object.getOwnPropertySymbols(v).length === 0
}
function isJson(v: any, depth = 0): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true
  if (typeof v === "number") return Number.isFinite(v)
  if (typeof v !== "object" || depth > 64) return false
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!isJson(v[i], depth + 1)) return false
    return true
  }
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return false
  for (const k of Object.keys(v)) if (!isJson(v[k], depth + 1)) return false
  return true
}`

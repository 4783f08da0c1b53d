/**
 * Emits fast checkers from Effect's schema representation of the contract:
 * calls of the combinators of src/checks.ts that answer "does this value
 * decode, unchanged, with the generated Schema?" without building an issue
 * tree.
 *
 * A checker may answer no for a value the Schema would accept (then the
 * runner asks the Schema, which decides and words any error), but never yes
 * for a value the Schema would refuse or change. So objects with a key the
 * schema does not name answer no (the Schema refuses it in a request and
 * strips it from an answer), and every node kind and check the contract uses
 * is translated here: an unknown one fails codegen instead of passing
 * silently. test/unit/checkers.test.ts holds the checkers to this.
 */
import type * as SchemaRepresentation from "effect/SchemaRepresentation"

type Representation = SchemaRepresentation.Representation
type Check = SchemaRepresentation.Check

/** The combinator call of one check of a string, number or array. */
const testOf = (check: Check): Array<string> => {
  if (check._tag === "FilterGroup") return check.checks.flatMap(testOf)
  const id = check.representation?.id
  const p = (check.representation?.payload ?? {}) as Record<string, unknown>
  const n = (key: string): string => JSON.stringify(p[key])
  switch (id) {
    case "effect/schema/isFinite":
      return ["c.finite"]
    case "effect/schema/isInt":
      return ["c.int"]
    case "effect/schema/isGreaterThanOrEqualTo":
      return [`c.gte(${n("minimum")})`]
    case "effect/schema/isLessThanOrEqualTo":
      return [`c.lte(${n("maximum")})`]
    case "effect/schema/isGreaterThan":
      return [`c.gt(${n("exclusiveMinimum")})`]
    case "effect/schema/isLessThan":
      return [`c.lt(${n("exclusiveMaximum")})`]
    case "effect/schema/isMultipleOf":
      return [`c.multipleOf(${n("divisor")})`]
    case "effect/schema/isMinLength":
      return [`c.minLength(${n("minLength")})`]
    case "effect/schema/isMaxLength":
      return [`c.maxLength(${n("maxLength")})`]
    case "effect/schema/isMinProperties":
      return [`c.minProperties(${n("minProperties")})`]
    case "effect/schema/isMaxProperties":
      return [`c.maxProperties(${n("maxProperties")})`]
    case "effect/schema/isMinCodePoints":
      return [`c.minCodePoints(${n("minCodePoints")})`]
    case "effect/schema/isMaxCodePoints":
      return [`c.maxCodePoints(${n("maxCodePoints")})`]
    case "effect/schema/isPattern":
      return [`c.pattern(${n("source")}, ${n("flags")})`]
    case "effect/schema/isUnique":
      return ["c.unique"]
    default:
      throw new Error(`codegen/checkers.ts: no fast check for ${String(id)}; add one to src/checks.ts (and its test)`)
  }
}

const tests = (checks: ReadonlyArray<Check>): Array<string> => checks.flatMap(testOf)

/** `base` with `checks` applied after it. */
const withChecks = (base: string, checks: ReadonlyArray<Check>): string =>
  checks.length === 0 ? base : `c.and(${[base, ...tests(checks)].join(", ")})`

/**
 * Generated source of the checkers: a constant per named schema the roots
 * reach and per repeated inline shape, each a combinator call.
 */
export class CheckerEmitter {
  readonly #references: SchemaRepresentation.References
  readonly #named = new Map<string, string>()
  readonly #declarations: Array<string> = []
  /** Inline shapes already emitted, so equal shapes share one constant. */
  readonly #shared = new Map<string, string>()
  readonly #pending = new Set<string>()
  #count = 0

  constructor(references: SchemaRepresentation.References) {
    this.#references = references
  }

  /** The constant holding the checker of the named schema `$ref`, emitting it on first use. */
  named($ref: string): string {
    const known = this.#named.get($ref)
    if (known !== undefined) return this.#pending.has($ref) ? `c.later(() => ${known})` : known
    const name = `is${$ref}`
    this.#named.set($ref, name)
    const target = this.#references[$ref]
    if (target === undefined) throw new Error(`codegen/checkers.ts: unknown reference ${$ref}`)
    this.#pending.add($ref)
    const code = this.expression(target)
    this.#pending.delete($ref)
    this.#declarations.push(`const ${name}: c.Check = ${code}`)
    return name
  }

  /** A constant for an inline `code` used more than once (one per distinct code). */
  #share(code: string): string {
    const known = this.#shared.get(code)
    if (known !== undefined) return known
    if (code.length < 12) return code
    const name = `s${this.#count++}`
    this.#shared.set(code, name)
    this.#declarations.push(`const ${name}: c.Check = ${code}`)
    return name
  }

  /** The combinator expression checking `r`. */
  expression(r: Representation): string {
    switch (r._tag) {
      case "Reference":
        return this.named(r.$ref)
      case "Suspend":
        return this.expression(r.thunk)
      case "Null":
        return "c.nul"
      case "Undefined":
        return "c.undef"
      case "Never":
        return "c.never"
      case "Unknown":
      case "Any":
        return "c.any"
      case "Boolean":
        return withChecks("c.bool", r.checks)
      case "String":
        return this.#share(`c.str(${tests(r.checks).join(", ")})`)
      case "Number":
        return this.#share(`c.num(${tests(r.checks).join(", ")})`)
      case "Literal":
        return withChecks(`c.lit(${JSON.stringify(r.literal)})`, r.checks)
      case "Declaration":
        if (r.representation?.id === "effect/schema/Json" && r.typeParameters.length === 0) return withChecks("c.json", r.checks)
        throw new Error(`codegen/checkers.ts: no fast check for declaration ${String(r.representation?.id)}`)
      case "Union":
        return this.#share(withChecks(this.#union(r), r.checks))
      case "Arrays":
        if (r.elements.length > 0 || r.rest.length !== 1) throw new Error("codegen/checkers.ts: only plain arrays (no tuples) have fast checks")
        return this.#share(`c.arr(${[this.expression(r.rest[0] as Representation), ...tests(r.checks)].join(", ")})`)
      case "Objects":
        return withChecks(this.#share(this.#objects(r)), r.checks)
      default:
        throw new Error(`codegen/checkers.ts: no fast check for ${r._tag}`)
    }
  }

  #union(r: SchemaRepresentation.Union): string {
    if (r.types.length > 1 && r.types.every((t) => t._tag === "Literal" && t.checks.length === 0)) {
      return `c.lits(${r.types.map((t) => JSON.stringify((t as SchemaRepresentation.Literal).literal)).join(", ")})`
    }
    const members = r.types.map((t) => this.expression(t)).join(", ")
    return r.options?.mode === "oneOf" ? `c.oneOf(${members})` : `c.anyOf(${members})`
  }

  #objects(r: SchemaRepresentation.Objects): string {
    const required: Array<string> = []
    const optional: Array<string> = []
    for (const p of r.propertySignatures) {
      if (typeof p.name !== "string") throw new Error("codegen/checkers.ts: only string keys have fast checks")
      const key = /^[A-Za-z_$][\w$]*$/.test(p.name) ? p.name : JSON.stringify(p.name)
      ;(p.isOptional ? optional : required).push(`${key}: ${this.expression(p.type)}`)
    }
    if (r.indexSignatures.length > 1) throw new Error("codegen/checkers.ts: one index signature at most")
    const index = r.indexSignatures[0]
    if (index !== undefined && (index.parameter._tag !== "String" || index.parameter.checks.length > 0)) {
      throw new Error("codegen/checkers.ts: only plain string index signatures have fast checks")
    }
    const args = [`{ ${required.join(", ")} }`]
    if (optional.length > 0 || index !== undefined) args.push(`{ ${optional.join(", ")} }`)
    if (index !== undefined) args.push(this.expression(index.type))
    return `c.obj(${args.join(", ")})`
  }

  /** Everything emitted so far, in dependency order. */
  source(): string {
    return this.#declarations.join("\n")
  }
}

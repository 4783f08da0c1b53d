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

/**
 * Objects with at least this many properties get straight-line checkers:
 * today only the memory (47 fields), which every recall answers 50 times
 * over, and whose check took a third of the SDK's own time per recall. The
 * code is about three times the size of a `c.obj` call, so smaller objects,
 * where the per-field cost hardly shows, keep `c.obj` and the whole API's
 * bundle stays within its budget.
 */
const STRAIGHT_LINE_MIN = 40

/** The negation of a boolean expression (a checker's call needs no parentheses). */
const not = (code: string): string => (/^[\w$]+\(x, u\)$/.test(code) ? `!${code}` : `!(${code})`)

/**
 * One check of `x` (a number or string whose type already passed) written
 * out, or `undefined` when it has no short form (patterns, code points):
 * then the value's whole test is a call of its shared checker.
 */
const inlineTest = (check: Check): Array<string | undefined> => {
  if (check._tag === "FilterGroup") return check.checks.flatMap(inlineTest)
  const p = (check.representation?.payload ?? {}) as Record<string, unknown>
  const n = (key: string): string => JSON.stringify(p[key])
  switch (check.representation?.id) {
    case "effect/schema/isFinite":
      return ["Number.isFinite(x)"]
    case "effect/schema/isInt":
      return ["Number.isSafeInteger(x)"]
    case "effect/schema/isGreaterThanOrEqualTo":
      return [`x >= ${n("minimum")}`]
    case "effect/schema/isLessThanOrEqualTo":
      return [`x <= ${n("maximum")}`]
    case "effect/schema/isGreaterThan":
      return [`x > ${n("exclusiveMinimum")}`]
    case "effect/schema/isLessThan":
      return [`x < ${n("exclusiveMaximum")}`]
    case "effect/schema/isMinLength":
      return [`x.length >= ${n("minLength")}`]
    case "effect/schema/isMaxLength":
      return [`x.length <= ${n("maxLength")}`]
    default:
      return [undefined]
  }
}

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

  /** `code` itself when it names a checker, else the constant holding it (so a call never builds a checker). */
  #constant(code: string): string {
    return /^[\w$.]+$/.test(code) ? code : this.#declare(code)
  }

  /** A constant for an inline `code` used more than once (one per distinct code); a short one stays inline. */
  #share(code: string): string {
    return code.length < 12 && !this.#shared.has(code) ? code : this.#declare(code)
  }

  /** The constant holding `code`, declared on first use. */
  #declare(code: string): string {
    const known = this.#shared.get(code)
    if (known !== undefined) return known
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
        return this.#share(this.#array(r.rest[0] as Representation, r.checks))
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

  /**
   * An object of {@link STRAIGHT_LINE_MIN} properties or more, without an
   * index signature, is checked by straight-line code of its own (a property
   * read and an inline test per key, no call per field); any other object by
   * `c.obj`.
   */
  #objects(r: SchemaRepresentation.Objects): string {
    if (r.indexSignatures.length > 1) throw new Error("codegen/checkers.ts: one index signature at most")
    const index = r.indexSignatures[0]
    if (index !== undefined || r.propertySignatures.length < STRAIGHT_LINE_MIN) return this.#objectWithCombinator(r, index)
    const lines: Array<string> = []
    let required = 0
    for (const p of r.propertySignatures) {
      if (typeof p.name !== "string") throw new Error("codegen/checkers.ts: only string keys have fast checks")
      const read = /^[A-Za-z_$][\w$]*$/.test(p.name) ? `v.${p.name}` : `v[${JSON.stringify(p.name)}]`
      const key = JSON.stringify(p.name)
      const test = this.#inline(p.type)
      if (p.isOptional) {
        // Present: judged and counted. A key present as undefined, when the test would refuse undefined, is left
        // uncounted, so the count of keys at the end refuses it; only a test that passes undefined needs its presence.
        lines.push(test.passesUndefined
          ? `  x = ${read}; if (x !== undefined || Object.hasOwn(v, ${key})) { if (${not(test.code)}) return false; n++ }`
          : `  x = ${read}; if (x !== undefined) { if (${not(test.code)}) return false; n++ }`)
      } else {
        required++
        // A test that refuses undefined refuses a missing key too; only one that passes undefined needs the key's presence.
        lines.push(test.passesUndefined
          ? `  x = ${read}; if ((x === undefined && !Object.hasOwn(v, ${key})) || ${not(test.code)}) return false`
          : `  x = ${read}; if (${not(test.code)}) return false`)
      }
    }
    if (lines.length === 0) return `(v: unknown, u: boolean): boolean => c.isRecord(v, u) && c.keyCount(v, u) === 0`
    return [
      "(v: unknown, u: boolean): boolean => {",
      "  if (!c.isRecord(v, u)) return false",
      `  let n = ${required}`,
      "  let x: unknown",
      ...lines,
      "  return c.keyCount(v, u) === n",
      "}"
    ].join("\n")
  }

  #objectWithCombinator(r: SchemaRepresentation.Objects, index: SchemaRepresentation.IndexSignature | undefined): string {
    if (index !== undefined && (index.parameter._tag !== "String" || index.parameter.checks.length > 0)) {
      throw new Error("codegen/checkers.ts: only plain string index signatures have fast checks")
    }
    const required: Array<string> = []
    const optional: Array<string> = []
    for (const p of r.propertySignatures) {
      if (typeof p.name !== "string") throw new Error("codegen/checkers.ts: only string keys have fast checks")
      const key = /^[A-Za-z_$][\w$]*$/.test(p.name) ? p.name : JSON.stringify(p.name)
      ;(p.isOptional ? optional : required).push(`${key}: ${this.expression(p.type)}`)
    }
    const args = [`{ ${required.join(", ")} }`]
    if (optional.length > 0 || index !== undefined) args.push(`{ ${optional.join(", ")} }`)
    if (index !== undefined) args.push(this.expression(index.type))
    return `c.obj(${args.join(", ")})`
  }

  /**
   * An array of numbers (an embedding: 384 of them in every memory that
   * carries one) is checked by a loop with the number's test written out; an
   * array of anything else, or with checks of its own, by `c.arr`.
   */
  #array(item: Representation, checks: ReadonlyArray<Check>): string {
    const test = this.#inline(item)
    if (checks.length > 0 || item._tag !== "Number" || test.code.includes("(x, u)")) return `c.arr(${[this.expression(item), ...tests(checks)].join(", ")})`
    return [
      "(v: unknown): boolean => {",
      "  if (!Array.isArray(v)) return false",
      "  for (let i = 0; i < v.length; i++) {",
      "    const x: unknown = v[i]",
      `    if (${not(test.code)}) return false`,
      "  }",
      "  return true",
      "}"
    ].join("\n")
  }

  /**
   * A boolean expression testing the variable `x` (with `u` in scope) against
   * `r`: written out for primitives, literals and unions of them, a call of
   * the shared checker for everything else. `passesUndefined` is false only
   * when the expression is known to refuse `undefined`.
   */
  #inline(r: Representation): { readonly code: string; readonly passesUndefined: boolean } {
    const call = (): { code: string; passesUndefined: boolean } => {
      // A reference is called by its constant's name, even while it is being defined (the call runs later).
      // Anything else is called through a constant, never by an expression that would build a checker per call.
      const name = r._tag === "Reference" ? (this.named(r.$ref), `is${r.$ref}`) : this.#constant(this.expression(r))
      return { code: `${name}(x, u)`, passesUndefined: this.#passesUndefined(r, new Set()) }
    }
    const simple = (base: string, checks: ReadonlyArray<Check>) => {
      const written = checks.flatMap(inlineTest)
      return written.includes(undefined) ? call() : { code: [base, ...written].join(" && "), passesUndefined: false }
    }
    switch (r._tag) {
      case "Suspend":
        return this.#inline(r.thunk)
      case "Null":
        return { code: "x === null", passesUndefined: false }
      case "Undefined":
        return { code: "x === undefined", passesUndefined: true }
      case "Unknown":
      case "Any":
        return { code: "true", passesUndefined: true }
      case "Boolean":
        return r.checks.length === 0 ? { code: `typeof x === "boolean"`, passesUndefined: false } : call()
      case "String":
        return simple(`typeof x === "string"`, r.checks)
      case "Number":
        return simple(`typeof x === "number"`, r.checks)
      case "Literal":
        return r.checks.length === 0 ? { code: `x === ${JSON.stringify(r.literal)}`, passesUndefined: false } : call()
      case "Union": {
        if (r.checks.length > 0 || r.options?.mode === "oneOf") return call()
        if (r.types.every((t) => t._tag === "Literal" && t.checks.length === 0) && r.types.length > 4) return call()
        const members = r.types.map((t) => this.#inline(t))
        // `&&` binds tighter than `||`: the parentheses around a member with one are for the reader.
        const code = members.map((m) => (m.code.includes(" && ") ? `(${m.code})` : m.code)).join(" || ")
        return { code, passesUndefined: members.some((m) => m.passesUndefined) }
      }
      default:
        return call()
    }
  }

  /** Whether the checker of `r` can pass `undefined` (only `Undefined`, `Unknown`, `Any`, or a union or reference to one can). */
  #passesUndefined(r: Representation, seen: Set<string>): boolean {
    switch (r._tag) {
      case "Undefined":
      case "Unknown":
      case "Any":
        return true
      case "Suspend":
        return this.#passesUndefined(r.thunk, seen)
      case "Union":
        return r.types.some((t) => this.#passesUndefined(t, seen))
      case "Reference": {
        const target = this.#references[r.$ref]
        if (target === undefined || seen.has(r.$ref)) return target === undefined
        seen.add(r.$ref)
        return this.#passesUndefined(target, seen)
      }
      default:
        return false
    }
  }

  /** Everything emitted so far, in dependency order. */
  source(): string {
    return this.#declarations.join("\n")
  }
}

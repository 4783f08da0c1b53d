/**
 * The combinators the generated fast checkers are written with
 * (`generated/ops/*.gen.ts`; the largest objects, the memory among them,
 * get straight-line code of their own, built on {@link isRecord} and
 * {@link keyCount}): each builds, once, a function that answers
 * "does this value decode, unchanged, with the generated Schema?" without
 * building an issue tree. A checker may say no to a value the Schema would
 * accept (then the Schema decides and words the error), never yes to one it
 * would refuse or change; codegen/checkers.ts translates Effect's schema
 * representation into these calls, and test/unit/checkers.test.ts holds
 * them to the Schemas.
 *
 * `u` is true for a caller's input (only plain objects without symbol keys
 * pass) and false for parsed JSON.
 *
 * @module
 */

/** A fast check of one value. */
export type Check = (v: unknown, u: boolean) => boolean

/** A test of a string, number or array value, after its type passed. */
export type Test = (v: never) => boolean

const all = (tests: ReadonlyArray<Test>, v: unknown): boolean => {
  for (let i = 0; i < tests.length; i++) if (!(tests[i] as (v: unknown) => boolean)(v)) return false
  return true
}

/** Passes anything. */
export const any: Check = () => true
/** Passes nothing. */
export const never: Check = () => false
/** `null`. */
export const nul: Check = (v) => v === null
/** `undefined`. */
export const undef: Check = (v) => v === undefined
/** A boolean. */
export const bool: Check = (v) => typeof v === "boolean"
/** A string passing `tests`. */
export const str = (...tests: ReadonlyArray<Test>): Check =>
  tests.length === 0 ? (v) => typeof v === "string" : (v) => typeof v === "string" && all(tests, v)
/** A number passing `tests`. */
export const num = (...tests: ReadonlyArray<Test>): Check => (v) => typeof v === "number" && all(tests, v)
/** Exactly `value`. */
export const lit = (value: unknown): Check => (v) => v === value
/** One of `values`. */
export const lits = (...values: ReadonlyArray<unknown>): Check => {
  const set = new Set(values)
  return (v) => set.has(v)
}
/** Any of `checks`. */
export const anyOf = (...checks: ReadonlyArray<Check>): Check => (v, u) => {
  for (let i = 0; i < checks.length; i++) if ((checks[i] as Check)(v, u)) return true
  return false
}
/** Exactly one of `checks` (JSON Schema's `oneOf`). */
export const oneOf = (...checks: ReadonlyArray<Check>): Check => (v, u) => {
  let n = 0
  for (const check of checks) if (check(v, u) && ++n > 1) return false
  return n === 1
}
/** `check`, then `tests` on the same value. */
export const and = (check: Check, ...tests: ReadonlyArray<Test>): Check => (v, u) => check(v, u) && all(tests, v)
/** A check whose target is defined later in the module (named schemas that refer to each other). */
export const later = (get: () => Check): Check => (v, u) => get()(v, u)

/** An array whose every element passes `item`, and passing `tests`. */
export const arr = (item: Check, ...tests: ReadonlyArray<Test>): Check => (v, u) => {
  if (!Array.isArray(v)) return false
  for (let i = 0; i < v.length; i++) if (!item(v[i], u)) return false
  return all(tests, v)
}

const isPlain = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * Whether `v` can be an object of the contract: not null, not an array, and
 * for a caller's input (`u`) a plain object. The generated straight-line
 * object checkers start with it, and end with {@link keyCount}, which counts a
 * caller's symbol keys too (no schema names one, so they fail the count).
 */
export const isRecord = (v: unknown, u: boolean): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && (!u || isPlain(v))

/**
 * How many keys `o` has: own string keys of parsed JSON, or every own key of
 * a caller's input (`u`: a non-enumerable one counts, so it is refused as
 * unknown). A checker compares it with the keys it passed, so an object with
 * a key the schema does not name fails.
 */
export const keyCount = (o: object, u: boolean): number => (u ? Reflect.ownKeys(o) : Object.keys(o)).length

/**
 * An object with properties `required` and `optional` (each passing its
 * check) and, when `rest` is given, any other string key whose value passes
 * it; without `rest` no other key is allowed. A key present with `undefined`
 * fails unless its check passes `undefined` (as the Schema reads it).
 */
export const obj = (required: Readonly<Record<string, Check>>, optional: Readonly<Record<string, Check>> = {}, rest?: Check): Check => {
  const reqKeys = Object.keys(required)
  const checks = [...reqKeys.map((key) => required[key] as Check), ...Object.values(optional)]
  // A key's place in `checks` (below reqKeys.length for a required key). No prototype, so only the schema's keys are found.
  const place: Record<string, number> = Object.create(null) as Record<string, number>
  ;[...reqKeys, ...Object.keys(optional)].forEach((key, i) => (place[key] = i))
  const needed = reqKeys.length
  // It walks the keys the object has, once, rather than every key the schema names: a request that sets 4 of its
  // 17 optional fields costs 4 lookups, and the count of keys comes with the walk. A counted loop and no allocation
  // per key: this runs for every object of every answer.
  return (v, u) => {
    if (!isRecord(v, u)) return false
    const o: Record<string, unknown> = v
    // A caller's input: every own key, a non-enumerable or symbol one too (which no schema names).
    const keys = (u ? Reflect.ownKeys(o) : Object.keys(o)) as ReadonlyArray<string>
    let found = 0
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string
      const at = place[key]
      if (at === undefined ? typeof key !== "string" || rest === undefined || !rest(o[key], u) : !(checks[at] as Check)(o[key], u)) return false
      if (at !== undefined && at < needed) found++
    }
    return found === needed
  }
}

/** A JSON value, as Effect's `Schema.Json` accepts it (a cycle, or depth past 64, is left to the Schema). */
export const json: Check = (v, u) => isJson(v, 0, u)
const isJson = (v: unknown, depth: number, u: boolean): boolean => {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true
  if (typeof v === "number") return Number.isFinite(v)
  if (typeof v !== "object" || depth > 64) return false
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!isJson(v[i], depth + 1, u)) return false
    return true
  }
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== null) return false
  // A caller's object with a symbol key: JSON would drop it, so it is left to the Schema (which refuses it).
  if (u && Object.getOwnPropertySymbols(v).length > 0) return false
  for (const key of Object.keys(v)) if (!isJson((v as Record<string, unknown>)[key], depth + 1, u)) return false
  return true
}

/** Tests of strings, numbers and arrays, as Effect's checks of the same names. */
export const finite: Test = (v: number) => Number.isFinite(v)
export const int: Test = (v: number) => Number.isSafeInteger(v)
export const gte = (min: number): Test => (v: number) => v >= min
export const lte = (max: number): Test => (v: number) => v <= max
export const gt = (min: number): Test => (v: number) => v > min
export const lt = (max: number): Test => (v: number) => v < max
export const multipleOf = (divisor: number): Test => (v: number) => v % divisor === 0
export const minLength = (min: number): Test => (v: { readonly length: number }) => v.length >= min
export const maxLength = (max: number): Test => (v: { readonly length: number }) => v.length <= max
export const minProperties = (min: number): Test => (v: object) => Object.keys(v).length >= min
export const maxProperties = (max: number): Test => (v: object) => Object.keys(v).length <= max
export const maxCodePoints = (max: number): Test => (v: string) => {
  if (v.length <= max) return true
  let n = 0
  for (const _ of v) if (++n > max) return false
  return true
}
export const minCodePoints = (min: number): Test => (v: string) => {
  if (v.length < min) return false
  let n = 0
  for (const _ of v) if (++n >= min) return true
  return n >= min
}
export const pattern = (source: string, flags: string): Test => {
  const re = new RegExp(source, flags)
  return (v: string) => {
    re.lastIndex = 0
    return re.test(v)
  }
}
/** Distinct primitives (objects are compared by value by the Schema: those are left to it). */
export const unique: Test = (v: ReadonlyArray<unknown>) => !v.some((x) => typeof x === "object" && x !== null) && new Set(v).size === v.length

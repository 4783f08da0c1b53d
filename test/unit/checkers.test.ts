/**
 * The generated fast checkers (`generated/ops/*.gen.ts`) decide whether a
 * request or an answer skips the Schema. They may say no to a value the
 * Schema accepts (the Schema then decides), never yes to one it refuses or
 * changes: that would send a bad request or hand back an answer the contract
 * does not allow. Held here against the Schemas themselves, for every
 * operation's input, answer and NDJSON line: values sampled from each Schema
 * must pass, and every mutant of them that a checker passes must decode,
 * unchanged, with the Schema.
 */
import { isDeepStrictEqual } from "node:util"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { loaders } from "../../generated/ops/index.gen.ts"
import { operationSchemas } from "../../generated/schemas.gen.ts"

type Which = "input" | "output" | "record"
type Checker = (v: unknown, user: boolean) => boolean
interface Module {
  readonly ops: Readonly<Record<string, Readonly<Partial<Record<Which, Checker>>>>>
}

const SAMPLES = 12
/** What a leaf or a whole node is replaced with in a mutant; `undefined` only in a caller's input (JSON has none). */
const REPLACEMENTS: ReadonlyArray<unknown> = [null, "", "x", 0, -1, 1.5, 1e300, true, [], {}, ["x"], { x: 1 }]

/** Every node of `value` as the path to it. */
const paths = (value: unknown, path: ReadonlyArray<string | number> = [], out: Array<ReadonlyArray<string | number>> = []): Array<ReadonlyArray<string | number>> => {
  out.push(path)
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...path, i], out))
  else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) paths(item, [...path, key], out)
  return out
}

/** A deep copy of `value` whose node at `path` is `replace(node)`; `remove` instead deletes that key. */
const edited = (value: unknown, path: ReadonlyArray<string | number>, replace: (node: unknown) => unknown, remove = false): unknown => {
  if (path.length === 0) return replace(value)
  const copy = structuredClone(value)
  let parent = copy as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const key = path[path.length - 1] as string | number
  if (remove) delete parent[key]
  else parent[key] = replace(parent[key])
  return copy
}

const isPlainObject = (node: unknown): node is object => typeof node === "object" && node !== null && !Array.isArray(node)

/** A key no JSON has, which a caller's object may carry: the request could not send it. */
const SYMBOL_KEY = Symbol("not sendable")

/**
 * Mutants of `value`: each node replaced by each of the replacements, each object key removed, an unknown key added
 * to each object, and in a caller's input a symbol key added to each object.
 */
function* mutants(value: unknown, input: boolean): Generator<unknown> {
  const replacements = input ? [...REPLACEMENTS, undefined] : REPLACEMENTS
  for (const path of paths(value)) {
    for (const replacement of replacements) yield edited(value, path, () => structuredClone(replacement))
    if (typeof path[path.length - 1] === "string") yield edited(value, path, (node) => node, true)
    yield edited(value, path, (node) => (isPlainObject(node) ? { ...node, not_in_the_contract: 1 } : node))
    if (input) yield edited(value, path, (node) => (isPlainObject(node) ? { ...node, [SYMBOL_KEY]: 1 } : node))
  }
}

const cases: Array<{ readonly name: string; readonly which: Which; readonly check: Checker; readonly schema: Schema.Top }> = []
for (const load of Object.values(loaders)) {
  const { ops } = (await load()) as Module
  for (const [id, checkers] of Object.entries(ops)) {
    for (const which of ["input", "output", "record"] as const) {
      const check = checkers[which]
      const schema = (operationSchemas as unknown as Readonly<Record<string, Readonly<Record<Which, Schema.Top | undefined>>>>)[id]?.[which]
      if (check !== undefined && schema !== undefined) cases.push({ name: `${id} ${which}`, which, check, schema })
    }
  }
}

describe("the fast checkers against the Schemas", () => {
  it("cover every operation's input, answer and NDJSON line that has a Schema", () => {
    const schemas = Object.values(operationSchemas as unknown as Readonly<Record<string, Readonly<Record<Which, unknown>>>>)
      .flatMap((s) => (["input", "output", "record"] as const).filter((which) => s[which] !== undefined)).length
    expect(cases.length).toBe(schemas)
  })

  it.each(cases.map((c) => [c.name, c] as const))("%s: passes values sampled from its Schema, and no mutant the Schema refuses or changes", async (_, { which, check, schema }) => {
    const input = which === "input"
    const decode = Schema.decodeUnknownExit(schema as Schema.Decoder<unknown>)
    const options = input ? ({ errors: "all", onExcessProperty: "error" } as const) : undefined
    const samples = await Effect.runPromise(Arbitrary.sampleEffect(Arbitrary.schema(schema), { count: SAMPLES, seed: 7, size: 3 }))
    const wrong: Array<string> = []
    for (const sample of samples) {
      // What the client checks is a caller's value or parsed JSON: a sample goes through JSON when it is an answer.
      const value = input ? sample : JSON.parse(JSON.stringify(sample) ?? "null")
      const decoded = decode(value, options)
      if (Exit.isSuccess(decoded) && !check(value, input)) wrong.push(`refused a valid value: ${JSON.stringify(value)}`)
      for (const mutant of mutants(value, input)) {
        if (!check(mutant, input)) continue
        const exit = decode(mutant, options)
        if (Exit.isFailure(exit)) wrong.push(`passed what the Schema refuses: ${JSON.stringify(mutant)}`)
        else if (!isDeepStrictEqual(exit.value, mutant)) wrong.push(`passed what the Schema changes: ${JSON.stringify(mutant)}`)
      }
    }
    expect(wrong.slice(0, 3)).toEqual([])
  })
})

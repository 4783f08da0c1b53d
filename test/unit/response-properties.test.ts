/**
 * Property tests over the generated response schemas, through the Promise
 * client: for every operation that answers JSON, answers generated from its
 * Effect Schema (with Effect's `Arbitrary`) decode; the same answers,
 * mutated (a field dropped, a value of another type, a body cut short),
 * resolve exactly when the Schema still accepts them and otherwise reject
 * with `DecodeError`. Nothing else may happen: no crash, no other error.
 * Seeded, so a failure replays.
 */
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import { afterAll, describe, expect, it } from "vitest"
import { operationsMeta } from "../../generated/operations-meta.gen.ts"
import type { MethodKey, OperationId } from "../../generated/operations.gen.ts"
import { methodOf, methods } from "../support/tables.ts"
import { operationSchemas } from "../../generated/schemas.gen.ts"
import { DecodeError, MemoryLayerClient } from "../../src/index.ts"
import { validCall } from "../support/bad-inputs.ts"

const SAMPLES = 8
const SEED = 20_261_126

/** The first method of each operation that answers one JSON body and does nothing else around the call. */
const plainMethod = (id: OperationId): MethodKey | undefined =>
  (Object.keys(methods) as Array<MethodKey>).find((key) => {
    const row = methods[key]
    return row.operationId === id && !("etag" in row) && !("upload" in row) && !("stream" in row) && !("download" in row)
  })

const targets = (Object.keys(operationSchemas) as Array<OperationId>).flatMap((id) => {
  const output = operationSchemas[id].output as Schema.Codec<unknown, unknown> | undefined
  const key = plainMethod(id)
  return output === undefined || key === undefined ? [] : [{ id, key, output }]
})

/** A small seeded generator (mulberry32): the same seed, the same mutations. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }
type Path = ReadonlyArray<string | number>

/** Every path to a value inside `value`, the root included. */
const pathsOf = (value: Json, path: Path = []): Array<Path> => {
  const below = Array.isArray(value)
    ? value.flatMap((item, i) => pathsOf(item, [...path, i]))
    : typeof value === "object" && value !== null
    ? Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...path, key]))
    : []
  return [path, ...below]
}

/** `value` with the node at `path` replaced by `replace(node)`, or removed when that gives `undefined`. */
const changed = (value: Json, path: Path, replace: (node: Json) => Json | undefined): Json | undefined => {
  if (path.length === 0) return replace(value)
  const [head, ...rest] = path as [string | number, ...Path]
  if (Array.isArray(value)) {
    const copy = [...value]
    const next = changed(copy[head as number] ?? null, rest, replace)
    if (next === undefined) copy.splice(head as number, 1)
    else copy[head as number] = next
    return copy
  }
  const copy = { ...(value as { [key: string]: Json }) }
  const next = changed(copy[head] ?? null, rest, replace)
  if (next === undefined) delete copy[head]
  else copy[head] = next
  return copy
}

/** A value of another JSON type than `node`. */
const otherType = (node: Json, pick: () => number): Json => {
  const options: Array<Json> = [42, "text", true, null, [], {}, -1.5, ""]
  const candidates = options.filter((o) => typeof o !== typeof node || Array.isArray(o) !== Array.isArray(node) || (o === null) !== (node === null))
  return candidates[Math.floor(pick() * candidates.length)] ?? null
}

/** One mutation of `body` as text, and its name. */
const mutate = (body: Json, pick: () => number): { readonly what: string; readonly text: string } => {
  const kind = Math.floor(pick() * 4)
  const paths = pathsOf(body)
  const path = paths[Math.floor(pick() * paths.length)] ?? []
  const at = path.join(".") || "the body"
  if (kind === 0 && path.length > 0) return { what: `${at} dropped`, text: JSON.stringify(changed(body, path, () => undefined)) }
  if (kind === 1) return { what: `${at} of another type`, text: JSON.stringify(changed(body, path, (node) => otherType(node, pick))) }
  if (kind === 2) {
    const text = JSON.stringify(body)
    return { what: "the body cut short", text: text.slice(0, Math.max(1, Math.floor(text.length * pick()))) }
  }
  return { what: `${at} with an extra field`, text: JSON.stringify(changed(body, path, (node) => (typeof node === "object" && node !== null && !Array.isArray(node) ? { ...node, zz_extra: 1 } : otherType(node, pick)))) }
}

const totals = { operations: 0, valid: 0, mutated: 0, acceptedMutations: 0, problems: 0 }

/** Calls method `key` with a valid call, the server answering `text`; returns the error, or undefined on success. */
const callAnswering = async (key: MethodKey, text: string): Promise<unknown> => {
  const row = methods[key]
  const status = operationsMeta[row.operationId as OperationId].successStatus
  const client = new MemoryLayerClient({
    baseUrl: "http://memorylayer.test",
    sessionId: "sess_props",
    workspaceId: "ws_props",
    maxRetries: 0,
    fetch: () => new Response(text, { status, headers: { "content-type": "application/json" } })
  })
  try {
    return await methodOf(client, key)(...validCall(key)).then(() => undefined, (error: unknown) => error)
  } finally {
    await client.close()
  }
}

describe("response schemas, property-tested", () => {
  afterAll(() => {
    console.log(
      `response properties: ${totals.operations} operations, ${totals.valid} generated answers decoded, ${totals.mutated} mutated answers ` +
        `(${totals.acceptedMutations} still valid and decoded, the rest DecodeError), ${totals.problems} problems`
    )
  })

  it.each(targets)("$id ($key)", async ({ id, key, output }) => {
    totals.operations++
    const samples = await Effect.runPromise(Arbitrary.sampleEffect(Arbitrary.schema(output), { count: SAMPLES, seed: `${SEED}:${id}` }))
    const encode = Schema.encodeUnknownSync(output)
    const accepts = Schema.decodeUnknownExit(output)
    const pick = random(SEED + id.length)
    const problems: Array<string> = []
    for (const sample of samples) {
      const body = JSON.parse(JSON.stringify(encode(sample))) as Json
      const error = await callAnswering(key, JSON.stringify(body))
      totals.valid++
      if (error !== undefined) problems.push(`a valid answer was refused: ${String(error)}`)
      const mutation = mutate(body, pick)
      let parsed: unknown
      try {
        parsed = JSON.parse(mutation.text)
      } catch {
        parsed = undefined
      }
      const stillValid = parsed !== undefined && Exit.isSuccess(accepts(parsed))
      const outcome = await callAnswering(key, mutation.text)
      totals.mutated++
      if (stillValid) {
        totals.acceptedMutations++
        if (outcome !== undefined) problems.push(`${mutation.what}: still valid, but refused with ${String(outcome)}`)
      } else if (!(outcome instanceof DecodeError)) {
        problems.push(`${mutation.what}: ${outcome === undefined ? "accepted" : `rejected with ${String(outcome)}`} instead of DecodeError`)
      }
    }
    totals.problems += problems.length
    expect(problems).toEqual([])
  })
})

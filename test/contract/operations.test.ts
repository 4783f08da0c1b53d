/**
 * Every HTTP operation of the contract, called through the Promise client and
 * through the Effect service against a Prism mock of openapi.yaml: the request
 * passes Prism's validation and the answer decodes with the generated schema.
 */
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, inject, it } from "vitest"
import type { OperationId } from "../../generated/operations.gen.ts"
import { MemoryLayer } from "../../src/effect.ts"
import { MemoryLayerClient } from "../../src/index.ts"
import { contract, contractOperations } from "../support/contract.ts"
import { callOf, covered as coveredOperations, SESSION_ID } from "./calls.ts"

/** The tags of the operation at `method path` in openapi.yaml. */
const tagsOfOperation = (method: string, path: string): ReadonlyArray<string> => {
  const item = (contract["paths"] as Record<string, Record<string, { readonly tags?: ReadonlyArray<string> }>>)[path]
  return item?.[method.toLowerCase()]?.tags ?? []
}

const prismUrl = inject("prismUrl")
const ids = coveredOperations
const covered = { client: new Set<OperationId>(), service: new Set<OperationId>() }

describe("every operation succeeds through the Promise client", () => {
  const client = new MemoryLayerClient({ baseUrl: prismUrl, sessionId: SESSION_ID, apiKey: "contract-key" })
  afterAll(() => client.close())

  it.each(ids)("%s: Prism accepts the request and the answer decodes", async (id) => {
    const result = await callOf(id).run(client)
    expect(callOf(id).check(result)).toBe(true)
    covered.client.add(id)
  })
})

describe("every operation succeeds through the Effect service", () => {
  const layer = MemoryLayer.layer({ baseUrl: prismUrl, sessionId: SESSION_ID, apiKey: "contract-key" })

  it.each(ids)("%s: Prism accepts the request and the answer decodes", async (id) => {
    const program = Effect.flatMap(Effect.service(MemoryLayer), (ml) => callOf(id).run(ml) as Effect.Effect<unknown, unknown>)
    const result = await Effect.runPromise(program.pipe(Effect.provide(layer)))
    expect(callOf(id).check(result)).toBe(true)
    covered.service.add(id)
  })
})

describe("coverage of the contract", () => {
  afterAll(() => {
    console.log(
      `contract coverage: ${covered.client.size}/${ids.length} operations through the Promise client, ` +
        `${covered.service.size}/${ids.length} through the Effect service`
    )
  })

  it("each tag of the contract that has a call has one for every operation of that tag", () => {
    const tagsOf = new Map(contractOperations.map((op) => [op.operationId, tagsOfOperation(op.method, op.path)]))
    const touched = new Set(ids.flatMap((id) => tagsOf.get(id) ?? []))
    const missing = contractOperations
      .filter((op) => (tagsOf.get(op.operationId) ?? []).some((tag) => touched.has(tag)))
      .map((op) => op.operationId)
      .filter((id) => !(ids as ReadonlyArray<string>).includes(id))
    expect(missing).toEqual([])
    expect(touched.size).toBeGreaterThan(0)
  })
})

/**
 * Every HTTP operation of the contract, called through the Promise client and
 * through the Effect service against a Prism mock of openapi.yaml: the request
 * passes Prism's validation and the answer decodes with the generated schema.
 */
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, inject, it } from "vitest"
import { type OperationId, operations } from "../../generated/operations.gen.ts"
import { MemoryLayer } from "../../src/effect.ts"
import { MemoryLayerClient } from "../../src/index.ts"
import { callOf, covered as coveredOperations, SESSION_ID } from "./calls.ts"

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
        `${covered.service.size}/${ids.length} through the Effect service; ${ids.length}/${Object.keys(operations).length} operations of the contract have a call`
    )
  })

  it("every call in calls.ts is of an operation of the contract", () => {
    expect(ids.filter((id) => !Object.hasOwn(operations, id))).toEqual([])
  })
})

/**
 * Every HTTP operation of the contract, called through the Promise client and
 * through the Effect service against a Prism mock of openapi.yaml: the request
 * passes Prism's validation and the answer decodes with the generated schema.
 */
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, inject, it } from "vitest"
import { methods, type OperationId } from "../../generated/operations.gen.ts"
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
        `${covered.service.size}/${ids.length} through the Effect service`
    )
  })

  it("every operation of a namespace that has a call has one", () => {
    const started = new Set(Object.values(methods).flatMap((row) => ("namespace" in row && ids.includes(row.operationId) ? [row.namespace] : [])))
    const missing = Object.values(methods).filter((row) => "namespace" in row && started.has(row.namespace) && !ids.includes(row.operationId))
    expect(started.size).toBeGreaterThan(0)
    expect(missing.map((row) => row.operationId)).toEqual([])
  })
})

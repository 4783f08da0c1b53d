/**
 * A call nobody watches (the client's `logLevel` is `"off"` and no tracer is
 * installed) never reaches the watching code: observe.ts is not even
 * loaded. The first call that a tracer or a logging client makes loads it.
 */
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"
import { describe, expect, it, vi } from "vitest"
import { getMemoryAnswer } from "../support/fixtures.ts"

const loads = vi.hoisted(() => ({ count: 0 }))
vi.mock("../../src/observe.ts", async (original) => {
  loads.count++
  return await original()
})

const { MemoryLayer } = await import("../../src/effect.ts")
const { MemoryLayerClient } = await import("../../src/index.ts")

const fetch = (): Response => Response.json(getMemoryAnswer)
const options = { baseUrl: "http://memorylayer.test", fetch }

describe("calls nobody watches", () => {
  it("load no watching code, on either face; a traced call loads it once", async () => {
    const client = new MemoryLayerClient(options)
    await client.getMemory("mem_1")
    await client.withResponse.getMemory("mem_1")
    await client.close()
    const getMemory = Effect.flatMap(Effect.service(MemoryLayer), (ml) => ml.getMemory("mem_1"))
    await Effect.runPromise(getMemory.pipe(Effect.provide(MemoryLayer.layer(options))))
    expect(loads.count).toBe(0)

    const spans: Array<string> = []
    const tracer = Tracer.make({
      span(spanOptions) {
        spans.push(spanOptions.name)
        return new Tracer.NativeSpan(spanOptions)
      }
    })
    await Effect.runPromise(getMemory.pipe(Effect.provide(MemoryLayer.layer(options)), Effect.provideService(Tracer.Tracer, tracer)))
    expect(loads.count).toBe(1)
    expect(spans).toEqual(["MemoryLayer.getMemory", "MemoryLayer.getMemory attempt"])
  })
})

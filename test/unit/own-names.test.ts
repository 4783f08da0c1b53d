/**
 * Option names are checked as own properties only: a name every object
 * inherits (`constructor`, `toString`, `__proto__` given as an own key by
 * JSON.parse or a computed key) is an unknown option, named as the caller
 * wrote it, on the constructor and on every method; an inherited name that
 * is not the object's own is not an option at all.
 */
import { describe, expect, it } from "vitest"
import { MemoryLayerClient, type MemoryLayerOptions, ValidationError } from "../../src/index.ts"

const INHERITED: ReadonlyArray<readonly [string, () => Record<string, unknown>]> = [
  ["constructor", () => ({ constructor: 1 })],
  ["toString", () => ({ toString: 1 })],
  ["__proto__", () => JSON.parse("{\"__proto__\": 1}") as Record<string, unknown>],
  ["__proto__", () => ({ ["__proto__"]: 1 })]
]

const recordingClient = () => {
  const sent: Array<string> = []
  const client = new MemoryLayerClient({
    baseUrl: "http://memorylayer.test",
    maxRetries: 0,
    fetch: (request) => {
      sent.push(request.url)
      return Response.json({ detail: "down" }, { status: 500 })
    }
  })
  return { client, sent }
}

describe("option names are own properties", () => {
  it.each(INHERITED)("getMemory refuses %s, naming options.%s, and sends nothing", async (name, make) => {
    const { client, sent } = recordingClient()
    const error = await client.getMemory("mem_1", make() as never).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues[0]?.path).toEqual(["options", name])
    expect(sent).toEqual([])
  })

  it.each(INHERITED)("remember refuses %s and names it as written, not as the body field it would have reached", async (name, make) => {
    const { client, sent } = recordingClient()
    const error = await client.remember("x", make() as never).catch((e: unknown) => e)
    expect((error as ValidationError).message).toMatch(new RegExp(`^remember: invalid input: options\\.${name}: is not an option of this method`))
    expect((error as ValidationError).message).not.toContain("function Object()")
    expect(sent).toEqual([])
  })

  it.each(INHERITED)("the constructor refuses %s", (name, make) => {
    let thrown: unknown
    try {
      new MemoryLayerClient(make() as MemoryLayerOptions)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ValidationError)
    expect((thrown as ValidationError).issues[0]?.path).toEqual([name])
  })

  it("a name the options object only inherits is no option of it", async () => {
    const { client, sent } = recordingClient()
    await client.getMemory("mem_1", Object.create({ includeDeleted: "not a boolean" }) as never).catch(() => undefined)
    expect(sent).toEqual(["http://memorylayer.test/v1/memories/mem_1"])
  })
})

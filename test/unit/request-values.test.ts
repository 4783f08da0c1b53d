/**
 * A path parameter addresses exactly its own route: `.` and `..` (which URL
 * normalisation would drop or climb) are refused before anything is sent,
 * for every method with a path parameter, and a value that merely contains
 * dots goes to its own route. A string that cannot be put in a URL, or a
 * header value HTTP cannot carry, is refused too, instead of failing inside
 * the transport as if the connection had failed.
 */
import { describe, expect, it } from "vitest"
import type { MethodKey } from "../../generated/operations.gen.ts"
import { methodOf, methods } from "../support/tables.ts"
import { MemoryLayerClient, ValidationError } from "../../src/index.ts"
import { unsendable } from "../../src/request-values.ts"
import { validCall } from "../support/bad-inputs.ts"

/** A client whose fetch records every URL it is asked for and answers 404. */
const recordingClient = () => {
  const urls: Array<string> = []
  const client = new MemoryLayerClient({
    baseUrl: "http://memorylayer.test",
    sessionId: "sess_1",
    maxRetries: 0,
    fetch: (request) => {
      urls.push(`${request.method} ${new URL(request.url).pathname}`)
      return Response.json({ detail: "not found" }, { status: 404 })
    }
  })
  return { client, urls }
}

const rejectionOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error)

type Param = readonly [name: string, location: string, wire: string]

/** Every method with a positional path parameter, and the position of that parameter. */
const withPathParams = (Object.keys(methods) as Array<MethodKey>).flatMap((key) =>
  (methods[key].params as ReadonlyArray<Param>).flatMap(([name, location, wire], index) => (location === "path" ? [{ key, name, wire, index }] : []))
)

/** Calls method `key` of `client` with `args`. */
const callMethod = (client: MemoryLayerClient, key: MethodKey, args: ReadonlyArray<unknown>): Promise<unknown> => methodOf(client, key)(...args)

describe("path parameters that would change the route", () => {
  it.each([
    ["getMemory", "."],
    ["forget", "."],
    ["getMemory", ".."]
  ] as const)("%s(%j) is refused with ValidationError naming path.memory_id, and nothing is sent", async (method, id) => {
    const { client, urls } = recordingClient()
    const error = await rejectionOf(client[method](id))
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).message).toBe(`${method}: invalid input: path.memory_id: must not be "${id}": the request would address another route`)
    expect(urls).toEqual([])
  })

  it.each(withPathParams.flatMap((p) => [".", ".."].map((value) => ({ ...p, value }))))(
    "$key refuses $value as $name",
    async ({ key, wire, index, value }) => {
      const { client, urls } = recordingClient()
      const error = await rejectionOf(callMethod(client, key, validCall(key, { index, value })))
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).issues).toContainEqual({ path: ["path", wire], message: `must not be "${value}": the request would address another route` })
      expect(urls).toEqual([])
    }
  )

  it("a value that only contains dots is sent to its own route, encoded", async () => {
    const { client, urls } = recordingClient()
    for (const id of ["...", ".hidden", "a..b", "%2e%2e", "a/../b"]) await rejectionOf(client.getMemory(id))
    expect(urls).toEqual([
      "GET /v1/memories/...",
      "GET /v1/memories/.hidden",
      "GET /v1/memories/a..b",
      "GET /v1/memories/%252e%252e",
      "GET /v1/memories/a%2F..%2Fb"
    ])
  })

  it("a lone surrogate in a path or query value is a ValidationError, not a transport failure", async () => {
    const { client, urls } = recordingClient()
    const inPath = await rejectionOf(client.getMemory("mem_\uD800"))
    expect(inPath).toBeInstanceOf(ValidationError)
    expect((inPath as ValidationError).issues[0]?.path).toEqual(["path", "memory_id"])
    const inQuery = await rejectionOf(client.getMemory("mem_1", { workspaceId: "ws_\uDC00" }))
    expect(inQuery).toBeInstanceOf(ValidationError)
    expect((inQuery as ValidationError).issues[0]?.path).toEqual(["query", "workspace_id"])
    expect(urls).toEqual([])
  })
})

describe("unsendable", () => {
  it("is undefined for ordinary values, a surrogate pair included", () => {
    const input = { path: { memory_id: "mem_1" }, query: { tag: ["a", "\uD83D\uDE00"] }, headers: { "If-Match": "\"etag-1\"" } }
    expect(unsendable(input)).toBeUndefined()
  })

  it("names each bad value with its location, and the index of a bad list item", () => {
    const input = { path: { a: ".", b: ".." }, query: { tag: ["ok", "\uD800"] }, headers: { "If-Match": "x\r\nX-Injected: 1", "Idempotency-Key": "k\u2603" } }
    expect(unsendable(input)).toEqual([
      { path: ["path", "a"], message: "must not be \".\": the request would address another route" },
      { path: ["path", "b"], message: "must not be \"..\": the request would address another route" },
      { path: ["query", "tag", 1], message: "must not contain a lone surrogate (half of a UTF-16 pair): it cannot be sent in a URL" },
      { path: ["headers", "If-Match"], message: "must not contain control characters (CR, LF, NUL, ...)" },
      { path: ["headers", "Idempotency-Key"], message: "must contain only Latin-1 characters (it is sent as an HTTP header)" }
    ])
  })
})

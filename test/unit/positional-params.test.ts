/**
 * Binding positional parameters: an optional one left out as `undefined` is
 * not sent, and does not fail the input check.
 */
import { describe, expect, it } from "vitest"
import { MemoryLayerClient } from "../../src/index.ts"

/** A server that answers resolve with no match and keeps the JSON bodies it was sent. */
const server = (bodies: Array<unknown>) => async (request: Request): Promise<Response> => {
  bodies.push(JSON.parse(await request.text()))
  return Response.json(request.url.includes("/mcp-servers/") ? { mcp_server: null, candidates: [] } : { skill: null, candidates: [] })
}

describe("an optional positional parameter left out", () => {
  it("resolve(undefined, { query }) sends only the query", async () => {
    const bodies: Array<unknown> = []
    const client = new MemoryLayerClient({ baseUrl: "http://ml.test", fetch: server(bodies) })
    expect(await client.skills.resolve(undefined, { query: "extract text from a PDF" })).toEqual({ skill: null, candidates: [] })
    expect(await client.mcpServers.resolve(undefined, { query: "search the web", transport: "http" })).toEqual({ mcp_server: null, candidates: [] })
    await client.close()
    expect(bodies).toEqual([{ query: "extract text from a PDF" }, { query: "search the web", transport: "http" }])
  })
})

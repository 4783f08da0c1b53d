/**
 * Versioned writes (agent specifications, prompt notes, skill manifests)
 * against an in-process server: the etag the SDK reads when the caller gives
 * no `ifMatch` is read where the write goes, and a retry resends the same
 * `Idempotency-Key` and `If-Match`.
 */
import { describe, expect, it } from "vitest"
import { MemoryLayerClient } from "../../src/index.ts"
import { agentSpecificationExample, skillExample } from "../support/fixtures.ts"

interface Seen {
  readonly method: string
  readonly url: string
  readonly key: string | null
  readonly ifMatch: string | null
}

/** A server that answers every request with `answer`, failing the writes listed in `failFirst` once with 503. */
const server = (answer: unknown, seen: Array<Seen>, failFirst = 0) => {
  let failures = failFirst
  return (request: Request): Response => {
    const url = new URL(request.url)
    seen.push({ method: request.method, url: `${url.pathname}${url.search}`, key: request.headers.get("idempotency-key"), ifMatch: request.headers.get("if-match") })
    if (request.method !== "GET" && failures > 0) {
      failures--
      return Response.json({ detail: "busy" }, { status: 503 })
    }
    return Response.json(answer)
  }
}

const spec = { specification: agentSpecificationExample, replayed: false }
const etag = agentSpecificationExample["etag"]

describe("the etag read of a write without ifMatch", () => {
  it("reads in the workspace the write names in its query (delete, restore)", async () => {
    const seen: Array<Seen> = []
    const client = new MemoryLayerClient({ baseUrl: "http://ml.test", fetch: server(spec, seen) })
    await client.agentSpecs.delete("vrs_1", { workspaceId: "ws-team" })
    await client.agentSpecs.restore("vrs_1", { workspaceId: "ws-team" })
    await client.close()
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET /v1/agent-specifications/vrs_1?workspace_id=ws-team",
      "DELETE /v1/agent-specifications/vrs_1?workspace_id=ws-team",
      "GET /v1/agent-specifications/vrs_1?workspace_id=ws-team&include_deleted=true",
      "POST /v1/agent-specifications/vrs_1/restore?workspace_id=ws-team"
    ])
    expect(seen[1]?.ifMatch).toBe(etag)
  })

  it("reads in the workspace the write names in its body (replace)", async () => {
    const seen: Array<Seen> = []
    const client = new MemoryLayerClient({ baseUrl: "http://ml.test", fetch: server(spec, seen) })
    await client.agentSpecs.replace("vrs_1", "Reviewer", "Reviews", "Review the diff", { workspaceId: "ws-team" })
    await client.close()
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET /v1/agent-specifications/vrs_1?workspace_id=ws-team",
      "PUT /v1/agent-specifications/vrs_1"
    ])
  })

  it("is not made when ifMatch is given", async () => {
    const seen: Array<Seen> = []
    const client = new MemoryLayerClient({ baseUrl: "http://ml.test", fetch: server({ skill: skillExample, replayed: false }, seen) })
    await client.skills.replaceManifest("skl_1", "Extract text", { ifMatch: "\"skill-3-abc\"" })
    await client.close()
    expect(seen.map((s) => [s.method, s.ifMatch])).toEqual([["PUT", "\"skill-3-abc\""]])
  })
})

describe("a retried write", () => {
  it("resends the Idempotency-Key and the If-Match of its first attempt, and reads the etag once", async () => {
    const seen: Array<Seen> = []
    const client = new MemoryLayerClient({ baseUrl: "http://ml.test", fetch: server(spec, seen, 2) })
    await client.agentSpecs.replace("vrs_1", "Reviewer", "Reviews", "Review the diff")
    await client.close()
    const writes = seen.filter((s) => s.method === "PUT")
    expect(seen.filter((s) => s.method === "GET")).toHaveLength(1)
    expect(writes).toHaveLength(3)
    expect(new Set(writes.map((w) => w.key)).size).toBe(1)
    expect(writes[0]?.key).toMatch(/^[0-9a-f-]{36}$/)
    expect(writes.every((w) => w.ifMatch === etag)).toBe(true)
  })

  it("uses the caller's idempotencyKey on every attempt", async () => {
    const seen: Array<Seen> = []
    const client = new MemoryLayerClient({ baseUrl: "http://ml.test", fetch: server(spec, seen, 1) })
    await client.agentSpecs.create("reviewer", "Reviewer", "Reviews", "Review the diff", { idempotencyKey: "create-reviewer-1" })
    await client.close()
    expect(seen.map((s) => s.key)).toEqual(["create-reviewer-1", "create-reviewer-1"])
  })
})

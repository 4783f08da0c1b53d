/**
 * What the core group's methods put on the wire, seen by an in-process fetch
 * that plays the server: the headers of versioned and keyed writes, the
 * checkpoint's hash and key, the etag read before a conditional write, the
 * import envelope built from export records, and the headers of client views
 * (forWorkspace, actingFor), on the Promise client and the Effect service.
 */
import { createHash } from "node:crypto"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { MemoryLayer, type MemoryLayerService } from "../../src/effect.ts"
import { type FetchLike, MemoryLayerClient, NotFoundError, ValidationError } from "../../src/index.ts"
import { memoryExample, rememberAnswer } from "../support/fixtures.ts"

/** A request as the fake server saw it. */
interface Seen {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: Headers
  readonly body: unknown
}

/** A fake server answering with `answer(request, n)` (n counts from 0) and recording every request. */
const fakeServer = (answer: (seen: Seen, n: number) => Response): { readonly fetch: FetchLike; readonly seen: Array<Seen> } => {
  const seen: Array<Seen> = []
  return {
    seen,
    fetch: async (request) => {
      const url = new URL(request.url)
      const text = await request.text()
      const entry = { method: request.method, path: url.pathname, query: url.searchParams, headers: request.headers, body: text === "" ? undefined : JSON.parse(text) }
      seen.push(entry)
      return answer(entry, seen.length - 1)
    }
  }
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  Response.json(body, { status, headers: { ...headers } })

const ETAG = "\"memory-1-53e524d082b66a2b479ba042b20a8b2567ab671b7c4a6c66aa3b1e604f8cebff\""
const keyed = { ...memoryExample, logical_key: "build-tool", etag: ETAG }

/** Runs `f` with a service over `fetch`. */
const withService = <A>(fetch: FetchLike, f: (ml: MemoryLayerService) => Effect.Effect<A, unknown>): Promise<A> =>
  Effect.runPromise(Effect.flatMap(Effect.service(MemoryLayer), f).pipe(Effect.provide(MemoryLayer.layer({ fetch, maxRetries: 2 }))))

describe("remember with a logical key is a keyed create", () => {
  it("sends Idempotency-Key and If-None-Match: * with logicalKey, and neither without it, on both faces", async () => {
    const server = fakeServer(() => json(rememberAnswer, 201, { ETag: ETAG }))
    const client = new MemoryLayerClient({ fetch: server.fetch })
    await client.remember("The build uses pnpm", { type: "semantic", logicalKey: "build-tool" })
    await client.remember("A plain memory")
    await withService(server.fetch, (ml) => ml.remember("The build uses pnpm", { type: "semantic", logicalKey: "build-tool" }))
    await client.close()

    const [keyedCall, plain, fromService] = server.seen
    expect(keyedCall?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/)
    expect(keyedCall?.headers.get("If-None-Match")).toBe("*")
    expect(keyedCall?.body).toMatchObject({ logical_key: "build-tool", type: "semantic" })
    expect(plain?.headers.has("Idempotency-Key")).toBe(false)
    expect(plain?.headers.has("If-None-Match")).toBe(false)
    expect(fromService?.headers.get("If-None-Match")).toBe("*")
    // A new key per call: two creates are two writes.
    expect(fromService?.headers.get("Idempotency-Key")).not.toBe(keyedCall?.headers.get("Idempotency-Key"))
  })

  it("sends the caller's own idempotencyKey, so a create can be repeated across calls", async () => {
    const server = fakeServer(() => json({ ...rememberAnswer, replayed: true }, 201, { ETag: ETAG }))
    const client = new MemoryLayerClient({ fetch: server.fetch })
    await client.remember("The build uses pnpm", { type: "semantic", logicalKey: "build-tool", idempotencyKey: "create-build-tool" })
    await client.remember("The build uses pnpm", { type: "semantic", logicalKey: "build-tool", idempotencyKey: "create-build-tool" })
    await client.close()
    expect(server.seen.map((s) => s.headers.get("Idempotency-Key"))).toEqual(["create-build-tool", "create-build-tool"])
  })

  it("refuses idempotencyKey without logicalKey before sending: the server would refuse every such remember", async () => {
    const server = fakeServer(() => json(rememberAnswer, 201))
    const client = new MemoryLayerClient({ fetch: server.fetch })
    const error = await client.remember("A plain memory", { idempotencyKey: "k1" }).catch((e: unknown) => e)
    await client.close()
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues).toEqual([{ path: ["options", "idempotencyKey"], message: "only applies to a keyed create: give logicalKey too" }])
    expect(server.seen).toHaveLength(0)
  })
})

describe("createCheckpoint", () => {
  // Captured from memorylayer-server 0.2.0.
  const checkpoint = {
    id: "chk_5e9aff3f21eb557249bbfa1fc75d29ee",
    workspace_id: "ws-x",
    session_id: "sess_1",
    raw_memory_id: "mem_chk_5e9aff3f21eb557249bbfa1fc75d29ee",
    source_kind: "transcript",
    source_sequence: null,
    source_boundary: null,
    content_hash: "c0fbd2efb094bcb4c1df3f247a1f1ab837b1e081a0d924492fc0fe0f57f329af",
    byte_count: 8,
    capture_status: "durable",
    index_status: "complete",
    enrichment_status: "skipped",
    idempotency_key: "k1",
    created_at: "2026-11-26T06:12:26.987667Z",
    updated_at: "2026-11-26T06:12:26.988301Z"
  }

  it("computes the segment's SHA-256 and makes an idempotency key that the retry of the same call reuses", async () => {
    const segment = "user: where is the deploy script?\nassistant: scripts/deploy.sh — déjà vu"
    const server = fakeServer((_, n) => (n === 0 ? json({ detail: "busy" }, 503, { "Retry-After": "0" }) : json(checkpoint, 201)))
    const client = new MemoryLayerClient({ fetch: server.fetch })
    await client.createCheckpoint("sess_1", segment)
    await client.close()

    expect(server.seen).toHaveLength(2)
    const [first, retry] = server.seen.map((s) => s.body as Record<string, unknown>)
    expect(first?.["content_hash"]).toBe(createHash("sha256").update(segment, "utf8").digest("hex"))
    expect(typeof first?.["idempotency_key"]).toBe("string")
    expect(retry).toEqual(first)
  })

  it("sends the caller's hash and key as given, on the Effect service too", async () => {
    const server = fakeServer(() => json(checkpoint, 201))
    const hash = "a".repeat(64)
    await withService(server.fetch, (ml) => ml.createCheckpoint("sess_1", "segment", { contentHash: hash, idempotencyKey: "capture-1" }))
    expect(server.seen[0]?.body).toEqual({ transcript_segment: "segment", content_hash: hash, idempotency_key: "capture-1" })
  })
})

describe("keyed memory writes read the etag when none is given", () => {
  const answers = (seen: Seen): Response =>
    seen.method === "GET"
      ? json({ memory: keyed }, 200, { ETag: ETAG })
      : json({ memory: { ...keyed, revision: 2 }, replayed: false }, 200, { ETag: ETAG })

  it("replaceKeyedMemory reads the memory, then sends its etag as If-Match with an Idempotency-Key", async () => {
    const server = fakeServer(answers)
    const client = new MemoryLayerClient({ fetch: server.fetch })
    const result = await client.replaceKeyedMemory("mem_1", { content: "The build uses npm", type: "semantic" })
    await client.close()
    expect(result.memory.revision).toBe(2)
    expect(server.seen.map((s) => `${s.method} ${s.path}`)).toEqual(["GET /v1/memories/mem_1", "PUT /v1/memories/mem_1/semantic"])
    expect(server.seen[1]?.headers.get("If-Match")).toBe(ETAG)
    expect(server.seen[1]?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("restoreKeyedMemory reads the deleted memory (include_deleted=true) on the Effect service", async () => {
    const server = fakeServer(answers)
    await withService(server.fetch, (ml) => ml.restoreKeyedMemory("mem_1"))
    expect(server.seen[0]?.path).toBe("/v1/memories/mem_1")
    expect(server.seen[0]?.query.get("include_deleted")).toBe("true")
    expect(server.seen[1]?.headers.get("If-Match")).toBe(ETAG)
  })

  it("with ifMatch given, deleteKeyedMemory sends it without reading first", async () => {
    const server = fakeServer(answers)
    const client = new MemoryLayerClient({ fetch: server.fetch })
    await client.deleteKeyedMemory("mem_1", { ifMatch: "\"memory-7-x\"" })
    await client.close()
    expect(server.seen.map((s) => s.method)).toEqual(["POST"])
    expect(server.seen[0]?.headers.get("If-Match")).toBe("\"memory-7-x\"")
  })

  it("a retried write sends the same Idempotency-Key and If-Match, and reads the etag only once", async () => {
    let writes = 0
    const server = fakeServer((seen) => {
      if (seen.method === "GET") return answers(seen)
      writes++
      return writes === 1 ? json({ detail: "upstream hiccup" }, 502) : answers(seen)
    })
    const client = new MemoryLayerClient({ fetch: server.fetch })
    await client.deleteKeyedMemory("mem_1")
    await client.close()
    const posts = server.seen.filter((s) => s.method === "POST")
    expect(server.seen.filter((s) => s.method === "GET")).toHaveLength(1)
    expect(posts).toHaveLength(2)
    expect(posts[1]?.headers.get("Idempotency-Key")).toBe(posts[0]?.headers.get("Idempotency-Key"))
    expect(posts[1]?.headers.get("If-Match")).toBe(posts[0]?.headers.get("If-Match"))
  })
})

describe("importWorkspaceStream", () => {
  const records = [
    { type: "header", version: "1.0", workspace_id: "ws_src", exported_at: "2026-11-20T10:00:00+00:00", total_memories: 1, total_associations: 1, offset: 0, limit: 0 },
    {
      type: "memory",
      index: 0,
      data: {
        id: "mem_a",
        content: "Alpha memory about deploys",
        content_hash: "",
        type: "semantic",
        subtype: null,
        importance: 0.5,
        tags: [],
        metadata: {},
        abstract: null,
        overview: null,
        session_id: null,
        created_at: "2026-11-26T06:12:26.997445+00:00",
        updated_at: null
      }
    },
    { type: "association", data: { source_id: "mem_a", target_id: "mem_b", relationship_type: "related_to", strength: 0.5, metadata: {} } },
    { type: "footer", memories_exported: 1, associations_exported: 1 }
  ] as const
  const envelope = {
    data: {
      version: "1.0",
      exported_at: "2026-11-20T10:00:00+00:00",
      workspace_id: "ws_src",
      memories: [records[1].data],
      associations: [records[2].data]
    }
  }
  const imported = { imported: 1, skipped_duplicates: 0, errors: 0, details: [] }

  it("sends an array's and an async iterable's records as one JSON envelope, on both faces", async () => {
    const server = fakeServer(() => json(imported))
    const client = new MemoryLayerClient({ fetch: server.fetch })
    async function* generated() {
      yield* records
    }
    await client.importWorkspaceStream("ws_dst", records)
    await client.importWorkspaceStream("ws_dst", generated())
    await withService(server.fetch, (ml) => ml.importWorkspaceStream("ws_dst", records))
    await client.close()
    expect(server.seen.map((s) => s.path)).toEqual(Array(3).fill("/v1/workspaces/ws_dst/import"))
    for (const s of server.seen) expect(s.body).toEqual(envelope)
  })

  it("fails with the error of the records' source (an AsyncIterable), typed, and sends nothing", async () => {
    const server = fakeServer(() => json(imported))
    const broken = new NotFoundError({ message: "exportWorkspace: 404 Workspace not found: ws_gone", statusCode: 404 })
    async function* failingSource(): AsyncGenerator<(typeof records)[number]> {
      yield records[0]
      throw broken
    }
    const fromIterable = await withService(server.fetch, (ml) => Effect.flip(ml.importWorkspaceStream("ws_dst", failingSource())))
    // A failure in the error channel (Effect.flip sees it), not a defect.
    expect(fromIterable).toBe(broken)
    expect(server.seen).toHaveLength(0)
  })
})

describe("client views", () => {
  it("forWorkspace sends X-Workspace-ID on the Promise client and the Effect service, leaving the original as it was", async () => {
    const server = fakeServer(() => json(rememberAnswer, 201))
    const client = new MemoryLayerClient({ fetch: server.fetch, workspaceId: "ws_home" })
    const team = client.forWorkspace("ws_team")
    await team.remember("Stand-up moved to 10:00")
    await client.remember("Stays home")
    await withService(server.fetch, (ml) => Effect.flatMap(ml.forWorkspace("ws_team"), (view) => view.remember("From the service")))
    await team.close()
    await client.close()
    expect(server.seen.map((s) => s.headers.get("X-Workspace-ID"))).toEqual(["ws_team", "ws_home", "ws_team"])
  })

  it("actingFor sends the grant and on-behalf-of authority headers, or direct authority without a subject", async () => {
    const server = fakeServer(() => json(rememberAnswer, 201))
    const client = new MemoryLayerClient({ fetch: server.fetch })
    const alice = client.actingFor("grant_1", { type: "user", id: "alice" })
    await alice.remember("Alice prefers tea")
    await client.actingFor("grant_2").remember("Direct")
    await client.remember("No authority")
    await withService(server.fetch, (ml) => Effect.flatMap(ml.actingFor("grant_3", { type: "agent", id: "bot" }), (view) => view.remember("From the service")))
    await alice.close()
    await client.close()

    const authority = (s: Seen | undefined) =>
      Object.fromEntries(["X-Aether-Grant-ID", "X-Aether-Authority-Mode", "X-Aether-Subject-Type", "X-Aether-Subject-ID"].flatMap((name) => {
        const value = s?.headers.get(name)
        return value === null || value === undefined ? [] : [[name, value]]
      }))
    expect(authority(server.seen[0])).toEqual({ "X-Aether-Grant-ID": "grant_1", "X-Aether-Authority-Mode": "on_behalf_of", "X-Aether-Subject-Type": "user", "X-Aether-Subject-ID": "alice" })
    expect(authority(server.seen[1])).toEqual({ "X-Aether-Grant-ID": "grant_2", "X-Aether-Authority-Mode": "direct" })
    expect(authority(server.seen[2])).toEqual({})
    expect(authority(server.seen[3])).toEqual({ "X-Aether-Grant-ID": "grant_3", "X-Aether-Authority-Mode": "on_behalf_of", "X-Aether-Subject-Type": "agent", "X-Aether-Subject-ID": "bot" })
  })

  it("a view keeps the other half: actingFor on a workspace view stays in that workspace", async () => {
    const server = fakeServer(() => json(rememberAnswer, 201))
    const client = new MemoryLayerClient({ fetch: server.fetch })
    const view = client.forWorkspace("ws_team").actingFor("grant_1")
    await view.remember("Both")
    await view.close()
    await client.close()
    expect(server.seen[0]?.headers.get("X-Workspace-ID")).toBe("ws_team")
    expect(server.seen[0]?.headers.get("X-Aether-Grant-ID")).toBe("grant_1")
  })
})

/**
 * What `memorylayer-client/testing` promises, feature by feature, on both
 * faces: `createTestClient()` (Promise) and `layerTest()` (the Effect service,
 * seen through a Promise adapter that insists on typed failures). The
 * Effect-only parts (the `MemoryLayerTestServer` service, a fresh server per
 * layer build) are at the end.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { describe, expect, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import { type MemoryLayerClient, NotFoundError, ValidationError } from "../../src/index.ts"
import { QUERY_PARAMETER_TYPES } from "../../src/testing/server.ts"
import { SEED_OPERATIONS } from "../../src/testing/call.ts"
import { operationsMeta } from "../../generated/operations-meta.gen.ts"
import {
  createTestClient,
  createTestServer,
  layerTest,
  MemoryLayerTestServer,
  type TestServer,
  type TestServerOptions
} from "../../src/testing.ts"
import { effectFace } from "../support/effect-face.ts"

/** A face of the SDK over a fresh double (or over `server`), with the double to inspect. */
interface Opened {
  readonly api: MemoryLayerClient
  readonly server: TestServer
}

const faces: ReadonlyArray<readonly [string, (options?: TestServerOptions & { readonly workspaceId?: string }) => Opened]> = [
  ["the Promise client (createTestClient)", (options = {}) => {
    const api = createTestClient(options)
    return { api, server: api.testServer }
  }],
  ["the Effect service (layerTest)", (options = {}) => {
    const { workspaceId, ...serverOptions } = options
    const server = createTestServer(serverOptions)
    return { api: effectFace(layerTest({ server, ...(workspaceId === undefined ? {} : { workspaceId }) })), server }
  }]
]

describe.each(faces)("through %s", (_, open) => {
  describe("remember and getMemory", () => {
    it("store with the server's defaults and normalised tags, and read back the same memory", async () => {
      const { api } = open()
      const stored = await api.remember("  The build uses Node 24  ", { tags: ["CI", " ci ", "Build", ""] })
      expect(stored).toMatchObject({ content: "The build uses Node 24", type: "episodic", importance: 0.5, tags: ["build", "ci"], revision: 1, workspace_id: "_default" })
      expect(stored.id).toMatch(/^mem_[0-9a-f]{16}$/)
      expect(stored.etag).toMatch(/^"memory-1-[0-9a-f]{64}"$/)
      const fetched = await api.getMemory(stored.id)
      expect(fetched).toMatchObject({ id: stored.id, content: stored.content, tags: ["build", "ci"], access_count: 1 })
    })

    it("give back the existing memory for the exact same content, as the server does", async () => {
      const { api, server } = open()
      const first = await api.remember("Deploys happen on Fridays", { importance: 0.9 })
      const again = await api.remember("Deploys happen on Fridays", { importance: 0.2, tags: ["new"] })
      expect(again.id).toBe(first.id)
      expect(again).toMatchObject({ importance: 0.9, tags: [] })
      expect(server.memories()).toHaveLength(1)
    })
  })

  describe("recall", () => {
    it("ranks by the share of the query's words a memory contains, boosted x1.5 in the query's context", async () => {
      const { api } = open()
      const all = await api.remember("alpha beta gamma")
      const two = await api.remember("alpha beta delta")
      const one = await api.remember("alpha epsilon zeta")
      await api.remember("nothing in common")
      const { memories, total_count } = await api.recall("alpha beta gamma")
      expect(memories.map((m) => m.id)).toEqual([all.id, two.id, one.id])
      expect(memories.map((m) => m.relevance_score)).toEqual([1, 2 / 3, 1 / 3])
      expect(memories.map((m) => m.boosted_score)).toEqual([1.5, 1, 0.5])
      expect(memories[0]).toMatchObject({ source_scope: "same_context", match_signals: ["keyword"], staleness_warning: "none", age_days: 0 })
      expect(total_count).toBe(3)
    })

    it("matches words regardless of case, plural s and function words", async () => {
      const { api } = open()
      const stored = await api.remember("User prefers concise Answers")
      expect((await api.recall("how should I answer?")).memories.map((m) => m.id)).toEqual([stored.id])
    })

    it("applies minRelevance and tolerance as relevance floors, and 0 as no floor", async () => {
      const { api } = open()
      await api.remember("alpha beta gamma")
      await api.remember("alpha rho sigma")
      expect((await api.recall("alpha beta gamma", { minRelevance: 0.5 })).memories).toHaveLength(1)
      expect((await api.recall("alpha beta gamma", { tolerance: "strict" })).memories).toHaveLength(1)
      expect((await api.recall("alpha beta gamma tau", { tolerance: "loose" })).memories).toHaveLength(2)
      expect((await api.recall("alpha beta gamma tau", { minRelevance: 0 })).memories).toHaveLength(2)
    })

    it("filters strictly by types, subtypes and tags, and pages with limit and offset", async () => {
      const { api } = open()
      const fact = await api.remember("kiwi fact one", { type: "semantic", subtype: "fact", tags: ["fruit", "green"] })
      const howTo = await api.remember("kiwi how to peel", { type: "procedural", tags: ["fruit"] })
      await api.remember("kiwi memory of a trip", { type: "episodic" })
      expect((await api.recall("kiwi", { types: ["semantic", "procedural"] })).memories.map((m) => m.id).sort()).toEqual([fact.id, howTo.id].sort())
      expect((await api.recall("kiwi", { subtypes: ["fact"] })).memories.map((m) => m.id)).toEqual([fact.id])
      expect((await api.recall("kiwi", { tags: ["fruit", "green"] })).memories.map((m) => m.id)).toEqual([fact.id])
      const first = await api.recall("kiwi", { limit: 2 })
      const second = await api.recall("kiwi", { limit: 2, offset: 2 })
      expect(first.memories).toHaveLength(2)
      expect(first.total_count).toBe(3)
      expect(second.memories).toHaveLength(1)
      expect(new Set([...first.memories, ...second.memories].map((m) => m.id)).size).toBe(3)
    })

    it("counts an access and raises importance by a tenth, as the server does", async () => {
      const { api } = open()
      const stored = await api.remember("mango season starts in May")
      await api.recall("mango season")
      const after = await api.getMemory(stored.id)
      expect(after.importance).toBeCloseTo(0.55)
      expect(after.access_count).toBe(2)
    })
  })

  describe("forget and decay", () => {
    it("forget soft-deletes (readable with includeDeleted); hard removes the memory and its associations", async () => {
      const { api, server } = open()
      const soft = await api.remember("soft deleted fact")
      await api.forget(soft.id)
      await expect(api.getMemory(soft.id)).rejects.toBeInstanceOf(NotFoundError)
      expect((await api.getMemory(soft.id, { includeDeleted: true })).deleted_at).not.toBeNull()
      await expect(api.forget(soft.id)).rejects.toBeInstanceOf(NotFoundError)

      const a = await api.remember("hard deleted fact")
      const b = await api.remember("its partner")
      await api.associate(a.id, b.id, "related_to")
      await api.forget(a.id, true)
      expect(server.memories({ includeDeleted: true }).map((m) => m.id)).not.toContain(a.id)
      expect(server.associations()).toEqual([])
    })

    it("decay never takes importance below 0", async () => {
      const { api } = open()
      const stored = await api.remember("almost forgotten", { importance: 0.2 })
      expect((await api.decay(stored.id, 0.5)).importance).toBe(0)
    })
  })

  describe("associations and traceMemory", () => {
    it("trace walks several hops in the direction asked, following only the relationships asked", async () => {
      const { api } = open()
      const [a, b, c, d] = await Promise.all(["cause", "effect", "consequence", "aside"].map((text) => api.remember(`${text} node`)))
      if (a === undefined || b === undefined || c === undefined || d === undefined) throw new Error("four memories expected")
      const ab = await api.associate(a.id, b.id, "causes")
      const bc = await api.associate(b.id, c.id, "leads_to")
      await api.associate(d.id, a.id, "related_to")
      expect(await api.associate(a.id, b.id, "causes")).toEqual(ab)

      const outgoing = await api.traceMemory(a.id, { direction: "outgoing" })
      expect(outgoing.paths.map((p) => [p.nodes, p.edges.map((e) => e.id), p.depth])).toEqual([[[a.id, b.id], [ab.id], 1], [[a.id, b.id, c.id], [bc.id], 2]])
      expect(outgoing.unique_nodes).toEqual([a.id, b.id, c.id])
      expect([...(await api.traceMemory(a.id, { maxDepth: 1 })).unique_nodes].sort()).toEqual([a.id, b.id, d.id].sort())
      expect([...(await api.traceMemory(a.id, { relationshipTypes: ["related_to"] })).unique_nodes].sort()).toEqual([a.id, d.id].sort())
      expect(await api.traceMemory("mem_unknown")).toEqual({ paths: [], total_paths: 0, unique_nodes: ["mem_unknown"], query_latency_ms: 0 })
      expect(await api.getAssociations("mem_unknown")).toEqual([])
    })
  })

  describe("sessions and working memory", () => {
    it("setContext also writes a long-term working memory, as the server does; commit counts the entries", async () => {
      const { api, server } = open()
      const session = await api.createSession({ workingMemory: { goal: "ship it" } })
      await api.setContext(session.id, "file", { path: "src/index.ts" })
      expect(server.workingMemory(session.id)).toEqual({ goal: "ship it", file: { path: "src/index.ts" } })
      expect(server.memories().map((m) => [m.type, m.content, m.metadata])).toEqual([
        ["working", "ship it", { session_id: session.id, working_memory_key: "goal" }],
        ["working", "{\"path\": \"src/index.ts\"}", { session_id: session.id, working_memory_key: "file" }]
      ])
      expect(await api.commitSession(session.id)).toMatchObject({ memories_extracted: 2, memories_created: 2 })
    })

    it("a session expires after its time to live, on the double's clock", async () => {
      let now = new Date("2026-01-01T00:00:00Z")
      const { api } = open({ now: () => now })
      const session = await api.createSession({ ttlSeconds: 60 })
      expect(session.expires_at).toBe("2026-01-01T00:01:00.000000Z")
      now = new Date("2026-01-01T00:02:00Z")
      await expect(api.getSession(session.id)).rejects.toBeInstanceOf(NotFoundError)
    })

    it("remember with the session active keeps the session alive for an hour", async () => {
      let now = new Date("2026-01-01T00:00:00Z")
      const { api, server } = open({ now: () => now })
      await api.createSession({ ttlSeconds: 60 })
      now = new Date("2026-01-01T00:00:30Z")
      await api.remember("keeps the session alive")
      expect(server.sessions()[0]?.expires_at).toBe("2026-01-01T01:00:30.000000Z")
    })
  })

  describe("getBriefing", () => {
    it("counts the workspace's memories by type and its associations, and lists the recent ones newest first", async () => {
      let now = new Date("2026-01-01T00:00:00Z")
      const { api } = open({ now: () => now })
      const old = await api.remember("an old fact", { type: "semantic" })
      now = new Date("2026-01-01T05:00:00Z")
      const fresh = await api.remember("a fresh event")
      await api.associate(fresh.id, old.id, "follows")
      const briefing = await api.getBriefing({ lookbackHours: 1 })
      expect(briefing.workspace_summary).toMatchObject({ total_memories: 2, recent_memories: 1, total_associations: 1, memory_types: { semantic: 1, episodic: 1 } })
      expect(briefing.memories).toEqual([{ id: fresh.id, abstract: "a fresh event", type: "episodic", subtype: null, importance: 0.5, tags: [], created_at: "2026-01-01T05:00:00.000000+00:00" }])
      expect((await api.getBriefing(6)).memories.map((m) => m["id"])).toEqual([fresh.id, old.id])
    })
  })

  describe("workspaces", () => {
    it("a write names a workspace into existence; a client's workspaceId scopes its memories", async () => {
      const { api, server } = open({ workspaceId: "ws-team" })
      const stored = await api.remember("team convention: squash merges")
      expect(stored.workspace_id).toBe("ws-team")
      expect(await api.getWorkspace("ws-team")).toMatchObject({ id: "ws-team", name: "ws-team" })
      expect(server.memories({ workspaceId: "_default" })).toEqual([])
      const generated = await api.createWorkspace("Generated id")
      expect(generated.id).toMatch(/^ws_[0-9a-f]{16}$/)
    })
  })

  describe("errors", () => {
    it("bad input is refused by the real client's validation before anything reaches the double", async () => {
      const { api, server } = open()
      const error = await api.remember("x", { importance: 7 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect(error).toMatchObject({ statusCode: undefined, message: "remember: invalid input: body.importance: Expected a value less than or equal to 1, got 7" })
      expect(server.requests()).toEqual([])
    })

    it("an unknown workspace, session or memory is a NotFoundError with the server's detail", async () => {
      const { api } = open()
      await expect(api.getWorkspace("ws-none")).rejects.toMatchObject({ _tag: "NotFoundError", detail: "Workspace not found: ws-none" })
      await expect(api.touchSession("sess_none")).rejects.toMatchObject({ _tag: "NotFoundError", detail: "Session not found: sess_none" })
      await expect(api.decay("mem_none")).rejects.toMatchObject({ _tag: "NotFoundError", detail: "Memory not found: mem_none" })
    })
  })

  describe("the sandbox", () => {
    it("runs the subset of Python it supports, and says plainly that it does not run the rest", async () => {
      const { api } = open()
      await api.createSession()
      expect(await api.contextExec("total = sum([1, 2, 3])\nprint('total', total)\ntotal * 2")).toEqual({ output: "total 6\n", result: "12", error: null, variables_changed: ["total"] })
      const loop = await api.contextExec("for i in range(3):\n    print(i)")
      expect(loop.error).toMatch(/^SyntaxError: 'for' is not supported by the MemoryLayer test double/)
      expect((await api.contextExec("missing + 1")).error).toBe("NameError: name 'missing' is not defined")
    })

    it("contextLoad puts recalled memories in a variable that code can read", async () => {
      const { api } = open()
      await api.createSession()
      await api.remember("the release train leaves on Tuesdays")
      expect(await api.contextLoad("hits", "release train")).toMatchObject({ count: 1, total_available: 1 })
      expect((await api.contextExec("hits[0]['content']")).result).toBe("'the release train leaves on Tuesdays'")
    })
  })

  describe("the test server", () => {
    it("shows what the code stored and the requests it made, and reset forgets everything", async () => {
      const { api, server } = open({ seed: 11 })
      const session = await api.createSession()
      const memory = await api.remember("inspect me")
      expect(server.memories().map((m) => m.id)).toEqual([memory.id])
      expect(server.sessions().map((s) => s.id)).toEqual([session.id])
      expect(server.workspaces().map((w) => w.id)).toEqual(["_default"])
      expect(server.requests().map((r) => [r.operationId, r.status, r.sessionId])).toEqual([["createSession", 201, undefined], ["remember", 201, session.id]])
      server.reset()
      expect([server.memories(), server.sessions(), server.requests()]).toEqual([[], [], []])
      await expect(api.getMemory(memory.id)).rejects.toBeInstanceOf(NotFoundError)
    })

    it("makes the same ids from the same seed, and times from its clock", async () => {
      const at = new Date("2026-03-04T05:06:07.089Z")
      const runs = await Promise.all([1, 2].map(async () => {
        const { api } = open({ seed: 42, now: () => at })
        const memory = await api.remember("deterministic")
        const session = await api.createSession()
        return [memory.id, memory.created_at, session.id]
      }))
      expect(runs[0]).toEqual(runs[1])
      expect(runs[0]?.[1]).toBe("2026-03-04T05:06:07.089000Z")
    })
  })
})

describe("options of the test double", () => {
  it("createTestClient refuses a fetch of its own, unknown options and seed or now beside a server", () => {
    expect(() => createTestClient({ fetch: globalThis.fetch } as never)).toThrow(ValidationError)
    expect(() => createTestClient({ baseUrl: "http://x.test", colour: 1 } as never)).toThrow(/colour is not an option/)
    expect(() => createTestClient({ server: createTestServer(), seed: 1 })).toThrow(/seed and now belong to the server/)
    expect(() => createTestServer({ seed: 1.5 })).toThrow(/seed must be a whole number/)
    expect(() => createTestServer({ clock: 1 } as never)).toThrow(/clock is not an option \(known: seed, now\)/)
  })

  it("layerTest fails to build with the ValidationError of a bad option", async () => {
    const exit = await Effect.runPromiseExit(Effect.provide(Effect.service(MemoryLayer), layerTest({ timeout: -1 })))
    expect(Exit.isFailure(exit) && String(exit.cause)).toMatch(/ValidationError|timeout/)
  })

  it("reads every query parameter of the seed's operations with a declared type", () => {
    const used = new Set(SEED_OPERATIONS.flatMap((id) => [...operationsMeta[id].queryParams]))
    expect([...used].sort()).toEqual(Object.keys(QUERY_PARAMETER_TYPES).sort())
  })
})

describe("the Effect face's own parts", () => {
  it("MemoryLayerTestServer is the server behind the MemoryLayer service of the same layer", async () => {
    const stored = await Effect.runPromise(Effect.gen(function*() {
      const ml = yield* MemoryLayer
      yield* ml.remember("seen through the service")
      const server = yield* MemoryLayerTestServer
      return server.memories().map((m) => m.content)
    }).pipe(Effect.provide(layerTest())))
    expect(stored).toEqual(["seen through the service"])
  })

  it("each build of layerTest() starts from an empty server; a shared server is kept", async () => {
    const count = Effect.gen(function*() {
      const ml = yield* MemoryLayer
      yield* ml.remember(`one more ${crypto.randomUUID()}`)
      return (yield* MemoryLayerTestServer).memories().length
    })
    const layer = layerTest()
    expect(await Effect.runPromise(count.pipe(Effect.provide(layer)))).toBe(1)
    expect(await Effect.runPromise(count.pipe(Effect.provide(layer)))).toBe(1)
    const shared = layerTest({ server: createTestServer() })
    const memoized = Layer.fresh(shared)
    expect(await Effect.runPromise(count.pipe(Effect.provide(shared)))).toBe(1)
    expect(await Effect.runPromise(count.pipe(Effect.provide(memoized)))).toBe(2)
  })
})

describe("MemoryLayer.layerTest", () => {
  it("is the real service over the in-memory double, reached from the service class itself", async () => {
    const program = Effect.gen(function*() {
      const ml = yield* MemoryLayer
      const memory = yield* ml.remember("The deploy script lives in scripts/deploy.sh", { type: "procedural" })
      const again = yield* ml.getMemory(memory.id)
      const missing = yield* Effect.flip(ml.getMemory("mem_0000000000000000"))
      return { same: again.id === memory.id, missing: missing._tag }
    })
    expect(await Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layerTest())))).toEqual({ same: true, missing: "NotFoundError" })
  })
})

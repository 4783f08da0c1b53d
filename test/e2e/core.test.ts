/**
 * The core group's operations against the real server, through the
 * contract-checking proxy: memories (lists, revisions, keyed versioned
 * writes), associations, sessions (checkpoints, context packs and deltas),
 * workspaces (contexts, export and import, deletion), and the tokens,
 * entities, contradictions, audit, representation, refinement-records,
 * ingest and graph namespaces. Lists, export/import and versioned writes run
 * on both faces. What a plain local server cannot do (an Aether token
 * service, the entity registry, the representation surface) is asserted as
 * the typed error it gives; the registry and representation successes run
 * against a second server started here with their feature flags on.
 */
import { createHash } from "node:crypto"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { MemoryLayer, type MemoryLayerService, stream } from "../../src/effect.ts"
import {
  ConflictError,
  type FetchLike,
  MemoryLayerClient,
  type MemoryLayerError,
  MemoryType,
  NotFoundError,
  ServerError,
  ValidationError
} from "../../src/index.ts"
import { exercised, recording, reportCoverage } from "./coverage.ts"
import { type ExtraServer, startExtraServer } from "./extra-server.ts"

const baseUrl = inject("memorylayerUrl")
const serverUrl = inject("serverUrl")
const recorded = recording()
reportCoverage("core")
const client = new MemoryLayerClient({ baseUrl, fetch: recorded })
const layer = MemoryLayer.layer({ baseUrl, fetch: recorded })
afterAll(() => client.close())

/** Runs `f` with the Effect service over the proxied server (or with `fetch` instead). */
const withService = <A>(f: (ml: MemoryLayerService) => Effect.Effect<A, unknown, MemoryLayer>, fetch?: FetchLike): Promise<A> =>
  Effect.runPromise(Effect.flatMap(Effect.service(MemoryLayer), f).pipe(Effect.provide(fetch === undefined ? layer : MemoryLayer.layer({ baseUrl, fetch }))))

const marker = (): string => crypto.randomUUID().slice(0, 8)

/** `n` random words: contents that share none are never merged by the server's near-duplicate check. */
const words = (n: number): string => Array.from({ length: n }, () => crypto.randomUUID().replace(/-/g, "").slice(0, 10)).join(" ")

/** A new workspace, its id starting with `label`. */
const newWorkspace = async (label: string): Promise<string> => {
  const id = `ws-core-${label}-${marker()}`
  await client.createWorkspace(`Core ${label}`, { id })
  return id
}

/** The error a promise rejects with. */
const failure = (promise: PromiseLike<unknown>): Promise<MemoryLayerError> =>
  Promise.resolve(promise).then(
    () => {
      throw new Error("expected a rejection")
    },
    (error: unknown) => error as MemoryLayerError
  )

/** Collects an async iterable. */
const collect = async <A>(items: AsyncIterable<A>): Promise<Array<A>> => {
  const out: Array<A> = []
  for await (const item of items) out.push(item)
  return out
}

/** A fetch whose first answer to `method path` is lost: the request reached the server, the caller gets a 502. */
const losingFirstAnswer = (method: string, path: RegExp): FetchLike => {
  let lost = false
  return async (request, init) => {
    const response = await recorded(request, init)
    if (lost || request.method !== method || !path.test(new URL(request.url).pathname)) return response
    lost = true
    await response.body?.cancel()
    return new Response("upstream connection lost", { status: 502 })
  }
}

describe("listMemories and iterateMemories", () => {
  it("iterating 3 at a time yields every memory of the workspace once, newest first, on both faces", async () => {
    const ws = await newWorkspace("list")
    const view = client.forWorkspace(ws)
    const batch = await view.batchMemories(Array.from({ length: 8 }, (_, i) => ({ op: "create" as const, content: `list ${i} ${words(4)}` })))
    expect(batch.successful).toBe(8)
    const created = new Set(batch.results.map((r) => r.memory_id))

    const page = await view.listMemories({ limit: 3 })
    expect(page.memories).toHaveLength(3)
    expect(page.total_count).toBe(3)
    expect((await view.listMemories({ limit: 3, offset: 6 })).memories).toHaveLength(2)

    const iterated = await collect(view.listMemories({ limit: 3 }))
    const viaIterator = await collect(view.iterateMemories({ limit: 3 }))
    const streamed = await withService((ml) =>
      Effect.flatMap(ml.forWorkspace(ws), (scoped) => Stream.runCollect(stream("listMemories", { limit: 3 }).pipe(Stream.provideService(MemoryLayer, scoped)))))
    for (const walk of [iterated, viaIterator, Array.from(streamed)]) {
      expect(walk.map((m) => m.id).sort()).toEqual([...created].sort())
    }
    const times = iterated.map((m) => Date.parse(m.created_at))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    await view.close()
  })

  it("a type filter finds every match: the server filters after cutting the page, the iterator filters itself", async () => {
    const ws = await newWorkspace("type")
    const view = client.forWorkspace(ws)
    // Oldest first: episodic, semantic, episodic, semantic, semantic. Newest first the episodic ones are 3rd and 5th.
    const types = [MemoryType.EPISODIC, MemoryType.SEMANTIC, MemoryType.EPISODIC, MemoryType.SEMANTIC, MemoryType.SEMANTIC]
    const batch = await view.batchMemories(types.map((type, i) => ({ op: "create" as const, type, content: `typed ${i} ${words(4)}` })))
    const episodic = batch.results.filter((_, i) => types[i] === MemoryType.EPISODIC).map((r) => r.memory_id).sort()

    // One page as the server cuts it: the two newest, neither episodic.
    expect((await view.listMemories({ limit: 2, type: MemoryType.EPISODIC })).memories).toEqual([])
    const iterated = await collect(view.iterateMemories({ limit: 2, type: MemoryType.EPISODIC }))
    expect(iterated.map((m) => m.id).sort()).toEqual(episodic)
    const streamed = await withService((ml) =>
      Effect.flatMap(ml.forWorkspace(ws), (scoped) => Stream.runCollect(stream("listMemories", { limit: 2, type: MemoryType.EPISODIC }).pipe(Stream.provideService(MemoryLayer, scoped)))))
    expect(Array.from(streamed, (m) => m.id).sort()).toEqual(episodic)
    await view.close()
  })
})

describe("keyed memories: versioned writes", () => {
  const keyedMemory = (label: string, idempotencyKey?: string) =>
    client.remember(`The build of ${label} uses pnpm ${words(2)}`, {
      type: MemoryType.SEMANTIC,
      logicalKey: `build-${label}`,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey })
    })

  it("remember with a logicalKey stores once: the same key replays, a second create of the key is a ConflictError", async () => {
    const label = marker()
    const key = crypto.randomUUID()
    const created = await keyedMemory(label, key)
    expect(created).toMatchObject({ logical_key: `build-${label}`, revision: 1 })
    expect(created.etag).toMatch(/^"memory-1-/)

    const replayed = await client.remember(created.content, { type: MemoryType.SEMANTIC, logicalKey: `build-${label}`, idempotencyKey: key })
    expect(replayed.id).toBe(created.id)
    const conflict = await failure(keyedMemory(label))
    expect(conflict).toBeInstanceOf(ConflictError)
    expect(conflict.statusCode).toBe(409)
    expect(conflict.message).toContain("memory id or scoped logical_key already exists")

    // What the SDK's headers spare the caller: the same body without them.
    const bare = await fetch(`${serverUrl}/v1/memories`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: "x", type: "semantic", logical_key: `other-${label}` })
    })
    expect(bare.status).toBe(400)
    expect(await bare.json()).toEqual({ detail: "logical_key requires Idempotency-Key and If-None-Match headers" })
  })

  it("replace, delete and restore read the etag themselves; the revisions list every change, newest first, page by page", async () => {
    const created = await keyedMemory(marker())
    const replaced = await client.replaceKeyedMemory(created.id, { content: `The build uses npm ${words(2)}`, type: MemoryType.SEMANTIC, tags: ["Build"] })
    expect(replaced.replayed).toBe(false)
    expect(replaced.memory).toMatchObject({ id: created.id, revision: 2, tags: ["build"] })
    expect(replaced.memory.etag).not.toBe(created.etag)

    const deleted = await client.deleteKeyedMemory(created.id)
    expect(deleted.memory.deleted_at).not.toBeNull()
    expect(await failure(client.getMemory(created.id))).toBeInstanceOf(NotFoundError)
    const restored = await client.restoreKeyedMemory(created.id)
    expect(restored.memory).toMatchObject({ revision: 4, deleted_at: null, content: replaced.memory.content })
    expect((await client.getMemory(created.id)).etag).toBe(restored.memory.etag)

    const firstPage = await client.listMemoryRevisions(created.id, { limit: 2 })
    expect(firstPage.revisions.map((r) => r.action)).toEqual(["restore", "delete"])
    expect(typeof firstPage.next_page_token).toBe("string")
    const all = await collect(client.listMemoryRevisions(created.id, { limit: 2 }))
    expect(all.map((r) => r.action)).toEqual(["restore", "delete", "replace", "create"])
    expect(all.map((r) => r.memory.revision)).toEqual([4, 3, 2, 1])
    const streamed = await withService(() => Stream.runCollect(stream("listMemoryRevisions", created.id, { limit: 3 })))
    expect(Array.from(streamed, (r) => r.action)).toEqual(["restore", "delete", "replace", "create"])
  })

  it("the same writes on the Effect service, which fails a stale etag and a restore of a live memory with ConflictError", async () => {
    const created = await keyedMemory(marker())
    const outcome = await withService((ml) =>
      Effect.gen(function*() {
        const replaced = yield* ml.replaceKeyedMemory(created.id, { content: `Builds use bun ${words(2)}`, type: MemoryType.SEMANTIC })
        const stale = yield* Effect.flip(ml.deleteKeyedMemory(created.id, { ifMatch: created.etag }))
        const notDeleted = yield* Effect.flip(ml.restoreKeyedMemory(created.id))
        const deleted = yield* ml.deleteKeyedMemory(created.id, { ifMatch: replaced.memory.etag })
        return { replaced, stale, notDeleted, deleted }
      }))
    expect(outcome.replaced.memory.revision).toBe(2)
    expect(outcome.stale._tag).toBe("ConflictError")
    expect(outcome.stale).toMatchObject({ statusCode: 412 })
    expect(outcome.stale.message).toContain("ETag does not match current revision")
    expect(outcome.notDeleted).toMatchObject({ _tag: "ConflictError", statusCode: 409 })
    expect(outcome.notDeleted.message).toContain("memory is not deleted")
    expect(outcome.deleted.memory.revision).toBe(3)
  })

  it("the server answers 428 to a write without the headers; the SDK's calls never see it", async () => {
    const created = await keyedMemory(marker())
    const bare = await fetch(`${serverUrl}/v1/memories/${created.id}/delete`, { method: "POST" })
    expect(bare.status).toBe(428)
    expect(await bare.json()).toEqual({ detail: "Idempotency-Key header is required" })
    expect((await client.deleteKeyedMemory(created.id)).memory.revision).toBe(2)
  })

  it("a write whose answer was lost is retried with the same Idempotency-Key and applied once, on both faces", async () => {
    const created = await keyedMemory(marker())
    const lossy = new MemoryLayerClient({ baseUrl, fetch: losingFirstAnswer("PUT", /\/semantic$/) })
    const replaced = await lossy.replaceKeyedMemory(created.id, { content: `Retried replace ${words(2)}`, type: MemoryType.SEMANTIC })
    await lossy.close()
    // The first attempt was applied; the retry got its stored answer back.
    expect(replaced).toMatchObject({ replayed: true, memory: { revision: 2 } })

    const deleted = await withService((ml) => ml.deleteKeyedMemory(created.id), losingFirstAnswer("POST", /\/delete$/))
    expect(deleted).toMatchObject({ replayed: true, memory: { revision: 3 } })
    const actions = (await collect(client.listMemoryRevisions(created.id))).map((r) => r.action)
    expect(actions).toEqual(["delete", "replace", "create"])
  })

  it("a memory made without a logical key cannot take keyed writes: NotFoundError", async () => {
    const plain = await client.remember(`Plain memory ${words(3)}`)
    const error = await failure(client.replaceKeyedMemory(plain.id, { content: "x", type: MemoryType.SEMANTIC }))
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toContain("keyed memory not found")
  })
})

describe("associations", () => {
  it("updateAssociation changes strength and metadata in the association's workspace; deleteAssociation removes it", async () => {
    const ws = await newWorkspace("assoc")
    const view = client.forWorkspace(ws)
    const problem = await view.remember(`Flaky checkout test ${words(3)}`)
    const fix = await view.remember(`Retry the payment mock ${words(3)}`)
    const link = await view.associate(problem.id, fix.id, "solved_by", { strength: 0.5 })

    await expect(view.updateAssociation(problem.id, link.id, { strength: 0.9, metadata: { reviewed: "yes" } })).resolves.toBeUndefined()
    const updated = (await view.getAssociations(problem.id)).find((a) => a.id === link.id)
    expect(updated).toMatchObject({ strength: 0.9, metadata: { reviewed: "yes" } })
    // Through the target memory too.
    await view.updateAssociation(fix.id, link.id, { strength: 0.7 })
    expect((await view.getAssociations(fix.id)).find((a) => a.id === link.id)?.strength).toBe(0.7)
    // Outside its workspace the association is not found.
    expect(await failure(client.updateAssociation(problem.id, link.id, { strength: 0.1 }))).toBeInstanceOf(NotFoundError)

    await expect(view.deleteAssociation(problem.id, link.id)).resolves.toBeUndefined()
    expect((await view.getAssociations(problem.id)).map((a) => a.id)).not.toContain(link.id)
    const again = await failure(view.deleteAssociation(problem.id, link.id))
    expect(again).toBeInstanceOf(NotFoundError)
    expect(again.message).toContain(`Association not found: ${link.id}`)
    await view.close()
  })
})

describe("sessions", () => {
  it("listSessions lists a workspace's sessions", async () => {
    const ws = await newWorkspace("sessions")
    const session = await client.createSession({ workspaceId: ws, autoSetSession: false })
    const listed = await client.listSessions({ workspaceId: ws })
    expect(listed.map((s) => s.id)).toEqual([session.id])
    expect((await client.listSessions({ workspaceId: await newWorkspace("empty") }))).toEqual([])
  })

  it("createCheckpoint stores a segment durably with the hash the SDK computed; the same key returns the same checkpoint", async () => {
    const ws = await newWorkspace("checkpoint")
    const session = await client.createSession({ workspaceId: ws, autoSetSession: false })
    const segment = `user: where does the deploy script live?\nassistant: in scripts/deploy.sh ${words(2)}`
    const checkpoint = await client.createCheckpoint(session.id, segment, { idempotencyKey: "capture-1", sourceKind: "Chat Transcript" })
    expect(checkpoint).toMatchObject({
      session_id: session.id,
      workspace_id: ws,
      content_hash: createHash("sha256").update(segment, "utf8").digest("hex"),
      byte_count: Buffer.byteLength(segment),
      capture_status: "durable",
      source_kind: "chat_transcript",
      raw_memory_id: `mem_${checkpoint.id}`
    })
    expect((await client.createCheckpoint(session.id, segment, { idempotencyKey: "capture-1" })).id).toBe(checkpoint.id)
    expect(await client.getCheckpoint(session.id, checkpoint.id)).toMatchObject({ id: checkpoint.id, content_hash: checkpoint.content_hash })
    expect((await client.getMemory(checkpoint.raw_memory_id)).content).toBe(segment)
    expect(await failure(client.getCheckpoint(session.id, "chk_00000000000000000000000000000000"))).toBeInstanceOf(NotFoundError)
  })

  it("getContextPack renders working memory; getContextDelta stays empty until a memory changes, then carries it", async () => {
    const ws = await newWorkspace("pack")
    const session = await client.createSession({ workspaceId: ws, autoSetSession: false })
    await client.setContext(session.id, "task", { step: 1 })
    const pack = await client.getContextPack(session.id, { budgetTokens: 1024 })
    expect(pack.rendered).toContain("## Working Memory")
    expect(pack.items.map((i) => i.id)).toContain("working:task")
    expect(pack.budget_summary).toMatchObject({ requested: 1024 })

    const quiet = await client.getContextDelta(session.id, pack.cursor)
    expect(quiet).toMatchObject({ rendered: "", items: [], cursor: pack.cursor, has_more: false })
    const content = `The release train leaves on Thursday ${words(2)}`
    const stored = await client.remember(content, { workspaceId: ws })
    const delta = await client.getContextDelta(session.id, pack.cursor)
    expect(delta.items).toEqual([expect.objectContaining({ id: stored.id, kind: "memory_changes", content })])
    expect(delta.cursor).not.toBe(pack.cursor)

    const bad = await failure(client.getContextDelta(session.id, "garbage"))
    expect(bad).toBeInstanceOf(ValidationError)
    expect(bad.message).toContain("invalid context cursor")
  })
})

describe("workspaces", () => {
  it("listWorkspaces filters by tags, all of them or any", async () => {
    const tag = `core${marker()}`
    const id = `ws-core-tagged-${marker()}`
    await client.createWorkspace("Tagged", { id, tags: [tag, "shared"] })
    expect((await client.listWorkspaces({ tags: [tag] })).map((w) => w.id)).toEqual([id])
    expect(await client.listWorkspaces({ tags: [tag, "zzz-none"] })).toEqual([])
    expect((await client.listWorkspaces({ tags: [tag, "zzz-none"], match: "any" })).map((w) => w.id)).toEqual([id])
    expect((await client.listWorkspaces()).map((w) => w.id)).toEqual(expect.arrayContaining([id, "_default"]))
  })

  it("createContext, listContexts, and deleteContext in the client's workspace by default", async () => {
    const ws = await newWorkspace("contexts")
    const context = await client.createContext(ws, "project-alpha", { description: "The alpha project" })
    expect(context).toMatchObject({ workspace_id: ws, name: "project-alpha", description: "The alpha project" })
    expect((await client.listContexts(ws)).map((c) => c.id)).toContain(context.id)

    const view = client.forWorkspace(ws)
    await expect(view.deleteContext(context.id)).resolves.toBeUndefined()
    await view.close()
    expect((await client.listContexts(ws)).map((c) => c.id)).not.toContain(context.id)
    expect(await failure(client.deleteContext(context.id, ws))).toBeInstanceOf(NotFoundError)
    // Without a workspace, neither given nor the client's, nothing is sent.
    const refused = await failure(client.deleteContext(context.id))
    expect(refused).toBeInstanceOf(ValidationError)
    expect(refused.statusCode).toBeUndefined()
  })

  it("deleteWorkspace purges the workspace and its memories", async () => {
    const ws = await newWorkspace("doomed")
    const stored = await client.remember(`Doomed memory ${words(3)}`, { workspaceId: ws })
    await expect(client.deleteWorkspace(ws)).resolves.toBeUndefined()
    expect(await failure(client.getWorkspace(ws))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.getMemory(stored.id))).toBeInstanceOf(NotFoundError)
    expect(await failure(client.deleteWorkspace(ws))).toBeInstanceOf(NotFoundError)
  })
})

describe("export and import", () => {
  /** A workspace with three memories, the first two linked. */
  const populated = async (): Promise<{ readonly ws: string; readonly contents: ReadonlyArray<string> }> => {
    const ws = await newWorkspace("export")
    const view = client.forWorkspace(ws)
    const contents = [0, 1, 2].map((i) => `export ${i} ${words(4)}`)
    const batch = await view.batchMemories(contents.map((content) => ({ op: "create" as const, content, type: MemoryType.SEMANTIC })))
    const [a, b] = batch.results.map((r) => r.memory_id)
    await view.associate(a as string, b as string, "related_to", { strength: 0.6 })
    await view.close()
    return { ws, contents }
  }

  it("exportWorkspace yields a header, each memory, each association and a footer, iterated or awaited, on both faces", async () => {
    const { ws, contents } = await populated()
    const iterated = await collect(client.exportWorkspace(ws))
    expect(iterated.map((r) => r.type)).toEqual(["header", "memory", "memory", "memory", "association", "footer"])
    expect(iterated[0]).toMatchObject({ type: "header", workspace_id: ws, total_memories: 3, total_associations: 1 })
    expect(iterated.at(-1)).toEqual({ type: "footer", memories_exported: 3, associations_exported: 1 })
    const memories = iterated.flatMap((r) => (r.type === "memory" ? [r.data.content] : []))
    expect([...memories].sort()).toEqual([...contents].sort())

    expect((await client.exportWorkspace(ws)).map((r) => r.type)).toEqual(iterated.map((r) => r.type))
    const streamed = await withService(() => Stream.runCollect(stream("exportWorkspace", ws)))
    expect(Array.from(streamed, (r) => r.type)).toEqual(iterated.map((r) => r.type))
    const page = await collect(client.exportWorkspace(ws, { offset: 1, limit: 1, includeAssociations: false }))
    expect(page.map((r) => r.type)).toEqual(["header", "memory", "footer"])
    expect(page[1]).toMatchObject({ type: "memory", index: 1 })

    // The client's own workspace when none is given.
    const view = client.forWorkspace(ws)
    expect((await view.exportWorkspace()).length).toBe(iterated.length)
    await view.close()
    expect(await failure(client.exportWorkspace("ws-does-not-exist"))).toBeInstanceOf(NotFoundError)
  })

  it("importWorkspaceStream takes what exportWorkspace yields into another workspace, on both faces", async () => {
    const { ws, contents } = await populated()
    const target = await newWorkspace("import")
    const result = await client.importWorkspaceStream(target, client.exportWorkspace(ws))
    expect(result).toMatchObject({ imported: 3, skipped_duplicates: 0, errors: 0 })
    const copied = await collect(client.exportWorkspace(target))
    expect(copied.flatMap((r) => (r.type === "memory" ? [r.data.content] : [])).sort()).toEqual([...contents].sort())
    // Server 0.2.0 with SQLite drops every imported association (it maps them to ids it did not store).
    expect(copied.at(-1)).toEqual({ type: "footer", memories_exported: 3, associations_exported: 0 })

    const effectTarget = await newWorkspace("import-effect")
    const viaEffect = await withService((ml) => Effect.flatMap(ml.exportWorkspace(ws), (records) => ml.importWorkspaceStream(effectTarget, records)))
    expect(viaEffect.imported).toBe(3)
    // A failing source (an AsyncIterable, as the Promise face's export is) fails the import with its own error.
    const unknownSource = await withService((ml) => Effect.flip(ml.importWorkspaceStream(effectTarget, client.exportWorkspace("ws-does-not-exist"))))
    expect(unknownSource._tag).toBe("NotFoundError")
  })

  it("importWorkspace skips a memory whose content hash is already in the workspace", async () => {
    const target = await newWorkspace("dedupe")
    const content = `User prefers concise answers ${words(2)}`
    await client.remember(content, { workspaceId: target })
    const hash = createHash("sha256").update(content, "utf8").digest("hex")
    const result = await client.importWorkspace(target, {
      exported_at: "2026-11-20T10:00:00+00:00",
      workspace_id: "elsewhere",
      memories: [{ id: "m1", content, content_hash: hash, type: "semantic" }]
    })
    expect(result).toMatchObject({ imported: 0, skipped_duplicates: 1, errors: 0 })
    expect(result.details[0]).toContain("Skipped duplicate: m1")
    expect(await failure(client.importWorkspace("ws-does-not-exist", { exported_at: "x", workspace_id: "y" }))).toBeInstanceOf(NotFoundError)
  })
})

describe("tokens: a plain server has no Aether token service", () => {
  it("every token operation is a ServerError 503 with the server's detail", async () => {
    const calls: ReadonlyArray<[string, () => Promise<unknown>]> = [
      ["tokens.list", () => client.tokens.list({ maxRetries: 0 })],
      ["tokens.create", () => client.tokens.create("ci-bot", { maxRetries: 0 })],
      ["tokens.get", () => client.tokens.get("tok_1", { maxRetries: 0 })],
      ["tokens.delete", () => client.tokens.delete("tok_1", { maxRetries: 0 })],
      ["tokens.revoke", () => client.tokens.revoke("tok_1", { maxRetries: 0 })]
    ]
    for (const [name, call] of calls) {
      const error = await failure(call())
      expect(error, name).toBeInstanceOf(ServerError)
      expect(error.statusCode, name).toBe(503)
      expect(error.detail, name).toBe("Aether service not connected")
    }
  })
})

describe("entities, contradictions, audit, refinement records, ingest on a plain server", () => {
  it("the entity registry's operations are a ServerError 501 naming the flag (sent straight to the server: the proxy mocks 501s)", async () => {
    const direct = new MemoryLayerClient({ baseUrl: serverUrl, fetch: recorded })
    const registry: ReadonlyArray<[string, () => Promise<unknown>]> = [
      ["entities.list", () => direct.entities.list()],
      ["entities.resolve", () => direct.entities.resolve("AJ")],
      ["entities.merge", () => direct.entities.merge("ent_a", "ent_b", { reason: "same" })],
      ["entities.backfill", () => direct.entities.backfill()],
      ["entities.seed", () => direct.entities.seed([{ name: "Alice Johnson", entity_type: "person" }])],
      ["entities.enrich", () => direct.entities.enrich()],
      ["entities.dedupe", () => direct.entities.dedupe()],
      ["entities.get", () => direct.entities.get("ent_a")],
      ["entities.getProvenance", () => direct.entities.getProvenance("ent_a")],
      ["entities.listRelated", () => direct.entities.listRelated("ent_a")]
    ]
    for (const [name, call] of registry) {
      const error = await failure(call())
      expect(error, name).toBeInstanceOf(ServerError)
      expect(error.statusCode, name).toBe(501)
      expect(error.detail, name).toBe("Entity registry is not enabled (set MEMORYLAYER_ENTITY_REGISTRY_ENABLED=true)")
    }
    await direct.close()
  })

  it("entity insights need no registry: derive, getCard and listInsights answer without an LLM", async () => {
    const ws = await newWorkspace("insights")
    const subject = `alice-${marker()}`
    await client.remember(`Alice reviews every pull request before lunch ${words(2)}`, { workspaceId: ws, subjectId: subject })
    const derived = await client.entities.derive(subject, { workspaceId: ws })
    expect(derived).toMatchObject({ subject_id: subject, workspace_id: ws, source_memory_count: 1, insights: [] })
    const card = await client.entities.getCard(subject, { workspaceId: ws })
    expect(card.reflection).toContain("Memory synthesis requires LLM integration")
    expect((await client.entities.getCard(subject, { workspaceId: ws })).cached).toBe(true)
    expect(await client.entities.listInsights(subject, { workspaceId: ws })).toMatchObject({ entity_id: subject, insights: [], total_count: 0 })
  })

  it("contradictions: negated keyed memories contradict; resolving keep_a deletes the other; a scan finds nothing new", async () => {
    const ws = await newWorkspace("contradictions")
    const topic = words(1)
    const keyed = (content: string) => client.remember(content, { workspaceId: ws, type: MemoryType.SEMANTIC, logicalKey: `indent-${marker()}` })
    const always = await keyed(`We always use tabs for indentation in project ${topic}`)
    const never = await keyed(`We never use tabs for indentation in project ${topic}`)
    const { contradictions, count } = await client.contradictions.list(ws)
    expect(count).toBe(1)
    const [found] = contradictions
    expect(found).toMatchObject({ contradiction_type: "negation", detection_method: "negation_pattern", resolved_at: null })
    expect([found?.memory_a_id, found?.memory_b_id].sort()).toEqual([always.id, never.id].sort())

    // Looked up in the request's workspace: from _default it is not found.
    expect(await failure(client.contradictions.resolve(found?.id as string, "keep_a"))).toBeInstanceOf(NotFoundError)
    const resolved = await client.contradictions.resolve(found?.id as string, "keep_a", { workspaceId: ws })
    expect(resolved).toMatchObject({ id: found?.id, resolution: "keep_a" })
    expect(resolved.resolved_at).not.toBeNull()
    expect(await failure(client.getMemory(found?.memory_b_id as string))).toBeInstanceOf(NotFoundError)
    expect((await client.contradictions.list(ws)).count).toBe(0)
    expect(await client.contradictions.scan(ws)).toMatchObject({ workspace_id: ws, contradictions_found: 0 })
  })

  it("audit: the open-source server records nothing, and refuses a since that is not ISO 8601", async () => {
    expect(await client.audit.listEvents({ limit: 10 })).toEqual({ events: [], count: 0 })
    expect(await client.audit.getSummary({ since: "2026-01-01T00:00:00Z" })).toEqual({ summary: {}, total: 0 })
    const bad = await failure(client.audit.listEvents({ since: "yesterday" }))
    expect(bad).toBeInstanceOf(ValidationError)
    expect(bad.message).toContain("Invalid 'since' datetime format")
  })

  it("representation is off on a plain server: NotFoundError naming the flag", async () => {
    for (const call of [() => client.representation.get("Alice", "Acme"), () => client.representation.getForUser({ userId: "u1" })]) {
      const error = await failure(call())
      expect(error).toBeInstanceOf(NotFoundError)
      expect(error.message).toContain("MEMORYLAYER_REPRESENTATION_ENABLED=true")
    }
  })

  it("refinement records: create is replay-safe, a reused record key conflicts; list and get read it back", async () => {
    const key = `ref/${marker()}`
    const record = {
      key,
      refinementId: `rf-${marker()}`,
      phase: "proposal" as const,
      trigger: "user_feedback",
      scope: "workspace" as const,
      summary: "Make answers shorter",
      rationale: "The user asked twice",
      expectedOutcome: "Shorter answers",
      evidence: [{ kind: "user_instruction" as const, reference: "msg-1", description: "be brief" }],
      edits: [{ action: "replace" as const, resource_kind: "prompt_note" as const, resource_key: "style", reason: "shorter", content: { text: "be brief" } }],
      outcome: "proposed" as const
    }
    const idempotencyKey = crypto.randomUUID()
    const created = await client.refinementRecords.create({ ...record, idempotencyKey })
    expect(created).toMatchObject({ replayed: false, record: { key, phase: "proposal", outcome: "proposed" } })
    expect(await client.refinementRecords.create({ ...record, idempotencyKey })).toMatchObject({ replayed: true, record: { id: created.record.id } })
    const reused = await failure(client.refinementRecords.create(record))
    expect(reused).toBeInstanceOf(ConflictError)
    expect(reused.message).toContain("resource id or key already exists")

    expect((await client.refinementRecords.get(created.record.id)).record).toMatchObject({ id: created.record.id, key })
    const listed = await collect(client.refinementRecords.list({ refinementId: record.refinementId, limit: 1 }))
    expect(listed.map((r) => r.id)).toEqual([created.record.id])
    expect(await failure(client.refinementRecords.get("vrs_0000000000000000"))).toBeInstanceOf(NotFoundError)
  })

  it("ingest.email stores the mail as a memory held by its sender", async () => {
    const body = `The quarterly review is moved to Friday ${words(2)}.`
    const { memory } = await client.ingest.email("alice@example.com", body, { subject: "Review", timestamp: "2026-11-20T09:00:00Z", to: ["bob@example.com"] })
    expect(memory.content).toBe(`[2026-11-20] Review: ${body}`)
    expect(memory.observer_id).toBe("alice@example.com")
    expect(memory.metadata).toMatchObject({ sender: "alice@example.com", source: "email", recipients: ["bob@example.com"] })
    const blank = await failure(client.ingest.email("alice@example.com", "   "))
    expect(blank).toBeInstanceOf(ValidationError)
  })
})

describe("graph analysis", () => {
  it("two triangles joined by one association: 6 nodes, 7 edges, 2 communities, 1 bridge", async () => {
    const ws = await newWorkspace("graph")
    const view = client.forWorkspace(ws)
    const batch = await view.batchMemories(Array.from({ length: 6 }, (_, i) => ({ op: "create" as const, content: `graph ${i} ${words(4)}` })))
    const ids = batch.results.map((r) => r.memory_id as string)
    for (const [a, b] of [[0, 1], [1, 2], [0, 2], [3, 4], [4, 5], [3, 5], [2, 3]] as const) {
      await view.associate(ids[a] as string, ids[b] as string, "related_to", { strength: 0.8 })
    }
    await view.close()

    expect(await client.graph.getSnapshot({ workspaceId: ws })).toMatchObject({ workspace_id: ws, node_count: 6, edge_count: 7 })
    const communities = await client.graph.listCommunities({ workspaceId: ws })
    expect(communities.map((c) => [...c.memory_ids].sort())).toEqual(expect.arrayContaining([[...ids.slice(0, 3)].sort(), [...ids.slice(3)].sort()]))
    const bridges = await client.graph.listBridges({ workspaceId: ws })
    expect(bridges).toHaveLength(1)
    expect([bridges[0]?.memory_id_source, bridges[0]?.memory_id_target].sort()).toEqual([ids[2], ids[3]].sort())
    const central = await client.graph.getCentrality({ workspaceId: ws })
    expect(central.slice(0, 2).map((n) => n.memory_id).sort()).toEqual([ids[2], ids[3]].sort())
    expect(await client.graph.getStats({ workspaceId: ws })).toMatchObject({ node_count: 6, edge_count: 7, community_count: 2, density: 0.466667, max_degree: 3 })
    const analysis = await client.graph.analyze({ workspaceId: ws })
    expect(analysis.stats).toMatchObject({ node_count: 6, edge_count: 7 })
    expect(analysis.bridges).toHaveLength(1)
    const preview = await client.graph.previewDensify({ workspaceId: ws })
    expect(preview.baseline).toMatchObject({ node_count: 6, edge_count: 7, community_count: 2 })
  })
})

describe("with the entity registry and the representation surface on", () => {
  let server: ExtraServer | undefined
  let registry: MemoryLayerClient

  beforeAll(async () => {
    server = await startExtraServer("entity registry", { MEMORYLAYER_ENTITY_REGISTRY_ENABLED: "true", MEMORYLAYER_REPRESENTATION_ENABLED: "true" })
    registry = new MemoryLayerClient({ baseUrl: server.url, fetch: recorded, workspaceId: `ws-registry-${marker()}` })
  })

  afterAll(async () => {
    await registry?.close()
    expect(await server?.stop()).toEqual([])
  })

  it("seed, backfill, list, resolve, get, provenance, related, merge and enrich work on real entities", async () => {
    await registry.remember("Alice Johnson met Bob Smith at Acme Corp in Berlin")
    const seeded = await registry.entities.seed([
      { name: "Alice Johnson", entity_type: "person", aliases: ["AJ"], description: "Our lead engineer" },
      { name: "Gizmo", entity_type: "gizmo" }
    ])
    expect(seeded).toMatchObject({ seeded: 1, skipped_invalid_type: ["Gizmo"] })
    expect(await registry.entities.backfill()).toMatchObject({ scanned: 1, accreted: 1 })

    const names = (await registry.entities.list()).map((e) => e.canonical_name)
    expect(names).toEqual(expect.arrayContaining(["Alice Johnson", "Acme", "Berlin"]))
    const alice = await registry.entities.resolve("AJ")
    expect(alice).toMatchObject({ matched_via: "alias", score: 1, entity: { canonical_name: "Alice Johnson", entity_type: "person" } })
    const acme = await registry.entities.resolve("Acme", { entityType: "concept" })
    expect(acme.matched_via).toBe("exact")
    expect(await failure(registry.entities.resolve("Nobody At All"))).toBeInstanceOf(NotFoundError)

    expect(await registry.entities.get(alice.entity.id)).toMatchObject({ id: alice.entity.id, aliases: ["AJ"] })
    expect(await registry.entities.getProvenance(alice.entity.id)).toMatchObject({ entity_id: alice.entity.id, origin: "seeded" })
    const acmeOrigin = await registry.entities.getProvenance(acme.entity.id)
    expect(acmeOrigin.origin).toBe("created")
    expect(acmeOrigin.source_memory_ids).toHaveLength(1)
    const related = await registry.entities.listRelated(acme.entity.id)
    expect(related.entity_id).toBe(acme.entity.id)
    expect(related.related.map((r) => r.entity.canonical_name)).toEqual(expect.arrayContaining(["Berlin"]))

    const berlin = await registry.entities.resolve("Berlin", { entityType: "concept" })
    const merged = await registry.entities.merge(berlin.entity.id, acme.entity.id, { reason: "test merge" })
    expect(merged).toMatchObject({ id: acme.entity.id })
    expect(merged.aliases).toContain("Berlin")
    expect((await registry.entities.list({ status: "merged" })).map((e) => e.id)).toEqual([berlin.entity.id])

    expect(await registry.entities.enrich()).toMatchObject({ source: "wikidata", enriched: 0 })
    // The open-source registry keeps no name embeddings, so it cannot deduplicate even with the flag on. Sent straight
    // to the server: the proxy turns a 501 into a mock of the success.
    const direct = new MemoryLayerClient({ baseUrl: server?.serverUrl as string, fetch: recorded })
    const dedupe = await failure(direct.entities.dedupe())
    await direct.close()
    expect(dedupe).toBeInstanceOf(ServerError)
    expect(dedupe.statusCode).toBe(501)
    expect(dedupe.detail).toBe("The active entity registry backend does not support dedupe (needs name embeddings)")
  })

  it("representation.get tells what an observer holds about a subject; getForUser reads a user's profile", async () => {
    const ws = `ws-representation-${marker()}`
    await registry.entities.seed([{ name: "Alice Johnson", entity_type: "person" }], { workspaceId: ws })
    await registry.remember("Acme delivered the order two days late", { workspaceId: ws, observerId: "Alice Johnson" })
    await registry.entities.backfill({ workspaceId: ws })
    const view = await registry.representation.get("Alice Johnson", "Acme", { workspaceId: ws, subjectType: "concept" })
    expect(view.observations).toHaveLength(1)
    expect(view.observations[0]).toMatchObject({ role: "self" })
    expect(view.provenance).toMatchObject({ scoping_mode: "intersection" })
    expect(view.derived_beliefs).toEqual([])

    const user = await registry.representation.getForUser({ userId: `u-${marker()}` })
    expect(user).toMatchObject({ observations: [], provenance: { scoping_mode: "user" } })
  })
})

describe("coverage", () => {
  it("exercised every operation of the core group", () => {
    const group = [
      "listMemories", "listMemoryRevisions", "replaceKeyedMemory", "deleteKeyedMemory", "restoreKeyedMemory", "updateAssociation",
      "deleteAssociation", "listSessions", "createCheckpoint", "getCheckpoint", "getContextPack", "getContextDelta", "listWorkspaces",
      "deleteWorkspace", "exportWorkspace", "importWorkspace", "createContext", "listContexts", "deleteContext", "tokensList",
      "tokensCreate", "tokensGet", "tokensDelete", "tokensRevoke", "entitiesList", "entitiesResolve", "entitiesMerge",
      "entitiesBackfill", "entitiesSeed", "entitiesEnrich", "entitiesDedupe", "entitiesGet", "entitiesGetProvenance",
      "entitiesListRelated", "entitiesDerive", "entitiesGetCard", "entitiesListInsights", "contradictionsList",
      "contradictionsResolve", "contradictionsScan", "auditListEvents", "auditGetSummary", "representationGet",
      "representationGetForUser", "refinementRecordsCreate", "refinementRecordsList", "refinementRecordsGet", "ingestEmail",
      "graphGetSnapshot", "graphPreviewDensify", "graphListCommunities", "graphGetCentrality", "graphListBridges",
      "graphGetStats", "graphAnalyze"
    ]
    expect(group).toHaveLength(55)
    expect(group.filter((id) => !exercised.has(id as never))).toEqual([])
  })
})

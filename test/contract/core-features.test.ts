/**
 * The core group against the Prism mock: calls-core.ts has a call (which the
 * shared suites run on both faces) for every operation of the group, and its
 * list, stream and variant methods work on both faces: a list awaited for
 * one page and iterated for its items, the export's records iterated one by
 * one, and importWorkspaceStream sending export records as the JSON
 * envelope the contract takes.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { afterAll, describe, expect, inject, it } from "vitest"
import { MemoryLayer, type MemoryLayerService, stream } from "../../src/effect.ts"
import { MemoryLayerClient } from "../../src/index.ts"
import { operationsTagged } from "../support/contract.ts"
import { coreCalls, coreExportRecords } from "./calls-core.ts"

const prismUrl = inject("prismUrl")
const client = new MemoryLayerClient({ baseUrl: prismUrl })
afterAll(() => client.close())

const withService = <A>(f: (ml: MemoryLayerService) => Effect.Effect<A, unknown, MemoryLayer>): Promise<A> =>
  Effect.runPromise(Effect.flatMap(Effect.service(MemoryLayer), f).pipe(Effect.provide(MemoryLayer.layer({ baseUrl: prismUrl }))))

/** The first `n` items of an async iterable. */
const take = async <A>(items: AsyncIterable<A>, n: number): Promise<Array<A>> => {
  const out: Array<A> = []
  for await (const item of items) {
    out.push(item)
    if (out.length === n) break
  }
  return out
}

/** The tags of the core group: the seed's, beyond its documented operations, and the namespaces it drafted. */
const CORE_TAGS = [
  "memories", "associations", "sessions", "workspaces", "tokens", "entities", "contradictions", "audit", "representation",
  "refinement-records", "ingest", "graph"
]

/** The operations of those tags the documented client already had (calls.ts calls them). */
const DOCUMENTED = [
  "remember", "recall", "reflect", "getMemory", "updateMemory", "forget", "decay", "traceMemory", "batchMemories", "associate",
  "getAssociations", "createSession", "getSession", "deleteSession", "setContext", "getContext", "commitSession", "touchSession",
  "getBriefing", "createWorkspace", "getWorkspace", "updateWorkspace", "getWorkspaceSchema"
]

describe("the calls of calls-core.ts", () => {
  it("cover every operation of the core group's tags beyond the documented ones, and nothing else", () => {
    const group = operationsTagged(CORE_TAGS).filter((id) => !DOCUMENTED.includes(id))
    expect(group).toHaveLength(55)
    expect(Object.keys(coreCalls).sort()).toEqual([...group].sort())
  })
})

describe("lists page by page", () => {
  it("listMemories: awaited, the page; iterated, its memories, on both faces", async () => {
    const page = await client.listMemories({ limit: 50 })
    expect(page.memories.length).toBeGreaterThan(0)
    const iterated = await take(client.listMemories({ limit: 50 }), 200)
    const streamed = await withService(() => Stream.runCollect(Stream.take(stream("listMemories", { limit: 50 }), 200)))
    // The mock answers the same page every time; it is shorter than the limit, so it is the last one.
    expect(iterated.map((m) => m.id)).toEqual(page.memories.map((m) => m.id))
    expect(Array.from(streamed, (m) => m.id)).toEqual(page.memories.map((m) => m.id))
    const viaIterator = await take(client.iterateMemories({ limit: 50 }), 200)
    expect(viaIterator.map((m) => m.id)).toEqual(page.memories.map((m) => m.id))
  })

  it("listMemoryRevisions: iterated, revisions that each hold a memory snapshot, on both faces", async () => {
    const iterated = await take(client.listMemoryRevisions("mem_e73ad5e6be624b5b", { limit: 2 }), 3)
    const streamed = await withService(() => Stream.runCollect(Stream.take(stream("listMemoryRevisions", "mem_e73ad5e6be624b5b", { limit: 2 }), 3)))
    for (const revision of [...iterated, ...streamed]) expect(typeof revision.memory.id).toBe("string")
    expect(iterated.length).toBeGreaterThan(0)
    expect(Array.from(streamed)).toHaveLength(iterated.length)
  })
})

describe("the workspace export, record by record", () => {
  it("iterating exportWorkspace and exportWorkspaceStream yields checked records, on both faces", async () => {
    const records = await take(client.exportWorkspace("ws-core"), 1000)
    const streamed = await withService(() => Stream.runCollect(stream("exportWorkspace", "ws-core")))
    expect(records.length).toBeGreaterThan(0)
    expect(records.map((r) => r.type)).toEqual(Array.from(streamed, (r) => r.type))
  })
})

describe("importWorkspaceStream", () => {
  it("sends export records (array, async iterable) as the JSON import on both faces, which the mock accepts", async () => {
    async function* fromGenerator() {
      yield* coreExportRecords
    }
    const results = [
      await client.importWorkspaceStream("ws-core", coreExportRecords),
      await client.importWorkspaceStream("ws-core", fromGenerator()),
      await withService((ml) => ml.importWorkspaceStream("ws-core", coreExportRecords))
    ]
    for (const result of results) expect(typeof result.imported).toBe("number")
  })
})

/**
 * The workspace export is read in constant memory: 20,000 memories (about
 * 30 MB of NDJSON) come through exportWorkspace record by record while the
 * heap, measured after a full collection every 2,000 records, grows by less
 * than 20 MB, on the Promise client and on the Effect service. Holding the
 * answer, or the records, would take more than the whole export's size.
 *
 * How the 20,000 memories get there, in about a minute: on a server of their
 * own (so the shared one does not carry them), loaded with
 * importWorkspaceStream in batches of 4,000 generated records sent straight
 * to that server (its proxy takes minutes to check 30 MB of request bodies;
 * the export goes through it). batchMemories would take hours: without
 * sqlite-vec every create runs the near-duplicate check as a linear scan.
 * Each write of 0.2.0's SQLite store still costs time linear in the store's
 * size (an FTS5 delete by id scans the index, so memories carry their bulk in
 * tags rather than in indexed content), and by default it also prunes old
 * context events with a scan, which MEMORYLAYER_CONTEXT_EVENT_RETENTION_DAYS=0
 * turns off.
 */
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { MemoryLayer, stream } from "../../src/effect.ts"
import { MemoryLayerClient, type WorkspaceExportRecord } from "../../src/index.ts"
import { recording, reportCoverage } from "./coverage.ts"
import { type ExtraServer, startExtraServer } from "./extra-server.ts"

setFlagsFromString("--expose-gc")
const collectGarbage = runInNewContext("gc") as () => void

const MEMORIES = 20_000
const BATCH = 4_000
const LIMIT_BYTES = 20 * 1024 * 1024

const fetch = recording()
reportCoverage("core-export-memory")
const workspace = "ws-core-export"
let server: ExtraServer | undefined
let client: MemoryLayerClient

/** The memory records of one import batch: each about 1.3 KB, most of it in two long tags. */
function* batchRecords(batch: number): Generator<WorkspaceExportRecord> {
  for (let i = 0; i < BATCH; i++) {
    const n = batch * BATCH + i
    const tags = [`topic-${n}-`.padEnd(600, "abcdefghij"), `source-${n}-`.padEnd(600, "klmnopqrst")]
    yield {
      type: "memory",
      index: n,
      data: { id: `m${n}`, content: `Memory ${n} of the constant-memory export`, content_hash: "", type: "semantic", subtype: null, importance: 0.5, tags, metadata: {}, abstract: null, overview: null, session_id: null, created_at: "2026-11-20T10:00:00+00:00", updated_at: null }
    }
  }
}

/** Watches the heap while records stream by: after a full collection every 2,000 records, the growth since the start. */
const heapWatch = () => {
  collectGarbage()
  const start = process.memoryUsage().heapUsed
  let peak = 0
  let memories = 0
  let tagChars = 0
  let nextIndex = 0
  let inOrder = true
  let footer: WorkspaceExportRecord | undefined
  return {
    see: (record: WorkspaceExportRecord): void => {
      if (record.type === "memory") {
        inOrder &&= record.index === nextIndex++
        memories++
        tagChars += record.data.tags.join("").length
        if (memories % 2_000 === 0) {
          collectGarbage()
          peak = Math.max(peak, process.memoryUsage().heapUsed - start)
        }
      } else if (record.type === "footer") footer = record
    },
    result: () => ({ peak, memories, tagChars, inOrder, footer })
  }
}

beforeAll(async () => {
  server = await startExtraServer("constant-memory export", { MEMORYLAYER_CONTEXT_EVENT_RETENTION_DAYS: "0" })
  client = new MemoryLayerClient({ baseUrl: server.url, fetch, timeout: 120_000 })
  const loader = new MemoryLayerClient({ baseUrl: server.serverUrl, fetch, timeout: 120_000 })
  await loader.createWorkspace("Constant-memory export", { id: workspace })
  for (let batch = 0; batch < MEMORIES / BATCH; batch++) {
    const result = await loader.importWorkspaceStream(workspace, batchRecords(batch))
    expect(result).toMatchObject({ imported: BATCH, errors: 0 })
  }
  await loader.close()
}, 600_000)

afterAll(async () => {
  await client?.close()
  expect(await server?.stop()).toEqual([])
})

describe(`an export of ${MEMORIES} memories`, () => {
  it("streams through exportWorkspace with heap growth under 20 MB, each memory once and in order", async () => {
    const watch = heapWatch()
    for await (const record of client.exportWorkspace(workspace)) watch.see(record)
    const { peak, memories, tagChars, inOrder, footer } = watch.result()
    console.log(`e2e: exportWorkspace of ${memories} memories (${(tagChars / 2 ** 20).toFixed(1)} MB of tags): heap grew ${(peak / 2 ** 20).toFixed(1)} MB at most`)
    expect(memories).toBe(MEMORIES)
    expect(inOrder).toBe(true)
    expect(footer).toEqual({ type: "footer", memories_exported: MEMORIES, associations_exported: 0 })
    // More than the bound went by, so holding it would have broken the bound.
    expect(tagChars).toBeGreaterThan(LIMIT_BYTES)
    expect(peak).toBeLessThan(LIMIT_BYTES)
  }, 300_000)

  it("streams through the Effect face's stream(\"exportWorkspace\") with heap growth under 20 MB", async () => {
    const watch = heapWatch()
    await Effect.runPromise(
      Effect.flatMap(Effect.service(MemoryLayer), () => Stream.runForEach(stream("exportWorkspace", workspace), (record) => Effect.sync(() => watch.see(record)))).pipe(
        Effect.provide(MemoryLayer.layer({ baseUrl: server?.url, fetch, timeout: 120_000 }))
      )
    )
    const { peak, memories, inOrder, footer } = watch.result()
    console.log(`e2e: stream(\"exportWorkspace\") of ${memories} memories: heap grew ${(peak / 2 ** 20).toFixed(1)} MB at most`)
    expect(memories).toBe(MEMORIES)
    expect(inOrder).toBe(true)
    expect(footer).toMatchObject({ memories_exported: MEMORIES })
    expect(peak).toBeLessThan(LIMIT_BYTES)
  }, 300_000)
})

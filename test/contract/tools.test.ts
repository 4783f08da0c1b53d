/**
 * The skills, mcp-servers, knowledgebase, agent-specifications, prompt-notes
 * and data-providers namespaces against the Prism mock, beyond the shared
 * suites that run calls-tools.ts on both faces: every operation of those tags
 * has a call; every list walks its pages on both faces; the downloads give
 * text, a Blob and byte streams; a versioned write without `ifMatch` reads the
 * etag first.
 *
 * Prism answers every page with the same example, so a walk that is not told
 * to stop goes on: the tests take a few items and check what was asked for.
 * A cursor list stops at the example's null `next_page_token`; an offset list
 * that ends on an empty page steps by the limit asked; one that ends on a
 * short page steps by the items received; one with a total stops there.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { describe, expect, inject, it } from "vitest"
import { MemoryLayer, type MemoryLayerService, stream } from "../../src/effect.ts"
import { type FetchLike, MemoryLayerClient } from "../../src/index.ts"
import { operationsTagged } from "../support/contract.ts"
import { toolsCalls } from "./calls-tools.ts"

const prismUrl = inject("prismUrl")
const TAKE = 3
const TOKEN = "next"

interface List {
  readonly name: string
  readonly page: (client: MemoryLayerClient) => AsyncIterable<unknown>
  readonly stream: (ml: MemoryLayerService) => Stream.Stream<unknown, unknown, MemoryLayer>
  /** Items yielded and the offsets or page tokens asked for, by a walk that stops after TAKE items. */
  readonly items: number
  readonly asked: ReadonlyArray<string | null>
}

const lists: ReadonlyArray<List> = [
  // Cursor lists: the example's next_page_token is null for these, so one page.
  { name: "agentSpecs.list", page: (c) => c.agentSpecs.list({ limit: 1 }), stream: () => stream("agentSpecs.list", { limit: 1 }), items: 1, asked: [null] },
  { name: "promptNotes.list", page: (c) => c.promptNotes.list({ limit: 1 }), stream: () => stream("promptNotes.list", { limit: 1 }), items: 1, asked: [null] },
  { name: "promptNotes.listRevisions", page: (c) => c.promptNotes.listRevisions("vrs_1", { limit: 4 }), stream: () => stream("promptNotes.listRevisions", "vrs_1", { limit: 4 }), items: 3, asked: [null] },
  // Cursor lists whose example has a next_page_token: the walk sends it back.
  { name: "agentSpecs.listRevisions", page: (c) => c.agentSpecs.listRevisions("vrs_1", { limit: 2 }), stream: () => stream("agentSpecs.listRevisions", "vrs_1", { limit: 2 }), items: 3, asked: [null, TOKEN] },
  { name: "skills.listRevisions", page: (c) => c.skills.listRevisions("skl_1", { limit: 2 }), stream: () => stream("skills.listRevisions", "skl_1", { limit: 2 }), items: 3, asked: [null, TOKEN] },
  // Offset lists that end on an empty page (shadowing can shorten a page): a whole page on each time, even when
  // the answer holds more items than the page asked for (Prism's example has two).
  { name: "skills.list", page: (c) => c.skills.list({ limit: 1 }), stream: () => stream("skills.list", { limit: 1 }), items: 3, asked: [null, "1"] },
  { name: "mcpServers.list", page: (c) => c.mcpServers.list({ limit: 1 }), stream: () => stream("mcpServers.list", { limit: 1 }), items: 3, asked: [null, "1"] },
  // An offset list that ends on a short page: the example's one article fills a page of one.
  { name: "kb.listArticles", page: (c) => c.kb.listArticles({ limit: 1 }), stream: () => stream("kb.listArticles", { limit: 1 }), items: 3, asked: [null, "1", "2"] },
  // An offset list with a total: the example is a page of one of two.
  { name: "dataProviders.list", page: (c) => c.dataProviders.list({ limit: 1 }), stream: () => stream("dataProviders.list", { limit: 1 }), items: 2, asked: [null, "1"] }
]

/** A fetch that notes the `offset` or `page_token` of every request (a token as `next`). */
const noting = (): { readonly fetch: FetchLike; readonly asked: Array<string | null> } => {
  const asked: Array<string | null> = []
  return {
    asked,
    fetch: (request) => {
      const query = new URL(request.url).searchParams
      asked.push(query.get("offset") ?? (query.get("page_token") === null ? null : TOKEN))
      return fetch(request)
    }
  }
}

const withService = <A, E>(program: (ml: MemoryLayerService) => Effect.Effect<A, E, MemoryLayer>, fetch?: FetchLike): Promise<A> =>
  Effect.runPromise(Effect.flatMap(Effect.service(MemoryLayer), program).pipe(
    Effect.provide(MemoryLayer.layer({ baseUrl: prismUrl, ...(fetch === undefined ? {} : { fetch }) }))
  ))

describe("the calls of calls-tools.ts", () => {
  it("cover every operation of the skills, mcp-servers, knowledgebase, agent-specifications, prompt-notes and data-providers tags, and nothing else", () => {
    const group = operationsTagged(["skills", "mcp-servers", "knowledgebase", "agent-specifications", "prompt-notes", "data-providers"])
    expect(group).toHaveLength(53)
    expect(Object.keys(toolsCalls).sort()).toEqual([...group].sort())
  })
})

describe("every list walks its pages on both faces", () => {
  it.each(lists)("$name: for await on the Promise client", async (list) => {
    const { fetch, asked } = noting()
    const client = new MemoryLayerClient({ baseUrl: prismUrl, fetch })
    const items: Array<unknown> = []
    for await (const item of list.page(client)) {
      items.push(item)
      if (items.length === TAKE) break
    }
    await client.close()
    expect([items.length, asked]).toEqual([list.items, list.asked])
  })

  it.each(lists)("$name: the Stream of the Effect service", async (list) => {
    const { fetch, asked } = noting()
    const items = await withService((ml) => Stream.runCollect(Stream.take(list.stream(ml), TAKE)), fetch)
    expect([items.length, asked]).toEqual([list.items, list.asked])
  })
})

describe("downloads on both faces", () => {
  it("getManifest is the SKILL.md text; getFile a Blob; getBundle and exportVault byte streams", async () => {
    const client = new MemoryLayerClient({ baseUrl: prismUrl })
    const viaPromise = {
      manifest: await client.skills.getManifest("skl_1"),
      file: await client.skills.getFile("skl_1", "scripts/extract.py"),
      bundle: await client.skills.getBundle("skl_1"),
      vault: await client.kb.exportVault()
    }
    await client.close()
    const viaEffect = await withService((ml) =>
      Effect.all({ manifest: ml.skills.getManifest("skl_1"), file: ml.skills.getFile("skl_1", "a.txt"), bundle: ml.skills.getBundle("skl_1", "tar.gz"), vault: ml.kb.exportVault("ws") }))
    for (const got of [viaPromise, viaEffect]) {
      expect(got.manifest).toMatch(/^---\nname: pdf-tools\ndescription: /)
      expect(got.file).toBeInstanceOf(Blob)
      expect(got.bundle).toBeInstanceOf(ReadableStream)
      expect(got.vault).toBeInstanceOf(ReadableStream)
      // Prism makes the binary answers up; what matters is that they arrive as bytes.
      expect((await new Response(got.bundle).arrayBuffer()).byteLength).toBeGreaterThan(0)
      expect((await new Response(got.vault).arrayBuffer()).byteLength).toBeGreaterThan(0)
    }
  })
})

describe("versioned writes without ifMatch", () => {
  it("read the etag first with the same path, then write with it and an Idempotency-Key, on both faces", async () => {
    const seen: Array<string> = []
    const fetch: FetchLike = (request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}${new URL(request.url).search} ${request.headers.get("if-match") === null ? "-" : "If-Match"} ${request.headers.get("idempotency-key") === null ? "-" : "Idempotency-Key"}`)
      return globalThis.fetch(request)
    }
    const client = new MemoryLayerClient({ baseUrl: prismUrl, fetch })
    await client.promptNotes.delete("vrs_1")
    await client.close()
    await withService((ml) => ml.skills.restoreManifest("skl_1"), fetch)
    expect(seen).toEqual([
      "GET /v1/prompt-notes/vrs_1 - -",
      "DELETE /v1/prompt-notes/vrs_1 If-Match Idempotency-Key",
      "GET /v1/skills/skl_1?include_deleted=true - -",
      "POST /v1/skills/skl_1/restore If-Match Idempotency-Key"
    ])
  })
})

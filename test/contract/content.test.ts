/**
 * The threads, documents and views namespaces against the Prism mock: every
 * operation of their tags has a call in calls-content.ts (which the shared
 * suites run on both faces), and the list methods walk their pages on both
 * faces: the Promise client's `for await` and
 * the service's `<name>Stream`. Prism answers every page with the same
 * example, so an offset walk that reads a full page asks for the next offset
 * again and again (the test takes three items and checks the offsets asked
 * for), while a cursor walk stops at the example's null `next_page_token`
 * and `documents.list` at its `total`.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { describe, expect, inject, it } from "vitest"
import { MemoryLayer, stream } from "../../src/effect.ts"
import { type FetchLike, MemoryLayerClient } from "../../src/index.ts"
import { operationsTagged } from "../support/contract.ts"
import { contentCalls } from "./calls-content.ts"

const prismUrl = inject("prismUrl")
const TAKE = 3

interface List {
  readonly name: string
  /** How the walk goes on after the example page: `offset` asks for the next offset, `last` stops. */
  readonly after: "offset" | "last"
  readonly page: (client: MemoryLayerClient) => AsyncIterable<unknown>
  readonly stream: () => Stream.Stream<unknown, unknown, MemoryLayer>
}

const lists: ReadonlyArray<List> = [
  { name: "threads.list", after: "offset", page: (c) => c.threads.list({ limit: 1 }), stream: () => stream("threads.list", { limit: 1 }) },
  { name: "threads.listForUser", after: "offset", page: (c) => c.threads.listForUser("alice", { limit: 1 }), stream: () => stream("threads.listForUser", "alice", { limit: 1 }) },
  { name: "threads.getMessages", after: "offset", page: (c) => c.threads.getMessages("thread_0123", { limit: 1 }), stream: () => stream("threads.getMessages", "thread_0123", { limit: 1 }) },
  { name: "documents.listJobs", after: "offset", page: (c) => c.documents.listJobs({ limit: 1 }), stream: () => stream("documents.listJobs", { limit: 1 }) },
  { name: "documents.list", after: "last", page: (c) => c.documents.list({ limit: 1 }), stream: () => stream("documents.list", { limit: 1 }) },
  { name: "views.list", after: "last", page: (c) => c.views.list("_default", { limit: 1 }), stream: () => stream("views.list", "_default", { limit: 1 }) },
  { name: "views.listRevisions", after: "last", page: (c) => c.views.listRevisions("_default", "main", { limit: 1 }), stream: () => stream("views.listRevisions", "_default", "main", { limit: 1 }) },
  { name: "views.listObservations", after: "last", page: (c) => c.views.listObservations("_default", "main", { limit: 1 }), stream: () => stream("views.listObservations", "_default", "main", { limit: 1 }) },
  {
    name: "views.listObservationRevisions",
    after: "last",
    page: (c) => c.views.listObservationRevisions("_default", "main", "agent-1", { limit: 1 }),
    stream: () => stream("views.listObservationRevisions", "_default", "main", "agent-1", { limit: 1 })
  }
]

/** A fetch that notes the `offset` (or `page_token`) of every request. */
const noting = (): { readonly fetch: FetchLike; readonly asked: Array<string | null> } => {
  const asked: Array<string | null> = []
  return {
    asked,
    fetch: (request) => {
      const query = new URL(request.url).searchParams
      asked.push(query.get("offset") ?? query.get("page_token"))
      return fetch(request)
    }
  }
}

/** What a walk of `list` must have asked for and yielded. */
const expectWalk = (list: List, items: ReadonlyArray<unknown>, asked: ReadonlyArray<string | null>): void => {
  if (list.after === "offset") {
    expect(items).toHaveLength(TAKE)
    expect(asked).toEqual([null, "1", "2"])
  } else {
    expect(items).toHaveLength(1)
    expect(asked).toEqual([null])
  }
}

describe("the calls of calls-content.ts", () => {
  it("cover every operation of the threads, documents and workspace-views tags, and nothing else", () => {
    const group = operationsTagged(["threads", "documents", "workspace-views"])
    expect(group).toHaveLength(39)
    expect(Object.keys(contentCalls).sort()).toEqual([...group].sort())
  })
})

describe("list methods walk their pages on both faces", () => {
  it.each(lists)("$name: for await on the Promise client", async (list) => {
    const { fetch, asked } = noting()
    const client = new MemoryLayerClient({ baseUrl: prismUrl, fetch })
    const items: Array<unknown> = []
    for await (const item of list.page(client)) {
      items.push(item)
      if (items.length === TAKE) break
    }
    await client.close()
    expectWalk(list, items, asked)
  })

  it.each(lists)("$name: the Stream of the Effect service", async (list) => {
    const { fetch, asked } = noting()
    const items = await Effect.runPromise(
      Stream.runCollect(Stream.take(list.stream(), TAKE)).pipe(
        Effect.provide(MemoryLayer.layer({ baseUrl: prismUrl, fetch }))
      )
    )
    expectWalk(list, items, asked)
  })
})

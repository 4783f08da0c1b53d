/**
 * The contenders the benchmarks compare, each making the same two calls
 * (remember, and a recall of 50 memories) against the stub:
 * - raw `fetch` + `JSON.parse`, the floor;
 * - plain ky, the HTTP library under the SDK;
 * - the upstream hand-written TypeScript SDK, when `MEMORYLAYER_BENCH_UPSTREAM`
 *   names a built copy of it (its `MemoryLayerClient`);
 * - `MemoryLayerClient` (the Promise face) and the `MemoryLayer` service run
 *   with `ManagedRuntime.runPromise` (the Effect face), both with full
 *   request validation and response decoding.
 */
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import ky from "ky"
import { MemoryLayer } from "memorylayer-client/effect"
import { MemoryLayerClient } from "memorylayer-client"

/** One contender: the two calls, and how to release it. */
export interface Contender {
  readonly name: string
  readonly remember: () => Promise<unknown>
  readonly recall: () => Promise<unknown>
  readonly close: () => Promise<void>
}

const REMEMBER = { content: "The deploy script lives in scripts/deploy.sh", type: "procedural", importance: 0.8, tags: ["deploy"] } as const
const RECALL = { query: "how do I deploy?", limit: 50 } as const
const HEADERS = { authorization: "Bearer bench-key", "content-type": "application/json" }

const rawFetch = (url: string): Contender => {
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${url}${path}`, { method: "POST", headers: HEADERS, body: JSON.stringify(body) })
    return JSON.parse(await response.text())
  }
  return {
    name: "raw fetch + JSON.parse",
    remember: () => post("/v1/memories", REMEMBER),
    recall: () => post("/v1/memories/recall", RECALL),
    close: async () => undefined
  }
}

const plainKy = (url: string): Contender => {
  const api = ky.create({ prefix: url, retry: 0, timeout: false, headers: { authorization: "Bearer bench-key" } })
  return {
    name: "plain ky",
    remember: () => api.post("v1/memories", { json: REMEMBER }).json(),
    recall: () => api.post("v1/memories/recall", { json: RECALL }).json(),
    close: async () => undefined
  }
}

interface UpstreamClient {
  remember(content: string, options: object): Promise<unknown>
  recall(query: string, options: object): Promise<unknown>
}

const upstream = async (url: string): Promise<Contender | undefined> => {
  const location = process.env["MEMORYLAYER_BENCH_UPSTREAM"]
  if (location === undefined || location === "") return undefined
  const module = (await import(location)) as { MemoryLayerClient: new(options: object) => UpstreamClient }
  const client = new module.MemoryLayerClient({ baseUrl: url, apiKey: "bench-key" })
  return {
    name: "upstream hand-written SDK",
    remember: () => client.remember(REMEMBER.content, { type: REMEMBER.type, importance: REMEMBER.importance, tags: REMEMBER.tags }),
    recall: () => client.recall(RECALL.query, { limit: RECALL.limit }),
    close: async () => undefined
  }
}

const promiseFace = (url: string): Contender => {
  const client = new MemoryLayerClient({ baseUrl: url, apiKey: "bench-key" })
  return {
    name: "MemoryLayerClient",
    remember: () => client.remember(REMEMBER.content, { type: REMEMBER.type, importance: REMEMBER.importance, tags: [...REMEMBER.tags] }),
    recall: () => client.recall(RECALL.query, { limit: RECALL.limit }),
    close: () => client.close()
  }
}

const effectFace = async (url: string): Promise<Contender> => {
  const runtime = ManagedRuntime.make(MemoryLayer.layer({ baseUrl: url, apiKey: "bench-key" }))
  const service = await runtime.runPromise(Effect.service(MemoryLayer))
  return {
    name: "MemoryLayer service",
    remember: () =>
      runtime.runPromise(service.remember(REMEMBER.content, { type: REMEMBER.type, importance: REMEMBER.importance, tags: [...REMEMBER.tags] })),
    recall: () => runtime.runPromise(service.recall(RECALL.query, { limit: RECALL.limit })),
    close: () => runtime.dispose()
  }
}

/** Every contender available, the floor first. */
export const makeContenders = async (url: string): Promise<ReadonlyArray<Contender>> => {
  const all = [rawFetch(url), plainKy(url), await upstream(url), promiseFace(url), await effectFace(url)]
  return all.filter((c): c is Contender => c !== undefined)
}

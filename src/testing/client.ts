/**
 * The two faces over the in-memory server: `createTestClient()`, a real
 * `MemoryLayerClient` whose `fetch` is the server, and `layerTest()`, the
 * real `MemoryLayer` service over it. Validation, typed errors, positional
 * forms, retries and decoding are the real SDK's; only the server is a
 * double.
 *
 * @module
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { MemoryLayerClient } from "../../generated/facade.gen.ts"
import { ValidationError } from "../errors.ts"
import { MemoryLayer } from "../MemoryLayer.ts"
import type { MemoryLayerOptions } from "../options.ts"
import { createTestServer, type TestServer, type TestServerOptions } from "./server.ts"

/** Where the test client points; any URL works, the double serves it without a socket. */
const TEST_BASE_URL = "http://memorylayer.test"

/**
 * Options of {@link createTestClient} and {@link layerTest}: the client's
 * own options (but `fetch`, which is the double), and either an existing
 * `server` to share or the `seed` and `now` of a new one.
 *
 * @example
 * ```ts
 * const options: TestClientOptions = { workspaceId: "team", seed: 7, now: () => new Date("2026-01-01T09:00:00Z") }
 * const client = createTestClient(options)
 * ```
 */
export interface TestClientOptions extends Omit<MemoryLayerOptions, "fetch">, TestServerOptions {
  /** A server made by `createTestServer()`, to share between clients. Default: a new one. */
  readonly server?: TestServer | undefined
}

/**
 * A `MemoryLayerClient` over an in-memory server, which `testServer` shows and resets.
 *
 * @example
 * ```ts
 * const client: TestClient = createTestClient()
 * await client.remember("Standup is at 10:00")
 * client.testServer.memories().length // 1
 * client.testServer.reset()
 * ```
 */
export type TestClient = MemoryLayerClient & {
  /** The in-memory server this client talks to: inspect what it stored and the requests it answered. */
  readonly testServer: TestServer
}

/** Splits the double's options from the client's, making the server when none is given. */
const split = (options: TestClientOptions): { readonly server: TestServer; readonly client: MemoryLayerOptions } => {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ValidationError({ message: "Invalid client options: options must be an object", statusCode: undefined, issues: [{ path: ["options"], message: "must be an object" }] })
  }
  const { server, seed, now, ...client } = options
  if ("fetch" in client) {
    throw new ValidationError({
      message: "Invalid client options: fetch is the in-memory server in a test client; use MemoryLayerClient for your own fetch",
      statusCode: undefined,
      issues: [{ path: ["fetch"], message: "is the in-memory server in a test client" }]
    })
  }
  if (server !== undefined && (seed !== undefined || now !== undefined)) {
    throw new ValidationError({
      message: "Invalid client options: seed and now belong to the server; give them to createTestServer() when you pass a server",
      statusCode: undefined,
      issues: [{ path: [seed !== undefined ? "seed" : "now"], message: "cannot be combined with server" }]
    })
  }
  const testServer = server ?? createTestServer({ ...(seed === undefined ? {} : { seed }), ...(now === undefined ? {} : { now }) })
  return { server: testServer, client: { baseUrl: TEST_BASE_URL, ...client, fetch: testServer.fetch } }
}

/**
 * A real `MemoryLayerClient` over an in-memory server that behaves as
 * memorylayer-server 0.2.0 for the seed's operations: what you remember comes
 * back from getMemory and recall, sessions keep working memory, unknown ids
 * and bad input fail with the same typed errors. `client.testServer` shows
 * what your code stored and resets it.
 *
 * @param options - The client's options (not `fetch`), plus `server` to share
 *   one server, or `seed` and `now` for a new one.
 * @throws ValidationError naming a bad or unknown option.
 *
 * @example
 * ```ts
 * import { createTestClient } from "memorylayer-client/testing"
 *
 * const client = createTestClient()
 * const memory = await client.remember("User prefers concise answers", { tags: ["Style"] })
 * const { memories } = await client.recall("concise answers")
 * memories[0]?.id === memory.id // true
 * client.testServer.memories()[0]?.tags // ["style"]
 * ```
 */
export const createTestClient = (options: TestClientOptions = {}): TestClient => {
  const { server, client } = split(options)
  const instance = new MemoryLayerClient(client)
  Object.defineProperty(instance, "testServer", { value: server, enumerable: false })
  return instance as TestClient
}

/**
 * The in-memory server behind {@link layerTest}, as an Effect service, for
 * programs that check what they stored.
 *
 * @example
 * ```ts
 * const stored = Effect.gen(function*() {
 *   const server = yield* MemoryLayerTestServer
 *   return server.memories().length
 * })
 * ```
 */
export class MemoryLayerTestServer extends Context.Service<MemoryLayerTestServer, TestServer>()("memorylayer-client/testing/MemoryLayerTestServer") {}

/**
 * The real `MemoryLayer` service over an in-memory server, plus that server
 * as {@link MemoryLayerTestServer}. Each build of the layer makes a new,
 * empty server unless `options.server` is given.
 *
 * @param options - As {@link createTestClient}.
 *
 * @example
 * ```ts
 * import * as Effect from "effect/Effect"
 * import { MemoryLayer } from "memorylayer-client/effect"
 * import { layerTest } from "memorylayer-client/testing"
 *
 * const program = Effect.gen(function*() {
 *   const ml = yield* MemoryLayer
 *   yield* ml.remember("The deploy script lives in scripts/deploy.sh", { type: "procedural" })
 *   return yield* ml.recall("deploy script")
 * })
 * const { memories } = await Effect.runPromise(program.pipe(Effect.provide(layerTest())))
 * ```
 */
export const layerTest = (options: TestClientOptions = {}): Layer.Layer<MemoryLayer | MemoryLayerTestServer, ValidationError> =>
  Layer.unwrap(
    Effect.map(
      Effect.try({ try: () => split(options), catch: (error) => error as ValidationError }),
      ({ server, client }) => Layer.merge(MemoryLayer.layer(client), Layer.succeed(MemoryLayerTestServer, server))
    )
  )

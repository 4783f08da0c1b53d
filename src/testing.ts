/**
 * `memorylayer-client/testing`: test your agent without a server. An
 * in-memory MemoryLayer server that behaves as memorylayer-server 0.2.0 for
 * the documented client's operations, and both faces of the real SDK over
 * it: `createTestClient()` (Promise) and `layerTest()` (Effect).
 *
 * @example
 * ```ts
 * import { createTestClient } from "memorylayer-client/testing"
 *
 * const client = createTestClient()
 * await client.remember("User prefers concise answers")
 * const { memories } = await client.recall("concise answers")
 * ```
 *
 * @module
 */
// Log lines of clients without a `logger` go through Effect's logger.
import "./effect-log.ts"

export { createTestClient, layerTest, MemoryLayerTestServer, type TestClient, type TestClientOptions } from "./testing/client.ts"
export { createTestServer, type MemoryFilter, type RequestRecord, type TestServer, type TestServerOptions } from "./testing/server.ts"

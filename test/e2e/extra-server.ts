/**
 * A memorylayer-server with settings of its own (feature flags, tuning)
 * behind its own contract-checking proxy, for the tests of one file: started
 * in a `beforeAll`, stopped in the `afterAll`, which then asserts that its
 * proxy saw no violation (the global teardown only checks the shared ones).
 *
 * ```ts
 * let registry: ExtraServer
 * beforeAll(async () => { registry = await startExtraServer("entity registry", { MEMORYLAYER_ENTITY_REGISTRY_ENABLED: "true" }) })
 * afterAll(async () => expect(await registry.stop()).toEqual([]))
 * ```
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { startMemoryLayerServer } from "../../scripts/server/memorylayer-server.ts"
import { venvPython } from "../../scripts/server/venv.ts"
import { startPrismProxy } from "./prism-proxy.ts"

/** A started server and its proxy. */
export interface ExtraServer {
  /** The proxy: use it for everything that follows openapi.yaml. */
  readonly url: string
  /** The server itself, unchecked: for answers the proxy would replace (it mocks a 501) and bulk loading. */
  readonly serverUrl: string
  /** Stops the proxy and the server; resolves with the violations the proxy logged (their logs are kept then). */
  readonly stop: () => Promise<ReadonlyArray<string>>
}

const root = resolve(import.meta.dirname, "..", "..")

/** Starts a server named `name` (in messages) with `settings` over the offline ones, and a proxy in front of it. */
export const startExtraServer = async (name: string, settings: NodeJS.ProcessEnv): Promise<ExtraServer> => {
  const workDir = mkdtempSync(join(tmpdir(), "memorylayer-e2e-extra-"))
  // The global setup made sure the virtual environment is there.
  const server = await startMemoryLayerServer({ python: venvPython(root), workDir, name: `memorylayer-server (${name})`, settings })
  const proxy = await startPrismProxy({ root, upstream: server.url, workDir }).catch(async (error: unknown) => {
    await server.process.stop()
    throw error
  })
  return {
    url: proxy.url,
    serverUrl: server.url,
    stop: async () => {
      await proxy.process.stop()
      await server.process.stop()
      const violations = proxy.violations().map((v) => `${v.request}: ${v.message} (logs in ${workDir})`)
      if (violations.length === 0) rmSync(workDir, { recursive: true, force: true })
      return violations
    }
  }
}

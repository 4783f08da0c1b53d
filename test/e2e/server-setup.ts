/**
 * Global setup of the e2e project: the real memorylayer-server (pinned, in
 * `.venv-e2e/`), behind `prism proxy --errors` so that all traffic is checked
 * against openapi.yaml.
 *
 * Tests read the URLs with `inject`:
 * ```ts
 * import { inject } from "vitest"
 * const client = new MemoryLayerClient({ baseUrl: inject("memorylayerUrl") })
 * ```
 * At teardown the run fails when the proxy logged any contract violation.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import type { TestProject } from "vitest/node"
import { startMemoryLayerServer, type RunningServer } from "./memorylayer-server.ts"
import { startPrismProxy, type RunningProxy } from "./prism-proxy.ts"
import { MEMORYLAYER_SERVER_VERSION, ensureServerVenv } from "./server-venv.ts"

declare module "vitest" {
  export interface ProvidedContext {
    /**
     * The server behind the contract-checking proxy. Use it for everything
     * that follows openapi.yaml: a request or answer that breaks the contract
     * fails the run.
     */
    memorylayerUrl: string
    /**
     * The server itself, unchecked: for its own /openapi.json and for requests
     * that break the contract on purpose.
     */
    serverUrl: string
  }
}

const root = resolve(import.meta.dirname, "..", "..")

const say = (line: string): void => {
  console.log(line)
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`

/**
 * Starts the server and the proxy, provides their URLs, and returns the
 * teardown. Set MEMORYLAYER_E2E_KEEP_LOGS=1 to keep the logs of a run that
 * passed; those of a failed start or a run with violations are always kept.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now()
  const workDir = mkdtempSync(join(tmpdir(), "memorylayer-e2e-"))
  let server: RunningServer | undefined
  let proxy: RunningProxy | undefined
  const stopAll = async (): Promise<void> => {
    await proxy?.process.stop()
    await server?.process.stop()
  }

  try {
    const python = await ensureServerVenv(root, join(workDir, "install.log"), say)
    server = await startMemoryLayerServer({ python, launcher: join(import.meta.dirname, "serve.py"), workDir })
    proxy = await startPrismProxy({ root, upstream: server.url, workDir })
  } catch (error) {
    await stopAll()
    say(`e2e: setup failed; logs kept in ${workDir}`)
    throw error
  }

  project.provide("memorylayerUrl", proxy.url)
  project.provide("serverUrl", server.url)
  say(
    `e2e: memorylayer-server ${MEMORYLAYER_SERVER_VERSION} at ${server.url}, prism proxy at ${proxy.url} ` +
      `(ready in ${seconds(started)}; logs in ${workDir})`
  )

  const runningProxy = proxy
  return async () => {
    await stopAll()
    const violations = runningProxy.violations()
    say(`e2e: ${violations.length} proxy violations`)
    if (violations.length > 0) {
      const list = violations.map((violation) => `  ${violation.request}: ${violation.message}`).join("\n")
      throw new Error(
        `e2e: ${violations.length} proxy violations: traffic that openapi.yaml does not describe.\n${list}\n` +
          `Logs kept in ${workDir}`
      )
    }
    if (process.env["MEMORYLAYER_E2E_KEEP_LOGS"] === "1") say(`e2e: logs kept in ${workDir}`)
    else rmSync(workDir, { recursive: true, force: true })
  }
}

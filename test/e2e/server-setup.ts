/**
 * Global setup of the e2e project: the real memorylayer-server (pinned, in
 * `.venv-server/`), started twice side by side, each behind its own
 * `prism proxy --errors` so that all traffic is checked against openapi.yaml:
 * - with open access, as it ships: every test but the authentication ones;
 * - with its gateway authentication enabled, the only way to get a 401 or 403
 *   out of it.
 *
 * Tests read the URLs with `inject`:
 * ```ts
 * import { inject } from "vitest"
 * const client = new MemoryLayerClient({ baseUrl: inject("memorylayerUrl") })
 * ```
 * At teardown the run fails when either proxy logged any contract violation.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import type { TestProject } from "vitest/node"
import { operations } from "../../generated/operations.gen.ts"
import { consoleOutput } from "../../scripts/server/console-output.ts"
import { startMemoryLayerServer, type RunningServer } from "../../scripts/server/memorylayer-server.ts"
import { MEMORYLAYER_SERVER_VERSION, ensureServerVenv } from "../../scripts/server/venv.ts"
import { startPrismProxy, type RunningProxy } from "./prism-proxy.ts"

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
    /**
     * A second server, with its gateway (`aether`) authentication enabled,
     * behind its own contract-checking proxy. It trusts only the `X-Auth-*`
     * headers the gateway would add: without `X-Auth-Tenant-ID` a request is
     * refused with 401, without an `X-Auth-Workspace-Access` level high enough
     * for the operation with 403 (on the routes that do not turn those into a
     * 500). An API key alone lets nothing in.
     */
    authMemorylayerUrl: string
    /** Where each test file writes the operations it exercised (test/e2e/coverage.ts). */
    coverageDir: string
  }
}

const root = resolve(import.meta.dirname, "..", "..")

const output = consoleOutput(process.stdout, "e2e: ")
const say = output.say

/**
 * Who the server lets in.
 * - `open`: the default; any request, with any API key or none.
 * - `aether`: the server trusts only the `X-Auth-*` headers its
 *   authentication gateway would add. Without `X-Auth-Tenant-ID` a request is
 *   unauthenticated (401); without an `X-Auth-Workspace-Access` level high
 *   enough for the operation it is forbidden (403).
 */
type Authentication = "open" | "aether"

/** The settings of each {@link Authentication}, and the headers its storage probe needs to be let in. */
const authenticationModes: Record<Authentication, { readonly settings: NodeJS.ProcessEnv; readonly probeHeaders: Record<string, string> }> = {
  open: { settings: {}, probeHeaders: {} },
  aether: {
    settings: { MEMORYLAYER_AUTHENTICATION_SERVICE: "aether", MEMORYLAYER_AUTHORIZATION_SERVICE: "aether" },
    // What the gateway would add for a caller allowed to read (access level 10).
    probeHeaders: { "X-Auth-Tenant-ID": "e2e-probe", "X-Auth-Workspace-Access": "10" }
  }
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`

/** A server and the proxy in front of it. */
interface CheckedServer {
  readonly authentication: Authentication
  readonly server: RunningServer
  readonly proxy: RunningProxy
}

/**
 * Starts one server and its proxy, with their data and logs in
 * `<workDir>/<authentication>/`. When the proxy does not start, the server is
 * stopped before this rejects.
 */
const startCheckedServer = async (python: string, workDir: string, authentication: Authentication): Promise<CheckedServer> => {
  const dir = join(workDir, authentication)
  mkdirSync(dir)
  const server = await startMemoryLayerServer({
    python,
    workDir: dir,
    name: authentication === "open" ? "memorylayer-server" : `memorylayer-server (${authentication} authentication)`,
    ...authenticationModes[authentication]
  })
  try {
    return { authentication, server, proxy: await startPrismProxy({ root, upstream: server.url, workDir: dir }) }
  } catch (error) {
    await server.process.stop()
    throw error
  }
}

/** Stops the proxy, then its server. */
const stop = async ({ server, proxy }: CheckedServer): Promise<void> => {
  await proxy.process.stop()
  await server.process.stop()
}

/**
 * Makes sure the virtual environment is there, then starts the open server
 * and the authenticating one at the same time. When either fails to start,
 * the other is stopped before this rejects.
 */
const startServers = async (workDir: string): Promise<{ readonly open: CheckedServer; readonly aether: CheckedServer }> => {
  const python = await ensureServerVenv(root, join(workDir, "install.log"), output)
  const [open, aether] = await Promise.allSettled([startCheckedServer(python, workDir, "open"), startCheckedServer(python, workDir, "aether")])
  if (open.status === "fulfilled" && aether.status === "fulfilled") return { open: open.value, aether: aether.value }
  const starts = [open, aether]
  await Promise.all(starts.map((start) => (start.status === "fulfilled" ? stop(start.value) : undefined)))
  throw starts.find((start): start is PromiseRejectedResult => start.status === "rejected")?.reason
}

/** Prints how many operations of the contract the test files exercised in all, and which were not. */
const sayCoverage = (coverageDir: string): void => {
  const exercised = new Set(readdirSync(coverageDir).flatMap((file) => JSON.parse(readFileSync(join(coverageDir, file), "utf8")) as Array<string>))
  const all = Object.keys(operations)
  say(`${exercised.size}/${all.length} operations exercised against memorylayer-server`)
  const missing = all.filter((id) => !exercised.has(id))
  if (missing.length > 0) say(`not exercised: ${missing.join(", ")}`)
}

/**
 * Starts both servers and their proxies in parallel, provides their URLs, and
 * returns the teardown. Set MEMORYLAYER_E2E_KEEP_LOGS=1 to keep the logs of a
 * run that passed; those of a failed start or a run with violations are
 * always kept.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now()
  const workDir = mkdtempSync(join(tmpdir(), "memorylayer-e2e-"))

  const { open, aether } = await startServers(workDir).catch((error: unknown) => {
    say(`setup failed; logs kept in ${workDir}`)
    throw error
  })

  project.provide("memorylayerUrl", open.proxy.url)
  project.provide("serverUrl", open.server.url)
  project.provide("authMemorylayerUrl", aether.proxy.url)
  const coverageDir = join(workDir, "coverage")
  mkdirSync(coverageDir)
  project.provide("coverageDir", coverageDir)
  for (const { authentication, server, proxy } of [open, aether]) {
    say(`memorylayer-server ${MEMORYLAYER_SERVER_VERSION} (${authentication}) at ${server.url}, prism proxy at ${proxy.url}`)
  }
  say(`ready in ${seconds(started)}; logs in ${workDir}`)

  return async () => {
    await Promise.all([stop(open), stop(aether)])
    sayCoverage(coverageDir)
    const violations = [open, aether].flatMap(({ authentication, proxy }) =>
      proxy.violations().map((violation) => `  (${authentication}) ${violation.request}: ${violation.message}`)
    )
    say(`${violations.length} proxy violations`)
    if (violations.length > 0) {
      throw new Error(
        `e2e: ${violations.length} proxy violations: traffic that openapi.yaml does not describe.\n${violations.join("\n")}\n` +
          `Logs kept in ${workDir}`
      )
    }
    if (process.env["MEMORYLAYER_E2E_KEEP_LOGS"] === "1") say(`logs kept in ${workDir}`)
    else rmSync(workDir, { recursive: true, force: true })
  }
}

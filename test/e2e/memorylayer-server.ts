/**
 * Starts memorylayer-server on a free loopback port with offline settings: an
 * in-memory SQLite store, lexical hash embeddings (no model download), no
 * LLM, and the restricted sandbox executor; with open access (the default) or
 * with its gateway authentication.
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { LOOPBACK, freePort, waitUntil } from "./loopback.ts"
import { logTail, startProcessGroup, type ProcessGroup } from "./process-group.ts"

/** A server that answered its health check and a storage probe. */
export interface RunningServer {
  readonly url: string
  readonly process: ProcessGroup
}

/**
 * Who the server lets in.
 * - `open`: the default; any request, with any API key or none.
 * - `aether`: the server trusts only the `X-Auth-*` headers its
 *   authentication gateway would add. Without `X-Auth-Tenant-ID` a request is
 *   unauthenticated (401); without an `X-Auth-Workspace-Access` level high
 *   enough for the operation it is forbidden (403).
 */
export type Authentication = "open" | "aether"

/** What {@link startMemoryLayerServer} needs. */
export interface ServerOptions {
  /** The virtual environment's Python. */
  readonly python: string
  /** serve.py beside this file. */
  readonly launcher: string
  /** A fresh temporary folder for its data directory and log. */
  readonly workDir: string
  /** Default: `open`. */
  readonly authentication?: Authentication
}

/** The settings of each {@link Authentication}, and the headers its storage probe needs to be let in. */
const authenticationModes: Record<Authentication, { readonly env: NodeJS.ProcessEnv; readonly probeHeaders: Record<string, string> }> = {
  open: { env: {}, probeHeaders: {} },
  aether: {
    env: { MEMORYLAYER_AUTHENTICATION_SERVICE: "aether", MEMORYLAYER_AUTHORIZATION_SERVICE: "aether" },
    // What the gateway would add for a caller allowed to read (access level 10).
    probeHeaders: { "X-Auth-Tenant-ID": "e2e-probe", "X-Auth-Workspace-Access": "10" }
  }
}

/**
 * The server's environment: ours, minus any MEMORYLAYER_* setting of the
 * person running the tests (an LLM profile or an auth service would change
 * what the server answers), plus the offline settings.
 */
const serverEnvironment = (dataDir: string, port: number, authentication: Authentication): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MEMORYLAYER_"))),
  // Must exist, or the server silently writes into its working directory.
  MEMORYLAYER_DATA_DIR: dataDir,
  MEMORYLAYER_STORAGE_BACKEND: "sqlite",
  MEMORYLAYER_SQLITE_STORAGE_PATH: ":memory:",
  MEMORYLAYER_EMBEDDING_PROVIDER: "hash",
  // The default executor needs smolagents, which the package does not install.
  MEMORYLAYER_CONTEXT_EXECUTOR: "restricted",
  MEMORYLAYER_SERVER_HOST: LOOPBACK,
  MEMORYLAYER_SERVER_PORT: String(port),
  MEMORYLAYER_SHUTDOWN_GRACE_S: "5",
  PYTHONUNBUFFERED: "1",
  ...authenticationModes[authentication].env
})

const answers = async (url: string, init: RequestInit, check: (status: number, body: unknown) => boolean): Promise<boolean> => {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) })
  const body: unknown = await response.json().catch(() => undefined)
  return check(response.status, body)
}

/**
 * Starts the server and waits until `GET /health` says healthy. Then it
 * checks that storage works with a recall (read-only): a broken store still
 * reports healthy, and every test would fail with an unhelpful 500.
 *
 * @throws With the server's log tail when it exits, is not healthy within
 * 90 s, or its storage does not work. The process is stopped first.
 */
export const startMemoryLayerServer = async (options: ServerOptions): Promise<RunningServer> => {
  const dataDir = join(options.workDir, "data")
  mkdirSync(dataDir, { recursive: true })
  const port = await freePort()
  const url = `http://${LOOPBACK}:${port}`
  const authentication = options.authentication ?? "open"
  const name = authentication === "open" ? "memorylayer-server" : `memorylayer-server (${authentication} authentication)`
  const server = startProcessGroup({
    name,
    command: options.python,
    args: [options.launcher],
    cwd: options.workDir,
    env: serverEnvironment(dataDir, port, authentication),
    logFile: join(options.workDir, "server.log"),
    stdinPipe: true
  })
  const context = (): string => `Server log ${server.logFile}, last lines:\n${logTail(server.logFile)}`
  try {
    await waitUntil(
      () => answers(`${url}/health`, {}, (status, body) => status === 200 && JSON.stringify(body) === '{"status":"healthy"}'),
      { what: name, timeoutMs: 90_000, exited: server.exited, context }
    )
    const storageWorks = await answers(
      `${url}/v1/memories/recall`,
      {
        method: "POST",
        headers: { "content-type": "application/json", ...authenticationModes[authentication].probeHeaders },
        body: JSON.stringify({ query: "storage probe", limit: 1 })
      },
      (status) => status === 200
    ).catch(() => false)
    if (!storageWorks) {
      throw new Error(`${name} is up but its storage does not work (a recall failed).\n${context()}`)
    }
  } catch (error) {
    await server.stop()
    throw error
  }
  return { url, process: server }
}

/**
 * Starts memorylayer-server on a loopback port with offline settings: an
 * in-memory SQLite store, lexical hash embeddings (no model download), no
 * LLM, and the restricted sandbox executor. Callers can change any setting.
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { LOOPBACK, acceptsConnections, freePort, waitUntil } from "./loopback.ts"
import { logTail, startProcessGroup, type ProcessGroup } from "./process-group.ts"

/** A server that answered its health check and a storage probe. */
export interface RunningServer {
  readonly url: string
  readonly process: ProcessGroup
}

/** What {@link startMemoryLayerServer} needs. */
export interface ServerOptions {
  /** The virtual environment's Python. */
  readonly python: string
  /** An existing folder: the server's working directory, with its log (`server.log`). */
  readonly workDir: string
  /** Where the server keeps its state (`MEMORYLAYER_DATA_DIR`); created when missing. Default: `<workDir>/data`. */
  readonly dataDir?: string
  /** Default: a free port. A port something already listens on is refused. */
  readonly port?: number
  /** Server settings (`MEMORYLAYER_*` variables) over the offline ones. */
  readonly settings?: NodeJS.ProcessEnv
  /** Headers the storage probe needs to be let in, for a server with authentication on. */
  readonly probeHeaders?: Record<string, string>
  /** Names the server in messages. Default: `memorylayer-server`. */
  readonly name?: string
}

/** The settings that make the server work with nothing but its own package: what the e2e tests and `npm start` run. */
export const OFFLINE_SETTINGS = {
  MEMORYLAYER_STORAGE_BACKEND: "sqlite",
  MEMORYLAYER_SQLITE_STORAGE_PATH: ":memory:",
  MEMORYLAYER_EMBEDDING_PROVIDER: "hash",
  // The default executor needs smolagents, which the package does not install.
  MEMORYLAYER_CONTEXT_EXECUTOR: "restricted"
} as const

/**
 * The server's environment: ours, minus any MEMORYLAYER_* setting of the
 * person running it (an LLM profile or an auth service would change what the
 * server answers), plus the offline settings, then `settings`, then where it
 * listens and keeps its data.
 */
const serverEnvironment = (dataDir: string, port: number, settings: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MEMORYLAYER_"))),
  ...OFFLINE_SETTINGS,
  MEMORYLAYER_SHUTDOWN_GRACE_S: "5",
  ...settings,
  // Must exist, or the server silently writes into its working directory.
  MEMORYLAYER_DATA_DIR: dataDir,
  MEMORYLAYER_SERVER_HOST: LOOPBACK,
  MEMORYLAYER_SERVER_PORT: String(port),
  PYTHONUNBUFFERED: "1"
})

const answers = async (url: string, init: RequestInit, check: (status: number, body: unknown) => boolean): Promise<boolean> => {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) })
  const body: unknown = await response.json().catch(() => undefined)
  return check(response.status, body)
}

/**
 * Starts the server and waits until `GET /health` says healthy. Then it
 * checks that storage works with a recall (read-only): a broken store still
 * reports healthy, and every request would fail with an unhelpful 500.
 *
 * @throws With the server's log tail when it exits, is not healthy within
 * 90 s, or its storage does not work (the process is stopped first); or when
 * something already listens on `options.port`.
 */
export const startMemoryLayerServer = async (options: ServerOptions): Promise<RunningServer> => {
  const name = options.name ?? "memorylayer-server"
  const port = options.port ?? (await freePort())
  if (options.port !== undefined && (await acceptsConnections(port))) {
    throw new Error(`Port ${port} is in use: is a server already running there? Choose another port.`)
  }
  const dataDir = options.dataDir ?? join(options.workDir, "data")
  mkdirSync(dataDir, { recursive: true })
  const url = `http://${LOOPBACK}:${port}`
  const server = startProcessGroup({
    name,
    command: options.python,
    args: [join(import.meta.dirname, "serve.py")],
    cwd: options.workDir,
    env: serverEnvironment(dataDir, port, options.settings ?? {}),
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
        headers: { "content-type": "application/json", ...options.probeHeaders },
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

/**
 * A local memorylayer-server for the duration of a command: `npm start` runs
 * the quickstart against one, `npm run server` keeps one until Ctrl-C.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Output } from "./console-output.ts"
import { onInterrupt } from "./interrupt.ts"
import { startMemoryLayerServer, type RunningServer } from "./memorylayer-server.ts"
import { MEMORYLAYER_SERVER_VERSION, ensureServerVenv } from "./venv.ts"

/** What {@link withLocalServer} needs. */
export interface LocalServerOptions {
  /** The repository root, where the virtual environment lives. */
  readonly root: string
  readonly output: Output
  /** Default: a free port. */
  readonly port?: number
  /** Where the server keeps its state. Default: a temporary folder, removed when the server stops. */
  readonly dataDir?: string
  /** Server settings over the offline ones. */
  readonly settings?: NodeJS.ProcessEnv
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`

/**
 * Installs the pinned server when needed, starts it with offline settings,
 * runs `use` with it, and stops it, whether `use` returns, throws, or the
 * process is interrupted (then the process exits with 128 + the signal's
 * number once the server is down).
 * Its temporary folder (logs, default data) is removed, except after a
 * failure, when the logs are kept and their folder printed.
 *
 * @throws PythonNotFoundError when the server has to be installed and no Python is new enough.
 */
export const withLocalServer = async <A>(options: LocalServerOptions, use: (server: RunningServer) => Promise<A>): Promise<A> => {
  const { output } = options
  const workDir = mkdtempSync(join(tmpdir(), "memorylayer-server-"))
  let server: RunningServer | undefined
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (server === undefined) return
      await server.process.stop()
      output.say(`Stopped memorylayer-server (pid ${server.process.pid})`)
    })())
  let interrupted = false
  const removeHandlers = onInterrupt(async (signal) => {
    interrupted = true
    output.say(server === undefined ? `${signal}: stopping` : `${signal}: stopping memorylayer-server (pid ${server.process.pid})`)
    await stop()
    rmSync(workDir, { recursive: true, force: true })
  })

  let failed = true
  try {
    const python = await ensureServerVenv(options.root, join(workDir, "install.log"), output)
    const started = performance.now()
    server = await startMemoryLayerServer({ python, workDir, port: options.port, dataDir: options.dataDir, settings: options.settings })
    output.say(`memorylayer-server ${MEMORYLAYER_SERVER_VERSION} (pid ${server.process.pid}) is ready at ${server.url} after ${seconds(started)}`)
    const result = await use(server)
    failed = false
    return result
  } catch (error) {
    // What failed after an interruption failed because of it; the interrupt handler ends the process.
    if (interrupted) await new Promise<never>(() => {})
    throw error
  } finally {
    removeHandlers()
    await stop()
    // After a failure, keep the logs there are (none when no Python was found).
    if (failed && readdirSync(workDir).length > 0) output.say(`Logs kept in ${workDir}`)
    else rmSync(workDir, { recursive: true, force: true })
  }
}

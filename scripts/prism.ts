/**
 * Running Prism (`@stoplight/prism-cli`) as a child process: `prism mock` for
 * the contract tests and for `npm start` when no real server can run, `prism
 * proxy` in front of a real server.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { freePort, isPortFree } from "./server/loopback.ts"

/** The Prism subcommands this project uses. */
export type PrismCommand = "mock" | "proxy"

/** Where and how to run Prism. */
export interface PrismOptions {
  /** Interface to listen on. Default `"127.0.0.1"`. */
  readonly host?: string
  /** Port to listen on. Default: a free port, retried if another process takes it first. */
  readonly port?: number
  /** How long to wait for Prism to answer HTTP, in milliseconds. Default 30000. */
  readonly readyTimeout?: number
  /** Working directory of the Prism process. Default: the current one. */
  readonly cwd?: string
}

/** A running Prism. */
export interface PrismServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`, without a trailing slash. */
  readonly url: string
  /** Process id of Prism (also its process group id). */
  readonly pid: number
  /** The last lines Prism printed on stdout and stderr, for failure messages. */
  output(): string
  /** Stops Prism and every process in its group; resolves once the group leader has exited. Safe to call twice. */
  stop(): Promise<void>
}

const OUTPUT_LINES = 200
const STOP_GRACE_MS = 5_000
const PORT_ATTEMPTS = 3

const prismBin = (): string => {
  const packageJson = createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json")
  return join(dirname(packageJson), "dist", "index.js")
}

const errorCode = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "code" in error ? error.code : undefined

/** Sends `signal` to every process of the group led by `pid`; a group that is already gone is not an error. */
const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal)
  } catch (error) {
    if (errorCode(error) !== "ESRCH") throw error
  }
}

const exitOf = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()))

class PrismStartError extends Error {
  /** `true` when Prism could not bind its port (another process took it). */
  readonly portInUse: boolean
  constructor(message: string, portInUse: boolean) {
    super(message)
    this.name = "PrismStartError"
    this.portInUse = portInUse
  }
}

const launch = async (
  command: PrismCommand,
  args: ReadonlyArray<string>,
  host: string,
  port: number,
  options: PrismOptions
): Promise<PrismServer> => {
  const child = spawn(process.execPath, [prismBin(), command, ...args, "--host", host, "--port", String(port)], {
    cwd: options.cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"]
  })
  const lines: Array<string> = []
  const collect = (chunk: Buffer): void => {
    lines.push(...chunk.toString("utf8").split("\n").filter((line) => line.trim() !== ""))
    if (lines.length > OUTPUT_LINES) lines.splice(0, lines.length - OUTPUT_LINES)
  }
  child.stdout?.on("data", collect)
  child.stderr?.on("data", collect)
  let spawnError: Error | undefined
  child.once("error", (error) => {
    spawnError = error
  })
  const exited = exitOf(child)
  const output = (): string => lines.join("\n")
  const pid = child.pid
  if (pid === undefined) {
    // Spawning failed; the reason arrives as an "error" event.
    const [error] = spawnError === undefined ? await once(child, "error") : [spawnError]
    throw new PrismStartError(`prism ${command} could not be started: ${String(error)}`, false)
  }

  // If the test process exits without stopping Prism, take its whole group down with it.
  const killOnExit = (): void => signalGroup(pid, "SIGKILL")
  process.once("exit", killOnExit)
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      signalGroup(pid, "SIGTERM")
      const gone = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS, false)])
      // Prism's own children (e.g. with --multiprocess) share its group; none may outlive it.
      signalGroup(pid, "SIGKILL")
      if (!gone) await exited
      process.removeListener("exit", killOnExit)
    })()
    return stopping
  }

  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`
  const deadline = Date.now() + (options.readyTimeout ?? 30_000)
  let hasExited = false
  void exited.then(() => {
    hasExited = true
  })
  for (;;) {
    if (hasExited || spawnError !== undefined) {
      await stop()
      // Prism does not say why it could not listen; a port that is busy now tells.
      throw new PrismStartError(
        `prism ${command} exited before answering (code ${String(child.exitCode)}): ${spawnError?.message ?? ""}\n${output()}`,
        !(await isPortFree(port, host))
      )
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) })
      await response.body?.cancel()
      return { url, pid, output, stop }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop()
      throw new PrismStartError(`prism ${command} did not answer on ${url} in time:\n${output()}`, false)
    }
    await sleep(100)
  }
}

/**
 * Starts `prism <command> ...args --host <host> --port <port>` with the Node
 * running the tests, in its own process group, and resolves once it answers
 * HTTP. Rejects (leaving no process behind) when Prism exits early or does not
 * answer within `readyTimeout`; a port taken in the meantime is retried with
 * another free port.
 *
 * @example
 * ```ts
 * const mock = await startPrism("mock", ["openapi.yaml", "--errors", "--dynamic=false"])
 * const proxy = await startPrism("proxy", ["openapi.yaml", upstreamUrl, "--errors"])
 * try {
 *   await fetch(`${mock.url}/v1/memories/mem_1`)
 * } finally {
 *   await Promise.all([mock.stop(), proxy.stop()])
 * }
 * ```
 */
export const startPrism = async (
  command: PrismCommand,
  args: ReadonlyArray<string>,
  options: PrismOptions = {}
): Promise<PrismServer> => {
  const host = options.host ?? "127.0.0.1"
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(host))
    try {
      return await launch(command, args, host, port, options)
    } catch (error) {
      const retry = error instanceof PrismStartError && error.portInUse && options.port === undefined && attempt < PORT_ATTEMPTS
      if (!retry) throw error
    }
  }
}

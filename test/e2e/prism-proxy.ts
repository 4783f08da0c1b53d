/**
 * Runs `prism proxy --errors` in front of the server, so every request the
 * tests send and every answer the server gives is checked against
 * openapi.yaml, and counts the violations it logs.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { LOOPBACK, acceptsConnections, freePort, waitUntil } from "../../scripts/server/loopback.ts"
import { logTail, startProcessGroup, type ProcessGroup } from "../../scripts/server/process-group.ts"
import { violationsIn, type Violation } from "./prism-violations.ts"

/** A running proxy. */
export interface RunningProxy {
  readonly url: string
  readonly process: ProcessGroup
  /** The violations logged since the proxy was ready (the self-check's own is not among them). */
  readonly violations: () => ReadonlyArray<Violation>
}

/** What {@link startPrismProxy} needs. */
export interface ProxyOptions {
  /** The repository root: openapi.yaml and node_modules/.bin/prism. */
  readonly root: string
  /** The server to forward to. */
  readonly upstream: string
  /** Where the log goes. */
  readonly workDir: string
}

const readLog = (file: string): string => {
  try {
    return readFileSync(file, "utf8")
  } catch {
    return ""
  }
}

/**
 * Starts the proxy on a free loopback port and waits until it accepts
 * connections. Then it checks that violations are really recognised in its
 * log: it sends one request that breaks the contract (a JSON array where
 * remember takes an object; Prism answers 422 itself and forwards nothing)
 * and waits for that violation to show up. Counting starts after it.
 *
 * @throws With the proxy's log tail when it does not start or the self-check fails. The process is stopped first.
 */
export const startPrismProxy = async (options: ProxyOptions): Promise<RunningProxy> => {
  const port = await freePort()
  const url = `http://${LOOPBACK}:${port}`
  const logFile = join(options.workDir, "prism.log")
  const proxy = startProcessGroup({
    name: "prism proxy",
    // The project's Node (the `node` devDependency), as for every other tool.
    command: process.execPath,
    args: [
      "--import",
      pathToFileURL(join(import.meta.dirname, "exit-when-stdin-closes.ts")).href,
      join(options.root, "node_modules", ".bin", "prism"),
      "proxy",
      join(options.root, "openapi.yaml"),
      options.upstream,
      "--errors",
      "--port",
      String(port),
      "--host",
      LOOPBACK
    ],
    cwd: options.root,
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    logFile,
    stdinPipe: true
  })
  const context = (): string => `Prism log ${logFile}, last lines:\n${logTail(logFile)}`
  try {
    await waitUntil(() => acceptsConnections(port), { what: "prism proxy", timeoutMs: 60_000, exited: proxy.exited, context })

    const selfCheck = await fetch(`${url}/v1/memories`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "[]",
      signal: AbortSignal.timeout(10_000)
    })
    await selfCheck.body?.cancel()
    if (selfCheck.status !== 422) {
      throw new Error(`prism proxy let a request that breaks the contract through (status ${selfCheck.status}).\n${context()}`)
    }
    let offset = 0
    await waitUntil(
      async () => {
        const log = readLog(logFile)
        offset = log.lastIndexOf("\n") + 1
        return violationsIn(log.slice(0, offset)).length > 0
      },
      {
        what: "prism proxy's violation log line",
        timeoutMs: 10_000,
        exited: proxy.exited,
        context: () => `Its log format may have changed; violations would go uncounted.\n${context()}`
      }
    )
    return { url, process: proxy, violations: () => violationsIn(readLog(logFile).slice(offset)) }
  } catch (error) {
    await proxy.stop()
    throw error
  }
}

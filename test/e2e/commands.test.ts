/**
 * `npm start` and `npm run server` as a newcomer runs them: against a real
 * local memorylayer-server, and with no process left once they end, whether
 * they finish or are interrupted.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { freePort } from "../../scripts/server/loopback.ts"
import { MemoryLayerClient, NotFoundError } from "../../src/index.ts"

const root = resolve(import.meta.dirname, "..", "..")

/** A command run with this Node from the repository root, without the MEMORYLAYER_* settings of whoever runs the tests. */
interface Command {
  readonly output: () => string
  /** Resolves with the first match of `pattern` in the output. */
  readonly waitFor: (pattern: RegExp) => Promise<RegExpExecArray>
  readonly exited: Promise<number | null>
  readonly child: ChildProcess
}

const run = (script: string, ...args: Array<string>): Command => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MEMORYLAYER_")))
  const child = spawn(process.execPath, [script, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] })
  let text = ""
  const waiters = new Set<() => void>()
  const collect = (chunk: Buffer): void => {
    text += chunk.toString("utf8")
    for (const waiter of waiters) waiter()
  }
  child.stdout.on("data", collect)
  child.stderr.on("data", collect)
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
  const waitFor = (pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((found, failed) => {
      const check = (): void => {
        const match = pattern.exec(text)
        if (match === null) return
        waiters.delete(check)
        found(match)
      }
      waiters.add(check)
      check()
      void exited.then(() => {
        check()
        if (waiters.delete(check)) failed(new Error(`${script} exited before printing ${pattern}:\n${text}`))
      })
    })
  return { output: () => text, waitFor, exited, child }
}

/** Whether any process of the group `pid` leads is still running. */
const groupRuns = (pid: number): boolean => {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

const READY = /memorylayer-server 0\.2\.0 \(pid (\d+)\) is ready at (http:\/\/127\.0\.0\.1:\d+)/

describe("npm start", () => {
  it("runs the quickstart against a real local server: real ids, the requested types and relationship, NotFoundError for an unknown id; then stops it", async () => {
    const start = run("examples/start.ts")

    expect(await start.exited, start.output()).toBe(0)
    const output = start.output()
    const [, pid = ""] = READY.exec(output) ?? []
    const [, problem, fix] = /^remember -> (mem_[0-9a-f]{16}) \(episodic\), (mem_[0-9a-f]{16}) \(procedural\)$/m.exec(output) ?? []
    expect(problem, output).toBeDefined()
    expect(problem).not.toBe(fix)
    expect(output).toContain(`\nassociate -> ${problem} solved_by ${fix}\n`)
    expect(output).toContain("\ngetMemory(unknown) -> NotFoundError 404: getMemory: 404 Memory not found: mem_does_not_exist\n")
    expect(output).not.toContain("mock")
    expect(output.trimEnd().split("\n").at(-1)).toBe(`Stopped memorylayer-server (pid ${pid})`)
    expect(groupRuns(Number(pid))).toBe(false)
  })

  it("stops the server and exits 130 on Ctrl-C", async () => {
    const start = run("examples/start.ts")
    const [, pid = ""] = await start.waitFor(READY)

    start.child.kill("SIGINT")

    expect(await start.exited).toBe(130)
    expect(start.output()).toContain(`SIGINT: stopping memorylayer-server (pid ${pid})\n`)
    expect(groupRuns(Number(pid))).toBe(false)
  })
})

describe("npm run server", () => {
  it("serves the client until Ctrl-C, then stops the server and removes its folder", async () => {
    const port = await freePort()
    const server = run("scripts/run-server.ts", "--port", String(port))
    const [, pid = "", url] = await server.waitFor(READY)
    const [, logFile = ""] = await server.waitFor(/ {2}log: +(\S+)\n/)
    await server.waitFor(/Press Ctrl-C to stop it\.\n/)
    expect(url).toBe(`http://127.0.0.1:${port}`)

    await using client = new MemoryLayerClient({ baseUrl: url })
    const memory = await client.remember("npm run server answers the client")
    expect((await client.getMemory(memory.id)).content).toBe("npm run server answers the client")
    await expect(client.getMemory("mem_does_not_exist")).rejects.toBeInstanceOf(NotFoundError)

    server.child.kill("SIGINT")

    expect(await server.exited).toBe(130)
    expect(server.output()).toContain(`Stopped memorylayer-server (pid ${pid})\n`)
    expect(groupRuns(Number(pid))).toBe(false)
    expect(existsSync(dirname(logFile))).toBe(false)
  })
})

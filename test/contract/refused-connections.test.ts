/**
 * A refused connection on a real runtime other than Node: Deno's fetch gives
 * no error code, only words, and the client must still see that the request
 * never left, so that a write is retried. Deno runs the SDK's sources from
 * this repository against a port where nothing listens.
 */
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { runProcess } from "../runtimes/processes.ts"
import { startFaultServer } from "../support/fault-server.ts"

const root = fileURLToPath(new URL("../..", import.meta.url))
const deno = join(dirname(createRequire(import.meta.url).resolve("deno/package.json")), "bin.cjs")

describe("a refused connection", () => {
  it("on Deno is a ConnectionError with requestSent false, and remember is retried", async () => {
    const closed = await startFaultServer([])
    const { url } = closed
    await closed.close()
    const { host } = new URL(url)
    const run = await runProcess(
      process.execPath,
      [deno, "run", "--no-prompt", "--no-lock", "--node-modules-dir=manual", `--allow-net=${host}`, `--allow-read=${root}`, "test/support/refused-remember.ts", url],
      { cwd: root, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }, timeoutMs: 60_000 }
    )
    const line = run.stdout.split("\n").find((l) => l.startsWith("RESULT "))
    expect(line, `deno printed no result:\n${run.stdout}\n${run.stderr}`).toBeDefined()
    expect(JSON.parse((line as string).slice("RESULT ".length))).toEqual({ name: "ConnectionError", requestSent: false, attempts: 3 })
  }, 90_000)
})

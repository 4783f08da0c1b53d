/**
 * Runs the browser bundle of the runtime matrix in headless Chromium (the
 * system's `chromium`, or the one `CHROMIUM` names): a local HTTP server
 * serves a page that loads the bundle, Chromium opens it, and the page posts
 * its report back to the server. Prism is reached from the page cross-origin,
 * so the SDK's requests go through CORS as in any web app.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { startProcess } from "./processes.ts"

/** The browser the matrix drives: `CHROMIUM` if set, else `chromium` on the PATH. */
export const chromiumCommand = (): string => process.env["CHROMIUM"] ?? "chromium"

// Root cannot use Chromium's sandbox; the rest keeps a headless run from reaching out to any other host.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>memorylayer-client runtime check</title>
<script type="module" src="/bundle.js"></script>
</html>
`

/**
 * Opens the bundle's page in headless Chromium and resolves with the report
 * the page posted, as a JSON string. Rejects when Chromium exits first or
 * no report arrives within `timeoutMs`, with what Chromium printed.
 */
export const runInChromium = async (bundlePath: string, prismUrl: string, timeoutMs: number): Promise<string> => {
  const bundle = readFileSync(bundlePath)
  let received: (report: string) => void = () => {}
  const report = new Promise<string>((resolve) => (received = resolve))
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname
    if (request.method === "POST" && path === "/result") {
      let body = ""
      request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")))
      request.on("end", () => {
        response.end()
        received(body)
      })
    } else if (request.method === "GET" && path === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE)
    } else if (request.method === "GET" && path === "/bundle.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(bundle)
    } else {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  const profile = mkdtempSync(join(tmpdir(), "memorylayer-client-chromium-"))
  const page = `http://127.0.0.1:${port}/?prism=${encodeURIComponent(prismUrl)}`
  const chromium = startProcess(chromiumCommand(), [...FLAGS, `--user-data-dir=${profile}`, page], { cwd: profile })
  const timer = new AbortController()
  try {
    const outcome = await Promise.race([
      report,
      chromium.exited.then(() => new Error(`${chromiumCommand()} exited before the page reported (if it is missing: install Debian's chromium package, or set CHROMIUM)`)),
      sleep(timeoutMs, undefined, { signal: timer.signal }).then(() => new Error(`the page sent no report within ${timeoutMs} ms`))
    ])
    if (outcome instanceof Error) throw new Error(`${outcome.message}; Chromium printed:\n${chromium.output().slice(-4_000)}`)
    return outcome
  } finally {
    timer.abort()
    await chromium.stop()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(profile, { recursive: true, force: true })
  }
}

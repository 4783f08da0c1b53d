/**
 * The loopback stub the benchmarks call: a `node:http` server in its own
 * process (so its work does not share the measured process's CPU) that
 * answers like memorylayer-server 0.2.0, with bodies captured from it
 * (`fixtures/`): remember answers 201 with the memory and its embedding,
 * recall answers 200 with 50 memories, getMemory 200 with one memory.
 *
 * Started by {@link startStub}; run directly, it listens and prints its port.
 */
import { type ChildProcess, fork } from "node:child_process"
import { readFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, "fixtures", name))

/** A running stub: its base URL and how to stop it. */
export interface Stub {
  readonly url: string
  readonly stop: () => void
}

const serve = (): void => {
  const remember = fixture("remember-answer.json")
  const recall = fixture("recall-answer.json")
  const memory = Buffer.from(JSON.stringify({ memory: JSON.parse(remember.toString("utf8")).memory }))
  const server = createServer((request, response) => {
    const body = request.url === "/v1/memories" ? remember : request.url === "/v1/memories/recall" ? recall : memory
    // The request body is read whole, as a server would, before answering.
    request.on("data", () => undefined)
    request.on("end", () => {
      response.writeHead(request.url === "/v1/memories" ? 201 : 200, {
        "content-type": "application/json",
        "content-length": body.length
      })
      response.end(body)
    })
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, "127.0.0.1", () => {
    process.send?.({ port: (server.address() as AddressInfo).port })
  })
  process.on("disconnect", () => process.exit(0))
}

/** Starts the stub in a child process and resolves once it listens. */
export const startStub = (): Promise<Stub> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = fork(import.meta.filename, ["--serve"], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] })
    child.once("error", reject)
    child.once("message", (message) => {
      const { port } = message as { readonly port: number }
      resolve({ url: `http://127.0.0.1:${port}`, stop: () => child.kill() })
    })
  })

if (process.argv.includes("--serve")) serve()

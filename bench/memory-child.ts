/**
 * Run by bench/memory.ts in a fresh process with `--expose-gc`: prints the
 * heap of an idle client and what 10,000 calls and `close()` leave behind.
 */
import { MemoryLayerClient } from "memorylayer-client"
import { startStub } from "./stub-server.ts"

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error("run with --expose-gc")
const heap = (): number => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
/** Active libuv handles, less the pipes and child process of the stub. */
const handles = (): Array<string> => process.getActiveResourcesInfo().filter((kind) => kind !== "PipeWrap" && kind !== "ProcessWrap")

await new MemoryLayerClient().close()
const before = heap()
const clients = Array.from({ length: 200 }, () => new MemoryLayerClient({ baseUrl: "http://127.0.0.1:9", apiKey: "k" }))
const idleClientBytes = (heap() - before) / clients.length
await Promise.all(clients.map((c) => c.close()))

const stub = await startStub()
const baseline = handles()
const client = new MemoryLayerClient({ baseUrl: stub.url, apiKey: "k" })
const calls = 10_000
for (let i = 0; i < calls; i++) await client.recall("deploy", { limit: 50 })
await client.close()
stub.stop()
// Let the keep-alive sockets of fetch's shared pool see the server go.
await new Promise((resolve) => setTimeout(resolve, 500))
const after = handles()
for (const kind of baseline) {
  const i = after.indexOf(kind)
  if (i !== -1) after.splice(i, 1)
}
console.log(JSON.stringify({ idleClientBytes, leftBehind: after, calls }))

/**
 * Per-call overhead of the SDK against raw fetch and ky, over a loopback stub
 * and with an in-process handler (no socket, so only the SDK's own work
 * shows). Run with `npm run bench`; it prints a table of medians.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import ky from "ky"
import { Bench } from "tinybench"
import { MemoryLayer } from "../src/effect.ts"
import { MemoryLayerClient } from "../src/index.ts"
import { getMemoryAnswer } from "../test/support/fixtures.ts"

const body = JSON.stringify(getMemoryAnswer)
const id = String(getMemoryAnswer.memory["id"])
const server = createServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  response.end(body)
})
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const client = new MemoryLayerClient({ baseUrl: url, apiKey: "bench" })
const runtime = ManagedRuntime.make(MemoryLayer.layer({ baseUrl: url, apiKey: "bench" }))
const service = await runtime.runPromise(Effect.service(MemoryLayer))
const plainKy = ky.create({ retry: 0, timeout: false })
const handler = () => new Response(body, { headers: { "content-type": "application/json" } })
const inProcess = new MemoryLayerClient({ fetch: handler })

const loopback = new Bench({ name: "getMemory over loopback HTTP", time: 2000, warmupTime: 500 })
  .add("raw fetch + JSON.parse", async () => {
    await (await fetch(`${url}/v1/memories/${id}`, { headers: { authorization: "Bearer bench" } })).json()
  })
  .add("ky", async () => {
    await plainKy.get(`${url}/v1/memories/${id}`, { headers: { authorization: "Bearer bench" } }).json()
  })
  .add("MemoryLayerClient.getMemory", async () => {
    await client.getMemory(id)
  })
  .add("MemoryLayer service getMemory", async () => {
    await runtime.runPromise(service.getMemory(id))
  })

const local = new Bench({ name: "in process, no socket (SDK overhead only)", time: 2000, warmupTime: 500 })
  .add("handler + JSON.parse (floor)", async () => {
    await handler().json()
  })
  .add("MemoryLayerClient.getMemory", async () => {
    await inProcess.getMemory(id)
  })

for (const bench of [loopback, local]) {
  await bench.run()
  console.log(`\n${bench.name}`)
  const median = (task: (typeof bench.tasks)[number]): number =>
    task.result.state === "completed" ? (task.result.latency.p50 ?? Number.NaN) : Number.NaN
  const floor = bench.tasks[0] === undefined ? Number.NaN : median(bench.tasks[0])
  console.table(bench.tasks.map((task) => ({
    task: task.name,
    "median µs": Math.round(median(task) * 1000),
    "vs first": `${(median(task) / floor).toFixed(2)}x`,
    state: task.result.state
  })))
}

await client.close()
await inProcess.close()
await runtime.dispose()
server.close()

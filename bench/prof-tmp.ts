import { readFileSync } from "node:fs"
import ky from "ky"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { MemoryLayerClient } from "memorylayer-client"
import { MemoryLayer } from "memorylayer-client/effect"
const remember = readFileSync("bench/fixtures/remember-answer.json")
const handler = async (request: Request) => { await request.text(); return new Response(remember, { status: 201, headers: { "content-type": "application/json" } }) }
const N = 20000
const time = async (name: string, f: () => Promise<unknown>) => { for (let i = 0; i < 3000; i++) await f(); const t = process.cpuUsage(); for (let i = 0; i < N; i++) await f(); const u = process.cpuUsage(t); return [name, (u.user + u.system) / N] as const }
const k = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, fetch: handler as typeof fetch, headers: { authorization: "Bearer k" } })
const c = new MemoryLayerClient({ baseUrl: "http://x", apiKey: "k", fetch: handler })
const rt = ManagedRuntime.make(MemoryLayer.layer({ baseUrl: "http://x", apiKey: "k", fetch: handler }))
const ml = await rt.runPromise(Effect.service(MemoryLayer))
const opts = { type: "procedural", importance: 0.8, tags: ["a"] } as const
const body = { content: "x y z", ...opts }
const results: Record<string, number[]> = {}
const which = process.argv[2]
if (which === "prof") { for (let i = 0; i < 40000; i++) await c.remember("x y z", opts) } else
for (let r = 0; r < 3; r++) for (const [n, v] of [
  await time("ky", () => k.post("http://x/v1/memories", { json: body }).json()),
  await time("facade", () => c.remember("x y z", opts)),
  await time("service runtime", () => rt.runPromise(ml.remember("x y z", opts))),
  await time("service Effect.runPromise", () => Effect.runPromise(ml.remember("x y z", opts)))
]) (results[n] ??= []).push(v)
for (const [n, v] of Object.entries(results)) console.log(n.padEnd(28), v.map((x) => x.toFixed(1)).join("  "))
await c.close()
